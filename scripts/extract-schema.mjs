// Extracts the GA Realtime client/server event schemas (and everything they reference) from the
// official OpenAPI excerpt into src/main/core/simulator/schema/realtime-ga.json.
// Run once by hand: node scripts/extract-schema.mjs <path-to-openapi-realtime-2026-08-21.yaml>
// The output is committed; the app and tests never read the YAML.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const input = process.argv[2] ?? '/work/shared/realtime-spec/openapi-realtime-2026-08-21.yaml';
const output = resolve(here, '../src/main/core/simulator/schema/realtime-ga.json');

const doc = YAML.parse(readFileSync(input, 'utf8'));
const schemas = doc.components.schemas;

/** Member schema names of a union (anyOf/oneOf of $refs). */
function members(name) {
  const s = schemas[name];
  const list = s.anyOf ?? s.oneOf ?? [];
  return list.map((m) => m.$ref.split('/').pop());
}

// Drop documentation-only keys to keep the shipped file small; validation ignores them anyway.
function strip(node) {
  if (Array.isArray(node)) return node.map(strip);
  if (node && typeof node === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(node)) {
      if (k === 'description' || k === 'x-oaiMeta' || k === 'example' || k === 'examples' || k === 'title') {
        // `title`/`description` can also be property NAMES inside `properties`; keep those.
        if (!isPropertiesMap(node)) continue;
      }
      out[k] = strip(v);
    }
    return out;
  }
  return node;
}
const propertiesMaps = new WeakSet();
function markPropertiesMaps(node) {
  if (Array.isArray(node)) return node.forEach(markPropertiesMaps);
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if ((k === 'properties' || k === 'patternProperties' || k === '$defs') && v && typeof v === 'object')
        propertiesMaps.add(v);
      markPropertiesMaps(v);
    }
  }
}
function isPropertiesMap(node) {
  return propertiesMaps.has(node);
}

const clientMembers = members('RealtimeClientEvent');
const serverMembers = members('RealtimeServerEvent').filter(
  (n) => !n.startsWith('RealtimeBeta') && !n.includes('Translation'),
);

const wanted = new Set(['RealtimeClientEvent', 'RealtimeServerEvent', ...clientMembers, ...serverMembers]);
const queue = [...wanted];
while (queue.length) {
  const name = queue.pop();
  const s = schemas[name];
  if (!s) throw new Error(`schema ${name} not found`);
  const text = JSON.stringify(s);
  for (const m of text.matchAll(/"#\/components\/schemas\/([^"]+)"/g)) {
    if (!wanted.has(m[1])) {
      wanted.add(m[1]);
      queue.push(m[1]);
    }
  }
}

const out = {};
for (const name of [...wanted].sort()) {
  markPropertiesMaps(schemas[name]);
  out[name] = strip(schemas[name]);
}
// The union used for the server must list only the GA members we kept.
out.RealtimeServerEvent = {
  ...out.RealtimeServerEvent,
  anyOf: serverMembers.map((n) => ({ $ref: `#/components/schemas/${n}` })),
};

// Corrections to the spec, each with its source. The output names them in `_patches`.
const patches = [];
const ref = (name) => ({ $ref: `#/components/schemas/${name}` });

// 1. `response.create` `input` may hold item references. The spec types `input.items` as RealtimeConversationItem,
//    which has no `item_reference` member, yet the same spec's `input` description says "this can include
//    references to items that previously appeared in the session using their id" and its own
//    RealtimeClientEventResponseCreate example sends `{ "type": "item_reference", "id": "item_12345" }`. Azure's
//    GA reference types the same thing as RealtimeResponseItemReference `{ type: 'item_reference', id }`
//    (both required; "accepted only in the response input array, not as new conversation items"). So `input`
//    items are RealtimeConversationItem's members plus that reference, and nothing else changes:
//    conversation.item.create still refuses `item_reference`.
out.RealtimeResponseItemReference = {
  type: 'object',
  properties: {
    type: { type: 'string', enum: ['item_reference'] },
    id: { type: 'string' },
  },
  required: ['type', 'id'],
};
out.RealtimeResponseInputItem = {
  anyOf: [...members('RealtimeConversationItem').map(ref), ref('RealtimeResponseItemReference')],
};
out.RealtimeResponseCreateParams.properties.input.items = ref('RealtimeResponseInputItem');
patches.push(
  "RealtimeResponseCreateParams.input.items: RealtimeConversationItem members plus RealtimeResponseItemReference {type:'item_reference', id} (source: the spec's own `input` description and RealtimeClientEventResponseCreate example; Azure GA RealtimeResponseItemReference)",
);

// 2. RealtimeResponse.conversation_id is typed `string`, but its description says that for
//    `conversation: "none"` (out-of-band) responses "the value of `conversation_id` will be `null`".
out.RealtimeResponse.properties.conversation_id = { anyOf: [{ type: 'string' }, { type: 'null' }] };
patches.push(
  'RealtimeResponse.conversation_id: string or null (source: its own description, null for conversation "none")',
);

// 3. RealtimeMCPApprovalResponse lists `id` as required, but OpenAI's own Realtime Agents SDK answers approvals
//    without one: openai/openai-agents-js packages/agents-realtime/src/openaiRealtimeBase.ts `sendMcpResponse`
//    sends `conversation.item.create` with `item: { type: 'mcp_approval_response', approval_request_id, approve,
//    reason? }` (no `id`) against the live service, and the same spec says of client items that the server
//    generates an id when none is given. So `id` is optional there; the server still reports one on the item.
out.RealtimeMCPApprovalResponse.required = out.RealtimeMCPApprovalResponse.required.filter((r) => r !== 'id');
patches.push(
  'RealtimeMCPApprovalResponse.id: optional (source: openai/openai-agents-js agents-realtime openaiRealtimeBase.ts sendMcpResponse sends mcp_approval_response items without an id; client item ids are optional elsewhere in the spec)',
);

// Map event type -> member schema name, so validators pick the schema by `type`.
function typeMap(names) {
  const map = {};
  for (const n of names) {
    const t = schemas[n].properties?.type;
    const value = t?.enum?.[0] ?? t?.const;
    if (!value) throw new Error(`no type constant in ${n}`);
    map[value] = n;
  }
  return map;
}

const result = {
  _source:
    'Extracted by scripts/extract-schema.mjs from openai/openai-openapi, path openapi.yaml, commit f85dbe223d40e1a31cba812ab2d755c7e98a92a3 (2026-08-21), via the excerpt copied from shared/realtime-spec/openapi-realtime-2026-08-21.yaml. GA RealtimeClientEvent and RealtimeServerEvent members (no RealtimeBeta*/Translation) plus every schema they reference; descriptions and examples removed.',
  _patches: patches,
  clientEventTypes: typeMap(clientMembers),
  serverEventTypes: typeMap(serverMembers),
  components: { schemas: out },
};
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, JSON.stringify(result, null, 1) + '\n');
console.log(`wrote ${Object.keys(out).length} schemas to ${output}`);

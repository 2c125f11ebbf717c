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
  clientEventTypes: typeMap(clientMembers),
  serverEventTypes: typeMap(serverMembers),
  components: { schemas: out },
};
mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, JSON.stringify(result, null, 1) + '\n');
console.log(`wrote ${Object.keys(out).length} schemas to ${output}`);

/**
 * Validates Realtime GA events against the official schema excerpt (schema/realtime-ga.json, extracted by
 * scripts/extract-schema.mjs from openai/openai-openapi @ f85dbe22, 2026-08-21) and reports problems the way the
 * real server does: `Unknown parameter: 'session.modalities'.` with code and param. Two spec slips are corrected
 * at extraction (listed in the JSON's `_patches`): `response.create` `input` accepts `item_reference` items, and
 * `response.conversation_id` may be `null` (out-of-band responses).
 *
 * The spec leaves objects open (no `additionalProperties: false`), but the real server rejects unknown
 * parameters, so every object schema that lists its properties is closed here. Unions are rewritten into
 * `if/then` chains keyed on `type` (and `role` for messages), so a bad field is reported from the one branch the
 * event meant, not as "must match one of".
 */
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import schemaDoc from './schema/realtime-ga.json';

/** Error codes the real server uses for malformed client events (a subset; see errors-observed.json). */
export type ValidationErrorCode =
  'unknown_parameter' | 'invalid_value' | 'missing_required_parameter' | 'invalid_event';

/** Result of validating one event. `param` is the dotted path the server would name, e.g. `session.modalities`. */
export type ValidationResult =
  { ok: true } | { ok: false; code: ValidationErrorCode; message: string; param?: string };

/** Options for {@link validateServerEvent}. */
export interface ServerValidationOptions {
  /**
   * Reject properties the spec does not list and `null` where the spec does not allow it. Default false: real
   * servers add fields over time and send `null` for absent optional ones, and a client must not drop their
   * events for it. The simulator's own tests use true.
   */
  strict?: boolean;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type SchemaNode = { [key: string]: Json };

const REF_PREFIX = '#/components/schemas/';
const doc = schemaDoc as unknown as {
  clientEventTypes: Record<string, string>;
  serverEventTypes: Record<string, string>;
  components: { schemas: Record<string, SchemaNode> };
};

function isNode(value: unknown): value is SchemaNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A property's single allowed value (`const`, or a one-value `enum`), if it has one. */
function constOf(prop: Json | undefined): string | undefined {
  if (!isNode(prop)) return undefined;
  if (typeof prop.const === 'string') return prop.const;
  const en = prop.enum;
  if (Array.isArray(en) && en.length === 1 && typeof en[0] === 'string') return en[0];
  return undefined;
}

/**
 * Prepares the spec's schemas for strict, precise validation. Pure: returns a new tree.
 * `closeObjects` closes every object that lists properties (unknown parameter → error); without it, optional
 * properties also accept `null`.
 */
function prepare(schemas: Record<string, SchemaNode>, closeObjects: boolean): Record<string, SchemaNode> {
  const resolve = (node: Json): SchemaNode | undefined => {
    if (!isNode(node)) return undefined;
    if (typeof node.$ref === 'string' && node.$ref.startsWith(REF_PREFIX)) {
      return schemas[node.$ref.slice(REF_PREFIX.length)];
    }
    return node;
  };

  const rewriteUnion = (branches: Json[]): SchemaNode => {
    // Object branches that carry a constant `type` can be picked by it; everything else stays an anyOf.
    const keyed: Array<{ branch: Json; type: string; role?: string }> = [];
    const others: Json[] = [];
    for (const branch of branches) {
      const target = resolve(branch);
      const props = target && isNode(target.properties) ? target.properties : undefined;
      const type = props ? constOf(props.type) : undefined;
      if (props && type !== undefined) {
        const role = constOf(props.role);
        keyed.push(role === undefined ? { branch, type } : { branch, type, role });
      } else others.push(branch);
    }
    if (keyed.length < 2) return { anyOf: branches };

    const types = [...new Set(keyed.map((k) => k.type))];
    const chain: Json[] = [{ type: 'object', required: ['type'], properties: { type: { enum: types } } }];
    for (const type of types) {
      const group = keyed.filter((k) => k.type === type);
      const first = group[0];
      if (group.length === 1 && first) {
        chain.push({ if: { required: ['type'], properties: { type: { const: type } } }, then: first.branch });
        continue;
      }
      // Several branches share a `type` (messages): pick by `role`.
      const roles = group.map((k) => k.role).filter((r): r is string => r !== undefined);
      chain.push({
        if: { required: ['type'], properties: { type: { const: type } } },
        then: { required: ['role'], properties: { role: { enum: roles } } },
      });
      for (const k of group) {
        if (k.role === undefined) continue;
        chain.push({
          if: { required: ['type', 'role'], properties: { type: { const: type }, role: { const: k.role } } },
          then: k.branch,
        });
      }
    }
    const objectPart: SchemaNode = { allOf: chain };
    if (others.length === 0) return objectPart;
    return { if: { type: 'object' }, then: objectPart, else: { anyOf: others } };
  };

  const walk = (node: Json, inPropertiesMap: boolean): Json => {
    if (Array.isArray(node)) return node.map((n) => walk(n, false));
    if (!isNode(node)) return node;
    const out: SchemaNode = {};
    for (const [key, value] of Object.entries(node)) {
      if (inPropertiesMap) {
        out[key] = walk(value, false);
        continue;
      }
      // Documentation and code-generator hints mean nothing to validation.
      if (key.startsWith('x-') || key === 'discriminator' || key === 'nullable' || key === 'default')
        continue;
      out[key] = walk(value, key === 'properties' || key === 'patternProperties');
    }
    if (inPropertiesMap) return out;

    if (isNode(out.properties)) {
      if (closeObjects && out.additionalProperties === undefined) out.additionalProperties = false;
      if (!closeObjects) {
        // Real servers send `null` for absent optional fields (e.g. `status_details: null`) although the spec
        // types them without null; a lenient reader accepts that.
        const required = Array.isArray(out.required) ? out.required : [];
        const props: SchemaNode = {};
        for (const [name, prop] of Object.entries(out.properties)) {
          props[name] = required.includes(name) ? prop : { anyOf: [{ type: 'null' }, prop] };
        }
        out.properties = props;
      }
    }
    // OpenAPI `oneOf` is used loosely in this spec (e.g. a plain string next to an enum of strings), so a strict
    // "exactly one" would reject valid events. Treat every union as anyOf, keyed where possible.
    const union = Array.isArray(out.oneOf) ? out.oneOf : Array.isArray(out.anyOf) ? out.anyOf : undefined;
    if (union) {
      delete out.oneOf;
      delete out.anyOf;
      const rewritten = rewriteUnion(union);
      if (out.type === undefined && out.properties === undefined) Object.assign(out, rewritten);
      else out.allOf = [rewritten];
    }
    if (node.nullable === true) return { anyOf: [{ type: 'null' }, out] };
    return out;
  };

  const result: Record<string, SchemaNode> = {};
  for (const [name, schema] of Object.entries(schemas)) result[name] = walk(schema, false) as SchemaNode;
  return result;
}

interface Validators {
  client: Map<string, ValidateFunction>;
  server: Map<string, ValidateFunction>;
}

function build(closeObjects: boolean, types: Record<string, string>): Map<string, ValidateFunction> {
  // strict: false because the spec uses `format` values (unixtime, double) ajv does not define.
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ components: { schemas: prepare(doc.components.schemas, closeObjects) } }, 'realtime-ga');
  const map = new Map<string, ValidateFunction>();
  for (const [type, name] of Object.entries(types)) {
    map.set(type, ajv.compile({ $ref: `realtime-ga${REF_PREFIX}${name}` }));
  }
  return map;
}

let strictValidators: Validators | undefined;
let lenientServer: Map<string, ValidateFunction> | undefined;

// Compiled on first use: compiling ~100 schemas takes a moment and not every process validates.
function validators(): Validators {
  strictValidators ??= {
    client: build(true, doc.clientEventTypes),
    server: build(true, doc.serverEventTypes),
  };
  return strictValidators;
}

/** `/session/audio/0/x` → `session.audio[0].x` (the server's way of naming a parameter). */
function paramPath(instancePath: string, extra?: string): string {
  const parts = instancePath.split('/').slice(1);
  if (extra !== undefined) parts.push(extra);
  let out = '';
  for (const raw of parts) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(part)) out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

function quoteList(values: unknown[]): string {
  const quoted = values.map((v) => `'${String(v)}'`);
  if (quoted.length <= 1) return quoted.join('');
  if (quoted.length === 2) return `${quoted[0]} and ${quoted[1]}`;
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted[quoted.length - 1]}`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a decimal';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}

function valueAt(root: unknown, instancePath: string): unknown {
  let cur: unknown = root;
  for (const raw of instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

// Which error to report when several fire: the most specific one a person can act on.
const KEYWORD_RANK: Record<string, number> = {
  additionalProperties: 0,
  required: 1,
  enum: 2,
  const: 2,
  type: 4,
};

function rank(e: ErrorObject): number {
  return KEYWORD_RANK[e.keyword] ?? 3;
}

function describe(error: ErrorObject, event: unknown): Exclude<ValidationResult, { ok: true }> {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const param = paramPath(error.instancePath, String(params.additionalProperty));
      return { ok: false, code: 'unknown_parameter', message: `Unknown parameter: '${param}'.`, param };
    }
    case 'required': {
      const param = paramPath(error.instancePath, String(params.missingProperty));
      return {
        ok: false,
        code: 'missing_required_parameter',
        message: `Missing required parameter: '${param}'.`,
        param,
      };
    }
    case 'enum':
    case 'const': {
      const param = paramPath(error.instancePath);
      const allowed = error.keyword === 'enum' ? (params.allowedValues as unknown[]) : [params.allowedValue];
      const got = valueAt(event, error.instancePath);
      const shown = typeof got === 'string' ? got : JSON.stringify(got);
      return {
        ok: false,
        code: 'invalid_value',
        message: `Invalid value: '${shown}'. Supported values are: ${quoteList(allowed)}.`,
        param,
      };
    }
    case 'type': {
      const param = paramPath(error.instancePath);
      const expected = String(params.type).split(',').join(' or ');
      const got = typeName(valueAt(event, error.instancePath));
      return {
        ok: false,
        code: 'invalid_value',
        message: `Invalid type for '${param}': expected ${/^[aeio]/.test(expected) ? 'an' : 'a'} ${expected}, but got ${got} instead.`,
        param,
      };
    }
    default: {
      const param = paramPath(error.instancePath);
      return {
        ok: false,
        code: 'invalid_value',
        message: `Invalid '${param}': ${error.message ?? 'invalid value'}.`,
        param,
      };
    }
  }
}

function pickError(errors: ErrorObject[]): ErrorObject | undefined {
  // `if` errors only say "must match then"; the real cause is reported alongside.
  const real = errors.filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf' && e.keyword !== 'oneOf');
  const pool = real.length > 0 ? real : errors;
  return [...pool].sort((a, b) => {
    const byRank = rank(a) - rank(b);
    if (byRank !== 0) return byRank;
    return b.instancePath.split('/').length - a.instancePath.split('/').length;
  })[0];
}

function check(event: unknown, table: Map<string, ValidateFunction>, known: string[]): ValidationResult {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    return { ok: false, code: 'invalid_event', message: 'The event must be a JSON object.' };
  }
  const type = (event as Record<string, unknown>).type;
  if (type === undefined)
    return { ok: false, code: 'invalid_event', message: "The 'type' field is missing." };
  if (typeof type !== 'string') {
    return {
      ok: false,
      code: 'invalid_value',
      message: `Invalid type for 'type': expected a string, but got ${typeName(type)} instead.`,
      param: 'type',
    };
  }
  const validate = table.get(type);
  if (!validate) {
    return {
      ok: false,
      code: 'invalid_value',
      message: `Invalid value: '${type}'. Supported values are: ${quoteList(known)}.`,
      param: 'type',
    };
  }
  if (validate(event)) return { ok: true };
  const error = pickError(validate.errors ?? []);
  if (!error) return { ok: false, code: 'invalid_event', message: 'The event does not match the schema.' };
  return describe(error, event);
}

/**
 * Checks a client event the way the GA server would: picks the schema by `type`, rejects unknown parameters,
 * missing required ones and wrong values with the server's codes and messages.
 */
export function validateClientEvent(event: unknown): ValidationResult {
  return check(event, validators().client, Object.keys(doc.clientEventTypes));
}

/**
 * Checks a server event against the GA schema. Lenient about extra properties unless `options.strict`.
 */
export function validateServerEvent(event: unknown, options: ServerValidationOptions = {}): ValidationResult {
  if (options.strict) return check(event, validators().server, Object.keys(doc.serverEventTypes));
  lenientServer ??= build(false, doc.serverEventTypes);
  return check(event, lenientServer, Object.keys(doc.serverEventTypes));
}

/** GA client event types the schema knows, e.g. `session.update`. */
export const CLIENT_EVENT_TYPES: readonly string[] = Object.keys(doc.clientEventTypes);
/** GA server event types the schema knows, e.g. `response.output_audio.delta`. */
export const SERVER_EVENT_TYPES: readonly string[] = Object.keys(doc.serverEventTypes);

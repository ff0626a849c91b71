import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { packageRoot } from '../../src/util/package-root.js';

let validator: ValidateFunction | undefined;

/**
 * What NIST's OSCAL 1.1.3 complete JSON Schema (test/fixtures/oscal-schema) says is wrong with a
 * document: ajv 8 in draft-07 mode with ajv-formats, and ajv's default unicodeRegExp (the token
 * patterns use `\p{L}`). Empty when it is valid.
 */
export function oscalSchemaErrors(document: unknown): string[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const schema = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'oscal-schema', 'oscal_complete_schema-1-1-3.json'), 'utf8')) as object;
    validator = ajv.compile(schema);
  }
  return validator(document) ? [] : (validator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}

function walk(value: unknown, pointer: string, visit: (key: string, value: unknown, pointer: string) => void): void {
  if (Array.isArray(value)) value.forEach((v, i) => walk(v, `${pointer}/${i}`, visit));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      visit(key, v, `${pointer}/${key}`);
      walk(v, `${pointer}/${key}`, visit);
    }
  }
}

/**
 * The UUID references of a document, which the schema does not check: every `…-uuid` and `…-uuids`
 * field and every `#uuid` href, and those that no object's `uuid` in the document defines.
 */
export function uuidReferences(document: unknown): { references: number; unresolved: string[] } {
  const defined = new Set<string>();
  const references: { pointer: string; uuid: string }[] = [];
  walk(document, '', (key, value, pointer) => {
    if (key === 'uuid' && typeof value === 'string') defined.add(value);
    else if (key.endsWith('-uuid') && typeof value === 'string') references.push({ pointer, uuid: value });
    else if (key.endsWith('-uuids') && Array.isArray(value)) value.forEach((uuid, i) => references.push({ pointer: `${pointer}/${i}`, uuid: String(uuid) }));
    else if (key === 'href' && typeof value === 'string' && value.startsWith('#')) references.push({ pointer, uuid: value.slice(1) });
  });
  return { references: references.length, unresolved: references.filter((r) => !defined.has(r.uuid)).map((r) => `${r.pointer}: ${r.uuid}`) };
}

/** JSON pointers of the empty arrays in a document (OSCAL lists have at least one item). */
export function emptyArrays(document: unknown): string[] {
  const empty: string[] = [];
  if (Array.isArray(document) && !document.length) empty.push('/');
  walk(document, '', (_key, value, pointer) => {
    if (Array.isArray(value) && !value.length) empty.push(pointer);
  });
  return empty;
}

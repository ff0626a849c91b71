import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../util/package-root.js';
import { jsonSchemas, schemaText } from './json-schema.js';

const root = packageRoot();
const shipped = (name: string) => readFileSync(join(root, 'schemas', name), 'utf8');

/** A validator for a shipped schema, as an editor would use it (ajv 8, draft-07, with formats). */
function validator(name: string) {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats.default(ajv);
  const validate = ajv.compile(JSON.parse(shipped(name)) as object);
  return (data: unknown) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`));
}

describe('the JSON Schemas shipped in schemas/', () => {
  it('are exactly what the zod schemas give (run `npm run schemas` after changing one)', () => {
    const made = jsonSchemas();
    expect(readdirSync(join(root, 'schemas')).sort()).toEqual(Object.keys(made).sort());
    for (const [name, schema] of Object.entries(made)) expect(shipped(name), name).toBe(schemaText(schema));
  });

  it('are shipped in the package', () => {
    expect((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files: string[] }).files).toContain('schemas');
  });

  it('accept the demo configuration and refuse a wrong one, naming the field', () => {
    const validate = validator('legible.config.schema.json');
    expect(validate(parse(readFileSync(join(root, 'legible.config.yaml'), 'utf8')))).toEqual([]);
    expect(validate({ $schema: './schemas/legible.config.schema.json', crosswalk: 'firm.json', freshness: { checks: '2W', notes: 90 } })).toEqual([]);
    expect(validate({ organization: 'X', freshnes: { checks: '30d' } })).toEqual(['/ must NOT have additional properties']);
    expect(validate({ freshness: { checks: 'soon' } })).toContain('/freshness/checks must match pattern "^\\s*\\d+\\s*[dwmyDWMY]\\s*$"');
    expect(validate({ applicability: { 'A.7.11': { applicable: 'no' } } })).toEqual(
      expect.arrayContaining(['/applicability/A.7.11 must have required property \'justification\'', '/applicability/A.7.11/applicable must be boolean']),
    );
    expect(validate({ mappings: [{ match: { check: 'x' }, controls: [] }] })).toEqual(['/mappings/0/controls must NOT have fewer than 1 items']);
  });

  it('accept the front matter of every demo note, as an editor reads it, and refuse a wrong one', () => {
    const validate = validator('note-front-matter.schema.json');
    const notes = readdirSync(join(root, 'evidence', 'notes'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md'));
    expect(notes.length).toBeGreaterThan(10);
    for (const note of notes) {
      const text = readFileSync(join(root, 'evidence', 'notes', note), 'utf8');
      // The core YAML schema, as editors use: `9.2` is a number there, text to legible.
      expect(validate(parse(/^---\n([\s\S]*?)\n---/.exec(text)![1]!)), note).toEqual([]);
    }
    expect(validate({ title: 'Access review', author: 'Kari', date: '2026-10-02', controls: [9.2, 'A.5.18'] })).toEqual([]);
    expect(validate({ title: 'Access review', date: '2 October', controls: 'A.5.18', kind: 'audit' })).toEqual([
      "/ must have required property 'author'",
      '/date must match pattern "^\\d{4}-\\d{2}-\\d{2}$"',
      '/kind must be equal to one of the allowed values',
    ]);
  });

  it('accept the built-in crosswalk and refuse a row without its ISO controls', () => {
    const validate = validator('crosswalk.schema.json');
    expect(validate(JSON.parse(readFileSync(join(root, 'src', 'catalog', 'data', 'crosswalk-soc2-iso27001.json'), 'utf8')))).toEqual([]);
    expect(validate({ mappings: [{ soc2: 'CC6.1', iso: ['A.8.5'] }] })).toEqual(["/mappings/0 must have required property 'iso27001'", '/mappings/0 must NOT have additional properties']);
  });
});

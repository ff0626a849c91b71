/**
 * JSON Schemas for editors, made from the zod schemas legible validates with (one source of truth):
 * written to schemas/ by `npm run schemas`, shipped in the package, and compared with what this makes
 * by a test, so a stale one fails CI.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { frontMatterSchema } from '../parse/note.js';
import { crosswalkFileSchema } from './crosswalk.js';
import { userConfigSchema } from './schema.js';

type JsonSchema = Record<string, unknown>;

const draft07 = (schema: z.ZodType, override?: (schema: JsonSchema) => void): JsonSchema =>
  // io 'input': what a person writes, before defaults and transforms.
  z.toJSONSchema(schema, { io: 'input', target: 'draft-07', ...(override ? { override: (ctx) => override(ctx.jsonSchema as JsonSchema) } : {}) }) as JsonSchema;

/**
 * Front matter is read as text (YAML's failsafe schema), so `controls: [9.2]` or `title: 2026` are the
 * strings legible reads; an editor reads them as numbers, which must not be flagged.
 */
const scalarsAsText = (schema: JsonSchema) => {
  if (schema.type === 'string') schema.type = ['string', 'number', 'boolean'];
};

const titled = (title: string, description: string, { $schema, ...rest }: JsonSchema): JsonSchema => ({ $schema, title, description, ...rest });

/** Each schema by its file name in schemas/. */
export function jsonSchemas(): Record<string, JsonSchema> {
  return {
    'legible.config.schema.json': titled(
      'legible.config.yaml',
      'The configuration of a legible build: organization, scope, freshness, mapping rules, applicability, crosswalk.',
      draft07(userConfigSchema),
    ),
    'note-front-matter.schema.json': titled(
      'legible practitioner note front matter',
      'The YAML front matter of a practitioner note (Markdown): kind practice (default), policy (with an optional cadence) or exception (with an expiry date).',
      draft07(frontMatterSchema, scalarsAsText),
    ),
    'crosswalk.schema.json': titled(
      'legible SOC 2 ↔ ISO/IEC 27001 crosswalk',
      "A crosswalk replacing legible's built-in one when legible.config.yaml names it (crosswalk: file.json).",
      draft07(crosswalkFileSchema),
    ),
  };
}

/** A schema as it is written to its file. */
export const schemaText = (schema: JsonSchema): string => `${JSON.stringify(schema, null, 2)}\n`;

/** Write every schema into `dir` (`npm run schemas` writes schemas/). */
export function writeSchemas(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(jsonSchemas()).map(([name, schema]) => {
    writeFileSync(join(dir, name), schemaText(schema));
    return name;
  });
}

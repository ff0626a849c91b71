import { z } from 'zod';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** "30d", "12w", "3m" (30 days each), "1y" (365 days), or a number of days. */
export const duration = z.union([
  z.number().int().positive(),
  z.string().regex(/^\s*\d+\s*[dwmy]\s*$/i, 'expected a duration such as 30d, 12w, 3m or 1y'),
]);

export function durationDays(value: z.infer<typeof duration>): number {
  if (typeof value === 'number') return value;
  const m = /^\s*(\d+)\s*([dwmy])\s*$/i.exec(value);
  if (!m?.[1] || !m[2]) throw new Error(`not a duration: ${value}`);
  const unit = { d: 1, w: 7, m: 30, y: 365 }[m[2].toLowerCase() as 'd' | 'w' | 'm' | 'y'];
  return Number(m[1]) * unit;
}

const controlList = z.array(z.union([z.string(), z.number()]).transform(String)).min(1);

export const userConfigSchema = z
  .object({
    organization: z.string().min(1).default('Unnamed organization'),
    scope: z.string().min(1).default('Scope not stated in legible.config.yaml'),
    asOf: isoDate.optional(),
    freshness: z
      .object({ checks: duration.default('30d'), notes: duration.default('365d') })
      .strict()
      .default({ checks: '30d', notes: '365d' }),
    mappings: z
      .array(
        z
          .object({
            match: z
              .object({ format: z.string().min(1).optional(), check: z.string().min(1).default('*') })
              .strict(),
            controls: controlList,
            why: z.string().optional(),
          })
          .strict(),
      )
      .default([]),
    applicability: z
      .record(
        z.string(),
        z
          .object({
            applicable: z.boolean(),
            justification: z.string().trim().min(12, 'a justification of at least a sentence is required'),
          })
          .strict(),
      )
      .default({}),
    templates: z.string().min(1).optional(),
    limits: z
      .object({ maxFileBytes: z.number().int().positive().default(2 * 1024 ** 3) })
      .strict()
      .default({ maxFileBytes: 2 * 1024 ** 3 }),
  })
  .strict();

export type UserConfig = z.input<typeof userConfigSchema>;
export type ParsedUserConfig = z.output<typeof userConfigSchema>;

import { z } from 'zod';

export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date as YYYY-MM-DD', abort: true });

/** "30d", "12w", "3m" (30 days each), "1y" (365 days), or a number of days. */
export const duration = z.union([
  z.number().int().positive(),
  // Letters spelled out in both cases rather than with the `i` flag, which a JSON Schema pattern cannot carry.
  z.string().regex(/^\s*\d+\s*[dwmyDWMY]\s*$/, 'expected a duration such as 30d, 12w, 3m or 1y'),
]);

export function durationDays(value: z.infer<typeof duration>): number {
  if (typeof value === 'number') return value;
  const m = /^\s*(\d+)\s*([dwmy])\s*$/i.exec(value);
  if (!m?.[1] || !m[2]) throw new Error(`not a duration: ${value}`);
  const unit = { d: 1, w: 7, m: 30, y: 365 }[m[2].toLowerCase() as 'd' | 'w' | 'm' | 'y'];
  return Number(m[1]) * unit;
}

/** The remediation deadlines when the config sets none: CISA BOD 19-02 for critical and high, FedRAMP continuous monitoring for medium and low. */
export const remediationDefaults = { critical: '15d', high: '30d', medium: '90d', low: '180d' } as const;

const percent = z.number().min(0).max(100);

/** The board report's metrics that may have a target, each with what it measures and which way is better. */
const boardTargets = z
  .object({
    annexAEffective: percent.optional().describe('ISO/IEC 27001 Annex A controls shown effective, in percent of those applicable: at least this'),
    soc2Effective: percent.optional().describe('SOC 2 criteria shown effective, in percent of those applicable: at least this'),
    seriousFindingsOpen: z.number().int().min(0).optional().describe('Critical and high findings failing: at most this many'),
    remediationWithinSla: percent.optional().describe('Findings fixed within their remediation deadline, in percent of those that came due: at least this'),
    backupEvidenceDays: z.number().int().min(0).optional().describe('Days from the newest evidence of tested backups (ISO/IEC 27001 A.8.13) to the as-of date: at most this'),
  })
  .strict();

const controlList = z.array(z.union([z.string(), z.number()]).transform(String)).min(1);

/** legible.config.yaml. The descriptions are what an editor shows (schemas/legible.config.schema.json is made from this). */
export const userConfigSchema = z
  .object({
    $schema: z.string().optional().describe('The JSON Schema editors validate this file with; legible ignores it'),
    organization: z.string().min(1).default('Unnamed organization').describe('The organization the packs are about, as on their covers'),
    scope: z.string().min(1).default('Scope not stated in legible.config.yaml').describe('What the evaluation covers: services, locations, people'),
    asOf: isoDate.optional().describe('The date the evaluation is made for (YYYY-MM-DD); --as-of overrides it; default: today'),
    freshness: z
      .object({
        checks: duration.default('30d').describe('How recent a passing check must be to count as fresh: 30d, 12w, 3m (30 days each), 1y, or days'),
        notes: duration.default('365d').describe('How recent a practice note must be to count as fresh'),
      })
      .strict()
      .default({ checks: '30d', notes: '365d' })
      .describe('How old evidence may be and still show a control operating'),
    mappings: z
      .array(
        z
          .object({
            match: z
              .object({
                format: z.string().min(1).optional().describe('The format of the input: native, sarif, junit, prowler-ocsf, …'),
                check: z.string().min(1).default('*').describe('A glob on the check id, e.g. "backup.*"'),
              })
              .strict(),
            controls: controlList.describe('Control ids: ISO/IEC 27001:2022 (A.8.13, 9.2) or SOC 2 (CC7.2, A1.2)'),
            why: z.string().optional().describe('Why these checks evidence these controls; shown where the mapping is cited'),
          })
          .strict(),
      )
      .default([])
      .describe('Rules adding controls to check results'),
    applicability: z
      .record(
        z.string(),
        z
          .object({
            applicable: z.boolean(),
            justification: z.string().trim().min(12, 'a justification of at least a sentence is required').describe('Why the control is excluded (or included)'),
          })
          .strict(),
      )
      .default({})
      .describe('Controls excluded from the evaluation, keyed by control id, each with its justification'),
    templates: z.string().min(1).optional().describe('A folder of Handlebars templates replacing the built-in ones, relative to this file'),
    crosswalk: z
      .string()
      .min(1)
      .optional()
      .describe("A SOC 2 ↔ ISO/IEC 27001 crosswalk file replacing legible's built-in one, relative to this file (see schemas/crosswalk.schema.json)"),
    period: z
      .object({
        from: isoDate.describe('The first day of the period (YYYY-MM-DD)'),
        to: isoDate.describe('The last day of the period (YYYY-MM-DD)'),
      })
      .strict()
      .optional()
      .describe('The audit period (SOC 2 Type 2, ISO surveillance) over which operation is judged; --period overrides it'),
    remediation: z
      .object({
        critical: duration.default(remediationDefaults.critical).describe('Days to fix a critical finding (default 15d, after CISA BOD 19-02)'),
        high: duration.default(remediationDefaults.high).describe('Days to fix a high finding (default 30d, after CISA BOD 19-02)'),
        medium: duration.default(remediationDefaults.medium).describe('Days to fix a medium finding (default 90d, after FedRAMP continuous monitoring)'),
        low: duration.default(remediationDefaults.low).describe('Days to fix a low finding (default 180d, after FedRAMP continuous monitoring)'),
      })
      .strict()
      .default({ ...remediationDefaults })
      .describe('How fast findings must be fixed, by severity (the remediation SLA)'),
    targets: z
      .array(
        z
          .object({
            match: z.string().min(1).describe('A glob on the path inside the evidence folder, e.g. "scans/api/*.json"'),
            target: z.string().min(1).describe('What those files scan, e.g. "checkout-api image"'),
          })
          .strict(),
      )
      .default([])
      .describe('What files scan when the tool does not record it: each such file is a snapshot of its target, and a newer snapshot of it resolves findings it no longer reports'),
    board: z
      .object({
        targets: boardTargets.default({}).describe('Targets for the board report\'s metrics; a metric without one is shown with "no target set"'),
      })
      .strict()
      .default({ targets: {} })
      .describe('The board report'),
    lake: z
      .array(
        z
          .object({
            path: z.string().min(1).describe('The lake\'s folder, relative to this file: Hive partitions region=…/accountId=…/eventDay=YYYYMMDD/ (either case of the keys) or any Parquet files'),
            format: z
              .enum(['ocsf-parquet', 'native-parquet'])
              .default('ocsf-parquet')
              .describe('ocsf-parquet: OCSF 1.1 findings (or 1.0 Security Findings) as Amazon Security Lake keeps them; native-parquet: legible\'s native columns, e.g. a reduction run in Athena'),
          })
          .strict(),
      )
      .default([])
      .describe('Security lakes outside the evidence folder to read (one inside it is recognised by its layout); only the partitions the period needs are read'),
    limits: z
      .object({ maxFileBytes: z.number().int().positive().default(2 * 1024 ** 3).describe('Larger evidence files are rejected, not read') })
      .strict()
      .default({ maxFileBytes: 2 * 1024 ** 3 }),
  })
  .strict();

export type UserConfig = z.input<typeof userConfigSchema>;
export type ParsedUserConfig = z.output<typeof userConfigSchema>;
/** Targets for the board report's metrics, by metric. */
export type BoardTargets = z.output<typeof boardTargets>;

import { z } from 'zod';
import type { ControlStatus, Evaluation } from '../model/evaluation.js';

const severityCounts = <T extends z.ZodType>(count: T) => z.object({ critical: count, high: count, medium: count, low: count });

/** What a board compares: the previous build's manifest, read back and checked (what older manifests lack is optional). */
export const previousManifestSchema = z.object({
  asOf: z.string(),
  controls: z.array(
    z.object({
      framework: z.string(),
      id: z.string(),
      title: z.string().optional(),
      status: z.enum(['effective', 'deficient', 'stale', 'no-evidence', 'not-applicable']),
      latestEvidence: z.string().nullable().optional(),
      failing: z.array(z.object({ check: z.string(), resource: z.string().nullable().optional() })).optional(),
    }),
  ),
  findings: z.object({ failingBySeverity: severityCounts(z.number()) }).optional(),
  remediation: z.object({ bySeverity: severityCounts(z.object({ withinSla: z.number(), breached: z.number() })) }).optional(),
});
export type PreviousManifest = z.infer<typeof previousManifestSchema>;

/** Better is higher. A known failure ranks below no evidence: the board should see it as a regression. */
const rank: Record<Exclude<ControlStatus, 'not-applicable'>, number> = { effective: 3, stale: 2, 'no-evidence': 1, deficient: 0 };

export interface StatusChange {
  framework: string;
  id: string;
  title: string;
  from: ControlStatus;
  to: ControlStatus;
}

export interface Comparison {
  previousAsOf: string;
  improved: StatusChange[];
  regressed: StatusChange[];
  /** Controls whose scope changed (excluded or brought back). */
  scope: StatusChange[];
  unchanged: number;
  /** Failing check and resource pairs named now that the previous build did not name. */
  newFailing: { framework: string; id: string; check: string; resource?: string }[];
}

/** Compare this evaluation with a previous build's manifest. Pure. */
export function compareWithPrevious(evaluation: Evaluation, previous: PreviousManifest): Comparison {
  const before = new Map(previous.controls.map((c) => [`${c.framework}:${c.id}`, c]));
  const result: Comparison = { previousAsOf: previous.asOf, improved: [], regressed: [], scope: [], unchanged: 0, newFailing: [] };
  for (const c of evaluation.controls) {
    const old = before.get(`${c.framework}:${c.id}`);
    if (!old) continue;
    const change = { framework: c.framework, id: c.id, title: c.title, from: old.status, to: c.status };
    if (old.status === c.status) result.unchanged++;
    else if (old.status === 'not-applicable' || c.status === 'not-applicable') result.scope.push(change);
    else if (rank[c.status] > rank[old.status]) result.improved.push(change);
    else if (rank[c.status] < rank[old.status]) result.regressed.push(change);
    else result.unchanged++;
    const known = new Set((old.failing ?? []).map((f) => `${f.check}\u0000${f.resource ?? ''}`));
    for (const f of c.checks.failing) {
      if (!known.has(`${f.check}\u0000${f.resource ?? ''}`)) {
        result.newFailing.push({ framework: c.framework, id: c.id, check: f.check, ...(f.resource ? { resource: f.resource } : {}) });
      }
    }
  }
  return result;
}

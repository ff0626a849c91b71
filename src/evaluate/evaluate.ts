import type { Catalog, CatalogControl } from '../catalog/catalog.js';
import type { Exclusion } from '../config/load.js';
import type { CheckLatest, Cited, ControlEvaluation, ControlStatus, Evaluation } from '../model/evaluation.js';
import type { CheckRecord, CheckStatus, ControlMapping, EvidenceRecord, NoteRecord } from '../model/types.js';
import { ageInDays, dayOf } from './dates.js';

export interface EvaluateInput {
  records: EvidenceRecord[];
  catalog: Catalog;
  asOf: string;
  freshness: { checksDays: number; notesDays: number };
  /** Keyed `framework:id`. */
  exclusions: Map<string, Exclusion>;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const recordDate = (r: EvidenceRecord): string | undefined => (r.type === 'note' ? r.date : r.observedAt);

/** Evidence dated after the as-of date did not exist then: it is set aside, not evaluated. */
export function splitFutureDated(records: EvidenceRecord[], asOf: string) {
  const current: EvidenceRecord[] = [];
  const future: EvidenceRecord[] = [];
  for (const r of records) {
    const date = recordDate(r);
    (date !== undefined && ageInDays(asOf, date) < 0 ? future : current).push(r);
  }
  return { current, future };
}

export function isFresh(record: EvidenceRecord, asOf: string, freshness: EvaluateInput['freshness']): boolean {
  const date = recordDate(record);
  if (date === undefined) return false;
  const age = ageInDays(asOf, date);
  return age >= 0 && age <= (record.type === 'note' ? freshness.notesDays : freshness.checksDays);
}

/** Keep, per check and resource, only the newest observation; undated ones rank oldest. */
export function latestObservations(cited: Cited<CheckRecord>[]): CheckLatest[] {
  const groups = new Map<string, Cited<CheckRecord>[]>();
  for (const c of cited) {
    const key = `${c.record.check}\u0000${c.record.resource ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const latest: CheckLatest[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => (b.record.observedAt ?? '').localeCompare(a.record.observedAt ?? '') || a.record.file.localeCompare(b.record.file));
    const newest = group[0]!;
    const r = newest.record;
    latest.push({
      check: r.check,
      status: r.status,
      file: r.file,
      fresh: newest.fresh,
      mappings: newest.mappings,
      earlier: group.length - 1,
      ...(r.title ? { title: r.title } : {}),
      ...(r.resource ? { resource: r.resource } : {}),
      ...(r.observedAt ? { observedAt: r.observedAt } : {}),
      ...(r.severity ? { severity: r.severity } : {}),
      ...(r.message ? { message: r.message } : {}),
    });
  }
  return latest.sort((a, b) => a.check.localeCompare(b.check) || (a.resource ?? '').localeCompare(b.resource ?? ''));
}

interface Gathered {
  policies: Cited<NoteRecord>[];
  practices: Cited<NoteRecord>[];
  exceptions: Cited<NoteRecord>[];
  checks: Cited<CheckRecord>[];
}

/** Index records by the controls they map to, in one pass. */
function gatherByControl(input: EvaluateInput): Map<string, Gathered> {
  const byControl = new Map<string, Gathered>();
  for (const record of input.records) {
    const mappingsByControl = new Map<string, ControlMapping[]>();
    for (const m of record.controls) {
      const key = `${m.framework}:${m.id}`;
      mappingsByControl.set(key, [...(mappingsByControl.get(key) ?? []), m]);
    }
    const fresh = isFresh(record, input.asOf, input.freshness);
    for (const [key, mappings] of mappingsByControl) {
      const g = byControl.get(key) ?? { policies: [], practices: [], exceptions: [], checks: [] };
      if (record.type === 'check') g.checks.push({ record, mappings, fresh });
      else if (record.kind === 'policy') g.policies.push({ record, mappings, fresh });
      else if (record.kind === 'exception') g.exceptions.push({ record, mappings, fresh });
      else g.practices.push({ record, mappings, fresh });
      byControl.set(key, g);
    }
  }
  return byControl;
}

/** Evaluate every control of every framework from the evidence alone. Pure: time comes in as `asOf`. */
export function evaluate(input: EvaluateInput): Evaluation {
  const byControl = gatherByControl(input);
  const empty: Gathered = { policies: [], practices: [], exceptions: [], checks: [] };
  const controls = input.catalog.frameworks.flatMap((framework) =>
    framework.controls.map((control) =>
      evaluateControl(control, byControl.get(`${control.framework}:${control.id}`) ?? empty, input),
    ),
  );
  return { asOf: input.asOf, controls };
}

/** The longest stretch between consecutive dates (sorted ascending). */
export function widestGap(dates: string[]): { days: number; from: string; to: string } | undefined {
  let widest: { days: number; from: string; to: string } | undefined;
  for (let i = 1; i < dates.length; i++) {
    const from = dates[i - 1]!;
    const to = dates[i]!;
    const days = ageInDays(to, from);
    if (!widest || days > widest.days) widest = { days, from, to };
  }
  return widest;
}

const byDateDesc = <T extends EvidenceRecord>(a: Cited<T>, b: Cited<T>) =>
  (recordDate(b.record) ?? '').localeCompare(recordDate(a.record) ?? '') || a.record.file.localeCompare(b.record.file);

export function evaluateControl(control: CatalogControl, gathered: Gathered, input: EvaluateInput): ControlEvaluation {
  const { asOf, freshness } = input;
  const policies = [...gathered.policies].sort(byDateDesc);
  const practices = [...gathered.practices].sort(byDateDesc);
  const exceptions = [...gathered.exceptions].sort(byDateDesc);
  const latest = latestObservations(gathered.checks);
  const counts: Record<CheckStatus, number> = { pass: 0, fail: 0, error: 0, skip: 0, manual: 0 };
  for (const c of latest) counts[c.status]++;

  // Evidence of operation (work as done): practice notes and checks that ran to a verdict.
  const ran = latest.filter((c) => c.status === 'pass' || c.status === 'fail');
  const operationDates = [...practices.map((p) => p.record.date), ...ran.flatMap((c) => (c.observedAt ? [dayOf(c.observedAt)] : []))].sort();
  const latestEvidence = operationDates.at(-1);
  const freshPractices = practices.filter((p) => p.fresh);
  const freshPasses = latest.filter((c) => c.status === 'pass' && c.fresh);

  const deficiencies: string[] = [];
  const failing = latest.filter((c) => c.status === 'fail');
  if (failing.length) {
    const named = failing.slice(0, 5).map((c) => `${c.check}${c.resource ? ` on ${c.resource}` : ''}${c.observedAt ? ` (${dayOf(c.observedAt)})` : ''}`);
    deficiencies.push(
      `${plural(failing.length, 'automated check')} of ${latest.length} ${failing.length === 1 ? 'fails' : 'fail'} in ${failing.length === 1 ? 'its' : 'their'} latest observation: ${named.join('; ')}${failing.length > 5 ? `; and ${failing.length - 5} more` : ''}.`,
    );
  }
  for (const policy of policies) {
    const cadence = policy.record.cadenceDays;
    // A cadence binds the activity its policy names, not every control the crosswalk pairs it with.
    if (cadence === undefined || policy.mappings.every((m) => m.source === 'crosswalk')) continue;
    if (latestEvidence === undefined) {
      deficiencies.push(`Policy "${policy.record.title}" requires this at least every ${cadence} days, but no practice note or check shows it was ever done.`);
    } else if (ageInDays(asOf, latestEvidence) > cadence) {
      deficiencies.push(
        `Policy "${policy.record.title}" requires this at least every ${cadence} days; the newest practice or check evidence is from ${latestEvidence}, ${ageInDays(asOf, latestEvidence)} days before ${asOf}.`,
      );
    }
  }
  for (const exception of exceptions) {
    const expires = exception.record.expires;
    if (expires !== undefined && ageInDays(asOf, expires) > 0) {
      deficiencies.push(`Exception "${exception.record.title}" expired on ${expires}: the accepted risk has lapsed and needs remediation or a renewed decision.`);
    }
  }

  const context: string[] = [];
  for (const policy of policies) {
    const cadence = policy.record.cadenceDays;
    if (cadence === undefined || policy.mappings.every((m) => m.source === 'crosswalk')) continue;
    const gap = widestGap(operationDates.filter((d) => ageInDays(asOf, d) <= freshness.notesDays));
    if (gap && gap.days > cadence) {
      context.push(
        `Policy and practice diverge: "${policy.record.title}" requires this every ${cadence} days, but the recorded activity has a gap of ${gap.days} days (${gap.from} to ${gap.to}).`,
      );
    }
  }
  for (const exception of exceptions) {
    const expires = exception.record.expires;
    if (expires !== undefined && ageInDays(asOf, expires) <= 0) {
      context.push(`Accepted risk "${exception.record.title}" (${exception.record.author}) applies until ${expires}; an exception is a decision, not evidence that the control operates.`);
    }
  }
  const inconclusive = counts.error + counts.skip + counts.manual;
  if (inconclusive) {
    const parts = (['error', 'skip', 'manual'] as const).filter((s) => counts[s]).map((s) => `${counts[s]} ${{ error: 'errored', skip: 'skipped', manual: 'manual' }[s]}`);
    context.push(`${plural(inconclusive, 'check result')} (${parts.join(', ')}) ${inconclusive === 1 ? 'is' : 'are'} not evidence of operation and ${inconclusive === 1 ? 'was' : 'were'} not counted.`);
  }
  const undated = latest.filter((c) => !c.observedAt && (c.status === 'pass' || c.status === 'fail')).length;
  if (undated) context.push(`${plural(undated, 'check result')} carry no observation date and cannot show the control operates now.`);
  const crosswalked = [...practices, ...policies, ...exceptions].some((c) => c.mappings.every((m) => m.source === 'crosswalk')) ||
    latest.some((c) => c.mappings.every((m) => m.source === 'crosswalk'));
  if (crosswalked) context.push('Some evidence counts here through the SOC 2 ↔ ISO/IEC 27001 crosswalk; it is marked where cited.');

  const exclusion = input.exclusions.get(`${control.framework}:${control.id}`);
  let status: ControlStatus;
  const reasons: string[] = [];
  if (exclusion) {
    status = 'not-applicable';
    reasons.push(`Excluded from scope: ${exclusion.justification}`);
    if (deficiencies.length) reasons.push(`Evidence still mapped here shows problems: ${deficiencies.join(' ')}`);
  } else if (deficiencies.length) {
    status = 'deficient';
    reasons.push(...deficiencies);
  } else if (freshPractices.length || freshPasses.length) {
    status = 'effective';
    const parts = [
      freshPractices.length ? plural(freshPractices.length, 'practice note') : '',
      freshPasses.length ? `${plural(freshPasses.length, 'passing check')}` : '',
    ].filter(Boolean);
    reasons.push(`Fresh evidence of operation: ${parts.join(' and ')}, newest from ${latestEvidence}; no failing check, missed cadence or expired exception.`);
  } else if (latestEvidence !== undefined) {
    status = 'stale';
    reasons.push(
      `Evidence of operation exists but none is fresh: the newest is from ${latestEvidence}, ${ageInDays(asOf, latestEvidence)} days before ${asOf} (windows: checks ${freshness.checksDays} days, notes ${freshness.notesDays} days).`,
    );
  } else {
    status = 'no-evidence';
    if (policies.length) {
      reasons.push(`Only policy (work as imagined): ${plural(policies.length, 'policy note')} ${policies.length === 1 ? 'says' : 'say'} what should happen, but no practice note or automated check shows it happening.`);
    } else if (exceptions.length) {
      reasons.push('Only an accepted exception is on record; no practice note or automated check shows the control operating.');
    } else if (inconclusive) {
      reasons.push('Only skipped, errored or manual check results map here; none shows the control operating.');
    } else {
      reasons.push('No evidence maps to this control: no practice note, policy, exception or automated check.');
    }
  }
  reasons.push(...context);

  const evidence = [...new Set([...policies, ...practices, ...exceptions].map((c) => c.record.file).concat(gathered.checks.map((c) => c.record.file)))].sort();
  return {
    framework: control.framework,
    id: control.id,
    title: control.title,
    group: control.group,
    status,
    reasons,
    applicable: !exclusion,
    ...(exclusion ? { justification: exclusion.justification } : {}),
    policies,
    practices,
    exceptions,
    checks: { latest, counts },
    evidence,
    ...(latestEvidence ? { latestEvidence } : {}),
    freshness: latestEvidence === undefined ? 'none' : freshPractices.length || latest.some((c) => c.fresh && (c.status === 'pass' || c.status === 'fail')) ? 'current' : 'stale',
  };
}

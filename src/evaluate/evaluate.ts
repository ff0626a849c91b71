import type { Catalog, CatalogControl } from '../catalog/catalog.js';
import type { Exclusion } from '../config/load.js';
import type { CheckLatest, ChecksSummary, Cited, ControlEvaluation, ControlPeriod, ControlStatus, Evaluation, FindingsSummary, Observation, PassGroup, Remediation, ResolvedFinding } from '../model/evaluation.js';
import type { ControlMapping, EvidenceRecord, NoteRecord } from '../model/types.js';
import { addDays, ageInDays, dayOf } from './dates.js';
import { resolutionOf, SnapshotIndex } from './findings.js';

/** What every control is evaluated with, besides the observations the store streams. */
export interface EvaluationContext {
  /** Practitioner notes (few), kept whole. */
  notes: NoteRecord[];
  catalog: Catalog;
  asOf: string;
  freshness: { checksDays: number; notesDays: number };
  /** Keyed `framework:id`. */
  exclusions: Map<string, Exclusion>;
  /** The snapshots that may resolve a finding whose newest observation fails; none: nothing is resolved so. */
  snapshots?: SnapshotIndex;
}

/** What the findings' histories say, per control and overall (see history.ts). */
export interface HistoryVerdicts {
  /** Operation over the period, keyed `framework:id`; none without a period. */
  periods?: Map<string, ControlPeriod>;
  /** Expired exceptions whose condition the evidence shows fixed, keyed `framework:id`, then by the exception's file: the day it was. */
  fixedExceptions: Map<string, Map<string, string>>;
  remediation: Remediation;
  /** The same per control, keyed `framework:id`: only controls that failing findings in the window map to. */
  remediationByControl?: Map<string, Remediation>;
  /** The days each control's checks ran to a verdict over the whole history, keyed `framework:id`, oldest first; none when not asked for. */
  checkDays?: Map<string, string[]>;
}

/** How many failing or inconclusive observations a control keeps as named examples. */
export const EXAMPLES = 25;
/** How many resolved findings a control names. */
const RESOLVED_EXAMPLES = 10;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const recordDate = (r: EvidenceRecord): string | undefined => (r.type === 'note' ? r.date : r.observedAt);

/** Evidence dated after the as-of date did not exist then: it is set aside, not evaluated. */
export function isFutureDated(record: EvidenceRecord, asOf: string): boolean {
  const date = recordDate(record);
  return date !== undefined && dayOf(date) > asOf;
}

function isFreshDate(date: string | undefined, windowDays: number, asOf: string): boolean {
  if (date === undefined) return false;
  const age = ageInDays(asOf, date);
  return age >= 0 && age <= windowDays;
}

const severityRank = { critical: 0, high: 1, medium: 2, low: 3, info: 4 } as const;
type Ranked = Pick<CheckLatest, 'severity' | 'check' | 'resource'>;
/** Worst first: by severity, then check and resource, so examples are the same on every run. */
const worstFirst = (a: Ranked, b: Ranked) =>
  (severityRank[a.severity ?? 'info'] ?? 5) - (severityRank[b.severity ?? 'info'] ?? 5) ||
  a.check.localeCompare(b.check) ||
  (a.resource ?? '').localeCompare(b.resource ?? '');

/**
 * Insert into a list kept sorted and at most `limit` long. The example is built only when it is kept:
 * most observations of a large estate never are.
 */
function keepWorst<T extends Ranked>(list: T[], item: Ranked, build: () => T, limit = EXAMPLES): void {
  if (list.length >= limit && worstFirst(item, list[list.length - 1]!) >= 0) return;
  let at = list.length;
  while (at > 0 && worstFirst(item, list[at - 1]!) < 0) at--;
  list.splice(at, 0, build());
  if (list.length > limit) list.pop();
}

interface ChecksAccumulator {
  summary: ChecksSummary;
  /** Per check: resources passing, and of those passing within the freshness window. */
  passing: Map<string, { resources: number; fresh: number }>;
  freshPasses: number;
  /** Days on which checks ran to a verdict (pass or fail): bounded by the calendar, not by findings. */
  ranDays: Set<string>;
  undatedRan: number;
  crosswalkOnly: boolean;
  /** File → distinct mappings (by source and rule) of its observations onto this control. */
  files: Map<string, { mappings: Map<string, ControlMapping>; sets: Set<ControlMapping[]>; newest?: string }>;
}

interface Gathered {
  policies: Cited<NoteRecord>[];
  practices: Cited<NoteRecord>[];
  exceptions: Cited<NoteRecord>[];
  checks: ChecksAccumulator;
}

const emptyGathered = (): Gathered => ({
  policies: [],
  practices: [],
  exceptions: [],
  checks: {
    summary: { counts: { pass: 0, fail: 0, error: 0, skip: 0, manual: 0 }, total: 0, failing: [], inconclusive: [], passing: [], files: [], resolved: { count: 0, examples: [] } },
    passing: new Map(),
    freshPasses: 0,
    ranDays: new Set(),
    undatedRan: 0,
    crosswalkOnly: false,
    files: new Map(),
  },
});

const sourceRank: Record<ControlMapping['source'], number> = { explicit: 0, tool: 1, 'config-rule': 2, 'default-rule': 3, crosswalk: 4 };
/** Named in the evidence first, the crosswalk last: the same order whatever order the findings came in. */
const bySource = (a: ControlMapping, b: ControlMapping) => sourceRank[a.source] - sourceRank[b.source] || (a.via ?? '').localeCompare(b.via ?? '');

function mappingsByControl(controls: ControlMapping[]): Map<string, ControlMapping[]> {
  const byControl = new Map<string, ControlMapping[]>();
  for (const m of controls) {
    const key = `${m.framework}:${m.id}`;
    byControl.set(key, [...(byControl.get(key) ?? []), m]);
  }
  return byControl;
}

/** Per-control aggregates and the findings summary, folded from notes and observations. */
export interface GatheredEvidence {
  byControl: Map<string, Gathered>;
  findings: FindingsSummary;
}

/**
 * Folds notes and observations into per-control aggregates and a global findings summary, one
 * observation at a time: the store streams them, and nothing holds them all.
 */
export function gatherer(input: EvaluationContext): { add(o: Observation): void; addPasses(group: PassGroup): void; finish(): GatheredEvidence } {
  const findings: FindingsSummary = {
    total: 0,
    counts: { pass: 0, fail: 0, error: 0, skip: 0, manual: 0 },
    failingBySeverity: { critical: 0, high: 0, medium: 0, low: 0, info: 0, unrated: 0 },
    worstFailing: [],
    resolved: 0,
  };
  const byControl = new Map<string, Gathered>();
  const gathered = (key: string) => {
    let g = byControl.get(key);
    if (!g) byControl.set(key, (g = emptyGathered()));
    return g;
  };
  for (const note of input.notes) {
    const fresh = isFreshDate(note.date, input.freshness.notesDays, input.asOf);
    for (const [key, mappings] of mappingsByControl(note.controls)) {
      const g = gathered(key);
      const list = note.kind === 'policy' ? g.policies : note.kind === 'exception' ? g.exceptions : g.practices;
      list.push({ record: note, mappings, fresh });
    }
  }
  // Control sets are shared between observations (the mapper interns them): group each set once.
  const groupsOf = new Map<ControlMapping[], { acc: ChecksAccumulator; mappings: ControlMapping[]; crosswalkOnly: boolean }[]>();
  const groups = (controls: ControlMapping[]) => {
    let found = groupsOf.get(controls);
    if (!found) {
      found = [...mappingsByControl(controls)].map(([key, mappings]) => ({ acc: gathered(key).checks, mappings, crosswalkOnly: mappings.every((m) => m.source === 'crosswalk') }));
      groupsOf.set(controls, found);
    }
    return found;
  };
  const freshFrom = addDays(input.asOf, -input.freshness.checksDays);
  const snapshots = input.snapshots ?? new SnapshotIndex([]);
  const citeFile = (acc: ChecksAccumulator, file: string, observedAt: string | undefined, mappings: ControlMapping[]) => {
    let fromFile = acc.files.get(file);
    if (!fromFile) acc.files.set(file, (fromFile = { mappings: new Map(), sets: new Set() }));
    if (!fromFile.sets.has(mappings)) {
      fromFile.sets.add(mappings);
      for (const m of mappings) fromFile.mappings.set(`${m.source}\u0000${m.via ?? ''}`, m);
    }
    if (observedAt && (!fromFile.newest || observedAt > fromFile.newest)) fromFile.newest = observedAt;
  };
  const addPasses = (g: PassGroup) => {
    const fresh = g.day !== undefined && g.day >= freshFrom && g.day <= input.asOf ? g.count : 0;
    findings.total += g.count;
    findings.counts.pass += g.count;
    for (const { acc, mappings, crosswalkOnly } of groups(g.controls)) {
      acc.summary.counts.pass += g.count;
      acc.summary.total += g.count;
      citeFile(acc, g.file, g.newest, mappings);
      if (crosswalkOnly) acc.crosswalkOnly = true;
      let counted = acc.passing.get(g.check);
      if (!counted) acc.passing.set(g.check, (counted = { resources: 0, fresh: 0 }));
      counted.resources += g.count;
      counted.fresh += fresh;
      acc.freshPasses += fresh;
      if (g.day) acc.ranDays.add(g.day);
      else acc.undatedRan += g.count;
    }
  };
  const add = (o: Observation) => {
    const day = o.observedAt ? dayOf(o.observedAt) : undefined;
    if (o.status === 'pass' && !o.closed) return addPasses({ check: o.check, controls: o.controls, file: o.file, ...(day ? { day, newest: o.observedAt! } : {}), count: 1 });
    const fresh = day !== undefined && day >= freshFrom && day <= input.asOf;
    const resolution = resolutionOf(o, snapshots);
    if (resolution) {
      // Failed when last seen, resolved since: not a failure now, and not evidence that anything passes.
      findings.resolved++;
      const resolved = (mappings: ControlMapping[]): ResolvedFinding => ({
        ...toLatest(o, fresh, mappings),
        by: resolution.by === 'closed' ? 'closed' : 'absent',
        on: Number.isNaN(resolution.at) ? (day ?? input.asOf) : dayOf(new Date(resolution.at).toISOString()),
        shownBy: resolution.file,
      });
      for (const { acc, mappings } of groups(o.controls)) {
        citeFile(acc, o.file, o.observedAt, mappings);
        acc.summary.resolved.count++;
        keepWorst(acc.summary.resolved.examples, o, () => resolved(mappings), RESOLVED_EXAMPLES);
      }
      return;
    }
    findings.total++;
    findings.counts[o.status]++;
    if (o.status === 'fail') {
      findings.failingBySeverity[o.severity ?? 'unrated']++;
      keepWorst(findings.worstFailing, o, () => toLatest(o, fresh, o.controls));
    }
    for (const { acc, mappings, crosswalkOnly } of groups(o.controls)) {
      const summary = acc.summary;
      summary.counts[o.status]++;
      summary.total++;
      citeFile(acc, o.file, o.observedAt, mappings);
      if (crosswalkOnly) acc.crosswalkOnly = true;
      if (o.status === 'fail') keepWorst(summary.failing, o, () => toLatest(o, fresh, mappings));
      else keepWorst(summary.inconclusive, o, () => toLatest(o, fresh, mappings));
      if (o.status === 'fail') {
        if (day) acc.ranDays.add(day);
        else acc.undatedRan++;
      }
    }
  };
  const finish = (): GatheredEvidence => {
    for (const g of byControl.values()) {
      const { summary, passing, files } = g.checks;
      summary.passing = [...passing].sort((a, b) => a[0].localeCompare(b[0])).map(([check, counted]) => ({ check, ...counted }));
      summary.files = [...files]
        .sort((a, b) => a[0].localeCompare(b[0]))
        .map(([file, f]) => ({ file, mappings: [...f.mappings.values()].sort(bySource), ...(f.newest ? { newest: f.newest } : {}) }));
    }
    return { byControl, findings };
  };
  return { add, addPasses, finish };
}

function toLatest(o: Observation, fresh: boolean, mappings: ControlMapping[]): CheckLatest {
  return {
    check: o.check,
    status: o.status,
    file: o.file,
    fresh,
    mappings,
    earlier: o.earlier,
    ...(o.title ? { title: o.title } : {}),
    ...(o.resource ? { resource: o.resource } : {}),
    ...(o.observedAt ? { observedAt: o.observedAt } : {}),
    ...(o.severity ? { severity: o.severity } : {}),
    ...(o.message ? { message: o.message } : {}),
    ...(o.tool ? { tool: o.tool } : {}),
    ...(o.category ? { category: o.category } : {}),
    ...(o.tags?.length ? { tags: o.tags } : {}),
  };
}

/**
 * Every control of every framework, from the evidence gathered and what the findings' histories say.
 * Pure: time comes in as `asOf`.
 */
export function evaluateGathered({ byControl, findings }: GatheredEvidence, input: EvaluationContext, verdicts: HistoryVerdicts): Evaluation {
  const controls = input.catalog.frameworks.flatMap((framework) =>
    framework.controls.map((control) =>
      evaluateControl(control, byControl.get(`${control.framework}:${control.id}`) ?? emptyGathered(), input, verdicts),
    ),
  );
  const window = verdicts.remediation.window;
  const period = verdicts.periods && window.from !== undefined ? { from: window.from, to: window.to } : undefined;
  return { asOf: input.asOf, ...(period ? { period } : {}), controls, findings, remediation: verdicts.remediation };
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

export function evaluateControl(control: CatalogControl, gathered: Gathered, input: EvaluationContext, verdicts: HistoryVerdicts): ControlEvaluation {
  const { asOf, freshness } = input;
  const key = `${control.framework}:${control.id}`;
  const fixedExceptions = verdicts.fixedExceptions.get(key);
  const policies = [...gathered.policies].sort(byDateDesc);
  const practices = [...gathered.practices].sort(byDateDesc);
  const exceptions = [...gathered.exceptions].sort(byDateDesc);
  const checks = gathered.checks;
  const counts = checks.summary.counts;

  // Evidence of operation (work as done): practice notes and checks that ran to a verdict.
  const operationDates = [...new Set([...practices.map((p) => p.record.date), ...checks.ranDays])].sort();
  const latestEvidence = operationDates.at(-1);
  const freshPractices = practices.filter((p) => p.fresh);

  const deficiencies: string[] = [];
  if (counts.fail) {
    const named = checks.summary.failing.slice(0, 5).map((c) => `${c.check}${c.resource ? ` on ${c.resource}` : ''}${c.observedAt ? ` (${dayOf(c.observedAt)})` : ''}`);
    deficiencies.push(
      `${plural(counts.fail, 'automated check')} of ${checks.summary.total} ${counts.fail === 1 ? 'fails' : 'fail'} in ${counts.fail === 1 ? 'its' : 'their'} latest observation: ${named.join('; ')}${counts.fail > 5 ? `; and ${counts.fail - 5} more` : ''}.`,
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
  const fixedAfterExceptions: string[] = [];
  for (const exception of exceptions) {
    const expires = exception.record.expires;
    if (expires === undefined || ageInDays(asOf, expires) <= 0) continue;
    const fixed = fixedExceptions?.get(exception.record.file);
    if (fixed) fixedAfterExceptions.push(`Exception "${exception.record.title}" expired on ${expires}; the failing findings it covered are all resolved since, the last on ${fixed}.`);
    else deficiencies.push(`Exception "${exception.record.title}" expired on ${expires}: the accepted risk has lapsed and needs remediation or a renewed decision.`);
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
  context.push(...fixedAfterExceptions);
  const { resolved } = checks.summary;
  if (resolved.count) {
    const named = resolved.examples
      .slice(0, 3)
      .map((r) => `${r.check}${r.resource ? ` on ${r.resource}` : ''} ${r.by === 'absent' ? 'no longer reported by a newer scan of the same target' : 'closed by the tool'} on ${r.on}`);
    context.push(
      `${plural(resolved.count, 'finding')} that failed when last observed ${resolved.count === 1 ? 'is' : 'are'} resolved since and not counted as failing: ${named.join('; ')}${resolved.count > 3 ? `; and ${resolved.count - 3} more` : ''}. Absence from a newer scan is weaker evidence than a pass.`,
    );
  }
  const inconclusive = counts.error + counts.skip + counts.manual;
  if (inconclusive) {
    const parts = (['error', 'skip', 'manual'] as const).filter((s) => counts[s]).map((s) => `${counts[s]} ${{ error: 'errored', skip: 'skipped', manual: 'manual' }[s]}`);
    context.push(`${plural(inconclusive, 'check result')} (${parts.join(', ')}) ${inconclusive === 1 ? 'is' : 'are'} not evidence of operation and ${inconclusive === 1 ? 'was' : 'were'} not counted.`);
  }
  if (checks.undatedRan) context.push(`${plural(checks.undatedRan, 'check result')} carry no observation date and cannot show the control operates now.`);
  const crosswalked = [...practices, ...policies, ...exceptions].some((c) => c.mappings.every((m) => m.source === 'crosswalk')) || checks.crosswalkOnly;
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
  } else if (freshPractices.length || checks.freshPasses) {
    status = 'effective';
    const parts = [
      freshPractices.length ? plural(freshPractices.length, 'practice note') : '',
      checks.freshPasses ? `${plural(checks.freshPasses, 'passing check')}` : '',
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

  const evidence = [...new Set([...policies, ...practices, ...exceptions].map((c) => c.record.file).concat([...checks.files.keys()], checks.summary.resolved.examples.map((r) => r.shownBy)))].sort();
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
    checks: checks.summary,
    evidence,
    ...(latestEvidence ? { latestEvidence } : {}),
    ...(verdicts.checkDays?.has(key) ? { checkDays: verdicts.checkDays.get(key)! } : {}),
    ...(verdicts.periods?.has(key) ? { period: verdicts.periods.get(key)! } : {}),
    ...(verdicts.remediationByControl?.has(key) ? { remediation: verdicts.remediationByControl.get(key)! } : {}),
    freshness: latestEvidence === undefined ? 'none' : isFreshDate(latestEvidence, Math.max(freshness.checksDays, freshness.notesDays), asOf) && (freshPractices.length || [...checks.ranDays].some((d) => isFreshDate(d, freshness.checksDays, asOf))) ? 'current' : 'stale',
  };
}

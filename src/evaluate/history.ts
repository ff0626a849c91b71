/**
 * What the findings' histories say, folded one finding at a time (the store streams them; nothing holds
 * them all): per control, its deviations over the period and which expired exceptions the evidence
 * shows fixed; overall, remediation against the SLA.
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Exclusion, Period, RemediationSla } from '../config/load.js';
import type { ControlActivity, ControlPeriod, Deviation, FindingHistory, RatedSeverity, Remediation, RemediationItem } from '../model/evaluation.js';
import type { FindingSeverity, NoteRecord } from '../model/types.js';
import { ageInDays } from './dates.js';
import type { HistoryVerdicts } from './evaluate.js';
import type { FailingInterval } from './findings.js';
import {
  cadenceDeviations,
  checkFailedDeviation,
  covers,
  dayOfMs,
  exceptionExpiredDeviation,
  judgePeriod,
  MAX_DEVIATIONS,
  notObservedDeviations,
  PeriodDays,
  splitByExceptions,
  timelineOf,
  worstDeviationFirst,
  type LapsedCondition,
} from './period.js';

/** How many remediation items are listed; `itemCount` has them all. */
export const MAX_ITEMS = 200;
/** How many a control lists: its breaches, worst first, are what a reader of its section looks for. */
export const CONTROL_ITEMS = 10;
const EVIDENCE_PER_EXCEPTION = 10;
const RATED: readonly RatedSeverity[] = ['critical', 'high', 'medium', 'low'];

export interface HistoryContext {
  catalog: Catalog;
  asOf: string;
  period?: Period;
  /** Without a period: the first day remediation is counted from (a trend point inside a period); none: every failure. */
  remediationSince?: string;
  freshness: { checksDays: number; notesDays: number };
  sla: RemediationSla;
  notes: readonly NoteRecord[];
  exclusions: Map<string, Exclusion>;
  /** The days each control's checks ran, and the controls any check maps to: for the period, and handed on as each control's check days. */
  activity?: { activity: ControlActivity[]; withChecks: ReadonlySet<string> };
}

/** An exception of a control, and what became of the failures it covered. */
interface ExceptionWatch {
  note: NoteRecord;
  covered: number;
  /** Covered failures not fixed by the as-of date, and not fixed by the day it expired. */
  openAtAsOf: number;
  lastFixedMs?: number;
  afterLapse: { count: number; lastFixed?: number; neverFixed: boolean };
  evidence: Set<string>;
}

interface ControlFold {
  checkFailed: Deviation[];
  checkFailedCount: number;
  /** Every day of the period a mapped finding failed (or failed within an accepted exception), however many deviations are listed. */
  failingDays?: Uint8Array;
  exceptions: ExceptionWatch[];
  /** The failing findings mapped here that were open in the window, against their deadlines. */
  remediation?: RemediationTally;
}

const endOfDay = (day: string) => Date.parse(`${day}T23:59:59.999Z`);
const severityRank: Record<FindingSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** Breaches first, then what is still open, the most severe, the longest open. */
const worstItemFirst = (a: RemediationItem, b: RemediationItem) =>
  Number(b.breached) - Number(a.breached) ||
  Number(b.open) - Number(a.open) ||
  (severityRank[a.severity ?? 'info'] ?? 5) - (severityRank[b.severity ?? 'info'] ?? 5) ||
  b.daysOpen - a.daysOpen ||
  a.check.localeCompare(b.check) ||
  (a.resource ?? '').localeCompare(b.resource ?? '') ||
  a.opened.localeCompare(b.opened);

/** Keep `item` in a list sorted by `order` and at most `limit` long. */
function keepSorted<T>(list: T[], item: T, order: (a: T, b: T) => number, limit: number): void {
  if (list.length >= limit && order(item, list[list.length - 1]!) >= 0) return;
  let at = list.length;
  while (at > 0 && order(item, list[at - 1]!) < 0) at--;
  list.splice(at, 0, item);
  if (list.length > limit) list.pop();
}

type RemediationTally = ReturnType<typeof remediationTally>;

/** Remediation counts per severity over a window, and the worst items (at most `limit`), one item at a time. */
function remediationTally(window: Remediation['window'], limit: number) {
  const bySeverity = Object.fromEntries(RATED.map((s) => [s, { opened: 0, resolved: 0, withinSla: 0, breached: 0, open: 0 }])) as Remediation['bySeverity'];
  let unrated = 0;
  let itemCount = 0;
  const items: RemediationItem[] = [];
  return {
    add(item: RemediationItem): void {
      itemCount++;
      keepSorted(items, item, worstItemFirst, limit);
      if (item.slaDays === undefined) {
        unrated++;
        return;
      }
      const counts = bySeverity[item.severity as RatedSeverity];
      if (window.from === undefined || item.opened >= window.from) counts.opened++;
      if (item.resolved) counts.resolved++;
      if (item.withinSla) counts.withinSla++;
      if (item.breached) counts.breached++;
      if (item.open) counts.open++;
    },
    finish(sla: RemediationSla): Remediation {
      return { sla: { ...sla }, window, bySeverity, unrated, items, itemCount };
    },
  };
}

export function historyJudge(ctx: HistoryContext): { add(history: FindingHistory, intervals: readonly FailingInterval[]): void; finish(): HistoryVerdicts } {
  const { period, asOf } = ctx;
  const asOfEnd = endOfDay(asOf);
  const periodDays = period ? new PeriodDays(period) : undefined;
  const since = period?.from ?? ctx.remediationSince;
  const window = { ...(since !== undefined ? { from: since } : {}), to: period?.to ?? asOf };
  const folds = new Map<string, ControlFold>();
  const exceptionsOf = new Map<string, NoteRecord[]>();
  for (const note of ctx.notes) {
    if (note.kind !== 'exception') continue;
    for (const key of new Set(note.controls.map((m) => `${m.framework}:${m.id}`))) exceptionsOf.set(key, [...(exceptionsOf.get(key) ?? []), note]);
  }
  const fold = (key: string): ControlFold => {
    let f = folds.get(key);
    if (!f) {
      const exceptions = (exceptionsOf.get(key) ?? []).map((note) => ({ note, covered: 0, openAtAsOf: 0, afterLapse: { count: 0, neverFixed: false }, evidence: new Set<string>() }));
      folds.set(key, (f = { checkFailed: [], checkFailedCount: 0, exceptions }));
    }
    return f;
  };

  const overall = remediationTally(window, MAX_ITEMS);

  /** A failing finding open in the window, against its deadline; none when it lies outside the window. */
  const remediationItem = (history: FindingHistory, interval: FailingInterval): RemediationItem | undefined => {
    const opened = dayOfMs(interval.from);
    const resolvedDay = interval.resolution ? dayOfMs(interval.resolution.at) : undefined;
    if (opened > window.to || (window.from !== undefined && resolvedDay !== undefined && resolvedDay < window.from)) return undefined;
    const resolvedInWindow = resolvedDay !== undefined && resolvedDay <= window.to ? resolvedDay : undefined;
    const severity = interval.severity;
    const rated = severity && severity !== 'info' ? severity : undefined;
    const slaDays = rated ? ctx.sla[rated] : undefined;
    const daysOpen = ageInDays(resolvedInWindow ?? window.to, opened);
    return {
      check: history.check,
      ...(history.title ? { title: history.title } : {}),
      ...(history.resource ? { resource: history.resource } : {}),
      ...(severity ? { severity } : {}),
      opened,
      ...(resolvedInWindow ? { resolved: resolvedInWindow, by: interval.resolution!.by } : {}),
      daysOpen,
      ...(slaDays !== undefined ? { slaDays } : {}),
      withinSla: resolvedInWindow !== undefined && slaDays !== undefined && daysOpen <= slaDays,
      breached: slaDays !== undefined && daysOpen > slaDays,
      open: resolvedInWindow === undefined,
      files: [...interval.files].sort(),
    };
  };

  const watch = (f: ControlFold, history: FindingHistory, interval: FailingInterval) => {
    const fixedAt = interval.resolution?.at;
    for (const w of f.exceptions) {
      const { date, expires } = w.note;
      if (expires === undefined || !covers(w.note, history) || interval.from > endOfDay(expires) || (fixedAt !== undefined && fixedAt < Date.parse(`${date}T00:00:00Z`))) continue;
      w.covered++;
      if (w.evidence.size < EVIDENCE_PER_EXCEPTION) for (const file of interval.files) w.evidence.add(file);
      if (fixedAt === undefined || fixedAt > asOfEnd) w.openAtAsOf++;
      else if (w.lastFixedMs === undefined || fixedAt > w.lastFixedMs) w.lastFixedMs = fixedAt;
      if (fixedAt === undefined || fixedAt > endOfDay(expires)) {
        w.afterLapse.count++;
        if (fixedAt === undefined) w.afterLapse.neverFixed = true;
        else if (w.afterLapse.lastFixed === undefined || fixedAt > w.afterLapse.lastFixed) w.afterLapse.lastFixed = fixedAt;
      }
    }
  };

  const add = (history: FindingHistory, intervals: readonly FailingInterval[]) => {
    for (const interval of intervals) {
      const item = remediationItem(history, interval);
      if (item) overall.add(item);
      for (const key of new Set(interval.controls.map((m) => `${m.framework}:${m.id}`))) {
        const f = fold(key);
        if (item) (f.remediation ??= remediationTally(window, CONTROL_ITEMS)).add(item);
        watch(f, history, interval);
        const deviation = period && checkFailedDeviation(history, interval, period);
        if (!deviation) continue;
        for (const part of splitByExceptions(deviation, f.exceptions.map((w) => w.note))) {
          f.checkFailedCount++;
          keepSorted(f.checkFailed, part, worstDeviationFirst, MAX_DEVIATIONS);
          if (periodDays) periodDays.mark((f.failingDays ??= periodDays.blank()), part.from, part.to, part.accepted ? 'accepted' : 'failing');
        }
      }
    }
  };

  const finish = (): HistoryVerdicts => {
    const fixedExceptions = new Map<string, Map<string, string>>();
    for (const [key, f] of folds) {
      for (const w of f.exceptions) {
        // Fixed: findings failed while it was active, and every one of them passes or was resolved by now.
        if (w.covered > 0 && w.openAtAsOf === 0 && w.lastFixedMs !== undefined) {
          let fixed = fixedExceptions.get(key);
          if (!fixed) fixedExceptions.set(key, (fixed = new Map()));
          fixed.set(w.note.file, dayOfMs(w.lastFixedMs));
        }
      }
    }
    const remediationByControl = new Map<string, Remediation>();
    for (const [key, f] of folds) if (f.remediation) remediationByControl.set(key, f.remediation.finish(ctx.sla));
    const checkDays = ctx.activity ? new Map(ctx.activity.activity.map((a) => [`${a.framework}:${a.id}`, [...a.days.keys()].sort()])) : undefined;
    return { ...(period ? { periods: judgeControls(period) } : {}), fixedExceptions, remediation: overall.finish(ctx.sla), remediationByControl, ...(checkDays ? { checkDays } : {}) };
  };

  /** Every control's operation over the period: the deviations from the histories and from the calendar. */
  const judgeControls = (p: Period): Map<string, ControlPeriod> => {
    const activity = new Map((ctx.activity?.activity ?? []).map((a) => [`${a.framework}:${a.id}`, a.days]));
    const withChecks = ctx.activity?.withChecks ?? new Set<string>();
    const notesOf = new Map<string, { note: NoteRecord; crosswalkOnly: boolean }[]>();
    for (const note of ctx.notes) {
      const byControl = new Map<string, boolean>();
      for (const m of note.controls) {
        const key = `${m.framework}:${m.id}`;
        byControl.set(key, (byControl.get(key) ?? true) && m.source === 'crosswalk');
      }
      for (const [key, crosswalkOnly] of byControl) notesOf.set(key, [...(notesOf.get(key) ?? []), { note, crosswalkOnly }]);
    }
    const periods = new Map<string, ControlPeriod>();
    for (const framework of ctx.catalog.frameworks) {
      for (const control of framework.controls) {
        const key = `${control.framework}:${control.id}`;
        const f = fold(key);
        const notes = notesOf.get(key) ?? [];
        const practices = notes.filter((n) => n.note.kind === 'practice').map((n) => n.note);
        const checkDays = activity.get(key) ?? new Map<string, number>();
        const operated = [...practices.map((n) => n.date), ...checkDays.keys()].filter((d) => d <= p.to);
        const exceptions = f.exceptions.map((w) => w.note);
        const found: Deviation[] = [];
        if (withChecks.has(key)) found.push(...notObservedDeviations([...checkDays.keys()], p, ctx.freshness.checksDays));
        // A cadence binds the activity its policy names, not every control the crosswalk pairs it with.
        for (const { note, crosswalkOnly } of notes) if (note.kind === 'policy' && !crosswalkOnly) found.push(...cadenceDeviations(note, operated, p));
        for (const w of f.exceptions) {
          const lapsed: LapsedCondition = {
            covered: w.covered,
            stillFailing: w.afterLapse.count,
            ...(w.afterLapse.lastFixed !== undefined ? { lastFixed: dayOfMs(w.afterLapse.lastFixed) } : {}),
            neverFixed: w.afterLapse.neverFixed,
            evidence: [...w.evidence],
          };
          const d = exceptionExpiredDeviation(w.note, lapsed, p);
          if (d) found.push(d);
        }
        const others = found.flatMap((d) => splitByExceptions(d, exceptions));
        const deviations = [...others, ...f.checkFailed].sort(worstDeviationFirst).slice(0, MAX_DEVIATIONS);
        const inPeriod = (day: string) => day >= p.from && day <= p.to;
        const outside = operated.filter((d) => d < p.from).sort();
        const after = [...practices.map((n) => n.date), ...checkDays.keys()].filter((d) => d > p.to).sort();
        const exclusion = ctx.exclusions.get(key);
        const timeline = timelineOf(periodDays!, f.failingDays ?? periodDays!.blank(), others, {
          checkDays: [...checkDays.keys()],
          practiceDays: practices.map((n) => n.date),
          checksWindow: ctx.freshness.checksDays,
          notesWindow: ctx.freshness.notesDays,
        });
        periods.set(
          key,
          judgePeriod({
            period: p,
            ...(exclusion ? { excluded: exclusion } : {}),
            deviations,
            deviationCount: others.length + f.checkFailedCount,
            practicesInPeriod: practices.filter((n) => inPeriod(n.date)).length,
            checkOccurrencesInPeriod: [...checkDays].reduce((n, [day, count]) => n + (inPeriod(day) ? count : 0), 0),
            ...(outside.length ? { before: outside.at(-1)! } : {}),
            ...(after.length ? { after: after[0]! } : {}),
            timeline,
          }),
        );
      }
    }
    return periods;
  };

  return { add, finish };
}

/**
 * Operation over a period, as pure rules on dates: each returns the deviations it finds, dated and
 * explained. A deviation inside an active exception keeps its place and names the exception: an
 * accepted risk is disclosed, not hidden.
 */
import picomatch from 'picomatch';
import type { Period } from '../config/load.js';
import type { ControlEvaluation, ControlPeriod, Deviation, PeriodStatus, TimelineSegment, TimelineState } from '../model/evaluation.js';
import type { FindingSeverity, NoteRecord } from '../model/types.js';
import { addDays, ageInDays, dayOf } from './dates.js';
import type { FailingInterval } from './findings.js';

/** How many deviations a control lists; `deviationCount` has them all. */
export const MAX_DEVIATIONS = 100;

/** The calendar day (UTC) of an instant in milliseconds. */
export const dayOfMs = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The finding a failing interval belongs to, as a reader names it. */
export interface FindingName {
  check: string;
  resource?: string;
}

/** How a failing finding was resolved, as a sentence goes on: "… passes since 2026-04-01". */
export const resolvedHow: Record<NonNullable<FailingInterval['resolution']>['by'], string> = {
  pass: 'passes since',
  closed: 'closed by the tool on',
  absent: 'no longer reported by a newer scan of the same target since',
};

/** The days in the period a finding failed, or none when its failure lies outside the period. */
export function checkFailedDeviation(finding: FindingName, interval: FailingInterval, period: Period): Deviation | undefined {
  const started = dayOfMs(interval.from);
  const ended = interval.resolution ? dayOfMs(interval.resolution.at) : undefined;
  if (started > period.to || (ended !== undefined && ended < period.from)) return undefined;
  const open = ended === undefined || ended > period.to;
  const what = `${finding.check}${finding.resource ? ` on ${finding.resource}` : ''}`;
  const since = started < period.from ? `failing since ${started}, before the period` : `failed from ${started}`;
  const end = open
    ? ended === undefined
      ? 'still failing at the period\'s end'
      : `still failing at the period's end (${resolvedHow[interval.resolution!.by]} ${ended})`
    : `${resolvedHow[interval.resolution!.by]} ${ended}${interval.resolution!.closed ? ` (${interval.resolution!.closed})` : ''}`;
  return {
    kind: 'check-failed',
    from: started < period.from ? period.from : started,
    to: open ? period.to : ended!,
    open,
    check: finding.check,
    ...(finding.resource ? { resource: finding.resource } : {}),
    ...(interval.severity ? { severity: interval.severity } : {}),
    reason: `${what} ${since}; ${end}.`,
    evidence: [...interval.files].sort(),
  };
}

/**
 * The stretches of the period in which no check mapped to the control had reported within the checks'
 * freshness window (a check counts as current for `windowDays` after the day it ran).
 */
export function notObservedDeviations(checkDays: readonly string[], period: Period, windowDays: number): Deviation[] {
  const gaps: Deviation[] = [];
  let cursor = period.from;
  let last: string | undefined;
  const gap = (from: string, to: string, open: boolean) =>
    gaps.push({
      kind: 'not-observed',
      from,
      to,
      open,
      reason: `No check mapped here reported ${from === to ? `on ${from}` : `between ${from} and ${to}`}${last ? ` (the last before was on ${last})` : ''}; a check counts as current for ${windowDays} days after it runs.`,
      evidence: [],
    });
  for (const day of [...checkDays].sort()) {
    if (day > period.to) break;
    if (day > cursor) gap(cursor, addDays(day, -1), false);
    const covered = addDays(day, windowDays + 1);
    if (covered > cursor) cursor = covered;
    last = day;
  }
  if (cursor <= period.to) gap(cursor, period.to, true);
  return gaps;
}

/**
 * The stretches in which a policy's cadence was missed: from the last activity plus the cadence to the
 * next activity, or the period's end. A policy binds from its date; before any activity, its date is the
 * last one.
 */
export function cadenceDeviations(policy: NoteRecord, activityDays: readonly string[], period: Period): Deviation[] {
  const cadence = policy.cadenceDays;
  if (cadence === undefined || policy.date > period.to) return [];
  const binds = policy.date > period.from ? policy.date : period.from;
  const days = [...new Set(activityDays)].filter((d) => d <= period.to).sort();
  let last = days.filter((d) => d <= binds).at(-1) ?? policy.date;
  const missed: Deviation[] = [];
  const miss = (from: string, to: string, open: boolean) => {
    const start = from > binds ? from : binds;
    if (start > to) return;
    missed.push({
      kind: 'cadence-missed',
      from: start,
      to,
      open,
      reason: `Policy "${policy.title}" requires this at least every ${cadence} days; after the activity of ${last}, ${open ? 'nothing more was done by the period\'s end' : `the next was on ${to}, ${ageInDays(to, last)} days later`}.`,
      evidence: [policy.file],
    });
  };
  for (const day of days) {
    if (day <= binds) continue;
    const due = addDays(last, cadence);
    if (day > due) miss(addDays(due, 1), day, false);
    last = day;
  }
  const due = addDays(last, cadence);
  if (due < period.to) miss(addDays(due, 1), period.to, true);
  return missed;
}

/** What became of the failures an exception covered once it lapsed, as the histories tell it. */
export interface LapsedCondition {
  /** Failing findings mapped to the control while the exception was active. */
  covered: number;
  /** Of those, how many still failed after it expired, and when the last of them was fixed (YYYY-MM-DD) or that one never was. */
  stillFailing: number;
  lastFixed?: string;
  neverFixed: boolean;
  evidence: string[];
}

/**
 * An exception that lapsed inside the period while its condition went on: from the day after it expired
 * until the findings it covered were fixed, or the period's end. With no failing check to show the
 * condition, nothing shows it fixed either.
 */
export function exceptionExpiredDeviation(exception: NoteRecord, condition: LapsedCondition, period: Period): Deviation | undefined {
  if (exception.expires === undefined) return undefined;
  const lapsed = addDays(exception.expires, 1);
  if (lapsed < period.from || lapsed > period.to) return undefined;
  if (condition.covered > 0 && condition.stillFailing === 0) return undefined;
  const fixed = condition.covered > 0 && !condition.neverFixed && condition.lastFixed !== undefined && condition.lastFixed <= period.to ? condition.lastFixed : undefined;
  const reason =
    condition.covered === 0
      ? `Exception "${exception.title}" expired on ${exception.expires}, and no check shows its condition fixed.`
      : `Exception "${exception.title}" expired on ${exception.expires} while ${plural(condition.stillFailing, 'finding')} it covered still failed${fixed ? `; the last was fixed on ${fixed}` : ''}.`;
  return {
    kind: 'exception-expired',
    from: lapsed,
    to: fixed ?? period.to,
    open: fixed === undefined,
    reason,
    evidence: [exception.file, ...condition.evidence].filter((f, i, all) => all.indexOf(f) === i).sort(),
  };
}

/**
 * Whether an exception accepts a deviation: a failing finding it covers (all of its controls' findings,
 * unless it names the ones it covers), or a missed cadence when it names none. Checks that stopped
 * reporting and lapsed exceptions are never an accepted risk.
 */
export function accepts(exception: NoteRecord, deviation: Deviation): boolean {
  if (deviation.kind === 'check-failed') return covers(exception, { check: deviation.check ?? '', ...(deviation.resource !== undefined ? { resource: deviation.resource } : {}) });
  return deviation.kind === 'cadence-missed' && !exception.covers;
}

const matchers = new Map<string, (text: string) => boolean>();
const matcherOf = (pattern: string) => matchers.get(pattern) ?? matchers.set(pattern, picomatch(pattern, { nocase: true, dot: true })).get(pattern)!;

/** Whether an exception covers a finding: every finding of its controls, or those whose check or resource it names. */
export function covers(exception: NoteRecord, finding: FindingName): boolean {
  if (!exception.covers) return true;
  return exception.covers.some((pattern) => matcherOf(pattern)(finding.check) || (finding.resource !== undefined && matcherOf(pattern)(finding.resource)));
}

/**
 * A deviation cut where exceptions that accept it were active: the days inside one name it as
 * accepted, the others stay as they were.
 */
export function splitByExceptions(deviation: Deviation, exceptions: readonly NoteRecord[]): Deviation[] {
  let parts = [deviation];
  for (const e of exceptions) {
    if (!accepts(e, deviation)) continue;
    const from = e.date;
    const to = e.expires ?? '9999-12-31';
    parts = parts.flatMap((part) => {
      if (part.accepted || part.to < from || part.from > to) return [part];
      const pieces: Deviation[] = [];
      if (part.from < from) pieces.push({ ...part, to: addDays(from, -1), open: false });
      pieces.push({ ...part, from: part.from < from ? from : part.from, to: part.to > to ? to : part.to, open: part.to > to ? false : part.open, accepted: { title: e.title, file: e.file } });
      if (part.to > to) pieces.push({ ...part, from: addDays(to, 1) });
      return pieces;
    });
  }
  return parts;
}

const severityRank: Record<FindingSeverity, number> = { critical: 0, high: 1, medium: 2, low: 3, info: 4 };

/** Which deviations a control keeps when it has too many: open ones, then the most severe, then the longest. */
export const worstDeviationFirst = (a: Deviation, b: Deviation): number =>
  Number(b.open) - Number(a.open) ||
  (severityRank[a.severity ?? 'info'] ?? 5) - (severityRank[b.severity ?? 'info'] ?? 5) ||
  ageInDays(b.to, b.from) - ageInDays(a.to, a.from) ||
  chronological(a, b);

const kindOrder: Record<Deviation['kind'], number> = { 'check-failed': 0, 'not-observed': 1, 'cadence-missed': 2, 'exception-expired': 3 };

/** Oldest first; the same day by kind, check and resource: one order on every run. */
export const chronological = (a: Deviation, b: Deviation): number =>
  a.from.localeCompare(b.from) ||
  kindOrder[a.kind] - kindOrder[b.kind] ||
  (a.check ?? '').localeCompare(b.check ?? '') ||
  (a.resource ?? '').localeCompare(b.resource ?? '') ||
  a.to.localeCompare(b.to) ||
  (a.accepted?.file ?? '').localeCompare(b.accepted?.file ?? '');

/** The states of a day, worst first: a day in two takes the worse. */
export const TIMELINE_RANK: readonly TimelineState[] = ['failing', 'accepted', 'cadence-missed', 'not-observed', 'operating', 'unknown'];

/** Days of a period as indexes: day 0 is its first. */
export class PeriodDays {
  readonly length: number;
  constructor(readonly period: Period) {
    this.length = ageInDays(period.to, period.from) + 1;
  }
  index(day: string): number {
    return ageInDays(day, this.period.from);
  }
  day(index: number): string {
    return addDays(this.period.from, index);
  }
  /** Set `state` on the days from..to (clipped to the period) where nothing worse is set. */
  mark(days: Uint8Array, from: string, to: string, state: TimelineState): void {
    const rank = TIMELINE_RANK.indexOf(state);
    const first = Math.max(0, this.index(from));
    const last = Math.min(this.length - 1, this.index(to));
    for (let i = first; i <= last; i++) if (days[i]! > rank) days[i] = rank;
  }
  /** A fresh array of days, each `unknown`. */
  blank(): Uint8Array {
    return new Uint8Array(this.length).fill(TIMELINE_RANK.length - 1);
  }
  segments(days: Uint8Array): TimelineSegment[] {
    const segments: TimelineSegment[] = [];
    for (let i = 0; i < days.length; i++) {
      const state = TIMELINE_RANK[days[i]!]!;
      const last = segments.at(-1);
      if (last && last.state === state) last.to = this.day(i);
      else segments.push({ from: this.day(i), to: this.day(i), state });
    }
    return segments;
  }
}

/**
 * The period day by day: each deviation marks its days (an accepted one apart), evidence of operation
 * marks the days it is current for (a check for the checks window after it ran, a practice note for the
 * notes window), the worst state of a day wins.
 */
export function timelineOf(
  days: PeriodDays,
  failing: Uint8Array,
  deviations: readonly Deviation[],
  evidence: { checkDays: readonly string[]; practiceDays: readonly string[]; checksWindow: number; notesWindow: number },
): TimelineSegment[] {
  const timeline = failing.slice();
  for (const d of deviations) {
    if (d.kind === 'check-failed') continue;
    days.mark(timeline, d.from, d.to, d.accepted ? 'accepted' : d.kind === 'cadence-missed' ? 'cadence-missed' : d.kind === 'not-observed' ? 'not-observed' : 'failing');
  }
  for (const day of evidence.checkDays) days.mark(timeline, day, addDays(day, evidence.checksWindow), 'operating');
  for (const day of evidence.practiceDays) days.mark(timeline, day, addDays(day, evidence.notesWindow), 'operating');
  return days.segments(timeline);
}

/** What the period judgement of one control reads. */
export interface PeriodEvidence {
  period: Period;
  excluded?: { justification: string };
  /** Every deviation found (already split by exceptions), at most MAX_DEVIATIONS of them, and how many in all. */
  deviations: Deviation[];
  deviationCount: number;
  /** Practice notes and check observations dated inside the period. */
  practicesInPeriod: number;
  checkOccurrencesInPeriod: number;
  /** The newest and oldest evidence of operation outside the period, if any. */
  before?: string;
  after?: string;
  timeline: TimelineSegment[];
}

/** A control's status over the period, with its reasons. */
export function judgePeriod(e: PeriodEvidence): ControlPeriod {
  const { period } = e;
  const span = `${period.from} to ${period.to}`;
  const population = e.practicesInPeriod + e.checkOccurrencesInPeriod;
  const deviations = [...e.deviations].sort(chronological);
  const accepted = deviations.filter((d) => d.accepted).length;
  const counted = (kind: Deviation['kind'], one: string, many?: string) => {
    const n = deviations.filter((d) => d.kind === kind).length;
    return n ? plural(n, one, many) : '';
  };
  const kinds = [
    counted('check-failed', 'failing check', 'failing checks'),
    counted('not-observed', 'gap in check reports', 'gaps in check reports'),
    counted('cadence-missed', 'missed cadence', 'missed cadences'),
    counted('exception-expired', 'lapsed exception', 'lapsed exceptions'),
  ].filter(Boolean);
  const listed = e.deviationCount > deviations.length ? ` (the ${deviations.length} most serious listed)` : '';
  const deviationSentence = `${plural(e.deviationCount, 'deviation')} in ${span}${kinds.length ? `: ${kinds.join(', ')}` : ''}${listed}${accepted ? `; ${accepted} of the listed fall within an accepted exception, disclosed all the same` : ''}.`;
  const occurrences = `${plural(population, 'dated occurrence')} of operation in the period (${plural(e.practicesInPeriod, 'practice note')}, ${plural(e.checkOccurrencesInPeriod, 'check observation')})`;
  let status: PeriodStatus;
  const reasons: string[] = [];
  if (e.excluded) {
    status = 'not-applicable';
    reasons.push(`Excluded from scope: ${e.excluded.justification}`);
    if (e.deviationCount) reasons.push(`Evidence still mapped here shows ${deviationSentence}`);
  } else if (population === 0) {
    status = 'no-evidence';
    const outside = [e.before ? `the newest before it is from ${e.before}` : '', e.after ? `evidence from after its end (${e.after}) does not count for it` : ''].filter(Boolean);
    reasons.push(`Nothing dated inside ${span} shows the control operating${outside.length ? `: ${outside.join('; ')}` : ''}.`);
    if (e.deviationCount) reasons.push(deviationSentence);
  } else if (e.deviationCount) {
    status = 'deviations';
    reasons.push(deviationSentence, `${occurrences}.`);
  } else {
    status = 'effective';
    reasons.push(`Operated throughout ${span}: ${occurrences}, and no deviation.`);
  }
  return { status, reasons, deviations, deviationCount: e.deviationCount, population, timeline: e.timeline };
}

/**
 * Which evidence files cited for a control hold nothing the period counts: practice notes dated outside
 * it, and check results with no pass or fail dated inside it. Policies and exceptions are not
 * occurrences of operation; they bind through their own dates, and are never named here. A file's
 * newest observation tells when it is before the period or inside it; one newer than the period's end
 * may still hold older results inside it, which only `counted` (the files with a verdict dated in the
 * period, from the store) tells: without it, such files are `undecided`.
 */
export function evidenceOutsidePeriod(control: ControlEvaluation, period: Period, counted?: ReadonlySet<string>): { outside: string[]; undecided: string[] } {
  const inPeriod = (day: string) => day >= period.from && day <= period.to;
  const practiceDates = new Map(control.practices.map((p) => [p.record.file, p.record.date]));
  const binding = new Set([...control.policies, ...control.exceptions].map((n) => n.record.file));
  const newest = new Map(control.checks.files.map((f) => [f.file, f.newest === undefined ? undefined : dayOf(f.newest)]));
  const outside: string[] = [];
  const undecided: string[] = [];
  for (const file of control.evidence) {
    const noted = practiceDates.get(file);
    if (noted !== undefined) {
      if (!inPeriod(noted)) outside.push(file);
      continue;
    }
    if (binding.has(file)) continue;
    const day = newest.get(file);
    if (day !== undefined && day < period.from) outside.push(file);
    else if (day !== undefined && inPeriod(day)) continue;
    else if (counted) {
      if (!counted.has(file)) outside.push(file);
    } else undecided.push(file);
  }
  return { outside, undecided };
}

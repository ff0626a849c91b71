/**
 * The security team's own report, as data: what each policy requires against what the evidence shows
 * was done, where practice drifts, which controls lack evidence of operation and whom to ask for it.
 * Pure: everything comes from the evaluation, the notes and the dates given; both renderers (HTML and
 * Markdown) format this and decide nothing.
 */
import type { Catalog } from '../../catalog/catalog.js';
import { addDays, ageInDays } from '../../evaluate/dates.js';
import { cadenceDeviations } from '../../evaluate/period.js';
import type { ControlEvaluation, ControlStatus, Deviation, Evaluation } from '../../model/evaluation.js';
import type { FrameworkId, NoteRecord } from '../../model/types.js';

/** A longest interval or a wait since the last activity this close to the cadence is stretching it. */
export const STRETCH_RATIO = 0.8;
/** Accepted risks expiring this many days after the as-of date, or fewer, are listed. */
export const EXPIRING_WITHIN_DAYS = 60;
/** How many people are named as whom to ask. */
const PEOPLE = 3;

export interface WorkAsDoneInput {
  evaluation: Evaluation;
  notes: readonly NoteRecord[];
  catalog: Catalog;
  organization: string;
  freshness: { checksDays: number; notesDays: number };
  version: string;
}

/** The days the report looks at: the audit period, or without one the notes' freshness window up to the as-of date. */
export interface ReportWindow {
  from: string;
  to: string;
  kind: 'period' | 'recent';
}

export interface ControlName {
  framework: FrameworkId;
  id: string;
  title: string;
}

/** How a policy's cadence fares on one control it names, worst first in this order. */
export type PolicyState = 'missed' | 'stretching' | 'imagined' | 'kept';
export const policyStateOrder: readonly PolicyState[] = ['missed', 'stretching', 'imagined', 'kept'];

export interface Interval {
  days: number;
  from: string;
  to: string;
}

/** What the evidence shows of the work one policy requires, on one control it names. */
export interface PolicyControl extends ControlName {
  status: ControlStatus;
  state: PolicyState;
  /** Days in the window with activity (a practice note, or checks that ran to a verdict). */
  occurrences: number;
  practiceNotes: number;
  checkDays: number;
  /** Between consecutive activity days, from the last one before the window through the window: the median and the longest. */
  typicalInterval?: number;
  longestInterval?: Interval;
  /** Stretches in the window in which the cadence was missed; `atLeast` when the control lists only its most serious deviations. */
  misses: { count: number; days: number; open: boolean; accepted: number; atLeast: boolean; stretches: { from: string; to: string }[] };
  /** The newest activity up to the as-of date, and the days since then. */
  lastActivity?: string;
  sinceLast?: number;
  /** Longer since the last activity than the cadence, at the as-of date. */
  overdue: boolean;
  /** Authors of the practice notes in the window, most notes first. */
  authors: { name: string; notes: number }[];
  /** Activity days in the window, for the drawing. */
  practiceDays: string[];
  activeCheckDays: string[];
}

export interface PolicyView {
  title: string;
  author: string;
  date: string;
  file: string;
  cadenceDays?: number;
  state: PolicyState;
  controls: PolicyControl[];
}

/** Checks that stopped reporting: controls that lost their reports together, as one row. */
export interface ReportingGap {
  controls: ControlName[];
  /** The last report before the silence, and the first after it (none: still silent at the as-of date). */
  lastReport: string;
  resumed?: string;
  /** Days from the last report to the next one, or to the as-of date. */
  silentDays: number;
  /** The days no check covered (a check counts for the checks' freshness window after it runs). */
  uncovered: { from: string; to: string };
}

export interface ExceptionView {
  title: string;
  author: string;
  file: string;
  date: string;
  expires: string;
  state: 'expired' | 'expiring';
  /** Days since it expired, or until it does. */
  days: number;
  controls: (ControlName & { status: ControlStatus })[];
}

export interface Person {
  name: string;
  /** Their newest practice note there: its date and the control it is for. */
  date: string;
  control: string;
}

export interface EvidenceRequest extends ControlName {
  /** What is on record, in a few words. */
  onRecord: string;
  ask: Person[];
  /** Whose evidence the people gave: for this control, for its neighbours in the theme, or the policy they wrote for it. */
  askBasis: 'control' | 'theme' | 'policy' | 'none';
}

export interface EvidenceRequestTheme {
  framework: FrameworkId;
  frameworkName: string;
  theme: string;
  /** The authors of the newest practice notes anywhere in the theme. */
  people: Person[];
  requests: EvidenceRequest[];
}

/** A control with practice or checks and no policy: a candidate for a rule people already follow. */
export interface UnwrittenPractice extends ControlName {
  theme: string;
  practiceNotes: number;
  authors: string[];
  /** Days in the window with activity, and their median interval (the rhythm already followed). */
  occurrences: number;
  checkDays: number;
  rhythm?: number;
  lastActivity: string;
}

export interface GlanceItem {
  key: string;
  count: number;
  text: string;
}

export interface WorkAsDoneView {
  organization: string;
  asOf: string;
  window: ReportWindow;
  version: string;
  glance: GlanceItem[];
  drift: { cadences: PolicyView[]; gaps: ReportingGap[]; exceptions: ExceptionView[] };
  evidenceRequests: EvidenceRequestTheme[];
  imagined: PolicyView[];
  unwritten: UnwrittenPractice[];
  kept: PolicyView[];
  checksWindowDays: number;
}

const keyOf = (c: { framework: string; id: string }) => `${c.framework}:${c.id}`;
const refOf = (c: ControlEvaluation): ControlName => ({ framework: c.framework, id: c.id, title: c.title });
/** Code-unit order: the same on every machine, whatever its locale. */
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const inWindow = (w: ReportWindow) => (day: string) => day >= w.from && day <= w.to;

/** The median of whole numbers, rounded (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number | undefined {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** Intervals between consecutive days (sorted, distinct). */
export function intervalsOf(days: readonly string[]): Interval[] {
  const out: Interval[] = [];
  for (let i = 1; i < days.length; i++) out.push({ days: ageInDays(days[i]!, days[i - 1]!), from: days[i - 1]!, to: days[i]! });
  return out;
}

/** Every day a control operated up to the as-of date: its practice notes and the days its checks ran to a verdict. */
function activityDays(control: ControlEvaluation, asOf: string): string[] {
  return [...new Set([...control.practices.map((p) => p.record.date), ...(control.checkDays ?? [])])].filter((d) => d <= asOf).sort(byText);
}

/** The days in the window, led by the last one before it (so a stretch across its start counts). */
function windowed(days: readonly string[], window: ReportWindow): string[] {
  const before = days.filter((d) => d < window.from).at(-1);
  return [...(before ? [before] : []), ...days.filter(inWindow(window))];
}

function misses(policy: NoteRecord, control: ControlEvaluation, days: readonly string[], window: ReportWindow): PolicyControl['misses'] {
  let found: Deviation[];
  let atLeast = false;
  if (window.kind === 'period' && control.period) {
    // The period's own judgement: the same deviations the packs list, with the exceptions that accepted them.
    found = control.period.deviations.filter((d) => d.kind === 'cadence-missed' && d.evidence.includes(policy.file));
    atLeast = control.period.deviationCount > control.period.deviations.length;
  } else {
    found = cadenceDeviations(policy, days, window);
  }
  const stretches = found.map((d) => ({ from: d.from, to: d.to })).sort((a, b) => byText(a.from, b.from));
  return {
    count: found.length,
    days: found.reduce((n, d) => n + ageInDays(d.to, d.from) + 1, 0),
    open: found.some((d) => d.open),
    accepted: found.filter((d) => d.accepted).length,
    atLeast,
    stretches,
  };
}

function authorsOf(notes: readonly NoteRecord[]): { name: string; notes: number }[] {
  const counts = new Map<string, number>();
  for (const n of notes) counts.set(n.author, (counts.get(n.author) ?? 0) + 1);
  return [...counts].map(([name, notes]) => ({ name, notes })).sort((a, b) => b.notes - a.notes || byText(a.name, b.name));
}

function policyControl(policy: NoteRecord, control: ControlEvaluation, window: ReportWindow, asOf: string): PolicyControl {
  const days = activityDays(control, asOf);
  const inside = days.filter(inWindow(window));
  const practices = control.practices.map((p) => p.record).filter((n) => inWindow(window)(n.date));
  const intervals = intervalsOf(windowed(days, window));
  const longest = intervals.reduce<Interval | undefined>((worst, i) => (!worst || i.days > worst.days ? i : worst), undefined);
  const typical = median(intervals.map((i) => i.days));
  const lastActivity = days.at(-1);
  const sinceLast = lastActivity !== undefined ? ageInDays(asOf, lastActivity) : undefined;
  const cadence = policy.cadenceDays;
  const missed = cadence !== undefined ? misses(policy, control, days, window) : { count: 0, days: 0, open: false, accepted: 0, atLeast: false, stretches: [] };
  const overdue = cadence !== undefined && sinceLast !== undefined && sinceLast > cadence;
  const close = (n: number | undefined) => cadence !== undefined && n !== undefined && n >= cadence * STRETCH_RATIO;
  // Never done is work as imagined only; a cadence missed says more than an empty window; without a cadence, an empty window is no practice.
  const state: PolicyState =
    lastActivity === undefined
      ? 'imagined'
      : missed.count > 0 || overdue
        ? 'missed'
        : close(longest?.days) || close(sinceLast)
          ? 'stretching'
          : inside.length === 0
            ? 'imagined'
            : 'kept';
  const practiceDays = [...new Set(practices.map((n) => n.date))].sort(byText);
  const checkDays = (control.checkDays ?? []).filter(inWindow(window));
  return {
    ...refOf(control),
    status: control.status,
    state,
    occurrences: inside.length,
    practiceNotes: practices.length,
    checkDays: checkDays.length,
    ...(typical !== undefined ? { typicalInterval: typical } : {}),
    ...(longest ? { longestInterval: longest } : {}),
    misses: missed,
    ...(lastActivity !== undefined ? { lastActivity, sinceLast: sinceLast! } : {}),
    overdue,
    authors: authorsOf(practices),
    practiceDays,
    activeCheckDays: checkDays,
  };
}

const stateRank = (s: PolicyState) => policyStateOrder.indexOf(s);

/** The days missed in all, the longest wait, then the title: what needs attention first. */
const policyOrder = (a: PolicyView, b: PolicyView) =>
  stateRank(a.state) - stateRank(b.state) ||
  sum(b, (c) => c.misses.days) - sum(a, (c) => c.misses.days) ||
  sum(b, (c) => c.sinceLast ?? 0) - sum(a, (c) => c.sinceLast ?? 0) ||
  byText(a.title, b.title) ||
  byText(a.file, b.file);
const sum = (p: PolicyView, f: (c: PolicyControl) => number) => p.controls.reduce((n, c) => n + f(c), 0);

function policies(input: WorkAsDoneInput, byKey: Map<string, ControlEvaluation>, window: ReportWindow): PolicyView[] {
  const { asOf } = input.evaluation;
  return input.notes
    .filter((n) => n.kind === 'policy')
    .map((policy) => {
      // A cadence binds the controls its policy names, not those the crosswalk pairs them with.
      const named = [...new Set(policy.controls.filter((m) => m.source !== 'crosswalk').map(keyOf))];
      const controls = named
        .map((key) => byKey.get(key))
        .filter((c): c is ControlEvaluation => c !== undefined && c.applicable)
        .map((c) => policyControl(policy, c, window, asOf));
      const state = controls.length ? policyStateOrder[Math.min(...controls.map((c) => stateRank(c.state)))]! : 'imagined';
      return {
        title: policy.title,
        author: policy.author,
        date: policy.date,
        file: policy.file,
        ...(policy.cadenceDays !== undefined ? { cadenceDays: policy.cadenceDays } : {}),
        state,
        controls,
      };
    })
    .sort(policyOrder);
}

/** Checks that stopped: gaps in the period after a control's checks had reported, and silence at the as-of date. */
function reportingGaps(controls: readonly ControlEvaluation[], window: ReportWindow, asOf: string, checksDays: number): ReportingGap[] {
  const groups = new Map<string, ReportingGap>();
  const add = (c: ControlEvaluation, gap: Omit<ReportingGap, 'controls'>) => {
    const key = `${gap.lastReport}|${gap.resumed ?? ''}|${gap.uncovered.from}|${gap.uncovered.to}`;
    const group = groups.get(key) ?? groups.set(key, { ...gap, controls: [] }).get(key)!;
    group.controls.push(refOf(c));
  };
  for (const c of controls) {
    if (!c.applicable || !c.checkDays?.length) continue;
    const days = c.checkDays.filter((d) => d <= asOf);
    const after = (day: string) => days.find((d) => d > day);
    let silentAtAsOf = days.length > 0 && ageInDays(asOf, days.at(-1)!) > checksDays;
    if (window.kind === 'period') {
      for (const d of c.period?.deviations ?? []) {
        if (d.kind !== 'not-observed') continue;
        // A gap before a control's first report is checks starting late, not checks that stopped.
        const lastReport = days.filter((day) => day < d.from).at(-1);
        if (!lastReport) continue;
        const resumed = after(d.to);
        if (!resumed) silentAtAsOf = false;
        add(c, { lastReport, ...(resumed ? { resumed } : {}), silentDays: ageInDays(resumed ?? asOf, lastReport), uncovered: { from: d.from, to: resumed ? d.to : asOf } });
      }
    }
    if (silentAtAsOf) {
      const lastReport = days.at(-1)!;
      add(c, { lastReport, silentDays: ageInDays(asOf, lastReport), uncovered: { from: addDays(lastReport, checksDays + 1), to: asOf } });
    }
  }
  // Still silent first, then the longest silence.
  return [...groups.values()].sort(
    (a, b) => Number(a.resumed !== undefined) - Number(b.resumed !== undefined) || b.silentDays - a.silentDays || byText(a.lastReport, b.lastReport) || b.controls.length - a.controls.length,
  );
}

function exceptions(input: WorkAsDoneInput, byKey: Map<string, ControlEvaluation>): ExceptionView[] {
  const { asOf } = input.evaluation;
  const horizon = addDays(asOf, EXPIRING_WITHIN_DAYS);
  const out: ExceptionView[] = [];
  for (const note of input.notes) {
    if (note.kind !== 'exception' || note.expires === undefined || note.expires > horizon) continue;
    const expired = note.expires < asOf;
    const controls = [...new Set(note.controls.filter((m) => m.source !== 'crosswalk').map(keyOf))]
      .map((key) => byKey.get(key))
      .filter((c): c is ControlEvaluation => c !== undefined)
      .map((c) => ({ ...refOf(c), status: c.status }));
    out.push({
      title: note.title,
      author: note.author,
      file: note.file,
      date: note.date,
      expires: note.expires,
      state: expired ? 'expired' : 'expiring',
      days: expired ? ageInDays(asOf, note.expires) : ageInDays(note.expires, asOf),
      controls,
    });
  }
  // Lapsed first, the longest lapsed first; then the soonest to lapse.
  return out.sort((a, b) => Number(a.state === 'expiring') - Number(b.state === 'expiring') || byText(a.expires, b.expires) || byText(a.title, b.title) || byText(a.file, b.file));
}

/** The authors of the newest practice notes among these controls, each once, newest first. */
function newestAuthors(controls: readonly ControlEvaluation[], asOf: string): Person[] {
  const notes = controls
    .flatMap((c) => c.practices.map((p) => ({ note: p.record, control: c.id })))
    .filter(({ note }) => note.date <= asOf)
    .sort((a, b) => byText(b.note.date, a.note.date) || byText(a.control, b.control) || byText(a.note.file, b.note.file));
  const people: Person[] = [];
  for (const { note, control } of notes) {
    if (people.length >= PEOPLE) break;
    if (!people.some((p) => p.name === note.author)) people.push({ name: note.author, date: note.date, control });
  }
  return people;
}

function onRecord(c: ControlEvaluation, window: ReportWindow): string {
  if (c.latestEvidence) {
    const when = window.kind === 'recent' ? 'not fresh' : c.latestEvidence > window.to ? 'after the period' : 'before the period';
    return `newest evidence of operation ${c.latestEvidence} (${when})`;
  }
  if (c.policies.length) return 'a policy only';
  if (c.exceptions.length) return 'an exception only';
  if (c.checks.total) return 'inconclusive check results only';
  return 'nothing';
}

function evidenceRequests(input: WorkAsDoneInput, window: ReportWindow): EvidenceRequestTheme[] {
  const { asOf } = input.evaluation;
  const themes: EvidenceRequestTheme[] = [];
  for (const framework of input.catalog.frameworks) {
    const controls = input.evaluation.controls.filter((c) => c.framework === framework.id);
    const groups = [...new Set(controls.map((c) => c.group))];
    for (const theme of groups) {
      const inTheme = controls.filter((c) => c.group === theme);
      const wanting = inTheme.filter((c) => c.applicable && (window.kind === 'period' && c.period ? c.period.status === 'no-evidence' : c.status === 'no-evidence' || c.status === 'stale'));
      if (!wanting.length) continue;
      const requests = wanting.map((c): EvidenceRequest => {
        const own = newestAuthors([c], asOf);
        const neighbours = own.length ? [] : newestAuthors(inTheme.filter((n) => n !== c), asOf);
        const policyAuthors = own.length || neighbours.length ? [] : c.policies.map((p) => ({ name: p.record.author, date: p.record.date, control: c.id })).filter((p, i, all) => all.findIndex((q) => q.name === p.name) === i).slice(0, PEOPLE);
        const [ask, askBasis] = own.length ? [own, 'control' as const] : neighbours.length ? [neighbours, 'theme' as const] : policyAuthors.length ? [policyAuthors, 'policy' as const] : [[], 'none' as const];
        return { ...refOf(c), onRecord: onRecord(c, window), ask, askBasis };
      });
      themes.push({ framework: framework.id, frameworkName: framework.name, theme, people: newestAuthors(inTheme, asOf), requests });
    }
  }
  return themes;
}

function unwritten(controls: readonly ControlEvaluation[], window: ReportWindow, asOf: string): UnwrittenPractice[] {
  return controls
    .filter((c) => c.applicable && c.policies.length === 0)
    .map((c) => ({ c, days: activityDays(c, asOf) }))
    .filter(({ days }) => days.length > 0)
    .map(({ c, days }): UnwrittenPractice => {
      const practices = c.practices.map((p) => p.record).filter((n) => n.date <= asOf);
      // One interval is no rhythm yet.
      const intervals = intervalsOf(windowed(days, window));
      const rhythm = intervals.length >= 2 ? median(intervals.map((i) => i.days)) : undefined;
      return {
        ...refOf(c),
        theme: c.group,
        practiceNotes: practices.length,
        authors: authorsOf(practices).map((a) => a.name),
        occurrences: days.filter(inWindow(window)).length,
        checkDays: (c.checkDays ?? []).filter(inWindow(window)).length,
        ...(rhythm !== undefined ? { rhythm } : {}),
        lastActivity: days.at(-1)!,
      };
    })
    .map((u, index) => ({ u, index }))
    // People's own routines first (practice notes), then the busiest; otherwise the catalog's order.
    .sort((a, b) => Number(b.u.practiceNotes > 0) - Number(a.u.practiceNotes > 0) || b.u.practiceNotes - a.u.practiceNotes || b.u.occurrences - a.u.occurrences || a.index - b.index)
    .map(({ u }) => u);
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The report's data, from the evaluation and the notes. */
export function workAsDoneView(input: WorkAsDoneInput): WorkAsDoneView {
  const { evaluation, freshness } = input;
  const { asOf } = evaluation;
  const window: ReportWindow = evaluation.period
    ? { from: evaluation.period.from, to: evaluation.period.to, kind: 'period' }
    : { from: addDays(asOf, -freshness.notesDays), to: asOf, kind: 'recent' };
  const byKey = new Map(evaluation.controls.map((c) => [keyOf(c), c]));
  const all = policies(input, byKey, window);
  const cadences = all.filter((p) => p.state === 'missed' || p.state === 'stretching');
  const imagined = all.filter((p) => p.state === 'imagined');
  const kept = all.filter((p) => p.state === 'kept');
  const gaps = reportingGaps(evaluation.controls, window, asOf, freshness.checksDays);
  const lapsing = exceptions(input, byKey);
  const requests = evidenceRequests(input, window);
  const practice = unwritten(evaluation.controls, window, asOf);
  const requested = requests.reduce((n, t) => n + t.requests.length, 0);
  const silent = gaps.filter((g) => g.resumed === undefined);
  const inWhat = window.kind === 'period' ? 'in the period' : 'fresh at the as-of date';
  const counted = (key: string, count: number, one: string, many: string): GlanceItem => ({ key, count, text: count === 1 ? one : many });
  const glance: GlanceItem[] = [
    counted('policies-missed', all.filter((p) => p.state === 'missed').length, 'policy whose cadence was missed', 'policies whose cadence was missed'),
    counted('policies-stretching', all.filter((p) => p.state === 'stretching').length, 'policy whose cadence is stretching', 'policies whose cadence is stretching'),
    counted('checks-silent', silent.reduce((n, g) => n + g.controls.length, 0), 'control whose checks are silent at the as-of date', 'controls whose checks are silent at the as-of date'),
    counted('reporting-gaps', gaps.length, 'time checks stopped reporting', 'times checks stopped reporting'),
    counted('exceptions-expired', lapsing.filter((e) => e.state === 'expired').length, 'accepted risk expired', 'accepted risks expired'),
    counted('exceptions-expiring', lapsing.filter((e) => e.state === 'expiring').length, `accepted risk expiring within ${EXPIRING_WITHIN_DAYS} days`, `accepted risks expiring within ${EXPIRING_WITHIN_DAYS} days`),
    counted('evidence-requests', requested, `control without evidence of operation ${inWhat}, in ${plural(requests.length, 'theme')}`, `controls without evidence of operation ${inWhat}, in ${plural(requests.length, 'theme')}`),
    counted('policies-imagined', imagined.length, 'policy with no practice behind it', 'policies with no practice behind them'),
    counted('practice-unwritten', practice.length, 'control with practice no policy describes', 'controls with practice no policy describes'),
    counted('policies-kept', kept.length, 'policy kept in practice', 'policies kept in practice'),
  ];
  return {
    organization: input.organization,
    asOf,
    window,
    version: input.version,
    glance,
    drift: { cadences, gaps, exceptions: lapsing },
    evidenceRequests: requests,
    imagined,
    unwritten: practice,
    kept,
    checksWindowDays: freshness.checksDays,
  };
}

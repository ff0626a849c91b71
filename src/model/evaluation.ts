import type { CheckCategory, CheckRecord, CheckStatus, ControlMapping, FindingSeverity, FrameworkId, NoteRecord } from './types.js';

export type ControlStatus = 'effective' | 'deficient' | 'stale' | 'no-evidence' | 'not-applicable';

export const statusOrder: readonly ControlStatus[] = ['effective', 'deficient', 'stale', 'no-evidence', 'not-applicable'];

/** The newest observation of one check on one resource, as the store gives it. */
export interface Observation {
  check: string;
  title?: string;
  /** Given for results that are not passes: a pass is counted per check, never named. */
  resource?: string;
  status: CheckStatus;
  observedAt?: string;
  severity?: FindingSeverity;
  /** Given for results that are not passes. */
  message?: string;
  file: string;
  /** Order of the record in its file. */
  seq: number;
  controls: ControlMapping[];
  /** Older observations of the same finding, superseded by this one. */
  earlier: number;
  /** The snapshot the observation belongs to (see CheckRecord), and why the tool closed the finding. */
  target?: string;
  scope?: string;
  closed?: string;
  /** The tool that reported it, what kind of finding it is, and the classifiers the tool gave. */
  tool?: string;
  category?: CheckCategory;
  tags?: string[];
}

/**
 * Passing findings that share their check, controls, file and day, counted rather than listed: a pass
 * is counted, never named, and an estate's findings mostly pass.
 */
export interface PassGroup {
  check: string;
  controls: ControlMapping[];
  file: string;
  /** The day they were observed (YYYY-MM-DD), and the newest observation time; none when undated. */
  day?: string;
  newest?: string;
  count: number;
}

/** A scanner's report of one target and scope at a time: what can resolve the findings it no longer reports. */
export interface Snapshot {
  target: string;
  scope: string;
  /** Milliseconds since the epoch: its earliest observation. */
  at: number;
  file: string;
  /**
   * The checks it ran, when it reports passes: a finding of another check is not resolved by its absence
   * (that check did not run). Absent: the tool reports failures only, and any finding it omits is gone.
   */
  checks?: ReadonlySet<string>;
}

/** One dated observation of a finding, in a finding's history. */
export interface HistoryEntry {
  /** Milliseconds since the epoch. */
  at: number;
  status: CheckStatus;
  closed?: string;
  file: string;
  seq: number;
  severity?: FindingSeverity;
  controls: ControlMapping[];
}

/** Every dated observation of one finding that failed at least once, oldest first. */
export interface FindingHistory {
  target?: string;
  scope?: string;
  check: string;
  title?: string;
  resource?: string;
  entries: HistoryEntry[];
}

/** How often checks mapped to a control ran to a verdict, day by day (YYYY-MM-DD → occurrences). */
export interface ControlActivity {
  framework: FrameworkId;
  id: string;
  days: Map<string, number>;
}

/** A record as it bears on one control: the record, and how it was mapped there. */
export interface Cited<T> {
  record: T;
  mappings: ControlMapping[];
  fresh: boolean;
}

/** The newest observation of one check on one resource, as it bears on one control. */
export interface CheckLatest {
  check: string;
  title?: string;
  resource?: string;
  status: CheckStatus;
  observedAt?: string;
  severity?: CheckRecord['severity'];
  message?: string;
  file: string;
  fresh: boolean;
  mappings: ControlMapping[];
  /** Older observations of the same check and resource, superseded by this one. */
  earlier: number;
  /** The tool that reported it, what kind of finding it is, and the classifiers the tool gave. */
  tool?: string;
  category?: CheckCategory;
  tags?: string[];
}

/** What the automated checks mapped to a control show, aggregated: counts, and bounded examples. */
export interface ChecksSummary {
  /** Latest observations by status. */
  counts: Record<CheckStatus, number>;
  total: number;
  /** The worst failing observations (by severity), at most EXAMPLES of them; `counts.fail` has them all. */
  failing: CheckLatest[];
  /** Errored, skipped and manual results, at most EXAMPLES of them. */
  inconclusive: CheckLatest[];
  /** Passing observations per check id. */
  passing: { check: string; resources: number; /** Of those, passes within the checks' freshness window. */ fresh: number }[];
  /** For each file the checks came from, how its findings were mapped here (distinct sources). */
  files: { file: string; mappings: ControlMapping[]; newest?: string }[];
  /** Findings whose newest observation failed that are resolved since (see ResolvedFinding); not counted above. */
  resolved: { count: number; examples: ResolvedFinding[] };
}

/**
 * A finding whose newest observation failed, resolved since: closed by its tool, or no longer reported by
 * a newer scan of the same target (which is weaker evidence than a pass, and said so).
 */
export interface ResolvedFinding extends CheckLatest {
  by: 'closed' | 'absent';
  /** The day it was resolved (YYYY-MM-DD). */
  on: string;
  /** The file that shows it: the newer scan, or the tool's closing record. */
  shownBy: string;
}

export type PeriodStatus = 'effective' | 'deviations' | 'no-evidence' | 'not-applicable';
export type DeviationKind = 'check-failed' | 'not-observed' | 'cadence-missed' | 'exception-expired';

/** A time in the period when the control did not operate as it should, with why and the evidence. */
export interface Deviation {
  kind: DeviationKind;
  /** First and last day (YYYY-MM-DD), inside the period. */
  from: string;
  to: string;
  /** Still so at the period's end. */
  open: boolean;
  /** The exception that accepted the risk for these days: disclosed, not hidden. */
  accepted?: { title: string; file: string };
  check?: string;
  resource?: string;
  severity?: FindingSeverity;
  reason: string;
  evidence: string[];
}

/** What a control's evidence shows of a stretch of days, worst first: for a timeline across the period. */
export type TimelineState = 'failing' | 'accepted' | 'cadence-missed' | 'not-observed' | 'operating' | 'unknown';

export interface TimelineSegment {
  /** First and last day (YYYY-MM-DD). */
  from: string;
  to: string;
  state: TimelineState;
}

/** How a control operated over the period. */
export interface ControlPeriod {
  status: PeriodStatus;
  /** Why, in plain sentences; never empty. */
  reasons: string[];
  /** The deviations, oldest first; at most MAX_DEVIATIONS of them (the worst kept), `deviationCount` has them all. */
  deviations: Deviation[];
  deviationCount: number;
  /** Dated occurrences of the control's operation in the period: practice notes, and check observations per finding and time. */
  population: number;
  /**
   * The period day by day, in stretches of one state: a mapped check failing (or failing within an
   * accepted exception), a cadence missed, checks not reporting, evidence of operation current (a check
   * within the checks window, a practice note within the notes window), or nothing known.
   */
  timeline: TimelineSegment[];
  /**
   * The files cited for the control that hold nothing the period counts: practice notes dated outside it,
   * check results with no pass or fail dated inside it (see evidenceOutsidePeriod).
   */
  outside?: string[];
}

export interface ControlEvaluation {
  framework: FrameworkId;
  id: string;
  title: string;
  group: string;
  status: ControlStatus;
  /** Why the status is what it is, in plain sentences; never empty. */
  reasons: string[];
  applicable: boolean;
  justification?: string;
  policies: Cited<NoteRecord>[];
  practices: Cited<NoteRecord>[];
  exceptions: Cited<NoteRecord>[];
  checks: ChecksSummary;
  /** Input files cited, sorted. */
  evidence: string[];
  /** Newest observation date (YYYY-MM-DD) of evidence of operation, if any. */
  latestEvidence?: string;
  freshness: 'current' | 'stale' | 'none';
  /**
   * Every day (YYYY-MM-DD, oldest first, up to the as-of date) on which a check mapped here ran to a
   * verdict, over the whole history (not only the newest observations): how often the work is done.
   * Absent when no check ran here, or when the evaluation is a trend point.
   */
  checkDays?: string[];
  /** Operation over the period, when there is one. */
  period?: ControlPeriod;
  /**
   * How fast the failing findings mapped here were fixed against the SLA, over the same window as the
   * evaluation's remediation (its items: the worst few); none when no failing finding mapped here was open in it.
   */
  remediation?: Remediation;
}

/** All latest check observations, whatever controls they map to: for risk summaries. */
export interface FindingsSummary {
  total: number;
  counts: Record<CheckStatus, number>;
  /** Failing observations by severity (`unrated` when the tool gave none). */
  failingBySeverity: Record<FindingSeverity | 'unrated', number>;
  /** The most severe failing observations, at most EXAMPLES of them. */
  worstFailing: CheckLatest[];
  /** Findings whose newest observation failed that are resolved since (not counted above). */
  resolved: number;
}

export interface Evaluation {
  asOf: string;
  /** The audit period, when there is one. */
  period?: { from: string; to: string };
  controls: ControlEvaluation[];
  findings: FindingsSummary;
  remediation: Remediation;
  /** With a period: the point-in-time posture at each month's end inside it, computed from the history. */
  trend?: TrendPoint[];
}

/** The posture on one day, as the evidence on record then showed it. */
export interface TrendPoint {
  asOf: string;
  /** Controls by status, per framework. */
  controls: Record<FrameworkId, Record<ControlStatus, number>>;
  /** ISO/IEC 27001 Annex A controls by status: what a board is shown (`controls` counts the clauses too). */
  annexA: Record<ControlStatus, number>;
  /** Findings failing that day, by severity. */
  failingBySeverity: Record<FindingSeverity | 'unrated', number>;
  /**
   * Of the failing findings with a deadline that came due from the period's start to that day (fixed, or
   * still open past it), how many were fixed within it: the period's remediation so far.
   */
  remediation: { withinSla: number; due: number };
}

export type RatedSeverity = 'critical' | 'high' | 'medium' | 'low';

/** One failing finding open in the window, against its deadline. */
export interface RemediationItem {
  check: string;
  title?: string;
  resource?: string;
  severity?: FindingSeverity;
  /** First failing observation, and when it was resolved (YYYY-MM-DD); none while open. */
  opened: string;
  resolved?: string;
  by?: 'pass' | 'closed' | 'absent';
  /** Days from opened to resolved, or to the window's end while open. */
  daysOpen: number;
  /** The deadline in days for its severity; none for an unrated or informational finding. */
  slaDays?: number;
  withinSla: boolean;
  breached: boolean;
  open: boolean;
  files: string[];
}

export interface RemediationCounts {
  /** Opened inside the window. */
  opened: number;
  /** Resolved inside the window. */
  resolved: number;
  /** Resolved inside the window within their deadline. */
  withinSla: number;
  /** Past their deadline inside the window: resolved late, or still open after it. */
  breached: number;
  /** Still open at the window's end. */
  open: number;
}

/** How fast failing findings were fixed against the SLA, over the period (or up to the as-of date). */
export interface Remediation {
  sla: Record<RatedSeverity, number>;
  /** The window: the period, or every failure up to the as-of date. */
  window: { from?: string; to: string };
  bySeverity: Record<RatedSeverity, RemediationCounts>;
  /** Findings without a severity, or informational: counted apart, never given a deadline. */
  unrated: number;
  /** At most MAX_ITEMS of them, breaches first; `itemCount` has them all. */
  items: RemediationItem[];
  itemCount: number;
}

/** Of the findings with a deadline that came due (fixed, or still open past it), how many were fixed within it. */
export function fixedWithinDeadline(bySeverity: Record<RatedSeverity, { withinSla: number; breached: number }>): { withinSla: number; due: number } {
  const counts = Object.values(bySeverity);
  return { withinSla: counts.reduce((n, c) => n + c.withinSla, 0), due: counts.reduce((n, c) => n + c.withinSla + c.breached, 0) };
}

/** How many of these controls have each status (every status present, zeros included). */
export function countByStatus(controls: { status: ControlStatus }[]): Record<ControlStatus, number> {
  const counts = Object.fromEntries(statusOrder.map((s) => [s, 0])) as Record<ControlStatus, number>;
  for (const c of controls) counts[c.status]++;
  return counts;
}

import type { CheckRecord, CheckStatus, ControlMapping, FindingSeverity, FrameworkId, NoteRecord } from './types.js';

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
  /** Older observations of the same check and resource, superseded by this one. */
  earlier: number;
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
  passing: { check: string; resources: number }[];
  /** For each file the checks came from, how its findings were mapped here (distinct sources). */
  files: { file: string; mappings: ControlMapping[]; newest?: string }[];
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
}

/** All latest check observations, whatever controls they map to: for risk summaries. */
export interface FindingsSummary {
  total: number;
  counts: Record<CheckStatus, number>;
  /** Failing observations by severity (`unrated` when the tool gave none). */
  failingBySeverity: Record<FindingSeverity | 'unrated', number>;
  /** The most severe failing observations, at most EXAMPLES of them. */
  worstFailing: CheckLatest[];
}

export interface Evaluation {
  asOf: string;
  controls: ControlEvaluation[];
  findings: FindingsSummary;
}

/** How many of these controls have each status (every status present, zeros included). */
export function countByStatus(controls: { status: ControlStatus }[]): Record<ControlStatus, number> {
  const counts = Object.fromEntries(statusOrder.map((s) => [s, 0])) as Record<ControlStatus, number>;
  for (const c of controls) counts[c.status]++;
  return counts;
}

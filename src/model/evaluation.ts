import type { CheckRecord, CheckStatus, ControlMapping, FrameworkId, NoteRecord } from './types.js';

export type ControlStatus = 'effective' | 'deficient' | 'stale' | 'no-evidence' | 'not-applicable';

export const statusOrder: readonly ControlStatus[] = ['effective', 'deficient', 'stale', 'no-evidence', 'not-applicable'];

/** A record as it bears on one control: the record, and how it was mapped there. */
export interface Cited<T> {
  record: T;
  mappings: ControlMapping[];
  fresh: boolean;
}

/** The newest observation of one check on one resource. */
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
  checks: {
    latest: CheckLatest[];
    counts: Record<CheckStatus, number>;
  };
  /** Input files cited, sorted. */
  evidence: string[];
  /** Newest observation date (YYYY-MM-DD) of evidence of operation, if any. */
  latestEvidence?: string;
  freshness: 'current' | 'stale' | 'none';
}

export interface Evaluation {
  asOf: string;
  controls: ControlEvaluation[];
}

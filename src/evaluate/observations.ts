import type { CheckRecord, CheckStatus, ControlMapping, FindingSeverity } from '../model/types.js';

const MESSAGE_CHARS = 400;

/** The newest observation of one check on one resource, kept compact: one per pair, not per finding. */
export interface Observation {
  check: string;
  title?: string;
  resource?: string;
  status: CheckStatus;
  observedAt?: string;
  severity?: FindingSeverity;
  message?: string;
  file: string;
  /** Order of the record in its file, so ties break the same way whatever order files are read in. */
  seq: number;
  controls: ControlMapping[];
  /** Older observations of the same check and resource, superseded by this one. */
  earlier: number;
}

/** Is observation `a` newer than `b`? Undated ones rank oldest; ties go to the later file and record. */
function newer(a: Pick<Observation, 'observedAt' | 'file' | 'seq'>, b: Observation): boolean {
  const at = a.observedAt ?? '';
  const bt = b.observedAt ?? '';
  if (at !== bt) return at > bt;
  if (a.file !== b.file) return a.file > b.file;
  return a.seq > b.seq;
}

/**
 * Latest observation per check and resource. Memory grows with the number of distinct pairs, not with
 * the number of findings: re-running a scanner every day adds observations, not entries.
 */
export class ObservationIndex {
  private readonly latest = new Map<string, Observation>();

  add(record: CheckRecord, seq: number): void {
    const key = `${record.check}\u0000${record.resource ?? ''}`;
    const current = this.latest.get(key);
    const candidate = { observedAt: record.observedAt, file: record.file, seq };
    if (current && !newer(candidate, current)) {
      current.earlier++;
      return;
    }
    const message = record.message && record.message.length > MESSAGE_CHARS ? `${record.message.slice(0, MESSAGE_CHARS)}…` : record.message;
    this.latest.set(key, {
      check: record.check,
      status: record.status,
      file: record.file,
      seq,
      controls: record.controls,
      earlier: current ? current.earlier + 1 : 0,
      ...(record.title ? { title: record.title } : {}),
      ...(record.resource ? { resource: record.resource } : {}),
      ...(record.observedAt ? { observedAt: record.observedAt } : {}),
      ...(record.severity ? { severity: record.severity } : {}),
      ...(message ? { message } : {}),
    });
  }

  /** Fold another index in (a file's staged observations), keeping the newest of each pair. */
  merge(other: ObservationIndex): void {
    for (const [key, observation] of other.latest) {
      const current = this.latest.get(key);
      if (!current) this.latest.set(key, observation);
      else if (newer(observation, current)) this.latest.set(key, { ...observation, earlier: observation.earlier + current.earlier + 1 });
      else current.earlier += observation.earlier + 1;
    }
  }

  get size(): number {
    return this.latest.size;
  }

  values(): IterableIterator<Observation> {
    return this.latest.values();
  }
}

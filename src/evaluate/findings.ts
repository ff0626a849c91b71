/**
 * A finding over time: when it failed, and what ended each failure. A scanner's output is a snapshot of
 * its target; a finding ends failing when it passes, when the tool closes it, or when a newer snapshot
 * of the same target and scope no longer reports it (for a tool that reports passes, only a snapshot
 * that ran the finding's check). A snapshot of another target or scope never ends anything.
 */
import type { FindingHistory, HistoryEntry, Observation, Snapshot } from '../model/evaluation.js';
import type { ControlMapping, FindingSeverity } from '../model/types.js';

/** What ended a failure: a pass, the tool closing the finding, or its absence from a newer snapshot. */
export interface Resolution {
  at: number;
  by: 'pass' | 'closed' | 'absent';
  file: string;
  /** The tool's words, when it closed the finding. */
  closed?: string;
}

/** One stretch of time in which a finding's latest known state was failing. */
export interface FailingInterval {
  /** Its first failing observation (ms). */
  from: number;
  /** What ended it; none while it still fails. */
  resolution?: Resolution;
  /** The severity of its latest failing observation. */
  severity?: FindingSeverity;
  /** How the failing observations were mapped: the controls the failure bears on. */
  controls: ControlMapping[];
  /** The files of its failing observations, and of what ended it. */
  files: string[];
}

const snapshotKey = (target: string, scope: string | undefined) => `${target}\u0000${scope ?? ''}`;

/** Snapshots by target and scope, oldest first, for finding the next one after a time. */
export class SnapshotIndex {
  private readonly byTarget = new Map<string, Snapshot[]>();

  constructor(snapshots: Iterable<Snapshot>) {
    for (const s of snapshots) {
      const key = snapshotKey(s.target, s.scope);
      let list = this.byTarget.get(key);
      if (!list) this.byTarget.set(key, (list = []));
      list.push(s);
    }
    for (const list of this.byTarget.values()) list.sort((a, b) => a.at - b.at || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  }

  /**
   * The first snapshot of this target and scope taken after `after` (ms) that would have reported a
   * finding of `check` had it still been there.
   */
  nextCovering(target: string | undefined, scope: string | undefined, check: string, after: number): Snapshot | undefined {
    if (target === undefined) return undefined;
    const list = this.byTarget.get(snapshotKey(target, scope));
    if (!list) return undefined;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (list[mid]!.at > after) high = mid;
      else low = mid + 1;
    }
    for (let i = low; i < list.length; i++) {
      const s = list[i]!;
      if (!s.checks || s.checks.has(check)) return s;
    }
    return undefined;
  }
}

/**
 * Whether a finding whose newest observation fails is resolved all the same, and how: closed by its
 * tool, or no longer reported by a newer snapshot of its target and scope.
 */
export function resolutionOf(o: Observation, snapshots: SnapshotIndex): Resolution | undefined {
  const at = o.observedAt === undefined ? Number.NaN : Date.parse(o.observedAt);
  if (o.closed) return { at, by: 'closed', file: o.file, closed: o.closed };
  if (o.status !== 'fail' || Number.isNaN(at)) return undefined;
  const next = snapshots.nextCovering(o.target, o.scope, o.check, at);
  return next ? { at: next.at, by: 'absent', file: next.file } : undefined;
}

/** Each stretch in which the finding failed, from its first failing observation to what ended it. */
export function failingIntervals(history: FindingHistory, snapshots: SnapshotIndex): FailingInterval[] {
  const intervals: FailingInterval[] = [];
  let open: FailingInterval | undefined;
  const close = (resolution: Resolution) => {
    if (!open) return;
    open.resolution = resolution;
    if (!open.files.includes(resolution.file)) open.files.push(resolution.file);
    intervals.push(open);
    open = undefined;
  };
  const { entries } = history;
  for (let i = 0; i < entries.length; i++) {
    const e: HistoryEntry = entries[i]!;
    if (e.closed) close({ at: e.at, by: 'closed', file: e.file, closed: e.closed });
    else if (e.status === 'pass') close({ at: e.at, by: 'pass', file: e.file });
    else if (e.status === 'fail') {
      open ??= { from: e.at, controls: e.controls, files: [] };
      if (e.severity) open.severity = e.severity;
      if (!open.files.includes(e.file)) open.files.push(e.file);
    }
    // Errored, skipped and manual results say nothing of the finding: its state stays as it was.
    if (!open) continue;
    const next = snapshots.nextCovering(history.target, history.scope, history.check, e.at);
    if (!next) continue;
    // Seen again before that snapshot, or in it (its own observation may come a little after the snapshot's first): not absent.
    const following = entries[i + 1];
    if (following && following.at < next.at) continue;
    if (entries.slice(i + 1).some((later) => later.file === next.file)) continue;
    close({ at: next.at, by: 'absent', file: next.file });
  }
  if (open) intervals.push(open);
  return intervals;
}

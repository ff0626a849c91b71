import { hash } from 'node:crypto';
import type { CheckRecord, CheckStatus, ControlMapping, FindingSeverity } from '../model/types.js';
import { isCanonicalInstant } from './dates.js';

const MESSAGE_CHARS = 400;

/** The newest observation of one check on one resource. */
export interface Observation {
  check: string;
  title?: string;
  /** Kept for results that are not passes: a pass is counted per check, never named. */
  resource?: string;
  status: CheckStatus;
  observedAt?: string;
  severity?: FindingSeverity;
  /** Kept for results that are not passes, cut to MESSAGE_CHARS. */
  message?: string;
  file: string;
  /** Order of the record in its file, so ties break the same way whatever order files are read in. */
  seq: number;
  controls: ControlMapping[];
  /** Older observations of the same check and resource, superseded by this one. */
  earlier: number;
}

const STATUSES: readonly CheckStatus[] = ['pass', 'fail', 'error', 'skip', 'manual'];
const SEVERITIES: readonly (FindingSeverity | undefined)[] = [undefined, 'critical', 'high', 'medium', 'low', 'info'];
const statusCode = new Map(STATUSES.map((s, i) => [s, i]));
const severityCode = new Map(SEVERITIES.map((s, i) => [s, i]));

/**
 * An index as plain data: typed columns and string tables, one row per (check, resource) pair. It is
 * what a parse worker posts back (the columns' buffers are transferred, not copied) and what the parse
 * cache stores.
 */
export interface ObservationBatch {
  size: number;
  /** Identity of each row's (check, resource) pair (see pairKey), KEY_CHARS characters each, row after row. */
  keys: string;
  /** Milliseconds since the epoch; NaN when undated. */
  observedMs: Float64Array;
  seq: Uint32Array;
  earlier: Uint32Array;
  status: Uint8Array;
  severity: Uint8Array;
  /** Indexes into `files`, `checks`, `titles` (0 = none), `controlSets` and `details` (0 = none). */
  file: Uint32Array;
  check: Uint32Array;
  title: Uint32Array;
  controls: Uint32Array;
  /** Resource and message, kept only for results that are not passes. */
  resource: Uint32Array;
  message: Uint32Array;
  /** Rows whose observation time is not in toISOString form, with the text as given. */
  oddDates: [number, string][];
  files: string[];
  checks: string[];
  titles: string[];
  controlSets: ControlMapping[][];
  /** Resources and messages, each distinct text once: a scanner repeats its messages on every finding. */
  details: string[];
}

/** A string table: each distinct value once, with its index. */
class Interned<T> {
  readonly values: T[] = [];
  private readonly index = new Map<string, number>();
  /** The mapper shares one list between findings mapped alike: the same object needs no key. */
  private readonly seen = new WeakMap<object, number>();
  constructor(private readonly keyOf: (value: T) => string) {}
  private last: { value: T; index: number } | undefined;
  add(value: T): number {
    if (this.last && this.last.value === value) return this.last.index;
    const index = this.lookup(value);
    this.last = { value, index };
    return index;
  }
  private lookup(value: T): number {
    const same = typeof value === 'object' && value !== null ? this.seen.get(value) : undefined;
    if (same !== undefined) return same;
    const key = this.keyOf(value);
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(key, i);
    }
    if (typeof value === 'object' && value !== null) this.seen.set(value, i);
    return i;
  }
}

const controlSetKey = (set: ControlMapping[]) => set.map((m) => `${m.framework}\u0001${m.id}\u0001${m.source}\u0001${m.via ?? ''}`).join('\u0002');

/**
 * 96 bits of SHA-256 of the check (length-prefixed, so no two pairs share the text) and resource: a
 * chance collision among a billion pairs is below one in 10^10.
 */
export const pairKey = (check: string, resource: string | undefined): string => hash('sha256', `${check.length}:${check}\u0000${resource ?? ''}`, 'binary').slice(0, KEY_CHARS);
const KEY_CHARS = 12;

/** toISOString of an instant; the rows of one scan share it, so the last one is kept. */
let lastIso = { ms: Number.NaN, text: '' };
function isoOf(ms: number): string {
  if (ms !== lastIso.ms) lastIso = { ms, text: new Date(ms).toISOString() };
  return lastIso.text;
}

function grown<T extends Float64Array | Uint32Array | Uint8Array>(array: T, size: number): T {
  if (size <= array.length) return array;
  const next = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2, 64));
  next.set(array);
  return next;
}

/**
 * Latest observation per check and resource, in columns. Memory grows with the number of distinct
 * pairs (about 90 bytes each, plus resource and message for the ones that do not pass), not with the
 * number of findings: re-running a scanner every day adds observations, not rows.
 */
export class ObservationIndex {
  private readonly rows = new Map<string, number>();
  private length = 0;
  private observedMs = new Float64Array(0);
  private seq = new Uint32Array(0);
  private earlierCount = new Uint32Array(0);
  private status = new Uint8Array(0);
  private severity = new Uint8Array(0);
  private file = new Uint32Array(0);
  private check = new Uint32Array(0);
  private title = new Uint32Array(0);
  private controls = new Uint32Array(0);
  private resource = new Uint32Array(0);
  private message = new Uint32Array(0);
  private readonly oddDates = new Map<number, string>();
  private readonly files = new Interned<string>((s) => s);
  private readonly checks = new Interned<string>((s) => s);
  private readonly titles = new Interned<string>((s) => s);
  private readonly controlSets = new Interned<ControlMapping[]>(controlSetKey);
  private readonly details = new Interned<string>((s) => s);

  constructor() {
    this.titles.add('');
    this.details.add('');
  }

  get size(): number {
    return this.rows.size;
  }

  add(record: CheckRecord, seq: number): void {
    const { ms, odd } = this.timeOf(record.observedAt);
    const file = this.files.add(record.file);
    const key = pairKey(record.check, record.resource);
    const row = this.rows.get(key);
    if (row !== undefined && !this.isNewer(ms, file, seq, row)) {
      this.earlierCount[row]!++;
      return;
    }
    const at = row ?? this.newRow(key);
    this.earlierCount[at] = row === undefined ? 0 : this.earlierCount[at]! + 1;
    const message = record.message && record.message.length > MESSAGE_CHARS ? `${record.message.slice(0, MESSAGE_CHARS)}…` : record.message;
    this.write(at, {
      ms,
      odd,
      seq,
      file,
      status: statusCode.get(record.status)!,
      severity: severityCode.get(record.severity) ?? 0,
      check: this.checks.add(record.check),
      title: record.title ? this.titles.add(record.title) : 0,
      controls: this.controlSets.add(record.controls),
      ...this.detailsOf(record.status, record.resource, message),
    });
  }

  /** Fold another index or batch in (a file's staged observations), keeping the newest of each pair. */
  merge(other: ObservationIndex | ObservationBatch): void {
    const b = other instanceof ObservationIndex ? other.toBatch() : other;
    const files = b.files.map((f) => this.files.add(f));
    const checks = b.checks.map((c) => this.checks.add(c));
    const titles = b.titles.map((t) => (t ? this.titles.add(t) : 0));
    const sets = b.controlSets.map((s) => this.controlSets.add(s));
    const details = b.details.map((d) => (d ? this.details.add(d) : 0));
    const odd = new Map(b.oddDates);
    for (let i = 0; i < b.size; i++) {
      const key = b.keys.slice(i * KEY_CHARS, (i + 1) * KEY_CHARS);
      const file = files[b.file[i]!]!;
      const row = this.rows.get(key);
      if (row !== undefined && !this.isNewer(b.observedMs[i]!, file, b.seq[i]!, row)) {
        this.earlierCount[row]! += b.earlier[i]! + 1;
        continue;
      }
      const at = row ?? this.newRow(key);
      this.earlierCount[at] = b.earlier[i]! + (row === undefined ? 0 : this.earlierCount[at]! + 1);
      this.write(at, {
        ms: b.observedMs[i]!,
        odd: odd.get(i),
        seq: b.seq[i]!,
        file,
        status: b.status[i]!,
        severity: b.severity[i]!,
        check: checks[b.check[i]!]!,
        title: titles[b.title[i]!]!,
        controls: sets[b.controls[i]!]!,
        resource: details[b.resource[i]!]!,
        message: details[b.message[i]!]!,
      });
    }
  }

  /** The index as plain data, columns trimmed to its size (their buffers can be transferred). */
  toBatch(): ObservationBatch {
    const n = this.length;
    return {
      size: n,
      keys: [...this.rows.keys()].join(''),
      observedMs: this.observedMs.slice(0, n),
      seq: this.seq.slice(0, n),
      earlier: this.earlierCount.slice(0, n),
      status: this.status.slice(0, n),
      severity: this.severity.slice(0, n),
      file: this.file.slice(0, n),
      check: this.check.slice(0, n),
      title: this.title.slice(0, n),
      controls: this.controls.slice(0, n),
      resource: this.resource.slice(0, n),
      message: this.message.slice(0, n),
      oddDates: [...this.oddDates],
      files: this.files.values,
      checks: this.checks.values,
      titles: this.titles.values,
      controlSets: this.controlSets.values,
      details: this.details.values,
    };
  }

  /** Each pair's newest observation, built as it is read (the index itself keeps columns). */
  *values(): IterableIterator<Observation> {
    for (let i = 0; i < this.length; i++) {
      const ms = this.observedMs[i]!;
      const title = this.titles.values[this.title[i]!];
      const severity = SEVERITIES[this.severity[i]!];
      const resource = this.resource[i] ? this.details.values[this.resource[i]!] : undefined;
      const message = this.message[i] ? this.details.values[this.message[i]!] : undefined;
      const observedAt = this.oddDates.size ? this.oddDates.get(i) : undefined;
      const o: Observation = {
        check: this.checks.values[this.check[i]!]!,
        status: STATUSES[this.status[i]!]!,
        file: this.files.values[this.file[i]!]!,
        seq: this.seq[i]!,
        controls: this.controlSets.values[this.controls[i]!]!,
        earlier: this.earlierCount[i]!,
      };
      // Fields set only where there is a value (no undefined properties), without a spread per row.
      if (title) o.title = title;
      if (resource !== undefined) o.resource = resource;
      if (observedAt !== undefined) o.observedAt = observedAt;
      else if (!Number.isNaN(ms)) o.observedAt = isoOf(ms);
      if (severity) o.severity = severity;
      if (message) o.message = message;
      yield o;
    }
  }

  // The findings of one scan share their time: the last one read is remembered.
  private lastTime: { text: string | undefined; ms: number; odd: string | undefined } = { text: undefined, ms: Number.NaN, odd: undefined };

  private timeOf(text: string | undefined): { ms: number; odd: string | undefined } {
    if (text !== this.lastTime.text) {
      const ms = text === undefined ? Number.NaN : Date.parse(text);
      this.lastTime = { text, ms, odd: text !== undefined && (Number.isNaN(ms) || !isCanonicalInstant(text)) ? text : undefined };
    }
    return this.lastTime;
  }

  /** Is (ms, file, seq) newer than the row? Undated ranks oldest; ties go to the later file and record. */
  private isNewer(ms: number, file: number, seq: number, row: number): boolean {
    const current = this.observedMs[row]!;
    const a = Number.isNaN(ms) ? -Infinity : ms;
    const b = Number.isNaN(current) ? -Infinity : current;
    if (a !== b) return a > b;
    if (file !== this.file[row]) return this.files.values[file]! > this.files.values[this.file[row]!]!;
    return seq > this.seq[row]!;
  }

  private newRow(key: string): number {
    const at = this.length++;
    this.rows.set(key, at);
    const n = this.length;
    this.observedMs = grown(this.observedMs, n);
    this.seq = grown(this.seq, n);
    this.earlierCount = grown(this.earlierCount, n);
    this.status = grown(this.status, n);
    this.severity = grown(this.severity, n);
    this.file = grown(this.file, n);
    this.check = grown(this.check, n);
    this.title = grown(this.title, n);
    this.controls = grown(this.controls, n);
    this.resource = grown(this.resource, n);
    this.message = grown(this.message, n);
    return at;
  }

  /** Resource and message of a result that does not pass; a pass is counted, never named. */
  private detailsOf(status: CheckStatus, resource: string | undefined, message: string | undefined): { resource: number; message: number } {
    if (status === 'pass') return { resource: 0, message: 0 };
    return { resource: resource ? this.details.add(resource) : 0, message: message ? this.details.add(message) : 0 };
  }

  private write(
    at: number,
    row: { ms: number; odd: string | undefined; seq: number; file: number; status: number; severity: number; check: number; title: number; controls: number; resource: number; message: number },
  ): void {
    this.observedMs[at] = row.ms;
    if (row.odd !== undefined) this.oddDates.set(at, row.odd);
    else if (this.oddDates.size) this.oddDates.delete(at);
    this.seq[at] = row.seq;
    this.file[at] = row.file;
    this.status[at] = row.status;
    this.severity[at] = row.severity;
    this.check[at] = row.check;
    this.title[at] = row.title;
    this.controls[at] = row.controls;
    this.resource[at] = row.resource;
    this.message[at] = row.message;
  }
}


/**
 * Where a file's check results wait between the thread that read them and the store: one JSON Lines
 * file per evidence file, written as the records come (memory stays that of a buffer), and loaded by
 * the store's owner with DuckDB's own reader. Rows hold redacted, mapped records only.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { CheckRecord, ControlMapping } from '../model/types.js';

/** What one file staged: its rows, and the sets of control mappings they refer to by key. */
export interface StagedRows {
  path: string;
  rows: number;
  controlSets: Record<string, ControlMapping[]>;
}

/** A message longer than this is cut: it is shown in a report line, the evidence keeps the rest. */
export const MESSAGE_CHARS = 400;
const FLUSH_CHARS = 1 << 20;

let staged = 0;

/** Remove staged rows that will not be loaded. */
export const discardStaged = (staged: StagedRows): void => rmSync(staged.path, { force: true });

/** The key of a set of control mappings: the same set always gets the same key, in any thread. */
export function controlSetKey(set: readonly ControlMapping[]): string {
  const text = set.map((m) => `${m.framework}\u0001${m.id}\u0001${m.source}\u0001${m.via ?? ''}`).join('\u0002');
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** One staged row: short names, since a million of them are written and read. */
export interface StagedRow {
  /** Order of the record in its file. */
  s: number;
  k: string;
  t?: string;
  r?: string;
  st: CheckRecord['status'];
  sv?: string;
  /** Observation time as the record gives it, and in milliseconds since the epoch. */
  a?: string;
  m?: number;
  g?: string;
  /** Key of the control set. */
  c: string;
  /** Place in the file, as JSON. */
  p?: string;
  /** Target and scope of the snapshot, the finding's identity, and why the tool closed it. */
  tg?: string;
  sc?: string;
  i?: string;
  x?: string;
  /** Tool, category, and the classifiers the tool gave. */
  tl?: string;
  ca?: string;
  tgs?: string[];
}

export class StagingWriter {
  private fd: number | undefined;
  private buffer = '';
  private rows = 0;
  private readonly sets = new Map<string, ControlMapping[]>();
  /** The mapper shares one list between records mapped alike: the same object needs no new key. */
  private readonly keyOf = new WeakMap<readonly ControlMapping[], string>();
  private readonly path: string;

  constructor(dir: string) {
    this.path = join(dir, `${process.pid}-${threadId}-${++staged}.jsonl`);
  }

  add(record: CheckRecord, seq: number): void {
    let key = this.keyOf.get(record.controls);
    if (key === undefined) {
      key = controlSetKey(record.controls);
      this.keyOf.set(record.controls, key);
      if (!this.sets.has(key)) this.sets.set(key, record.controls);
    }
    const row: StagedRow = { s: seq, k: record.check, st: record.status, c: key };
    if (record.title) row.t = record.title;
    if (record.resource) row.r = record.resource;
    if (record.severity) row.sv = record.severity;
    if (record.observedAt) {
      row.a = record.observedAt;
      const ms = Date.parse(record.observedAt);
      if (!Number.isNaN(ms)) row.m = ms;
    }
    if (record.message) row.g = record.message.length > MESSAGE_CHARS ? `${record.message.slice(0, MESSAGE_CHARS)}…` : record.message;
    if (record.place) row.p = JSON.stringify(record.place);
    if (record.target) row.tg = record.target;
    if (record.scope) row.sc = record.scope;
    if (record.identity) row.i = record.identity;
    if (record.closed) row.x = record.closed;
    if (record.tool) row.tl = record.tool;
    if (record.category) row.ca = record.category;
    if (record.tags?.length) row.tgs = record.tags;
    this.buffer += `${JSON.stringify(row)}\n`;
    this.rows++;
    if (this.buffer.length >= FLUSH_CHARS) this.flush();
  }

  /** The staged rows, written out; none when the file had no check results. */
  finish(): StagedRows | undefined {
    if (this.rows === 0) return undefined;
    this.flush();
    closeSync(this.fd!);
    this.fd = undefined;
    return { path: this.path, rows: this.rows, controlSets: Object.fromEntries(this.sets) };
  }

  /** Drop what was staged (a file rejected halfway leaves nothing behind). */
  discard(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.path, { force: true });
  }

  private flush(): void {
    this.fd ??= openSync(this.path, 'w');
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
}

/**
 * Where a file's check results wait between the thread that read them and the store: JSON Lines loaded
 * by the store's owner with DuckDB's own reader. A file's rows are held in a buffer and, when the file
 * is read whole, appended to its bundle's one staging file; a file with more rows than the buffer holds
 * writes them to a file of its own as they come (memory stays that of a buffer). Each row carries its
 * file's part number. Rows hold redacted, mapped records only.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type { CheckRecord, ControlMapping } from '../model/types.js';

/** What one file staged: its rows, and the sets of control mappings they refer to by key. */
export interface StagedRows {
  /** The staging file, and the part number of this file's rows in it. */
  path: string;
  part: number;
  /** In its bundle's staging file (with how many files' rows, once the bundle is read), or in its own. */
  shared: boolean;
  parts?: number;
  rows: number;
  controlSets: Record<string, ControlMapping[]>;
}

/** A message longer than this is cut: it is shown in a report line, the evidence keeps the rest. */
export const MESSAGE_CHARS = 400;
const FLUSH_CHARS = 1 << 20;

let staged = 0;
const stagingPath = (dir: string, n: number) => join(dir, `${process.pid}-${threadId}-${n}.jsonl`);

/** Files' rows not yet loaded or dropped, per shared staging file (in the store's thread). */
const sharedLeft = new Map<string, number>();

/**
 * A file's staged rows are loaded, or will not be: its staging file goes once no other file's rows in it
 * are waiting. Rows of a file dropped before its bundle was done are not counted in the bundle's parts.
 */
export function releaseStaged(staged: StagedRows): void {
  if (!staged.shared) return rmSync(staged.path, { force: true });
  if (staged.parts === undefined) return;
  const left = (sharedLeft.get(staged.path) ?? staged.parts) - 1;
  if (left > 0) return void sharedLeft.set(staged.path, left);
  sharedLeft.delete(staged.path);
  rmSync(staged.path, { force: true });
}

/** One staging file for a bundle of files read together: one file to create and to load, not one per evidence file. */
export class BundleStaging {
  readonly path: string;
  private fd: number | undefined;
  private buffer = '';

  constructor(dir: string) {
    this.path = stagingPath(dir, ++staged);
  }

  append(rows: string): void {
    this.buffer += rows;
    if (this.buffer.length >= FLUSH_CHARS) this.flush();
  }

  /** The bundle is read: what its files staged (as returned) learn how many have rows here; a file none has rows in is removed. */
  close(returned: readonly (StagedRows | undefined)[]): void {
    this.flush();
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    const parts = returned.filter((staged): staged is StagedRows => staged?.path === this.path);
    for (const part of parts) part.parts = parts.length;
    if (!parts.length) rmSync(this.path, { force: true });
  }

  private flush(): void {
    if (!this.buffer) return;
    this.fd ??= openSync(this.path, 'w');
    writeSync(this.fd, this.buffer);
    this.buffer = '';
  }
}

/** The key of a set of control mappings: the same set always gets the same key, in any thread. */
export function controlSetKey(set: readonly ControlMapping[]): string {
  const text = set.map((m) => `${m.framework}\u0001${m.id}\u0001${m.source}\u0001${m.via ?? ''}`).join('\u0002');
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** One staged row: short names, since a million of them are written and read. */
export interface StagedRow {
  /** The part of the staging file: which evidence file the row is from. */
  f: number;
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
  private readonly part = ++staged;
  private readonly path: string;

  /** Rows that fit the buffer go to `bundle` when the file is read whole; without one, to a file of their own. */
  constructor(
    dir: string,
    private readonly bundle?: BundleStaging,
  ) {
    this.path = stagingPath(dir, this.part);
  }

  add(record: CheckRecord, seq: number): void {
    let key = this.keyOf.get(record.controls);
    if (key === undefined) {
      key = controlSetKey(record.controls);
      this.keyOf.set(record.controls, key);
      if (!this.sets.has(key)) this.sets.set(key, record.controls);
    }
    const row: StagedRow = { f: this.part, s: seq, k: record.check, st: record.status, c: key };
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
    const found = { part: this.part, rows: this.rows, controlSets: Object.fromEntries(this.sets) };
    if (this.bundle && this.fd === undefined) {
      this.bundle.append(this.buffer);
      this.buffer = '';
      return { path: this.bundle.path, shared: true, ...found };
    }
    this.flush();
    closeSync(this.fd!);
    this.fd = undefined;
    return { path: this.path, shared: false, ...found };
  }

  /** Drop what was staged (a file rejected halfway leaves nothing behind: its bundle never saw its rows). */
  discard(): void {
    this.buffer = '';
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

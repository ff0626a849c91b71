/**
 * The store: every check observation of every evidence file, in one embedded DuckDB database, with
 * what reading each file gave. It lives in the cache folder, so a rebuild reads only the files that
 * changed (a changed file replaces its rows, a file no longer in the folder loses them), or in a
 * temporary folder that is removed on close. Only the main thread opens it: two DuckDB instances on one
 * file lose rows without an error. Every query that feeds an output has a total order, so that the
 * same evidence gives the same bytes. Nothing above this module writes SQL; it returns plain data.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { duckdb, listOf, quoted } from './duckdb.js';
import type { DuckDBConnection, DuckDBDataChunk, DuckDBInstance, DuckDBValue } from '@duckdb/node-api';
import type { ControlActivity, FindingHistory, HistoryEntry, Observation, PassGroup, Snapshot } from '../model/evaluation.js';
import type { CheckCategory, CheckStatus, ControlMapping, FindingSeverity, FrameworkId, Place } from '../model/types.js';
import { releaseStaged, type StagedRows } from './staging.js';

/** Bump when the tables change: an older store is emptied and filled again. */
export const SCHEMA_VERSION = '5';

/** DuckDB's memory for the store: it spills to its temporary folder beyond this. */
const MEMORY_LIMIT = '192MB';

/** One check observation in a control's population: what an auditor traces back to its source. */
export interface PopulationRow {
  /** The observation time as the evidence gives it, and in milliseconds since the epoch. */
  observedAt: string;
  at: number;
  check: string;
  resource?: string;
  status: 'pass' | 'fail';
  file: string;
  sha256: string;
  place?: Place;
  target?: string;
}

/** The newest observation of a finding as the latest query gives it (see latestObservations). */
interface LatestRow {
  c: string;
  t: string | null;
  st: CheckStatus;
  sv: FindingSeverity | null;
  a: string | null;
  f: string;
  s: number;
  k: string;
  e: number;
  r: string | null;
  g: string | null;
  tg: string | null;
  sc: string | null;
  x: string | null;
  tl: string | null;
  ca: CheckCategory | null;
  tgs: string[] | null;
}

/** One observation of a finding that failed, as the histories query gives it. */
interface HistoryRow {
  /** The finding's name: target, check, identity. */
  n: [string, string, string];
  tg: string | null;
  sc: string | null;
  c: string;
  t: string | null;
  r: string | null;
  m: number;
  st: CheckStatus;
  x: string | null;
  f: string;
  s: number;
  sv: FindingSeverity | null;
  k: string;
}

/** Passing findings counted together (see PassGroup). */
interface PassRow {
  p: true;
  c: string;
  k: string;
  f: string;
  d: string | null;
  a: string | null;
  n: number;
}

/** What the store holds about one file as read with one set of settings. */
export interface StoredFile {
  id: number;
  path: string;
  sha256: string;
  /** The as-of date it was read for, and how much it set aside as dated after it. */
  asOf: string;
  setAside: number;
  newest?: string;
}

export const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta(key VARCHAR PRIMARY KEY, value VARCHAR)`,
  `CREATE TABLE IF NOT EXISTS files(
     id INTEGER PRIMARY KEY, path VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, settings VARCHAR NOT NULL,
     as_of VARCHAR NOT NULL, set_aside INTEGER NOT NULL, newest VARCHAR, result BLOB NOT NULL,
     -- false: the file's rows are findings as they arrived (a lake's Parquet), never a scan of their target
     scans BOOLEAN NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS control_sets(key VARCHAR PRIMARY KEY, mappings VARCHAR NOT NULL)`,
  // Each set's controls one per row, for questions asked per control.
  `CREATE TABLE IF NOT EXISTS control_members(key VARCHAR NOT NULL, framework VARCHAR NOT NULL, control VARCHAR NOT NULL)`,
  // Scans a file announces, a clean one among them (no observation says it took place).
  `CREATE TABLE IF NOT EXISTS snapshots(file INTEGER NOT NULL, target VARCHAR NOT NULL, scope VARCHAR NOT NULL, at_ms BIGINT NOT NULL)`,
  // A finding is (target, check, identity or resource); a snapshot is what one file reports of a target and scope.
  `CREATE TABLE IF NOT EXISTS observations(
     file INTEGER NOT NULL, seq INTEGER NOT NULL, target VARCHAR, scope VARCHAR, "check" VARCHAR NOT NULL, identity VARCHAR,
     title VARCHAR, resource VARCHAR, status VARCHAR NOT NULL, severity VARCHAR, closed VARCHAR,
     observed_at VARCHAR, observed_ms BIGINT, message VARCHAR, controls VARCHAR NOT NULL, place VARCHAR,
     tool VARCHAR, category VARCHAR, tags VARCHAR[])`,
];

const STAGED_COLUMNS = `{f: 'INTEGER', s: 'INTEGER', tg: 'VARCHAR', sc: 'VARCHAR', k: 'VARCHAR', i: 'VARCHAR', t: 'VARCHAR', r: 'VARCHAR', st: 'VARCHAR', sv: 'VARCHAR', x: 'VARCHAR', a: 'VARCHAR', m: 'BIGINT', g: 'VARCHAR', c: 'VARCHAR', p: 'VARCHAR', tl: 'VARCHAR', ca: 'VARCHAR', tgs: 'VARCHAR[]'}`;

/** The columns that name a finding: the same check on the same thing of the same target. */
const FINDING = `coalesce(o.target, ''), o."check", coalesce(o.identity, o.resource, '')`;
const FINDING_KEY = `concat_ws(chr(0), ${FINDING})`;
/** Each file's rank by path: which of two files holding the same observation comes first. */
const FILE_RANKS = `ranks AS (SELECT id, row_number() OVER (ORDER BY path) AS rank FROM files)`;
/** An observation `o` (joined to its control sets' members `m`) of the control $framework $id that counts in its population over [$from, $to]: a verdict dated in it. */
const IN_POPULATION = `m.framework = $framework AND m.control = $id AND o.status IN ('pass', 'fail') AND o.observed_ms BETWEEN $from AND $to`;
/**
 * The first occurrence of each finding and time in a control's population: the row of the first file
 * (by path) and place that has it, picked by a grouped min of a small key, in bounded memory. A window
 * over the rows ran out of 192 MB at 2.4 million (a lake's control over six months); this spills.
 */
const POPULATION_FIRST = `first AS (
  SELECT min({'rank': r.rank, 'seq': o.seq, 'row': o.rowid, 'file': o.file}) AS first
  FROM observations o JOIN ranks r ON r.id = o.file JOIN control_members m ON m.key = o.controls
  WHERE ${IN_POPULATION}
  GROUP BY ${FINDING}, o.observed_ms)`;


/** Files put are loaded together, so many small files cost one load, not one each. */
const BATCH_FILES = 512;
const BATCH_ROWS = 250_000;

/** A scan a file announces: its target and scope, and when (ms). */
export interface AnnouncedSnapshot {
  target: string;
  scope: string;
  at: number;
}

interface Pending extends StoredFile {
  settings: string;
  result: Uint8Array;
  staged?: StagedRows;
  snapshots?: AnnouncedSnapshot[];
  /** See the files table: false for files whose rows are findings as they arrived. */
  scans: boolean;
}

/** A file whose rows were loaded by SQL (a Parquet file), to be kept like one put. */
export type LoadedFile = Omit<StoredFile, 'id'> & { id: number; settings: string; result: Uint8Array };

export class Store {
  private nextId = 1;
  private readonly controlSets = new Map<string, ControlMapping[]>();
  /** Every path the store holds, with the id of its entry. */
  private readonly pathIds = new Map<string, number>();
  private pending: Pending[] = [];
  private pendingRows = 0;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly db: DuckDBConnection,
    /** Where files are staged for loading. */
    readonly stagingDir: string,
    private readonly folder: string,
    /** Removed on close: the store was made for this build only. */
    readonly temporary: boolean,
  ) {}

  /**
   * The store in `dir` (made if needed; started afresh when what is there cannot be opened), or in a
   * temporary folder when `dir` is undefined, held by another build (DuckDB locks its file) or unusable:
   * a store that cannot be kept only makes the next build slower.
   */
  static async open(dir: string | undefined): Promise<Store> {
    if (dir !== undefined) {
      try {
        return await Store.openIn(dir, false);
      } catch (error) {
        if (!/lock/i.test((error as Error).message)) {
          try {
            rmSync(dir, { recursive: true, force: true });
            return await Store.openIn(dir, false);
          } catch {
            // Not even a new one can be made there.
          }
        }
      }
    }
    return Store.openIn(mkdtempSync(join(tmpdir(), 'legible-store-')), true);
  }

  private static async openIn(folder: string, temporary: boolean): Promise<Store> {
    const stagingDir = join(folder, 'staging');
    mkdirSync(stagingDir, { recursive: true });
    mkdirSync(join(folder, 'tmp'), { recursive: true });
    let instance: DuckDBInstance;
    try {
      // DuckDB keeps the bytes of the files it reads (a lake's Parquet) in a cache beside its memory
      // limit: off, reading the 1M-row lake's 4,743 files peaks at 306 MB instead of 538 MB.
      instance = await duckdb.DuckDBInstance.create(join(folder, 'legible.duckdb'), { memory_limit: MEMORY_LIMIT, temp_directory: join(folder, 'tmp'), enable_external_file_cache: 'false' });
    } catch (error) {
      if (temporary) rmSync(folder, { recursive: true, force: true });
      throw error;
    }
    const db = await instance.connect();
    // Results follow the process time zone unless told otherwise: evidence times are UTC.
    await db.run(`SET TimeZone = 'UTC'`);
    // Rows are ordered where it matters, by the queries: loading need not keep them in order, and takes less memory so.
    await db.run(`SET preserve_insertion_order = false`);
    const store = new Store(instance, db, stagingDir, folder, temporary);
    await store.prepare();
    return store;
  }

  private async prepare(): Promise<void> {
    for (const statement of SCHEMA) await this.db.run(statement);
    const version = (await this.db.runAndReadAll(`SELECT value FROM meta WHERE key = 'schema'`)).getRows()[0]?.[0];
    if (version !== SCHEMA_VERSION) {
      for (const table of ['observations', 'snapshots', 'control_members', 'control_sets', 'files', 'meta']) await this.db.run(`DROP TABLE IF EXISTS ${table}`);
      for (const statement of SCHEMA) await this.db.run(statement);
      await this.db.run(`INSERT INTO meta VALUES ('schema', ${quoted(SCHEMA_VERSION)})`);
    }
    // A build stopped while loading a file leaves rows no file entry owns.
    for (const table of ['observations', 'snapshots']) await this.db.run(`DELETE FROM ${table} WHERE file NOT IN (SELECT id FROM files)`);
    for (const [id, path] of (await this.db.runAndReadAll(`SELECT id, path FROM files`)).getRows()) {
      this.pathIds.set(path as string, id as number);
      this.nextId = Math.max(this.nextId, (id as number) + 1);
    }
    for (const [key, mappings] of (await this.db.runAndReadAll(`SELECT key, mappings FROM control_sets`)).getRows()) {
      this.controlSets.set(key as string, JSON.parse(mappings as string) as ControlMapping[]);
    }
  }

  /** The files read with these settings, by path. */
  async files(settings: string): Promise<Map<string, StoredFile>> {
    const reader = await this.db.runAndReadAll(`SELECT id, path, sha256, as_of, set_aside, newest FROM files WHERE settings = $settings`, { settings });
    const found = new Map<string, StoredFile>();
    for (const [id, path, sha256, asOf, setAside, newest] of reader.getRows()) {
      found.set(path as string, { id: id as number, path: path as string, sha256: sha256 as string, asOf: asOf as string, setAside: setAside as number, ...(newest ? { newest: newest as string } : {}) });
    }
    return found;
  }

  /** What reading each of these stored files gave, as it was put, by id. */
  async results(files: readonly StoredFile[]): Promise<Map<number, Uint8Array>> {
    const found = new Map<number, Uint8Array>();
    for (let i = 0; i < files.length; i += 1000) {
      const ids = files.slice(i, i + 1000).map((f) => f.id);
      for (const [id, value] of (await this.db.runAndReadAll(`SELECT id, result FROM files WHERE id IN (${ids.join(', ')})`)).getRows()) {
        if (value && typeof value === 'object' && 'bytes' in value) found.set(id as number, value.bytes as Uint8Array);
      }
    }
    const missing = files.find((f) => !found.has(f.id));
    if (missing) throw new Error(`the store has no result for ${missing.path}`);
    return found;
  }

  /**
   * Keep what reading a file gave, replacing whatever the store held for its path: its result, and the
   * rows it staged (loaded with others, then their staging file removed).
   */
  async put(entry: Omit<StoredFile, 'id'> & { settings: string; result: Uint8Array; staged?: StagedRows; snapshots?: AnnouncedSnapshot[] }): Promise<StoredFile> {
    const id = this.nextId++;
    this.pending.push({ ...entry, id, scans: true });
    this.pendingRows += entry.staged?.rows ?? 0;
    if (this.pending.length >= BATCH_FILES || this.pendingRows >= BATCH_ROWS) await this.flush();
    const { result: _result, staged: _staged, settings: _settings, snapshots: _snapshots, ...stored } = entry;
    return { id, ...stored };
  }

  /** Load what was put since the last load. */
  private async flush(): Promise<void> {
    const batch = this.pending;
    if (!batch.length) return;
    this.pending = [];
    this.pendingRows = 0;
    await this.forgetReplaced(batch);
    const announced = batch.flatMap((p) => (p.snapshots ?? []).map((a) => `(${p.id}, ${quoted(a.target)}, ${quoted(a.scope)}, ${Math.round(a.at)})`));
    if (announced.length) await this.db.run(`INSERT INTO snapshots VALUES ${announced.join(', ')}`);
    const staged = batch.filter((p): p is Pending & { staged: StagedRows } => p.staged !== undefined);
    try {
      const sets = new Map<string, ControlMapping[]>();
      for (const { staged: rows } of staged) for (const [key, mappings] of Object.entries(rows.controlSets)) sets.set(key, mappings);
      await this.addControlSets(sets);
      if (staged.length) {
        // One thread loads: two would each take a reader's buffers, more than the memory limit holds
        // with rows this wide; the parse workers keep the other core busy meanwhile. (Back to 192 MB
        // from 128: with two threads the queries below still ran out at 128.)
        await this.db.run(`SET threads = 1`);
        await this.db.run(
          `INSERT INTO observations
           SELECT m.id, s.s, s.tg, s.sc, s.k, s.i, s.t, s.r, s.st, s.sv, s.x, s.a, s.m, s.g, s.c, s.p, s.tl, s.ca, s.tgs
           FROM read_json([${[...new Set(staged.map((p) => quoted(p.staged.path)))].join(', ')}], format = 'newline_delimited', filename = true, columns = ${STAGED_COLUMNS}) s
           JOIN (VALUES ${staged.map((p) => `(${quoted(p.staged.path)}, ${p.staged.part}, ${p.id})`).join(', ')}) m(path, part, id) ON s.filename = m.path AND s.f = m.part`,
        );
        await this.db.run(`RESET threads`);
      }
    } finally {
      for (const p of staged) releaseStaged(p.staged);
    }
    await this.appendFiles(batch);
  }

  /** Drop what the store held for the paths of these files: each replaces it. */
  private async forgetReplaced(batch: readonly { id: number; path: string }[]): Promise<void> {
    const replaced = batch.map((p) => this.pathIds.get(p.path)).filter((id): id is number => id !== undefined);
    if (replaced.length) {
      for (const table of ['observations', 'snapshots']) await this.db.run(`DELETE FROM ${table} WHERE file IN (${replaced.join(', ')})`);
      await this.db.run(`DELETE FROM files WHERE id IN (${replaced.join(', ')})`);
    }
    for (const p of batch) this.pathIds.set(p.path, p.id);
  }

  private async appendFiles(batch: readonly Pending[]): Promise<void> {
    const appender = await this.db.createAppender('files');
    for (const p of batch) {
      appender.appendInteger(p.id);
      appender.appendVarchar(p.path);
      appender.appendVarchar(p.sha256);
      appender.appendVarchar(p.settings);
      appender.appendVarchar(p.asOf);
      appender.appendInteger(p.setAside);
      if (p.newest === undefined) appender.appendNull();
      else appender.appendVarchar(p.newest);
      appender.appendBlob(p.result);
      appender.appendBoolean(p.scans);
      appender.endRow();
    }
    appender.closeSync();
  }

  /** Keep sets of control mappings the store does not hold yet, by key, with their controls one per row. */
  async addControlSets(sets: ReadonlyMap<string, ControlMapping[]>): Promise<void> {
    const added = [...sets].filter(([key]) => !this.controlSets.has(key));
    if (!added.length) return;
    await this.db.run(`INSERT OR IGNORE INTO control_sets VALUES ${added.map(([key, mappings]) => `(${quoted(key)}, ${quoted(JSON.stringify(mappings))})`).join(', ')}`);
    const members = added.flatMap(([key, mappings]) => [...new Set(mappings.map((m) => `${m.framework}\u0000${m.id}`))].map((ref) => [key, ...ref.split('\u0000')]));
    if (members.length) await this.db.run(`INSERT INTO control_members VALUES ${members.map((m) => `(${m.map((v) => quoted(v!)).join(', ')})`).join(', ')}`);
    for (const [key, mappings] of added) this.controlSets.set(key, mappings);
  }

  /** Ids for files whose rows are loaded by SQL (lake.ts) before they are kept with `keepLoaded`. */
  reserveIds(count: number): number[] {
    return Array.from({ length: count }, () => this.nextId++);
  }

  /**
   * Work on the database itself, what was put loaded first: for the store's own modules (lake.ts),
   * with a folder for their temporary files.
   */
  async connection<T>(work: (db: DuckDBConnection, temporaryDir: string) => Promise<T>): Promise<T> {
    await this.flush();
    return work(this.db, join(this.folder, 'tmp'));
  }

  /**
   * Keep files whose rows were loaded by SQL under their reserved ids, replacing whatever the store held
   * for their paths. Their rows are findings as they arrived, never a scan of their target.
   */
  async keepLoaded(files: readonly LoadedFile[]): Promise<void> {
    await this.flush();
    const batch = files.map((f) => ({ ...f, scans: false }));
    await this.forgetReplaced(batch);
    await this.appendFiles(batch);
  }

  /** Forget every file but these (by id): files gone from the folder, or read with other settings. */
  async retain(ids: ReadonlySet<number>): Promise<void> {
    await this.flush();
    for (const [path, id] of this.pathIds) if (!ids.has(id)) this.pathIds.delete(path);
    const list = [...ids].join(', ') || 'NULL';
    for (const table of ['observations', 'snapshots']) await this.db.run(`DELETE FROM ${table} WHERE file NOT IN (${list})`);
    await this.db.run(`DELETE FROM files WHERE id NOT IN (${list})`);
  }

  /**
   * Run a query and read its result a chunk at a time. A sort of wide rows on two threads can need more
   * than the memory limit before it spills (DuckDB 1.5 fails with "failed to pin block"); on one it
   * spills and finishes.
   */
  private async *chunks(sql: string, values: Record<string, DuckDBValue>, options: { oneThread?: boolean }): AsyncIterable<DuckDBDataChunk> {
    await this.flush();
    if (options.oneThread) await this.db.run(`SET threads = 1`);
    try {
      const result = await this.db.stream(sql, values);
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) yield chunk;
    } finally {
      if (options.oneThread) await this.db.run(`RESET threads`);
    }
  }

  /**
   * Run a query whose one column is each row as JSON, and read the rows a chunk at a time as objects:
   * three times faster than reading a dozen columns value by value (1M rows: 3.6 s against 12 s).
   */
  private async *jsonRows<T>(sql: string, values: Record<string, DuckDBValue> = {}, options: { oneThread?: boolean } = {}): AsyncIterable<T[]> {
    for await (const chunk of this.chunks(sql, values, options)) {
      const column = chunk.getColumnVector(0);
      const rows = new Array<T>(chunk.rowCount);
      for (let i = 0; i < chunk.rowCount; i++) rows[i] = JSON.parse(column.getItem(i) as string) as T;
      yield rows;
    }
  }

  /** Run a query and read its rows a chunk at a time, each chunk as arrays of plain values. */
  private async *rows(sql: string, values: Record<string, DuckDBValue> = {}, options: { oneThread?: boolean } = {}): AsyncIterable<unknown[][]> {
    for await (const chunk of this.chunks(sql, values, options)) yield chunk.getRows() as unknown[][];
  }

  /**
   * The newest observation of each finding (a check on one thing of one target) up to `until` (ms), with
   * the number of older ones, in chunks. Newest by observation time (undated ranks oldest), then by file
   * path and order in the file.
   */
  async *latestObservations(until = Number.MAX_SAFE_INTEGER): AsyncIterable<{ observations: Observation[]; passes: PassGroup[] }> {
    // The newest per finding is the greatest (time, file path's rank, order in the file), undated lowest:
    // picked by a grouped max of a small key with the row's id, and the rows fetched by id — which DuckDB
    // does in bounded memory. A pass is counted, never named: passes come counted by check, controls,
    // file and day, and only the rest one by one.
    const chunks = this.jsonRows<LatestRow | PassRow>(
      `WITH ${FILE_RANKS},
      newest AS (
        SELECT count(*) - 1 AS earlier, max({'at': coalesce(o.observed_ms, -9223372036854775807), 'rank': r.rank, 'seq': o.seq, 'row': o.rowid}).row AS row
        FROM observations o JOIN ranks r ON r.id = o.file
        WHERE o.observed_ms IS NULL OR o.observed_ms <= $until
        GROUP BY ${FINDING}),
      latest AS MATERIALIZED (
        SELECT o.*, n.earlier, f.path FROM observations o JOIN newest n ON o.rowid = n.row JOIN files f ON f.id = o.file)
      SELECT to_json({c: "check", t: title, st: status, sv: severity, a: observed_at, f: path, s: seq, k: controls, e: earlier,
                      r: resource, g: message, tg: target, sc: scope, x: closed, tl: tool, ca: category, tgs: tags})::VARCHAR
      FROM latest WHERE status <> 'pass' OR closed IS NOT NULL
      UNION ALL
      SELECT to_json({p: true, c: "check", k: controls, f: path, d: substr(observed_at, 1, 10), a: max(observed_at), n: count(*)})::VARCHAR
      FROM latest WHERE status = 'pass' AND closed IS NULL
      GROUP BY "check", controls, path, substr(observed_at, 1, 10)`,
      { until },
    );
    for await (const rows of chunks) {
      const observations: Observation[] = [];
      const passes: PassGroup[] = [];
      for (const row of rows) {
        if ('p' in row) {
          passes.push({ check: row.c, controls: this.controlSets.get(row.k)!, file: row.f, ...(row.d ? { day: row.d, newest: row.a! } : {}), count: row.n });
          continue;
        }
        const o: Observation = { check: row.c, status: row.st, file: row.f, seq: row.s, controls: this.controlSets.get(row.k)!, earlier: row.e };
        if (row.t) o.title = row.t;
        if (row.a) o.observedAt = row.a;
        if (row.sv) o.severity = row.sv;
        if (row.r) o.resource = row.r;
        if (row.g) o.message = row.g;
        if (row.tg) o.target = row.tg;
        if (row.sc) o.scope = row.sc;
        if (row.x) o.closed = row.x;
        if (row.tl) o.tool = row.tl;
        if (row.ca) o.category = row.ca;
        if (row.tgs?.length) o.tags = row.tgs;
        observations.push(o);
      }
      yield { observations, passes };
    }
  }

  /**
   * Every snapshot observed up to `until` (ms): what one file reports of one target and scope, dated by
   * its earliest observation, with the checks it ran when it reports passes. Sorted by target, scope,
   * time and file.
   */
  async snapshots(until: number): Promise<Snapshot[]> {
    const found: Snapshot[] = [];
    // A file's verdicts on a target and scope are a snapshot of it (a file of errors alone is no scan);
    // so is a scan the file announced, clean ones among them.
    const chunks = this.rows(
      `WITH reported AS (
         SELECT o.file, o.target, coalesce(o.scope, '') AS scope, min(o.observed_ms) AS at,
                CASE WHEN bool_or(o.status = 'pass') THEN list(DISTINCT o."check" ORDER BY o."check") END AS checks
         FROM observations o JOIN files f ON f.id = o.file AND f.scans
         WHERE o.target IS NOT NULL AND o.observed_ms IS NOT NULL AND o.observed_ms <= $until
         GROUP BY o.file, o.target, coalesce(o.scope, '')
         HAVING bool_or(o.status IN ('pass', 'fail'))),
       announced AS (SELECT file, target, scope, min(at_ms) AS at FROM snapshots WHERE at_ms <= $until GROUP BY ALL)
       SELECT coalesce(r.target, a.target) AS target, coalesce(r.scope, a.scope) AS scope, least(r.at, a.at) AS at, f.path, r.checks
       FROM reported r FULL OUTER JOIN announced a ON a.file = r.file AND a.target = r.target AND a.scope = r.scope
       JOIN files f ON f.id = coalesce(r.file, a.file)
       ORDER BY 1, 2, 3, 4`,
      { until },
    );
    for await (const rows of chunks) {
      for (const [target, scope, at, file, checks] of rows) {
        found.push({ target: target as string, scope: scope as string, at: Number(at), file: file as string, ...(checks ? { checks: new Set(listOf(checks)) } : {}) });
      }
    }
    return found;
  }

  /**
   * The history of every finding that failed at least once up to `until` (ms): its dated observations up
   * to then, oldest first (ties by file path and order in it), findings in a fixed order.
   */
  async *failingHistories(until: number): AsyncIterable<FindingHistory> {
    // The findings that failed are picked by a 64-bit hash of their names: a small set to join on in
    // bounded memory. A finding that merely shares a hash comes along and has no failure to show.
    const chunks = this.jsonRows<HistoryRow>(
      `WITH failed AS (
         SELECT DISTINCT hash(${FINDING}) AS h FROM observations o WHERE o.status = 'fail' AND o.observed_ms <= $until)
       SELECT to_json({n: [${FINDING}], tg: o.target, sc: o.scope, c: o."check", t: o.title, r: o.resource, m: o.observed_ms, st: o.status, x: o.closed, f: f.path, s: o.seq, sv: o.severity, k: o.controls})::VARCHAR
       FROM observations o JOIN files f ON f.id = o.file
       WHERE o.observed_ms IS NOT NULL AND o.observed_ms <= $until AND hash(${FINDING}) IN (SELECT h FROM failed)
       ORDER BY ${FINDING}, o.observed_ms, f.path, o.seq`,
      { until },
      { oneThread: true },
    );
    let current: FindingHistory | undefined;
    let currentKey = '';
    for await (const rows of chunks) {
      for (const row of rows) {
        const key = row.n.join('\u0000');
        if (!current || key !== currentKey) {
          if (current) yield current;
          currentKey = key;
          current = { check: row.c, entries: [] };
          if (row.tg) current.target = row.tg;
          if (row.sc) current.scope = row.sc;
        }
        // The newest title and resource name the finding (a tag in the resource may have changed).
        if (row.t) current.title = row.t;
        if (row.r) current.resource = row.r;
        const entry: HistoryEntry = { at: row.m, status: row.st, file: row.f, seq: row.s, controls: this.controlSets.get(row.k)! };
        if (row.x) entry.closed = row.x;
        if (row.sv) entry.severity = row.sv;
        current.entries.push(entry);
      }
    }
    if (current) yield current;
  }

  /**
   * For each control, the days up to `until` (ms) on which checks mapped to it ran to a verdict (pass or
   * fail), with how many findings were observed that day; and every control any check maps to.
   */
  async controlActivity(until: number): Promise<{ activity: ControlActivity[]; withChecks: Set<string> }> {
    const activity = new Map<string, ControlActivity>();
    const byDay = this.rows(
      `SELECT m.framework, m.control, strftime(make_timestamp(o.observed_ms * 1000), '%Y-%m-%d') AS day,
              count(DISTINCT (${FINDING_KEY}, o.observed_ms))
       FROM observations o JOIN control_members m ON m.key = o.controls
       WHERE o.status IN ('pass', 'fail') AND o.observed_ms IS NOT NULL AND o.observed_ms <= $until
       GROUP BY ALL ORDER BY 1, 2, 3`,
      { until },
    );
    for await (const rows of byDay) {
      for (const [framework, id, day, n] of rows) {
        const key = `${framework}:${id}`;
        let a = activity.get(key);
        if (!a) activity.set(key, (a = { framework: framework as FrameworkId, id: id as string, days: new Map() }));
        a.days.set(day as string, Number(n));
      }
    }
    const withChecks = new Set<string>();
    for await (const rows of this.rows(`SELECT DISTINCT m.framework, m.control FROM observations o JOIN control_members m ON m.key = o.controls`)) {
      for (const [framework, id] of rows) withChecks.add(`${framework}:${id}`);
    }
    return { activity: [...activity.values()], withChecks };
  }

  /**
   * Every dated observation of a control's operation from `from` to `to` (ms, both included): each check
   * observation that ran to a verdict, once per finding and time, with the file it is in, that file's
   * SHA-256 and the place in it. Oldest first, then by check, resource and file: one order on every run.
   */
  async *population(framework: FrameworkId, id: string, from: number, to: number): AsyncIterable<PopulationRow[]> {
    // One row per finding and time, from the first file (by path) and place that has it.
    const chunks = this.rows(
      `WITH ${FILE_RANKS}, ${POPULATION_FIRST}
      SELECT o.observed_at, o.observed_ms, o."check", o.resource, o.status, f.path, f.sha256, o.place, o.target
       FROM observations o JOIN first p ON o.rowid = p.first.row JOIN files f ON f.id = o.file
       ORDER BY o.observed_ms, o."check", o.resource NULLS FIRST, f.path, o.seq`,
      { framework, id, from, to },
      { oneThread: true },
    );
    for await (const rows of chunks) {
      yield rows.map(([observedAt, ms, check, resource, status, file, sha256, place, target]) => ({
        observedAt: observedAt as string,
        at: Number(ms),
        check: check as string,
        ...(resource ? { resource: resource as string } : {}),
        status: status as 'pass' | 'fail',
        file: file as string,
        sha256: sha256 as string,
        ...(place ? { place: JSON.parse(place as string) as Place } : {}),
        ...(target ? { target: target as string } : {}),
      }));
    }
  }

  /**
   * Which of `paths` a control's population from `from` to `to` (ms) cites: the files that hold a verdict
   * in it which no file before them (by path) holds as well. Files with no verdict of the control in
   * the period at all (the usual answer) are told by one filtered scan, not by grouping the population.
   */
  async populationFiles(framework: FrameworkId, id: string, from: number, to: number, paths: readonly string[]): Promise<Set<string>> {
    const values = { framework, id, from, to };
    const withVerdicts = await this.pathsAmong(
      paths,
      `SELECT DISTINCT f.path FROM observations o JOIN files f ON f.id = o.file JOIN control_members m ON m.key = o.controls
       WHERE f.path IN (SELECT unnest($paths)) AND ${IN_POPULATION}`,
      values,
    );
    if (!withVerdicts.size) return withVerdicts;
    return this.pathsAmong(
      [...withVerdicts],
      `WITH ${FILE_RANKS}, ${POPULATION_FIRST}
       SELECT DISTINCT f.path FROM first p JOIN files f ON f.id = p.first.file WHERE f.path IN (SELECT unnest($paths))`,
      values,
      { oneThread: true },
    );
  }

  /** The paths a query of one column gives, asked of `paths` (bound as $paths). */
  private async pathsAmong(paths: readonly string[], sql: string, values: Record<string, DuckDBValue>, options: { oneThread?: boolean } = {}): Promise<Set<string>> {
    const found = new Set<string>();
    for await (const rows of this.rows(sql, { ...values, paths: duckdb.listValue([...paths]) }, options)) for (const [path] of rows) found.add(path as string);
    return found;
  }

  /** Close the store; what was put since the last load is dropped (it is read again next time). */
  async close(): Promise<void> {
    for (const p of this.pending) if (p.staged) releaseStaged(p.staged);
    this.db.closeSync();
    this.instance.closeSync();
    rmSync(this.temporary ? this.folder : this.stagingDir, { recursive: true, force: true });
  }
}

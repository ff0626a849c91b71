import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import type { Catalog } from '../catalog/catalog.js';
import type { CollectedFile } from '../collect/collect.js';
import { diagnostic } from '../diagnostics/codes.js';
import { packageRoot } from '../util/package-root.js';
import { mapLimit } from '../util/pool.js';
import { deserialize, serialize } from 'node:v8';
import { dayOf } from '../evaluate/dates.js';
import type { InputFile } from '../model/types.js';
import { parsedSoFar } from '../parse/parser.js';
import type { Store, StoredFile } from '../store/store.js';
import { settingsKey } from './cache.js';
import { BundleStaging, releaseStaged } from '../store/staging.js';
import type { Ingester } from './ingest-file.js';
import type { ParquetTask } from './parquet.js';
import { emptyResult, type Ingested, type IngestedFile, type IngestSettings, type IngestTask } from './result.js';

export interface IngestAllOptions {
  settings: IngestSettings;
  catalog: Catalog;
  /** Keeps what each file gave: a file it holds unchanged is not read again. */
  store: Store;
  /** Parse workers wanted; 0 reads every file in this thread; by default see workerCount. */
  workers?: number;
  /** Told, now and then, how much evidence has been read so far (by every thread, cache hits included). */
  onProgress?: (so: { bytes: number; records: number }) => void;
}

export interface WorkerData {
  settings: IngestSettings;
  /** See progressSlots. */
  progress: SharedArrayBuffer;
}

/** A shared buffer in which each worker claims a slot and keeps the count of bytes and records it has parsed. */
export function progressSlots(buffer: SharedArrayBuffer) {
  return { claimed: new Int32Array(buffer, 0, 1), bytes: new Float64Array(buffer, 8, MAX_WORKERS), records: new Float64Array(buffer, 8 + 8 * MAX_WORKERS, MAX_WORKERS) };
}

/** Below this much evidence to parse, starting workers costs more than it saves. */
const WORKERS_FROM_BYTES = 16 * 1024 * 1024;
const WORKERS_FROM_FILES = 400;
const MAX_WORKERS = 64;

/** A file this large is a task of its own; smaller ones travel in bundles, to spare a message each. */
const BIG_FILE = 1024 * 1024;
const BUNDLE_FILES = 64;
const BUNDLE_BYTES = 4 * 1024 * 1024;
/** Files of a bundle read at once: small files are mostly waiting for the disk. */
const FILES_AT_ONCE = 8;

/** How many parse workers to start: as asked, or one per core for inputs large enough to pay for them. */
export function workerCount(files: readonly CollectedFile[], wanted: number | undefined): number {
  if (wanted !== undefined) return Math.max(0, Math.min(wanted, files.length));
  const bytes = files.reduce((n, f) => n + f.file.bytes, 0);
  if (bytes < WORKERS_FROM_BYTES && files.length < WORKERS_FROM_FILES) return 0;
  return Math.min(availableParallelism(), files.length);
}

/** Read a bundle of files, a few at a time (small files are mostly waiting for the disk), their rows staged in one file. */
export async function ingestBundle(tasks: readonly IngestTask[], ingest: Ingester, stagingDir: string): Promise<Ingested[]> {
  const bundle = new BundleStaging(stagingDir);
  const results = await mapLimit(tasks, FILES_AT_ONCE, (task) => ingest(task, bundle));
  bundle.close(results.map((r) => ('staged' in r ? r.staged : undefined)));
  return results;
}

/** A file's result as it bears on the build: read now, or `cached` in the store. */
export type FileResult = IngestedFile & { cached: boolean; hashedAt?: number };

/**
 * Whether what the store holds for a file holds for this as-of date: that date only sets aside records
 * dated after it, so a result with none set aside, and none that would be now, holds for any.
 */
export const holdsFor = (stored: StoredFile, asOf: string): boolean =>
  stored.asOf === asOf || (stored.setAside === 0 && (stored.newest === undefined || dayOf(stored.newest) <= asOf));

/** Big files first, each alone, so no worker is left with one while the others have finished; then bundles. */
function bundlesOf(files: readonly CollectedFile[], indexes: number[]): number[][] {
  const order = [...indexes].sort((a, b) => files[b]!.file.bytes - files[a]!.file.bytes || a - b);
  const tasks: number[][] = [];
  let bundle: number[] = [];
  let bytes = 0;
  for (const i of order) {
    const size = files[i]!.file.bytes;
    if (size >= BIG_FILE) {
      tasks.push([i]);
      continue;
    }
    if (bundle.length >= BUNDLE_FILES || bytes + size > BUNDLE_BYTES) {
      tasks.push(bundle);
      bundle = [];
      bytes = 0;
    }
    bundle.push(i);
    bytes += size;
  }
  if (bundle.length) tasks.push(bundle);
  return tasks;
}

/**
 * Read every collected file, handing each result to `consume` as it comes (so no more than a few
 * files' results are held at once), with its index in `files`; results may come in any order. A file
 * the store holds unchanged is taken from it; the rest are read in workers where it pays, and what each
 * gives is put in the store (a file read again replaces its rows there). When all are read, the store
 * forgets every file this build did not use. A worker that dies takes only its files with it: they are
 * rejected.
 */
export async function ingestAll(files: readonly CollectedFile[], options: IngestAllOptions, consume: (result: FileResult, index: number) => void): Promise<{ workers: number }> {
  const cache = { bytes: 0, records: 0 };
  const progress = new SharedArrayBuffer(8 + 16 * MAX_WORKERS);
  const slots = progressSlots(progress);
  const sum = (column: Float64Array) => column.reduce((a, b) => a + b, 0);
  const tell = () => {
    const here = parsedSoFar();
    options.onProgress?.({ bytes: cache.bytes + here.bytes + sum(slots.bytes), records: cache.records + here.records + sum(slots.records) });
  };
  const ticking = options.onProgress ? setInterval(tell, 200) : undefined;
  try {
    return await ingestEvery(files, options, progress, (result, index) => {
      // A stored file is not parsed: no thread counts it but this one.
      if (result.cached) {
        cache.bytes += result.summary.file.bytes;
        cache.records += result.summary.records;
      }
      consume(result, index);
      tell();
    });
  } finally {
    clearInterval(ticking);
  }
}

async function ingestEvery(
  files: readonly CollectedFile[],
  options: IngestAllOptions,
  progress: SharedArrayBuffer,
  consume: (result: FileResult, index: number) => void,
): Promise<{ workers: number }> {
  const { settings, store } = options;
  const key = settingsKey(settings);
  const stored = await store.files(key);
  const used = new Set<number>();
  // One connection to the store: its reads and writes go one after the other, in the order results come.
  let queue = Promise.resolve();
  const inOrder = (work: () => Promise<void>) => (queue = queue.then(work));
  const fromStore = (entry: StoredFile, bytes: Uint8Array, file: InputFile, index: number, hashedAt?: number) => {
    const result = deserialize(bytes) as IngestedFile;
    used.add(entry.id);
    consume({ ...result, summary: { ...result.summary, file }, cached: true, ...(hashedAt !== undefined ? { hashedAt } : {}) }, index);
  };
  const tasks: IngestTask[] = [];
  const pending: number[] = [];
  const hits: { entry: StoredFile; index: number }[] = [];
  // Parquet files found by the readers, read by the store when every other file is in.
  const parquet: (ParquetTask & { index: number; hashedAt?: number })[] = [];
  for (const [i, collected] of files.entries()) {
    if (collected.notRead !== undefined) {
      consume({ ...emptyResult({ file: collected.file, format: collected.lakeFormat ?? 'lake partition', accepted: true, reason: collected.notRead, records: 0, diagnostics: [] }), cached: false }, i);
      continue;
    }
    const entry = collected.rejection ? undefined : stored.get(collected.file.path);
    const holds = entry && holdsFor(entry, settings.asOf) ? entry : undefined;
    if (holds && collected.file.sha256 === holds.sha256) hits.push({ entry: holds, index: i });
    else {
      tasks[i] = { collected, ...(holds && !collected.file.sha256 ? { stored: holds.sha256 } : {}) };
      pending.push(i);
    }
  }
  // What unchanged files gave, read from the store in one go rather than a query each.
  const results = await store.results(hits.map((h) => h.entry));
  for (const { entry, index } of hits) fromStore(entry, results.get(entry.id)!, files[index]!.file, index);
  const done = (result: Ingested, index: number) =>
    inOrder(async () => {
      const task = tasks[index]!;
      if (result.unchanged) {
        const entry = stored.get(task.collected.file.path)!;
        return fromStore(entry, (await store.results([entry])).get(entry.id)!, { ...task.collected.file, sha256: result.sha256 }, index, result.hashedAt);
      }
      if (result.parquet) {
        const { collected } = task;
        parquet.push({
          index,
          file: { ...collected.file, sha256: result.sha256 },
          ...(collected.partition ? { partition: collected.partition } : {}),
          ...(collected.lakeFormat ? { format: collected.lakeFormat } : {}),
          ...(result.hashedAt !== undefined ? { hashedAt: result.hashedAt } : {}),
        });
        return;
      }
      const { staged, ...kept } = result;
      const { hashedAt: _hashedAt, ...toStore } = kept;
      // A file that could not be read at all is not kept: it is tried again next time.
      if (!task.collected.rejection && result.summary.file.sha256) {
        const entry = await store.put({
          path: result.summary.file.path,
          sha256: result.summary.file.sha256,
          settings: key,
          asOf: settings.asOf,
          setAside: result.setAside,
          ...(result.newest !== undefined ? { newest: result.newest } : {}),
          result: serialize(toStore),
          ...(staged ? { staged } : {}),
          ...(result.snapshots ? { snapshots: result.snapshots } : {}),
        });
        used.add(entry.id);
      } else if (staged) releaseStaged(staged);
      consume({ ...kept, cached: false }, index);
    });
  const workers = Math.min(workerCount(pending.map((i) => files[i]!), options.workers), MAX_WORKERS);
  const bundles = bundlesOf(files, pending);
  if (workers === 0 && bundles.length) {
    // The parsers are loaded where they are used: a build whose every file is in the store needs none.
    const { createIngester } = await import('./ingest-file.js');
    const ingest = createIngester(settings, options.catalog);
    for (const bundle of bundles) (await ingestBundle(bundle.map((i) => tasks[i]!), ingest, settings.stagingDir)).forEach((r, k) => done(r, bundle[k]!));
  } else if (workers > 0) {
    const pool = new Piscina<IngestTask[], Ingested[]>({
      filename: join(packageRoot(), 'dist', 'ingest', 'worker.js'),
      minThreads: workers,
      maxThreads: workers,
      idleTimeout: 1000,
      workerData: { settings, progress } satisfies WorkerData,
      // A small young generation keeps each worker's memory near what it holds, at little cost in time.
      resourceLimits: { maxYoungGenerationSizeMb: 8 },
    });
    try {
      await Promise.all(
        bundles.map(async (bundle) => {
          const given = bundle.map((i) => tasks[i]!);
          let results: Ingested[];
          try {
            results = await pool.run(given);
          } catch (error) {
            results = given.map((t) => crashed(t.collected, error));
          }
          results.forEach((r, k) => done(r, bundle[k]!));
        }),
      );
    } finally {
      await pool.destroy();
    }
  }
  await queue;
  const read = parquet.length ? await (await import('./parquet.js')).ingestParquet(parquet, { settings, settingsKey: key, catalog: options.catalog, store }) : [];
  read.forEach(({ id, ...result }, k) => {
    const { index, hashedAt } = parquet[k]!;
    used.add(id);
    consume({ ...result, cached: false, ...(hashedAt !== undefined ? { hashedAt } : {}) }, index);
  });
  await store.retain(used);
  return { workers };
}

function crashed(collected: CollectedFile, error: unknown): Ingested {
  const d = diagnostic('parse/crashed', `the reader stopped: ${(error as Error).message}`, { file: collected.file.path });
  return emptyResult({ file: collected.file, format: 'unknown', accepted: false, reason: d.message, records: 0, diagnostics: [d] });
}

import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import type { Catalog } from '../catalog/catalog.js';
import type { CollectedFile } from '../collect/collect.js';
import { diagnostic } from '../diagnostics/codes.js';
import { packageRoot } from '../util/package-root.js';
import { mapLimit } from '../util/pool.js';
import { ParseEntries, settingsKey } from './cache.js';
import { parsedSoFar } from '../parse/parser.js';
import { createIngester, emptyResult, type Ingested, type Ingester, type IngestSettings } from './ingest-file.js';

export interface IngestAllOptions {
  settings: IngestSettings;
  catalog: Catalog;
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

/** Read a bundle of files, a few at a time (small files are mostly waiting for the disk). */
export const ingestBundle = (files: readonly CollectedFile[], ingest: Ingester): Promise<Ingested[]> => mapLimit(files, FILES_AT_ONCE, ingest);

/** Big files first, each alone, so no worker is left with one while the others have finished; then bundles. */
function tasksOf(files: readonly CollectedFile[], indexes: number[]): number[][] {
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
 * files' results are held at once), with its index in `files`; results may come in any order. Files
 * whose hash is known are first looked up in the parse cache, here; the rest are parsed in workers
 * where it pays. A worker that dies takes only its files with it: they are rejected.
 */
export async function ingestAll(files: readonly CollectedFile[], options: IngestAllOptions, consume: (result: Ingested, index: number) => void): Promise<{ workers: number }> {
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
      // A cached file is not parsed: no thread counts it but this one.
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
  consume: (result: Ingested, index: number) => void,
): Promise<{ workers: number }> {
  const { settings } = options;
  let pending = files.map((_, i) => i);
  if (settings.cacheDir !== undefined) {
    const entries = new ParseEntries(settings.cacheDir, settingsKey(settings));
    pending = pending.filter((i) => {
      const c = files[i]!;
      const hit = c.file.sha256 && !c.rejection ? entries.get(c.file, settings.asOf) : undefined;
      if (hit) consume({ ...hit, cached: true }, i);
      return !hit;
    });
  }
  const workers = Math.min(workerCount(pending.map((i) => files[i]!), options.workers), MAX_WORKERS);
  const tasks = tasksOf(files, pending);
  if (workers === 0) {
    const ingest = createIngester(settings, options.catalog);
    for (const task of tasks) (await ingestBundle(task.map((i) => files[i]!), ingest)).forEach((r, k) => consume(r, task[k]!));
    return { workers };
  }
  const pool = new Piscina<CollectedFile[], Ingested[]>({
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
      tasks.map(async (task) => {
        const bundle = task.map((i) => files[i]!);
        let results: Ingested[];
        try {
          results = await pool.run(bundle);
        } catch (error) {
          results = bundle.map((c) => crashed(c, error));
        }
        results.forEach((r, k) => consume(r, task[k]!));
      }),
    );
  } finally {
    await pool.destroy();
  }
  return { workers };
}

function crashed(collected: CollectedFile, error: unknown): Ingested {
  const d = diagnostic('parse/crashed', `the reader stopped: ${(error as Error).message}`, { file: collected.file.path });
  return { ...emptyResult({ file: collected.file, format: 'unknown', accepted: false, reason: d.message, records: 0, diagnostics: [d] }), cached: false };
}

import { createHash } from 'node:crypto';
import { lstat, realpath, stat } from 'node:fs/promises';
import { join, posix, sep } from 'node:path';
import fg from 'fast-glob';
import type { Diagnostic, FileStamp, InputFile } from '../model/types.js';
import { diagnostic } from '../diagnostics/codes.js';
import { isInside } from '../util/paths.js';
import { readStream } from '../parse/parser.js';
import { addDays } from '../evaluate/dates.js';
import { isValidDate, type Period } from '../config/load.js';
import type { LakeFormat, LakePartition } from '../store/lake.js';

export interface CollectedFile {
  file: InputFile;
  /** What the file looked like when collected, to tell whether a hash computed before still holds. */
  stamp?: FileStamp;
  /** Set when the file cannot be read at all; the parse stage then lists it as rejected. */
  rejection?: Diagnostic;
  /** Its Hive partition, when it lies in a security lake's layout (`region=…/accountId=…/eventDay=…/`). */
  partition?: LakePartition;
  /** What the configured lake it lies in holds (config `lake`); otherwise a Parquet file's columns tell. */
  lakeFormat?: LakeFormat;
  /**
   * A lake partition the build does not need, and why: listed, never opened or hashed. Its `file` is
   * the partition's folder, its bytes those of the files in it.
   */
  notRead?: string;
}

/** The days of lake partitions a build reads: what the period needs, up to the as-of date. */
export interface LakeWindow {
  /** The first day read; none: every day up to `to`. */
  from?: string;
  to: string;
  /** Why a partition before `from` is not read. */
  before?: string;
}

/**
 * The partitions a build needs: with a period, from its start less the checks' freshness window (the
 * evidence that makes its first day fresh) to the as-of date; without one, everything up to the as-of
 * date, since a point-in-time status weighs all the evidence before it (stale or missing, a failure
 * never since observed). Days after the as-of date are set aside, as every record dated after it is.
 */
export function lakeWindow(asOf: string, period: Period | undefined, checksDays: number): LakeWindow {
  if (!period) return { to: asOf };
  const from = addDays(period.from, -checksDays);
  return { from, to: asOf, before: `outside the period ${period.from}..${period.to} and the ${checksDays} days of freshness before it (from ${from}): not read` };
}

/** `…/region=eu-west-1/accountId=123456789012/eventDay=20260131/object`, either case of the keys. */
const PARTITION = /^(.*?)(?:^|\/)(region=([^/]+)\/accountid=([^/]+)\/eventday=(\d{4})(\d{2})(\d{2}))\/[^/]+$/i;

/** The partition a file lies in, and that partition's folder (relative). */
export function lakePartition(path: string): { partition: LakePartition; folder: string } | undefined {
  const m = PARTITION.exec(path);
  if (!m) return undefined;
  const day = `${m[5]}-${m[6]}-${m[7]}`;
  if (!isValidDate(day)) return undefined;
  return { partition: { region: m[3]!, account: m[4]!, day }, folder: `${m[1] ? `${m[1]}/` : ''}${m[2]}` };
}

export interface CollectOptions {
  evidenceDir: string;
  maxFileBytes: number;
  /** Folders and files inside the evidence folder that are not evidence (--out placed inside it, the config). */
  exclude?: string[];
  /** Lake partitions outside this window are listed, not read. */
  lakeWindow?: LakeWindow;
  /** A configured lake rather than the evidence folder: what it holds, and its folder as paths name it (from the evidence folder). */
  lake?: { format: LakeFormat; shownAs: string };
}

export async function sha256File(path: string, size?: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of readStream(path, size)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}


/**
 * Walk the evidence folder: every file becomes an input (hashed later, when it is read), or a rejection
 * with its reason.
 * Symlinks are never followed out of the folder; results are sorted so builds are reproducible.
 */
export async function collect(options: CollectOptions): Promise<CollectedFile[]> {
  const root = await realpath(options.evidenceDir);
  // Compared as the walk sees them: through the evidence folder's real path.
  const real = await Promise.all((options.exclude ?? []).map((path) => realpath(path).catch(() => path)));
  const exclude = real.filter((path) => isInside(root, path));
  // With stats: the walk's own lstat of each entry, so a regular file needs no call of its own.
  const entries = await fg('**/*', {
    cwd: root,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    ignore: ['**/.git/**', '**/.git'],
    suppressErrors: false,
    stats: true,
  });
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

  const collected: CollectedFile[] = [];
  const shown = (path: string) => (options.lake ? posix.join(options.lake.shownAs, path) : path);
  const notRead = new Map<string, CollectedFile>();
  for (const { path: rel, stats: walked } of entries) {
    const absolutePath = join(root, rel);
    if (exclude.some((dir) => isInside(dir, absolutePath))) continue;
    const path = rel.split(sep).join('/');
    const lake = lakePartition(path);
    const window = options.lakeWindow;
    if (lake && window && (lake.partition.day > window.to || (window.from !== undefined && lake.partition.day < window.from))) {
      // Listed from the walk alone: the file is neither opened nor hashed.
      const folder = shown(lake.folder);
      const entry = notRead.get(folder) ?? { file: { path: folder, absolutePath: join(root, lake.folder), sha256: '', bytes: 0 }, partition: lake.partition, notRead: lake.partition.day > window.to ? `dated after the as-of date ${window.to}: not read` : window.before! };
      entry.file.bytes += walked?.size ?? 0;
      notRead.set(folder, entry);
      continue;
    }
    const base: InputFile = { path: shown(path), absolutePath, sha256: '', bytes: 0 };
    const reject = (code: Parameters<typeof diagnostic>[0], message: string): void => {
      collected.push({ file: base, rejection: diagnostic(code, message, { file: base.path }) });
    };
    try {
      const link = walked ?? (await lstat(absolutePath));
      if (link.isDirectory()) continue;
      if (link.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(absolutePath);
        } catch {
          reject('collect/unreadable', 'broken symbolic link: its target does not exist');
          continue;
        }
        if (!isInside(root, target)) {
          reject('collect/outside-folder', `symbolic link to ${target}, outside the evidence folder: not followed`);
          continue;
        }
        if ((await stat(target)).isDirectory()) {
          reject('collect/outside-folder', 'symbolic link to a folder: not followed (the folder is collected where it is)');
          continue;
        }
      }
      const info = link.isSymbolicLink() ? await stat(absolutePath) : link;
      if (!info.isFile()) {
        reject('collect/unreadable', 'not a regular file (device, socket or pipe)');
        continue;
      }
      base.bytes = info.size;
      if (info.size > options.maxFileBytes) {
        reject('collect/too-large', `${info.size} bytes, above the limit of ${options.maxFileBytes} bytes (limits.maxFileBytes)`);
        continue;
      }
      // Hashed where it is read (in a parse worker), not here: walking the folder stays cheap.
      collected.push({
        file: base,
        stamp: { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, dev: info.dev },
        ...(lake ? { partition: lake.partition } : {}),
        ...(options.lake ? { lakeFormat: options.lake.format } : {}),
      });
    } catch (error) {
      reject('collect/unreadable', `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  if (!notRead.size) return collected;
  return [...collected, ...notRead.values()].sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
}

/**
 * The parse cache: what reading a file gave, stored under a key made of the file's SHA-256, its path
 * and everything else the result depends on (legible's and the parsers' versions, the mapping rules,
 * the V8 serialization format), so that a rebuild reads only the files that changed. Entries are
 * written atomically and checked when read; one that cannot be used is a miss, never an error.
 *
 * Beside it, a record of file stamps (size, times, inode) and the SHA-256 computed for them, so an
 * unchanged file is not even re-hashed: as in git's index, a file whose metadata changed less than
 * RACY_MS before it was hashed is hashed again, since a change within the timestamps' resolution
 * would not show in them.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { threadId } from 'node:worker_threads';
import { basename, dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { dayOf } from '../evaluate/dates.js';
import { writeAtomic } from '../output/write.js';
import { PARSER_VERSION } from '../parse/registry.js';
import { version } from '../util/version.js';
import type { FileStamp, InputFile } from '../model/types.js';
import type { IngestedFile, IngestSettings } from './ingest-file.js';

interface KnownHash extends FileStamp {
  sha256: string;
  /** When the hash was computed (ms since the epoch). */
  hashedAt: number;
}

/** A file changed this little before it was hashed may have changed again unseen. */
const RACY_MS = 2000;
/** Entries written this long ago and not used by the build at hand are removed. */
const UNUSED_MS = 14 * 86_400_000;
const FORMAT = 'legible-parse-cache/1';

const sameStamp = (a: FileStamp, b: FileStamp) => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev;

/** What the stored result depends on besides the file itself (the built-in crosswalk comes with legible's version). */
export function settingsKey(settings: IngestSettings): string {
  return createHash('sha256')
    .update(JSON.stringify({ legible: version, parsers: PARSER_VERSION, v8: process.versions.v8, mappings: settings.mappings, crosswalk: settings.crosswalk }))
    .digest('hex');
}

/** Where one file's parse is stored: a name derived from its path, content and the settings. */
export function entryName(settings: string, path: string, sha256: string): string {
  return `${createHash('sha256').update(`${settings}\u0000${path}\u0000${sha256}`).digest('hex')}.bin`;
}

interface Entry {
  format: string;
  path: string;
  sha256: string;
  asOf: string;
  result: IngestedFile;
}

/**
 * The parse cache's entries, read and written by whichever thread reads the file. Entries are small
 * and many: they are read and written with synchronous calls, which cost a fraction of the promise
 * round trips (a worker has nothing else to do meanwhile).
 */
export class ParseEntries {
  private folderMade = false;

  constructor(
    readonly dir: string,
    private readonly settings: string,
  ) {}

  private pathOf(path: string, sha256: string): string {
    return join(this.dir, 'parsed', entryName(this.settings, path, sha256));
  }

  /**
   * The stored result for this file (path and SHA-256) that holds for this as-of date, or undefined.
   * Its summary names the file as it is now (where it lies, its stamp), not as it was when stored.
   */
  get(input: InputFile, asOf: string): IngestedFile | undefined {
    const { path, sha256 } = input;
    const file = this.pathOf(path, sha256);
    let entry: Entry;
    try {
      entry = deserialize(readFileSync(file)) as Entry;
    } catch {
      return undefined;
    }
    if (entry?.format !== FORMAT || entry.path !== path || entry.sha256 !== sha256) return undefined;
    const { result } = entry;
    // The as-of date only sets aside records dated after it: a result with none set aside, and none that
    // would be now, holds for any as-of date.
    const independent = result.setAside === 0 && (result.newest === undefined || dayOf(result.newest) <= asOf);
    if (!independent && entry.asOf !== asOf) return undefined;
    return { ...result, summary: { ...result.summary, file: input } };
  }

  put(path: string, sha256: string, asOf: string, result: IngestedFile): void {
    const target = this.pathOf(path, sha256);
    const temporary = `${target}.${process.pid}.${threadId}.tmp`;
    try {
      if (!this.folderMade) mkdirSync(join(this.dir, 'parsed'), { recursive: true });
      this.folderMade = true;
      writeFileSync(temporary, serialize({ format: FORMAT, path, sha256, asOf, result } satisfies Entry));
      renameSync(temporary, target);
    } catch {
      // A cache that cannot be written only makes the next build slower.
      try {
        rmSync(temporary, { force: true });
      } catch {
        // Not even a temporary was made.
      }
    }
  }
}

/**
 * The SHA-256 of files whose stamp has not changed since they were hashed, kept in one file per cache;
 * read and saved by the main thread.
 */
export class KnownHashes {
  private readonly next = new Map<string, KnownHash>();

  private constructor(
    private readonly file: string,
    private readonly known: Map<string, KnownHash>,
  ) {}

  static async open(dir: string): Promise<KnownHashes> {
    const file = join(dir, 'hashes.json');
    let known = new Map<string, KnownHash>();
    try {
      known = new Map(Object.entries(JSON.parse(await readFile(file, 'utf8')) as Record<string, KnownHash>));
    } catch {
      // No record yet, or one that cannot be read: every file is hashed.
    }
    return new KnownHashes(file, known);
  }

  /** The hash of a file whose stamp is unchanged, when it can be trusted. */
  lookup(absolutePath: string, stamp: FileStamp): string | undefined {
    const k = this.known.get(absolutePath);
    if (!k || !sameStamp(k, stamp) || typeof k.sha256 !== 'string') return undefined;
    return Math.max(k.mtimeMs, k.ctimeMs) + RACY_MS < k.hashedAt ? k.sha256 : undefined;
  }

  /** When the hash now known for this file was computed. */
  hashedAt(absolutePath: string): number | undefined {
    return this.known.get(absolutePath)?.hashedAt;
  }

  record(absolutePath: string, stamp: FileStamp, sha256: string, hashedAt: number): void {
    this.next.set(absolutePath, { ...stamp, sha256, hashedAt });
  }

  /** Keep what this build saw (and what other evidence folders sharing the cache recorded). */
  async save(evidenceDir: string): Promise<void> {
    const merged: Record<string, KnownHash> = {};
    for (const [path, k] of this.known) if (!path.startsWith(`${evidenceDir}/`)) merged[path] = k;
    for (const [path, k] of this.next) merged[path] = k;
    // A record that cannot be saved only means files are hashed again next time.
    await writeAtomic(dirname(this.file), basename(this.file), JSON.stringify(merged)).catch(() => {});
  }
}

/**
 * Remove entries this build did not use (`used`, by name) that were written more than UNUSED_MS ago,
 * and temporaries left by builds that were stopped.
 */
export async function pruneEntries(dir: string, used: ReadonlySet<string>, now: number): Promise<void> {
  const parsed = join(dir, 'parsed');
  let names: string[];
  try {
    names = await readdir(parsed);
  } catch {
    return;
  }
  for (const name of names) {
    if (used.has(name)) continue;
    const path = join(parsed, name);
    try {
      const age = now - (await stat(path)).mtimeMs;
      if (age > UNUSED_MS || (name.endsWith('.tmp') && age > 3_600_000)) await rm(path, { force: true });
    } catch {
      // Gone already.
    }
  }
}

/**
 * What makes a rebuild cheap besides the store: the key of the settings a file is read with (a stored
 * result holds only for the same), and a record of file stamps (size, times, inode) with the SHA-256
 * computed for them, so an unchanged file is not even re-hashed. As in git's index, a file whose
 * metadata changed less than RACY_MS before it was hashed is hashed again, since a change within the
 * timestamps' resolution would not show in them.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { writeAtomic } from '../output/write.js';
import { PARSER_VERSION } from '../parse/version.js';
import { LAKE_READER_VERSION } from '../store/lake.js';
import { portableSqlDigest } from '../store/portable-sql.js';
import { version } from '../util/version.js';
import type { FileStamp } from '../model/types.js';
import type { IngestSettings } from './result.js';

interface KnownHash extends FileStamp {
  sha256: string;
  /** When the hash was computed (ms since the epoch). */
  hashedAt: number;
}

/** A file changed this little before it was hashed may have changed again unseen. */
const RACY_MS = 2000;

const sameStamp = (a: FileStamp, b: FileStamp) => a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev;

/**
 * What a stored result depends on besides the file itself (the V8 version: results are V8-serialized;
 * the built-in crosswalk comes with legible's version; Parquet rows on the lake SQL).
 */
export function settingsKey(settings: IngestSettings): string {
  const lake = portableSqlDigest(LAKE_READER_VERSION);
  return createHash('sha256')
    .update(JSON.stringify({ legible: version, parsers: PARSER_VERSION, lake, v8: process.versions.v8, mappings: settings.mappings, crosswalk: settings.crosswalk, targets: settings.targets }))
    .digest('hex');
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

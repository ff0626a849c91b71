import { createHash } from 'node:crypto';
import { lstat, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import fg from 'fast-glob';
import type { Diagnostic, FileStamp, InputFile } from '../model/types.js';
import { diagnostic } from '../diagnostics/codes.js';
import { isInside } from '../util/paths.js';
import { readStream } from '../parse/parser.js';

export interface CollectedFile {
  file: InputFile;
  /** What the file looked like when collected, to tell whether a hash computed before still holds. */
  stamp?: FileStamp;
  /** Set when the file cannot be read at all; the parse stage then lists it as rejected. */
  rejection?: Diagnostic;
}

export interface CollectOptions {
  evidenceDir: string;
  maxFileBytes: number;
  /** Folders and files inside the evidence folder that are not evidence (--out placed inside it, the config). */
  exclude?: string[];
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
  for (const { path: rel, stats: walked } of entries) {
    const absolutePath = join(root, rel);
    if (exclude.some((dir) => isInside(dir, absolutePath))) continue;
    const base: InputFile = { path: rel.split(sep).join('/'), absolutePath, sha256: '', bytes: 0 };
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
      collected.push({ file: base, stamp: { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, dev: info.dev } });
    } catch (error) {
      reject('collect/unreadable', `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  return collected;
}

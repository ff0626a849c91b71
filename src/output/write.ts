import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';

export interface WrittenFile {
  /** Relative to the output folder. */
  path: string;
  sha256: string;
  bytes: number;
}

/** Write a file atomically: a temporary sibling first, then a rename, so readers never see half a file. */
export async function writeAtomic(outDir: string, relativePath: string, content: Buffer | string): Promise<WrittenFile> {
  const target = join(outDir, relativePath);
  await mkdir(dirname(target), { recursive: true });
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  try {
    await writeFile(temporary, data);
    await rename(temporary, target);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { path: relativePath, sha256: createHash('sha256').update(data).digest('hex'), bytes: data.length };
}

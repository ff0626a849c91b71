import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CollectedFile } from '../../src/collect/collect.js';
import { tempDir } from './temp.js';

/** Write content to a temp file and describe it as the collect stage would. */
export function collectedFrom(name: string, content: string | Buffer): CollectedFile {
  const dir = tempDir('legible-src-');
  const absolutePath = join(dir, name.replace(/\//g, '_'));
  const data = typeof content === 'string' ? Buffer.from(content) : content;
  writeFileSync(absolutePath, data);
  return { file: { path: name, absolutePath, bytes: data.length, sha256: createHash('sha256').update(data).digest('hex') } };
}

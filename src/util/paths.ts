import { isAbsolute, relative, sep } from 'node:path';

/** Is `path` the folder itself or somewhere below it? (No `..` escape, no other drive.) */
export function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

import { mkdir, open, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

export const LOCK_NAME = '.legible.lock';

export class OutputLockedError extends Error {}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/**
 * One build at a time per output folder: a lock file created exclusively, naming its process. A lock
 * left by a process that no longer runs (killed mid-build) is taken over, and the temporary files it
 * left behind are removed, so a crash never leaves a partial file for long.
 */
export async function lockOutput(outDir: string): Promise<() => Promise<void>> {
  await mkdir(outDir, { recursive: true });
  const path = join(outDir, LOCK_NAME);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      await removeStaleTemporaries(outDir);
      return () => rm(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new OutputLockedError(`another legible process (pid ${pid}) is writing to ${outDir}; wait for it to finish, or remove ${path} if it is not running`);
      }
      await rm(path, { force: true });
    }
  }
  throw new OutputLockedError(`cannot lock ${outDir}: ${path} keeps reappearing`);
}

async function removeStaleTemporaries(outDir: string): Promise<void> {
  for (const name of await readdir(outDir)) {
    if (name.startsWith('.') && name.endsWith('.tmp')) await rm(join(outDir, name), { force: true });
  }
}

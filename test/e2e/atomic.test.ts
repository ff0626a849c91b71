import { spawn, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, legible, scratchCopy } from '../helpers/cli.js';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const hashes = (dir: string) => Object.fromEntries(readdirSync(dir).filter((n) => !n.startsWith('.')).map((n) => [n, sha(join(dir, n))]));

describe('outputs are written atomically and one build at a time', () => {
  it('a build killed at any moment leaves each output either as it was or complete, and the next build cleans up', async () => {
    const dir = scratchCopy('e2e');
    expect((await legible(['build', '--as-of', '2026-11-23', '--quiet'], dir)).code).toBe(0);
    const before = hashes(join(dir, 'out'));
    // Change the evidence so every output would change.
    appendFileSync(join(dir, 'evidence', 'notes', 'restore-test.md'), '\nA third paragraph added later.\n');
    for (const delay of [200, 900, 1700, 2600]) {
      const child = spawn(process.execPath, [bin, 'build', '--as-of', '2026-11-23', '--quiet'], { cwd: dir, stdio: 'ignore' });
      // Listen before killing: a fast build may have finished already.
      const exited = new Promise((resolve) => child.once('exit', resolve));
      await new Promise((resolve) => setTimeout(resolve, delay));
      child.kill('SIGKILL');
      await exited;
      const now = hashes(join(dir, 'out'));
      expect(Object.keys(now).sort()).toEqual(Object.keys(before).sort());
      for (const [name, hash] of Object.entries(now)) {
        if (hash === before[name]) continue;
        // A changed file must be a whole new output, never a torn one.
        if (name.endsWith('.pdf')) execFileSync('qpdf', ['--check', join(dir, 'out', name)], { stdio: 'ignore' });
        if (name.endsWith('.json')) expect(() => JSON.parse(readFileSync(join(dir, 'out', name), 'utf8'))).not.toThrow();
      }
    }
    const after = await legible(['build', '--as-of', '2026-11-23', '--quiet'], dir);
    expect(after.code, after.stderr).toBe(0);
    expect(readdirSync(join(dir, 'out')).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('a second build into the same --out while one runs stops with a clear message', async () => {
    const dir = scratchCopy('e2e');
    // A lock held by a running process (this test's own).
    execFileSync('mkdir', ['-p', join(dir, 'out')]);
    writeFileSync(join(dir, 'out', '.legible.lock'), `${process.pid}\n`);
    const r = await legible(['build', '--as-of', '2026-11-23'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`another legible process \\(pid ${process.pid}\\) is writing to .*out`));
    expect(existsSync(join(dir, 'out', 'manifest.json'))).toBe(false);
  });

  it('a lock left by a process that no longer runs is taken over', async () => {
    const dir = scratchCopy('e2e');
    const gone = spawn(process.execPath, ['-e', '0']);
    await new Promise((resolve) => gone.once('exit', resolve));
    execFileSync('mkdir', ['-p', join(dir, 'out')]);
    writeFileSync(join(dir, 'out', '.legible.lock'), `${gone.pid}\n`);
    writeFileSync(join(dir, 'out', '.board-report.pdf.123.abcd.tmp'), 'half a file');
    const r = await legible(['build', '--as-of', '2026-11-23', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(dir, 'out')).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});

describe('packs are archival', () => {
  it('each PDF is PDF/A-3b with embedded fonts and carries the manifest as an attachment', async () => {
    const dir = scratchCopy('e2e');
    expect((await legible(['build', '--as-of', '2026-11-23', '--quiet'], dir)).code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8'));
    for (const name of readdirSync(join(dir, 'out')).filter((n) => n.endsWith('.pdf'))) {
      const path = join(dir, 'out', name);
      const meta = execFileSync('pdfinfo', ['-meta', path], { encoding: 'utf8' });
      expect(meta).toMatch(/<pdfaid:part>3<\/pdfaid:part>/);
      expect(meta).toMatch(/<pdfaid:conformance>B<\/pdfaid:conformance>/);
      expect(execFileSync('pdfdetach', ['-list', path], { encoding: 'utf8' })).toMatch(/1: manifest\.json/);
      execFileSync('pdfdetach', ['-save', '1', '-o', join(dir, 'attached.json'), path]);
      const attached = JSON.parse(readFileSync(join(dir, 'attached.json'), 'utf8'));
      expect(attached.inputs).toEqual(manifest.inputs);
      expect(attached.controls).toEqual(manifest.controls);
      expect(attached.outputs).toEqual([]);
      const fonts = execFileSync('pdffonts', [path], { encoding: 'utf8' }).split('\n').slice(2).filter(Boolean);
      for (const line of fonts) expect(line).toMatch(/\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$/);
    }
  });
});

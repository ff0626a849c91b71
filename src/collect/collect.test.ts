import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collect } from './collect.js';
import { tempDir } from '../../test/helpers/temp.js';

function folder() {
  const root = tempDir('legible-collect-');
  const evidence = join(root, 'evidence');
  mkdirSync(join(evidence, 'notes', '.hidden'), { recursive: true });
  mkdirSync(join(evidence, '.git'), { recursive: true });
  writeFileSync(join(evidence, 'notes', 'a.md'), 'a');
  writeFileSync(join(evidence, 'notes', '.hidden', 'b.md'), 'bb');
  writeFileSync(join(evidence, '.git', 'HEAD'), 'ref');
  writeFileSync(join(evidence, 'big.json'), 'x'.repeat(100));
  writeFileSync(join(root, 'secret.txt'), 'outside');
  symlinkSync(join(root, 'secret.txt'), join(evidence, 'link-out.txt'));
  symlinkSync(join(evidence, 'notes', 'a.md'), join(evidence, 'link-in.md'));
  symlinkSync(join(evidence, 'notes'), join(evidence, 'link-dir'));
  symlinkSync(join(root, 'missing'), join(evidence, 'link-broken'));
  execFileSync('mkfifo', [join(evidence, 'pipe')]);
  return evidence;
}

describe('collect', () => {
  it('accounts for every entry: files stamped for hashing, the rest rejected with a reason, nothing followed out', async () => {
    const evidence = folder();
    const found = await collect({ evidenceDir: evidence, maxFileBytes: 50 });
    const byPath = Object.fromEntries(found.map((c) => [c.file.path, c]));
    expect(Object.keys(byPath).sort()).toEqual(['big.json', 'link-broken', 'link-dir', 'link-in.md', 'link-out.txt', 'notes/.hidden/b.md', 'notes/a.md', 'pipe']);
    // Hashing happens where the file is read (see ingest); collect records what the file looked like.
    expect(byPath['notes/a.md']?.file).toMatchObject({ sha256: '', bytes: 1 });
    expect(byPath['notes/a.md']?.stamp).toMatchObject({ size: 1, mtimeMs: expect.any(Number), ctimeMs: expect.any(Number), ino: expect.any(Number) });
    expect(byPath['notes/.hidden/b.md']?.rejection).toBeUndefined();
    expect(byPath['link-in.md']?.rejection).toBeUndefined();
    expect(byPath['link-out.txt']?.rejection).toMatchObject({ code: 'collect/outside-folder', file: 'link-out.txt' });
    expect(byPath['link-out.txt']?.rejection?.message).toMatch(/outside the evidence folder: not followed/);
    expect(byPath['link-dir']?.rejection?.code).toBe('collect/outside-folder');
    expect(byPath['link-broken']?.rejection?.message).toMatch(/broken symbolic link/);
    expect(byPath['big.json']?.rejection).toMatchObject({ code: 'collect/too-large' });
    expect(byPath['pipe']?.rejection?.message).toMatch(/not a regular file/);
  });

  it('leaves out an output folder placed inside the evidence folder, and sorts paths', async () => {
    const evidence = folder();
    mkdirSync(join(evidence, 'out'));
    writeFileSync(join(evidence, 'out', 'manifest.json'), '{}');
    const found = await collect({ evidenceDir: evidence, maxFileBytes: 1000, exclude: [join(evidence, 'out')] });
    const paths = found.map((c) => c.file.path);
    expect(paths).not.toContain('out/manifest.json');
    expect(paths).toEqual([...paths].sort());
  });
});

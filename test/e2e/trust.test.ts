import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { legible, scratchCopy } from '../helpers/cli.js';

let dir: string;

beforeAll(async () => {
  dir = scratchCopy('e2e');
  expect((await legible(['build', '--as-of', '2026-11-23', '--quiet'], dir)).code).toBe(0);
  const keys = await legible(['keygen', '--dir', 'keys'], dir);
  expect(keys.code, keys.stderr).toBe(0);
  const signed = await legible(['sign', '--key', 'keys/legible-signing-key.pem'], dir);
  expect(signed.code, signed.stderr).toBe(0);
  expect(signed.stdout).toMatch(/wrote: .*manifest\.json\.sig/);
});

const verify = (extra: string[] = []) => legible(['verify', '--out', 'out', '--evidence', 'evidence', '--pubkey', 'keys/legible-signing-key.pub.pem', ...extra], dir);

describe('sign and verify', () => {
  it('a fresh build verifies clean, outputs, evidence and signature', async () => {
    const r = await verify(['--json']);
    expect(r.code, r.stdout).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, checked: { signature: true }, problems: [] });
  });

  it('a one-byte change to any output or evidence file makes verify fail and name it', async () => {
    const targets = [
      ...readdirSync(join(dir, 'out')).filter((n) => !n.startsWith('.') && !n.startsWith('manifest')).map((n) => `out/${n}`),
      'evidence/notes/restore-test.md',
      'evidence/checks/iam.json',
    ];
    for (const target of targets) {
      const path = join(dir, target);
      const original = readFileSync(path);
      const changed = Buffer.from(original);
      const middle = Math.floor(changed.length / 2);
      changed[middle] = (changed[middle] ?? 0) ^ 0x01;
      writeFileSync(path, changed);
      const r = await verify();
      writeFileSync(path, original);
      expect(r.code, target).toBe(1);
      expect(r.stdout).toContain(target.replace(/^(out|evidence)\//, ''));
      expect(r.stdout).toMatch(/modified/);
    }
    expect((await verify()).code).toBe(0);
  });

  it('an edited manifest fails the signature check; an extra file is reported', async () => {
    const manifest = join(dir, 'out', 'manifest.json');
    const original = readFileSync(manifest);
    appendFileSync(manifest, ' ');
    const edited = await verify();
    writeFileSync(manifest, original);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toMatch(/signature/);
    writeFileSync(join(dir, 'evidence', 'notes', 'smuggled.md'), 'x');
    const extra = await verify();
    expect(extra.code).toBe(1);
    expect(extra.stdout).toMatch(/extra .*smuggled\.md/);
  });

  it('a new build removes the stale signature', async () => {
    const d = scratchCopy('e2e');
    expect((await legible(['build', '--as-of', '2026-11-23', '--quiet'], d)).code).toBe(0);
    writeFileSync(join(d, 'out', 'manifest.json.sig'), '{}');
    expect((await legible(['build', '--as-of', '2026-11-23', '--quiet'], d)).code).toBe(0);
    expect(readdirSync(join(d, 'out'))).not.toContain('manifest.json.sig');
  });
});

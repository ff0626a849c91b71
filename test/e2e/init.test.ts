import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { legible, pdfPlain } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

describe('legible init', () => {
  it('sets up a folder that builds as it is, showing the example notes, and never overwrites', async () => {
    const parent = tempDir('legible-init-');
    const made = await legible(['init', 'compliance'], parent, { SOURCE_DATE_EPOCH: '1795392000' });
    expect(made.code).toBe(0);
    const dir = join(parent, 'compliance');
    expect(readdirSync(dir).sort()).toEqual(['.gitignore', 'README.md', 'evidence', 'legible.config.yaml']);
    expect(readdirSync(join(dir, 'evidence')).sort()).toEqual(['checks', 'notes', 'scans']);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^out\/$/m);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toMatch(/^\.legible-cache\/$/m);
    // Dated on SOURCE_DATE_EPOCH's day (2026-11-23); the exception expires 90 days later.
    expect(readFileSync(join(dir, 'evidence/notes/practice/2026-11-23-example-access-review.md'), 'utf8')).toMatch(/^date: 2026-11-23$/m);
    expect(readFileSync(join(dir, 'evidence/notes/exceptions/example-legacy-vpn-mfa.md'), 'utf8')).toMatch(/^expires: 2027-02-21$/m);
    // The schema line points at the schema this legible ships.
    const schemaLine = /^# yaml-language-server: \$schema=(\S+)$/m.exec(readFileSync(join(dir, 'legible.config.yaml'), 'utf8'));
    expect(JSON.parse(readFileSync(resolve(dir, schemaLine![1]!), 'utf8'))).toMatchObject({ title: 'legible.config.yaml' });

    const check = await legible(['check', '--as-of', '2026-11-23'], dir);
    expect(check.stderr).toBe('');
    expect(check.code).toBe(0);
    // The CLI leaves nothing in the temp folder.
    const tmp = tempDir('legible-init-tmp-');
    const build = await legible(['build', '--as-of', '2026-11-23'], dir, { TMPDIR: tmp });
    expect(build.code).toBe(0);
    expect(readdirSync(tmp)).toEqual([]);
    expect(build.stdout).toMatch(/inputs: 3 accepted \(3 records\), 0 rejected/);
    const pack = pdfPlain(join(dir, 'out', 'iso27001-2022-certification-pack.pdf'));
    expect(pack).toContain('Example Ltd');
    expect(pack).toContain('Example: quarterly access review');
    expect(pack).toContain('Example: access control policy');
    expect(pack).toContain('Example: legacy VPN without MFA');
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8')) as { controls: { id: string; status: string }[] };
    expect(manifest.controls.find((c) => c.id === 'A.5.18')?.status).toBe('effective');

    const again = await legible(['init', 'compliance'], parent);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('compliance/legible.config.yaml: error already exists: init never overwrites a file');
    expect(again.stderr).toContain('nothing was written');
    expect(existsSync(join(dir, 'out', 'manifest.json'))).toBe(true);
  });

  it('writes nothing when a single file is in the way, and names it', async () => {
    const dir = tempDir('legible-init-');
    const first = await legible(['init', '--as-of', '2026-11-23'], dir);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/then npx legible build$/m);
    const other = tempDir('legible-init-');
    writeFileSync(join(other, 'README.md'), 'our own\n');
    const blocked = await legible(['init', other, '--as-of', '2026-11-23'], dir);
    expect(blocked.code).toBe(2);
    expect(blocked.stderr).toBe(`${join(other, 'README.md')}: error already exists: init never overwrites a file\nnothing was written\n`);
    expect(readdirSync(other)).toEqual(['README.md']);
    expect((await legible(['init', other, '--as-of', '2026-02-30'], dir)).code).toBe(2);
  });
});

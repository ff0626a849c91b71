import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Explanation } from '../../src/explain/explain.js';
import { legible, root } from '../helpers/cli.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(join(root, 'evidence', path))).digest('hex');

describe('legible explain on the demo', () => {
  it('explains why A.8.5 is deficient: the break-glass finding, its file and SHA-256, where each mapping came from', async () => {
    const r = await legible(['explain', 'A.8.5', '--as-of', '2026-11-23'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^A\.8\.5 Secure authentication\nISO\/IEC 27001:2022 · Technological · evaluated as of 2026-11-23\n\nStatus: Deficient/);
    expect(r.stdout).toContain('  - iam.mfa-enforced on arn:aws:iam::111122223333:user/breakglass-admin\n      high, observed 2026-11-17, checks/fjord-audit-2026-11-17.json\n');
    expect(r.stdout).toContain('  - EXC-2026-007: break-glass IAM user without MFA until replacement FIDO2 keys arrive — Zoë Ødegård, 2026-11-04, expires 2027-01-31');
    expect(r.stdout).toContain('  checks/fjord-audit-2026-11-17.json: named in the evidence\n');
    expect(r.stdout).toContain('  scans/prowler-output-111122223333-20261120.ocsf.json: mapped by the tool (Prowler compliance ISO27001-2022)\n');
    expect(r.stdout).toMatch(/  scans\/checkout-api-authz-tests\.xml: mapped by the config \(config rule \d+ \(format junit, check tests\.auth\*\)/);
    expect(r.stdout).toContain(`  ${sha256('checks/fjord-audit-2026-11-17.json')}  checks/fjord-audit-2026-11-17.json\n`);
    expect(r.stdout).toMatch(/\n2 inputs were rejected/);
  });

  it('gives the same as JSON with --json', async () => {
    const r = await legible(['explain', 'ISO27001:A.8.5', '--as-of', '2026-11-23', '--json'], root);
    expect(r.code, r.stderr).toBe(0);
    const e = JSON.parse(r.stdout) as Explanation;
    expect(e).toMatchObject({ asked: 'ISO27001:A.8.5', asOf: '2026-11-23' });
    const [c] = e.controls;
    expect(c).toMatchObject({ framework: 'iso27001-2022', id: 'A.8.5', status: 'deficient' });
    expect(c!.checks.failing).toContainEqual(
      expect.objectContaining({ check: 'iam.mfa-enforced', resource: 'arn:aws:iam::111122223333:user/breakglass-admin', severity: 'high', file: 'checks/fjord-audit-2026-11-17.json' }),
    );
    expect(c!.evidence).toContainEqual({ file: 'checks/fjord-audit-2026-11-17.json', sha256: sha256('checks/fjord-audit-2026-11-17.json'), format: 'native-json' });
    expect([...new Set(c!.mappings.flatMap((m) => m.mappings.map((s) => s.source)))].sort()).toEqual(['config-rule', 'explicit', 'tool']);
  });

  it('over a period, shows the deviations', async () => {
    const r = await legible(['explain', 'A.8.5', '--period', '2026-06-01..2026-11-23'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/\nOver the period 2026-06-01 to 2026-11-23: deviations \(7 deviations; 56 dated occurrences of operation\)\n/);
    expect(r.stdout).toContain(
      '  - 2026-11-17 to 2026-11-23 (open at the end): check failed, high\n      iam.mfa-enforced on arn:aws:iam::111122223333:user/breakglass-admin failed from 2026-11-17; still failing at the period\'s end.\n      accepted by the exception "EXC-2026-007',
    );
  });

  it('an unknown control exits 2 naming the nearest ids, before reading any evidence', async () => {
    const r = await legible(['explain', 'A.8.35', '--evidence', 'no-such-folder'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error A.8.35: no such control; did you mean A.8.34 or A.8.33?\n');
    expect(r.stdout).toBe('');
  });
});

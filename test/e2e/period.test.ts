import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Deviation, Remediation } from '../../src/model/evaluation.js';
import { legible, pdfPlain, pdfText, root } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/** The demo company's history, judged over six months and as of the date the demo is written for. */
interface PeriodManifest {
  period?: { from: string; to: string };
  controls: { framework: string; id: string; status: string; period?: { status: string; reasons: string[]; deviations: Deviation[]; deviationCount: number; population: number } }[];
  remediation: Remediation;
  outputs: { path: string; sha256: string }[];
}

let out: string;
let manifest: PeriodManifest;
let stdout: string;
const period = ['--period', '2026-05-01..2026-10-31', '--as-of', '2026-11-23'];

beforeAll(async () => {
  out = tempDir('legible-period-');
  const r = await legible(['build', ...period, '--no-cache', '--out', out], root);
  expect(r.code, r.stderr).toBe(0);
  stdout = r.stdout;
  manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as PeriodManifest;
});

const control = (id: string, framework = 'iso27001-2022') => manifest.controls.find((c) => c.framework === framework && c.id === id)!;
const deviations = (id: string) => control(id).period!.deviations.map((d) => [d.kind, d.from, d.to, d.open, d.check ?? '', d.resource ?? '']);

describe('the demo history over 2026-05-01 to 2026-10-31', () => {
  it('gives the period in the manifest and on the terminal', () => {
    expect(manifest.period).toEqual({ from: '2026-05-01', to: '2026-10-31' });
    expect(stdout).toMatch(/^ {2}over 2026-05-01 to 2026-10-31: \d+ operated throughout, \d+ with deviations, \d+ with no evidence in the period, 3 not applicable$/m);
  });

  it('an administrator without MFA for two months of the period: effective now, deviations over the period', () => {
    const a85 = control('A.8.5');
    expect(a85.status).toBe('deficient'); // the break-glass user, under an exception since November
    expect(a85.period?.status).toBe('deviations');
    expect(deviations('A.8.5')).toContainEqual(['check-failed', '2026-07-20', '2026-09-21', false, 'prowler:iam_user_mfa_enabled_console_access', 'arn:aws:iam::111122223333:user/ops-admin']);
    const mfa = a85.period!.deviations.find((d) => d.resource?.endsWith('user/ops-admin'))!;
    expect(mfa.reason).toMatch(/failed from 2026-07-20; passes since 2026-09-21\./);
    expect(mfa.evidence).toEqual(['scans/prowler-output-111122223333-20260720.ocsf.json', 'scans/prowler-output-111122223333-20260820.ocsf.json', 'scans/prowler-output-111122223333-20260921.ocsf.json']);
  });

  it('a public bucket no longer reported by a newer scan of the same account is resolved, and said to be weaker than a pass', () => {
    const bucket = control('A.8.1').period!.deviations.find((d) => d.resource === 'arn:aws:s3:::fjl-payout-migration-tmp')!;
    expect([bucket.from, bucket.to, bucket.open]).toEqual(['2026-08-20', '2026-10-20', false]);
    expect(bucket.reason).toMatch(/no longer reported by a newer scan of the same target since 2026-10-20/);
  });

  it('backups: the export that stopped for two months, the restore tests not run in August and September, a failure still open at the end', () => {
    expect(deviations('A.8.13')).toEqual([
      ['not-observed', '2026-08-14', '2026-09-30', false, '', ''],
      ['cadence-missed', '2026-08-14', '2026-10-01', false, '', ''],
      ['check-failed', '2026-10-28', '2026-10-31', true, 'backup.restore-test', 'rds:ledger-prod'],
    ]);
    // Effective as of 2026-11-23 all the same: the evidence after the period counts for then, not for the period.
    expect(control('A.8.13').status).toBe('effective');
    expect(control('A.8.13').period!.population).toBeGreaterThan(200);
  });

  it('monthly scans of one image tagged anew: one finding per CVE and package across tags, resolved when a newer scan no longer has it', () => {
    const busybox = control('A.8.8').period!.deviations.filter((d) => d.check === 'CVE-2024-58251');
    expect(busybox.map((d) => [d.from, d.to, d.open, d.resource])).toEqual([
      ['2026-05-19', '2026-10-31', true, 'fjordline/checkout-api:2026.11.18 (alpine 3.22.1):busybox'],
      ['2026-05-19', '2026-10-31', true, 'fjordline/checkout-api:2026.11.18 (alpine 3.22.1):busybox-binsh'],
      ['2026-05-19', '2026-10-31', true, 'fjordline/checkout-api:2026.11.18 (alpine 3.22.1):ssl_client'],
    ]);
    expect(deviations('A.8.8')).toContainEqual(['check-failed', '2026-05-19', '2026-06-16', false, 'CVE-2025-26519', 'fjordline/checkout-api:2026.05.19 (alpine 3.22.0):musl']);
    // At the as-of date the November scan counts: what it no longer has is resolved, not failing.
    expect(control('A.8.8').status).toBe('deficient');
  });

  it('a missed privileged-access review and an unfixed finding throughout', () => {
    expect(deviations('A.8.2')).toContainEqual(['cadence-missed', '2026-08-21', '2026-09-14', false, '', '']);
    expect(deviations('A.8.24')).toContainEqual(['check-failed', '2026-05-20', '2026-10-31', true, 'prowler:s3_bucket_kms_encryption', 'arn:aws:s3:::fjl-legacy-merchant-exports']);
  });

  it('the SAST exception that lapsed on 2026-09-30 with nothing to show its condition fixed', () => {
    expect(deviations('A.8.28')).toContainEqual(['exception-expired', '2026-10-01', '2026-10-31', true, '', '']);
  });

  it('counts remediation against the SLA over the period, breaches first', () => {
    const { remediation } = manifest;
    expect(remediation.window).toEqual({ from: '2026-05-01', to: '2026-10-31' });
    expect(remediation.sla).toEqual({ critical: 15, high: 30, medium: 90, low: 180 });
    // Two critical findings, both fixed late: the Go toolchain's request smuggling (a clean scan of the
    // binary on 2026-08-18) and the public bucket (gone from the October scan).
    expect(remediation.bySeverity.critical).toEqual({ opened: 2, resolved: 2, withinSla: 0, breached: 2, open: 0 });
    // The musl CVE fixed in the next image within 30 days; the admin without MFA fixed late; a restore test still failing.
    expect(remediation.bySeverity.high).toEqual({ opened: 3, resolved: 2, withinSla: 1, breached: 1, open: 1 });
    // Still open past its deadline comes first, then fixed late, the most severe first.
    expect(remediation.items[0]).toMatchObject({ check: 'prowler:s3_bucket_kms_encryption', severity: 'medium', opened: '2026-05-20', open: true, breached: true, daysOpen: 164 });
    expect(remediation.items[1]).toMatchObject({ check: 'CVE-2025-22871', resource: 'usr/local/bin/checkout-api:stdlib', severity: 'critical', opened: '2026-05-19', resolved: '2026-08-18', by: 'absent', breached: true, daysOpen: 91 });
    expect(remediation.items[2]).toMatchObject({ check: 'prowler:s3_bucket_public_access', severity: 'critical', opened: '2026-08-20', resolved: '2026-10-20', by: 'absent', breached: true, daysOpen: 61 });
    expect(remediation.itemCount).toBe(remediation.items.length);
  });

  it('states the period in the packs, and each control\'s deviations with their evidence', () => {
    const iso = pdfPlain(join(out, 'iso27001-2022-certification-pack.pdf'));
    expect(iso).toContain('Audit period: 2026-05-01 to 2026-10-31');
    expect(iso).toMatch(/Over the period 2026-05-01 to 2026-10-31 Over the period Controls Effective at 2026-11-23/);
    expect(iso).toMatch(/2026-07-20 to 2026-09-21 — check failing \(high\)\. prowler:iam_user_mfa_enabled_console_access on arn:aws:iam::111122223333:user\/ops-admin failed from 2026-07-20; passes since 2026-09-21\. Evidence: scans\/prowler-output-111122223333-20260720\.ocsf\.json \([0-9a-f]{12}\)/);
    expect(iso).toMatch(/2026-08-14 to 2026-09-30 — checks not reporting\. No check mapped here reported between 2026-08-14 and 2026-09-30/);
    expect(pdfPlain(join(out, 'soc2-2017-certification-pack.pdf'))).toContain('Audit period: 2026-05-01 to 2026-10-31');
  });

  it('gives the same bytes for the same evidence and period', async () => {
    const again = tempDir('legible-period-');
    expect((await legible(['build', ...period, '--no-cache', '--out', again], root)).code).toBe(0);
    const hashes = (m: PeriodManifest) => m.outputs.map((o) => `${o.path} ${o.sha256}`);
    expect(hashes(JSON.parse(readFileSync(join(again, 'manifest.json'), 'utf8')) as PeriodManifest)).toEqual(hashes(manifest));
  });
});

describe('the auditor\'s pack over the period', () => {
  let iso: string;
  beforeAll(() => {
    iso = pdfPlain(join(out, 'iso27001-2022-certification-pack.pdf'));
  });
  /** A control's section, up to the next control's heading. */
  const section = (id: string, next: string) => iso.slice(iso.indexOf(`${id} `, iso.indexOf('Annex A — ')), iso.indexOf(`${next} `, iso.indexOf(`${id} `, iso.indexOf('Annex A — ')) + id.length));

  it('draws each control\'s days as a strip, its states named with their days, across the period\'s dates', () => {
    expect(section('A.8.13', 'A.8.14')).toMatch(
      /Over the period 2026-05-01 to 2026-10-31 Deviations Failing \(a check, or a lapsed exception\): 4 days Cadence missed: 49 days Evidence of operation current: 131 days 2026-05-01 2026-06 2026-07 2026-08 2026-09 2026-10 2026-10-31 • 3 deviations/,
    );
    expect(section('A.8.14', 'A.8.15')).toContain('Nothing is known of this control on any day of the period, so no timeline is drawn.');
  });

  it('names the evidence cited that the period does not count, and not the file whose older results it does count', () => {
    const backup = section('A.8.13', 'A.8.14');
    expect(backup).toMatch(/notes\/practice\/2026-11-12-ledger-restore-test-failure\.md — SHA-256 [0-9a-f]{12} — named in the evidence — dated 2026-11-12, outside the period \(not counted for it\)/);
    // Newest result 2026-11-22, after the period; but it holds the period's restore tests.
    expect(backup).toMatch(/checks\/backup-restore-tests\.jsonl — SHA-256 [0-9a-f]{12} — named in the evidence; mapped by the config \(config rule 1 \(format native, check backup\.\*\)\) • notes/);
    expect(section('A.8.12', 'A.8.13')).toMatch(/notes\/practice\/2024-11-05-dlp-pilot-workspace\.md — SHA-256 [0-9a-f]{12} — named in the evidence — dated 2024-11-05, outside the period/);
    expect(section('A.8.5', 'A.8.6')).toMatch(/scans\/prowler-output-111122223333-20261120\.ocsf\.json — SHA-256 [0-9a-f]{12} — mapped by the tool \(Prowler compliance ISO27001-2022\) — outside the period: no pass or fail in it is dated inside it \(not counted for it\)/);
    expect(section('A.8.5', 'A.8.6')).toMatch(/scans\/prowler-output-111122223333-20261020\.ocsf\.json — SHA-256 [0-9a-f]{12} — mapped by the tool \(Prowler compliance ISO27001-2022\) •/);
  });

  it('gives remediation per severity, the deadlines and their sources, and the breaches worst first; per control too', () => {
    expect(iso).toMatch(/Remediation against the deadlines 17 failing findings were open in the period 2026-05-01 to 2026-10-31\./);
    expect(iso).toMatch(/Critical 15 days \(default\) 2 2 0 2 0 High 30 days \(default\) 3 2 1 1 1 Medium 90 days \(default\) 6 0 0 1 6 Low 180 days \(default\) 6 0 0 0 6/);
    expect(iso).toContain('The default deadlines follow CISA Binding Operational Directive 19-02 for critical (15 days) and high (30 days) findings, and FedRAMP continuous monitoring for medium (90 days) and low (180 days) ones');
    expect(iso).toMatch(/Past the deadline, worst first: • Medium: prowler:s3_bucket_kms_encryption on arn:aws:s3:::fjl-legacy-merchant-exports — opened 2026-05-20, still open at 2026-10-31: 164 days against a deadline of 90 days\. • Critical: CVE-2025-22871 on usr\/local\/bin\/checkout-api:stdlib — opened 2026-05-19, no longer reported by a newer scan of the same target since 2026-08-18: 91 days against a deadline of 15 days\. • Critical: prowler:s3_bucket_public_access/);
    expect(section('A.8.5', 'A.8.6')).toMatch(/Fixing findings against their deadlines Failing findings mapped here in the period 2026-05-01 to 2026-10-31, by severity: .*High 30 days 1 0 1 0 Past the deadline, worst first: • High: prowler:iam_user_mfa_enabled_console_access on arn:aws:iam::111122223333:user\/ops-admin — opened 2026-07-20, passes since 2026-09-21: 63 days against a deadline of 30 days\./);
  });
});

describe('the board report over the period', () => {
  let pages: string[];
  beforeAll(() => {
    pages = pdfText(join(out, 'board-report.pdf')).split('\f').filter((p) => p.trim()).map((p) => p.replace(/\s+/g, ' '));
  });

  it('is at most four pages, page one in business words: each metric with its previous value and no target invented, the breaches without ids', () => {
    expect(pages.length).toBeLessThanOrEqual(4);
    const first = pages[0]!;
    expect(first).toMatch(/From 2026-05-31 to 2026-10-31, Annex A controls shown effective went from \d+ of 90 to \d+ of 90/);
    expect(first.match(/No target set/g)).toHaveLength(5);
    expect(first).toMatch(/Previous: \d+ of 90 on 2026-10-31/);
    // The period's fixes, compared with the period's up to the month before its end.
    expect(first).toMatch(/\b1 of 5\b/);
    expect(first).toContain('Previous: 1 of 5 on 2026-09-30');
    expect(first).toMatch(/How fast findings are fixed Past the deadline in the period 2026-05-01 to 2026-10-31 \(critical 15 days, high 30, medium 90, low 180\), worst first: • Medium, data masking and use of cryptography: open 164 days at the period's end \(deadline 90\)\. • Critical, management of technical vulnerabilities: resolved after 91 days \(deadline 15\)\. • Critical, user end point devices: resolved after 61 days \(deadline 15\)\./);
    expect(first).toMatch(/Decisions asked of the board/);
    expect(first).not.toMatch(/CVE-\d|prowler:|arn:aws/);
  });

  it('draws the trend at each month\'s end from the evidence, then names the breaches with their checks', () => {
    const rest = pages.slice(1).join(' ');
    expect(rest).toMatch(/Over the period 2026-05-01 to 2026-10-31, month by month ISO\/IEC 27001 Annex A controls at each month's end/);
    expect(rest).toMatch(/Findings failing at each month's end, by severity Critical High Medium Low No severity or informational 2026-05-31 .* findings/);
    expect(rest).toMatch(/Findings that came due, from the period's start to each month's end Fixed within the deadline Past the deadline 2026-05-31 0 findings 2026-06-30 1 1 2 findings 2026-07-31 1 1 2 findings 2026-08-31 1 3 4 findings 2026-09-30 1 4 5 findings 2026-10-31 1 4 5 findings/);
    expect(rest).toMatch(/Remediation in detail .*Past the deadline, worst first, with the check and the resource each is about: • Medium: prowler:s3_bucket_kms_encryption/);
  });

  it('shows each target set in the config, met or not', async () => {
    const dir = tempDir('legible-period-targets-');
    copyFileSync(join(root, 'legible.config.yaml'), join(dir, 'legible.config.yaml'));
    writeFileSync(join(dir, 'legible.config.yaml'), `${readFileSync(join(dir, 'legible.config.yaml'), 'utf8')}\nboard:\n  targets: { annexAEffective: 80, seriousFindingsOpen: 5, remediationWithinSla: 90 }\n`);
    const r = await legible(['build', ...period, '--config', join(dir, 'legible.config.yaml'), '--no-cache', '--out', join(dir, 'out')], root);
    expect(r.code, r.stderr).toBe(0);
    const first = pdfText(join(dir, 'out', 'board-report.pdf'), { first: 1, last: 1 }).replace(/\s+/g, ' ');
    for (const target of ['Target: at least 80 %: not met', 'Target: at most 5: met', 'Target: at least 90 %: not met']) expect(first).toContain(target);
    expect(first.match(/No target set/g)).toHaveLength(2);
  });
});

describe('a period that is not one', () => {
  it.each([
    [['--period', '2026-07-01..2026-01-01'], /--period 2026-07-01\.\.2026-01-01: it ends \(2026-01-01\) before it starts \(2026-07-01\)/],
    [['--period', '2026-02-30..2026-03-31'], /2026-02-30 is not a calendar date/],
    [['--period', '2026-01-01'], /expected FROM\.\.TO/],
    [['--period', '2026-01-01..2026-06-30', '--as-of', '2026-03-01'], /--as-of 2026-03-01 is before the period's end 2026-06-30/],
  ])('%j is a usage error naming the problem', async (args, message) => {
    const r = await legible(['check', ...args], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('without a period the manifest has none, and no control carries one', async () => {
    const plain = tempDir('legible-period-');
    expect((await legible(['build', '--as-of', '2026-11-23', '--no-cache', '--out', plain], root)).code).toBe(0);
    const m = JSON.parse(readFileSync(join(plain, 'manifest.json'), 'utf8')) as PeriodManifest;
    expect(m.period).toBeUndefined();
    expect(m.controls.some((c) => c.period)).toBe(false);
    expect(m.remediation.window).toEqual({ to: '2026-11-23' });
  });
});

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import type { Observation, PassGroup } from '../../src/model/evaluation.js';
import { withAnalysis, type Analysis } from '../../src/pipeline.js';
import { legible } from '../helpers/cli.js';
import { writeLake, writeParquet, type LakeRow } from '../helpers/lake.js';
import { latestAndPasses } from '../helpers/store.js';
import { tempDir } from '../helpers/temp.js';

const ACCOUNT = '111122223333';
const ms = (instant: string) => Date.parse(instant);
const eventDay = (instant: string) => instant.slice(0, 10).replace(/-/g, '');

/** An OCSF 1.1 finding as Security Lake keeps it (source version 2). */
function finding11(over: { at: string; class_uid: number; uid: string } & Record<string, unknown>): LakeRow {
  const { at, ...rest } = over;
  return {
    region: 'eu-west-1',
    accountId: ACCOUNT,
    eventDay: eventDay(at),
    activity_id: 2,
    time: ms(at),
    severity: 'High',
    severity_id: 4,
    status: 'New',
    status_id: 1,
    message: 'reported',
    cloud: { provider: 'AWS', region: 'eu-west-1', account: { uid: ACCOUNT } },
    resources: [{ uid: `arn:aws:iam::${ACCOUNT}:root`, name: 'root' }],
    ...rest,
    finding_info: { uid: over.uid, title: 'IAM.6 Hardware MFA should be enabled for the root user', types: ['Software and Configuration Checks'], ...(rest.finding_info as object) },
  };
}

const compliance = (status: string, extra: Record<string, unknown> = {}) => ({
  control: 'IAM.6',
  standards: ['standards/aws-foundational-security-best-practices/v/1.0.0'],
  requirements: ['SOC2 CC6.1', 'NIST.800-53.r5 IA-2(1)'],
  status,
  status_id: status === 'PASSED' ? 1 : 3,
  status_detail: 'Hardware MFA is not enabled for the root user',
  ...extra,
});

/** An OCSF 1.0 Security Finding (class 2001) as Security Lake's source version 1 keeps it. */
const finding10 = (at: string, uid: string, status: string, title: string): LakeRow => ({
  region: 'us-east-1',
  accountId: '444455556666',
  eventDay: eventDay(at),
  class_uid: 2001,
  activity_id: 2,
  time: ms(at),
  severity: 'Medium',
  severity_id: 3,
  state: 'New',
  state_id: 1,
  message: 'reported',
  cloud: { provider: 'AWS', region: 'us-east-1', account: { uid: '444455556666' } },
  finding: { uid, title, types: ['Software and Configuration Checks/Industry and Regulatory Standards'] },
  compliance: { requirements: ['ISO27001-2022 A.8.15'], status, status_detail: 'the trail logs every region' },
  resources: [{ uid: 'arn:aws:cloudtrail:us-east-1:444455556666:trail/main', name: 'main' }],
});

/** A lake of both versions in an evidence folder: 1.1 with camel-case keys, 1.0 with lower-case ones. */
async function lakeEvidence(): Promise<{ dir: string; evidence: string }> {
  const dir = tempDir('legible-lake-');
  const evidence = join(dir, 'evidence');
  const v2 = join(evidence, 'aws', 'SH_FINDINGS', '2.0');
  const v1 = join(evidence, 'aws', 'SH_FINDINGS', '1.0');
  mkdirSync(v2, { recursive: true });
  mkdirSync(v1, { recursive: true });
  await writeLake(v2, [
    // Failing in March (outside the period and its look-back), in May twice on one day, passing in June.
    finding11({ at: '2026-03-02T09:00:00.000Z', class_uid: 2003, uid: 'finding/iam-6', compliance: compliance('FAILED') }),
    finding11({ at: '2026-05-10T06:00:00.000Z', class_uid: 2003, uid: 'finding/iam-6', compliance: compliance('FAILED') }),
    finding11({ at: '2026-05-10T18:00:00.000Z', class_uid: 2003, uid: 'finding/iam-6', compliance: compliance('FAILED', { status_detail: 'still no MFA; token=ghp_abcdefghijklmnopqrstuvwxyz0123456789' }) }),
    finding11({ at: '2026-06-10T06:00:00.000Z', class_uid: 2003, uid: 'finding/iam-6', compliance: compliance('PASSED', { status_detail: 'Hardware MFA is enabled' }) }),
    // A vulnerability, a detection closed later, and a finding dated after the as-of date.
    finding11({
      at: '2026-06-01T01:00:00.000Z',
      class_uid: 2002,
      uid: 'finding/cve',
      severity: 'Critical',
      severity_id: 5,
      finding_info: { title: 'CVE-2026-0001 in openssl', types: ['Software and Configuration Checks/Vulnerabilities/CVE'] },
      vulnerabilities: [{ cve: { uid: 'CVE-2026-0001' } }],
      resources: [{ uid: 'arn:aws:ecr:eu-west-1:111122223333:repository/checkout/sha256:abc' }],
    }),
    finding11({ at: '2026-07-01T01:00:00.000Z', class_uid: 2004, uid: 'finding/gd', finding_info: { title: 'Unusual API call', types: ['TTPs/Discovery/Recon:IAMUser-MaliciousIPCaller'] } }),
    finding11({ at: '2026-07-03T01:00:00.000Z', class_uid: 2004, uid: 'finding/gd', status: 'Resolved', status_id: 4, finding_info: { title: 'Unusual API call', types: ['TTPs/Discovery/Recon:IAMUser-MaliciousIPCaller'] } }),
    finding11({ at: '2026-12-01T01:00:00.000Z', class_uid: 2003, uid: 'finding/iam-6', compliance: compliance('FAILED') }),
  ]);
  await writeLake(
    v1,
    [finding10('2026-08-01T00:00:00.000Z', 'finding/ct-1', 'FAILED', 'CloudTrail.1 CloudTrail should be enabled'), finding10('2026-08-02T00:00:00.000Z', 'finding/ct-1', 'PASSED', 'CloudTrail.1 CloudTrail should be enabled')],
    { keys: 'lower' },
  );
  return { dir, evidence };
}

const PERIOD = '2026-05-01..2026-10-31';
const AS_OF = '2026-11-23';

/** Analyze as a build does, in this process, and keep what the store holds. */
async function analyzed(cwd: string, options: { evidence?: string; cache?: string | false } = {}): Promise<{ analysis: Analysis; latest: Observation[]; passes: PassGroup[] }> {
  return withAnalysis({ cwd, evidence: options.evidence ?? 'evidence', period: PERIOD, asOf: AS_OF, workers: 0, cache: options.cache ?? false }, async (analysis, store) => {
    const { observations, passes } = await latestAndPasses(store);
    return { analysis, latest: observations, passes };
  });
}

const byCheck = (latest: Observation[], check: string) => latest.find((o) => o.check === check);

describe('a security lake in the evidence folder', () => {
  it('reads OCSF 1.1 and 1.0 partitions in either key case, only those the period needs', async () => {
    const { dir } = await lakeEvidence();
    const { analysis, latest, passes } = await analyzed(dir);
    const paths = analysis.inputs.map((i) => i.file.path);
    // March lies before the period's start less 30 days of freshness; December after the as-of date.
    const march = analysis.inputs.find((i) => i.file.path.endsWith('eventDay=20260302'))!;
    expect(march).toMatchObject({ accepted: true, records: 0, format: 'lake partition', file: { sha256: '' } });
    expect(march.reason).toBe('outside the period 2026-05-01..2026-10-31 and the 30 days of freshness before it (from 2026-04-01): not read');
    expect(analysis.inputs.find((i) => i.file.path.endsWith('eventDay=20261201'))!.reason).toBe(`dated after the as-of date ${AS_OF}: not read`);
    expect(paths.filter((p) => p.includes('eventDay=20260302'))).toEqual([march.file.path]);
    const read = analysis.inputs.filter((i) => i.format === 'ocsf-parquet');
    expect(read.length).toBe(7);
    expect(read.every((i) => i.accepted && /^[0-9a-f]{64}$/.test(i.file.sha256) && !i.file.path.endsWith('.parquet'))).toBe(true);
    expect(read.some((i) => i.file.path.includes('/eventday=20260801/'))).toBe(true);

    // The compliance control is the check; its newest state passes (counted with the day's passes); mapped by its SOC 2 requirement.
    expect(byCheck(latest, 'IAM.6')).toBeUndefined();
    const iam = passes.find((p) => p.check === 'IAM.6')!;
    expect(iam).toMatchObject({ newest: '2026-06-10T06:00:00.000Z', day: '2026-06-10', count: 1 });
    expect(iam.controls).toContainEqual({ framework: 'soc2-2017', id: 'CC6.1', source: 'tool', via: 'OCSF compliance.requirements SOC2' });
    expect(byCheck(latest, 'CVE-2026-0001')).toMatchObject({ status: 'fail', target: `aws account ${ACCOUNT} eu-west-1`, category: 'vulnerability', severity: 'critical', resource: 'arn:aws:ecr:eu-west-1:111122223333:repository/checkout/sha256:abc' });
    expect(byCheck(latest, 'CVE-2026-0001')!.controls.map((c) => c.id)).toEqual(['A.8.8', 'CC7.1']);
    expect(byCheck(latest, 'TTPs/Discovery/Recon:IAMUser-MaliciousIPCaller')).toMatchObject({ status: 'skip', closed: 'resolved (status Resolved)' });
    // OCSF 1.0: the control id is the start of the title; ISO 27001:2022 named by the requirement.
    const trail = passes.find((p) => p.check === 'CloudTrail.1')!;
    expect(trail.count).toBe(1);
    expect(trail.controls).toContainEqual({ framework: 'iso27001-2022', id: 'A.8.15', source: 'tool', via: 'OCSF compliance.requirements ISO27001-2022' });

    // A secret in a message is cut out before the store, and listed for rotation.
    expect(analysis.redactions).toEqual([expect.objectContaining({ field: 'message', kind: 'github-token', file: expect.stringContaining('eventDay=20260510/') })]);
    // Two failing updates of one day are one observation: the newer, with its secret cut out.
    const failing = analysis.evaluation.controls.find((c) => c.id === 'CC6.1')!.period!.deviations.find((d) => d.kind === 'check-failed');
    expect(failing).toMatchObject({ kind: 'check-failed', from: '2026-05-10', to: '2026-06-10' });
  });

  it('never opens a partition outside the period: a corrupt one leaves the build as it was', async () => {
    const { dir, evidence } = await lakeEvidence();
    const march = join(evidence, 'aws', 'SH_FINDINGS', '2.0', 'region=eu-west-1', `accountId=${ACCOUNT}`, 'eventDay=20260302');
    for (const name of readdirSync(march)) writeFileSync(join(march, name), 'not parquet at all');
    const { analysis } = await analyzed(dir);
    expect(analysis.inputs.filter((i) => !i.accepted)).toEqual([]);
    expect(analysis.inputs.filter((i) => i.file.path.includes('eventDay=20260302')).map((i) => i.file.path)).toEqual([expect.stringMatching(/eventDay=20260302$/)]);
    // Inside the period the same corruption is read, and rejected with the reason.
    const may = join(evidence, 'aws', 'SH_FINDINGS', '2.0', 'region=eu-west-1', `accountId=${ACCOUNT}`, 'eventDay=20260510');
    for (const name of readdirSync(may)) writeFileSync(join(may, name), 'PAR1 but not parquet');
    const again = await analyzed(dir);
    expect(again.analysis.inputs.filter((i) => !i.accepted)).toEqual([expect.objectContaining({ reason: expect.stringMatching(/^not a readable Parquet file/) })]);
  });

  it('reads the reduction run elsewhere as native Parquet, to the same observations', async () => {
    const { dir, evidence } = await lakeEvidence();
    const direct = await analyzed(dir);
    // The reduction as Athena would run it (here on DuckDB), over the lake's rows in the period.
    const reduced = tempDir('legible-reduced-');
    mkdirSync(join(reduced, 'evidence', 'unload'), { recursive: true });
    const instance = await DuckDBInstance.create(':memory:');
    const db = await instance.connect();
    try {
      for (const [version, folder, account, day] of [['1.1', '2.0', 'accountId', 'eventDay'], ['1.0', '1.0', 'accountid', 'eventday']] as const) {
        const files = `read_parquet('${join(evidence, 'aws', 'SH_FINDINGS', folder)}/*/*/*/*', hive_partitioning = true, hive_types = {'region': VARCHAR, '${account}': VARCHAR, '${day}': VARCHAR})`;
        // A table in the lake's catalogue has every column of its version; these files lack a few.
        const missing = version === '1.1' ? `, "${account}" AS accountid` : ', NULL::STRUCT(cve STRUCT(uid VARCHAR))[] AS vulnerabilities';
        await db.run(`CREATE OR REPLACE VIEW lake_table AS SELECT *${missing}, NULL::TIMESTAMP AS time_dt FROM ${files}`);
        // The query as `legible lake-sql` prints it; Athena's UNLOAD names its objects without an extension.
        const printed = await legible(['lake-sql', '--table', 'lake_table', '--ocsf', version, '--dialect', 'duckdb', '--from', '2026-04-01', '--to', AS_OF], reduced);
        expect(printed.code).toBe(0);
        const query = printed.stdout.trim();
        await db.run(`COPY (${query}) TO '${join(reduced, 'evidence', 'unload', `part-${version}`)}' (FORMAT parquet)`);
      }
    } finally {
      db.closeSync();
      instance.closeSync();
    }
    const { analysis, latest, passes } = await analyzed(reduced);
    expect(analysis.inputs.map((i) => [i.format, i.accepted])).toEqual([
      ['native-parquet', true],
      ['native-parquet', true],
    ]);
    const counted = (list: PassGroup[]) => list.map((p) => [p.check, p.newest, p.count]).sort((a, b) => String(a).localeCompare(String(b)));
    expect(counted(passes)).toEqual(counted(direct.passes));
    expect(passes.length).toBeGreaterThan(0);
    const comparable = (list: Observation[]) => list.map(({ file: _file, seq: _seq, earlier: _earlier, scope: _scope, ...o }) => o).sort((a, b) => a.check.localeCompare(b.check));
    expect(comparable(latest)).toEqual(comparable(direct.latest).map((o) => ({ ...o, controls: o.controls.map((c) => (c.source === 'tool' ? { ...c, via: c.via!.replace('OCSF compliance.requirements', 'the requirements column') } : c)) })));
  });

  it('reads native Parquet rows as native rows: each checked, the bad ones reported', async () => {
    const dir = tempDir('legible-native-parquet-');
    mkdirSync(join(dir, 'evidence'));
    await writeParquet(
      join(dir, 'evidence', 'restore-tests'),
      `SELECT * FROM (VALUES
         ('backup.restore', 'PASS', '2026-11-20T08:00:00Z', ['A.8.13', 'A1.2'], 'ledger-db'),
         ('backup.restore', 'maybe', '2026-11-21T08:00:00Z', ['A.8.13'], 'ledger-db'),
         ('backup.restore', 'fail', 'yesterday', ['A.8.13'], 'ledger-db'),
         ('backup.restore', 'fail', '2026-11-22', ['A.99'], 'payments-db')
       ) t("check", status, observed_at, controls, resource)`,
    );
    const { analysis, latest, passes } = await analyzed(dir);
    expect(analysis.inputs[0]).toMatchObject({ format: 'native-parquet', accepted: true, records: 4, invalidRecords: 2 });
    expect(analysis.diagnostics.map((d) => [d.code, d.message, d.place])).toEqual([
      ['native/invalid-record', 'row skipped: status: expected pass, fail, error, skip or manual', { pointer: '/1' }],
      ['native/invalid-record', 'row skipped: observed_at: expected an ISO 8601 date or date-time, a timestamp or epoch milliseconds', { pointer: '/2' }],
      ['control/unknown', expect.stringMatching(/^A\.99: no such control/), undefined],
    ]);
    // A pass is counted, never named: the store gives no resource with it.
    expect(latest.map((o) => [o.check, o.status, o.observedAt, o.seq, o.resource])).toEqual([['backup.restore', 'fail', '2026-11-22T00:00:00.000Z', 3, 'payments-db']]);
    expect(passes.map((p) => [p.check, p.newest, p.count])).toEqual([['backup.restore', '2026-11-20T08:00:00.000Z', 1]]);
    expect(passes[0]!.controls.filter((c) => c.source === 'explicit').map((c) => c.id)).toEqual(['A.8.13', 'A1.2']);
  });
});

describe('legible lake-sql', () => {
  it('prints the reduction for the engine asked (Trino by default), and refuses a table name that is not one', async () => {
    const trino = await legible(['lake-sql', '--table', 'security_lake.sh_findings_2_0', '--from', '2026-04-01', '--to', AS_OF], process.cwd());
    expect(trino.code).toBe(0);
    expect(trino.stdout).toMatch(/^WITH ocsf_findings AS \(\nSELECT t\.\*, 'lake' AS source_file, 0 AS source_row FROM security_lake\.sh_findings_2_0 t WHERE eventday >= '20260401' AND eventday <= '20261123'/);
    expect(trino.stdout).toContain('element_at(');
    expect(trino.stdout).not.toMatch(/epoch_ms\(/);
    const bad = await legible(['lake-sql', '--table', "t' OR 1=1 --"], process.cwd());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--table t' OR 1=1 --: expected a table name");
    expect((await legible(['lake-sql', '--table', 't', '--from', '2026-02-30'], process.cwd())).stderr).toContain('--from 2026-02-30: expected a calendar date');
  });
});

describe('a build with a lake', () => {
  it('lists the partitions it did not read by folder: verify accounts for the files in them', async () => {
    const { dir } = await lakeEvidence();
    expect((await legible(['build', '--period', PERIOD, '--as-of', AS_OF, '--no-cache', '--quiet'], dir)).code).toBe(0);
    const verified = await legible(['verify', '--out', 'out', '--evidence', 'evidence'], dir);
    expect(verified.stdout).toContain('no problems');
    expect(verified.code).toBe(0);
  });
});

describe('a lake the config names', () => {
  it('is read from outside the evidence folder and kept in the store', async () => {
    const { dir, evidence } = await lakeEvidence();
    const outside = join(dir, 'lake');
    // The lake moves out of the evidence folder; the config points at it.
    const { renameSync } = await import('node:fs');
    renameSync(join(evidence, 'aws'), outside);
    writeFileSync(join(dir, 'legible.config.yaml'), 'lake:\n  - { path: lake, format: ocsf-parquet }\n');
    const cache = join(dir, '.legible-cache');
    const first = await analyzed(dir, { cache });
    const read = first.analysis.inputs.filter((i) => i.format === 'ocsf-parquet');
    expect(read.length).toBe(7);
    expect(read.every((i) => i.file.path.startsWith('../lake/SH_FINDINGS/'))).toBe(true);
    // Unchanged files keep their rows: nothing is read again.
    const second = await analyzed(dir, { cache });
    expect(second.analysis.stats.cached).toBe(7);
    expect(second.latest).toEqual(first.latest);

    const result = await legible(['build', '--period', PERIOD, '--as-of', AS_OF, '--no-cache', '--quiet'], dir);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8')) as { inputs: { path: string; sha256: string | null; reason: string | null }[] };
    expect(manifest.inputs.filter((i) => i.sha256 === null).map((i) => i.path)).toEqual([
      '../lake/SH_FINDINGS/2.0/region=eu-west-1/accountId=111122223333/eventDay=20260302',
      '../lake/SH_FINDINGS/2.0/region=eu-west-1/accountId=111122223333/eventDay=20261201',
    ]);
  });
});

// @ts-check
/**
 * The lake benchmark (`npm run bench -- --sizes lake`): legible reading a security lake over a
 * six-month period, against its floor, a DuckDB query reading the same columns of the same files.
 *
 *   node bench/lake.js floor EVIDENCE FROM TO   the floor alone: prints {files, rows, ms, peakRssBytes}
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The period measured: six months, read with the 30 days of freshness before it, up to the as-of date. */
export const LAKE_PERIOD = { from: '2026-05-01', to: '2026-10-31', readFrom: '2026-04-01' };

/** The lake's objects whose partition day is in [from, to] (YYYY-MM-DD), sorted. */
export function partitionFiles(/** @type {string} */ evidence, /** @type {string} */ from, /** @type {string} */ to) {
  /** @type {string[]} */
  const files = [];
  const visit = (/** @type {string} */ dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        const day = /^eventday=(\d{4})(\d{2})(\d{2})$/i.exec(entry.name);
        if (day && (`${day[1]}-${day[2]}-${day[3]}` < from || `${day[1]}-${day[2]}-${day[3]}` > to)) continue;
        visit(path);
      } else files.push(path);
    }
  };
  visit(evidence);
  return files.sort();
}

/**
 * The floor: DuckDB reading, from the same files, every column legible's SQL reads (an aggregate over
 * each, so that none is skipped), with no other work.
 */
async function floor(/** @type {string} */ evidence, /** @type {string} */ from, /** @type {string} */ to) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const started = performance.now();
  const files = partitionFiles(evidence, from, to);
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  const list = files.map((f) => `'${f.replace(/'/g, "''")}'`).join(', ');
  const columns = [
    'class_uid', 'activity_id', 'time', 'severity', 'severity_id', 'status', 'status_id', 'message',
    'cloud.provider', 'cloud.region', 'cloud.account.uid', 'finding_info.uid', 'finding_info.title', 'finding_info.types[1]',
    'compliance.control', 'compliance.requirements[1]', 'compliance.status', 'compliance.status_id', 'compliance.status_detail',
    'resources[1].uid', 'resources[1].name', 'vulnerabilities[1].cve.uid',
  ];
  const rows = (await db.runAndReadAll(`SELECT count(*), ${columns.map((c) => `max(${c})`).join(', ')} FROM read_parquet([${list}], union_by_name = true, hive_partitioning = false)`)).getRows()[0]?.[0];
  db.closeSync();
  instance.closeSync();
  return { files: files.length, rows: Number(rows), ms: Math.round(performance.now() - started), peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

/**
 * legible on the lake corpus: the floor (fastest of three), `check` and `build` over the period with
 * no cache, each a fresh process; peak RSS as each reports it.
 */
export async function measureLake(
  /** @type {string} */ dir,
  /** @type {string} */ asOf,
  /** @type {(command: string, argv: string[], options?: { cwd?: string }) => Promise<{ wall: number, code: number | null, stdout: string, stderr: string }>} */ run,
  /** @type {(dir: string, argv: string[]) => Promise<{ wall: number, summary: any }>} */ legible,
) {
  const evidence = join(dir, 'evidence');
  const period = ['--period', `${LAKE_PERIOD.from}..${LAKE_PERIOD.to}`, '--as-of', asOf, '--evidence', evidence, '--no-cache'];
  let best = { wall: Infinity, files: 0, rows: 0, peakRssBytes: 0 };
  for (let i = 0; i < 3; i++) {
    const ran = await run(process.execPath, [fileURLToPath(import.meta.url), 'floor', evidence, LAKE_PERIOD.readFrom, asOf]);
    const out = JSON.parse(ran.stdout);
    if (ran.wall < best.wall) best = { wall: ran.wall, ...out };
  }
  const check = await legible(dir, ['check', ...period]);
  const build = await legible(dir, ['build', ...period, '--out', join(dir, '.bench', 'out')]);
  // With no cache every file legible opens is hashed; a partition outside the period is listed, never opened.
  const read = (/** @type {any} */ s) => s.stats.hashed;
  return {
    files: best.files,
    rows: best.rows,
    partitionsTotal: partitionFiles(evidence, '0000-00-00', '9999-99-99').length,
    floor: { seconds: best.wall, peakRssBytes: best.peakRssBytes },
    check: { seconds: check.wall, peakRssBytes: check.summary.stats.peakRssBytes, inputs: read(check.summary), observations: check.summary.stats.observations, records: check.summary.stats.records },
    build: { seconds: build.wall, peakRssBytes: build.summary.stats.peakRssBytes, ms: build.summary.stats.ms },
  };
}

if (process.argv[2] === 'floor') {
  const [evidence, from, to] = process.argv.slice(3);
  if (!evidence || !from || !to) throw new Error('usage: node bench/lake.js floor EVIDENCE FROM TO');
  process.stdout.write(`${JSON.stringify(await floor(evidence, from, to))}\n`);
}

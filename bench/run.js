// @ts-check
/**
 * `npm run bench`: legible on three evidence corpora, against the floor (read + SHA-256 + JSON.parse
 * of the same bytes, the fastest of three runs) and against a peer (the MITRE SAF CLI converting the
 * same SARIF and ASFF files).
 *
 *   npm run bench [-- --sizes small,medium,large,lake] [--runs 3] [--no-peer] [--json results.json]
 *
 * lake (not measured by default: its corpus is 10 million findings) is bench/lake.js, on its own.
 *
 * small is the demo folder; medium and large are generated (bench/corpus.js, seeded) into
 * bench/.corpora and kept there for the next run. Every command is a fresh process timed from the
 * outside; peak RSS is the process's own (parse and render workers are threads of it).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_AS_OF, corpusSpecs, generateCorpus, generateLake, GENERATOR_VERSION, lakeSpec, scaledLake, scaledSpec } from './corpus.js';
import { measureLake } from './lake.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'dist', 'cli', 'bin.js');
const corpora = join(root, 'bench', '.corpora');
const PEER = { name: '@mitre/saf', version: '1.5.3', dir: join(root, 'bench', '.peer') };
const DEMO_AS_OF = '2026-11-23';

const args = process.argv.slice(2);
const option = (/** @type {string} */ name, /** @type {string} */ fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? /** @type {string} */ (args[i + 1]) : fallback;
};
const sizes = option('sizes', 'small,medium,large').split(',');
const runs = Number(option('runs', '1'));
const withPeer = !args.includes('--no-peer');
const jsonOut = option('json', '');

/**
 * @typedef {{ wall: number, code: number | null, stdout: string, stderr: string }} Ran
 * @typedef {{ files: number, bytes: number, records: number, notes: number, findings: number }} CorpusFacts
 */

/** Run a command to its end, timing it from the outside. @returns {Promise<Ran>} */
function run(/** @type {string} */ command, /** @type {string[]} */ argv, /** @type {{ cwd?: string, env?: NodeJS.ProcessEnv, timeoutMs?: number }} */ options = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, { cwd: options.cwd ?? root, env: { ...process.env, CI: '1', ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ wall: (performance.now() - started) / 1000, code, stdout, stderr });
    });
  });
}

const median = (/** @type {number[]} */ values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

/** The corpus folder for a size, generated when missing or made by another generator version. */
async function corpus(/** @type {string} */ size) {
  if (size === 'small') {
    const dir = join(corpora, 'small');
    if (!existsSync(join(dir, 'evidence'))) {
      mkdirSync(dir, { recursive: true });
      cpSync(join(root, 'evidence'), join(dir, 'evidence'), { recursive: true });
      cpSync(join(root, 'legible.config.yaml'), join(dir, 'legible.config.yaml'));
    }
    return { dir, asOf: DEMO_AS_OF };
  }
  const [name, factor] = size.split('/');
  const base = corpusSpecs[/** @type {'medium' | 'large'} */ (name)];
  if (!base) throw new Error(`unknown size ${size}: small, medium, large (or medium/4, large/2 for a fraction)`);
  const spec = factor ? scaledSpec(base, 1 / Number(factor)) : base;
  const dir = join(corpora, `${spec.name}-g${GENERATOR_VERSION}`);
  const stamp = join(dir, 'corpus.json');
  const made = existsSync(stamp) ? JSON.parse(readFileSync(stamp, 'utf8')) : undefined;
  if (made?.generator !== GENERATOR_VERSION || JSON.stringify(made.spec) !== JSON.stringify(spec)) {
    process.stderr.write(`generating the ${size} corpus in ${relative(root, dir)} …\n`);
    await generateCorpus(dir, spec);
  }
  return { dir, asOf: CORPUS_AS_OF };
}

/** Files, bytes, records as legible reads them (notes and findings). */
function factsOf(/** @type {any} */ summary, /** @type {string} */ evidence) {
  const notes = walk(evidence).filter((f) => f.endsWith('.md')).length;
  return { files: summary.stats.files, bytes: summary.stats.bytes, records: summary.stats.records, notes, findings: summary.stats.records - notes };
}

function walk(/** @type {string} */ dir) {
  /** @type {string[]} */
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/** A legible command on a corpus; its --json summary, with the wall time measured outside. */
async function legible(/** @type {string} */ dir, /** @type {string[]} */ argv) {
  const ran = await run(process.execPath, [bin, ...argv, '--json'], { cwd: dir });
  if (ran.code !== 0 && ran.code !== 1) throw new Error(`legible ${argv.join(' ')} in ${dir} exited ${ran.code}:\n${ran.stderr.slice(-2000)}`);
  return { wall: ran.wall, summary: JSON.parse(ran.stdout) };
}

/** The first practice note of a corpus: the one a warm rebuild changes. */
function firstNote(/** @type {string} */ evidence) {
  const note = walk(evidence)
    .filter((f) => f.endsWith('.md') && f.includes('practice'))
    .sort()[0];
  if (!note) throw new Error(`no practice note in ${evidence}`);
  return note;
}

async function measure(/** @type {string} */ size) {
  const { dir, asOf } = await corpus(size);
  const evidence = join(dir, 'evidence');
  const scratch = join(dir, '.bench');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const common = ['--as-of', asOf, '--evidence', evidence];
  /** @type {{ floor: number[], ingest: number[], build: number[], iso: number[], cold: number[], warm: number[] }} */
  const samples = { floor: [], ingest: [], build: [], iso: [], cold: [], warm: [] };
  let rss = { ingest: 0, build: 0, floor: 0 };
  /** @type {CorpusFacts | undefined} */
  let facts;
  let renderMs = /** @type {Record<string, number>} */ ({});
  for (let r = 0; r < runs; r++) {
    // The floor is the fastest of three: the work no reader can avoid, not a machine's bad moment.
    for (let f = 0, best = Infinity; f < 3; f++) {
      const floor = await run(process.execPath, [join(root, 'bench', 'floor.js'), evidence]);
      best = Math.min(best, floor.wall);
      rss.floor = Math.max(rss.floor, JSON.parse(floor.stdout).peakRssBytes);
      if (f === 2) samples.floor.push(best);
    }

    // Ingest: everything but rendering (collect, hash, parse, map, evaluate), no cache.
    const ingest = await legible(dir, ['check', ...common, '--no-cache']);
    samples.ingest.push(ingest.wall);
    rss.ingest = Math.max(rss.ingest, ingest.summary.stats.peakRssBytes);
    facts = factsOf(ingest.summary, evidence);

    // The full build, every document, no cache; then each document alone (in this thread, one by one).
    const full = await legible(dir, ['build', ...common, '--no-cache', '--out', join(scratch, 'out')]);
    samples.build.push(full.wall);
    rss.build = Math.max(rss.build, full.summary.stats.peakRssBytes);
    const alone = await legible(dir, ['build', ...common, '--no-cache', '--jobs', '0', '--out', join(scratch, 'out-alone')]);
    renderMs = alone.summary.stats.ms.documents;
    samples.iso.push((renderMs['iso27001-2022-certification-pack.pdf'] ?? NaN) / 1000);

    // Cold build with a fresh cache, then a warm one after one note changed.
    const cache = join(scratch, `cache-${r}`);
    const cold = await legible(dir, ['build', ...common, '--cache', cache, '--out', join(scratch, 'out-cached')]);
    samples.cold.push(cold.wall);
    const note = firstNote(evidence);
    const original = readFileSync(note);
    try {
      appendFileSync(note, `\nBenchmark edit ${r}: one more line.\n`);
      const warm = await legible(dir, ['build', ...common, '--cache', cache, '--out', join(scratch, 'out-cached')]);
      if (warm.summary.stats.hashed !== 1) process.stderr.write(`note: the warm build hashed ${warm.summary.stats.hashed} files (expected 1)\n`);
      samples.warm.push(warm.wall);
    } finally {
      writeFileSync(note, original);
    }
  }
  const peer = withPeer ? await peerRun(size, dir, evidence, asOf) : undefined;
  rmSync(scratch, { recursive: true, force: true });
  const seconds = { floor: median(samples.floor), ingest: median(samples.ingest), build: median(samples.build), iso: median(samples.iso), cold: median(samples.cold), warm: median(samples.warm) };
  return { size, facts: /** @type {CorpusFacts} */ (facts), seconds, rss, renderMs, peer };
}

/** The peer, installed on first use beside the benchmark (never a dependency of legible). */
async function peerBin() {
  const entry = join(PEER.dir, 'node_modules', '@mitre', 'saf', 'bin', 'run');
  if (existsSync(entry)) return entry;
  process.stderr.write(`installing ${PEER.name}@${PEER.version} into ${relative(root, PEER.dir)} (once) …\n`);
  mkdirSync(PEER.dir, { recursive: true });
  const installed = await run('npm', ['install', '--prefix', PEER.dir, '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', `${PEER.name}@${PEER.version}`]);
  if (installed.code !== 0 || !existsSync(entry)) {
    process.stderr.write(`could not install ${PEER.name}: ${installed.stderr.slice(-500)}\n`);
    return undefined;
  }
  return entry;
}

/**
 * The peer on the SARIF and ASFF files of a corpus (at most PEER_FILES of them), and legible on the
 * same files. SAF reads neither Prowler OCSF nor native formats, so those are left out of both.
 */
const PEER_FILES = 40;
async function peerRun(/** @type {string} */ size, /** @type {string} */ dir, /** @type {string} */ evidence, /** @type {string} */ asOf) {
  const saf = await peerBin();
  if (!saf) return undefined;
  const files = walk(evidence)
    .filter((f) => /\.sarif$/.test(f) || /securityhub|asff/.test(f))
    .sort()
    .slice(0, PEER_FILES);
  if (!files.length) return undefined;
  const same = join(dir, '.bench', 'peer-evidence');
  const out = join(dir, '.bench', 'peer-out');
  mkdirSync(same, { recursive: true });
  mkdirSync(out, { recursive: true });
  let safSeconds = 0;
  let safPeakRss = 0;
  const failures = [];
  for (const [i, file] of files.entries()) {
    // Hard links: the very same bytes, inside a folder legible reads (it follows no link out of it).
    linkSync(file, join(same, `${String(i).padStart(3, '0')}-${file.split('/').pop()}`));
    const sarif = file.endsWith('.sarif');
    const target = join(out, `${i}${sarif ? '.json' : ''}`);
    const ran = await run('/usr/bin/time', ['-f', '%M', process.execPath, saf, 'convert', sarif ? 'sarif2hdf' : 'asff2hdf', '-i', file, '-o', target], {
      cwd: out,
      env: { SAF_SKIP_NEW_VERSION_CHECK: 'true', NODE_ENV: 'production' },
      timeoutMs: 20 * 60_000,
    });
    safSeconds += ran.wall;
    safPeakRss = Math.max(safPeakRss, Number(ran.stderr.trim().split('\n').pop()) * 1024 || 0);
    // SAF exits 0 on failure too: only an output file says it converted.
    if (!existsSync(target) || (statSync(target).isDirectory() && readdirSync(target).length === 0)) failures.push(relative(evidence, file));
  }
  const ours = await legible(dir, ['check', '--as-of', asOf, '--evidence', same, '--no-cache']);
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  return { size, files: files.length, bytes, findings: ours.summary.stats.records, safSeconds, safPeakRss, legibleSeconds: ours.wall, legiblePeakRss: ours.summary.stats.peakRssBytes, failures };
}

/**
 * Memory against the number of findings: the large corpus's CodeQL log read once, 4 times and 8 times
 * (hard links under other names: a scanner re-run on the same code). Findings grow, distinct (check,
 * resource) pairs do not, and neither should memory.
 */
async function repeats() {
  const { dir, asOf } = await corpus('large');
  const log = walk(join(dir, 'evidence')).find((f) => f.endsWith('.sarif') && f.includes('codeql'));
  if (!log) return [];
  const rows = [];
  for (const copies of [1, 4, 8]) {
    const evidence = join(dir, '.bench', `repeats-${copies}`);
    rmSync(evidence, { recursive: true, force: true });
    mkdirSync(evidence, { recursive: true });
    for (let i = 0; i < copies; i++) linkSync(log, join(evidence, `scan-${i}.sarif`));
    const ran = await legible(dir, ['check', '--as-of', asOf, '--evidence', evidence, '--no-cache']);
    rows.push({ copies, findings: ran.summary.stats.records, pairs: ran.summary.stats.observations, seconds: ran.wall, peakRssBytes: ran.summary.stats.peakRssBytes });
    rmSync(evidence, { recursive: true, force: true });
  }
  return rows;
}

const mb = (/** @type {number} */ bytes) => (bytes / 1024 / 1024).toFixed(0);
const s = (/** @type {number} */ seconds) => seconds.toFixed(2);
const int = (/** @type {number} */ n) => Math.round(n).toLocaleString('en');

function table(/** @type {string[]} */ header, /** @type {string[][]} */ rows) {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The lake corpus (`lake`, or `lake/10` for a tenth), generated when missing, measured on its own. */
async function lake(/** @type {string} */ size) {
  const factor = size.split('/')[1];
  const spec = factor ? scaledLake(lakeSpec, 1 / Number(factor)) : lakeSpec;
  const dir = join(corpora, `lake${factor ? `-x${factor}` : ''}-g${GENERATOR_VERSION}`);
  const stamp = join(dir, 'corpus.json');
  const made = existsSync(stamp) ? JSON.parse(readFileSync(stamp, 'utf8')) : undefined;
  if (made?.generator !== GENERATOR_VERSION || JSON.stringify(made.spec) !== JSON.stringify(spec)) {
    process.stderr.write(`generating the ${size} corpus in ${relative(root, dir)} …\n`);
    await generateLake(dir, spec);
  }
  const measured = await measureLake(dir, CORPUS_AS_OF, run, legible);
  rmSync(join(dir, '.bench'), { recursive: true, force: true });
  return { size, findings: spec.accounts * spec.days * spec.findings * 2, ...measured };
}

const results = [];
const lakes = [];
for (const size of sizes) {
  process.stderr.write(`measuring ${size} …\n`);
  if (size.startsWith('lake')) lakes.push(await lake(size));
  else results.push(await measure(size));
}
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${mb(totalmem())} MB, Node ${process.version}`;
const lines = [`legible benchmark — ${machine}; median of ${runs} run${runs === 1 ? '' : 's'}`];
if (lakes.length) {
  lines.push(
    '',
    'Lake: a six-month period (2026-05-01..2026-10-31, read from 2026-04-01 to the as-of date) against DuckDB reading the same columns of the same files',
    '',
    table(
      ['corpus', 'findings in the lake', 'objects', 'objects read', 'rows read', 'floor s', 'check s', 'check / floor', 'peak RSS MB (check)', 'build s', 'build / floor', 'peak RSS MB (build)', 'observations'],
      lakes.map((l) => [l.size, int(l.findings), int(l.partitionsTotal), int(l.files), int(l.rows), s(l.floor.seconds), s(l.check.seconds), (l.check.seconds / l.floor.seconds).toFixed(2), mb(l.check.peakRssBytes), s(l.build.seconds), (l.build.seconds / l.floor.seconds).toFixed(2), mb(l.build.peakRssBytes), int(l.check.observations)]),
    ),
  );
}
if (results.length) lines.push(
  '',
  table(
    ['corpus', 'files', 'findings', 'MB', 'floor s', 'ingest s', 'ingest / floor', 'findings/s', 'peak RSS MB (ingest)', 'build s', 'peak RSS MB (build)', 'ISO pack alone s', 'cold s', 'warm s (1 note changed)', 'warm / cold'],
    results.map((r) => [
      r.size,
      int(r.facts.files),
      int(r.facts.findings),
      mb(r.facts.bytes),
      s(r.seconds.floor),
      s(r.seconds.ingest),
      (r.seconds.ingest / r.seconds.floor).toFixed(2),
      int(r.facts.findings / r.seconds.ingest),
      mb(r.rss.ingest),
      s(r.seconds.build),
      mb(r.rss.build),
      s(r.seconds.iso),
      s(r.seconds.cold),
      s(r.seconds.warm),
      `${((r.seconds.warm / r.seconds.cold) * 100).toFixed(0)}%`,
    ]),
  ),
);
const peers = results.flatMap((r) => (r.peer ? [r.peer] : []));
if (peers.length) {
  lines.push(
    '',
    `Peer: ${PEER.name} ${PEER.version} (sarif2hdf, asff2hdf; one process per file) against legible check on the same SARIF and ASFF files`,
    '',
    table(
      ['corpus', 'files', 'MB', 'findings', 'SAF s', 'SAF peak RSS MB', 'legible s', 'legible peak RSS MB', 'SAF / legible', 'SAF failures'],
      peers.map((p) => [p.size, int(p.files), mb(p.bytes), int(p.findings), s(p.safSeconds), mb(p.safPeakRss), s(p.legibleSeconds), mb(p.legiblePeakRss), (p.safSeconds / p.legibleSeconds).toFixed(1), String(p.failures.length)]),
    ),
  );
}
if (sizes.includes('large')) {
  const memory = await repeats();
  lines.push(
    '',
    'Memory against findings: one CodeQL log of the large corpus, read 1, 4 and 8 times (the same scan re-run)',
    '',
    table(
      ['copies', 'findings', 'distinct (check, resource) pairs', 'seconds', 'peak RSS MB'],
      memory.map((m) => [String(m.copies), int(m.findings), int(m.pairs), s(m.seconds), mb(m.peakRssBytes)]),
    ),
  );
}
if (results.length) {
  lines.push('', 'Render time of each document alone (ms, in one thread):', '');
  lines.push(table(['corpus', ...Object.keys(results[0]?.renderMs ?? {})], results.map((r) => [r.size, ...Object.values(r.renderMs).map(String)])));
}
process.stdout.write(`${lines.join('\n')}\n`);
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ machine, runs, results, lakes }, null, 2)}\n`);

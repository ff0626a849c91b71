// @ts-check
/**
 * `npm run bench`: legible on evidence corpora, against the floor (read + SHA-256 + JSON.parse of the
 * same bytes, the fastest of three runs) and against a peer (the MITRE SAF CLI converting the same
 * SARIF and ASFF files); then every target of issue 14 in one table, met or missed.
 *
 *   npm run bench [-- --sizes small,medium,large,jsonl1m,sarif1m,history,startup,lake] [--runs 3] [--no-peer] [--json results.json]
 *
 * small is the demo folder; the others are generated (bench/corpus.js, seeded) into bench/.corpora
 * and kept there for the next run: medium and large (many files, a few big ones), jsonl1m and sarif1m
 * (one file of a million findings each: the whole build against its floor), history (12 monthly
 * Prowler scans, checked over a six-month period; `history/10` for a tenth of the findings), lake
 * (bench/lake.js: 10 million OCSF findings in Parquet; `lake/10` for a tenth). startup times the
 * CLI's answers on the demo against a bare Node. Every command is a fresh process timed from the outside; peak RSS is the process's own, which is
 * the whole tree's (parse and render workers are threads of it, DuckDB runs inside it; legible starts
 * no other process).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_AS_OF, corpusSpecs, generateCorpus, generateHistory, generateLake, GENERATOR_VERSION, historySpec, lakeSpec, scaledLake, scaledSpec } from './corpus.js';
import { LAKE_PERIOD, measureLake } from './lake.js';

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
const sizes = option('sizes', 'small,medium,large,jsonl1m,sarif1m,history,startup,lake').split(',');
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
  const base = corpusSpecs[/** @type {keyof corpusSpecs} */ (name)];
  if (!base) throw new Error(`unknown size ${size}: small, medium, large, jsonl1m, sarif1m, history, startup, lake (or medium/4, lake/10 for a fraction)`);
  const spec = factor ? scaledSpec(base, 1 / Number(factor)) : base;
  return { dir: await generated(spec, generateCorpus), asOf: CORPUS_AS_OF };
}

/**
 * The folder of a generated corpus: made by `generate` when missing or made by another generator
 * version or spec (its corpus.json says which).
 * @template {{ name: string }} S
 * @param {S} spec @param {(dir: string, spec: S) => Promise<unknown>} generate
 */
async function generated(spec, generate) {
  const dir = join(corpora, `${spec.name}-g${GENERATOR_VERSION}`);
  const stamp = join(dir, 'corpus.json');
  const made = existsSync(stamp) ? JSON.parse(readFileSync(stamp, 'utf8')) : undefined;
  if (made?.generator !== GENERATOR_VERSION || JSON.stringify(made.spec) !== JSON.stringify(spec)) {
    process.stderr.write(`generating the ${spec.name} corpus in ${relative(root, dir)} …\n`);
    await generate(dir, spec);
  }
  return dir;
}

/** The floor on an evidence folder: the fastest of `tries` runs, and the largest peak RSS. */
async function floor(/** @type {string} */ evidence, tries = 3) {
  let best = Infinity;
  let peakRssBytes = 0;
  for (let f = 0; f < tries; f++) {
    const ran = await run(process.execPath, [join(root, 'bench', 'floor.js'), evidence]);
    best = Math.min(best, ran.wall);
    peakRssBytes = Math.max(peakRssBytes, JSON.parse(ran.stdout).peakRssBytes);
  }
  return { seconds: best, peakRssBytes };
}

/** Reading and evaluation of a build (collect, ingest, evaluate), in seconds: the build's own clock. */
const readingMs = (/** @type {any} */ ms) => ms.collect + ms.ingest + ms.evaluate;

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
  /** @type {{ floor: number[], ingest: number[], build: number[], iso: number[], cold: number[], warm: number[], coldReading: number[], warmReading: number[], coldRender: number[], warmRender: number[] }} */
  const samples = { floor: [], ingest: [], build: [], iso: [], cold: [], warm: [], coldReading: [], warmReading: [], coldRender: [], warmRender: [] };
  let rss = { ingest: 0, build: 0, floor: 0 };
  /** @type {CorpusFacts | undefined} */
  let facts;
  let renderMs = /** @type {Record<string, number>} */ ({});
  for (let r = 0; r < runs; r++) {
    // The floor is the fastest of three: the work no reader can avoid, not a machine's bad moment.
    const least = await floor(evidence);
    samples.floor.push(least.seconds);
    rss.floor = Math.max(rss.floor, least.peakRssBytes);

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
    samples.coldReading.push(readingMs(cold.summary.stats.ms) / 1000);
    samples.coldRender.push(cold.summary.stats.ms.render / 1000);
    const note = firstNote(evidence);
    const original = readFileSync(note);
    try {
      appendFileSync(note, `\nBenchmark edit ${r}: one more line.\n`);
      const warm = await legible(dir, ['build', ...common, '--cache', cache, '--out', join(scratch, 'out-cached')]);
      if (warm.summary.stats.hashed !== 1) process.stderr.write(`note: the warm build hashed ${warm.summary.stats.hashed} files (expected 1)\n`);
      samples.warm.push(warm.wall);
      samples.warmReading.push(readingMs(warm.summary.stats.ms) / 1000);
      samples.warmRender.push(warm.summary.stats.ms.render / 1000);
    } finally {
      writeFileSync(note, original);
    }
  }
  const peer = withPeer ? await peerRun(size, dir, evidence, asOf) : undefined;
  rmSync(scratch, { recursive: true, force: true });
  const seconds = /** @type {Record<keyof samples, number>} */ (Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])));
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

/**
 * One big file (jsonl1m, sarif1m): the whole build with no cache, against the floor on the same file.
 */
async function whole(/** @type {string} */ size) {
  const { dir, asOf } = await corpus(size);
  const evidence = join(dir, 'evidence');
  const least = await floor(evidence);
  const { seconds, peakRssBytes, summary } = await repeated(dir, ['build', '--as-of', asOf, '--evidence', evidence, '--no-cache', '--out', join(dir, '.bench', 'out')]);
  rmSync(join(dir, '.bench'), { recursive: true, force: true });
  return { size, bytes: summary.stats.bytes, findings: summary.stats.records, observations: summary.stats.observations, floor: least, build: { seconds, peakRssBytes, ms: summary.stats.ms } };
}

/** legible run `runs` times on a corpus: the median wall time, the largest peak RSS, the last summary. */
async function repeated(/** @type {string} */ dir, /** @type {string[]} */ argv) {
  /** @type {number[]} */
  const walls = [];
  let peakRssBytes = 0;
  /** @type {any} */
  let summary;
  for (let r = 0; r < runs; r++) {
    const ran = await legible(dir, argv);
    walls.push(ran.wall);
    peakRssBytes = Math.max(peakRssBytes, ran.summary.stats.peakRssBytes);
    summary = ran.summary;
  }
  return { seconds: median(walls), peakRssBytes, summary };
}

/**
 * The history corpus: `check` over six of its twelve months (the lake's period), as of the corpus's
 * date, with no cache, against the floor on all twelve files.
 */
async function history(/** @type {string} */ size) {
  const factor = size.split('/')[1];
  const spec = factor ? { ...historySpec, name: `history-x${factor}`, findings: Math.round(historySpec.findings / Number(factor)) } : historySpec;
  const dir = await generated(spec, generateHistory);
  const evidence = join(dir, 'evidence');
  const least = await floor(evidence);
  const { seconds, peakRssBytes, summary } = await repeated(dir, ['check', '--period', `${LAKE_PERIOD.from}..${LAKE_PERIOD.to}`, '--as-of', CORPUS_AS_OF, '--evidence', evidence, '--no-cache']);
  return { size, spec, bytes: summary.stats.bytes, findings: summary.stats.records, observations: summary.stats.observations, floor: least, check: { seconds, peakRssBytes, ms: summary.stats.ms } };
}

/**
 * Start-up: each command against a bare `node -e 0`, the median of STARTS rounds (the commands take
 * turns in each round, so a busy moment of the machine falls on all of them alike). `check` runs on
 * the demo as a user runs it again: its cache warmed by one run first; and once with no cache.
 */
const STARTS = 10;
async function startup() {
  const { dir, asOf } = await corpus('small');
  const check = ['check', '--as-of', asOf, '--cache', join(dir, '.bench-cache')];
  /** @type {Record<string, string[]>} */
  const commands = {
    'node -e 0': ['-e', '0'],
    'legible --help': [bin, '--help'],
    'legible --version': [bin, '--version'],
    'legible check (demo)': [bin, ...check],
    'legible check --no-cache (demo)': [bin, 'check', '--as-of', asOf, '--no-cache'],
  };
  await run(process.execPath, [bin, ...check], { cwd: dir });
  /** @type {Record<string, number[]>} */
  const walls = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  for (let i = 0; i < STARTS; i++) {
    for (const [name, argv] of Object.entries(commands)) {
      const ran = await run(process.execPath, argv, { cwd: dir });
      if (ran.code !== 0 && ran.code !== 1) throw new Error(`${name} exited ${ran.code}: ${ran.stderr.slice(-500)}`);
      walls[name]?.push(ran.wall);
    }
  }
  rmSync(join(dir, '.bench-cache'), { recursive: true, force: true });
  return Object.fromEntries(Object.entries(walls).map(([k, v]) => [k, median(v)]));
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

/** @type {Awaited<ReturnType<typeof measure>>[]} */
const results = [];
/** @type {Awaited<ReturnType<typeof lake>>[]} */
const lakes = [];
/** @type {Awaited<ReturnType<typeof whole>>[]} */
const wholes = [];
/** @type {Awaited<ReturnType<typeof history>> | undefined} */
let past;
/** @type {Record<string, number> | undefined} */
let starts;
/** Cases that could not be measured (legible failed on them): each is a missed target, and the rest still runs. @type {{ size: string, error: string }[]} */
const failures = [];
for (const size of sizes) {
  process.stderr.write(`measuring ${size} …\n`);
  try {
    if (size.startsWith('lake')) lakes.push(await lake(size));
    else if (size.startsWith('jsonl1m') || size.startsWith('sarif1m')) wholes.push(await whole(size));
    else if (size.startsWith('history')) past = await history(size);
    else if (size === 'startup') starts = await startup();
    else results.push(await measure(size));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`${size} failed: ${message}\n`);
    failures.push({ size, error: message });
  }
  // What is measured so far survives a later case's failure or a stopped run.
  if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ partial: true, results, wholes, history: past, startup: starts, lakes, failures }, null, 2)}\n`);
}
const machine = `${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${mb(totalmem())} MB, Node ${process.version}`;
const lines = [`legible benchmark — ${machine}; median of ${runs} run${runs === 1 ? '' : 's'}`];
if (lakes.length) {
  lines.push(
    '',
    `Lake: a six-month period (${LAKE_PERIOD.from}..${LAKE_PERIOD.to}, read from ${LAKE_PERIOD.readFrom} to the as-of date) against DuckDB reading the same columns of the same files`,
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
  '',
  'Warm rebuild (the cache holds the store, one note changed): reading and evaluation (collect + ingest + evaluate, the build\'s own clock) apart from rendering',
  '',
  table(
    ['corpus', 'cold reading s', 'cold render s', 'warm reading s', 'warm render s', 'warm reading / cold reading'],
    results.map((r) => [r.size, s(r.seconds.coldReading), s(r.seconds.coldRender), s(r.seconds.warmReading), s(r.seconds.warmRender), `${((r.seconds.warmReading / r.seconds.coldReading) * 100).toFixed(0)}%`]),
  ),
);
if (wholes.length) {
  lines.push(
    '',
    'One big file: the whole build (every document, no cache) against the floor on the same file',
    '',
    table(
      ['corpus', 'MB', 'findings', 'observations', 'floor s', 'build s', 'build / floor', 'peak RSS MB', 'collect / ingest / evaluate / render s'],
      wholes.map((w) => [w.size, mb(w.bytes), int(w.findings), int(w.observations), s(w.floor.seconds), s(w.build.seconds), (w.build.seconds / w.floor.seconds).toFixed(2), mb(w.build.peakRssBytes), [w.build.ms.collect, w.build.ms.ingest, w.build.ms.evaluate, w.build.ms.render].map((v) => s(v / 1000)).join(' / ')]),
    ),
  );
}
if (past) {
  lines.push(
    '',
    `History: ${past.spec.months} monthly Prowler scans of ${int(past.spec.findings)} findings, check over ${LAKE_PERIOD.from}..${LAKE_PERIOD.to} as of ${CORPUS_AS_OF} (no cache), against the floor on all ${past.spec.months} files`,
    '',
    table(
      ['MB', 'findings', 'observations', 'floor s', 'check s', 'check / floor', 'peak RSS MB', 'floor peak RSS MB', 'collect / ingest / evaluate s'],
      [[mb(past.bytes), int(past.findings), int(past.observations), s(past.floor.seconds), s(past.check.seconds), (past.check.seconds / past.floor.seconds).toFixed(2), mb(past.check.peakRssBytes), mb(past.floor.peakRssBytes), [past.check.ms.collect, past.check.ms.ingest, past.check.ms.evaluate].map((v) => s(v / 1000)).join(' / ')]],
    ),
  );
}
if (starts) {
  const bare = /** @type {number} */ (starts['node -e 0']);
  lines.push('', `Start-up: median of ${STARTS} rounds, against a bare node -e 0`, '', table(['command', 'ms', 'ratio'], Object.entries(starts).map(([k, v]) => [k, (v * 1000).toFixed(0), (v / bare).toFixed(2)])));
}
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
if (failures.length) lines.push('', 'Failed (legible exited with an error)', '', ...failures.map((f) => `- ${f.size}: ${f.error.split('\n').filter((l) => l.trim()).slice(0, 2).join(' — ').slice(0, 400)}`));
const targets = targetRows();
if (targets.length) lines.push('', 'Targets (issue 14)', '', table(['case', 'measured', 'floor', 'ratio', 'target', ''], targets));
process.stdout.write(`${lines.join('\n')}\n`);
if (jsonOut) writeFileSync(jsonOut, `${JSON.stringify({ machine, runs, results, wholes, history: past, startup: starts, lakes, failures, targets }, null, 2)}\n`);

/**
 * Every target of issue 14 that this run measured: case, measured, floor, ratio, target, met.
 * @returns {string[][]}
 */
function targetRows() {
  const MB512 = 512 * 1024 * 1024;
  /** @type {string[][]} */
  const rows = [];
  const met = (/** @type {boolean} */ ok) => (ok ? 'met' : 'missed');
  const ratio = (/** @type {string} */ what, /** @type {number} */ measured, /** @type {number} */ base, /** @type {number} */ limit, /** @type {string} */ baseName = 'floor') =>
    rows.push([what, `${s(measured)} s`, `${s(base)} s (${baseName})`, `${(measured / base).toFixed(2)}x`, `≤ ${limit.toFixed(1)}x`, met(measured / base <= limit)]);
  const memory = (/** @type {string} */ what, /** @type {number} */ bytes) => rows.push([what, `${mb(bytes)} MB`, '', '', '≤ 512 MB', met(bytes <= MB512)]);
  for (const w of wholes) {
    ratio(`${w.size}: whole build`, w.build.seconds, w.floor.seconds, 2.0);
    memory(`${w.size}: whole build, peak RSS`, w.build.peakRssBytes);
  }
  const medium = results.find((r) => r.size === 'medium');
  if (medium) {
    ratio('medium: ingest (check --no-cache)', medium.seconds.ingest, medium.seconds.floor, 3.0);
    rows.push(['medium: full build', `${s(medium.seconds.build)} s`, '', '', '≤ 15 s', met(medium.seconds.build <= 15)]);
    const share = medium.seconds.warmReading / medium.seconds.coldReading;
    rows.push(['medium: warm rebuild, reading and evaluation', `${s(medium.seconds.warmReading)} s`, `${s(medium.seconds.coldReading)} s (cold)`, `${(share * 100).toFixed(0)}%`, '≤ 10% of cold', met(share <= 0.1)]);
  }
  if (past) {
    ratio(`${past.size}: check over 6 of 12 months`, past.check.seconds, past.floor.seconds, 2.5);
    memory(`${past.size}: peak RSS`, past.check.peakRssBytes);
  }
  if (starts) {
    const bare = /** @type {number} */ (starts['node -e 0']);
    const start = (/** @type {string} */ name, /** @type {number} */ limit) => {
      const v = /** @type {number} */ (starts?.[name]);
      rows.push([name, `${(v * 1000).toFixed(0)} ms`, `${(bare * 1000).toFixed(0)} ms (node -e 0)`, `${(v / bare).toFixed(2)}x`, `≤ ${limit.toFixed(1)}x`, met(v / bare <= limit)]);
    };
    start('legible --help', 2.0);
    start('legible --version', 2.0);
    start('legible check (demo)', 5.0);
  }
  for (const l of lakes) {
    ratio(`${l.size}: check over 6 months`, l.check.seconds, l.floor.seconds, 4.0, 'DuckDB floor');
    memory(`${l.size}: check, peak RSS`, l.check.peakRssBytes);
    ratio(`${l.size}: build over 6 months`, l.build.seconds, l.floor.seconds, 4.0, 'DuckDB floor');
    memory(`${l.size}: build, peak RSS`, l.build.peakRssBytes);
    rows.push([`${l.size}: objects read`, `${int(l.check.inputs)} of ${int(l.partitionsTotal)}`, `${int(l.files)} (the period's)`, '', 'only the period\'s', met(l.check.inputs === l.files)]);
  }
  for (const f of failures) rows.push([f.size, 'failed (see above)', '', '', 'every target of this case', 'missed']);
  return rows;
}

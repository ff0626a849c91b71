import { appendFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import yargs, { type Argv } from 'yargs';
import { ConfigError, defaultAsOf, isValidDate, parsePeriod, resolveConfig } from '../config/load.js';
import { formatDiagnostic } from '../diagnostics/codes.js';
import { loadCatalog } from '../catalog/catalog.js';
import { countByStatus, statusOrder } from '../model/evaluation.js';
import { analyze, build, fillQuestionnaire, sample, type Analysis, type BuildOptions, type BuildResult } from '../pipeline.js';
import { FillMapError, InsurerFormError } from '../questionnaire/errors.js';
import { lockOutput, OutputLockedError } from '../output/lock.js';
import { generateKeyPair, readKeyFile, signManifest, TrustError } from '../trust/sign.js';
import { formatVerifyReport, verifyOutputs } from '../trust/verify.js';
import { periodStatusCounted, periodStatusOrder, statusLabel } from '../render/labels.js';
import { TemplateError } from '../render/errors.js';
import { lakeTableProblem, lakeTableQuery } from '../store/portable-sql.js';
import { version } from '../util/version.js';

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Where a progress line may be drawn: a terminal, outside CI. */
  progress?: NodeJS.WriteStream;
}

const defaultIo: Io = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  cwd: process.cwd(),
  env: process.env,
  ...(process.stderr.isTTY && !process.env.CI ? { progress: process.stderr } : {}),
};

interface CommonArgs {
  evidence?: string;
  config?: string;
  out?: string;
  'as-of'?: string;
  period?: string;
  templates?: string;
  strict?: boolean;
  quiet?: boolean;
  json?: boolean;
  previous?: string;
  jobs?: number;
  cache?: string | false;
  format?: Format;
}

const formats = ['text', 'github'] as const;
type Format = (typeof formats)[number];

/** As asked; else annotations inside GitHub Actions, unless --json asked for a machine's output. */
const formatOf = (args: CommonArgs, io: Io): Format => args.format ?? (!args.json && io.env.GITHUB_ACTIONS === 'true' ? 'github' : 'text');

/** build and check report in a format: plain text, or GitHub Actions annotations and step summary. */
function reportOptions<T>(y: Argv<T>) {
  return commonOptions(y)
    .option('format', {
      choices: formats,
      describe: 'how diagnostics are printed: text, or github (workflow annotations, and the summary in $GITHUB_STEP_SUMMARY); default: github when GITHUB_ACTIONS=true',
    })
    // Not yargs' conflicts(), which counts --json's default as given.
    .check((argv) => !(argv.format && argv.json) || '--format and --json: choose one (--json prints the summary as JSON)');
}

function commonOptions<T>(y: Argv<T>) {
  return y
    .option('evidence', { type: 'string', describe: 'evidence folder', default: './evidence' })
    .option('config', { type: 'string', describe: 'config file (default: ./legible.config.yaml if present)' })
    .option('out', { type: 'string', describe: 'output folder', default: './out' })
    .option('as-of', { type: 'string', describe: 'evaluation date YYYY-MM-DD (default: the period\'s end, else today, or SOURCE_DATE_EPOCH)' })
    .option('period', { type: 'string', describe: 'audit period FROM..TO (e.g. 2026-01-01..2026-06-30): judge operation over it' })
    .option('templates', { type: 'string', describe: 'folder of Handlebars templates replacing the built-in ones' })
    .option('strict', { type: 'boolean', default: false, describe: 'exit 1 if any input is rejected or any diagnostic is an error' })
    .option('quiet', { type: 'boolean', default: false, describe: 'print only errors' })
    .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON (with timings and cache use)' })
    .option('jobs', { type: 'number', describe: 'worker threads for parsing and rendering (default: one per core where it pays; 0: none)' })
    .option('cache', { type: 'string', describe: 'parse cache folder (default: ./.legible-cache); --no-cache reads every file afresh' })
    .strict()
    .check((argv) => {
      const asOf = argv['as-of'];
      if (asOf !== undefined && !isValidDate(asOf)) return `--as-of ${asOf}: expected a calendar date as YYYY-MM-DD`;
      const period = argv.period === undefined ? undefined : parsePeriod(argv.period);
      if (typeof period === 'string') return `--period ${argv.period}: ${period}`;
      if (period && asOf !== undefined && asOf < period.to) return `--as-of ${asOf} is before the period's end ${period.to}: leave --as-of out to evaluate as of the period's end`;
      const jobs = argv.jobs;
      return jobs === undefined || (Number.isInteger(jobs) && jobs >= 0) || `--jobs ${jobs}: expected a whole number of worker threads, 0 or more`;
    });
}

function configOptions(args: CommonArgs, cwd: string): BuildOptions {
  return {
    cwd,
    ...(args.evidence !== undefined ? { evidence: args.evidence } : {}),
    ...(args.config !== undefined ? { config: args.config } : {}),
    ...(args.out !== undefined ? { out: args.out } : {}),
    ...(args['as-of'] !== undefined ? { asOf: args['as-of'] } : {}),
    ...(args.period !== undefined ? { period: args.period } : {}),
    ...(args.templates !== undefined ? { templates: args.templates } : {}),
    ...(args.previous !== undefined ? { previous: resolve(cwd, args.previous) } : {}),
    ...(args.jobs !== undefined ? { workers: args.jobs } : {}),
    ...(args.cache !== undefined ? { cache: args.cache === false ? false : resolve(cwd, args.cache) } : {}),
  };
}

/** Exit code from the counts, as ESLint does: 0 done, 1 problems under --strict. */
export function exitCodeOf(analysis: Analysis, strict: boolean): number {
  const rejected = analysis.inputs.some((i) => !i.accepted);
  const errors = analysis.diagnostics.some((d) => d.severity === 'error');
  return strict && (rejected || errors) ? 1 : 0;
}

function summarize(analysis: Analysis, result: BuildResult | undefined, cwd: string, startedAt: number) {
  const catalog = loadCatalog();
  return {
    version,
    asOf: analysis.config.asOf,
    inputs: {
      accepted: analysis.inputs.filter((i) => i.accepted).length,
      rejected: analysis.inputs.filter((i) => !i.accepted).map((i) => ({ path: i.file.path, reason: i.reason ?? '' })),
      records: analysis.inputs.reduce((n, i) => n + i.records, 0),
    },
    controls: Object.fromEntries(
      catalog.frameworks.map((f) => [f.id, countByStatus(analysis.evaluation.controls.filter((c) => c.framework === f.id))]),
    ),
    ...(analysis.evaluation.period
      ? {
          period: {
            ...analysis.evaluation.period,
            controls: Object.fromEntries(
              catalog.frameworks.map((f) => [
                f.id,
                Object.fromEntries(periodStatusOrder.map((s) => [s, analysis.evaluation.controls.filter((c) => c.framework === f.id && c.period?.status === s).length])),
              ]),
            ),
          },
        }
      : {}),
    diagnostics: {
      errors: analysis.diagnostics.filter((d) => d.severity === 'error').length,
      warnings: analysis.diagnostics.filter((d) => d.severity === 'warning').length,
    },
    outputs: (result?.outputs ?? []).map((o) => {
      const path = join(analysis.config.outDir, o.path);
      const shown = relative(cwd, path);
      return shown.startsWith('..') ? path : shown;
    }),
    // How the build went, not what it found: not in the manifest, which stays reproducible.
    stats: {
      ...analysis.stats,
      ms: { ...analysis.stats.ms, ...(result ? { render: result.renderMs.total, documents: result.renderMs.documents } : {}), total: Math.round(performance.now() - startedAt) },
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    },
  };
}

const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

function printSummary(io: Io, summary: ReturnType<typeof summarize>): void {
  const catalog = loadCatalog();
  const lines = [`legible ${summary.version}: evaluated as of ${summary.asOf}`];
  lines.push(`inputs: ${summary.inputs.accepted} accepted (${summary.inputs.records} records), ${summary.inputs.rejected.length} rejected`);
  for (const r of summary.inputs.rejected) lines.push(`  rejected ${r.path}: ${r.reason}`);
  for (const f of catalog.frameworks) {
    const counts = summary.controls[f.id]!;
    lines.push(`${f.name}: ${statusOrder.map((s) => `${counts[s]} ${statusLabel[s].toLowerCase()}`).join(', ')}`);
    const overPeriod = summary.period?.controls[f.id];
    if (summary.period && overPeriod) lines.push(`  over ${summary.period.from} to ${summary.period.to}: ${periodStatusOrder.map((s) => `${overPeriod[s]} ${periodStatusCounted[s]}`).join(', ')}`);
  }
  lines.push(`diagnostics: ${counted(summary.diagnostics.errors, 'error')}, ${counted(summary.diagnostics.warnings, 'warning')}`);
  if (summary.outputs.length) lines.push(`wrote: ${summary.outputs.join(', ')}`);
  const { stats } = summary;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  lines.push(
    `time: ${seconds(stats.ms.total)} (read ${counted(stats.files, 'file')} in ${seconds(stats.ms.ingest)}, ${stats.cached} from the cache, ${counted(stats.workers, 'worker')}${stats.ms.render !== undefined ? `; rendered in ${seconds(stats.ms.render)}` : ''})`,
  );
  io.out(`${lines.join('\n')}\n`);
}

async function run(kind: 'build' | 'check', args: CommonArgs, io: Io): Promise<number> {
  const startedAt = performance.now();
  const progress = io.progress && !args.quiet && !args.json ? (await import('./progress.js')).progressDisplay(io.progress) : undefined;
  try {
    const options = { ...configOptions(args, io.cwd), ...(progress ? { onProgress: progress.update } : {}) };
    let result: BuildResult | undefined;
    let analysis: Analysis;
    try {
      result = kind === 'build' ? await build(options) : undefined;
      analysis = result ?? (await analyze(options));
    } finally {
      progress?.stop();
    }
    const shown = analysis.diagnostics.filter((d) => d.severity === 'error' || (!args.quiet && !args.json));
    const summary = summarize(analysis, result, io.cwd, startedAt);
    if (formatOf(args, io) === 'github') {
      const github = await import('./github.js');
      const rejected = new Set(analysis.inputs.filter((i) => !i.accepted).map((i) => i.file.path));
      for (const line of github.annotations(shown, { base: analysis.config.evidenceDir, workspace: io.env.GITHUB_WORKSPACE ?? io.cwd, rejected })) io.out(`${line}\n`);
      const file = io.env.GITHUB_STEP_SUMMARY;
      // The summary page is a courtesy: failing to write it must not change the build's outcome.
      if (file) await appendFile(file, github.stepSummary(summaryTable(kind, summary))).catch((error: NodeJS.ErrnoException) => io.err(`warning cannot append the summary to ${file}: ${error.code ?? error.message}\n`));
    } else {
      for (const d of shown) io.err(`${formatDiagnostic(d)}\n`);
    }
    if (args.json) io.out(`${JSON.stringify(summary, null, 2)}\n`);
    else if (!args.quiet) printSummary(io, summary);
    // `check` is a validator: it always fails on problems; `build` only under --strict.
    return exitCodeOf(analysis, kind === 'check' || Boolean(args.strict));
  } catch (error) {
    return usageFailure(error, io, formatOf(args, io));
  }
}

/** The summary as the step summary's tables: control counts per framework, inputs, diagnostics, outputs. */
function summaryTable(kind: 'build' | 'check', summary: ReturnType<typeof summarize>) {
  return {
    title: `legible ${kind}: evaluated as of ${summary.asOf}`,
    frameworks: loadCatalog().frameworks.map((f) => ({ name: f.name, counts: statusOrder.map((s) => ({ label: statusLabel[s], count: summary.controls[f.id]![s] })) })),
    inputs: { accepted: summary.inputs.accepted, records: summary.inputs.records, rejected: summary.inputs.rejected },
    diagnostics: summary.diagnostics,
    outputs: summary.outputs,
  };
}

/** Configuration, template and form problems are the user's to fix: exit 2 with the message. */
async function usageFailure(error: unknown, io: Io, format: Format = 'text'): Promise<number> {
  if (error instanceof ConfigError) {
    if (format === 'github') {
      const { annotations } = await import('./github.js');
      // Configuration problems name files as given from the working folder.
      for (const line of annotations(error.diagnostics, { base: io.cwd, workspace: io.env.GITHUB_WORKSPACE ?? io.cwd })) io.out(`${line}\n`);
    } else {
      for (const d of error.diagnostics) io.err(`${formatDiagnostic(d)}\n`);
    }
    return 2;
  }
  if (error instanceof FillMapError) {
    for (const p of error.problems) io.err(`${p.file}${p.line ? `:${p.line}` : ''}: error ${p.message}\n`);
    return 2;
  }
  if (error instanceof TemplateError || error instanceof InsurerFormError || error instanceof OutputLockedError || error instanceof TrustError) {
    io.err(`error ${error.message}\n`);
    return 2;
  }
  throw error;
}

async function runSample(args: CommonArgs & { control: string; size?: number; seed?: string }, io: Io): Promise<number> {
  try {
    const options = configOptions(args, io.cwd);
    const seed = args.seed ?? args['as-of'] ?? (await resolveConfig(options)).asOf;
    const { sample: drawn, written, analysis } = await sample({ ...options, control: args.control, seed, ...(args.size !== undefined ? { size: args.size } : {}) });
    const window = drawn.window.from ? `${drawn.window.from} to ${drawn.window.to}` : `up to ${drawn.window.to}`;
    if (!written) {
      io.err(`error ${drawn.control} has no occurrence of its operation ${window}: there is nothing to sample\n`);
      return 1;
    }
    const path = join(analysis.config.outDir, written.path);
    const shown = relative(io.cwd, path).startsWith('..') ? path : relative(io.cwd, path);
    if (args.json) io.out(`${JSON.stringify({ ...drawn, written: shown }, null, 2)}\n`);
    else if (!args.quiet) {
      const lines = [
        `${drawn.control} ${drawn.title}: ${drawn.size} of ${drawn.population} occurrences ${window}, seed ${drawn.seed}`,
        `population SHA-256 ${drawn.populationSha256}`,
        ...drawn.notes,
        ...drawn.rows.map((r) => `  ${r.key.slice(0, 12)}  ${r.at}  ${r.kind === 'practice note' ? `practice note "${r.resource}"` : `${r.check} on ${r.resource || '—'}: ${r.status}`}  ${r.file}${r.place ? ` (${r.place})` : ''}`),
        ...(drawn.periods ?? []).map((p) => `  cadence window ${p.from} to ${p.to}: ${p.occurrences}`),
        `wrote: ${shown}`,
      ];
      io.out(`${lines.join('\n')}\n`);
    }
    return 0;
  } catch (error) {
    return usageFailure(error, io);
  }
}

async function runFill(args: CommonArgs & { form: string; map: string }, io: Io): Promise<number> {
  try {
    const result = await fillQuestionnaire({ ...configOptions(args, io.cwd), form: resolve(io.cwd, args.form), map: resolve(io.cwd, args.map) });
    for (const p of result.problems) io.err(`${args.form}: warning ${p}\n`);
    const path = join(result.config.outDir, result.written.path);
    const shown = relative(io.cwd, path).startsWith('..') ? path : relative(io.cwd, path);
    const summary = { asOf: result.config.asOf, written: shown, filled: result.filled, problems: result.problems };
    if (args.json) io.out(`${JSON.stringify(summary, null, 2)}\n`);
    else if (!args.quiet) {
      const lines = result.filled.map((f) => `  row ${f.row} (${f.question}): ${f.answer}`);
      io.out(`filled ${result.filled.length} rows as of ${summary.asOf}, ${result.problems.length} problems\n${lines.join('\n')}\nwrote: ${shown}\n`);
    }
    return args.strict && result.problems.length ? 1 : 0;
  } catch (error) {
    return usageFailure(error, io);
  }
}

async function runExplain(args: CommonArgs & { control: string }, io: Io): Promise<number> {
  const [{ resolveControlId }, { explainControls, formatExplanation }] = await Promise.all([import('../catalog/resolve.js'), import('../explain/explain.js')]);
  const catalog = loadCatalog();
  const resolution = resolveControlId(args.control, catalog);
  if (!resolution.ok) {
    io.err(`error ${resolution.message}\n`);
    return 2;
  }
  try {
    const explanation = explainControls(await analyze(configOptions(args, io.cwd)), args.control, resolution, catalog);
    io.out(args.json ? `${JSON.stringify(explanation, null, 2)}\n` : formatExplanation(explanation));
    return 0;
  } catch (error) {
    return usageFailure(error, io);
  }
}

async function runTrust(io: Io, json: boolean | undefined, work: () => Promise<{ lines: string[]; data: object; code: number }>): Promise<number> {
  try {
    const { lines, data, code } = await work();
    io.out(json ? `${JSON.stringify(data, null, 2)}\n` : `${lines.join('\n')}\n`);
    return code;
  } catch (error) {
    return usageFailure(error, io);
  }
}

async function runInit(dir: string, asOf: string, io: Io): Promise<number> {
  const { init } = await import('../init/init.js');
  const result = init({ dir: resolve(io.cwd, dir), asOf });
  const shown = (path: string) => {
    const rel = relative(io.cwd, join(result.dir, path));
    return rel.startsWith('..') || isAbsolute(rel) ? join(result.dir, path) : rel || '.';
  };
  if (!result.ok) {
    for (const path of result.existing) io.err(`${shown(path)}: error already exists: init never overwrites a file\n`);
    io.err(`nothing was written\n`);
    return 2;
  }
  const where = shown('.');
  io.out(
    [
      `set up ${where} for legible, with example notes dated ${asOf}:`,
      ...[...result.written, ...result.folders.map((f) => `${f}/`)].map((p) => `  ${p}`),
      `next: replace the examples with your evidence, then ${where === '.' ? '' : `cd ${where} && `}npx legible build`,
    ].join('\n') + '\n',
  );
  return 0;
}

class UsageError extends Error {}

/** The CLI as a function: parses argv, runs the pipeline, prints, and returns the exit code. */
export async function main(argv: string[], io: Io = defaultIo, width = Math.min(100, process.stdout.columns || 100)): Promise<number> {
  let code = 0;
  const cli = yargs(argv)
    .scriptName('legible')
    .usage('$0 <command> [options]\n\nTurns a folder of security evidence into honest, traceable narratives.')
    .command(
      'build',
      'evaluate the evidence and write the certification packs, insurance questionnaire, board report, OSCAL assessment results and manifest to --out',
      (y) => reportOptions(y).option('previous', { type: 'string', describe: "a previous build's manifest.json: the board report shows what changed" }),
      async (args) => {
        code = await run('build', args, io);
      },
    )
    .command('check', 'validate the evidence and config without rendering (exit 1 on any rejected input or error)', reportOptions, async (args) => {
      code = await run('check', args, io);
    })
    .command(
      'explain <control>',
      'everything behind one control\'s status, now and over the period: reasons, findings, notes, where each mapping came from, evidence files with SHA-256',
      (y) =>
        commonOptions(y)
          .positional('control', { type: 'string', demandOption: true, describe: 'a control id: A.8.13, ISO27001:A.8.13, 9.2, CC7.2, or an ISO/IEC 27001:2013 id' })
          .option('json', { type: 'boolean', default: false, describe: 'print the explanation as JSON' }),
      async (args) => {
        code = await runExplain(args, io);
      },
    )
    .command('questionnaire', "work with insurers' questionnaires", (y) =>
      y
        .command(
          'fill',
          "fill the answer and justification columns of an insurer's workbook, keeping everything else as it was",
          (f) =>
            commonOptions(f)
              .option('form', { type: 'string', demandOption: true, describe: "the insurer's .xlsx workbook" })
              .option('map', { type: 'string', demandOption: true, describe: 'YAML map: sheet, answer and justification columns, which row answers which question or controls' }),
          async (args) => {
            code = await runFill(args, io);
          },
        )
        .demandCommand(1, 'name a questionnaire command: fill'),
    )
    .command(
      'sample',
      "draw a reproducible random sample of a control's population over the period, for an auditor's tests; writes samples/CONTROL-seed-SEED.xlsx to --out",
      (y) =>
        commonOptions(y)
          .option('control', { type: 'string', demandOption: true, describe: 'the control, e.g. A.8.13 or CC7.2' })
          .option('size', { type: 'number', describe: 'rows to draw (default: suggested from the population size)' })
          .option('seed', { type: 'string', describe: 'the seed of the draw (default: the as-of date)' })
          .check((argv) => argv.size === undefined || (Number.isInteger(argv.size) && argv.size > 0) || `--size ${argv.size}: expected a whole number above 0`),
      async (args) => {
        code = await runSample(args, io);
      },
    )
    .command(
      'lake-sql',
      'print the SQL that reduces a security lake table of OCSF findings to the native columns, to run where the lake lives (an Athena UNLOAD, a Spark job); legible reads its Parquet result',
      (y) =>
        y
          .option('table', { type: 'string', demandOption: true, describe: 'the lake table, e.g. amazon_security_lake_glue_db_eu_west_1.amazon_security_lake_table_eu_west_1_sh_findings_2_0' })
          .option('ocsf', { type: 'string', choices: ['1.1', '1.0'] as const, default: '1.1' as const, describe: 'the OCSF version the table holds (Security Lake source version 2: 1.1; version 1: 1.0)' })
          .option('dialect', { choices: ['trino', 'spark', 'duckdb'] as const, default: 'trino' as const, describe: "the engine: trino (Athena's SQL engine), spark, or duckdb" })
          .option('from', { type: 'string', describe: 'the first day to read, YYYY-MM-DD: the period\'s start less the checks\' freshness window' })
          .option('to', { type: 'string', describe: 'the last day to read, YYYY-MM-DD: the as-of date' })
          .check((argv) => {
            for (const name of ['from', 'to'] as const) if (argv[name] !== undefined && !isValidDate(argv[name])) return `--${name} ${argv[name]}: expected a calendar date as YYYY-MM-DD`;
            const problem = lakeTableProblem(argv.table);
            return problem ? `--table ${problem}` : true;
          }),
      (args) => {
        io.out(`${lakeTableQuery({ version: args.ocsf, dialect: args.dialect, table: args.table, ...(args.from ? { from: args.from } : {}), ...(args.to ? { to: args.to } : {}) })}\n`);
        code = 0;
      },
    )
    .command(
      'keygen',
      'create an Ed25519 key pair for signing manifests',
      (y) => y.option('dir', { type: 'string', default: '.', describe: 'folder for legible-signing-key.pem and .pub.pem' }).option('json', { type: 'boolean', default: false }),
      async (args) => {
        code = await runTrust(io, args.json, async () => {
          const pair = await generateKeyPair(resolve(io.cwd, args.dir));
          return {
            lines: [`private key: ${pair.privateKeyPath} (keep it secret)`, `public key:  ${pair.publicKeyPath} (share it with readers)`, `fingerprint: ${pair.fingerprint}`],
            data: pair,
            code: 0,
          };
        });
      },
    )
    .command(
      'sign',
      'sign the manifest of a build (which covers every input and output hash) with an Ed25519 key',
      (y) =>
        y
          .option('key', { type: 'string', demandOption: true, describe: 'Ed25519 private key (PEM)' })
          .option('out', { type: 'string', default: './out', describe: 'the build to sign' })
          .option('json', { type: 'boolean', default: false }),
      async (args) => {
        code = await runTrust(io, args.json, async () => {
          const outDir = resolve(io.cwd, args.out);
          const release = await lockOutput(outDir);
          try {
            const key = resolve(io.cwd, args.key);
            const signed = await signManifest(outDir, await readKeyFile(key), { keySource: args.key });
            return { lines: [`signed manifest ${signed.manifestSha256} with key ${signed.fingerprint}`, `wrote: ${signed.signaturePath}`], data: signed, code: 0 };
          } finally {
            await release();
          }
        });
      },
    )
    .command(
      'verify',
      're-hash the outputs (and the evidence) against the manifest, and check its signature; exit 1 on any mismatch, missing or extra file',
      (y) =>
        y
          .option('out', { type: 'string', default: './out', describe: 'the build to verify' })
          .option('evidence', { type: 'string', describe: 'also re-hash this evidence folder' })
          .option('pubkey', { type: 'string', describe: 'Ed25519 public key (PEM) the manifest must be signed with' })
          .option('json', { type: 'boolean', default: false }),
      async (args) => {
        code = await runTrust(io, args.json, async () => {
          const report = await verifyOutputs({
            outDir: resolve(io.cwd, args.out),
            ...(args.evidence ? { evidenceDir: resolve(io.cwd, args.evidence) } : {}),
            ...(args.pubkey ? { publicKeyPem: await readKeyFile(resolve(io.cwd, args.pubkey)), publicKeySource: args.pubkey } : {}),
          });
          return { lines: formatVerifyReport(report), data: report, code: report.ok ? 0 : 1 };
        });
      },
    )
    .command(
      'init [dir]',
      'create a folder ready to build: a commented legible.config.yaml, an example note of each kind, folders for checks and scans with a README, a .gitignore; never overwrites',
      (y) =>
        y
          .positional('dir', { type: 'string', default: '.', describe: 'the folder to set up (made if missing)' })
          .option('as-of', { type: 'string', describe: 'the date of the example notes, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH)' })
          .check((argv) => argv['as-of'] === undefined || isValidDate(argv['as-of']) || `--as-of ${argv['as-of']}: expected a calendar date as YYYY-MM-DD`),
      async (args) => {
        code = await runInit(args.dir, args['as-of'] ?? defaultAsOf(io.env), io);
      },
    )
    .demandCommand(1, 'name a command: init, build, check, explain, sample, questionnaire fill, lake-sql, keygen, sign or verify')
    .strict()
    .version(version)
    .help()
    .exitProcess(false)
    .fail((message, error) => {
      // Stop here: a fail handler that returns lets yargs go on to run the command.
      throw error && !message ? error : new UsageError(message || error?.message || 'usage error');
    })
    .wrap(width);
  let helpOrVersion = false;
  try {
    await cli.parseAsync(argv, {}, (_err, parsed, output) => {
      if (output && (parsed.help || parsed.version)) {
        helpOrVersion = true;
        io.out(`${output}\n`);
      }
    });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.err(`${error.message}\n\n${await cli.getHelp()}\n`);
    return 2;
  }
  return helpOrVersion ? 0 : code;
}

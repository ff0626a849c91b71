import { existsSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { basename, join, relative, resolve, sep } from 'node:path';
import { previousManifestSchema, type PreviousManifest } from './evaluate/compare.js';
import { loadCatalog } from './catalog/catalog.js';
import { resolveControlId } from './catalog/resolve.js';
import { collect, lakeWindow } from './collect/collect.js';
import { ConfigError, configurationFiles, mappingSpec, resolveConfig, type ConfigOptions, type Period, type RemediationSla, type ResolvedConfig } from './config/load.js';
import { evaluateGathered, gatherer, type EvaluationContext } from './evaluate/evaluate.js';
import { failingIntervals, SnapshotIndex } from './evaluate/findings.js';
import { historyJudge } from './evaluate/history.js';
import { evidenceOutsidePeriod } from './evaluate/period.js';
import { monthEnds, trendPoint } from './evaluate/trend.js';
import { KnownHashes } from './ingest/cache.js';
import { ingestAll } from './ingest/pool.js';
import { catalogFor, type IngestSettings } from './ingest/result.js';
import { diagnostic } from './diagnostics/codes.js';
import type { Evaluation, TrendPoint } from './model/evaluation.js';
import type { Diagnostic, InputSummary, NoteRecord } from './model/types.js';
import { buildManifest, manifestConfiguration, type Manifest } from './output/manifest.js';
import { lockOutput } from './output/lock.js';
import type { Redaction } from './redact/redact.js';
import { writeAtomic, type WrittenFile } from './output/write.js';
import type { preparePopulations } from './output/populations.js';
import { Store } from './store/store.js';
import { version } from './util/version.js';

export interface Analysis {
  config: ResolvedConfig;
  inputs: InputSummary[];
  notes: NoteRecord[];
  /** Secrets cut out of the evidence: where and what kind, never the value. */
  redactions: Redaction[];
  evaluation: Evaluation;
  diagnostics: Diagnostic[];
  stats: AnalysisStats;
}

export interface BuildResult extends Analysis {
  outputs: WrittenFile[];
  manifest: Manifest;
  /** Milliseconds each document took to render (they may render side by side), and rendering in all. */
  renderMs: { total: number; documents: Record<string, number> };
}

export interface AnalyzeOptions extends ConfigOptions {
  /** Parse and render workers: 0 does everything in this thread; by default one per core, where it pays. */
  workers?: number;
  /** The cache folder (the store and known hashes), or false for none; by default `.legible-cache` in `cwd`. */
  cache?: string | false;
  /** Told how the build is going: as files are read, then as documents are rendered. */
  onProgress?: (progress: Progress) => void;
  /** With a period, evaluate each month's end too (the board report and the manifest's trend): only documents need it. */
  trend?: boolean;
}

export type Progress =
  | {
      stage: 'read';
      files: number;
      totalFiles: number;
      /** Bytes read so far, inside files being read too. */
      bytes: number;
      totalBytes: number;
      /** Records found so far (findings and notes), inside files being read too. */
      records: number;
    }
  | { stage: 'render'; documents: number; totalDocuments: number };

/** How the analysis went: for `--json` and the benchmark, never for the outputs (which stay reproducible). */
export interface AnalysisStats {
  files: number;
  bytes: number;
  records: number;
  /** Inputs whose result came from the store in the cache. */
  cached: number;
  /** Inputs hashed in this build (the others' stamps were unchanged since they were hashed). */
  hashed: number;
  workers: number;
  /** Latest observations evaluated, one per check and resource. */
  observations: number;
  /** Where the store was: in the cache folder, or in a temporary one (no cache, or the cache's store in use by another build). */
  store: 'cache' | 'temporary';
  ms: { collect: number; ingest: number; evaluate: number };
}

/**
 * Collect, parse, map and evaluate: everything but rendering. Files are read in parallel workers (or
 * come from the store, when it holds them unchanged); each file's check results are staged there and
 * loaded into the store here, and evaluation reads the store's answers a chunk at a time, so nothing
 * holds every finding. Throws ConfigError on unusable configuration.
 */
export function analyze(options: AnalyzeOptions): Promise<Analysis> {
  return withAnalysis(options, async (analysis) => analysis);
}

/** Analyze, then `use` the analysis with the store still open (for what streams from it: populations, samples). */
export async function withAnalysis<T>(options: AnalyzeOptions, use: (analysis: Analysis, store: Store) => Promise<T>): Promise<T> {
  const started = performance.now();
  const catalog = loadCatalog();
  const config = await resolveConfig(options, catalog);
  if (!existsSync(config.evidenceDir) || !statSync(config.evidenceDir).isDirectory()) {
    throw new ConfigError([diagnostic('config/unreadable', `evidence folder ${config.evidenceDir} not found`)]);
  }
  // A lake is read only as far as the period needs: the partitions outside it are listed, never opened.
  const window = lakeWindow(config.asOf, config.period, config.freshness.checksDays);
  const lakes = config.lake.map((lake) => ({ ...lake, shownAs: relative(config.evidenceDir, lake.path).split(sep).join('/') || '.' }));
  const collected = await collect({ evidenceDir: config.evidenceDir, maxFileBytes: config.maxFileBytes, exclude: [config.outDir, ...configurationFiles(config), ...config.lake.map((l) => l.path)], lakeWindow: window });
  for (const lake of lakes) {
    collected.push(...(await collect({ evidenceDir: lake.path, maxFileBytes: config.maxFileBytes, exclude: [config.outDir, ...configurationFiles(config)], lakeWindow: window, lake: { format: lake.format, shownAs: lake.shownAs } })));
  }
  const collectedAt = performance.now();
  const cacheDir = options.cache === false ? undefined : resolve(options.cwd ?? process.cwd(), options.cache ?? '.legible-cache');
  const known = cacheDir ? await KnownHashes.open(cacheDir) : undefined;
  if (known) {
    for (const c of collected) {
      const sha256 = c.stamp && known.lookup(c.file.absolutePath, c.stamp);
      if (sha256) c.file.sha256 = sha256;
    }
  }
  const store = await Store.open(cacheDir ? join(cacheDir, 'store') : undefined);
  try {
    const notes: NoteRecord[] = [];
    const redactions: Redaction[] = [];
    const inputs = new Array<InputSummary>(collected.length);
    const settings: IngestSettings = {
      asOf: config.asOf,
      mappings: config.mappings.map(mappingSpec),
      stagingDir: store.stagingDir,
      targets: config.targets,
      ...(config.crosswalk.file !== undefined ? { crosswalk: config.crosswalk.mappings } : {}),
    };
    const progress = { stage: 'read' as const, files: 0, totalFiles: collected.length, bytes: 0, totalBytes: collected.reduce((n, c) => n + c.file.bytes, 0), records: 0 };
    const onProgress = options.onProgress
      ? (so: { bytes: number; records: number }) => {
          // A file read twice (a SARIF log whose tool follows its results) counts twice: never past the end.
          progress.bytes = Math.min(so.bytes, progress.totalBytes);
          progress.records = so.records;
          options.onProgress?.(progress);
        }
      : undefined;
    let cached = 0;
    let hashed = 0;
    let records = 0;
    const ingestOptions = { settings, catalog: catalogFor(settings), store, ...(options.workers !== undefined ? { workers: options.workers } : {}), ...(onProgress ? { onProgress } : {}) };
    const { workers } = await ingestAll(collected, ingestOptions, (result, index) => {
      inputs[index] = result.summary;
      const stamp = collected[index]!.stamp;
      if (result.cached) cached++;
      if (result.hashedAt !== undefined) hashed++;
      if (known && stamp && result.summary.file.sha256) known.record(result.summary.file.absolutePath, stamp, result.summary.file.sha256, result.hashedAt ?? known.hashedAt(result.summary.file.absolutePath)!);
      progress.files++;
      records += result.summary.records;
      if (!result.summary.accepted) return;
      notes.push(...result.notes);
      redactions.push(...result.redactions);
    });
    if (known) await known.save(config.evidenceDir);
    const ingestedAt = performance.now();
    const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
    notes.sort(byFile);
    redactions.sort((a, b) => byFile(a, b) || (a.line ?? 0) - (b.line ?? 0) || a.field.localeCompare(b.field) || a.kind.localeCompare(b.kind));

    const { evaluation, observations } = await evaluateStore(store, {
      notes,
      catalog,
      asOf: config.asOf,
      ...(config.period ? { period: config.period } : {}),
      freshness: config.freshness,
      exclusions: config.exclusions,
      sla: config.remediation,
      ...(options.trend ? { trend: true } : {}),
    });
    const stats: AnalysisStats = {
      files: collected.length,
      bytes: progress.totalBytes,
      records,
      cached,
      hashed,
      workers,
      observations,
      store: store.temporary ? 'temporary' : 'cache',
      ms: { collect: Math.round(collectedAt - started), ingest: Math.round(ingestedAt - collectedAt), evaluate: Math.round(performance.now() - ingestedAt) },
    };
    return await use({ config, inputs, notes, redactions, evaluation, diagnostics: inputs.flatMap((i) => i.diagnostics), stats }, store);
  } finally {
    await store.close();
  }
}

export interface StoreEvaluationOptions extends Omit<EvaluationContext, 'snapshots'> {
  period?: Period;
  /** Without a period, the first day remediation is counted from (see HistoryContext). */
  remediationSince?: string;
  sla: RemediationSla;
  /** Statuses are all that is wanted (a trend point): the days each control's checks ran are not read. */
  statusOnly?: boolean;
  /** With a period, the evaluation at each month's end as well (see AnalyzeOptions). */
  trend?: boolean;
}

/**
 * Evaluate every control from the notes and what the store holds, read a chunk at a time: the newest
 * observation of each finding at the as-of date, and the history of every finding that ever failed.
 */
export async function evaluateStore(store: Store, options: StoreEvaluationOptions): Promise<{ evaluation: Evaluation; observations: number }> {
  const { period, sla, remediationSince, statusOnly, trend, ...rest } = options;
  const until = Date.parse(`${options.asOf}T23:59:59.999Z`);
  const snapshots = new SnapshotIndex(await store.snapshots(until));
  const context: EvaluationContext = { ...rest, snapshots };
  const gather = gatherer(context);
  let observations = 0;
  for await (const chunk of store.latestObservations(until)) {
    for (const o of chunk.observations) gather.add(o);
    for (const g of chunk.passes) gather.addPasses(g);
    observations += chunk.observations.length + chunk.passes.reduce((n, g) => n + g.count, 0);
  }
  // A period is judged from the check days whatever else is wanted.
  const activity = statusOnly && !period ? undefined : await store.controlActivity(until);
  const history = historyJudge({ ...rest, sla, ...(period ? { period } : remediationSince !== undefined ? { remediationSince } : {}), ...(activity ? { activity } : {}) });
  for await (const finding of store.failingHistories(until)) history.add(finding, failingIntervals(finding, snapshots));
  const evaluation = evaluateGathered(gather.finish(), context, history.finish());
  if (period) {
    await markEvidenceOutside(store, evaluation, period);
    if (trend) evaluation.trend = await monthlyTrend(store, options, period);
  }
  return { evaluation, observations };
}

/**
 * Name the evidence cited for each control that the period does not count. Most files tell by their
 * dates alone; for one newer than the period's end, the store says whether it holds a verdict dated
 * inside the period (asked only for the controls with such a file).
 */
async function markEvidenceOutside(store: Store, evaluation: Evaluation, period: Period): Promise<void> {
  const from = Date.parse(`${period.from}T00:00:00Z`);
  const to = Date.parse(`${period.to}T23:59:59.999Z`);
  for (const c of evaluation.controls) {
    if (!c.period) continue;
    let found = evidenceOutsidePeriod(c, period, c.period.population === 0 ? new Set() : undefined);
    if (found.undecided.length) found = evidenceOutsidePeriod(c, period, await store.populationFiles(c.framework, c.id, from, to, found.undecided));
    if (found.outside.length) c.period.outside = found.outside;
  }
}

/**
 * The point-in-time evaluation at the end of each month of the period (and at its end), from the
 * evidence then on record: how the posture moved, from the history itself.
 */
async function monthlyTrend(store: Store, options: StoreEvaluationOptions, period: Period): Promise<TrendPoint[]> {
  const points: TrendPoint[] = [];
  for (const asOf of monthEnds(period)) {
    const { period: _period, ...then } = options;
    // Remediation from the period's start: the last point's is the period's own.
    const { evaluation } = await evaluateStore(store, { ...then, asOf, remediationSince: period.from, notes: options.notes.filter((n) => n.date <= asOf), statusOnly: true });
    points.push(trendPoint(evaluation, options.catalog));
  }
  return points;
}

export interface BuildOptions extends AnalyzeOptions {
  /** A previous build's manifest.json, for the board report's "what changed". */
  previous?: string;
}

/** Read a previous manifest; a file that is not one is a usage error naming it. */
export async function loadPreviousManifest(path: string): Promise<PreviousManifest> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ConfigError([diagnostic('previous/invalid', `cannot read the previous manifest: ${(error as Error).message}`, { file: path })]);
  }
  const parsed = previousManifestSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError([
      diagnostic('previous/invalid', `not a legible manifest: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'unexpected shape'}`, {
        file: path,
        ...(issue ? { place: { pointer: `/${issue.path.join('/')}` } } : {}),
      }),
    ]);
  }
  return parsed.data;
}

/**
 * The whole build: analyze, then render every document — a certification pack per framework, the
 * Statement of Applicability and evidence index workbooks, the insurance questionnaire, the board
 * report, the OSCAL assessment results — and the manifest that lists them. Rendering is loaded only here: `check` never pays for it.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const previous = options.previous ? await loadPreviousManifest(options.previous) : undefined;
  return withAnalysis({ ...options, trend: true }, (analysis, store) => render(analysis, store, options, previous));
}

async function render(analysis: Analysis, store: Store, options: BuildOptions, previous: PreviousManifest | undefined): Promise<BuildResult> {
  const { config, evaluation, inputs, notes, diagnostics, redactions } = analysis;
  const renderStarted = performance.now();
  const { documentList } = await import('./render/documents.js');
  const { renderDocuments } = await import('./render/render-all.js');
  const documents = documentList(loadCatalog());
  const manifestBase = { version, asOf: config.asOf, organization: config.organization, scope: config.scope, configuration: manifestConfiguration(config), inputs, evaluation, diagnostics, redactions };
  // Render everything before writing anything: a template error must not leave a half-updated --out.
  const rendered = await renderDocuments(
    documents,
    {
      version,
      config: { asOf: config.asOf, organization: config.organization, scope: config.scope, freshness: config.freshness, exclusions: config.exclusions, templatesDir: config.templatesDir, crosswalk: config.crosswalk, board: config.board },
      evaluation,
      inputs,
      notes,
      redactions,
      diagnostics,
      ...(previous ? { previous } : {}),
      // Each PDF carries the manifest, less its outputs list (which cannot include the file holding it).
      manifest: Buffer.from(`${JSON.stringify(buildManifest({ ...manifestBase, outputs: [] }), null, 2)}\n`),
    },
    {
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      onRendered: (done) => options.onProgress?.({ stage: 'render', documents: done, totalDocuments: documents.length }),
    },
  );
  const renderMs = { total: Math.round(performance.now() - renderStarted), documents: Object.fromEntries(rendered.map((r) => [r.path, r.ms])) };

  const release = await lockOutput(config.outDir);
  let populations: Awaited<ReturnType<typeof preparePopulations>> | undefined;
  try {
    // The populations stream from the store: the CSV to a temporary file in --out, renamed with the rest.
    const { commitCsv, POPULATIONS_WORKBOOK, preparePopulations } = await import('./output/populations.js');
    if (config.period) populations = await preparePopulations({ store, evaluation, notes, inputs }, config.period, config.outDir);
    const outputs: WrittenFile[] = [];
    for (const file of rendered) outputs.push(await writeAtomic(config.outDir, file.path, file.content));
    if (populations) {
      outputs.push(await writeAtomic(config.outDir, POPULATIONS_WORKBOOK, populations.workbook));
      if (populations.csv) outputs.push(await commitCsv(config.outDir, populations.csv));
    }
    const manifest = buildManifest({ ...manifestBase, outputs });
    const written = await writeAtomic(config.outDir, 'manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
    // A signature of the previous manifest no longer vouches for anything here.
    await rm(join(config.outDir, 'manifest.json.sig'), { force: true });
    return { ...analysis, outputs: [...outputs, written], manifest, renderMs };
  } finally {
    if (populations?.csv) await rm(populations.csv.temporary, { force: true });
    await release();
  }
}

export interface FillOptions extends AnalyzeOptions {
  form: string;
  map: string;
}

/**
 * Fill an insurer's own workbook from the evaluation: the answer and justification cells the map
 * names, every other cell, sheet and style left as it was. Written atomically next to the packs.
 */
export async function fillQuestionnaire(options: FillOptions) {
  const { answerForRow, fillInsurerWorkbook, loadFillMap, readInsurerForm } = await import('./questionnaire/fill.js');
  const map = await loadFillMap(options.map);
  const form = await readInsurerForm(options.form);
  const analysis = await analyze(options);
  const { config, evaluation } = analysis;
  const result = await fillInsurerWorkbook(form, map, (row) => answerForRow(row, evaluation), {
    created: new Date(`${config.asOf}T00:00:00Z`),
    formName: options.form,
  });
  const name = `${basename(options.form).replace(/\.xlsx$/i, '')}-filled.xlsx`;
  const release = await lockOutput(config.outDir);
  try {
    const written = await writeAtomic(config.outDir, name, result.workbook);
    return { ...analysis, written, filled: result.filled, problems: result.problems };
  } finally {
    await release();
  }
}

export interface SampleOptions extends AnalyzeOptions {
  /** The control, as a note would name it (A.8.13, ISO27001:A.8.13, CC7.2, a 2013 id). */
  control: string;
  size?: number;
  seed: string;
}

/**
 * Draw a reproducible sample of one control's population over the period (or everything up to the
 * as-of date) and write it to samples/ in --out. An unknown or ambiguous control is a usage error;
 * the sample is undefined when the population is empty.
 */
export async function sample(options: SampleOptions): Promise<{ analysis: Analysis; sample: import('./output/populations.js').Sample; written?: WrittenFile }> {
  const catalog = loadCatalog();
  const resolved = resolveControlId(options.control, catalog);
  if (!resolved.ok) throw new ConfigError([diagnostic('control/unknown', resolved.message)]);
  if (resolved.refs.length > 1) {
    throw new ConfigError([diagnostic('control/unknown', `${options.control} names ${resolved.refs.map((r) => r.id).join(', ')}: name one of them`)]);
  }
  const ref = resolved.refs[0]!;
  const { drawSample, sampleWorkbook } = await import('./output/populations.js');
  return withAnalysis(options, async (analysis, store) => {
    const control = analysis.evaluation.controls.find((c) => c.framework === ref.framework && c.id === ref.id)!;
    const drawn = await drawSample({ store, evaluation: analysis.evaluation, notes: analysis.notes, inputs: analysis.inputs }, control, { ...(options.size !== undefined ? { size: options.size } : {}), seed: options.seed });
    if (drawn.population === 0) return { analysis, sample: drawn };
    const release = await lockOutput(analysis.config.outDir);
    try {
      const written = await writeAtomic(analysis.config.outDir, join('samples', `${ref.id}-seed-${options.seed.replace(/[^\w.-]/g, '_')}.xlsx`), sampleWorkbook(drawn, analysis.config.asOf));
      return { analysis, sample: drawn, written };
    } finally {
      await release();
    }
  });
}

import { existsSync, statSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { answerForRow, fillInsurerWorkbook, loadFillMap, readInsurerForm } from './questionnaire/fill.js';
import { compareWithPrevious, previousManifestSchema, type PreviousManifest } from './evaluate/compare.js';
import { answerQuestionnaire, builtInQuestions } from './questionnaire/answer.js';
import { boardViewModel } from './render/board-view.js';
import { insuranceViewModel } from './render/insurance-view.js';
import { evidenceIndexSheets, questionnaireSheets, statementOfApplicabilitySheets } from './render/xlsx/outputs.js';
import { writeWorkbook, type SheetSpec } from './render/xlsx/workbook.js';
import { loadCatalog } from './catalog/catalog.js';
import { collect } from './collect/collect.js';
import { ConfigError, resolveConfig, type ConfigOptions, type ResolvedConfig } from './config/load.js';
import { diagnostic } from './diagnostics/codes.js';
import { evaluate, isFutureDated, recordDate } from './evaluate/evaluate.js';
import { ObservationIndex } from './evaluate/observations.js';
import { DiagnosticLimiter } from './diagnostics/limit.js';
import { createMapper } from './map/map.js';
import type { Evaluation } from './model/evaluation.js';
import type { Diagnostic, InputSummary, NoteRecord } from './model/types.js';
import { buildManifest, type Manifest } from './output/manifest.js';
import { lockOutput } from './output/lock.js';
import { describeRedaction, redactRecord, redactText, type Redaction } from './redact/redact.js';
import { writeAtomic, type WrittenFile } from './output/write.js';
import { parseInto } from './parse/parse-file.js';
import { renderMarkdownPdf } from './render/pdf/index.js';
import { loadTemplates } from './render/templates.js';
import { packViewModel } from './render/view-model.js';
import { mapLimit } from './util/pool.js';
import { version } from './util/version.js';

export interface Analysis {
  config: ResolvedConfig;
  inputs: InputSummary[];
  notes: NoteRecord[];
  /** Secrets cut out of the evidence: where and what kind, never the value. */
  redactions: Redaction[];
  evaluation: Evaluation;
  diagnostics: Diagnostic[];
}

export interface BuildResult extends Analysis {
  outputs: WrittenFile[];
  manifest: Manifest;
}

/**
 * Collect, parse, map and evaluate: everything but rendering. Records stream from each parser through
 * the mapper into the latest-observation index; nothing holds every finding. Throws ConfigError on
 * unusable configuration.
 */
export async function analyze(options: ConfigOptions): Promise<Analysis> {
  const catalog = loadCatalog();
  const config = await resolveConfig(options, catalog);
  if (!existsSync(config.evidenceDir) || !statSync(config.evidenceDir).isDirectory()) {
    throw new ConfigError([diagnostic('config/unreadable', `evidence folder ${config.evidenceDir} not found`)]);
  }
  const collected = await collect({ evidenceDir: config.evidenceDir, maxFileBytes: config.maxFileBytes, exclude: [config.outDir] });
  const mapRecord = createMapper(config.mappings, catalog);
  const observations = new ObservationIndex();
  const notes: NoteRecord[] = [];
  const redactions: Redaction[] = [];

  const inputs = await mapLimit(collected, 4, async (c) => {
    // Staged per file: a file rejected halfway must not leave records behind.
    const staged = new ObservationIndex();
    const stagedNotes: NoteRecord[] = [];
    const stagedRedactions: Redaction[] = [];
    const limiter = new DiagnosticLimiter(c.file.path);
    let seq = 0;
    const summary = await parseInto(c, {
      record(found) {
        // Secrets are cut out first: nothing after this point, output or terminal, sees them.
        const { record: raw, redactions: cut } = redactRecord(found, found.type === 'note' && found.bodyLine !== undefined ? { noteBodyLine: found.bodyLine } : {});
        for (const r of cut) {
          stagedRedactions.push(r);
          limiter.add(diagnostic('evidence/secret-redacted', describeRedaction(r), { file: r.file, ...(r.line !== undefined ? { place: { line: r.line } } : {}) }));
        }
        const { record, diagnostics } = mapRecord(raw);
        for (const d of diagnostics) limiter.add(d);
        if (isFutureDated(record, config.asOf)) {
          limiter.add(
            diagnostic('evidence/future-dated', `dated ${recordDate(record)?.slice(0, 10)}, after the as-of date ${config.asOf}: set aside`, {
              file: record.file,
              ...(record.place ? { place: record.place } : {}),
            }),
          );
        } else if (record.type === 'note') stagedNotes.push(record);
        else staged.add(record, seq++);
      },
      // Parsers may quote evidence in their messages: those are redacted too.
      diagnostic: (d) => limiter.add({ ...d, message: redactText(d.message).text }),
    });
    if (summary.accepted) {
      observations.merge(staged);
      notes.push(...stagedNotes);
      redactions.push(...stagedRedactions);
    }
    // Diagnostics about records of a rejected file would point at data that is not used.
    const diagnostics = summary.accepted ? limiter.all() : summary.diagnostics;
    return { ...summary, diagnostics };
  });
  const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0);
  notes.sort(byFile);
  redactions.sort((a, b) => byFile(a, b) || (a.line ?? 0) - (b.line ?? 0) || a.field.localeCompare(b.field) || a.kind.localeCompare(b.kind));

  const evaluation = evaluate({
    notes,
    observations: observations.values(),
    catalog,
    asOf: config.asOf,
    freshness: config.freshness,
    exclusions: config.exclusions,
  });
  return { config, inputs, notes, redactions, evaluation, diagnostics: inputs.flatMap((i) => i.diagnostics) };
}

export const packFileName = (frameworkId: string) => `${frameworkId}-certification-pack.pdf`;

export interface BuildOptions extends ConfigOptions {
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
 * The whole build: analyze, then render every output — a certification pack per framework, the
 * Statement of Applicability and evidence index workbooks, the insurance questionnaire, the board
 * report — and the manifest that lists them.
 */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const previous = options.previous ? await loadPreviousManifest(options.previous) : undefined;
  const analysis = await analyze(options);
  const { config, evaluation, inputs, notes, diagnostics } = analysis;
  const catalog = loadCatalog();
  const render = await loadTemplates(config.templatesDir);
  const creationDate = new Date(`${config.asOf}T00:00:00Z`);
  const manifestBase = { version, asOf: config.asOf, organization: config.organization, scope: config.scope, inputs, evaluation, diagnostics, redactions: analysis.redactions };
  // Each PDF carries the manifest, less its outputs list (which cannot include the file holding it).
  const attachment = {
    name: 'manifest.json',
    content: Buffer.from(`${JSON.stringify(buildManifest({ ...manifestBase, outputs: [] }), null, 2)}\n`),
    description: 'legible manifest of this build: inputs with SHA-256, control statuses and reasons, diagnostics (outputs omitted)',
    mimeType: 'application/json',
  };
  const pdf = (markdown: string, title: string, subject: string, keywords: string) =>
    renderMarkdownPdf(markdown, {
      attachments: [attachment],
      title: `${title} — ${config.organization}`,
      author: config.organization,
      subject,
      keywords: `${keywords}, legible, as-of ${config.asOf}`,
      creationDate,
      footer: `${config.organization} — ${title} — as of ${config.asOf}`,
    });

  // Render everything before writing anything: a template error must not leave a half-updated --out.
  const rendered: { path: string; content: Buffer }[] = [];
  for (const framework of catalog.frameworks) {
    const view = packViewModel({ framework, evaluation, inputs, notes, redactions: analysis.redactions, diagnostics, config, catalog, version });
    const markdown = await render('certification-pack.md.hbs', view);
    const subject = `Evidence-based evaluation of ${framework.name} controls as of ${config.asOf}`;
    rendered.push({ path: packFileName(framework.id), content: await pdf(markdown, `${framework.name} certification pack`, subject, framework.id) });
  }
  const answers = answerQuestionnaire(builtInQuestions(), evaluation);
  const insurance = await render('insurance-questionnaire.md.hbs', insuranceViewModel(answers, inputs, config, config.asOf));
  rendered.push({
    path: 'insurance-questionnaire.pdf',
    content: await pdf(insurance, 'Cyber-insurance questionnaire', `Answers computed from evidence as of ${config.asOf}`, 'insurance'),
  });
  const comparison = previous ? compareWithPrevious(evaluation, previous) : undefined;
  const board = await render('board-report.md.hbs', boardViewModel({ evaluation, catalog, config, version, ...(previous ? { previous } : {}), ...(comparison ? { comparison } : {}) }));
  rendered.push({ path: 'board-report.pdf', content: await pdf(board, 'Board report', `Information security position as of ${config.asOf}`, 'board') });

  const workbook = (name: string, title: string, sheets: SheetSpec[]) =>
    rendered.push({ path: name, content: writeWorkbook(sheets, { title: `${title} — ${config.organization}`, author: config.organization, created: creationDate }) });
  workbook('statement-of-applicability.xlsx', 'Statement of Applicability', statementOfApplicabilitySheets(evaluation, catalog, inputs, config.asOf));
  workbook('evidence-index.xlsx', 'Evidence index', evidenceIndexSheets(inputs, evaluation));
  workbook('insurance-questionnaire.xlsx', 'Cyber-insurance questionnaire', questionnaireSheets(answers, { organization: config.organization, asOf: config.asOf }));

  const release = await lockOutput(config.outDir);
  try {
    const outputs: WrittenFile[] = [];
    for (const file of rendered) outputs.push(await writeAtomic(config.outDir, file.path, file.content));
    const manifest = buildManifest({ ...manifestBase, outputs });
    const written = await writeAtomic(config.outDir, 'manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
    // A signature of the previous manifest no longer vouches for anything here.
    await rm(join(config.outDir, 'manifest.json.sig'), { force: true });
    return { ...analysis, outputs: [...outputs, written], manifest };
  } finally {
    await release();
  }
}

export interface FillOptions extends ConfigOptions {
  form: string;
  map: string;
}

/**
 * Fill an insurer's own workbook from the evaluation: the answer and justification cells the map
 * names, every other cell, sheet and style left as it was. Written atomically next to the packs.
 */
export async function fillQuestionnaire(options: FillOptions) {
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

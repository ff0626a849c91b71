/**
 * Every document a build writes, and how each is rendered from the analysis. A document renders from
 * plain data alone (no file system but the templates), so that the documents of a build can be
 * rendered side by side in worker threads and come out byte for byte as they would in one thread.
 */
import type { Catalog } from '../catalog/catalog.js';
import { loadCatalog } from '../catalog/catalog.js';
import type { ResolvedConfig } from '../config/load.js';
import { compareWithPrevious, type PreviousManifest } from '../evaluate/compare.js';
import type { Evaluation } from '../model/evaluation.js';
import type { Diagnostic, FrameworkId, InputSummary, NoteRecord } from '../model/types.js';
import { answerQuestionnaire, builtInQuestions } from '../questionnaire/answer.js';
import { questionnaireMethod } from '../questionnaire/method.js';
import type { Redaction } from '../redact/redact.js';
import { boardViewModel } from './board-view.js';
import { newestByFile } from './citations.js';
import { ASSESSMENT_RESULTS_FILE, assessmentResultsJson } from './oscal/assessment-results.js';
import { insuranceViewModel } from './insurance-view.js';
import { renderMarkdownPdf } from './pdf/index.js';
import { loadTemplates } from './templates.js';
import { renderWorkAsDoneHtml } from './work-as-done/html.js';
import { renderWorkAsDoneMarkdown } from './work-as-done/markdown.js';
import { workAsDoneView } from './work-as-done/view.js';
import { packViewModel } from './view-model.js';
import { evidenceIndexSheets, questionnaireSheets, statementOfApplicabilitySheets } from './xlsx/outputs.js';
import { writeWorkbook, type SheetSpec } from './xlsx/workbook.js';

/** The part of the configuration documents use (the rest holds compiled matchers, not data). */
export type DocumentConfig = Pick<ResolvedConfig, 'asOf' | 'organization' | 'scope' | 'freshness' | 'exclusions' | 'templatesDir' | 'crosswalk' | 'board'>;

/** Everything a document is rendered from: plain data, cloned once into each render worker. */
export interface DocumentContext {
  version: string;
  config: DocumentConfig;
  evaluation: Evaluation;
  inputs: InputSummary[];
  notes: NoteRecord[];
  redactions: Redaction[];
  diagnostics: Diagnostic[];
  previous?: PreviousManifest;
  /** The build's manifest without its outputs list, attached to every PDF. */
  manifest: Buffer;
}

export type DocumentKind = 'pack' | 'insurance-pdf' | 'board' | 'soa' | 'evidence-index' | 'insurance-xlsx' | 'oscal-ar' | 'work-as-done-html' | 'work-as-done-md';

export interface DocumentSpec {
  path: string;
  kind: DocumentKind;
  framework?: FrameworkId;
}

export const packFileName = (frameworkId: string) => `${frameworkId}-certification-pack.pdf`;

/** The documents of a build, in the order the manifest lists them. */
export function documentList(catalog: Catalog = loadCatalog()): DocumentSpec[] {
  return [
    ...catalog.frameworks.map((f) => ({ path: packFileName(f.id), kind: 'pack' as const, framework: f.id })),
    { path: 'insurance-questionnaire.pdf', kind: 'insurance-pdf' },
    { path: 'board-report.pdf', kind: 'board' },
    { path: 'statement-of-applicability.xlsx', kind: 'soa' },
    { path: 'evidence-index.xlsx', kind: 'evidence-index' },
    { path: 'insurance-questionnaire.xlsx', kind: 'insurance-xlsx' },
    { path: ASSESSMENT_RESULTS_FILE, kind: 'oscal-ar' },
    { path: 'work-as-done.html', kind: 'work-as-done-html' },
    { path: 'work-as-done.md', kind: 'work-as-done-md' },
  ];
}

/** Render one document. Throws TemplateError on a template problem. */
export async function renderDocument(spec: DocumentSpec, ctx: DocumentContext): Promise<Buffer> {
  const { config, evaluation, inputs } = ctx;
  const catalog = loadCatalog();
  const creationDate = new Date(`${config.asOf}T00:00:00Z`);
  const pdf = (markdown: string, title: string, subject: string, keywords: string) =>
    renderMarkdownPdf(markdown, {
      attachments: [
        {
          name: 'manifest.json',
          content: ctx.manifest,
          description: 'legible manifest of this build: inputs with SHA-256, control statuses and reasons, diagnostics (outputs omitted)',
          mimeType: 'application/json',
        },
      ],
      title: `${title} — ${config.organization}`,
      author: config.organization,
      subject,
      keywords: `${keywords}, legible, as-of ${config.asOf}`,
      creationDate,
      footer: `${config.organization} — ${title} — as of ${config.asOf}`,
    });
  const workbook = (title: string, sheets: SheetSpec[]) => writeWorkbook(sheets, { title: `${title} — ${config.organization}`, author: config.organization, created: creationDate });
  const answers = () => answerQuestionnaire(builtInQuestions(), evaluation);
  const workAsDone = () => workAsDoneView({ evaluation, notes: ctx.notes, catalog, organization: config.organization, freshness: config.freshness, version: ctx.version });
  switch (spec.kind) {
    case 'pack': {
      const framework = catalog.frameworks.find((f) => f.id === spec.framework)!;
      const render = await loadTemplates(config.templatesDir);
      const view = packViewModel({ framework, evaluation, inputs, notes: ctx.notes, redactions: ctx.redactions, diagnostics: ctx.diagnostics, config, catalog, version: ctx.version });
      const subject = `Evidence-based evaluation of ${framework.name} controls as of ${config.asOf}`;
      return pdf(await render('certification-pack.md.hbs', view), `${framework.name} certification pack`, subject, framework.id);
    }
    case 'insurance-pdf': {
      const render = await loadTemplates(config.templatesDir);
      const answered = answers();
      const view = insuranceViewModel(answered, questionnaireMethod(answered, evaluation), inputs, config, config.asOf, newestByFile(evaluation));
      const markdown = await render('insurance-questionnaire.md.hbs', view);
      return pdf(markdown, 'Cyber-insurance questionnaire', `Answers computed from evidence as of ${config.asOf}`, 'insurance');
    }
    case 'board': {
      const render = await loadTemplates(config.templatesDir);
      const { previous } = ctx;
      const comparison = previous ? compareWithPrevious(evaluation, previous) : undefined;
      const markdown = await render('board-report.md.hbs', boardViewModel({ evaluation, catalog, config, version: ctx.version, ...(previous ? { previous } : {}), ...(comparison ? { comparison } : {}) }));
      return pdf(markdown, 'Board report', `Information security position as of ${config.asOf}`, 'board');
    }
    case 'soa':
      return workbook('Statement of Applicability', statementOfApplicabilitySheets(evaluation, catalog, inputs, config.asOf));
    case 'evidence-index':
      return workbook('Evidence index', evidenceIndexSheets(inputs, evaluation));
    case 'insurance-xlsx': {
      const answered = answers();
      return workbook('Cyber-insurance questionnaire', questionnaireSheets(answered, questionnaireMethod(answered, evaluation), { organization: config.organization, asOf: config.asOf }));
    }
    case 'oscal-ar':
      return Buffer.from(assessmentResultsJson({ version: ctx.version, config, evaluation, inputs, notes: ctx.notes, catalog }), 'utf8');
    case 'work-as-done-html':
      return Buffer.from(renderWorkAsDoneHtml(workAsDone()), 'utf8');
    case 'work-as-done-md':
      return Buffer.from(renderWorkAsDoneMarkdown(workAsDone()), 'utf8');
  }
}

import { existsSync, statSync } from 'node:fs';
import { loadCatalog } from './catalog/catalog.js';
import { collect } from './collect/collect.js';
import { ConfigError, resolveConfig, type ConfigOptions, type ResolvedConfig } from './config/load.js';
import { diagnostic } from './diagnostics/codes.js';
import { evaluate, recordDate, splitFutureDated } from './evaluate/evaluate.js';
import { mapRecords } from './map/map.js';
import type { Evaluation } from './model/evaluation.js';
import type { Diagnostic, ParsedInput } from './model/types.js';
import { buildManifest, type Manifest } from './output/manifest.js';
import { writeAtomic, type WrittenFile } from './output/write.js';
import { parseFile } from './parse/parse-file.js';
import { renderMarkdownPdf } from './render/pdf/index.js';
import { loadTemplates } from './render/templates.js';
import { packViewModel } from './render/view-model.js';
import { mapLimit } from './util/pool.js';
import { version } from './util/version.js';

export interface Analysis {
  config: ResolvedConfig;
  inputs: ParsedInput[];
  evaluation: Evaluation;
  diagnostics: Diagnostic[];
}

export interface BuildResult extends Analysis {
  outputs: WrittenFile[];
  manifest: Manifest;
}

/** Collect, parse, map and evaluate: everything but rendering. Throws ConfigError on unusable configuration. */
export async function analyze(options: ConfigOptions): Promise<Analysis> {
  const catalog = loadCatalog();
  const config = await resolveConfig(options, catalog);
  if (!existsSync(config.evidenceDir) || !statSync(config.evidenceDir).isDirectory()) {
    throw new ConfigError([diagnostic('config/unreadable', `evidence folder ${config.evidenceDir} not found`)]);
  }
  const collected = await collect({ evidenceDir: config.evidenceDir, maxFileBytes: config.maxFileBytes, exclude: [config.outDir] });
  const parsed = await mapLimit(collected, 4, (c) => parseFile(c));

  const mapped = mapRecords(
    parsed.flatMap((p) => p.records),
    config.mappings,
    catalog,
  );
  const { current, future } = splitFutureDated(mapped.records, config.asOf);
  const futureDiagnostics = future.map((r) =>
    diagnostic('evidence/future-dated', `dated ${recordDate(r)?.slice(0, 10)}, after the as-of date ${config.asOf}: set aside`, {
      file: r.file,
      ...(r.place ? { place: r.place } : {}),
    }),
  );
  const evaluation = evaluate({ records: current, catalog, asOf: config.asOf, freshness: config.freshness, exclusions: config.exclusions });
  const diagnostics = [...parsed.flatMap((p) => p.diagnostics), ...mapped.diagnostics, ...futureDiagnostics];
  return { config, inputs: parsed, evaluation, diagnostics };
}

export const packFileName = (frameworkId: string) => `${frameworkId}-certification-pack.pdf`;

/** The whole build: analyze, render one certification pack per framework, write the manifest. */
export async function build(options: ConfigOptions): Promise<BuildResult> {
  const analysis = await analyze(options);
  const { config, evaluation, inputs, diagnostics } = analysis;
  const catalog = loadCatalog();
  const render = await loadTemplates(config.templatesDir);
  const creationDate = new Date(`${config.asOf}T00:00:00Z`);

  // Render everything before writing anything: a template error must not leave a half-updated --out.
  const rendered: { path: string; content: Buffer }[] = [];
  for (const framework of catalog.frameworks) {
    const view = packViewModel({ framework, evaluation, inputs, diagnostics, config, catalog, version });
    const markdown = await render('certification-pack.md.hbs', view);
    const pdf = await renderMarkdownPdf(markdown, {
      title: `${framework.name} certification pack — ${config.organization}`,
      author: config.organization,
      subject: `Evidence-based evaluation of ${framework.name} controls as of ${config.asOf}`,
      keywords: `${framework.id}, legible, as-of ${config.asOf}`,
      creationDate,
      footer: `${config.organization} — ${framework.name} — as of ${config.asOf}`,
    });
    rendered.push({ path: packFileName(framework.id), content: pdf });
  }
  const outputs: WrittenFile[] = [];
  for (const file of rendered) outputs.push(await writeAtomic(config.outDir, file.path, file.content));
  const manifest = buildManifest({
    version,
    asOf: config.asOf,
    organization: config.organization,
    scope: config.scope,
    inputs,
    evaluation,
    diagnostics,
    outputs,
  });
  const written = await writeAtomic(config.outDir, 'manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  return { ...analysis, outputs: [...outputs, written], manifest };
}

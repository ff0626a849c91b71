/**
 * Parquet evidence (a security lake's OCSF findings, or native rows reduced elsewhere): read by the
 * store's DuckDB in the main thread (store/lake.ts), with this build's mapping and redaction, and
 * kept like any file read — its result, and its rows under its path and SHA-256.
 */
import { serialize } from 'node:v8';
import type { Catalog } from '../catalog/catalog.js';
import { compileMappingRule } from '../config/load.js';
import { diagnostic } from '../diagnostics/codes.js';
import { DiagnosticLimiter } from '../diagnostics/limit.js';
import { createMapper } from '../map/map.js';
import type { CheckRecord, InputFile } from '../model/types.js';
import { complianceControls, complianceFromItem, complianceFromRequirement, complianceTags } from '../parse/formats/prowler-common.js';
import { describeRedaction, redactText, type Redaction } from '../redact/redact.js';
import { readParquet, type FindingShape, type LakeFormat, type LakePartition, type ParquetOutcome } from '../store/lake.js';
import type { Store } from '../store/store.js';
import { emptyResult, type IngestedFile, type IngestSettings } from './result.js';

/** A Parquet file whose bytes were hashed, waiting to be read by the store. */
export interface ParquetTask {
  file: InputFile;
  partition?: LakePartition;
  format?: LakeFormat;
}

/** `SOC2 cc_6_1` (Security Hub's RelatedRequirements form) or `SOC2: cc_6_1, cc_7_2` (Prowler's). */
const requirementEntries = (items: readonly string[]) =>
  items.map((item) => (item.includes(':') ? complianceFromItem(item) : complianceFromRequirement(item, false))).filter((e) => e !== undefined);

/**
 * Read the Parquet files into the store and say what each came to (in the order given), with every
 * result kept under `settingsKey`.
 */
export async function ingestParquet(tasks: readonly ParquetTask[], options: { settings: IngestSettings; settingsKey: string; catalog: Catalog; store: Store }): Promise<(IngestedFile & { id: number })[]> {
  const { settings, store } = options;
  const mapRecord = createMapper(settings.mappings.map(compileMappingRule), options.catalog);
  const mapShape = (shape: FindingShape) => {
    const entries = requirementEntries(shape.requirements);
    const via = shape.format === 'ocsf-parquet' ? 'OCSF compliance.requirements' : 'the requirements column';
    const record: CheckRecord = {
      type: 'check',
      format: shape.format,
      file: '',
      check: shape.check,
      status: 'fail',
      rawControls: shape.controls,
      controls: complianceControls(entries, via),
      tags: complianceTags(entries),
      ...(shape.category ? { category: shape.category } : {}),
    };
    const { record: mapped, diagnostics } = mapRecord(record);
    return { controls: mapped.controls, unknown: diagnostics.map((d) => d.message) };
  };
  const until = Date.parse(`${settings.asOf}T23:59:59.999Z`);
  const outcomes = await readParquet(
    store,
    tasks.map((t) => ({ path: t.file.path, absolutePath: t.file.absolutePath, ...(t.partition ? { partition: t.partition } : {}), ...(t.format ? { format: t.format } : {}) })),
    { mapShape, redact: redactText, until },
  );
  const results = tasks.map((task, i) => ({ ...resultOf(task.file, outcomes[i]!, settings.asOf), id: outcomes[i]!.id ?? store.reserveIds(1)[0]! }));
  await store.keepLoaded(
    results.map(({ id, ...result }) => ({
      id,
      path: result.summary.file.path,
      sha256: result.summary.file.sha256,
      settings: options.settingsKey,
      asOf: settings.asOf,
      setAside: result.setAside,
      ...(result.newest !== undefined ? { newest: result.newest } : {}),
      result: serialize(result),
    })),
  );
  return results;
}

/** A file's result as any reader's: its summary and diagnostics, the secrets cut from it. */
function resultOf(file: InputFile, outcome: ParquetOutcome, asOf: string): IngestedFile {
  if (outcome.rejected !== undefined) {
    const d = diagnostic('format/unknown', outcome.rejected, { file: file.path });
    return emptyResult({ file, format: outcome.format, accepted: false, reason: d.message, records: 0, diagnostics: [d] });
  }
  const limiter = new DiagnosticLimiter(file.path);
  const skipped = outcome.format === 'native-parquet' ? 'native/invalid-record' : 'format/record-skipped';
  for (const p of outcome.problems) limiter.add(diagnostic(skipped, `row skipped: ${redactText(p.message).text}`, { file: file.path, place: { pointer: `/${p.row}` } }));
  const unlisted = outcome.invalid - outcome.problems.length;
  if (unlisted > 0) limiter.add(diagnostic(skipped, `and ${unlisted} more rows skipped`, { file: file.path }));
  if (outcome.setAside) limiter.add(diagnostic('evidence/future-dated', `${outcome.setAside} rows dated after the as-of date ${asOf}: set aside`, { file: file.path }));
  for (const message of new Set(outcome.unknownControls)) limiter.add(diagnostic('control/unknown', message, { file: file.path }));
  const redactions: Redaction[] = outcome.redactions.map((r) => ({ file: file.path, fieldLine: 1, kind: r.kind, field: r.field }));
  outcome.redactions.forEach((r, i) => limiter.add(diagnostic('evidence/secret-redacted', describeRedaction(redactions[i]!), { file: file.path, place: { pointer: `/${r.row}` } })));
  return {
    summary: { file, format: outcome.format, accepted: true, records: outcome.records, ...(outcome.invalid ? { invalidRecords: outcome.invalid } : {}), diagnostics: limiter.all() },
    notes: [],
    redactions,
    setAside: outcome.setAside,
    ...(outcome.newest !== undefined ? { newest: outcome.newest } : {}),
  };
}

/**
 * One evidence file, start to finish: hash it, parse it, cut secrets out, map each record to controls
 * and stage its check results for the store. What comes out is plain data that a worker can post back
 * and the store can keep, so this runs the same in a worker or in-process.
 */
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { CollectedFile } from '../collect/collect.js';
import { sha256File } from '../collect/collect.js';
import type { Catalog } from '../catalog/catalog.js';
import { compileMappingRule } from '../config/load.js';
import { diagnostic } from '../diagnostics/codes.js';
import { DiagnosticLimiter } from '../diagnostics/limit.js';
import { isFutureDated, recordDate } from '../evaluate/evaluate.js';
import { dayOfMs } from '../evaluate/period.js';
import { createMapper } from '../map/map.js';
import { posix } from 'node:path';
import picomatch from 'picomatch';
import type { CheckRecord, NoteRecord } from '../model/types.js';
import { parseInto, StreamedHash, type Reading } from '../parse/parse-file.js';
import { parsers } from '../parse/registry.js';
import { describeRedaction, redactRecord, redactText, type Redaction } from '../redact/redact.js';
import { releaseStaged, StagingWriter, type BundleStaging, type StagedRows } from '../store/staging.js';
import { emptyResult, type AnnouncedScan, type Ingested, type IngestedFile, type IngestSettings, type IngestTask } from './result.js';
import { pathDiagnostics, shownTextDiagnostics } from './shown-text.js';

/** Parquet files start (and end) with these four bytes. */
const PARQUET_MAGIC = Buffer.from('PAR1');

async function startsLikeParquet(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(PARQUET_MAGIC.length);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return bytesRead === head.length && head.equals(PARQUET_MAGIC);
  } finally {
    await handle.close();
  }
}

/** Reads one file; its check results are staged in `bundle`'s file when they fit a buffer. */
export type Ingester = (task: IngestTask, bundle?: BundleStaging) => Promise<Ingested>;

/** An ingester for these settings: the mapping rules are compiled once, not per file. */
export function createIngester(settings: IngestSettings, catalog: Catalog): Ingester {
  const read = createReader(settings, catalog);
  return async ({ collected, stored }, bundle) => {
    const file = { ...collected.file };
    if (collected.rejection) return read({ ...collected, file }, {}, bundle);
    let hashedAt: number | undefined;
    let contents: Buffer | undefined;
    let parquet = false;
    try {
      // A small file is read once, for its hash and its parse; a large one is asked only its first bytes here.
      if (file.bytes <= WHOLE_FILE) contents = readFileSync(file.absolutePath);
      parquet = contents ? contents.subarray(0, PARQUET_MAGIC.length).equals(PARQUET_MAGIC) : await startsLikeParquet(file.absolutePath);
    } catch {
      // Reported below, where the file is read.
    }
    // Unless the store may hold the file already, a large file is hashed as it is parsed: read once, not twice.
    const hashing = !parquet && !file.sha256 && stored === undefined && file.bytes > WHOLE_FILE ? new StreamedHash() : undefined;
    const unreadable = (error: unknown): Ingested => {
      const rejection = diagnostic('collect/unreadable', `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file: file.path });
      return emptyResult({ file, format: 'unknown', accepted: false, reason: rejection.message, records: 0, diagnostics: [rejection] });
    };
    try {
      if (file.bytes <= WHOLE_FILE) contents ??= readFileSync(file.absolutePath);
      if (!file.sha256) {
        hashedAt = Date.now();
        if (contents) file.sha256 = hash('sha256', contents);
        else if (!hashing) file.sha256 = await sha256File(file.absolutePath, file.bytes);
      }
    } catch (error) {
      return unreadable(error);
    }
    if (hashedAt !== undefined && file.sha256 === stored) return { unchanged: true, sha256: file.sha256, hashedAt };
    if (parquet) return { parquet: true, sha256: file.sha256, ...(hashedAt !== undefined ? { hashedAt } : {}) };
    const result = await read({ ...collected, file }, { ...(contents ? { contents } : {}), ...(hashing ? { hashing } : {}) }, bundle);
    if (hashing) {
      try {
        // A parser that stopped early (a syntax error) did not hash it all: the file is hashed on its own.
        file.sha256 = hashing.complete ? hashing.hash.digest('hex') : await sha256File(file.absolutePath, file.bytes);
      } catch (error) {
        if (result.staged) releaseStaged(result.staged);
        return unreadable(error);
      }
      result.summary = { ...result.summary, file };
    }
    return { ...result, ...(hashedAt !== undefined ? { hashedAt } : {}) };
  };
}

/** Files up to this size are read into memory whole. */
const WHOLE_FILE = 1024 * 1024;

/** Parse, redact, map and stage one file whose hash is known. */
function createReader(settings: IngestSettings, catalog: Catalog): (collected: CollectedFile, reading?: Reading, bundle?: BundleStaging) => Promise<IngestedFile> {
  const mapRecord = createMapper(settings.mappings.map(compileMappingRule), catalog);
  const targetRules = settings.targets.map((rule) => ({ ...rule, matches: picomatch(rule.match, { dot: true }) }));
  return async (collected, reading = {}, bundle) => {
    const { file } = collected;
    const configured = targetRules.find((rule) => rule.matches(file.path))?.target;
    // Staged per file: a file rejected halfway must not leave records behind.
    const staged = new StagingWriter(settings.stagingDir, bundle);
    const notes: NoteRecord[] = [];
    const redactions: Redaction[] = [];
    const limiter = new DiagnosticLimiter(file.path);
    let seq = 0;
    let newest: string | undefined;
    let setAside = 0;
    const scans = new Map<string, AnnouncedScan>();
    const summary = await parseInto(collected, {
      snapshot(announced) {
        const at = Date.parse(announced.observedAt);
        if (Number.isNaN(at) || dayOfMs(at) > settings.asOf) return;
        const placed = withTarget({ ...announced, file: file.path }, configured);
        if (!placed.target) return;
        // Read from the tool's output like any field: a repository URL may carry a token.
        const scan = { target: redactText(placed.target).text, scope: redactText(placed.scope ?? announced.format).text, at };
        const key = `${scan.target}\u0000${scan.scope}`;
        const seen = scans.get(key);
        if (!seen || at < seen.at) scans.set(key, scan);
      },
      record(found) {
        // Secrets are cut out first: nothing after this point, output or terminal, sees them.
        const { record: raw, redactions: cut } = redactRecord(found, found.type === 'note' && found.bodyLine !== undefined ? { noteBodyLine: found.bodyLine } : {});
        for (const r of cut) {
          redactions.push(r);
          limiter.add(diagnostic('evidence/secret-redacted', describeRedaction(r), { file: r.file, ...(r.line !== undefined ? { place: { line: r.line } } : {}) }));
        }
        // What the PDFs will show as markers rather than as written.
        for (const d of shownTextDiagnostics(raw)) limiter.add(d);
        const { record: mapped, diagnostics } = mapRecord(raw);
        for (const d of diagnostics) limiter.add(d);
        const record = mapped.type === 'check' ? withTarget(mapped, configured) : mapped;
        const date = recordDate(record);
        if (date !== undefined && (newest === undefined || date > newest)) newest = date;
        if (isFutureDated(record, settings.asOf)) {
          setAside++;
          limiter.add(
            diagnostic('evidence/future-dated', `dated ${date?.slice(0, 10)}, after the as-of date ${settings.asOf}: set aside`, {
              file: record.file,
              ...(record.place ? { place: record.place } : {}),
            }),
          );
        } else if (record.type === 'note') notes.push(record);
        else staged.add(record, seq++);
      },
      // Parsers may quote evidence in their messages: those are redacted too.
      diagnostic: (d) => limiter.add({ ...d, message: redactText(d.message).text }),
    }, parsers, reading);
    const named = pathDiagnostics(file.path);
    if (!summary.accepted) {
      staged.discard();
      return emptyResult({
        ...summary,
        ...(summary.reason !== undefined ? { reason: redactText(summary.reason).text } : {}),
        diagnostics: [...named, ...summary.diagnostics.map((d) => ({ ...d, message: redactText(d.message).text }))],
      });
    }
    return {
      summary: { ...summary, diagnostics: [...named, ...limiter.all()] },
      ...stagedRows(staged.finish()),
      ...(scans.size ? { snapshots: [...scans.values()] } : {}),
      notes,
      redactions,
      ...(newest !== undefined ? { newest } : {}),
      setAside,
    };
  };
}

/**
 * A tool's output is a snapshot of what it scanned: of the target the tool records, else the one the
 * config names for the file, else the file's folder and tool. Native rows are observations on their
 * own unless they or the config name a target. A snapshot's scope is at least its format: the same scan
 * written as CSV and as JSON never resolves itself.
 */
export function withTarget<T extends { file: string; format: string; tool?: string; target?: string; scope?: string }>(record: T, configured: string | undefined): T {
  if (record.target) return record.scope ? record : { ...record, scope: record.format };
  const target = configured ?? (record.format.startsWith('native-') ? undefined : `${posix.dirname(record.file)} (${record.tool ?? record.format})`);
  return target ? { ...record, target, scope: record.scope ?? record.format } : record;
}

const stagedRows = (staged: StagedRows | undefined) => (staged ? { staged } : {});

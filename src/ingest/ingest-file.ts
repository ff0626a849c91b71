/**
 * One evidence file, start to finish: hash it, parse it, cut secrets out, map each record to controls
 * and stage its observations. What comes out is plain data (typed columns and strings) that a worker
 * can post back and the parse cache can store, so this runs the same in a worker or in-process.
 */
import { hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { CollectedFile } from '../collect/collect.js';
import { sha256File } from '../collect/collect.js';
import { loadCatalog, withCrosswalk, type Catalog, type CrosswalkRow } from '../catalog/catalog.js';
import { compileMappingRule, type MappingSpec } from '../config/load.js';
import { diagnostic } from '../diagnostics/codes.js';
import { DiagnosticLimiter } from '../diagnostics/limit.js';
import { isFutureDated, recordDate } from '../evaluate/evaluate.js';
import { ObservationIndex, type ObservationBatch } from '../evaluate/observations.js';
import { createMapper } from '../map/map.js';
import type { InputSummary, NoteRecord } from '../model/types.js';
import { parseInto, StreamedHash, type Reading } from '../parse/parse-file.js';
import { parsers } from '../parse/registry.js';
import { ParseEntries, settingsKey } from './cache.js';
import { describeRedaction, redactRecord, redactText, type Redaction } from '../redact/redact.js';

/** What every file is read with: serializable, so a worker gets the same settings as the main thread. */
export interface IngestSettings {
  asOf: string;
  mappings: MappingSpec[];
  /** The crosswalk the config names in place of the built-in one. */
  crosswalk?: CrosswalkRow[];
  /** The parse cache's folder; none: every file is read. */
  cacheDir?: string;
}

/** The catalog files are mapped with: the built-in one, with the configured crosswalk where there is one. */
export const catalogFor = (settings: IngestSettings): Catalog => (settings.crosswalk ? withCrosswalk(loadCatalog(), settings.crosswalk) : loadCatalog());

export interface IngestedFile {
  summary: InputSummary;
  observations: ObservationBatch;
  notes: NoteRecord[];
  redactions: Redaction[];
  /** The newest record date in the file, future-dated ones included (decides where a cached parse holds). */
  newest?: string;
  /** Records set aside as dated after the as-of date. */
  setAside: number;
}

/** A file's result, and how it was come by. */
export interface Ingested extends IngestedFile {
  /** Read from the parse cache rather than parsed. */
  cached: boolean;
  /** When the file was hashed here (ms since the epoch); absent when its hash was already known. */
  hashedAt?: number;
}

export type Ingester = (collected: CollectedFile) => Promise<Ingested>;

/** An ingester for these settings: the mapping rules are compiled once, not per file. */
export function createIngester(settings: IngestSettings, catalog: Catalog): Ingester {
  const read = createReader(settings, catalog);
  const entries = settings.cacheDir !== undefined ? new ParseEntries(settings.cacheDir, settingsKey(settings)) : undefined;
  return async (collected) => {
    const file = { ...collected.file };
    if (collected.rejection) return { ...(await read({ ...collected, file })), cached: false };
    let hashedAt: number | undefined;
    let contents: Buffer | undefined;
    // Without a cache to look in first, a large file is hashed as it is parsed: read once, not twice.
    const hashing = !file.sha256 && !entries && file.bytes > WHOLE_FILE ? new StreamedHash() : undefined;
    const unreadable = (error: unknown) => {
      const rejection = diagnostic('collect/unreadable', `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file: file.path });
      return { ...emptyResult({ file, format: 'unknown', accepted: false, reason: rejection.message, records: 0, diagnostics: [rejection] }), cached: false };
    };
    try {
      // A small file is read once, for its hash and its parse.
      if (file.bytes <= WHOLE_FILE) contents = readFileSync(file.absolutePath);
      if (!file.sha256) {
        hashedAt = Date.now();
        if (contents) file.sha256 = hash('sha256', contents);
        else if (!hashing) file.sha256 = await sha256File(file.absolutePath, file.bytes);
      }
    } catch (error) {
      return unreadable(error);
    }
    // A file whose hash was known has been looked up already (see ingestAll); one hashed here may still
    // have been read before, under this name, in a build that did not know its stamp.
    const hit = hashedAt !== undefined && file.sha256 ? entries?.get(file, settings.asOf) : undefined;
    if (hit) return { ...hit, cached: true, hashedAt };
    const result = await read({ ...collected, file }, { ...(contents ? { contents } : {}), ...(hashing ? { hashing } : {}) });
    if (hashing) {
      try {
        // A parser that stopped early (a syntax error) did not hash it all: the file is hashed on its own.
        file.sha256 = hashing.complete ? hashing.hash.digest('hex') : await sha256File(file.absolutePath, file.bytes);
      } catch (error) {
        return unreadable(error);
      }
      result.summary = { ...result.summary, file };
    }
    entries?.put(file.path, file.sha256, settings.asOf, result);
    return { ...result, cached: false, ...(hashedAt !== undefined ? { hashedAt } : {}) };
  };
}

/** Files up to this size are read into memory whole. */
const WHOLE_FILE = 1024 * 1024;

/** Parse, redact, map and stage one file whose hash is known. */
function createReader(settings: IngestSettings, catalog: Catalog): (collected: CollectedFile, reading?: Reading) => Promise<IngestedFile> {
  const mapRecord = createMapper(settings.mappings.map(compileMappingRule), catalog);
  return async (collected, reading = {}) => {
    const { file } = collected;
    // Staged per file: a file rejected halfway must not leave records behind.
    const staged = new ObservationIndex();
    const notes: NoteRecord[] = [];
    const redactions: Redaction[] = [];
    const limiter = new DiagnosticLimiter(file.path);
    let seq = 0;
    let newest: string | undefined;
    let setAside = 0;
    const summary = await parseInto(collected, {
      record(found) {
        // Secrets are cut out first: nothing after this point, output or terminal, sees them.
        const { record: raw, redactions: cut } = redactRecord(found, found.type === 'note' && found.bodyLine !== undefined ? { noteBodyLine: found.bodyLine } : {});
        for (const r of cut) {
          redactions.push(r);
          limiter.add(diagnostic('evidence/secret-redacted', describeRedaction(r), { file: r.file, ...(r.line !== undefined ? { place: { line: r.line } } : {}) }));
        }
        const { record, diagnostics } = mapRecord(raw);
        for (const d of diagnostics) limiter.add(d);
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
    if (!summary.accepted) {
      return emptyResult({
        ...summary,
        ...(summary.reason !== undefined ? { reason: redactText(summary.reason).text } : {}),
        diagnostics: summary.diagnostics.map((d) => ({ ...d, message: redactText(d.message).text })),
      });
    }
    return {
      summary: { ...summary, diagnostics: limiter.all() },
      observations: staged.toBatch(),
      notes,
      redactions,
      ...(newest !== undefined ? { newest } : {}),
      setAside,
    };
  };
}

/** A file that yields nothing. Diagnostics about records of a rejected file would point at data not used. */
export function emptyResult(summary: InputSummary): IngestedFile {
  return { summary, observations: new ObservationIndex().toBatch(), notes: [], redactions: [], setAside: 0 };
}

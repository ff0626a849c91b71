/**
 * What reading a file comes to, and what it is read with: the light half of ingest-file.ts, which the
 * main thread needs whether or not it parses anything (a warm `check` never loads the parsers).
 */
import type { CollectedFile } from '../collect/collect.js';
import { loadCatalog, withCrosswalk, type Catalog, type CrosswalkRow } from '../catalog/catalog.js';
import type { MappingSpec, TargetRule } from '../config/load.js';
import type { InputSummary, NoteRecord } from '../model/types.js';
import type { Redaction } from '../redact/redact.js';
import type { StagedRows } from '../store/staging.js';

/** What every file is read with: serializable, so a worker gets the same settings as the main thread. */
export interface IngestSettings {
  asOf: string;
  mappings: MappingSpec[];
  /** Where check results are staged for the store. */
  stagingDir: string;
  /** The crosswalk the config names in place of the built-in one. */
  crosswalk?: CrosswalkRow[];
  /** What files scan when their tool does not record it (config `targets`). */
  targets: TargetRule[];
}

/** The catalog files are mapped with: the built-in one, with the configured crosswalk where there is one. */
export const catalogFor = (settings: IngestSettings): Catalog => (settings.crosswalk ? withCrosswalk(loadCatalog(), settings.crosswalk) : loadCatalog());

export interface IngestedFile {
  summary: InputSummary;
  /** The file's check results, staged for the store; none when it has none or was rejected. */
  staged?: StagedRows;
  notes: NoteRecord[];
  redactions: Redaction[];
  /** The newest record date in the file, future-dated ones included (decides where a stored result holds). */
  newest?: string;
  /** Records set aside as dated after the as-of date. */
  setAside: number;
  /** The scans the file announces (a clean scan among them), when its parser does: target, scope, time in ms. */
  snapshots?: AnnouncedScan[];
}

export interface AnnouncedScan {
  target: string;
  scope: string;
  at: number;
}

/** A file to read, with the hash of what the store holds for its path (when that holds for this build). */
export interface IngestTask {
  collected: CollectedFile;
  stored?: string;
}

/**
 * What reading a file came to: its result; or that it is the file the store already holds; or that it
 * is a Parquet file, hashed, for the store's DuckDB to read (ingest/parquet.ts).
 */
export type Ingested =
  | (IngestedFile & { unchanged?: undefined; parquet?: undefined; hashedAt?: number })
  | { unchanged: true; parquet?: undefined; sha256: string; hashedAt: number }
  | { parquet: true; unchanged?: undefined; sha256: string; hashedAt?: number };

/** A file that yields nothing. Diagnostics about records of a rejected file would point at data not used. */
export function emptyResult(summary: InputSummary): IngestedFile {
  return { summary, notes: [], redactions: [], setAside: 0 };
}

/**
 * Parquet files into the store, read by DuckDB itself: OCSF findings as a security lake keeps them
 * (through the portable reduction in sql/), or rows in legible's native columns (the result of that
 * reduction run elsewhere). No row passes through JavaScript: what JavaScript does, it does per
 * distinct value — the controls of each shape of finding (the same mapper as every other file), and
 * the secrets in each distinct text (the same redaction) — and SQL joins the answers back.
 *
 * A Parquet file is one slice of a query's or a lake's output, never a whole scan: its rows are
 * findings as they arrived, so a file never resolves a finding by leaving it out (the store keeps it
 * out of the snapshots); a finding ends failing only by passing or by being closed.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { join } from 'node:path';
import type { CheckCategory, ControlMapping } from '../model/types.js';
import { findingsQuery, portableSql, type OcsfVersion } from './portable-sql.js';
import { listOf, quoted } from './duckdb.js';
import { controlSetKey, MESSAGE_CHARS } from './staging.js';
import type { Store } from './store.js';

export type LakeFormat = 'ocsf-parquet' | 'native-parquet';

/** Bump when what this module makes of a row changes: stored rows are then read again. */
export const LAKE_READER_VERSION = 1;

/** A Hive partition of a lake: `region=…/accountId=…/eventDay=YYYYMMDD/`, its day as YYYY-MM-DD. */
export interface LakePartition {
  region: string;
  account: string;
  day: string;
}

export interface ParquetFile {
  path: string;
  absolutePath: string;
  partition?: LakePartition;
  /** What the configuration says the file holds; by default its columns tell. */
  format?: LakeFormat;
}

/** Everything the mapping of a Parquet row depends on. */
export interface FindingShape {
  format: LakeFormat;
  check: string;
  category?: CheckCategory;
  /** Compliance requirements as the tool wrote them (OCSF `compliance.requirements`). */
  requirements: string[];
  /** Control ids named in the row itself (the native `controls` column). */
  controls: string[];
}

export interface ParquetReading {
  /** The controls a shape of finding maps to, and what is wrong with the ids it names. */
  mapShape(shape: FindingShape): { controls: ControlMapping[]; unknown: string[] };
  /** A text without its secrets, and the kinds cut out of it. */
  redact(text: string): { text: string; kinds: readonly { kind: string }[] };
  /** Rows observed after this (ms) are set aside. */
  until: number;
}

/** What reading one Parquet file came to. */
export interface ParquetOutcome {
  format: LakeFormat | 'unknown';
  /** Why the file could not be read; undefined when it was. */
  rejected?: string;
  /** Its reserved id in the store, when it was read. */
  id?: number;
  /** Rows in the file, and those that are no observation (with the first few, by row). */
  records: number;
  invalid: number;
  problems: { row: number; message: string }[];
  /** Rows observed after the as-of date, and the newest observation time (ISO), future ones included. */
  setAside: number;
  newest?: string;
  /** What is wrong with control ids its rows name. */
  unknownControls: string[];
  /** Secrets cut from its kept rows: the row, the field, the kind. */
  redactions: { row: number; field: string; kind: string }[];
}

/** Text columns of an observation, each redacted like the same field of any record. */
const TEXT_FIELDS = ['check', 'title', 'message', 'resource', 'identity', 'target', 'closed'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
const column = (field: TextField) => (field === 'check' ? '"check"' : field);

/**
 * Files read by one statement: enough to amortize a statement. DuckDB holds every file's footer for
 * the statement (the schemas are united by name): 2,048 OCSF files at once took the process to 1.2 GB,
 * 256 keep it near 600 MB, no slower.
 */
const BATCH_FILES = 256;
/** Problems listed per file (all are counted). */
const PROBLEMS_LISTED = 5;

const listLiteral = (items: readonly string[]) => `[${items.map(quoted).join(', ')}]::VARCHAR[]`;

type Kind = { format: 'ocsf-parquet'; version: OcsfVersion } | { format: 'native-parquet' };

/**
 * The fields the portable SQL reads, per OCSF version: a file without some of them is read with
 * them empty (a zero-row file of this shape is read with it, and DuckDB unites the schemas by name).
 */
const OCSF_SHAPES: Record<OcsfVersion, string> = {
  '1.1': `NULL::STRUCT(uid VARCHAR, title VARCHAR, types VARCHAR[]) AS finding_info,
    NULL::STRUCT(control VARCHAR, standards VARCHAR[], requirements VARCHAR[], status VARCHAR, status_id INTEGER, status_detail VARCHAR) AS compliance,
    NULL::VARCHAR AS status, NULL::INTEGER AS status_id`,
  '1.0': `NULL::STRUCT(uid VARCHAR, title VARCHAR, types VARCHAR[]) AS finding,
    NULL::STRUCT(requirements VARCHAR[], status VARCHAR, status_detail VARCHAR) AS compliance,
    NULL::VARCHAR AS state, NULL::INTEGER AS state_id`,
};
const OCSF_COMMON = `NULL::INTEGER AS class_uid, NULL::INTEGER AS activity_id, NULL::BIGINT AS time, NULL::TIMESTAMP AS time_dt,
  NULL::VARCHAR AS severity, NULL::INTEGER AS severity_id, NULL::VARCHAR AS message,
  NULL::STRUCT(provider VARCHAR, region VARCHAR, account STRUCT(uid VARCHAR)) AS cloud,
  NULL::STRUCT(uid VARCHAR, name VARCHAR)[] AS resources, NULL::STRUCT(cve STRUCT(uid VARCHAR))[] AS vulnerabilities`;

/** The native columns and what each may be, beside `check`, `status` and `observed_at`. */
const NATIVE_TEXT = ['resource', 'severity', 'message', 'title', 'target', 'identity', 'closed', 'category'] as const;

/** Which kind of Parquet a file's column names say it is. */
function kindOf(names: ReadonlySet<string>): Kind | undefined {
  if (names.has('class_uid') && names.has('finding_info')) return { format: 'ocsf-parquet', version: '1.1' };
  if (names.has('class_uid') && names.has('finding')) return { format: 'ocsf-parquet', version: '1.0' };
  if (names.has('check') && names.has('status') && names.has('observed_at')) return { format: 'native-parquet' };
  return undefined;
}

const kindKey = (kind: Kind) => (kind.format === 'native-parquet' ? kind.format : `${kind.format} ${kind.version}`);

/**
 * Read Parquet files into the store under ids it reserves, and say what each came to; the caller keeps
 * each read file with `Store.keepLoaded`. A file that cannot be read is rejected on its own, with the
 * reason: the rest of its batch is read again without it.
 */
export async function readParquet(store: Store, files: readonly ParquetFile[], reading: ParquetReading): Promise<ParquetOutcome[]> {
  const outcomes = files.map((): ParquetOutcome => ({ format: 'unknown', records: 0, invalid: 0, problems: [], setAside: 0, unknownControls: [], redactions: [] }));
  if (!files.length) return outcomes;
  await store.connection(async (db, temporaryDir) => {
    const kinds = await columnKinds(db, files);
    const groups = new Map<string, { kind: Kind; indexes: number[] }>();
    files.forEach((file, i) => {
      const found = kinds[i]!;
      if (typeof found === 'string') return void (outcomes[i]!.rejected = found);
      if (file.format && file.format !== found.format) return void (outcomes[i]!.rejected = `configured as ${file.format}, but its columns are those of ${found.format}`);
      const key = kindKey(found);
      if (!groups.has(key)) groups.set(key, { kind: found, indexes: [] });
      groups.get(key)!.indexes.push(i);
    });
    for (const { kind, indexes } of groups.values()) {
      for (const i of indexes) outcomes[i]!.format = kind.format;
      for (let from = 0; from < indexes.length; from += BATCH_FILES) {
        await readBatch(store, db, temporaryDir, kind, indexes.slice(from, from + BATCH_FILES), files, outcomes, reading);
      }
    }
  });
  return outcomes;
}

/** Each file's kind, or why it is none, from its schema (the footer only). */
async function columnKinds(db: DuckDBConnection, files: readonly ParquetFile[]): Promise<(Kind | string)[]> {
  const describe = async (list: readonly ParquetFile[]) => {
    const names = new Map<string, Set<string>>();
    const rows = (await db.runAndReadAll(`SELECT file_name, name FROM parquet_schema([${list.map((f) => quoted(f.absolutePath)).join(', ')}])`)).getRows();
    for (const [file, name] of rows) {
      if (!names.has(file as string)) names.set(file as string, new Set());
      names.get(file as string)!.add(name as string);
    }
    return list.map((f): Kind | string => kindOf(names.get(f.absolutePath) ?? new Set()) ?? 'a Parquet file with neither OCSF findings (class_uid, finding_info or finding) nor native columns (check, status, observed_at)');
  };
  try {
    return await describe(files);
  } catch {
    // One unreadable file fails the whole list: each is asked on its own to tell which.
    const kinds: (Kind | string)[] = [];
    for (const file of files) {
      try {
        kinds.push((await describe([file]))[0]!);
      } catch (error) {
        kinds.push(`not a readable Parquet file: ${firstLine(error)}`);
      }
    }
    return kinds;
  }
}

const firstLine = (error: unknown) => (error as Error).message.split('\n')[0]!.trim();

/** Read a batch of files of one kind; a failure splits it until the failing file stands alone, rejected. */
async function readBatch(
  store: Store,
  db: DuckDBConnection,
  temporaryDir: string,
  kind: Kind,
  indexes: readonly number[],
  files: readonly ParquetFile[],
  outcomes: ParquetOutcome[],
  reading: ParquetReading,
): Promise<void> {
  const ids = store.reserveIds(indexes.length);
  try {
    await loadBatch(store, db, temporaryDir, kind, indexes.map((i, k) => ({ index: i, id: ids[k]!, file: files[i]! })), outcomes, reading);
  } catch (error) {
    await db.run('ROLLBACK').catch(() => {});
    // Rows a failure after the commit left behind would count in queries that do not ask the files table.
    await db.run(`DELETE FROM observations WHERE file IN (${ids.join(', ')})`);
    for (const i of indexes) Object.assign(outcomes[i]!, { records: 0, invalid: 0, problems: [], setAside: 0, unknownControls: [], redactions: [], id: undefined, newest: undefined });
    if (indexes.length === 1) {
      outcomes[indexes[0]!]!.rejected = `cannot be read as ${kind.format}: ${firstLine(error)}`;
      return;
    }
    const half = Math.ceil(indexes.length / 2);
    await readBatch(store, db, temporaryDir, kind, indexes.slice(0, half), files, outcomes, reading);
    await readBatch(store, db, temporaryDir, kind, indexes.slice(half), files, outcomes, reading);
  } finally {
    for (const statement of ['DROP VIEW IF EXISTS lake_rows', 'DROP VIEW IF EXISTS parquet_rows', 'DROP VIEW IF EXISTS lake_findings', 'DROP VIEW IF EXISTS findings', 'DROP VIEW IF EXISTS ocsf_findings', 'DROP TABLE IF EXISTS lake_shapes', 'DROP TABLE IF EXISTS lake_redacted', 'DROP TABLE IF EXISTS lake_files']) {
      await db.run(statement);
    }
  }
}

interface BatchFile {
  index: number;
  id: number;
  file: ParquetFile;
}

async function loadBatch(store: Store, db: DuckDBConnection, temporaryDir: string, kind: Kind, batch: readonly BatchFile[], outcomes: ParquetOutcome[], reading: ParquetReading): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE lake_files(filename VARCHAR, path VARCHAR, id INTEGER, region VARCHAR, accountid VARCHAR, eventday VARCHAR)`);
  const appender = await db.createAppender('lake_files', 'main', 'temp');
  for (const { file, id } of batch) {
    appender.appendVarchar(file.absolutePath);
    appender.appendVarchar(file.path);
    appender.appendInteger(id);
    for (const value of [file.partition?.region, file.partition?.account, file.partition?.day.replace(/-/g, '')]) {
      if (value === undefined) appender.appendNull();
      else appender.appendVarchar(value);
    }
    appender.endRow();
  }
  appender.closeSync();
  const paths = batch.map((b) => b.file.absolutePath);
  if (kind.format === 'ocsf-parquet') await ocsfViews(db, temporaryDir, kind.version, paths);
  else await nativeViews(db, paths);

  // One pass over the files: what each holds, every shape of finding, and every distinct text.
  const groupings = ['source_file', '"check", category, requirements, controls, source_file', ...TEXT_FIELDS.map(column)];
  const summary = (
    await db.runAndReadAll(
      `SELECT grouping(source_file, "check", title, message, resource, identity, target, closed) AS g,
              source_file, "check", category, requirements, controls, title, message, resource, identity, target, closed,
              count(*) AS n, count(problem) AS invalid, count(*) FILTER (WHERE problem IS NULL AND observed_ms > $until) AS later,
              max(observed_ms) FILTER (WHERE problem IS NULL) AS newest
       FROM lake_findings
       GROUP BY GROUPING SETS (${groupings.map((g) => `(${g})`).join(', ')})`,
      { until: reading.until },
    )
  ).getRows();
  const byPath = new Map(batch.map((b) => [b.file.path, b]));
  const shapes: { shape: FindingShape; category: string | null; key: string; files: string[] }[] = [];
  const shapeIndex = new Map<string, number>();
  const texts = new Map<TextField, Set<string>>(TEXT_FIELDS.map((f) => [f, new Set()]));
  for (const [g, file, check, category, requirements, controls, ...rest] of summary) {
    const [title, message, resource, identity, target, closed, n, invalid, later, newest] = rest;
    const grouping = Number(g);
    // grouping() sets a bit for each of its columns left out of the grouping set, source_file first.
    const has = (bit: number) => (grouping & (1 << (7 - bit))) === 0;
    if (has(0) && !has(1)) {
      const outcome = outcomes[byPath.get(file as string)!.index]!;
      outcome.records = Number(n);
      outcome.invalid = Number(invalid);
      outcome.setAside = Number(later);
      if (newest !== null) outcome.newest = new Date(Number(newest)).toISOString();
    } else if (has(0)) {
      if (check === null) continue;
      const shape: FindingShape = { format: kind.format, check: check as string, requirements: listOf(requirements), controls: listOf(controls), ...(category ? { category: category as CheckCategory } : {}) };
      const key = JSON.stringify([shape.check, category, shape.requirements, shape.controls]);
      let at = shapeIndex.get(key);
      if (at === undefined) {
        shapeIndex.set(key, (at = shapes.length));
        shapes.push({ shape, category: category as string | null, key: '', files: [] });
      }
      shapes[at]!.files.push(file as string);
    } else {
      const values = { check, title, message, resource, identity, target, closed };
      for (const field of TEXT_FIELDS) if (values[field] !== null && has(TEXT_FIELDS.indexOf(field) + 1)) texts.get(field)!.add(values[field] as string);
    }
  }

  // Secrets first, as for any record: the mapping sees the check id as it will be kept.
  const redacted: { field: TextField; original: string; replaced: string; kinds: readonly { kind: string }[] }[] = [];
  for (const [field, values] of texts) {
    for (const original of values) {
      const result = reading.redact(original);
      if (result.kinds.length) redacted.push({ field, original, replaced: result.text, kinds: result.kinds });
    }
  }
  const keptCheck = new Map(redacted.filter((r) => r.field === 'check').map((r) => [r.original, r.replaced]));
  const sets = new Map<string, ControlMapping[]>();
  for (const entry of shapes) {
    const { controls, unknown } = reading.mapShape({ ...entry.shape, check: keptCheck.get(entry.shape.check) ?? entry.shape.check });
    entry.key = controlSetKey(controls);
    sets.set(entry.key, controls);
    for (const file of unknown.length ? entry.files : []) outcomes[byPath.get(file)!.index]!.unknownControls.push(...unknown);
  }
  await store.addControlSets(sets);
  await db.run(`CREATE OR REPLACE TEMP TABLE lake_shapes("check" VARCHAR, category VARCHAR, requirements VARCHAR[], controls VARCHAR[], set_key VARCHAR)`);
  for (let from = 0; from < shapes.length; from += 1000) {
    const values = shapes.slice(from, from + 1000).map(({ shape, category, key }) => `(${quoted(shape.check)}, ${category === null ? 'NULL' : quoted(category)}, ${listLiteral(shape.requirements)}, ${listLiteral(shape.controls)}, ${quoted(key)})`);
    await db.run(`INSERT INTO lake_shapes VALUES ${values.join(', ')}`);
  }
  const redactedFields = [...new Set(redacted.map((r) => r.field))];
  if (redacted.length) {
    await db.run(`CREATE OR REPLACE TEMP TABLE lake_redacted(field VARCHAR, original VARCHAR, replaced VARCHAR)`);
    const add = await db.createAppender('lake_redacted', 'main', 'temp');
    for (const r of redacted) {
      add.appendVarchar(r.field);
      add.appendVarchar(r.original);
      add.appendVarchar(r.replaced);
      add.endRow();
    }
    add.closeSync();
  }

  // The second pass: the kept rows, redacted and mapped, into the store.
  const text = (field: TextField) => (redactedFields.includes(field) ? `coalesce(x_${field}.replaced, r.${column(field)})` : `r.${column(field)}`);
  const joins = redactedFields.map((f) => `LEFT JOIN lake_redacted x_${f} ON x_${f}.field = '${f}' AND x_${f}.original = r.${column(f)}`).join('\n');
  const message = text('message');
  await db.run('BEGIN TRANSACTION');
  await db.run(
    `INSERT INTO observations
     SELECT m.id, r.source_row, ${text('target')}, ${quoted(kind.format)}, ${text('check')}, ${text('identity')}, ${text('title')}, ${text('resource')},
            r.status, r.severity, ${text('closed')}, strftime(make_timestamp(r.observed_ms * 1000), '%Y-%m-%dT%H:%M:%S.%gZ'), r.observed_ms,
            CASE WHEN length(${message}) > ${MESSAGE_CHARS} THEN left(${message}, ${MESSAGE_CHARS}) || '…' ELSE ${message} END,
            s.set_key, '{"pointer":"/' || r.source_row || '"}', r.tool, r.category, r.tags
     FROM lake_rows r
     JOIN lake_files m ON m.path = r.source_file
     JOIN lake_shapes s ON s."check" = r."check" AND s.category IS NOT DISTINCT FROM r.category AND s.requirements = r.requirements AND s.controls = r.controls
     ${joins}
     WHERE r.observed_ms <= $until`,
    { until: reading.until },
  );
  await db.run('COMMIT');

  if (redacted.length) {
    const kindsOf = new Map(redacted.map((r) => [`${r.field}\u0000${r.original}`, r.kinds]));
    const rows = await db.runAndReadAll(
      redactedFields
        .map((f) => `SELECT r.source_file, r.source_row, '${f}' AS field, r.${column(f)} AS original FROM lake_rows r JOIN lake_redacted x ON x.field = '${f}' AND x.original = r.${column(f)} WHERE r.observed_ms <= $until`)
        .join(' UNION ALL ') + ' ORDER BY 1, 2, 3',
      { until: reading.until },
    );
    for (const [file, row, field, original] of rows.getRows()) {
      const outcome = outcomes[byPath.get(file as string)!.index]!;
      for (const { kind } of kindsOf.get(`${field as string}\u0000${original as string}`) ?? []) outcome.redactions.push({ row: Number(row), field: field as string, kind });
    }
  }
  if (batch.some((b) => outcomes[b.index]!.invalid > 0)) {
    const rows = await db.runAndReadAll(
      `SELECT source_file, source_row, problem FROM lake_findings WHERE problem IS NOT NULL
       QUALIFY row_number() OVER (PARTITION BY source_file ORDER BY source_row) <= ${PROBLEMS_LISTED} ORDER BY 1, 2`,
    );
    for (const [file, row, problem] of rows.getRows()) outcomes[byPath.get(file as string)!.index]!.problems.push({ row: Number(row), message: problem as string });
  }
  for (const b of batch) outcomes[b.index]!.id = b.id;
}

/** The Parquet rows with where each came from: the file (its path as legible names it) and the row in it. */
const parquetRows = (paths: readonly string[], extra: readonly string[] = []) =>
  `SELECT p.* EXCLUDE (filename, file_row_number), f.path AS source_file, p.file_row_number AS source_row, f.region, f.accountid, f.eventday
   FROM read_parquet([${[...paths, ...extra].map(quoted).join(', ')}], union_by_name = true, filename = true, file_row_number = true, hive_partitioning = false) p
   JOIN lake_files f ON f.filename = p.filename`;

/** OCSF rows as the portable SQL reads them, in legible's terms (lake_findings) and reduced (lake_rows). */
async function ocsfViews(db: DuckDBConnection, temporaryDir: string, version: OcsfVersion, paths: readonly string[]): Promise<void> {
  const shapeFile = join(temporaryDir, `ocsf-${version}-shape.parquet`);
  await db.run(`COPY (SELECT ${OCSF_COMMON}, ${OCSF_SHAPES[version]} WHERE false) TO ${quoted(shapeFile)} (FORMAT parquet)`);
  await db.run(`CREATE OR REPLACE TEMP VIEW ocsf_findings AS ${parquetRows(paths, [shapeFile])}`);
  await db.run(`CREATE OR REPLACE TEMP VIEW findings AS ${findingsQuery(version)}`);
  await db.run(`CREATE OR REPLACE TEMP VIEW lake_findings AS SELECT * EXCLUDE (requirements), coalesce(requirements, []::VARCHAR[]) AS requirements, []::VARCHAR[] AS controls FROM findings`);
  await db.run(
    // The portable SQL names no tool or classifiers: a lake row keeps its category only.
    `CREATE OR REPLACE TEMP VIEW lake_rows AS SELECT * EXCLUDE (observed_at, requirements), observed_at AS observed_ms, coalesce(requirements, []::VARCHAR[]) AS requirements, []::VARCHAR[] AS controls,
       NULL::VARCHAR AS tool, []::VARCHAR[] AS tags
     FROM (${portableSql('newest-per-day.sql')})`,
  );
}

/**
 * Native rows (check, status, observed_at, controls, …) checked as the native JSON reader checks them:
 * a row that is not an observation says why. `observed_at` may be text (ISO 8601), a timestamp or
 * epoch milliseconds; `controls` a list or `;`-separated text.
 */
async function nativeViews(db: DuckDBConnection, paths: readonly string[]): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP VIEW parquet_rows AS ${parquetRows(paths)}`);
  const types = new Map(
    (await db.runAndReadAll(`DESCRIBE parquet_rows`)).getRows().map(([name, type]) => [(name as string).toLowerCase(), type as string]),
  );
  const trimmed = (name: string) => (types.has(name) ? `nullif(trim(CAST(${name === 'check' ? '"check"' : name} AS VARCHAR)), '')` : 'NULL::VARCHAR');
  const at = types.get('observed_at') ?? '';
  const observed = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(at)
    ? 'CAST(observed_at AS BIGINT)'
    : /^(TIMESTAMP|DATE)/.test(at)
      ? 'epoch_ms(CAST(observed_at AS TIMESTAMP))'
      : `epoch_ms(try_cast(trim(CAST(observed_at AS VARCHAR)) AS TIMESTAMPTZ))`;
  const listColumn = (name: string) => {
    const type = types.get(name);
    if (!type) return '[]::VARCHAR[]';
    const items = type.endsWith('[]') ? `CAST(${name} AS VARCHAR[])` : `string_split(CAST(${name} AS VARCHAR), ';')`;
    return `coalesce(list_filter(list_transform(${items}, x -> trim(x)), x -> x <> ''), []::VARCHAR[])`;
  };
  await db.run(
    `CREATE OR REPLACE TEMP VIEW lake_findings AS
     SELECT source_file, source_row, "check", status, observed_ms, resource, severity, message, title, identity, closed, target, category, tool, requirements, controls, tags,
       CASE
         WHEN "check" IS NULL THEN 'check: required field is missing or empty'
         WHEN status IS NULL OR status NOT IN ('pass', 'fail', 'error', 'skip', 'manual') THEN 'status: expected pass, fail, error, skip or manual'
         WHEN observed_ms IS NULL THEN 'observed_at: expected an ISO 8601 date or date-time, a timestamp or epoch milliseconds'
         WHEN severity IS NOT NULL AND severity NOT IN ('critical', 'high', 'medium', 'low', 'info') THEN 'severity: expected critical, high, medium, low or info'
         WHEN category IS NOT NULL AND category NOT IN ('vulnerability', 'misconfiguration', 'secret', 'code', 'test', 'compliance', 'detection') THEN 'category: not one legible knows'
       END AS problem
     FROM (
       SELECT source_file, source_row, ${trimmed('check')} AS "check", lower(${trimmed('status')}) AS status, ${observed} AS observed_ms,
         ${NATIVE_TEXT.map((name) => (name === 'severity' || name === 'category' ? `lower(${trimmed(name)}) AS ${name}` : `${trimmed(name)} AS ${name}`)).join(', ')},
         ${trimmed('tool')} AS tool, ${listColumn('requirements')} AS requirements, ${listColumn('controls')} AS controls, ${listColumn('tags')} AS tags
       FROM parquet_rows)`,
  );
  await db.run(`CREATE OR REPLACE TEMP VIEW lake_rows AS SELECT * FROM lake_findings WHERE problem IS NULL`);
}

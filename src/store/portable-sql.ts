/**
 * The SQL that turns a lake's OCSF rows into legible's observations, kept in `.sql` files (sql/) in a
 * subset that DuckDB runs as it is (legible itself, and Athena's DuckDB engine) and that Trino
 * (Athena's Trino engine) and Spark run after the few rewrites in DIALECT_DIFFERENCES. A lake of
 * billions of rows is reduced where it lies (`reductionQuery(…, 'trino')` inside an Athena UNLOAD, or
 * in Spark) and the Parquet result fed to legible as native Parquet.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

export type OcsfVersion = '1.0' | '1.1';
export type Dialect = 'duckdb' | 'trino' | 'spark';

/** The portable files, in the order a reduction composes them. */
export const PORTABLE_FILES = ['ocsf-1.1-fields.sql', 'ocsf-1.0-fields.sql', 'ocsf-findings.sql', 'newest-per-day.sql'] as const;
export type PortableFile = (typeof PORTABLE_FILES)[number];

/**
 * Where Trino and Spark differ from DuckDB in what the portable files use, as rewrites of DuckDB's
 * form; the README's table is this one. Semantics the files avoid rather than rewrite are in the
 * README's list (regexp_extract's no match, integer division, literal escapes).
 */
export const DIALECT_DIFFERENCES: readonly { what: string; duckdb: RegExp; trino: string; spark: string }[] = [
  {
    what: 'a timestamp in epoch milliseconds',
    duckdb: /\bepoch_ms\(([\w.]+)\)/g,
    trino: 'CAST(to_unixtime($1) * 1000 AS BIGINT)',
    spark: 'unix_millis($1)',
  },
  {
    // Trino's x[1] fails on an empty array; Spark's x[1] is the second element.
    what: "an array's first element (NULL when empty)",
    duckdb: /\b([a-z_]\w*(?:\.\w+)*)\[1\]/g,
    trino: 'element_at($1, 1)',
    spark: 'element_at($1, 1)',
  },
  {
    // Spark reads a double-quoted word as a string.
    what: 'a quoted identifier ("check" is a keyword in DuckDB)',
    duckdb: /"(\w+)"/g,
    trino: '"$1"',
    spark: '`$1`',
  },
];

const cache = new Map<PortableFile, string>();

/** A portable file's SQL, without its comments and trailing semicolon. */
export function portableSql(file: PortableFile): string {
  let sql = cache.get(file);
  if (sql === undefined) {
    const text = readFileSync(join(packageRoot(), 'src', 'store', 'sql', file), 'utf8');
    sql = text
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('--'))
      .join('\n')
      .trim()
      .replace(/;$/, '');
    cache.set(file, sql);
  }
  return sql;
}

/** SQL written for DuckDB, rewritten for another dialect. */
export function inDialect(sql: string, dialect: Dialect): string {
  if (dialect === 'duckdb') return sql;
  return DIALECT_DIFFERENCES.reduce((text, d) => text.replace(d.duckdb, d[dialect]), sql);
}

const fieldsFile = (version: OcsfVersion): PortableFile => (version === '1.0' ? 'ocsf-1.0-fields.sql' : 'ocsf-1.1-fields.sql');

/** OCSF rows of one version in legible's terms, a row each, with why a row cannot be used (ocsf_findings → findings). */
export function findingsQuery(version: OcsfVersion, dialect: Dialect = 'duckdb'): string {
  return inDialect(`WITH ocsf_fields AS (\n${portableSql(fieldsFile(version))}\n)\n${portableSql('ocsf-findings.sql')}`, dialect);
}

/**
 * The whole reduction of one OCSF version's rows (the relation ocsf_findings) to native columns: what
 * an Athena UNLOAD or a Spark job runs, and what legible runs on the lake it reads.
 */
export function reductionQuery(version: OcsfVersion, dialect: Dialect = 'duckdb'): string {
  return inDialect(`WITH ${reductionSteps(version)}\n${portableSql('newest-per-day.sql')}`, dialect);
}

const reductionSteps = (version: OcsfVersion) => `ocsf_fields AS (\n${portableSql(fieldsFile(version))}\n),\nfindings AS (\n${portableSql('ocsf-findings.sql')}\n)`;

/** The native columns a reduction gives, in order (what legible reads as native Parquet). */
export const REDUCED_COLUMNS = ['check', 'status', 'observed_at', 'resource', 'severity', 'message', 'title', 'identity', 'closed', 'target', 'category', 'requirements'] as const;

/** A table name as a catalogue writes it: identifiers joined by dots, nothing to quote. */
const LAKE_TABLE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}$/;

/** What is wrong with a lake table's name, if anything. */
export const lakeTableProblem = (table: string): string | undefined =>
  LAKE_TABLE.test(table) ? undefined : `${table}: expected a table name such as database.table (letters, digits and underscores)`;

/**
 * The whole reduction over a lake's table, ready for an Athena UNLOAD or a Spark job: the rows of the
 * days asked (Security Lake's tables are partitioned by region, accountid and eventday = YYYYMMDD),
 * reduced to the native columns, across the whole table (one source). Its Parquet result is read by
 * legible as native Parquet.
 */
export function lakeTableQuery(options: { version: OcsfVersion; dialect: Dialect; table: string; from?: string; to?: string }): string {
  const { version, dialect, table, from, to } = options;
  const problem = lakeTableProblem(table);
  if (problem) throw new Error(problem);
  const day = (date: string) => `'${date.replace(/-/g, '')}'`;
  const days = [from !== undefined ? `eventday >= ${day(from)}` : '', to !== undefined ? `eventday <= ${day(to)}` : ''].filter(Boolean);
  const rows = `SELECT t.*, 'lake' AS source_file, 0 AS source_row FROM ${table} t${days.length ? ` WHERE ${days.join(' AND ')}` : ''}`;
  const columns = REDUCED_COLUMNS.map((c) => (c === 'check' ? '"check"' : c)).join(', ');
  return inDialect(`WITH ocsf_findings AS (\n${rows}\n),\n${reductionSteps(version)}\nSELECT ${columns} FROM (\n${portableSql('newest-per-day.sql')}\n) reduced`, dialect);
}

/** What rows read from a lake depend on besides the settings: these files, and how legible runs them. */
export function portableSqlDigest(readerVersion: number): string {
  const hash = createHash('sha256').update(String(readerVersion));
  for (const file of PORTABLE_FILES) hash.update(portableSql(file));
  return hash.digest('hex').slice(0, 16);
}

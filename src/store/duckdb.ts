import { createRequire } from 'node:module';

/**
 * DuckDB's Node API, required rather than imported: Node's ESM loader scans each of the package's ~180
 * CommonJS files for its exports first, which doubles the time DuckDB takes to load (350 ms against
 * 175 ms here). Import it from here only: one value import elsewhere brings the scan back.
 */
export const duckdb = createRequire(import.meta.url)('@duckdb/node-api') as typeof import('@duckdb/node-api');

/** A text as a SQL string literal. */
export const quoted = (text: string): string => `'${text.replace(/'/g, "''")}'`;

/** The texts of a list value DuckDB returned (its NULL items left out); none for anything else. */
export const listOf = (value: unknown): string[] =>
  value instanceof duckdb.DuckDBListValue ? (value.items as (string | null)[]).filter((s): s is string => s !== null) : [];

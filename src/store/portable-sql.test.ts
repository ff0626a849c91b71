import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../util/package-root.js';
import { DIALECT_DIFFERENCES, inDialect, lakeTableQuery, PORTABLE_FILES, portableSql, reductionQuery, type Dialect } from './portable-sql.js';

/** Debian's python3-sqlglot, with the system's Python (a pyenv or venv Python would not see it). */
const PYTHON = '/usr/bin/python3';
const script = join(packageRoot(), 'test', 'helpers', 'parse-sql.py');

function parses(sql: string, dialect: Dialect): string {
  try {
    return execFileSync(PYTHON, [script, dialect], { input: sql, encoding: 'utf8' }).trim();
  } catch (error) {
    const e = error as { stdout?: string; message: string };
    return e.stdout?.trim() || e.message;
  }
}

const DIALECTS: Dialect[] = ['duckdb', 'trino', 'spark'];

describe('the portable lake SQL', () => {
  it('fails a query that does not parse (the check can fail)', () => {
    expect(parses('SELECT a FROM t WHERE (x = 1', 'trino')).not.toBe('ok');
  });

  it.each(PORTABLE_FILES.flatMap((file) => DIALECTS.map((dialect) => [file, dialect] as const)))('%s parses as %s', (file, dialect) => {
    expect(parses(inDialect(portableSql(file), dialect), dialect)).toBe('ok');
  });

  it.each((['1.0', '1.1'] as const).flatMap((version) => DIALECTS.map((dialect) => [version, dialect] as const)))('the OCSF %s reduction parses whole as %s', (version, dialect) => {
    expect(parses(reductionQuery(version, dialect), dialect)).toBe('ok');
  });

  it.each((['1.0', '1.1'] as const).flatMap((version) => DIALECTS.map((dialect) => [version, dialect] as const)))('the OCSF %s reduction of a lake table (legible lake-sql) parses as %s', (version, dialect) => {
    const sql = lakeTableQuery({ version, dialect, table: 'security_lake_db.sh_findings_2_0', from: '2026-04-01', to: '2026-11-23' });
    expect(sql).toContain("FROM security_lake_db.sh_findings_2_0 t WHERE eventday >= '20260401' AND eventday <= '20261123'");
    expect(parses(sql, dialect)).toBe('ok');
  });

  it('takes a table name only as identifiers, so nothing can be slipped into the query', () => {
    expect(() => lakeTableQuery({ version: '1.1', dialect: 'trino', table: "t; DROP TABLE x" })).toThrow(/expected a table name/);
    expect(() => lakeTableQuery({ version: '1.1', dialect: 'trino', table: 'a.b.c.d' })).toThrow(/expected a table name/);
    expect(lakeTableQuery({ version: '1.1', dialect: 'trino', table: 'catalog.db.tbl' })).not.toContain('WHERE eventday');
  });

  it('keeps to the subset: every dialect difference it uses is in the table, and rewritten away', () => {
    const all = PORTABLE_FILES.map(portableSql).join('\n');
    for (const d of DIALECT_DIFFERENCES) expect(all, d.what).toMatch(new RegExp(d.duckdb.source));
    for (const dialect of ['trino', 'spark'] as const) {
      const rewritten = inDialect(all, dialect);
      expect(rewritten).not.toMatch(/\bepoch_ms\(|\w\[1\]/);
      if (dialect === 'spark') expect(rewritten).not.toMatch(/"/);
    }
    // Spark reads a quote doubled inside a literal as two literals, and unescapes backslashes; QUALIFY and :: casts are DuckDB's.
    expect(all).not.toMatch(/\w''|''\w|\\|\bQUALIFY\b|::/i);
  });
});

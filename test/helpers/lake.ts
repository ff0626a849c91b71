import { readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/** Rows of a lake as JSON objects: OCSF findings, or native rows. */
export type LakeRow = Record<string, unknown>;

const quoted = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * Write rows as a security lake does, with DuckDB itself: Parquet files in Hive partitions
 * `region=…/accountId=…/eventDay=YYYYMMDD/` (keys spelled as `keys` says), object names without
 * `.parquet`. Each row carries its partition as `region`, `accountId` and `eventDay`, which are not
 * kept in the files (as in Security Lake). `columns` fixes the types DuckDB would otherwise guess.
 */
export async function writeLake(dir: string, rows: readonly LakeRow[], options: { keys?: 'camel' | 'lower'; columns?: string } = {}): Promise<void> {
  const [region, account, day] = options.keys === 'lower' ? ['region', 'accountid', 'eventday'] : ['region', 'accountId', 'eventDay'];
  const json = join(dir, '.rows.jsonl');
  writeFileSync(
    json,
    rows
      .map(({ accountId, eventDay, ...r }) => JSON.stringify({ ...r, [account!]: accountId, [day!]: eventDay }))
      .join('\n'),
  );
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    const read = `read_json(${quoted(json)}, format = 'newline_delimited'${options.columns ? `, columns = ${options.columns}` : ''})`;
    await db.run(`COPY (SELECT * FROM ${read}) TO ${quoted(dir)} (FORMAT parquet, PARTITION_BY (${region}, "${account}", "${day}"), OVERWRITE_OR_IGNORE)`);
  } finally {
    db.closeSync();
    instance.closeSync();
    rmSync(json);
  }
  stripExtensions(dir);
}

/** Rows in legible's native columns as one Parquet file (the result of a reduction run elsewhere). */
export async function writeParquet(path: string, select: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const db = await instance.connect();
  try {
    await db.run(`COPY (${select}) TO ${quoted(path)} (FORMAT parquet)`);
  } finally {
    db.closeSync();
    instance.closeSync();
  }
}

function stripExtensions(dir: string): void {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) stripExtensions(path);
    else if (entry.endsWith('.parquet')) renameSync(path, path.slice(0, -'.parquet'.length));
  }
}

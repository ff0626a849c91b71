import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { diagnostic } from '../../diagnostics/codes.js';
import { packageRoot } from '../../util/package-root.js';
import { reject, type Parser } from '../parser.js';
import { blankToUndefined } from './csv.js';
import { RowEmitter, toCheckRecord } from './record.js';

export interface WorkbookRows {
  sheet: string;
  rows: (string | number | boolean)[][];
}

const LIMITS = { timeoutMs: 20_000, maxOldGenerationSizeMb: 512 };

/** Read the first sheet of a workbook in a throw-away worker thread; never throws. */
export function readWorkbookIsolated(path: string, limits = LIMITS): Promise<WorkbookRows | { error: string }> {
  return new Promise((resolve) => {
    const worker = new Worker(join(packageRoot(), 'dist', 'parse', 'native', 'xlsx-worker.js'), {
      workerData: { path },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxOldGenerationSizeMb, maxYoungGenerationSizeMb: 64 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const finish = (value: WorkbookRows | { error: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(value);
    };
    const timer = setTimeout(() => finish({ error: `reading the workbook took longer than ${limits.timeoutMs / 1000} s and was stopped` }), limits.timeoutMs);
    worker.on('message', (message: unknown) => finish(sanitize(message)));
    worker.on('error', (error: Error & { code?: string }) =>
      finish({
        error:
          error.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? `reading the workbook needed more than ${limits.maxOldGenerationSizeMb} MB and was stopped`
            : `not a readable workbook (${error.message.split('\n')[0]})`,
      }),
    );
    worker.on('exit', () => finish({ error: 'the workbook reader stopped without an answer' }));
  });
}

/** Revalidate what the worker sent: only arrays of primitive cells pass. */
function sanitize(message: unknown): WorkbookRows | { error: string } {
  const m = message as { sheet?: unknown; rows?: unknown };
  if (!m || typeof m.sheet !== 'string' || !Array.isArray(m.rows)) return { error: 'the workbook reader sent an unexpected answer' };
  const rows = m.rows.map((row) =>
    Array.isArray(row) ? row.map((c) => (typeof c === 'string' || typeof c === 'number' || typeof c === 'boolean' ? c : '')) : [],
  );
  return { sheet: m.sheet, rows };
}

export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

export const nativeXlsxParser: Parser = {
  name: 'native-xlsx',
  label: 'legible native check results (XLSX workbook)',
  detect(source) {
    if (!source.head.startsWith('PK\u0003\u0004')) return 0;
    return /\.xlsx$/i.test(source.file.path) || source.head.includes('xl/') ? 0.6 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const book = await readWorkbookIsolated(source.file.absolutePath);
    if ('error' in book) return reject(sink, diagnostic('xlsx/unsafe', book.error, { file }));
    const [header, ...body] = book.rows;
    const columns = (header ?? []).map((c) => String(c).trim().toLowerCase());
    const missing = ['check', 'status', 'observed_at'].filter((c) => !columns.includes(c));
    if (missing.length) {
      return reject(
        sink,
        diagnostic('native/invalid-record', `the first row of sheet "${book.sheet}" must name the columns check, status, observed_at (missing: ${missing.join(', ')})`, {
          file,
          place: { cell: `${book.sheet}!A1` },
        }),
      );
    }
    const rows = new RowEmitter(sink, file);
    body.forEach((row, i) => {
      if (row.every((cell) => cell === '')) return;
      const raw = blankToUndefined(Object.fromEntries(columns.map((name, c) => [name, row[c]])));
      rows.push(toCheckRecord(raw, { file, format: 'native-xlsx', place: { cell: `${book.sheet}!A${i + 2}` } }));
    });
    return rows.result();
  },
};

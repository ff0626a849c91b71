/**
 * Reads one untrusted workbook in isolation. Runs in its own worker thread with memory limits and a
 * timeout set by the parent; prototypes are frozen before the xlsx library loads, so a crafted file
 * (CVE-2023-30533 prototype pollution) cannot reach the main process, and only plain rows go back.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

for (const proto of [Object.prototype, Array.prototype, Function.prototype, String.prototype]) Object.freeze(proto);

const { path } = workerData as { path: string };
const data = readFileSync(path);
// The xlsx library spins without end on some damaged archives; fflate throws on them instead.
(await import('fflate')).unzipSync(data);
const XLSX = (await import('xlsx')).default;
const workbook = XLSX.read(data, {
  type: 'buffer',
  cellDates: true,
  cellFormula: false,
  cellHTML: false,
  cellStyles: false,
  bookVBA: false,
});
const sheet = workbook.SheetNames[0];
const rows: unknown[][] =
  sheet === undefined
    ? []
    : XLSX.utils.sheet_to_json<unknown[]>(workbook.Sheets[sheet]!, { header: 1, raw: true, defval: '', blankrows: true });
parentPort!.postMessage({
  sheet: sheet ?? '',
  rows: rows.map((row) => row.map((cell) => (cell instanceof Date ? cell.toISOString() : cell))),
});

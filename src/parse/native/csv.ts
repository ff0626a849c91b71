import { parse } from 'csv-parse';
import { diagnostic } from '../../diagnostics/codes.js';
import { headerColumns, reject, type Parser } from '../parser.js';
import { RowEmitter, toCheckRecord } from './record.js';

const REQUIRED = ['check', 'status', 'observed_at'];

function headerOf(head: string): { columns: string[]; delimiter: string } | undefined {
  for (const delimiter of [',', ';', '\t']) {
    const columns = headerColumns(head, delimiter);
    if (REQUIRED.every((name) => columns.includes(name))) return { columns, delimiter };
  }
  return undefined;
}

export const nativeCsvParser: Parser = {
  name: 'native-csv',
  label: 'legible native check results (CSV)',
  detect(source) {
    if (source.binary) return 0;
    return headerOf(source.head) ? 0.7 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const header = headerOf(source.head);
    if (!header) {
      return reject(sink, diagnostic('native/invalid-record', `the header row must name the columns ${REQUIRED.join(', ')}`, { file, place: { line: 1 } }));
    }
    const rows = new RowEmitter(sink, file);
    const records = source.stream().pipe(
      parse({
        bom: true,
        columns: (names: string[]) => names.map((n) => n.trim().toLowerCase()),
        delimiter: header.delimiter,
        skip_empty_lines: true,
        relax_column_count: true,
        info: true,
      }),
    );
    try {
      for await (const { record, info } of records as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
        rows.push(toCheckRecord(blankToUndefined(record), { file, format: 'native-csv', place: { line: info.lines } }));
      }
    } catch (error) {
      const e = error as { message: string; lines?: number };
      return reject(sink, diagnostic('native/syntax', `invalid CSV: ${e.message.split('\n')[0]}`, { file, ...(e.lines ? { place: { line: e.lines } } : {}) }));
    }
    return rows.result();
  },
};

/** Empty CSV cells mean "not given". */
export function blankToUndefined(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== '' && v !== null && v !== undefined));
}

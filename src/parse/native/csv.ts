import { parse } from 'csv-parse/sync';
import { diagnostic } from '../../diagnostics/codes.js';
import type { CheckRecord, Diagnostic } from '../../model/types.js';
import { rejectWith, type Parser } from '../parser.js';
import { outcomeOf, toCheckRecord } from './record.js';

const REQUIRED = ['check', 'status', 'observed_at'];

function headerOf(head: string): { columns: string[]; delimiter: string } | undefined {
  const firstLine = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  for (const delimiter of [',', ';', '\t']) {
    const columns = firstLine.split(delimiter).map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
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
  async parse(source) {
    const file = source.file.path;
    const text = await source.text();
    const header = headerOf(text.slice(0, 64 * 1024));
    if (!header) {
      return rejectWith(diagnostic('native/invalid-record', `the header row must name the columns ${REQUIRED.join(', ')}`, { file, place: { line: 1 } }));
    }
    let rows: { record: Record<string, string>; info: { lines: number } }[];
    try {
      rows = parse(text, {
        bom: true,
        columns: (names: string[]) => names.map((n) => n.trim().toLowerCase()),
        delimiter: header.delimiter,
        skip_empty_lines: true,
        info: true,
      }) as typeof rows;
    } catch (error) {
      const e = error as { message: string; lines?: number };
      return rejectWith(
        diagnostic('native/syntax', `invalid CSV: ${e.message.replace(/^Invalid Record Length: /, '').split('\n')[0]}`, {
          file,
          ...(e.lines ? { place: { line: e.lines } } : {}),
        }),
      );
    }
    const results: (CheckRecord | Diagnostic)[] = rows.map(({ record, info }) =>
      toCheckRecord(blankToUndefined(record), { file, format: 'native-csv', place: { line: info.lines } }),
    );
    return outcomeOf(results, file);
  },
};

/** Empty CSV cells mean "not given". */
export function blankToUndefined(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== '' && v !== null && v !== undefined));
}

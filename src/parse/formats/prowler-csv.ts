import { parse } from 'csv-parse';
import { diagnostic } from '../../diagnostics/codes.js';
import { headerColumns, reject, type Parser } from '../parser.js';
import { cloudTarget, instant, namedSeverity, recorded, RecordEmitter, text, type RecordFields } from './common.js';
import { complianceControls, complianceFromText, complianceTags, explained, mutedNote, prowlerStatus, resourceOf } from './prowler-common.js';

const FORMAT = 'prowler-csv';

type Row = Record<string, string | undefined>;
interface Layout {
  delimiter: string;
  /** Prowler 2.x (bash): comma-separated, check id inside TITLE_TEXT, no compliance column. */
  legacy: boolean;
  columns: number;
}

/** Prowler 3+ writes `;`-separated CHECK_ID/STATUS columns; Prowler 2 wrote `,`-separated TITLE_ID/CHECK_RESULT. */
function layoutOf(head: string): Layout | undefined {
  const columns = (delimiter: string) => headerColumns(head, delimiter);
  const semicolon = columns(';');
  if (semicolon.includes('check_id') && semicolon.includes('status') && semicolon.includes('severity')) {
    return { delimiter: ';', legacy: false, columns: semicolon.length };
  }
  const comma = columns(',');
  if (comma.includes('title_id') && comma.includes('check_result') && comma.includes('title_text')) {
    return { delimiter: ',', legacy: true, columns: comma.length };
  }
  return undefined;
}

type RowResult = RecordFields | string;

function modernRecord(row: Row, file: string, line: number): RowResult {
  const check = text(row.check_id);
  if (!check) return 'the row has no CHECK_ID';
  const reported = prowlerStatus(row.status);
  if (!reported) return `unknown STATUS ${JSON.stringify(row.status ?? '')}`;
  // Prowler 4+ keeps the status of a finding its mutelist matched and says MUTED=True.
  const muted = reported.status !== 'skip' && /^true$/i.test(row.muted ?? '');
  const compliance = complianceFromText(row.compliance);
  return {
    format: FORMAT,
    file,
    place: { line },
    check: `prowler:${check}`,
    title: text(row.check_title),
    status: muted ? 'skip' : reported.status,
    observedAt: instant(row.timestamp) ?? instant(row.assessment_start_time),
    resource: resourceOf(text(row.resource_uid) ?? text(row.resource_arn) ?? text(row.resource_id) ?? text(row.resource_name), text(row.region) ?? row.location),
    // Prowler 4+ writes ACCOUNT_UID for every provider; Prowler 3 had one column per provider.
    target: cloudTarget(row.provider, text(row.account_uid) ?? text(row.account_id) ?? text(row.subscription) ?? row.project_id, text(row.region) ?? row.location),
    scope: FORMAT,
    severity: namedSeverity(row.severity),
    message: explained(muted ? mutedNote(row.status ?? '') : reported.note, text(row.status_extended)),
    tool: 'prowler',
    toolVersion: recorded(row.prowler_version),
    category: 'compliance',
    tags: complianceTags(compliance),
    controls: complianceControls(compliance, 'Prowler compliance'),
  };
}

function legacyRecord(row: Row, file: string, line: number): RowResult {
  // TITLE_TEXT reads "[check11] Avoid the use of the root account (Scored)"; TITLE_ID is the CIS number.
  const titled = /^\[([\w.-]+)\]\s*(.*)$/.exec(row.title_text?.trim() ?? '');
  const check = titled?.[1] ?? text(row.title_id);
  if (!check) return 'the row has no TITLE_TEXT or TITLE_ID';
  // Prowler 2 printed WARNING both for allowlisted resources and for results it could not settle.
  const status = /^warning$/i.test(row.check_result?.trim() ?? '') ? 'manual' : prowlerStatus(row.check_result)?.status;
  if (!status) return `unknown CHECK_RESULT ${JSON.stringify(row.check_result ?? '')}`;
  const cis = /^level/i.test(row.item_level ?? '') && text(row.title_id);
  return {
    format: FORMAT,
    file,
    place: { line },
    check: `prowler:${check}`,
    title: titled?.[2] || text(row.title_text),
    status,
    observedAt: instant(row.prowler_start_time),
    // Prowler 2 named the resource only in later versions; before that, the account is all there is.
    resource: resourceOf(text(row.check_resource_id) ?? text(row.resource_id) ?? text(row.account_num), row.region),
    // Prowler 2 scanned AWS only.
    target: cloudTarget('aws', row.account_num, row.region),
    scope: FORMAT,
    severity: namedSeverity(row.check_severity),
    message: text(row.check_result_extended),
    tool: 'prowler',
    category: 'compliance',
    tags: cis ? [`CIS ${cis}`] : [],
  };
}

export const prowlerCsvParser: Parser = {
  name: FORMAT,
  label: 'Prowler CSV',
  detect(source) {
    if (source.binary) return 0;
    return layoutOf(source.head) ? 0.95 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const layout = layoutOf(source.head);
    if (!layout) {
      return reject(sink, diagnostic('format/schema', 'the header row names no Prowler columns (CHECK_ID, STATUS, SEVERITY)', { file, place: { line: 1 } }));
    }
    const toRecord = layout.legacy ? legacyRecord : modernRecord;
    const out = new RecordEmitter(sink, file);
    const rows = source.stream().pipe(
      parse({
        bom: true,
        columns: (names: string[]) => names.map((n) => n.trim().toLowerCase()),
        delimiter: layout.delimiter,
        skip_empty_lines: true,
        relax_column_count: true,
        // Prowler 2 wrote text with bare quotes (`The "root" account`) without quoting the field.
        relax_quotes: true,
        info: true,
      }),
    );
    // A row with the wrong number of fields is skipped; if it is the last one, the file was cut short.
    let short: number | undefined;
    try {
      for await (const { record, info } of rows as AsyncIterable<{ record: Row; info: { lines: number; error?: unknown } }>) {
        if (short !== undefined) out.skip(`the row does not have the ${layout.columns} fields the header names`, { line: short });
        short = undefined;
        if (info.error) {
          short = info.lines;
          continue;
        }
        out.push(toRecord(record, file, info.lines), { line: info.lines });
      }
    } catch (error) {
      const e = error as { message: string; lines?: number };
      return reject(sink, diagnostic('format/syntax', `invalid CSV: ${e.message.split('\n')[0]?.replace(/ at line \d+$/, '')}`, { file, ...(e.lines ? { place: { line: e.lines } } : {}) }));
    }
    if (short !== undefined) {
      return reject(sink, diagnostic('format/syntax', 'the CSV ends in the middle of a row (truncated file?)', { file, place: { line: short } }));
    }
    return out.finish();
  },
};

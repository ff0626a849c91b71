import * as XLSX from 'xlsx';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';

/**
 * Writing workbooks with SheetJS Community Edition (xlsx 0.18.5), which writes cells, column widths,
 * an autofilter and document properties, but no frozen panes and no cell styles (both are in SheetJS
 * Pro only: SheetJS issue #1371, and `write_ws_xml_sheetviews` in 0.18.5 always writes a bare
 * `<sheetView workbookViewId="0"/>`). A small post-processing step adds them to the XML SheetJS wrote:
 * a frozen header row (`<pane ySplit="1" state="frozen"/>`), a bold header, wrapped text aligned to
 * the top. Each patch checks that SheetJS wrote exactly what it expects, so a change of SheetJS fails
 * loudly instead of writing a broken workbook. The package is then re-zipped with fixed entry times
 * and sorted entries: the same input gives the same bytes.
 */

export type CellValue = string | number | null;

export interface SheetSpec {
  /** At most 31 characters, none of `[ ] : * ? / \ '`. */
  name: string;
  /** One per column, in order: the header row's text and the column width in characters. */
  columns: { header: string; width: number }[];
  /** Data rows below the header; a row may be shorter than the columns, never longer. */
  rows: CellValue[][];
  /** An autofilter over the table (default true); a cover sheet may turn it off. */
  autofilter?: boolean;
}

export interface WorkbookOptions {
  title: string;
  author: string;
  /** Written as the document's created and modified dates and as every zip entry's time. */
  created: Date;
}

/** Excel's limit for the text of one cell. */
export const CELL_TEXT_LIMIT = 32_767;
const CUT_SUFFIX = ' … (cut at the spreadsheet cell limit of 32,767 characters)';

/** Text that fits a cell: longer text is cut visibly, never silently. */
export function fitCell(text: string): string {
  if (text.length <= CELL_TEXT_LIMIT) return text;
  let cut = text.slice(0, CELL_TEXT_LIMIT - CUT_SUFFIX.length);
  // Do not leave half a surrogate pair behind.
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut}${CUT_SUFFIX}`;
}

const invalidSheetName = /[[\]:*?/\\']/;

function checkSheets(sheets: SheetSpec[]): void {
  if (!sheets.length) throw new Error('a workbook needs at least one sheet');
  const seen = new Set<string>();
  for (const sheet of sheets) {
    const name = sheet.name;
    if (!name || name.length > 31 || invalidSheetName.test(name) || name.trim() !== name) {
      throw new Error(`sheet name "${name}": 1 to 31 characters, no [ ] : * ? / \\ ' and no surrounding spaces`);
    }
    if (seen.has(name.toLowerCase())) throw new Error(`sheet name "${name}" is used twice`);
    seen.add(name.toLowerCase());
    if (!sheet.columns.length) throw new Error(`sheet "${name}" has no columns`);
    sheet.rows.forEach((row, i) => {
      if (row.length > sheet.columns.length) {
        throw new Error(`sheet "${name}", row ${i + 2}: ${row.length} cells for ${sheet.columns.length} columns`);
      }
    });
  }
}

function cellOf(value: CellValue): XLSX.CellObject | undefined {
  if (value === null || value === '') return undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not a finite number: ${value}`);
    return { t: 'n', v: value };
  }
  // Always a string cell: "=1+1", "+31…", "-x", "@x" stay text. SheetJS writes a formula only from `f`.
  return { t: 's', v: fitCell(value) };
}

function worksheetOf(sheet: SheetSpec): XLSX.WorkSheet {
  const ws: XLSX.WorkSheet = {};
  const all: CellValue[][] = [sheet.columns.map((c) => c.header), ...sheet.rows];
  all.forEach((row, r) =>
    row.forEach((value, c) => {
      const cell = cellOf(value);
      if (cell) ws[XLSX.utils.encode_cell({ r, c })] = cell;
    }),
  );
  const range = { s: { r: 0, c: 0 }, e: { r: all.length - 1, c: sheet.columns.length - 1 } };
  ws['!ref'] = XLSX.utils.encode_range(range);
  ws['!cols'] = sheet.columns.map((c) => ({ wch: c.width }));
  if (sheet.autofilter !== false) ws['!autofilter'] = { ref: XLSX.utils.encode_range(range) };
  return ws;
}

/** Replace exactly one occurrence of `from`; anything else means SheetJS wrote something unexpected. */
function replaceOnce(xml: string, from: string, to: string, what: string): string {
  const count = xml.split(from).length - 1;
  if (count !== 1) throw new Error(`xlsx post-processing: expected one ${what}, found ${count}`);
  return xml.replace(from, () => to);
}

const FROZEN_VIEW =
  '<sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
  '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>';

/**
 * Freeze the header row; give header cells style 1 (bold) and every other cell style 2 (wrapped, top),
 * explicitly: some readers ignore the default style 0 for cells without a style.
 */
export function patchSheetXml(xml: string): string {
  const out = replaceOnce(xml, '<sheetView workbookViewId="0"/>', FROZEN_VIEW, 'bare <sheetView> in a worksheet');
  return out.replace(/<c r="([A-Z]+)(\d+)"(?![^>]* s=")/g, (_m, col: string, row: string) => `<c r="${col}${row}" s="${row === '1' ? 1 : 2}"`);
}

const SHEETJS_FONTS = /<fonts count="1"><font>(.*?)<\/font><\/fonts>/s;
const SHEETJS_XFS = '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>';
const ALIGN = '<alignment vertical="top" wrapText="1"/>';

/** Styles 0 and 2: text wrapped and aligned to the top; style 1: the same, bold, for the header row. */
export function patchStyles(xml: string): string {
  const font = SHEETJS_FONTS.exec(xml)?.[1];
  if (font === undefined) throw new Error('xlsx post-processing: expected the single default font of SheetJS');
  let out = xml.replace(SHEETJS_FONTS, `<fonts count="2"><font>${font}</font><font><b/>${font}</font></fonts>`);
  out = replaceOnce(
    out,
    SHEETJS_XFS,
    '<cellXfs count="3">' +
      `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">${ALIGN}</xf>` +
      `<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyAlignment="1">${ALIGN}</xf>` +
      `<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1">${ALIGN}</xf>` +
      '</cellXfs>',
    'default <cellXfs> of SheetJS',
  );
  return out;
}

/**
 * A zip entry time is a DOS date-time with no zone, and fflate fills it from the local-time fields of
 * the Date it is given. To write the same bytes in every time zone, hand it a Date whose local fields
 * are the UTC fields of `when` (clamped to the DOS range, 1980–2107).
 */
function dosTime(when: Date): Date {
  const t = Number.isNaN(when.getTime()) ? 0 : when.getTime();
  const min = Date.UTC(1980, 0, 1);
  const max = Date.UTC(2107, 11, 31, 23, 59, 58);
  const u = new Date(Math.min(Math.max(t, min), max));
  const local = new Date(u.getUTCFullYear(), u.getUTCMonth(), u.getUTCDate(), u.getUTCHours(), u.getUTCMinutes(), u.getUTCSeconds());
  // A local time that does not exist (a daylight-saving gap) shifts; keep the date, at noon.
  if (local.getHours() !== u.getUTCHours() || local.getDate() !== u.getUTCDate()) {
    return new Date(u.getUTCFullYear(), u.getUTCMonth(), u.getUTCDate(), 12, 0, 0);
  }
  return local;
}

/**
 * Zip entries deterministically: sorted by name (`[Content_Types].xml` sorts first, where Office puts
 * it), every entry with the same fixed time, deflated at a fixed level.
 */
export function zipDeterministic(entries: Record<string, Uint8Array>, when: Date): Buffer {
  const mtime = dosTime(when);
  const files: Zippable = {};
  for (const name of Object.keys(entries).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    files[name] = [entries[name]!, { mtime, level: 6 }];
  }
  return Buffer.from(zipSync(files, { mtime, level: 6 }));
}

/** Write sheets as an .xlsx workbook: header row, widths, frozen header, autofilter, fixed properties. */
export function writeWorkbook(sheets: SheetSpec[], options: WorkbookOptions): Buffer {
  checkSheets(sheets);
  const wb: XLSX.WorkBook = {
    SheetNames: sheets.map((s) => s.name),
    Sheets: Object.fromEntries(sheets.map((s) => [s.name, worksheetOf(s)])),
    Props: {
      Title: options.title,
      Author: options.author,
      LastAuthor: options.author,
      CreatedDate: options.created,
      ModifiedDate: options.created,
    },
  };
  const raw = XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', bookSST: true, compression: false }) as Buffer;
  const entries = unzipSync(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
  for (const name of Object.keys(entries)) {
    if (/^xl\/worksheets\/sheet\d+\.xml$/.test(name)) entries[name] = strToU8(patchSheetXml(strFromU8(entries[name]!)));
    else if (name === 'xl/styles.xml') entries[name] = strToU8(patchStyles(strFromU8(entries[name]!)));
  }
  return zipDeterministic(entries, options.created);
}

import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import * as XLSX from 'xlsx';
import { CELL_TEXT_LIMIT, fitCell, patchSheetXml, patchStyles, writeWorkbook, zipDeterministic, type SheetSpec } from './workbook.js';

const created = new Date('2026-11-23T00:00:00Z');
const options = { title: 'Statement of Applicability — Fjordline & Co <AS>', author: 'Fjordline Payments AS', created };

const tricky = ['=1+1', '+4712345678', '-2+3', '@SUM(A1:A2)', '=HYPERLINK("http://x","y")', '\t=cmd|', 'line one\nline two'];
const sheets = (): SheetSpec[] => [
  {
    name: 'Controls',
    columns: [
      { header: 'Control', width: 10 },
      { header: 'Text', width: 40 },
      { header: 'Count', width: 8 },
    ],
    rows: [['A.5.1', 'Policies for information security', 3], ['A.5.2', null, 0], ...tricky.map((t, i) => [`T${i}`, t, i])],
  },
  { name: 'Cover', columns: [{ header: 'Item', width: 20 }, { header: 'Value', width: 60 }], rows: [['Organization', 'Zoë Ødegård AS 陈伟']], autofilter: false },
];

const entriesOf = (buf: Buffer) => unzipSync(new Uint8Array(buf));
const xmlOf = (buf: Buffer, name: string) => strFromU8(entriesOf(buf)[name]!);

describe('writeWorkbook', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('writes header and rows that read back cell for cell', () => {
    const wb = XLSX.read(writeWorkbook(sheets(), options), { type: 'buffer' });
    expect(wb.SheetNames).toEqual(['Controls', 'Cover']);
    const rows = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Controls!, { header: 1, defval: null });
    expect(rows[0]).toEqual(['Control', 'Text', 'Count']);
    expect(rows[1]).toEqual(['A.5.1', 'Policies for information security', 3]);
    expect(rows[2]).toEqual(['A.5.2', null, 0]);
    expect(rows.slice(3).map((r) => r[1])).toEqual(tricky);
    const cover = XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets.Cover!, { header: 1 });
    expect(cover[1]).toEqual(['Organization', 'Zoë Ødegård AS 陈伟']);
  });

  it('keeps text that looks like a formula as a string cell, never a formula', () => {
    const buf = writeWorkbook(sheets(), options);
    const ws = XLSX.read(buf, { type: 'buffer', cellFormula: true }).Sheets.Controls!;
    tricky.forEach((text, i) => {
      const cell = ws[`B${i + 4}`]!;
      expect(cell.t).toBe('s');
      expect(cell.v).toBe(text);
      expect(cell.f).toBeUndefined();
    });
    const sheetXml = xmlOf(buf, 'xl/worksheets/sheet1.xml');
    expect(sheetXml).not.toMatch(/<f[ >]/);
    // Every text cell is a shared-string cell (t="s"), not an inline or formula-result string.
    expect(sheetXml).not.toMatch(/t="(str|inlineStr)"/);
  });

  it('sets column widths, an autofilter over the table and a frozen, bold header row', async () => {
    const buf = writeWorkbook(sheets(), options);
    const wb = XLSX.read(buf, { type: 'buffer', cellStyles: true });
    expect(wb.Sheets.Controls!['!autofilter']).toEqual({ ref: `A1:C${3 + tricky.length}` });
    expect(wb.Sheets.Cover!['!autofilter']).toBeUndefined();
    expect(wb.Sheets.Controls!['!cols']?.map((c) => Math.round(c.wch ?? 0))).toEqual([10, 40, 8]);

    const sheetXml = xmlOf(buf, 'xl/worksheets/sheet1.xml');
    expect(sheetXml).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');

    // An independent reader sees the same.
    const excel = new ExcelJS.Workbook();
    await excel.xlsx.load(buf as unknown as ExcelJS.Buffer);
    const sheet = excel.getWorksheet('Controls')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBe(`A1:C${3 + tricky.length}`);
    expect(sheet.getCell('A1').font?.bold).toBe(true);
    expect(sheet.getCell('A2').font?.bold).toBeFalsy();
    expect(sheet.getCell('B4').alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    expect(Math.floor(sheet.getColumn(2).width ?? 0)).toBe(40);
    expect(excel.getWorksheet('Cover')!.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('writes the document properties given, and nothing dated now', () => {
    const buf = writeWorkbook(sheets(), options);
    const wb = XLSX.read(buf, { type: 'buffer' });
    expect(wb.Props?.Title).toBe(options.title);
    expect(wb.Props?.Author).toBe(options.author);
    expect(wb.Props?.CreatedDate?.toISOString()).toBe(created.toISOString());
    const core = xmlOf(buf, 'docProps/core.xml');
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2026-11-23T00:00:00Z</dcterms:created>');
    expect(core).toContain('<dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-23T00:00:00Z</dcterms:modified>');
    expect(core).toContain('&amp; Co &lt;AS&gt;');
  });

  it('is byte-identical for the same input, in any time zone, with sorted entries and fixed times', () => {
    process.env.TZ = 'UTC';
    const a = writeWorkbook(sheets(), options);
    const b = writeWorkbook(sheets(), options);
    process.env.TZ = 'Pacific/Kiritimati';
    const c = writeWorkbook(sheets(), options);
    process.env.TZ = 'America/Los_Angeles';
    const d = writeWorkbook(sheets(), options);
    expect(b.equals(a)).toBe(true);
    expect(c.equals(a)).toBe(true);
    expect(d.equals(a)).toBe(true);
    expect(writeWorkbook(sheets(), { ...options, created: new Date('2026-11-24T00:00:00Z') }).equals(a)).toBe(false);

    const names = Object.keys(entriesOf(a));
    expect(names[0]).toBe('[Content_Types].xml');
    expect(names).toEqual([...names].sort());
    // Local file headers: DOS time and date at offsets 10 and 12 of each header.
    for (let at = a.indexOf('PK\x03\x04'); at >= 0; at = a.indexOf('PK\x03\x04', at + 4)) {
      const time = a.readUInt16LE(at + 10);
      const date = a.readUInt16LE(at + 12);
      expect([1980 + (date >> 9), (date >> 5) & 15, date & 31, time >> 11, (time >> 5) & 63]).toEqual([2026, 11, 23, 0, 0]);
    }
  });

  it('cuts text over the cell limit visibly', () => {
    const long = 'x'.repeat(CELL_TEXT_LIMIT + 10);
    expect(fitCell(long)).toHaveLength(CELL_TEXT_LIMIT);
    expect(fitCell(long)).toMatch(/cut at the spreadsheet cell limit/);
    expect(fitCell('short')).toBe('short');
    const wb = XLSX.read(writeWorkbook([{ name: 'S', columns: [{ header: 'h', width: 5 }], rows: [[long]] }], options), { type: 'buffer' });
    expect(String(wb.Sheets.S!.A2!.v)).toHaveLength(CELL_TEXT_LIMIT);
  });

  it('rejects bad sheet names and rows wider than the columns', () => {
    const one = (name: string): SheetSpec[] => [{ name, columns: [{ header: 'h', width: 5 }], rows: [] }];
    expect(() => writeWorkbook(one('a/b'), options)).toThrow(/sheet name/);
    expect(() => writeWorkbook(one("O'Brien"), options)).toThrow(/sheet name/);
    expect(() => writeWorkbook(one('x'.repeat(32)), options)).toThrow(/sheet name/);
    expect(() => writeWorkbook([...one('Same'), ...one('same')], options)).toThrow(/twice/);
    expect(() => writeWorkbook([{ name: 'S', columns: [{ header: 'h', width: 5 }], rows: [['a', 'b']] }], options)).toThrow(/2 cells for 1 columns/);
    expect(() => writeWorkbook([{ name: 'S', columns: [{ header: 'h', width: 5 }], rows: [[Number.NaN]] }], options)).toThrow(/finite/);
  });
});

describe('post-processing the XML SheetJS writes', () => {
  it('freezes the header and bolds only the header cells', () => {
    const xml = '<worksheet><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="AB1" t="s"><v>1</v></c></row><row r="2"><c r="A2" t="s"><v>2</v></c></row></sheetData></worksheet>';
    const out = patchSheetXml(xml);
    expect(out).toContain('<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>');
    expect(out).toContain('<c r="A1" s="1" t="s">');
    expect(out).toContain('<c r="AB1" s="1" t="s">');
    expect(out).toContain('<c r="A2" s="2" t="s">');
  });

  it('fails loudly when SheetJS writes something it does not expect', () => {
    expect(() => patchSheetXml('<worksheet><sheetViews><sheetView workbookViewId="0" rightToLeft="1"/></sheetViews></worksheet>')).toThrow(/expected one bare <sheetView>/);
    expect(() => patchStyles('<styleSheet><fonts count="2"><font/><font/></fonts></styleSheet>')).toThrow(/default font/);
  });

  it('zips deterministically whatever the order entries come in', () => {
    const a = zipDeterministic({ 'b.xml': new Uint8Array([1]), 'a.xml': new Uint8Array([2]) }, created);
    const b = zipDeterministic({ 'a.xml': new Uint8Array([2]), 'b.xml': new Uint8Array([1]) }, created);
    expect(a.equals(b)).toBe(true);
    expect(Object.keys(unzipSync(new Uint8Array(a)))).toEqual(['a.xml', 'b.xml']);
  });
});

import { checkRecord, iso, soc2 } from '../../test/helpers/records.js';
import { truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { unzipSync, zipSync } from 'fflate';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/catalog.js';
import { evaluateRecords } from '../../test/helpers/store.js';
import type { CheckRecord, EvidenceRecord, NoteRecord } from '../model/types.js';
import { answerQuestion, builtInQuestions } from './answer.js';
import { FillMapError, InsurerFormError } from './errors.js';
import {
  answerForRow,
  fillInsurerWorkbook,
  loadFillMap,
  MAX_FORM_BYTES,
  parseFillMap,
  readInsurerForm,
  unzipBounded,
  type FillMap,
  type FillRow,
} from './fill.js';
import { tempDir } from '../../test/helpers/temp.js';

const catalog = loadCatalog();
const asOf = '2026-11-23';
const created = new Date(`${asOf}T00:00:00Z`);
const dir = tempDir('legible-fill-');

const check = (over: Partial<CheckRecord>): CheckRecord => checkRecord({ controls: [...iso('A.8.13'), ...soc2('A1.2')], ...over });
const note: NoteRecord = {
  type: 'note',
  format: 'note',
  file: 'notes/mfa.md',
  kind: 'practice',
  title: 'MFA rollout',
  author: 'Zoë Ødegård',
  date: '2026-10-02',
  body: 'Done.',
  rawControls: [],
  controls: [...iso('A.5.17', 'A.8.5'), ...soc2('CC6.1')],
};
const records: EvidenceRecord[] = [check({}), check({ file: 'checks/vpn.json', check: 'vpn.mfa', status: 'fail', resource: 'contractor-gw', controls: [...iso('A.6.7'), ...soc2('CC6.6')] }), note];
const evaluation = await evaluateRecords(records, { catalog, asOf, freshness: { checksDays: 30, notesDays: 365 }, exclusions: new Map() });
const answerFor = (row: FillRow) => answerForRow(row, evaluation);

const mapText = `# Fjord Mutual cyber application, 2027 renewal
sheet: Application
answer: D
justification: E
rows:
  7: I1
  8: { question: I2 }
  9: V1
  12: { controls: [A.8.13, A1.2], question_text: "Backups tested?" }
  14: F1
  40: B1
values: { Yes: "Y", No: "N", Partial: "Partial", "Requires the signer": "" }
`;

/** An insurer's form as carriers send them: styled, merged, validated, with formulas and a second sheet. */
async function insurerForm(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Fjord Mutual Underwriting';
  wb.created = new Date('2026-01-15T09:30:00Z');
  wb.modified = new Date('2026-01-16T10:00:00Z');
  const ws = wb.addWorksheet('Application', { properties: { tabColor: { argb: 'FF1F4E79' } } });
  ws.columns = [{ width: 6 }, { width: 60 }, { width: 4 }, { width: 12 }, { width: 50 }, { width: 10 }];
  ws.mergeCells('A1:E1');
  ws.getCell('A1').value = 'Cyber Insurance Application — Section 3: Security controls';
  ws.getCell('A1').font = { name: 'Arial', size: 14, bold: true, color: { argb: 'FFFFFFFF' } };
  ws.getCell('A1').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F4E79' } };
  ws.getCell('A1').alignment = { horizontal: 'center' };
  const header = ws.getRow(5);
  header.values = ['No.', 'Question', '', 'Answer', 'Comments', 'Score'];
  header.eachCell((cell) => {
    cell.font = { bold: true, name: 'Arial' };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } };
    cell.border = { bottom: { style: 'thin' } };
  });
  const questions: [number, string][] = [
    [7, 'Is MFA enforced for all email access, including webmail?'],
    [8, 'Is MFA required for all remote network access, including vendors?'],
    [9, 'Are critical patches applied within 30 days?'],
    [12, 'Are backups tested?'],
    [14, 'Do you verify funds transfer requests out of band?'],
  ];
  for (const [row, text] of questions) {
    ws.getCell(`A${row}`).value = row - 6;
    ws.getCell(`B${row}`).value = text;
    ws.getCell(`B${row}`).font = { name: 'Arial', italic: row === 12 };
    ws.getCell(`D${row}`).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };
    ws.getCell(`D${row}`).border = { top: { style: 'thin' }, bottom: { style: 'thin' }, left: { style: 'thin' }, right: { style: 'thin' } };
    ws.getCell(`E${row}`).alignment = { wrapText: true, vertical: 'top' };
    ws.getCell(`F${row}`).value = { formula: `IF(D${row}="Y",1,0)`, result: 0 };
  }
  // Row 9's answer is computed by the form itself: legible must not overwrite it.
  ws.getCell('D9').value = { formula: 'IF(F7+F8=2,"Y","N")', result: 'N' };
  for (let row = 7; row <= 20; row++) {
    ws.getCell(`D${row}`).dataValidation = { type: 'list', allowBlank: true, formulae: ['"Y,N,Partial"'], showErrorMessage: true, error: 'Choose Y, N or Partial' };
  }
  ws.mergeCells('B16:E18');
  ws.getCell('B16').value = 'Declaration: the signer confirms that the statements above are true and complete.';
  ws.getCell('B16').font = { name: 'Arial', size: 9, italic: true };
  ws.getCell('B20').value = '=This text starts with an equals sign but is text';
  ws.addConditionalFormatting({ ref: 'F7:F14', rules: [{ type: 'dataBar', priority: 1, cfvo: [{ type: 'min' }, { type: 'max' }] } as unknown as ExcelJS.ConditionalFormattingRule] });
  const notes = wb.addWorksheet('Instructions');
  notes.getCell('A1').value = 'Answer every question. A blank answer is read as No.';
  notes.getCell('A1').font = { name: 'Georgia', size: 12, color: { argb: 'FFC00000' } };
  notes.getColumn(1).width = 80;
  notes.getCell('A3').value = { formula: 'COUNTA(Application!D7:D14)', result: 0 };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function open(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
  return wb;
}

/** Every cell of a sheet (including empty, styled ones): value, style, validation. */
function cellsOf(ws: ExcelJS.Worksheet): Map<string, { value: string; style: string; validation: string }> {
  const cells = new Map<string, { value: string; style: string; validation: string }>();
  ws.eachRow({ includeEmpty: true }, (row) =>
    row.eachCell({ includeEmpty: true }, (cell) => {
      cells.set(cell.address, { value: JSON.stringify(cell.value ?? null), style: JSON.stringify(cell.style ?? {}), validation: JSON.stringify(cell.dataValidation ?? null) });
    }),
  );
  return cells;
}

describe('fillInsurerWorkbook', () => {
  let form: Buffer;
  let map: FillMap;
  beforeAll(async () => {
    form = await insurerForm();
    const mapFile = join(dir, 'fjord-mutual.map.yaml');
    writeFileSync(mapFile, mapText);
    map = await loadFillMap(mapFile);
  });
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  it('writes the answers and justifications the evaluation gives, in the form\'s spelling', async () => {
    const result = await fillInsurerWorkbook(form, map, answerFor, { created, formName: 'fjord-mutual.xlsx' });
    const expected = {
      7: answerQuestion(builtInQuestions().find((q) => q.id === 'I1')!, evaluation),
      8: answerQuestion(builtInQuestions().find((q) => q.id === 'I2')!, evaluation),
      12: answerQuestion({ id: 'row 12', topic: 'Insurer form', question: 'Backups tested?', iso27001: ['A.8.13'], soc2: ['A1.2'] }, evaluation),
      14: answerQuestion(builtInQuestions().find((q) => q.id === 'F1')!, evaluation),
    };
    expect(expected[7].answer).toBe('Yes');
    expect(expected[8].answer).toBe('Partial');
    expect(expected[12].answer).toBe('Yes');
    expect(expected[14].answer).toBe('Requires the signer');
    const spelled = { Yes: 'Y', No: 'N', Partial: 'Partial', 'Requires the signer': '' } as const;
    expect(result.filled).toEqual(
      Object.entries(expected).map(([row, a]) => ({ row: Number(row), question: a.id, answer: a.answer, cell: `D${row}`, written: spelled[a.answer] })),
    );

    const ws = (await open(result.workbook)).getWorksheet('Application')!;
    for (const [row, a] of Object.entries(expected)) {
      expect(ws.getCell(`D${row}`).value).toBe(spelled[a.answer] || null);
      expect(ws.getCell(`E${row}`).value).toBe(a.justification);
    }
    // A justification that starts like a formula stays text.
    expect(ws.getCell('B20').value).toBe('=This text starts with an equals sign but is text');
    expect(ws.getCell('B20').type).toBe(ExcelJS.ValueType.String);
  });

  it('reports rows it could not fill instead of skipping them silently', async () => {
    const { problems, filled } = await fillInsurerWorkbook(form, map, answerFor, { created, formName: 'fjord-mutual.xlsx' });
    expect(filled.map((f) => f.row)).not.toContain(9);
    expect(filled.map((f) => f.row)).not.toContain(40);
    expect(problems).toContainEqual(expect.stringMatching(/^row 9 \(.*fjord-mutual\.map\.yaml:8\): answer cell D9 holds a formula \(=IF\(F7\+F8=2,"Y","N"\)\); it was not overwritten$/));
    expect(problems).toContainEqual(expect.stringMatching(/^row 40 \(.*:11\): sheet "Application" has no row 40 \(its last row is 20\); nothing was written$/));
    // exceljs keeps the data bar but drops its Excel 2010 extension: said, not hidden.
    expect(problems).toContain(
      'fjord-mutual.xlsx: sheet content the workbook library does not keep was left out of the filled copy (x14:cfRule, x14:cfvo, x14:conditionalFormatting, x14:conditionalFormattings, x14:dataBar, xm:sqref); compare with the original before sending',
    );
    expect(problems).toHaveLength(3);
    const ws = (await open((await fillInsurerWorkbook(form, map, answerFor, { created })).workbook)).getWorksheet('Application')!;
    expect(ws.getCell('D9').formula).toBe('IF(F7+F8=2,"Y","N")');
    expect(ws.getCell('E9').value).toBeNull();
  });

  it('reports answers outside the form\'s choices, merged targets, replaced values and parts it cannot keep', async () => {
    const entries = unzipSync(new Uint8Array(form));
    entries['xl/charts/chart1.xml'] = new TextEncoder().encode('<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart"/>');
    const withChart = Buffer.from(zipSync(entries));
    const prefilled = await open(form);
    prefilled.getWorksheet('Application')!.getCell('D8').value = 'Select…';
    const loose = parseFillMap('sheet: Application\nanswer: D\nrows:\n  7: I1\n  16: I3\n', 'loose.yaml', catalog);
    const { problems, filled } = await fillInsurerWorkbook(withChart, loose, answerFor, { created, formName: 'form.xlsx' });
    expect(filled.map((f) => [f.row, f.written])).toEqual([[7, 'Yes']]);
    expect(problems).toEqual([
      'row 7 (loose.yaml:4): answer cell D7 accepts "Y", "N", "Partial", but the answer is "Yes"; it was written as is (map the form\'s spelling with values: in loose.yaml)',
      'row 16 (loose.yaml:5): answer cell D16 is inside the merged cell starting at B16; it was not written',
      'form.xlsx: parts the workbook library does not keep were left out of the filled copy: xl/charts/chart#.xml; compare with the original before sending',
      expect.stringMatching(/^form\.xlsx: sheet content the workbook library does not keep .*x14:dataBar/),
    ]);
    const replaced = await fillInsurerWorkbook(Buffer.from(await prefilled.xlsx.writeBuffer()), map, answerFor, { created });
    expect(replaced.problems).toContainEqual(expect.stringMatching(/^row 8 \(.*:7\): answer cell D8 held "Select…", now "Partial"$/));
  });

  it('keeps every other cell, style, merge, validation, formula and sheet as it was', async () => {
    const { workbook } = await fillInsurerWorkbook(form, map, answerFor, { created });
    const before = await open(form);
    const after = await open(workbook);
    expect(after.worksheets.map((w) => w.name)).toEqual(['Application', 'Instructions']);
    const targets = new Set(['D7', 'E7', 'D8', 'E8', 'D12', 'E12', 'D14', 'E14']);
    for (const name of ['Application', 'Instructions']) {
      const a = cellsOf(before.getWorksheet(name)!);
      const b = cellsOf(after.getWorksheet(name)!);
      expect([...b.keys()].filter((k) => !a.has(k) && !targets.has(k))).toEqual([]);
      for (const [address, cell] of a) {
        const now = b.get(address);
        expect(now, `${name}!${address}`).toBeDefined();
        expect(now!.style, `${name}!${address} style`).toBe(cell.style);
        expect(now!.validation, `${name}!${address} validation`).toBe(cell.validation);
        if (name !== 'Application' || !targets.has(address)) expect(now!.value, `${name}!${address} value`).toBe(cell.value);
      }
      const wsBefore = before.getWorksheet(name)!;
      const wsAfter = after.getWorksheet(name)!;
      expect(wsAfter.model.merges).toEqual(wsBefore.model.merges);
      expect(wsAfter.columns.map((c) => c.width)).toEqual(wsBefore.columns.map((c) => c.width));
    }
    const app = after.getWorksheet('Application')!;
    expect(app.model.merges.sort()).toEqual(['A1:E1', 'B16:E18']);
    expect(app.getCell('D7').dataValidation).toMatchObject({ type: 'list', formulae: ['"Y,N,Partial"'] });
    expect(app.getCell('F7').formula).toBe('IF(D7="Y",1,0)');
    expect(app.getCell('A1').font).toMatchObject({ name: 'Arial', size: 14, bold: true });
    expect(app.properties.tabColor).toEqual({ argb: 'FF1F4E79' });
    expect(after.getWorksheet('Instructions')!.getCell('A3').formula).toBe('COUNTA(Application!D7:D14)');
    expect(after.creator).toBe('Fjord Mutual Underwriting');
    expect(after.created.toISOString()).toBe('2026-01-15T09:30:00.000Z');
    expect(after.modified.toISOString()).toBe(created.toISOString());
  });

  it('gives the same bytes for the same inputs, in any time zone', async () => {
    process.env.TZ = 'UTC';
    const a = (await fillInsurerWorkbook(form, map, answerFor, { created })).workbook;
    process.env.TZ = 'Asia/Kolkata';
    const b = (await fillInsurerWorkbook(form, map, answerFor, { created })).workbook;
    expect(b.equals(a)).toBe(true);
    const names = Object.keys(unzipSync(new Uint8Array(a)));
    expect(names).toEqual([...names].sort());
    expect(names[0]).toBe('[Content_Types].xml');
    expect(names.filter((n) => n.endsWith('/'))).toEqual([]);
    // Every entry carries the as-of time (DOS date and time at offsets 12 and 10 of each local header).
    for (let at = a.indexOf('PK\x03\x04'); at >= 0; at = a.indexOf('PK\x03\x04', at + 4)) {
      expect([a.readUInt16LE(at + 12), a.readUInt16LE(at + 10)]).toEqual([((2026 - 1980) << 9) | (11 << 5) | 23, 0]);
    }
  });

  it('refuses a sheet the form does not have, naming the file', async () => {
    await expect(fillInsurerWorkbook(form, { ...map, sheet: 'Section 3' }, answerFor, { created, formName: '/tmp/fjord-mutual.xlsx' })).rejects.toThrow(
      new InsurerFormError('fjord-mutual.xlsx: no sheet "Section 3" (named in ' + map.file + '); its sheets are "Application", "Instructions"'),
    );
  });

  it('treats the form as untrusted: size cap, not a workbook, inflating past its declared size', async () => {
    await expect(fillInsurerWorkbook(Buffer.alloc(MAX_FORM_BYTES + 1), map, answerFor, { created, formName: 'big.xlsx' })).rejects.toThrow(/big\.xlsx: 10485761 bytes; an insurer's form is read only up to/);
    await expect(fillInsurerWorkbook(Buffer.from('PK\x03\x04 not really a zip'), map, answerFor, { created, formName: 'bad.xlsx' })).rejects.toThrow(/^bad\.xlsx: not a readable \.xlsx workbook: /);
    const notXlsx = Buffer.from(zipSync({ 'hello.txt': new Uint8Array([104, 105]) }));
    await expect(fillInsurerWorkbook(notXlsx, map, answerFor, { created, formName: 'hello.zip' })).rejects.toThrow(/hello\.zip: not a readable \.xlsx workbook: no xl\/workbook\.xml/);

    // An entry that declares 1 KB but inflates to 20 MB is stopped while inflating.
    const bomb = Buffer.from(zipSync({ 'xl/workbook.xml': new Uint8Array(20 * 1024 * 1024) }, { level: 9 }));
    const cd = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt32LE(1024, cd + 24);
    expect(() => unzipBounded(new Uint8Array(bomb))).toThrow(/inflates to more than the 1024 bytes it declares/);
    await expect(fillInsurerWorkbook(bomb, map, answerFor, { created, formName: 'bomb.xlsx' })).rejects.toThrow(/^bomb\.xlsx: not a readable/);
    // Declared sizes over the cap are refused before anything is inflated.
    expect(() => unzipBounded(new Uint8Array(form), { bytes: 1000, entries: 100 })).toThrow(/expands to more than 1000 bytes/);
    expect(() => unzipBounded(new Uint8Array(form), { bytes: 1e9, entries: 2 })).toThrow(/entries; at most 2/);
  });

  it('reads a form from disk only under the size cap', async () => {
    const big = join(dir, 'huge.xlsx');
    writeFileSync(big, '');
    truncateSync(big, MAX_FORM_BYTES + 1);
    await expect(readInsurerForm(big)).rejects.toThrow(new RegExp(`${big.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: 10485761 bytes`));
    await expect(readInsurerForm(join(dir, 'missing.xlsx'))).rejects.toThrow(/missing\.xlsx: cannot read the insurer's form/);
    const ok = join(dir, 'form.xlsx');
    writeFileSync(ok, form);
    expect((await readInsurerForm(ok)).equals(form)).toBe(true);
  });
});

describe('fill maps', () => {
  const problemsOf = (text: string) => {
    try {
      parseFillMap(text, 'insurer.map.yaml', catalog);
    } catch (error) {
      if (error instanceof FillMapError) return error.problems;
      throw error;
    }
    throw new Error('expected a FillMapError');
  };

  it('reads rows, controls and the form\'s spelling of answers', () => {
    const map = parseFillMap(mapText, 'm.yaml', catalog);
    expect(map.sheet).toBe('Application');
    expect(map.answer).toBe('D');
    expect(map.justification).toBe('E');
    expect(map.rows).toEqual([
      { row: 7, line: 6, question: 'I1' },
      { row: 8, line: 7, question: 'I2' },
      { row: 9, line: 8, question: 'V1' },
      {
        row: 12,
        line: 9,
        controls: [
          { framework: 'iso27001-2022', id: 'A.8.13' },
          { framework: 'soc2-2017', id: 'A1.2' },
        ],
        questionText: 'Backups tested?',
      },
      { row: 14, line: 10, question: 'F1' },
      { row: 40, line: 11, question: 'B1' },
    ]);
    expect(map.values).toEqual({ Yes: 'Y', No: 'N', Partial: 'Partial', 'Requires the signer': '' });
    // Lower-case column letters and question ids, 2013 control ids.
    const loose = parseFillMap('sheet: S\nanswer: d\nrows:\n  3: i1\n  4: { controls: [A.12.3.1], population: all databases }\n', 'm.yaml', catalog);
    expect(loose.answer).toBe('D');
    expect(loose.rows[0]!.question).toBe('I1');
    expect(loose.rows[1]).toMatchObject({ controls: [{ framework: 'iso27001-2022', id: 'A.8.13' }], population: 'all databases' });
  });

  it('answers a controls row like answerQuestion with those controls', () => {
    const row: FillRow = { row: 12, controls: [{ framework: 'iso27001-2022', id: 'A.8.13' }, { framework: 'soc2-2017', id: 'A1.2' }], questionText: 'Backups tested?' };
    expect(answerForRow(row, evaluation)).toEqual(
      answerQuestion({ id: 'row 12', topic: 'Insurer form', question: 'Backups tested?', iso27001: ['A.8.13'], soc2: ['A1.2'] }, evaluation),
    );
    expect(answerForRow({ row: 3, question: 'I1' }, evaluation)).toEqual(answerQuestion(builtInQuestions()[0]!, evaluation));
  });

  it('locates every problem by line, all in one run', () => {
    const problems = problemsOf(`sheet: Application
answer: D
justification: 5
rows:
  7: I9
  8: { controls: [A.8.13, A.8.35] }
  9: { question: I2, controls: [A.5.1] }
  x: I1
  10: { question: I3, colour: red }
  11: { controls: [] }
`);
    expect(problems).toEqual([
      { file: 'insurer.map.yaml', line: 3, message: 'justification: expected a column letter such as D' },
      { file: 'insurer.map.yaml', line: 5, message: expect.stringMatching(/^rows\.7: unknown question I9; the built-in questions are I1, I2, .*G1$/) },
      { file: 'insurer.map.yaml', line: 6, message: 'rows.8.controls: A.8.35: no such control; did you mean A.8.34 or A.8.33?' },
      { file: 'insurer.map.yaml', line: 7, message: 'rows.9: give either question (a built-in question id) or controls (a list of control ids)' },
      { file: 'insurer.map.yaml', line: 8, message: `rows: "x" is not a row number (1 to 1048576)` },
      { file: 'insurer.map.yaml', line: 9, message: 'rows.10: unknown key "colour" (question, controls, question_text, population)' },
      { file: 'insurer.map.yaml', line: 10, message: 'rows.11.controls: expected a list of control ids such as [A.8.13, A1.2]' },
    ]);
  });

  it('says which required key is missing, and where', () => {
    expect(problemsOf('answer: D\nrows:\n  7: I1\n')).toEqual([{ file: 'insurer.map.yaml', line: 1, message: 'sheet: required: the name of the sheet to fill' }]);
    expect(problemsOf('sheet: S\nrows:\n  7: I1\n')).toEqual([{ file: 'insurer.map.yaml', line: 1, message: 'answer: required: a column letter such as D' }]);
    expect(problemsOf('sheet: S\nanswer: D4\nrows:\n  7: I1\n')).toEqual([{ file: 'insurer.map.yaml', line: 2, message: 'answer: expected a column letter such as D' }]);
    expect(problemsOf('sheet: S\nanswer: ZZZZ\nrows:\n  7: I1\n')[0]!.message).toBe('answer: expected a column letter such as D');
    expect(problemsOf('sheet: S\nanswer: XFE\nrows:\n  7: I1\n')[0]!.message).toBe('answer: beyond the last column of a worksheet (XFD)');
    expect(problemsOf('sheet: S\nanswer: D\njustification: D\nrows:\n  7: I1\n')).toEqual([{ file: 'insurer.map.yaml', line: 3, message: 'justification: column D is also the answer column' }]);
    expect(problemsOf('sheet: S\nanswer: D\nrows:\n  7: I1\nvalues: { Maybe: M }\n')[0]).toMatchObject({ line: 5, message: expect.stringMatching(/^values: Unrecognized key/) });
    expect(problemsOf('sheet: S\nanswer: D\nrows: {}\n')).toEqual([{ file: 'insurer.map.yaml', line: 3, message: 'rows: no rows to fill' }]);
    expect(problemsOf('sheet: [S\n')[0]).toMatchObject({ file: 'insurer.map.yaml', message: expect.stringMatching(/^YAML syntax/) });
  });

  it('names the file it cannot read', async () => {
    await expect(loadFillMap(join(dir, 'nope.yaml'))).rejects.toThrow(/nope\.yaml: cannot read the fill map/);
  });
});

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import * as XLSX from 'xlsx';
import { beforeAll, describe, expect, it } from 'vitest';
import { legible, scratchCopy } from '../helpers/cli.js';

interface ManifestControl {
  framework: string;
  id: string;
  status: string;
}
let dir: string;
let controls: ManifestControl[];
const rows = (file: string, sheet: string) => {
  const book = XLSX.read(readFileSync(join(dir, 'out', file)), { type: 'buffer' });
  return XLSX.utils.sheet_to_json<Record<string, unknown>>(book.Sheets[sheet]!, { defval: null });
};
const label: Record<string, string> = { effective: 'Effective', deficient: 'Deficient', stale: 'Stale', 'no-evidence': 'No evidence', 'not-applicable': 'Not applicable' };

beforeAll(async () => {
  dir = scratchCopy('e2e');
  const r = await legible(['build', '--as-of', '2026-11-23', '--quiet'], dir);
  expect(r.code, r.stderr).toBe(0);
  controls = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8')).controls;
});

describe('workbooks read back with the xlsx library', () => {
  it('the Statement of Applicability has all 93 Annex A controls, with the evaluated status of each', () => {
    const soa = rows('statement-of-applicability.xlsx', 'Statement of Applicability');
    expect(soa).toHaveLength(93);
    expect(soa[0]!.Control).toBe('A.5.1');
    expect(soa.at(-1)!.Control).toBe('A.8.34');
    for (const row of soa) {
      const c = controls.find((x) => x.framework === 'iso27001-2022' && x.id === row.Control)!;
      expect(row['Implementation status'], String(row.Control)).toBe(label[c.status]);
      expect(row.Applicable).toBe(c.status === 'not-applicable' ? 'No' : 'Yes');
    }
    expect(soa.find((r) => r.Control === 'A.7.5')!['Justification for exclusion']).toMatch(/No own premises/);
  });

  it('the evidence index lists every input, accepted or not', () => {
    const index = rows('evidence-index.xlsx', 'Evidence index');
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8'));
    expect(index).toHaveLength(manifest.inputs.length);
    expect(index.map((r) => Object.values(r)[0]).sort()).toEqual(manifest.inputs.map((i: { path: string }) => i.path).sort());
  });

  it('every questionnaire answer matches the evaluation: Yes only when each mapped control is effective', () => {
    const answers = rows('insurance-questionnaire.xlsx', 'Answers');
    expect(answers.length).toBeGreaterThanOrEqual(20);
    // A question that selects its evidence is judged on it (test/e2e/questionnaire.test.ts); the others on their controls.
    const selecting = new Set(rows('insurance-questionnaire.xlsx', 'Method').map((r) => /^(\S+) selects$/.exec(String(r.Item))?.[1]));
    expect(selecting.has('I1')).toBe(true);
    let yes = 0;
    for (const a of answers) {
      const cited = String(a.Controls ?? '')
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split(' — ') as [string, string]);
      for (const [id, status] of cited) {
        const c = controls.find((x) => x.id === id)!;
        expect(status, `${a.ID} ${id}`).toBe(label[c.status]);
      }
      const considered = cited.filter(([, status]) => status !== 'Not applicable');
      if (selecting.has(String(a.ID))) continue;
      if (a.Answer === 'Yes') {
        yes++;
        expect(considered.length).toBeGreaterThan(0);
        expect(considered.every(([, status]) => status === 'Effective'), String(a.ID)).toBe(true);
      } else if (considered.length && considered.every(([, status]) => status === 'Effective')) {
        throw new Error(`${a.ID} should be Yes`);
      }
    }
    expect(yes).toBeGreaterThan(0);
  });
});

describe('legible questionnaire fill', () => {
  it("fills an insurer's workbook and keeps everything else as it was", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Application');
    sheet.getCell('A1').value = 'Cyber application 2027';
    sheet.getCell('A1').font = { bold: true, size: 16 };
    sheet.mergeCells('A1:E1');
    sheet.getCell('B5').value = 'Is MFA enforced for all remote access?';
    sheet.getCell('B6').value = 'Are backups tested by restoring them?';
    sheet.getCell('B7').value = 'Do you verify funds transfers out of band?';
    sheet.getCell('D5').fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFFF00' } };
    book.addWorksheet('Notes').getCell('A1').value = 'Keep me';
    writeFileSync(join(dir, 'form.xlsx'), Buffer.from(await book.xlsx.writeBuffer()));
    writeFileSync(join(dir, 'map.yaml'), ['sheet: Application', 'answer: D', 'justification: E', 'rows:', '  5: I2', '  6: { controls: [A.8.13, A1.2] }', '  7: F1', ''].join('\n'));

    const r = await legible(['questionnaire', 'fill', '--form', 'form.xlsx', '--map', 'map.yaml', '--as-of', '2026-11-23'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/filled 3 rows/);
    const filled = new ExcelJS.Workbook();
    await filled.xlsx.load(readFileSync(join(dir, 'out', 'form-filled.xlsx')) as unknown as ExcelJS.Buffer);
    const app = filled.getWorksheet('Application')!;
    expect(app.getCell('D5').value).toBe('Partial');
    // The fixture's MFA check is of an AWS user, which is not remote network access.
    expect(String(app.getCell('E5').value)).toMatch(/Secure authentication \(A\.8\.5\): none of its evidence concerns this question\./);
    expect(app.getCell('D7').value).toBe('Requires the signer');
    expect(app.getCell('A1').value).toBe('Cyber application 2027');
    expect(app.getCell('A1').font?.bold).toBe(true);
    expect(app.getCell('D5').fill).toMatchObject({ pattern: 'solid' });
    expect(filled.getWorksheet('Notes')!.getCell('A1').value).toBe('Keep me');
  });

  it('a map naming an unknown question is an error naming the file and line', async () => {
    writeFileSync(join(dir, 'bad-map.yaml'), 'sheet: Application\nanswer: D\nrows:\n  5: Z9\n');
    const r = await legible(['questionnaire', 'fill', '--form', 'form.xlsx', '--map', 'bad-map.yaml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad-map\.yaml:4: error .*Z9/);
  });
});

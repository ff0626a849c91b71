import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
import { collectedFrom } from '../../../test/helpers/source.js';
import { parseFile } from '../parse-file.js';
import { readWorkbookIsolated } from './xlsx.js';

function workbook(rows: unknown[][]): Buffer {
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet(rows), 'Results');
  return XLSX.write(book, { type: 'buffer', bookType: 'xlsx' }) as Buffer;
}

describe('untrusted workbooks are read in isolation', () => {
  it('reads native rows with their cell as the place', async () => {
    const parsed = await parseFile(
      collectedFrom('checks/x.xlsx', workbook([['check', 'status', 'observed_at', 'controls'], ['mfa', 'pass', '2026-11-01T00:00:00Z', 'A.8.5;CC6.1'], ['mfa', 'bogus', '2026-11-01', '']])),
    );
    expect(parsed).toMatchObject({ format: 'native-xlsx', accepted: true, invalidRecords: 1 });
    expect(parsed.records[0]).toMatchObject({ check: 'mfa', rawControls: ['A.8.5', 'CC6.1'], place: { cell: 'Results!A2' } });
    expect(parsed.diagnostics[0]).toMatchObject({ code: 'native/invalid-record', place: { cell: 'Results!A3' } });
  });

  it('reads the optional target column', async () => {
    const parsed = await parseFile(collectedFrom('checks/t.xlsx', workbook([['check', 'status', 'observed_at', 'target'], ['mfa', 'pass', '2026-11-01T00:00:00Z', 'okta tenant acme']])));
    expect(parsed.records[0]).toMatchObject({ target: 'okta tenant acme', scope: 'native-xlsx' });
  });

  it('a __proto__ column cannot pollute the main process', async () => {
    const parsed = await parseFile(
      collectedFrom('checks/p.xlsx', workbook([['check', 'status', 'observed_at', '__proto__', 'constructor'], ['x', 'pass', '2026-11-01', 'polluted', 'polluted']])),
    );
    expect(parsed.accepted).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(parsed.records[0])).toBe(Object.prototype);
  });

  it('a corrupt zip is rejected with a reason, and the process lives on', async () => {
    const parsed = await parseFile(collectedFrom('checks/broken.xlsx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(200, 7)])));
    expect(parsed.accepted).toBe(false);
    expect(parsed.diagnostics[0]?.code).toBe('xlsx/unsafe');
    expect(parsed.reason).toMatch(/not a readable workbook|unexpected answer/);
  });

  it('a workbook cut short is rejected at once (the xlsx library alone would spin until the time limit)', async () => {
    const whole = workbook([['check', 'status', 'observed_at'], ['mfa', 'pass', '2026-11-01']]);
    for (const length of [100, Math.floor(whole.length / 2), whole.length - 10]) {
      const parsed = await parseFile(collectedFrom('checks/cut.xlsx', whole.subarray(0, length)));
      expect(parsed).toMatchObject({ accepted: false, reason: expect.stringMatching(/^not a readable workbook \(.*zip/) });
    }
    expect((await parseFile(collectedFrom('checks/whole.xlsx', whole))).accepted).toBe(true);
  });

  it('a workbook that takes too long is stopped at the time limit', async () => {
    const big = collectedFrom('checks/big.xlsx', workbook(Array.from({ length: 20_000 }, (_, i) => [`c${i}`, 'pass', '2026-11-01'])));
    const result = await readWorkbookIsolated(big.file.absolutePath, { timeoutMs: 1, maxOldGenerationSizeMb: 512 });
    expect(result).toEqual({ error: 'reading the workbook took longer than 0.001 s and was stopped' });
  });

  it('a workbook that needs too much memory is stopped at the memory limit', async () => {
    const big = collectedFrom('checks/huge.xlsx', workbook(Array.from({ length: 60_000 }, (_, i) => [`check-${i}`, 'pass', '2026-11-01', 'x'.repeat(100)])));
    const result = await readWorkbookIsolated(big.file.absolutePath, { timeoutMs: 60_000, maxOldGenerationSizeMb: 4 });
    expect(result).toEqual({ error: 'reading the workbook needed more than 4 MB and was stopped' });
  });
});

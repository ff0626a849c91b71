import { describe, expect, it } from 'vitest';
import { cadenceWindows, csvLine, placeText, PopulationHash, SampleDraw, sampleKey, suggestedSampleSize, WindowCount, type Occurrence } from './populations.js';

const row = (i: number): Occurrence => ({ at: `2026-06-${String(1 + (i % 28)).padStart(2, '0')}T06:00:00.000Z`, kind: 'check observation', check: 'backup.copy', resource: `db-${i}`, status: 'pass', file: 'checks/b.jsonl', sha256: 'ab', place: `line ${i + 1}` });
const rows = Array.from({ length: 300 }, (_, i) => row(i));

describe('a reproducible sample', () => {
  const draw = (seed: string, size: number, from = rows) => {
    const d = new SampleDraw(seed, size);
    for (const r of from) d.add(r);
    return d.rows();
  };
  it('is the rows with the smallest keys for the seed: the same seed gives the same rows in any order, another seed others', () => {
    const first = draw('2026', 25);
    expect(first).toHaveLength(25);
    expect(draw('2026', 25, [...rows].reverse())).toEqual(first);
    expect(first.map((r) => r.key)).toEqual([...first.map((r) => r.key)].sort());
    expect(first.every((r) => rows.includes(r.row))).toBe(true);
    expect(draw('2027', 25).map((r) => r.row)).not.toEqual(first.map((r) => r.row));
    expect(first[0]!.key).toBe(sampleKey('2026', first[0]!.row));
  });
  it('a smaller sample is the start of a larger one', () => {
    expect(draw('7', 5)).toEqual(draw('7', 25).slice(0, 5));
  });
  it('hashes the population in order', () => {
    const a = new PopulationHash();
    const b = new PopulationHash();
    rows.forEach((r) => a.add(r));
    [...rows].reverse().forEach((r) => b.add(r));
    expect(a.size).toBe(300);
    expect(a.digest()).not.toBe(b.digest());
  });
});

describe('the suggested sample size (one firm\'s table)', () => {
  it.each([
    [0, 0],
    [3, 3],
    [5, 5],
    [6, 5],
    [50, 5],
    [51, 6],
    [250, 25],
    [251, 25],
    [1_000_000, 25],
  ])('population %i: %i', (population, size) => {
    expect(suggestedSampleSize(population)).toBe(size);
  });
});

describe('a periodic control\'s windows', () => {
  it('steps the cadence from the period\'s start, the last window cut at its end, and counts what fell in each', () => {
    const windows = cadenceWindows({ from: '2026-01-01', to: '2026-06-30' }, 90);
    expect(windows).toEqual([
      { from: '2026-01-01', to: '2026-03-31' },
      { from: '2026-04-01', to: '2026-06-29' },
      { from: '2026-06-30', to: '2026-06-30' },
    ]);
    const counts = new WindowCount(windows);
    for (const at of ['2026-02-10', '2026-02-20', '2026-05-01']) counts.add({ ...row(0), at: `${at}T00:00:00.000Z` });
    expect(counts.counts).toEqual([2, 1, 0]);
    expect([counts.covered(), counts.due(90)]).toEqual([2, 2]);
  });
});

describe('rows as the auditor reads them', () => {
  it('quotes CSV fields that need it and names places', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'two\nlines'])).toBe('a,"b,c","say ""hi""","two\nlines"\r\n');
    expect([placeText({ line: 3 }), placeText({ pointer: '/runs/0/results/2' }), placeText({ cell: 'Findings!C7' }), placeText(undefined)]).toEqual(['line 3', '#/runs/0/results/2', 'Findings!C7', '']);
  });
});

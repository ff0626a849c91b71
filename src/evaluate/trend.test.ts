import { describe, expect, it } from 'vitest';
import { monthEnds } from './trend.js';

describe('the days a trend is taken on', () => {
  it.each([
    [{ from: '2026-01-01', to: '2026-06-30' }, ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30']],
    [{ from: '2026-05-15', to: '2026-08-10' }, ['2026-05-31', '2026-06-30', '2026-07-31', '2026-08-10']],
    [{ from: '2026-11-20', to: '2027-01-31' }, ['2026-11-30', '2026-12-31', '2027-01-31']],
    [{ from: '2026-03-03', to: '2026-03-20' }, ['2026-03-20']],
  ])('%j', (period, expected) => {
    expect(monthEnds(period)).toEqual(expected);
  });
});

import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/catalog.js';
import type { ControlEvaluation, ControlStatus, Evaluation } from '../model/evaluation.js';
import { monthEnds, trendPoint } from './trend.js';

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

describe('a point of the trend', () => {
  const catalog = loadCatalog();
  const control = (framework: ControlEvaluation['framework'], id: string, status: ControlStatus) => ({ framework, id, status }) as ControlEvaluation;
  const counts = (c: { withinSla: number; breached: number }) => ({ opened: 0, resolved: c.withinSla, withinSla: c.withinSla, breached: c.breached, open: 0 });
  const evaluation = {
    asOf: '2026-05-31',
    controls: [control('iso27001-2022', '9.2', 'effective'), control('iso27001-2022', 'A.8.13', 'effective'), control('iso27001-2022', 'A.8.8', 'deficient'), control('soc2-2017', 'CC6.1', 'stale')],
    findings: { failingBySeverity: { critical: 1, high: 0, medium: 2, low: 0, info: 0, unrated: 3 } },
    remediation: { bySeverity: { critical: counts({ withinSla: 1, breached: 2 }), high: counts({ withinSla: 3, breached: 0 }), medium: counts({ withinSla: 0, breached: 0 }), low: counts({ withinSla: 0, breached: 1 }) } },
  } as unknown as Evaluation;

  it('counts controls per framework and Annex A apart, failing findings, and fixes within the SLA of those due', () => {
    const point = trendPoint(evaluation, catalog);
    expect(point.controls['iso27001-2022']).toMatchObject({ effective: 2, deficient: 1 });
    expect(point.controls['soc2-2017']).toMatchObject({ stale: 1 });
    expect(point.annexA).toEqual({ effective: 1, deficient: 1, stale: 0, 'no-evidence': 0, 'not-applicable': 0 });
    expect(point.failingBySeverity.unrated).toBe(3);
    expect(point.remediation).toEqual({ withinSla: 4, due: 7 });
  });
});

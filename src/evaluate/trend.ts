/** The posture over time: the days a trend is taken on, and what one point holds. */
import type { Catalog } from '../catalog/catalog.js';
import type { Period } from '../config/load.js';
import { countByStatus, fixedWithinDeadline, type Evaluation, type TrendPoint } from '../model/evaluation.js';
import { addDays } from './dates.js';

/** The last day of each month that ends inside the period, and the period's last day. */
export function monthEnds(period: Period): string[] {
  const ends: string[] = [];
  let month = period.from.slice(0, 7);
  for (;;) {
    const [year, m] = month.split('-').map(Number) as [number, number];
    const next = m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
    const end = addDays(`${next}-01`, -1);
    if (end >= period.to) break;
    if (end >= period.from) ends.push(end);
    month = next;
  }
  ends.push(period.to);
  return ends;
}

/** One point of the trend, from a point-in-time evaluation. */
export function trendPoint(evaluation: Evaluation, catalog: Catalog): TrendPoint {
  const frameworks = [...new Set(evaluation.controls.map((c) => c.framework))];
  return {
    asOf: evaluation.asOf,
    controls: Object.fromEntries(frameworks.map((f) => [f, countByStatus(evaluation.controls.filter((c) => c.framework === f))])) as TrendPoint['controls'],
    annexA: countByStatus(evaluation.controls.filter((c) => catalog.control(c)?.kind === 'annex-a')),
    failingBySeverity: { ...evaluation.findings.failingBySeverity },
    remediation: fixedWithinDeadline(evaluation.remediation.bySeverity),
  };
}

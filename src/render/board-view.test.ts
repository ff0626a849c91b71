import { describe, expect, it } from 'vitest';
import { catalog, documentConfig, periodEvaluation } from '../../test/helpers/period-evidence.js';
import { chartSpec, unescaped } from '../../test/helpers/markdown.js';
import type { BoardTargets } from '../config/schema.js';
import type { PreviousManifest } from '../evaluate/compare.js';
import type { Evaluation } from '../model/evaluation.js';
import { boardViewModel } from './board-view.js';

const evaluation = await periodEvaluation();
const board = (e: Evaluation, targets: BoardTargets = {}, previous?: PreviousManifest) =>
  unescaped(boardViewModel({ evaluation: e, catalog, config: documentConfig(targets), version: 'test', ...(previous ? { previous } : {}) }));

interface Tile {
  label: string;
  value: string;
  detail?: string;
  target?: string;
  previous?: string;
}
const tiles = (view: ReturnType<typeof board>) => chartSpec<{ tiles: Tile[] }>(view.tiles).tiles;
const tile = (view: ReturnType<typeof board>, label: RegExp) => tiles(view).find((t) => label.test(t.label))!;

describe('the board\'s metrics', () => {
  it('each shows its value, its target or that none is set, and its previous value from the trend', () => {
    const view = board(evaluation, { seriousFindingsOpen: 0, remediationWithinSla: 90, backupEvidenceDays: 30 });
    const annexA = tile(view, /Annex A/);
    expect(annexA.target).toBe('No target set');
    // The trend's last point before the as-of date: the period's end.
    expect(annexA.previous).toMatch(/^Previous: \d+ of 93 on 2026-06-30$/);
    expect(tile(view, /Serious findings/)).toMatchObject({ value: '0', target: 'Target: at most 0: met', previous: 'Previous: 1 on 2026-06-30' });
    // The period's remediation is compared with the period's up to the month before its end.
    expect(tile(view, /fixed within/)).toMatchObject({ value: '0 of 2', detail: '2 past the deadline, 1 still open', target: 'Target: at least 90 %: not met', previous: 'Previous: 0 of 2 on 2026-05-31' });
    expect(tile(view, /backups/)).toMatchObject({ value: '2026-07-12', target: 'Target: at most 30 days: met', previous: 'Previous: not recorded' });
  });

  it('says when there is nothing to compare with, and never invents a target', () => {
    const { trend: _trend, ...pointInTime } = evaluation;
    for (const t of tiles(board(pointInTime))) {
      expect(t.target).toBe('No target set');
      expect(t.previous).toBe('Previous: none given');
    }
  });

  it('takes the previous values from a previous build\'s manifest where one is given', () => {
    const previous: PreviousManifest = {
      asOf: '2026-04-30',
      controls: [{ framework: 'iso27001-2022', id: 'A.8.13', status: 'effective', latestEvidence: '2026-04-01' }],
      findings: { failingBySeverity: { critical: 1, high: 2, medium: 0, low: 0 } },
      remediation: { bySeverity: { critical: { withinSla: 1, breached: 1 }, high: { withinSla: 0, breached: 0 }, medium: { withinSla: 0, breached: 0 }, low: { withinSla: 0, breached: 0 } } },
    };
    const view = board(evaluation, {}, previous);
    expect(tile(view, /Serious findings/).previous).toBe('Previous: 3 on 2026-04-30');
    expect(tile(view, /fixed within/).previous).toBe('Previous: 1 of 2 on 2026-04-30');
    expect(tile(view, /backups/).previous).toBe('Previous: 29 days old on 2026-04-30');
    expect(tile(view, /Annex A/).previous).toBe('Previous: 1 of 1 on 2026-04-30');
  });
});

describe('remediation on the board', () => {
  const view = board(evaluation);
  it('names the breaches on page one in business words: severity, the area, how long, the deadline; no check ids', () => {
    expect(view.remediation.breaches).toEqual([
      'High, information backup: open 90 days at the period\'s end (deadline 30).',
      'Critical, management of technical vulnerabilities: resolved after 42 days (deadline 15).',
    ]);
    expect(view.remediation.deadlines).toBe('critical 15 days, high 30, medium 90, low 180');
  });

  it('names them later with their checks and resources, and counts per severity', () => {
    expect(view.remediation.named[1]).toMatch(/^Critical: CVE-2026-0001 on pkg:openssl — opened 2026-02-01/);
    expect(view.remediation.rows.map((r) => [r.severity, r.opened, r.withinSla, r.breached, r.open])).toEqual([
      ['Critical', 1, 0, 1, 0],
      ['High', 1, 0, 1, 1],
      ['Medium', 0, 0, 0, 0],
      ['Low', 0, 0, 0, 0],
    ]);
  });
});

describe('the trend over the period', () => {
  it('draws controls by status, failing findings by severity and fixes against the deadline at each month\'s end', () => {
    const { trend } = board(evaluation);
    const spec = (block: unknown) => chartSpec<{ categories: string[]; series: { name: string; values: number[] }[] }>(block);
    const months = ['2026-01-31', '2026-02-28', '2026-03-31', '2026-04-30', '2026-05-31', '2026-06-30'];
    expect(spec(trend!.annexA).categories).toEqual(months);
    expect(spec(trend!.soc2).series.map((s) => s.name)).toEqual(['Effective', 'Deficient', 'Stale', 'No evidence', 'Not applicable']);
    const findings = spec(trend!.findings);
    expect(findings.series.find((s) => s.name === 'Critical')?.values).toEqual([0, 1, 0, 0, 0, 0]);
    expect(findings.series.find((s) => s.name === 'High')?.values).toEqual([0, 0, 0, 1, 1, 1]);
    const fixes = spec(trend!.remediation);
    // The critical finding is past its deadline from mid-February, the high one from May.
    expect(fixes.series.map((s) => s.values)).toEqual([
      [0, 0, 0, 0, 0, 0],
      [0, 1, 1, 1, 2, 2],
    ]);
  });

  it('is drawn only with a period', () => {
    const { trend: _trend, ...pointInTime } = evaluation;
    expect(board(pointInTime).trend).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { asOf, catalog, documentConfig, periodEvaluation } from '../../test/helpers/period-evidence.js';
import type { Evaluation } from '../model/evaluation.js';
import { packViewModel } from './view-model.js';
import { chartSpec, unescaped } from '../../test/helpers/markdown.js';

const evaluation = await periodEvaluation();
const iso = catalog.frameworks.find((f) => f.id === 'iso27001-2022')!;
const pack = (e: Evaluation) => unescaped(packViewModel({ framework: iso, evaluation: e, inputs: [], notes: [], redactions: [], diagnostics: [], config: documentConfig(), catalog, version: 'test' }));
const view = pack(evaluation);
const control = (v: ReturnType<typeof pack>, id: string) => v.sections.flatMap((s) => s.controls).find((c) => c.id === id)!;

describe('a control over the period, in the pack', () => {
  it('draws its days as a timeline strip, each state named with its days, the accepted apart', () => {
    const spec = chartSpec<{ type: string; from: string; to: string; states: { name: string }[]; segments: { from: string; to: string; state: number }[] }>(control(view, 'A.8.13').period!.timeline);
    expect([spec.type, spec.from, spec.to]).toEqual(['timeline', '2026-01-01', '2026-06-30']);
    expect(spec.states.map((s) => s.name)).toEqual(['Failing (a check, or a lapsed exception): 91 days', 'Checks not reporting: 31 days', 'Evidence of operation current: 59 days']);
    const days = spec.segments.reduce((n, s) => n + (Date.parse(s.to) - Date.parse(s.from)) / 86_400_000 + 1, 0);
    expect(days).toBe(181);
    expect(spec.segments.at(-1)).toEqual({ from: '2026-04-01', to: '2026-06-30', state: 0 });
  });

  it('draws no strip for a control nothing is known of on any day', () => {
    expect(control(view, 'A.5.7').period!.timeline).toEqual([]);
  });

  it('names the evidence the period does not count, and only that', () => {
    const marks = Object.fromEntries(control(view, 'A.8.13').evidence.map((e) => [e.file, e.outside]));
    expect(marks).toEqual({
      'checks/restore-july.json': 'outside the period: no pass or fail in it is dated inside it (not counted for it)',
      // Its newest result is after the period, but it holds results inside it.
      'checks/restore.jsonl': '',
      'notes/backup-policy.md': '',
      'notes/old-restore.md': 'dated 2025-06-01, outside the period (not counted for it)',
    });
  });

  it('counts a control\'s fixes per severity and names its breaches, worst first', () => {
    const a813 = control(view, 'A.8.13').remediation!;
    expect(a813.rows).toEqual([{ severity: 'High', deadline: '30 days', source: '30 days (default)', opened: 1, resolved: 0, withinSla: 0, breached: 1, open: 1 }]);
    expect(a813.breaches).toEqual(['High: backup.restore-test on rds:ledger — opened 2026-04-01, still open at 2026-06-30: 90 days against a deadline of 30 days.']);
    expect(control(view, 'A.8.8').remediation!.breaches).toEqual([
      'Critical: CVE-2026-0001 on pkg:openssl — opened 2026-02-01, passes since 2026-03-15: 42 days against a deadline of 15 days.',
    ]);
    expect(control(view, 'A.5.7').remediation).toBeNull();
  });

  it('sums up remediation for the whole pack with every severity, the deadlines and where the defaults come from', () => {
    expect(view.remediation.window).toBe('in the period 2026-01-01 to 2026-06-30');
    expect(view.remediation.rows.map((r) => [r.severity, r.source, r.opened, r.breached])).toEqual([
      ['Critical', '15 days (default)', 1, 1],
      ['High', '30 days (default)', 1, 1],
      ['Medium', '90 days (default)', 0, 0],
      ['Low', '180 days (default)', 0, 0],
    ]);
    expect(view.remediation.defaults).toMatch(/CISA Binding Operational Directive 19-02 for critical \(15 days\) and high \(30 days\).*FedRAMP continuous monitoring for medium \(90 days\) and low \(180 days\)/);
    // Breaches first: the one still open, then the one fixed late.
    expect(view.remediation.breaches.map((b) => b.split(':')[0])).toEqual(['High', 'Critical']);
    const configured = pack({ ...evaluation, remediation: { ...evaluation.remediation, sla: { ...evaluation.remediation.sla, critical: 7 } } });
    expect(configured.remediation.rows[0]!.source).toBe('7 days (configured)');
  });

  it('without a period: no timeline and no marks, the remediation up to the as-of date', async () => {
    const { period: _period, trend: _trend, ...rest } = evaluation;
    const plain = pack({ ...rest, controls: rest.controls.map(({ period: _p, ...c }) => c), remediation: { ...rest.remediation, window: { to: asOf } } });
    expect(control(plain, 'A.8.13').period).toBeUndefined();
    expect(control(plain, 'A.8.13').evidence.every((e) => e.outside === '')).toBe(true);
    expect(plain.remediation.window).toBe(`up to ${asOf}`);
  });
});

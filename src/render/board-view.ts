import type { Catalog } from '../catalog/catalog.js';
import type { DocumentConfig } from './documents.js';
import type { Comparison, PreviousManifest } from '../evaluate/compare.js';
import { ageInDays } from '../evaluate/dates.js';
import type { ControlEvaluation, Evaluation } from '../model/evaluation.js';
import { statusOrder } from '../model/evaluation.js';
import { statusLabel } from './labels.js';
import { escapeViewModel, SafeMarkdownLines } from './markdown-escape.js';
import { countByStatus } from '../model/evaluation.js';

const TOP_RISKS = 5;

/** A chart block for the PDF renderer, built from legible's own data (catalog names, counts). */
function chart(spec: object): SafeMarkdownLines {
  return new SafeMarkdownLines(['```chart', JSON.stringify(spec), '```']);
}

function postureChart(title: string, controls: ControlEvaluation[], groupOf: (c: ControlEvaluation) => string, note: string) {
  const categories = [...new Set(controls.map(groupOf))];
  return chart({
    type: 'stacked-bars',
    title,
    categories,
    series: statusOrder.map((status) => ({
      name: statusLabel[status],
      color: status,
      values: categories.map((g) => controls.filter((c) => groupOf(c) === g && c.status === status).length),
    })),
    note,
  });
}

const applicable = (cs: ControlEvaluation[]) => cs.filter((c) => c.status !== 'not-applicable');
const share = (n: number, of: number) => `${n} of ${of}`;
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

interface Risk {
  weight: number;
  control: ControlEvaluation;
  what: string;
  doing: string;
}

/** Why a deficient or stale control matters, in plain words, and what the notes say is being done. */
function risksOf(controls: ControlEvaluation[], asOf: string): Risk[] {
  const risks: Risk[] = [];
  for (const c of controls) {
    if (c.status !== 'deficient' && c.status !== 'stale') continue;
    const severe = c.checks.failing.filter((f) => f.severity === 'critical' || f.severity === 'high').length;
    const expired = c.exceptions.filter((e) => e.record.expires !== undefined && ageInDays(asOf, e.record.expires) > 0);
    const cadence = c.reasons.some((r) => r.startsWith('Policy "') && r.includes('requires this at least every'));
    let what: string;
    let weight: number;
    if (severe) {
      what = `${severe === 1 ? 'A serious automated check fails' : `${severe} serious automated checks fail`} for ${c.title.toLowerCase()}.`;
      weight = 100 + severe;
    } else if (expired.length) {
      what = `An accepted risk for ${c.title.toLowerCase()} expired on ${expired[0]!.record.expires} and was neither renewed nor fixed.`;
      weight = 80;
    } else if (cadence) {
      what = `${c.title} is not being done as often as policy requires.`;
      weight = 70;
    } else if (c.checks.counts.fail) {
      what = `${c.checks.counts.fail === 1 ? 'An automated check fails' : `${c.checks.counts.fail} automated checks fail`} for ${c.title.toLowerCase()}.`;
      weight = 60 + c.checks.counts.fail / 1000;
    } else {
      what = `The evidence for ${c.title.toLowerCase()} is out of date (latest ${c.latestEvidence ?? 'none'}).`;
      weight = 10;
    }
    // What is being done: an open decision or the newest practice note on the control.
    const active = c.exceptions.find((e) => e.record.expires !== undefined && ageInDays(asOf, e.record.expires) <= 0);
    const practice = c.practices[0];
    const doing = active
      ? `Accepted risk "${active.record.title}" until ${active.record.expires} (${active.record.author}).`
      : practice
        ? `Latest work noted: "${practice.record.title}" (${practice.record.author}, ${practice.record.date}).`
        : 'No note says what is being done.';
    risks.push({ weight, control: c, what, doing });
  }
  return risks.sort((a, b) => b.weight - a.weight || a.control.id.localeCompare(b.control.id));
}

export interface BoardContext {
  evaluation: Evaluation;
  catalog: Catalog;
  config: DocumentConfig;
  previous?: PreviousManifest;
  comparison?: Comparison;
  version: string;
}

/** The board report's view: business language on page one, counts with their denominators. */
export function boardViewModel(ctx: BoardContext) {
  const { evaluation, config, comparison, catalog } = ctx;
  const iso = evaluation.controls.filter((c) => c.framework === 'iso27001-2022');
  const annexA = iso.filter((c) => catalog.control(c)?.kind === 'annex-a');
  const soc2 = evaluation.controls.filter((c) => c.framework === 'soc2-2017');
  const counts = (cs: ControlEvaluation[]) => countByStatus(cs);
  const a = counts(applicable(annexA));
  const s = counts(applicable(soc2));
  // Top risks in ISO terms only: the same gap would otherwise appear twice, once per framework.
  const risks = risksOf(annexA, evaluation.asOf);
  const before = (framework: string, annex: boolean) => {
    const old = (ctx.previous?.controls ?? []).filter((c) => c.framework === framework && (!annex || c.id.startsWith('A.')) && c.status !== 'not-applicable');
    return ctx.previous ? `; on ${ctx.previous.asOf}: ${share(old.filter((c) => c.status === 'effective').length, old.length)}` : '';
  };
  const f = evaluation.findings.failingBySeverity;
  const backup = iso.find((c) => c.id === 'A.8.13');
  const decisions = [
    ...evaluation.controls.flatMap((c) =>
      c.exceptions
        .filter((e) => e.record.expires !== undefined && ageInDays(evaluation.asOf, e.record.expires) > 0 && c.framework === 'iso27001-2022')
        .map((e) => `Renew or close the expired accepted risk "${e.record.title}" (${c.title}).`),
    ),
    ...evaluation.controls.flatMap((c) =>
      c.exceptions
        .filter((e) => e.record.expires !== undefined && c.framework === 'iso27001-2022' && ageInDays(evaluation.asOf, e.record.expires) <= 0 && ageInDays(evaluation.asOf, e.record.expires) > -90)
        .map((e) => `Decide before ${e.record.expires} whether to extend the accepted risk "${e.record.title}" (${c.title}).`),
    ),
  ];

  return escapeViewModel({
    title: 'Information security: report to the board',
    organization: config.organization,
    scope: config.scope,
    asOf: evaluation.asOf,
    version: ctx.version,
    hasPrevious: comparison !== undefined,
    previousAsOf: comparison?.previousAsOf ?? '',
    direction: comparison
      ? `Since ${comparison.previousAsOf}: ${comparison.improved.length} controls improved, ${comparison.regressed.length} regressed, ${comparison.unchanged} unchanged.`
      : 'No previous report was given to compare with, so no trend is shown: this report is the baseline.',
    tiles: chart({
      type: 'tiles',
      tiles: [
        {
          label: 'ISO 27001 Annex A controls shown effective',
          value: share(a.effective, applicable(annexA).length),
          detail: `${a.deficient} deficient, ${a.stale} stale, ${a['no-evidence']} unevidenced${before('iso27001-2022', true)}`,
          tone: 'effective',
        },
        {
          label: 'SOC 2 criteria shown effective',
          value: share(s.effective, applicable(soc2).length),
          detail: `${s.deficient} deficient, ${s.stale} stale, ${s['no-evidence']} unevidenced${before('soc2-2017', false)}`,
          tone: 'effective',
        },
        { label: 'Serious findings open', value: String(f.critical + f.high), detail: `${f.critical} critical, ${f.high} high, of ${evaluation.findings.counts.fail} failing checks`, tone: f.critical + f.high ? 'deficient' : 'effective' },
        {
          label: 'Last evidence of tested backups',
          value: backup?.latestEvidence ?? 'none',
          detail: backup?.latestEvidence ? `${plural(ageInDays(evaluation.asOf, backup.latestEvidence), 'day')} before ${evaluation.asOf}` : 'no restore test on record',
          tone: backup?.status === 'effective' ? 'effective' : 'deficient',
        },
      ],
    }),
    isoChart: postureChart('ISO/IEC 27001 Annex A controls by theme', annexA, (c) => c.group, `${annexA.length} controls; not applicable ones are shown, not dropped.`),
    soc2Chart: postureChart('SOC 2 criteria by category', soc2, (c) => c.group, `${soc2.length} criteria.`),
    topRisks: risks.slice(0, TOP_RISKS).map((r) => ({ what: r.what, doing: r.doing })),
    moreRisks: risks.slice(TOP_RISKS).map((r) => ({ id: r.control.id, title: r.control.title, status: statusLabel[r.control.status], what: r.what })),
    decisions,
    changes: comparison
      ? {
          improved: comparison.improved.map((c) => ({ id: c.id, title: c.title, from: statusLabel[c.from], to: statusLabel[c.to] })),
          regressed: comparison.regressed.map((c) => ({ id: c.id, title: c.title, from: statusLabel[c.from], to: statusLabel[c.to] })),
          scope: comparison.scope.map((c) => ({ id: c.id, title: c.title, from: statusLabel[c.from], to: statusLabel[c.to] })),
          newFailing: comparison.newFailing.map((n) => ({ id: n.id, check: n.check, resource: n.resource ?? '—' })),
          changeChart: chart({
            type: 'bars',
            title: `Change since ${comparison.previousAsOf}`,
            categories: ['Improved', 'Regressed', 'Scope changed', 'Unchanged'],
            values: [comparison.improved.length, comparison.regressed.length, comparison.scope.length, comparison.unchanged],
            color: 'unchanged',
            unit: 'controls',
          }),
        }
      : null,
    findings: {
      total: evaluation.findings.total,
      failing: evaluation.findings.counts.fail,
      ...f,
    },
  });
}

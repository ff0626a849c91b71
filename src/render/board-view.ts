import type { Catalog } from '../catalog/catalog.js';
import type { DocumentConfig } from './documents.js';
import type { Comparison, PreviousManifest } from '../evaluate/compare.js';
import { ageInDays } from '../evaluate/dates.js';
import type { BoardTargets } from '../config/schema.js';
import type { ControlEvaluation, ControlStatus, Evaluation, RatedSeverity, RemediationItem, TrendPoint } from '../model/evaluation.js';
import { countByStatus, fixedWithinDeadline, statusOrder } from '../model/evaluation.js';
import { statusLabel } from './labels.js';
import { escapeViewModel } from './markdown-escape.js';
import { chartBlock as chart } from './chart-block.js';
import { breachCount, breachLine, breaches, openCount, ratedSeverities, remediationRows, remediationWindow, severityLabel } from './remediation-view.js';

const TOP_RISKS = 5;
/** Breaches named in business words on page one; all of them (up to NAMED_BREACHES) are named later with their ids. */
const PAGE_ONE_BREACHES = 3;

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

type Counts = Record<ControlStatus, number>;

/** A metric's previous value is read from what was on record before: a previous build's manifest, or a point of the trend. */
interface Earlier {
  on: string;
  annexA?: Counts;
  soc2?: Counts;
  serious?: number;
  remediation?: { withinSla: number; due: number };
  /** The newest evidence of tested backups then; null: none; absent: not kept. */
  backup?: string | null;
}

function earlierFromTrend(p: TrendPoint): Earlier {
  return { on: p.asOf, annexA: p.annexA, soc2: p.controls['soc2-2017'], serious: p.failingBySeverity.critical + p.failingBySeverity.high, remediation: p.remediation };
}

function earlierFromManifest(m: PreviousManifest): Earlier {
  const counted = (framework: string, annex: boolean) => countByStatus(m.controls.filter((c) => c.framework === framework && (!annex || c.id.startsWith('A.'))));
  const backup = m.controls.find((c) => c.framework === 'iso27001-2022' && c.id === 'A.8.13');
  return {
    on: m.asOf,
    annexA: counted('iso27001-2022', true),
    soc2: counted('soc2-2017', false),
    ...(m.findings ? { serious: m.findings.failingBySeverity.critical + m.findings.failingBySeverity.high } : {}),
    ...(m.remediation ? { remediation: fixedWithinDeadline(m.remediation.bySeverity) } : {}),
    ...(backup && backup.latestEvidence !== undefined ? { backup: backup.latestEvidence } : {}),
  };
}

/** Each board metric a target may be set for: which way is better (its target is a floor or a ceiling), and its unit. */
const METRICS: Record<keyof BoardTargets, { better: 'higher' | 'lower'; unit: ' %' | '' | ' days' }> = {
  annexAEffective: { better: 'higher', unit: ' %' },
  soc2Effective: { better: 'higher', unit: ' %' },
  seriousFindingsOpen: { better: 'lower', unit: '' },
  remediationWithinSla: { better: 'higher', unit: ' %' },
  backupEvidenceDays: { better: 'lower', unit: ' days' },
};

const percentOf = (n: number, of: number) => (of > 0 ? (100 * n) / of : undefined);
const applicableShare = (c: Counts) => share(c.effective, Object.values(c).reduce((a, b) => a + b, 0) - c['not-applicable']);

/** The target line of a tile: the target and whether the value meets it, or that none is set (never one invented). */
function targetLine(id: keyof BoardTargets, targets: BoardTargets, measure: number | undefined): string {
  const target = targets[id];
  const metric = METRICS[id];
  if (target === undefined) return 'No target set';
  const wanted = `Target: ${metric.better === 'higher' ? 'at least' : 'at most'} ${target}${metric.unit}`;
  if (measure === undefined) return `${wanted}; nothing to measure yet`;
  const met = metric.better === 'higher' ? measure >= target : measure <= target;
  return `${wanted}: ${met ? 'met' : 'not met'}`;
}

/** The previous line of a tile: the value then, and when; or that there is none to compare with. */
function previousLine(earlier: Earlier | undefined, value: (e: Earlier) => string | undefined): string {
  if (!earlier) return 'Previous: none given';
  const then = value(earlier);
  return then === undefined ? 'Previous: not recorded' : `Previous: ${then} on ${earlier.on}`;
}

const lowerFirst = (title: string) => (/^\p{Lu}\p{Ll}/u.test(title) ? title[0]!.toLowerCase() + title.slice(1) : title);
const itemKey = (i: RemediationItem) => `${i.check}\u0000${i.resource ?? ''}\u0000${i.opened}`;

/**
 * A breach in business words, for page one: its severity, the area of the business it is in (the
 * Annex A controls it maps to), how long it took or has been open, against its deadline. No check ids.
 */
function breachInWords(item: RemediationItem, areas: readonly string[], period: boolean): string {
  const what = `${severityLabel[item.severity as RatedSeverity]}${areas.length ? `, ${areas.slice(0, 2).join(' and ')}` : ''}`;
  const how = item.open ? `open ${plural(item.daysOpen, 'day')}${period ? ' at the period\'s end' : ''}` : `resolved after ${plural(item.daysOpen, 'day')}`;
  return `${what}: ${how} (deadline ${item.slaDays}).`;
}

/** Severity colours, worst darkest, apart in greyscale print; findings without one in the no-evidence grey. */
const severityColor: Record<RatedSeverity | 'unrated', string> = { critical: '#7a1410', high: 'deficient', medium: 'stale', low: '#f6d98b', unrated: 'no-evidence' };

/** With a period, the posture at each month's end inside it, from the evidence on record then. */
function trendCharts(trend: readonly TrendPoint[]) {
  const months = trend.map((p) => p.asOf);
  const byStatus = (title: string, counts: (p: TrendPoint) => Counts, note: string) =>
    chart({ type: 'stacked-bars', title, categories: months, series: statusOrder.map((status) => ({ name: statusLabel[status], color: status, values: trend.map((p) => counts(p)[status]) })), note });
  return {
    annexA: byStatus('ISO/IEC 27001 Annex A controls at each month\'s end', (p) => p.annexA, 'Each bar is the point-in-time evaluation of that day, from the evidence on record then.'),
    soc2: byStatus('SOC 2 criteria at each month\'s end', (p) => p.controls['soc2-2017'], 'Not applicable criteria are shown, not dropped.'),
    findings: chart({
      type: 'stacked-bars',
      title: 'Findings failing at each month\'s end, by severity',
      categories: months,
      series: [
        ...ratedSeverities.map((s) => ({ name: severityLabel[s], color: severityColor[s], values: trend.map((p) => p.failingBySeverity[s]) })),
        { name: 'No severity or informational', color: severityColor.unrated, values: trend.map((p) => p.failingBySeverity.unrated + p.failingBySeverity.info) },
      ],
      unit: 'findings',
    }),
    remediation: chart({
      type: 'stacked-bars',
      title: 'Findings that came due, from the period\'s start to each month\'s end',
      categories: months,
      series: [
        { name: 'Fixed within the deadline', color: 'effective', values: trend.map((p) => p.remediation.withinSla) },
        { name: 'Past the deadline', color: 'deficient', values: trend.map((p) => p.remediation.due - p.remediation.withinSla) },
      ],
      unit: 'findings',
      note: 'A finding comes due when it is fixed, or when its deadline passes while it is still open.',
    }),
  };
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

  const { trend, period } = evaluation;
  const targets = config.board.targets;
  // Each value is compared with the one before it: the previous build's, else the trend's last point before the value's date.
  const earlierThan = (date: string): Earlier | undefined => {
    if (ctx.previous) return earlierFromManifest(ctx.previous);
    const point = [...(trend ?? [])].reverse().find((p) => p.asOf < date);
    return point ? earlierFromTrend(point) : undefined;
  };
  const earlier = earlierThan(evaluation.asOf);
  const remediation = evaluation.remediation;
  const fixes = fixedWithinDeadline(remediation.bySeverity);
  const remediationEarlier = earlierThan(remediation.window.to);
  const backupDays = backup?.latestEvidence ? ageInDays(evaluation.asOf, backup.latestEvidence) : undefined;

  // The areas (Annex A controls) each finding past its deadline is in, for naming it on page one without its ids.
  const areasOf = new Map<string, string[]>();
  for (const c of annexA) for (const i of c.remediation?.items ?? []) areasOf.set(itemKey(i), [...(areasOf.get(itemKey(i)) ?? []), lowerFirst(c.title)]);
  const named = breaches(remediation);
  const overdue = breachCount(remediation);
  const first = trend?.[0];
  const last = trend?.at(-1);

  return escapeViewModel({
    title: 'Information security: report to the board',
    organization: config.organization,
    scope: config.scope,
    asOf: evaluation.asOf,
    period: period ?? null,
    version: ctx.version,
    hasPrevious: comparison !== undefined,
    previousAsOf: comparison?.previousAsOf ?? '',
    direction: comparison
      ? `Since ${comparison.previousAsOf}: ${comparison.improved.length} controls improved, ${comparison.regressed.length} regressed, ${comparison.unchanged} unchanged.`
      : first && last && period
        ? `From ${first.asOf} to ${last.asOf}, Annex A controls shown effective went from ${applicableShare(first.annexA)} to ${applicableShare(last.annexA)} and serious findings open from ${first.failingBySeverity.critical + first.failingBySeverity.high} to ${last.failingBySeverity.critical + last.failingBySeverity.high} (trend by month follows).`
        : 'No previous report was given to compare with, so no trend is shown: this report is the baseline.',
    tiles: chart({
      type: 'tiles',
      tiles: [
        {
          label: 'ISO 27001 Annex A controls shown effective',
          value: share(a.effective, applicable(annexA).length),
          detail: `${a.deficient} deficient, ${a.stale} stale, ${a['no-evidence']} unevidenced`,
          target: targetLine('annexAEffective', targets, percentOf(a.effective, applicable(annexA).length)),
          previous: previousLine(earlier, (e) => e.annexA && applicableShare(e.annexA)),
          tone: 'effective',
        },
        {
          label: 'SOC 2 criteria shown effective',
          value: share(s.effective, applicable(soc2).length),
          detail: `${s.deficient} deficient, ${s.stale} stale, ${s['no-evidence']} unevidenced`,
          target: targetLine('soc2Effective', targets, percentOf(s.effective, applicable(soc2).length)),
          previous: previousLine(earlier, (e) => e.soc2 && applicableShare(e.soc2)),
          tone: 'effective',
        },
        {
          label: 'Serious findings open',
          value: String(f.critical + f.high),
          detail: `${f.critical} critical, ${f.high} high, of ${evaluation.findings.counts.fail} failing checks`,
          target: targetLine('seriousFindingsOpen', targets, f.critical + f.high),
          previous: previousLine(earlier, (e) => e.serious?.toString()),
          tone: f.critical + f.high ? 'deficient' : 'effective',
        },
        {
          label: 'Findings fixed within their deadline',
          value: fixes.due ? share(fixes.withinSla, fixes.due) : 'none due',
          detail: `${overdue} past the deadline, ${openCount(remediation)} still open`,
          target: targetLine('remediationWithinSla', targets, percentOf(fixes.withinSla, fixes.due)),
          previous: previousLine(remediationEarlier, (e) => e.remediation && (e.remediation.due ? share(e.remediation.withinSla, e.remediation.due) : 'none due')),
          tone: overdue ? 'deficient' : 'effective',
        },
        {
          label: 'Last evidence of tested backups',
          value: backup?.latestEvidence ?? 'none',
          detail: backup?.latestEvidence ? `${plural(backupDays ?? 0, 'day')} before ${evaluation.asOf}` : 'no restore test on record',
          target: targetLine('backupEvidenceDays', targets, backupDays),
          previous: previousLine(earlier, (e) => (e.backup === undefined ? undefined : e.backup === null ? 'none on record' : `${plural(ageInDays(e.on, e.backup), 'day')} old`)),
          tone: backup?.status === 'effective' ? 'effective' : 'deficient',
        },
      ],
    }),
    remediation: {
      window: remediationWindow(remediation),
      any: remediation.itemCount - remediation.unrated > 0,
      deadlines: `critical ${remediation.sla.critical} days, high ${remediation.sla.high}, medium ${remediation.sla.medium}, low ${remediation.sla.low}`,
      rows: remediationRows(remediation, true),
      breaches: named.listed.slice(0, PAGE_ONE_BREACHES).map((i) => breachInWords(i, areasOf.get(itemKey(i)) ?? [], period !== undefined)),
      breachesLater: Math.max(overdue - PAGE_ONE_BREACHES, 0),
      named: named.listed.map((i) => breachLine(i, remediation.window.to)),
      notNamed: named.notListed,
    },
    trend: trend?.length ? trendCharts(trend) : null,
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

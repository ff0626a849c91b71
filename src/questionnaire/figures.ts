import type { ControlEvaluation, Deviation, Evaluation, RatedSeverity, RemediationItem } from '../model/evaluation.js';
import { addDays } from '../evaluate/dates.js';
import { ratedSeverities, type Selection } from './selection.js';

/**
 * The measured figures an underwriter asks about beside the answer: how fast findings were fixed against
 * their deadlines, and when the mapped controls did not operate over the audit period. Each is one plain
 * sentence; neither changes the answer, which is what the evidence shows at the as-of date.
 */

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "critical and high", "critical, high or medium". */
export const listWords = (words: readonly string[], conjunction = 'and') =>
  words.length < 2 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} ${conjunction} ${words.at(-1)}`;

interface SeverityCounts {
  withinSla: number;
  breached: number;
  open: number;
  /** Open at the window's end and past the deadline. */
  openPast: number;
}

/** Which findings a question's figures are about: a severity it asks about, and in its selection when it has one. */
export interface FigureScope {
  severities: readonly RatedSeverity[];
  selection?: Selection;
}

/**
 * Remediation against the SLA for the findings the question is about: from the listed items when the
 * evaluation lists them all and the selection can tell each apart, otherwise across all findings (said so).
 */
function countsFor(evaluation: Evaluation, scope: FigureScope): { counts: Map<RatedSeverity, SeverityCounts>; mine: boolean } {
  const { items, itemCount, bySeverity } = evaluation.remediation;
  const { selection } = scope;
  const counts = new Map<RatedSeverity, SeverityCounts>();
  const mine = selection !== undefined && items.length === itemCount && items.every((i) => selection.match(i).match !== 'unknown');
  if (mine) {
    for (const s of scope.severities) counts.set(s, { withinSla: 0, breached: 0, open: 0, openPast: 0 });
    for (const item of items) {
      const c = item.severity && item.severity !== 'info' ? counts.get(item.severity) : undefined;
      if (!c || selection.match(item).match !== 'selected') continue;
      if (item.withinSla) c.withinSla++;
      if (item.breached) c.breached++;
      if (item.open) c.open++;
      if (item.open && item.breached) c.openPast++;
    }
  } else {
    for (const s of scope.severities) {
      const b = bySeverity[s];
      // Breached are those fixed late and those still open past the deadline.
      counts.set(s, { withinSla: b.withinSla, breached: b.breached, open: b.open, openPast: b.breached - (b.resolved - b.withinSla) });
    }
  }
  return { counts, mine };
}

/**
 * One sentence: per severity asked about, how many were fixed within the deadline of those that came due
 * ("critical findings fixed within 15 days: 1 of 2"), and how many are still open, past the deadline or
 * not yet due. Without a period it covers every failure up to the as-of date, and is left out when there
 * was none.
 */
export function remediationSentence(evaluation: Evaluation, scope: FigureScope): string | undefined {
  const { window, sla } = evaluation.remediation;
  const { counts, mine } = countsFor(evaluation, scope);
  const parts: string[] = [];
  for (const [severity, c] of counts) {
    const due = c.withinSla + c.breached;
    const openWithin = c.open - c.openPast;
    if (!due && !c.open) continue;
    const open = [c.openPast ? `${c.openPast} still open past the deadline` : '', openWithin ? `${openWithin} open, not yet due` : ''].filter(Boolean);
    parts.push(due ? [`${severity} findings fixed within ${sla[severity]} days: ${c.withinSla} of ${due}`, ...open].join(', ') : `${severity} findings: ${open.join(', ')}`);
  }
  const when = window.from !== undefined ? `in ${window.from} to ${window.to}` : `up to ${window.to}`;
  if (!parts.length) {
    const rated = scope.severities.length < ratedSeverities.length ? `${listWords(scope.severities, 'or')} ` : '';
    return window.from !== undefined ? `No ${rated}finding ${mine ? 'of this kind' : 'at all'} was open ${when}.` : undefined;
  }
  return `Remediation ${mine ? 'of findings of this kind' : 'across all findings'} ${when}: ${parts.join('; ')}.`;
}

/**
 * Against the days the question names ("within 30 days"): the deadline legible measures each severity
 * against, said to be within what is asked, or a gap when it is longer (a fix on time may then still be
 * later than the insurer asks).
 */
export function deadlineSentences(evaluation: Evaluation, severities: readonly RatedSeverity[], days: number): { gaps: string[]; said?: string } {
  const { sla } = evaluation.remediation;
  const longer = severities.filter((s) => sla[s] > days);
  const gaps = longer.map((s) => `The deadline applied to ${s} findings is ${sla[s]} days, longer than the ${days} days asked, so a fix on time may still be later than asked.`);
  if (gaps.length) return { gaps };
  return { gaps, said: `Deadlines applied: ${listWords(severities.map((s) => `${s} ${sla[s]} days`))}, within the ${days} days asked.` };
}

/** How each kind of deviation reads before its dates. */
const kindWords: Record<Exclude<Deviation['kind'], 'check-failed'>, string> = {
  'cadence-missed': 'a required periodic activity overdue',
  'not-observed': 'no automated check reporting',
  'exception-expired': 'an accepted risk lapsed',
};

/** The days of these deviations as separate stretches: overlapping or adjoining ones (across controls) are one. */
function stretches(list: readonly Deviation[]): { from: string; to: string }[] {
  const merged: { from: string; to: string }[] = [];
  for (const d of [...list].sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to))) {
    const last = merged.at(-1);
    if (last && d.from <= addDays(last.to, 1)) {
      if (d.to > last.to) last.to = d.to;
    } else merged.push({ from: d.from, to: d.to });
  }
  return merged;
}

const days = (s: { from: string; to: string }) => Date.parse(s.to) - Date.parse(s.from);

/**
 * One sentence: the deviations of the question's controls over the period, in plain words. A failing
 * finding deviates in every control it maps to and is counted once; the days a control did not operate
 * are told as stretches of the calendar, whichever controls they came from. `bears` keeps the
 * failing-check deviations that concern the question (the others are the controls' own); `accepts` says
 * whether an exception accepted a failing one.
 */
export function deviationSentence(
  evaluation: Evaluation,
  controls: readonly ControlEvaluation[],
  bears: (d: Deviation) => boolean,
  accepts: (d: Deviation, c: ControlEvaluation) => boolean,
): string | undefined {
  const period = evaluation.period;
  if (!period) return undefined;
  const failing = new Map<string, boolean>();
  const others = new Map<Deviation['kind'], Deviation[]>();
  let truncated = false;
  let elsewhere = false;
  for (const c of controls) {
    if (!c.period) continue;
    if (c.period.deviations.length < c.period.deviationCount) truncated = true;
    for (const d of c.period.deviations) {
      if (d.kind !== 'check-failed') {
        others.set(d.kind, [...(others.get(d.kind) ?? []), d]);
      } else if (!bears(d)) {
        elsewhere = true;
      } else {
        const finding = `${d.check ?? ''}\u0000${d.resource ?? ''}`;
        failing.set(finding, (failing.get(finding) ?? false) || accepts(d, c));
      }
    }
  }
  const when = `${period.from} to ${period.to}`;
  const parts: string[] = [];
  if (failing.size) {
    const accepted = [...failing.values()].filter(Boolean).length;
    const which = accepted < failing.size ? `${accepted} ` : accepted === 1 ? '' : accepted === 2 ? 'both ' : 'all ';
    parts.push(`${truncated ? 'at least ' : ''}${plural(failing.size, 'failing finding')}${accepted ? ` (${which}under an accepted risk)` : ''}`);
  }
  for (const kind of ['cadence-missed', 'not-observed', 'exception-expired'] as const) {
    const list = stretches(others.get(kind) ?? []);
    if (!list.length) continue;
    const longest = [...list].sort((a, b) => days(b) - days(a) || a.from.localeCompare(b.from))[0]!;
    parts.push(
      list.length <= 2
        ? `${kindWords[kind]} ${list.map((s) => (s.from === s.to ? `on ${s.from}` : `from ${s.from} to ${s.to}`)).join(' and ')}`
        : `${kindWords[kind]} in ${list.length} stretches, the longest from ${longest.from} to ${longest.to}`,
    );
  }
  const concerning = elsewhere ? ' that concern this question' : '';
  if (!parts.length) {
    return truncated
      ? `The mapped controls have more deviations in ${when} than the evaluation lists; none of those listed concerns this question.`
      : `No deviation of the mapped controls in ${when}${elsewhere ? ' concerns this question' : ''}.`;
  }
  return `Deviations in ${when}${concerning}: ${parts.join('; ')}.`;
}

/** Ratings the question asks about, worst first; all of them when it names none. */
export const severitiesAsked = (asked: readonly RatedSeverity[] | undefined): RatedSeverity[] => ratedSeverities.filter((s) => !asked || asked.includes(s));

/** The remediation item of a failing finding, still open at the window's end. */
export function openItemOf(evaluation: Evaluation, finding: { check: string; resource?: string }): RemediationItem | undefined {
  return evaluation.remediation.items.find((i) => i.open && i.check === finding.check && (i.resource ?? '') === (finding.resource ?? ''));
}

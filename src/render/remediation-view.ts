/** How fast failing findings were fixed against their deadlines, as the packs and the board report show it. */
import { durationDays, remediationDefaults } from '../config/schema.js';
import { resolvedHow } from '../evaluate/period.js';
import type { RatedSeverity, Remediation, RemediationItem } from '../model/evaluation.js';

export const ratedSeverities: readonly RatedSeverity[] = ['critical', 'high', 'medium', 'low'];

export const severityLabel: Record<RatedSeverity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low' };

/** How many breaches a pack or the board's later page names; the rest are counted (the manifest lists 200). */
export const NAMED_BREACHES = 10;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The window in words: "in the period 2026-05-01 to 2026-10-31", or "up to 2026-11-23". */
export const remediationWindow = (r: Remediation): string => (r.window.from !== undefined ? `in the period ${r.window.from} to ${r.window.to}` : `up to ${r.window.to}`);

export const breachCount = (r: Remediation): number => ratedSeverities.reduce((n, s) => n + r.bySeverity[s].breached, 0);
export const openCount = (r: Remediation): number => ratedSeverities.reduce((n, s) => n + r.bySeverity[s].open, 0);

/** The deadline for a severity and whether it is legible's default or the configuration's. */
export function deadlineWords(r: Remediation, severity: RatedSeverity): string {
  const days = r.sla[severity];
  return `${days} days (${days === defaultDays(severity) ? 'default' : 'configured'})`;
}

const defaultDays = (s: RatedSeverity) => durationDays(remediationDefaults[s]);

/** Where the default deadlines come from, in a sentence (secondary sources: see the README). */
export const defaultDeadlinesSource = `The default deadlines follow CISA Binding Operational Directive 19-02 for critical (${defaultDays('critical')} days) and high (${defaultDays('high')} days) findings, and FedRAMP continuous monitoring for medium (${defaultDays('medium')} days) and low (${defaultDays('low')} days) ones`;

/** Per severity: the deadline, opened, fixed, fixed within the deadline, past it, still open; `all` keeps the severities with nothing. */
export function remediationRows(r: Remediation, all: boolean) {
  return ratedSeverities
    .filter((s) => all || Object.values(r.bySeverity[s]).some((n) => n > 0))
    .map((s) => ({ severity: severityLabel[s], deadline: `${r.sla[s]} days`, source: deadlineWords(r, s), ...r.bySeverity[s] }));
}

/** A breach as an auditor reads it: severity, the finding by check and resource, when it opened and what became of it, against its deadline. */
export function breachLine(item: RemediationItem, windowEnd: string): string {
  const finding = `${item.check}${item.resource ? ` on ${item.resource}` : ''}`;
  const end = item.open ? `still open at ${windowEnd}` : `${resolvedHow[item.by ?? 'pass']} ${item.resolved}`;
  return `${severityLabel[item.severity as RatedSeverity] ?? 'Unrated'}: ${finding} — opened ${item.opened}, ${end}: ${plural(item.daysOpen, 'day')} against a deadline of ${item.slaDays} days.`;
}

/** The breaches listed in a remediation (breaches come first, worst first), at most `limit`, and how many more are counted. */
export function breaches(r: Remediation, limit = NAMED_BREACHES): { listed: RemediationItem[]; notListed: number } {
  const listed = r.items.filter((i) => i.breached).slice(0, limit);
  return { listed, notListed: breachCount(r) - listed.length };
}

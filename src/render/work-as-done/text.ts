/**
 * The report's words, shared by the HTML and the Markdown renderers so that both say the same thing:
 * headings, the introduction, the method, and each table cell. Evidence text (titles, names, file
 * names) goes through the renderer's own `escape`; everything else here is legible's, with no markup.
 */
import { EXPIRING_WITHIN_DAYS, STRETCH_RATIO, type EvidenceRequest, type ExceptionView, type Person, type PolicyControl, type PolicyState, type PolicyView, type ReportingGap, type ReportWindow, type UnwrittenPractice, type WorkAsDoneView } from './view.js';

export type Escape = (text: string) => string;

/** Section headings, in the report's order (what needs attention first). */
export const headings = {
  glance: 'At a glance',
  drift: '1. Drift: where practice moves away from policy',
  cadences: 'Cadences missed or stretching',
  gaps: 'Checks that stopped reporting',
  exceptions: `Accepted risks expired or expiring within ${EXPIRING_WITHIN_DAYS} days`,
  requests: '2. Evidence requests: whom to ask',
  imagined: '3. Policies with no practice behind them',
  unwritten: '4. Practice no policy describes',
  kept: '5. Policies kept in practice',
  method: 'How this report is made',
} as const;

export type SectionId = keyof typeof headings;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const title = (v: WorkAsDoneView, escape: Escape) => `Work as done — ${escape(v.organization)}`;

export function windowText(v: WorkAsDoneView): string {
  return v.window.kind === 'period' ? `over the period ${v.window.from} to ${v.window.to}` : `over the ${plural(daysIn(v), 'day')} up to it (${v.window.from} to ${v.window.to})`;
}

const daysIn = (v: WorkAsDoneView) => Math.round((Date.parse(v.window.to) - Date.parse(v.window.from)) / 86_400_000) + 1;

export function intro(v: WorkAsDoneView): string[] {
  return [
    `For the people who run the controls, not for third parties: what the evidence shows was done, against what the policies require, as of ${v.asOf}, ${windowText(v)}. It names the people whose notes show the work, so that you know whom to ask.`,
    'Sorted by what needs attention first: drift (cadences missed or stretching, checks that stopped reporting, accepted risks expired or expiring), then evidence requests, then policies with no practice behind them, then practice no policy describes, and last the policies kept in practice. Within each part, the worst comes first.',
  ];
}

export function method(v: WorkAsDoneView): string[] {
  const ratio = Math.round(STRETCH_RATIO * 100);
  return [
    'Activity on a control is a practice note, or a day on which a check mapped to it ran to a verdict (pass or fail); a day counts once however many notes or checks it has.',
    "A policy's cadence binds the controls the policy names, not those the SOC 2 ↔ ISO/IEC 27001 crosswalk pairs them with. Intervals run between consecutive days of activity, from the last one before the window; the typical interval is their median.",
    v.window.kind === 'period'
      ? "A miss is a cadence-missed deviation of the period, as the packs list it: from the last activity plus the cadence to the next activity, or to the period's end."
      : `A miss is a stretch of the window longer than the cadence without activity, up to the as-of date (the same rule the packs apply over a period).`,
    `A cadence is stretching when the longest interval, or the wait since the last activity, reaches ${ratio}% of it. Overdue: longer since the last activity than the cadence at the as-of date.`,
    'A policy has no practice behind it on a control it names when nothing shows that control operating up to the as-of date, or, for a policy without a cadence, nothing inside the window.',
    `Checks stopped reporting when, after a control's checks had reported, none reported for longer than the checks' freshness window (${plural(v.checksWindowDays, 'day')}); checks that began late are not listed. Controls that went silent at the same time are one row.`,
    v.window.kind === 'period'
      ? 'Evidence requests: applicable controls with no evidence of operation dated inside the period. Whom to ask: the authors of the newest practice notes for the control, else for the other controls of its theme, else the author of its policy.'
      : 'Evidence requests: applicable controls with no evidence of operation, or none fresh, at the as-of date. Whom to ask: the authors of the newest practice notes for the control, else for the other controls of its theme, else the author of its policy.',
  ];
}

export const footer = (v: WorkAsDoneView) =>
  `Made by legible ${v.version} from the evidence folder, as of ${v.asOf}: the same evidence and dates give the same file, byte for byte.`;

export const stateLabel: Record<PolicyState, string> = {
  missed: 'cadence missed',
  stretching: 'cadence stretching',
  imagined: 'no practice',
  kept: 'kept',
};

/** What a policy asks for and who wrote it. */
export const policyMeta = (p: PolicyView, escape: Escape) =>
  `${p.cadenceDays !== undefined ? `Requires this at least every ${plural(p.cadenceDays, 'day')}` : 'Sets no cadence'} · ${escape(p.author)}, ${p.date} · ${escape(p.file)}`;

export const policyColumns = ['Control', 'State', 'Days with activity', 'Typical interval', 'Longest interval', 'Misses', 'Last activity', 'Who did the work'] as const;

export const controlName = (c: { id: string; title: string }, escape: Escape) => `${escape(c.id)} ${escape(c.title)}`;

export function activityCell(c: PolicyControl): string {
  const parts = [c.practiceNotes ? plural(c.practiceNotes, 'practice note') : '', c.checkDays ? plural(c.checkDays, 'day', 'days') + ' of checks' : ''].filter(Boolean);
  return `${c.occurrences}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

const typicalCell = (c: PolicyControl) => (c.typicalInterval !== undefined ? plural(c.typicalInterval, 'day') : '—');

const longestCell = (c: PolicyControl) => (c.longestInterval ? `${plural(c.longestInterval.days, 'day')} (${c.longestInterval.from} → ${c.longestInterval.to})` : '—');

export function missesCell(c: PolicyControl, cadenceDays: number | undefined, window: ReportWindow): string {
  if (cadenceDays === undefined) return 'no cadence';
  const m = c.misses;
  const parts: string[] = [];
  if (m.count) {
    parts.push(`${m.atLeast ? 'at least ' : ''}${m.count} (${plural(m.days, 'day')} in all${m.open ? `, the last still open at ${window.kind === 'period' ? "the period's end" : 'the as-of date'}` : ''})`);
    if (m.accepted) parts.push(`${m.accepted} within an accepted exception`);
  } else parts.push('none');
  if (c.overdue) parts.push(`overdue at the as-of date`);
  return parts.join('; ');
}

const lastActivityCell = (c: PolicyControl) => (c.lastActivity ? `${c.lastActivity} (${plural(c.sinceLast!, 'day')} before the as-of date)` : 'never');

function whoCell(c: PolicyControl, escape: Escape): string {
  if (c.authors.length) return c.authors.map((a) => `${escape(a.name)} (${a.notes})`).join(', ');
  return c.checkDays ? 'checks only, no one named' : '—';
}

/** A control's cells of a policy's table from "Days with activity" on (the HTML and the Markdown draw the first two their own way). */
export const activityCells = (c: PolicyControl, cadenceDays: number | undefined, window: ReportWindow, escape: Escape): string[] => [
  activityCell(c),
  typicalCell(c),
  longestCell(c),
  missesCell(c, cadenceDays, window),
  lastActivityCell(c),
  whoCell(c, escape),
];

export const gapColumns = ['Controls', 'Last report', 'Silent for', 'Not covered', 'Reporting again'] as const;

export const gapCells = (g: ReportingGap, escape: Escape): string[] => [
  g.controls.map((c) => escape(c.id)).join(', '),
  g.lastReport,
  plural(g.silentDays, 'day'),
  `${g.uncovered.from} → ${g.uncovered.to}`,
  g.resumed ?? 'no: still silent at the as-of date',
];

export const exceptionColumns = ['Accepted risk', 'Decided by', 'Expires', 'Now', 'Controls'] as const;

export const exceptionCells = (e: ExceptionView, escape: Escape): string[] => [
  `${escape(e.title)} (${escape(e.file)})`,
  `${escape(e.author)}, ${e.date}`,
  e.expires,
  e.state === 'expired' ? `expired ${plural(e.days, 'day')} ago` : `expires in ${plural(e.days, 'day')}`,
  e.controls.map((c) => `${escape(c.id)} (${c.status})`).join(', ') || '—',
];

export const people = (list: readonly Person[], escape: Escape) => list.map((p) => `${escape(p.name)} (${escape(p.control)}, ${p.date})`).join(', ');

export const themePeople = (list: readonly Person[], escape: Escape) =>
  list.length ? `Who last gave evidence in this theme: ${people(list, escape)}.` : 'No one has written a practice note for this theme.';

export const requestColumns = ['Control', 'On record', 'Whom to ask'] as const;

export function askCell(r: EvidenceRequest, escape: Escape): string {
  switch (r.askBasis) {
    case 'control':
      return people(r.ask, escape);
    case 'policy':
      return `${people(r.ask, escape)}, who wrote its policy`;
    case 'theme':
      return "the theme's people (above)";
    case 'none':
      return 'no one on record';
  }
}

export const unwrittenColumns = ['Control', 'Theme', 'Practice notes', 'Days with activity', 'Rhythm', 'Last activity'] as const;

export const unwrittenCells = (u: UnwrittenPractice, escape: Escape): string[] => [
  controlName(u, escape),
  escape(u.theme),
  u.practiceNotes ? `${u.practiceNotes} (${u.authors.map(escape).join(', ')})` : 'checks only',
  `${u.occurrences}${u.checkDays ? ` (${plural(u.checkDays, 'day')} of checks)` : ''}`,
  u.rhythm !== undefined ? `about every ${plural(u.rhythm, 'day')}` : '—',
  u.lastActivity,
];

export const empty: Record<'cadences' | 'gaps' | 'exceptions' | 'requests' | 'imagined' | 'unwritten' | 'kept', string> = {
  cadences: 'None: every cadence was kept.',
  gaps: 'None: no check stopped reporting.',
  exceptions: `None: no accepted risk has expired or expires within ${EXPIRING_WITHIN_DAYS} days.`,
  requests: 'None: every applicable control shows evidence of operation.',
  imagined: 'None: every policy has practice behind it.',
  unwritten: 'None: every control with practice has a policy.',
  kept: 'None.',
};

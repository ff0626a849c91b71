/** Chart blocks for the PDF renderer (```chart fences), built from legible's own data: catalog names, counts, dates. */
import type { TimelineSegment, TimelineState } from '../model/evaluation.js';
import { LIMITS } from './pdf/chart-spec.js';
import { SafeMarkdownLines } from './markdown-escape.js';
import { timelineStateLabel } from './labels.js';
import { TIMELINE_RANK } from '../evaluate/period.js';

export function chartBlock(spec: object): SafeMarkdownLines {
  return new SafeMarkdownLines(['```chart', JSON.stringify(spec), '```']);
}

/** How each state of a control's days is drawn: an accepted deviation in the failing colour, hatched apart. */
const timelineLook: Record<TimelineState, { color: string; pattern?: 'hatch' }> = {
  failing: { color: 'failing' },
  accepted: { color: 'failing', pattern: 'hatch' },
  'cadence-missed': { color: 'cadence-missed' },
  'not-observed': { color: 'not-observed' },
  operating: { color: 'operating' },
  unknown: { color: 'unknown' },
};

const dayCount = (s: TimelineSegment) => (Date.parse(`${s.to}T00:00:00Z`) - Date.parse(`${s.from}T00:00:00Z`)) / 86_400_000 + 1;

/**
 * A control's period day by day as one strip, each state named in the legend with its number of days
 * (the strip's text alternative). None when nothing is known of any day, or when the days change state
 * more often than a strip can draw (the deviations date them all the same).
 */
export function timelineChart(period: { from: string; to: string }, timeline: readonly TimelineSegment[]): SafeMarkdownLines | undefined {
  if (timeline.every((s) => s.state === 'unknown') || timeline.length > LIMITS.segments) return undefined;
  const days = new Map<TimelineState, number>();
  for (const s of timeline) days.set(s.state, (days.get(s.state) ?? 0) + dayCount(s));
  const shown = TIMELINE_RANK.filter((state) => days.has(state));
  return chartBlock({
    type: 'timeline',
    from: period.from,
    to: period.to,
    states: shown.map((state) => ({ name: `${timelineStateLabel[state]}: ${days.get(state)} day${days.get(state) === 1 ? '' : 's'}`, ...timelineLook[state] })),
    segments: timeline.map((s) => ({ from: s.from, to: s.to, state: shown.indexOf(s.state) })),
  });
}

/**
 * A small inline SVG of one control's activity across the window: practice notes as dots, days with
 * checks as ticks (consecutive days merged into one bar), missed cadence as shaded stretches. Drawn
 * from dates alone, with coordinates rounded so the same data always gives the same bytes.
 */
import { ageInDays } from '../../evaluate/dates.js';
import type { PolicyControl, ReportWindow } from './view.js';

const WIDTH = 240;
const HEIGHT = 22;
const PAD = 3;

const fixed = (n: number) => (Math.round(n * 10) / 10).toString();

/** Runs of consecutive days, as [first, last]. */
export function runsOf(days: readonly string[]): [string, string][] {
  const runs: [string, string][] = [];
  for (const day of days) {
    const last = runs.at(-1);
    if (last && ageInDays(day, last[1]) === 1) last[1] = day;
    else runs.push([day, day]);
  }
  return runs;
}

export function activityStrip(window: ReportWindow, c: PolicyControl, label: string): string {
  const span = Math.max(1, ageInDays(window.to, window.from) + 1);
  const dayWidth = (WIDTH - 2 * PAD) / span;
  const x = (day: string) => PAD + Math.min(span, Math.max(0, ageInDays(day, window.from))) * dayWidth;
  const width = (from: string, to: string) => Math.max(1, x(to) + dayWidth - x(from));
  const parts = [`<rect x="${PAD}" y="4" width="${fixed(WIDTH - 2 * PAD)}" height="${HEIGHT - 8}" fill="#eef1f4"/>`];
  for (const m of c.misses.stretches) parts.push(`<rect x="${fixed(x(m.from))}" y="4" width="${fixed(width(m.from, m.to))}" height="${HEIGHT - 8}" fill="#f5b8b0"/>`);
  for (const [from, to] of runsOf(c.activeCheckDays)) parts.push(`<rect x="${fixed(x(from))}" y="${HEIGHT - 10}" width="${fixed(width(from, to))}" height="6" fill="#4b6f9e"/>`);
  for (const day of c.practiceDays) parts.push(`<circle cx="${fixed(x(day) + dayWidth / 2)}" cy="8" r="3.2" fill="#1d2733"/>`);
  return `<svg class="strip" xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${label}"><title>${label}</title>${parts.join('')}</svg>`;
}

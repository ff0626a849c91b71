/**
 * The work-as-done report as one self-contained HTML file: inline styles and drawings, no script, no
 * font or image to fetch (a Content-Security-Policy forbids any), readable offline and printable.
 * Every piece of evidence text is escaped; legible's own words come from text.ts.
 */
import { activityStrip } from './strip.js';
import * as t from './text.js';
import type { PolicyView, WorkAsDoneView } from './view.js';

/** Evidence is text, never markup: the five characters HTML gives meaning to, and control characters HTML forbids. */
export function escapeHtml(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Evidence in its own direction (a name in Arabic or Hebrew does not reorder the sentence around it). */
const esc = (text: string) => `<bdi>${escapeHtml(text)}</bdi>`;

const STYLE = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif; color: #1d2733; background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 36px 0 10px; padding-bottom: 4px; border-bottom: 2px solid #1d2733; }
h3 { font-size: 17px; margin: 24px 0 8px; }
h4 { font-size: 15px; margin: 18px 0 4px; }
p { margin: 6px 0; max-width: 78ch; }
.meta { color: #4a5563; font-size: 13px; }
nav ul { margin: 8px 0; padding: 0; list-style: none; columns: 2; font-size: 14px; }
td.date { white-space: nowrap; }
a { color: #1f4f8a; }
.glance { display: grid; grid-template-columns: repeat(auto-fill, minmax(210px, 1fr)); gap: 8px; list-style: none; padding: 0; margin: 8px 0; }
.glance li { border: 1px solid #d3d9e0; border-radius: 6px; padding: 8px 10px; font-size: 13px; }
.glance .n { display: block; font-size: 24px; font-weight: 700; line-height: 1.1; }
.glance li.attention .n { color: #b42318; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; font-size: 13px; }
th, td { border: 1px solid #d3d9e0; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #f3f5f7; font-weight: 600; }
article.policy { border-left: 4px solid #98a2b3; padding: 2px 0 2px 12px; margin: 14px 0; }
article.missed { border-color: #b42318; }
article.stretching { border-color: #b54708; }
article.imagined { border-color: #667085; }
article.kept { border-color: #067647; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 7px; border-radius: 10px; background: #eef1f4; white-space: nowrap; }
.badge.missed { background: #fee4e2; color: #912018; }
.badge.stretching { background: #fef0c7; color: #93370d; }
.badge.imagined { background: #eaecf0; color: #344054; }
.badge.kept { background: #dcfae6; color: #085d3a; }
.legend { font-size: 12px; color: #4a5563; }
.legend i { display: inline-block; width: 12px; height: 10px; margin: 0 4px 0 10px; vertical-align: middle; }
svg.strip { display: block; width: 100%; max-width: 240px; height: auto; }
footer { margin-top: 40px; font-size: 12px; color: #4a5563; }
@page { size: A4 landscape; margin: 12mm; }
@media print {
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  h4, tr { break-inside: avoid; }
  h4 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

const cells = (tag: 'th' | 'td', values: readonly string[], dates: readonly number[] = []) =>
  `<tr>${values.map((v, i) => `<${tag}${dates.includes(i) ? ' class="date"' : ''}>${v}</${tag}>`).join('')}</tr>`;
/** A table; `dates` are the columns holding a date alone, kept on one line. */
const table = (columns: readonly string[], rows: string[][], dates: readonly number[] = []) =>
  `<table><thead>${cells('th', columns)}</thead><tbody>${rows.map((r) => cells('td', r, dates)).join('')}</tbody></table>`;
const para = (text: string) => `<p>${text}</p>`;
const section = (id: t.SectionId, level: 2 | 3, body: string) => `<section id="${id}"><h${level}>${escapeHtml(t.headings[id])}</h${level}>${body}</section>`;

function policyBlock(v: WorkAsDoneView, p: PolicyView): string {
  const rows = p.controls.map((c) => {
    const label = escapeHtml(`${c.id}, ${v.window.from} to ${v.window.to}: days with activity ${t.activityCell(c)}; misses ${t.missesCell(c, p.cadenceDays, v.window)}`);
    return [
      `${t.controlName(c, esc)}${activityStrip(v.window, c, label)}`,
      `<span class="badge ${c.state}">${t.stateLabel[c.state]}</span>`,
      ...t.activityCells(c, p.cadenceDays, v.window, esc),
    ];
  });
  return `<article class="policy ${p.state}"><h4>${esc(p.title)} <span class="badge ${p.state}">${t.stateLabel[p.state]}</span></h4><p class="meta">${t.policyMeta(p, esc)}</p>${
    rows.length ? table(t.policyColumns, rows) : para('It names no applicable control.')
  }</article>`;
}

const LEGEND = `<p class="legend">In each drawing, across the window:<i style="background:#1d2733;border-radius:6px"></i>a practice note<i style="background:#4b6f9e"></i>days with checks<i style="background:#f5b8b0"></i>cadence missed</p>`;

const policies = (v: WorkAsDoneView, list: readonly PolicyView[], none: string) => (list.length ? LEGEND + list.map((p) => policyBlock(v, p)).join('') : para(none));

export function renderWorkAsDoneHtml(v: WorkAsDoneView): string {
  const attention = new Set(['policies-missed', 'policies-stretching', 'checks-silent', 'reporting-gaps', 'exceptions-expired', 'exceptions-expiring']);
  const glance = `<ul class="glance">${v.glance
    .map((g) => `<li class="${attention.has(g.key) && g.count > 0 ? 'attention' : ''}" data-key="${g.key}"><span class="n">${g.count}</span>${escapeHtml(g.text)}</li>`)
    .join('')}</ul>`;
  const nav = `<nav><ul>${(['glance', 'drift', 'requests', 'imagined', 'unwritten', 'kept', 'method'] as const).map((id) => `<li><a href="#${id}">${escapeHtml(t.headings[id])}</a></li>`).join('')}</ul></nav>`;
  const drift = [
    section('cadences', 3, policies(v, v.drift.cadences, t.empty.cadences)),
    section('gaps', 3, v.drift.gaps.length ? table(t.gapColumns, v.drift.gaps.map((g) => t.gapCells(g, esc)), [1]) : para(t.empty.gaps)),
    section('exceptions', 3, v.drift.exceptions.length ? table(t.exceptionColumns, v.drift.exceptions.map((e) => t.exceptionCells(e, esc)), [2]) : para(t.empty.exceptions)),
  ].join('');
  const requests = v.evidenceRequests.length
    ? v.evidenceRequests
        .map(
          (theme) =>
            `<h4>${esc(theme.frameworkName)} — ${esc(theme.theme)} (${theme.requests.length})</h4><p class="meta">${t.themePeople(theme.people, esc)}</p>${table(
              t.requestColumns,
              theme.requests.map((r) => [t.controlName(r, esc), r.onRecord, t.askCell(r, esc)]),
            )}`,
        )
        .join('')
    : para(t.empty.requests);
  const body = [
    `<header><h1>${t.title(v, esc)}</h1><p class="meta">As of ${v.asOf}, ${t.windowText(v)}</p></header>`,
    t.intro(v).map(para).join(''),
    nav,
    section('glance', 2, glance),
    section('drift', 2, drift),
    section('requests', 2, requests),
    section('imagined', 2, policies(v, v.imagined, t.empty.imagined)),
    section('unwritten', 2, v.unwritten.length ? table(t.unwrittenColumns, v.unwritten.map((u) => t.unwrittenCells(u, esc)), [5]) : para(t.empty.unwritten)),
    section('kept', 2, policies(v, v.kept, t.empty.kept)),
    section('method', 2, `<ul>${t.method(v).map((m) => `<li>${m}</li>`).join('')}</ul>`),
    `<footer>${t.footer(v)}</footer>`,
  ].join('\n');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="legible ${escapeHtml(v.version)}">
<title>${escapeHtml(`Work as done — ${v.organization}`)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

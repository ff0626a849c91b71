import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../catalog/catalog.js';
import type { EvidenceRecord, NoteRecord } from '../../model/types.js';
import { checkRecord, iso, noteRecord } from '../../../test/helpers/records.js';
import { evaluateRecords } from '../../../test/helpers/store.js';
import { escapeHtml, renderWorkAsDoneHtml } from './html.js';
import { renderWorkAsDoneMarkdown } from './markdown.js';
import { headings } from './text.js';
import { activityStrip, runsOf } from './strip.js';
import { workAsDoneView, type PolicyControl, type WorkAsDoneView } from './view.js';

const catalog = loadCatalog();
const freshness = { checksDays: 30, notesDays: 365 };

async function viewOf(records: EvidenceRecord[], organization = 'Testbank ASA'): Promise<WorkAsDoneView> {
  const evaluation = await evaluateRecords(records, { catalog, asOf: '2026-11-23', freshness, exclusions: new Map(), period: { from: '2026-05-01', to: '2026-10-31' } });
  return workAsDoneView({ evaluation, notes: records.filter((r): r is NoteRecord => r.type === 'note'), catalog, organization, freshness, version: '1.2.3' });
}

const hostile = '<script>alert(1)</script> | # [click](javascript:alert(1)) <img src="https://tracker.example/x.png"> & \'quoted\' **bold**';
const records: EvidenceRecord[] = [
  noteRecord({ kind: 'policy', title: `Review ${hostile}`, author: `Eve ${hostile}`, date: '2026-03-03', cadenceDays: 30, file: 'notes/<b>policy</b>.md', controls: iso('A.8.2') }),
  noteRecord({ date: '2026-07-21', author: `陈伟 ${hostile}`, file: 'notes/review.md', controls: iso('A.8.2') }),
  noteRecord({ kind: 'exception', title: `Waiver ${hostile}`, date: '2026-06-01', expires: '2026-12-01', file: 'notes/exc.md', controls: iso('A.8.5') }),
  ...['2026-05-04', '2026-06-01', '2026-06-29'].map((day) => checkRecord({ file: `checks/${day}.json`, observedAt: `${day}T06:00:00.000Z`, controls: iso('A.8.13') })),
];

const headingsOfHtml = (html: string) => [...html.matchAll(/<h([1-3])>(.*?)<\/h\1>/g)].map((m) => m[2]!.replace(/<[^>]+>/g, ''));
const headingsOfMarkdown = (md: string) =>
  new MarkdownIt()
    .parse(md, {})
    .filter((tok, i, all) => tok.type === 'inline' && all[i - 1]?.type === 'heading_open' && ['h1', 'h2', 'h3'].includes(all[i - 1]!.tag))
    .map((tok) => tok.children!.map((c) => c.content).join(''));
const unescapeHtml = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');

describe('the work-as-done page', () => {
  it('is one self-contained file: no script, nothing to fetch, a policy that forbids fetching', async () => {
    const html = renderWorkAsDoneHtml(await viewOf(records));
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<script|<img|<link|<iframe|<object|<embed|@import|url\(/i);
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    expect(html).toMatch(/<svg class="strip"[^>]*role="img"/);
  });

  it('shows evidence as text: markup in titles, names and file names is escaped, never interpreted', async () => {
    const html = renderWorkAsDoneHtml(await viewOf(records, `Org ${hostile}`));
    expect(html).toContain(escapeHtml(`Review ${hostile}`));
    expect(html).toContain(escapeHtml(`Eve ${hostile}`));
    expect(html).toContain(escapeHtml(`陈伟 ${hostile}`));
    expect(html).toContain('notes/&lt;b&gt;policy&lt;/b&gt;.md');
    expect(html).toContain(`<title>${escapeHtml(`Work as done — Org ${hostile}`)}</title>`);
    // Only legible's own elements: the hostile text adds none.
    const tags = new Set([...html.matchAll(/<([a-z0-9]+)[\s>]/g)].map((m) => m[1]));
    expect([...tags].sort()).toEqual(['article', 'bdi', 'body', 'circle', 'footer', 'h1', 'h2', 'h3', 'h4', 'head', 'header', 'html', 'li', 'main', 'meta', 'nav', 'p', 'rect', 'section', 'span', 'style', 'svg', 'table', 'tbody', 'td', 'th', 'thead', 'title', 'tr', 'ul', 'a', 'i'].sort());
  });

  it('the Markdown twin keeps evidence inside its cells and headings, with no link, image or HTML', async () => {
    const md = renderWorkAsDoneMarkdown(await viewOf(records, `Org ${hostile}`));
    const tokens = new MarkdownIt().parse(md, {});
    const inline = tokens.flatMap((t) => t.children ?? []);
    expect(inline.filter((t) => ['link_open', 'image', 'html_inline'].includes(t.type))).toEqual([]);
    // The only emphasis is legible's own: the numbers at a glance.
    expect(inline.filter((t) => t.type === 'strong_open' || t.type === 'em_open')).toHaveLength(10);
    expect(tokens.some((t) => t.type === 'html_block')).toBe(false);
    // Every row of a table has as many cells as its header.
    for (const table of md.split('\n\n').filter((b) => b.startsWith('| '))) {
      const widths = table.split('\n').map((line) => line.split(/(?<!\\)\|/).length);
      expect(new Set(widths).size, table).toBe(1);
    }
    const rendered = new MarkdownIt().render(md);
    expect(rendered).toContain(escapeHtml(`Review ${hostile}`).replace(/&#39;/g, "'"));
  });

  it('both say the same: the same headings in the same order, and the same numbers at a glance', async () => {
    const view = await viewOf(records);
    const html = renderWorkAsDoneHtml(view);
    const md = renderWorkAsDoneMarkdown(view);
    const fromHtml = headingsOfHtml(html).map(unescapeHtml);
    expect(fromHtml).toEqual(headingsOfMarkdown(md));
    expect(fromHtml).toEqual(['Work as done — Testbank ASA', ...(['glance', 'drift', 'cadences', 'gaps', 'exceptions', 'requests', 'imagined', 'unwritten', 'kept', 'method'] as const).map((id) => headings[id])]);
    const glanceHtml = [...html.matchAll(/data-key="([a-z-]+)"><span class="n">(\d+)<\/span>/g)].map((m) => `${m[1]} ${m[2]}`);
    const glanceMd = [...md.matchAll(/^- \*\*(\d+)\*\* (.+)$/gm)].map((m, i) => `${view.glance[i]!.key} ${m[1]}`);
    expect(glanceHtml).toEqual(view.glance.map((g) => `${g.key} ${g.count}`));
    expect(glanceMd).toEqual(glanceHtml);
    expect(view.glance.find((g) => g.key === 'exceptions-expiring')?.count).toBe(1);
  });
});

describe('the activity drawing', () => {
  it('draws consecutive days of checks as one bar, practice notes as dots, missed stretches shaded', () => {
    const window = { from: '2026-05-01', to: '2026-10-31', kind: 'period' as const };
    const control = {
      practiceDays: ['2026-07-21'],
      activeCheckDays: ['2026-05-01', '2026-05-02', '2026-05-03', '2026-06-10'],
      misses: { count: 1, days: 10, open: false, accepted: 0, atLeast: false, stretches: [{ from: '2026-08-01', to: '2026-08-10' }] },
    } as PolicyControl;
    expect(runsOf(control.activeCheckDays)).toEqual([['2026-05-01', '2026-05-03'], ['2026-06-10', '2026-06-10']]);
    const svg = activityStrip(window, control, 'A.8.2');
    expect(svg.match(/fill="#4b6f9e"/g)).toHaveLength(2);
    expect(svg.match(/<circle /g)).toHaveLength(1);
    expect(svg.match(/fill="#f5b8b0"/g)).toHaveLength(1);
    expect(svg).toContain('<title>A.8.2</title>');
    expect(activityStrip(window, control, 'A.8.2')).toBe(svg);
  });
});

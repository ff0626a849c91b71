/**
 * The work-as-done report as Markdown, for a CI job summary or a pull request comment: the same
 * sections, numbers and words as the HTML file (text.ts), without the drawings. Evidence text is
 * escaped so that no title or name can become a heading, link, table cell or HTML.
 */
import { escapeMarkdownInline } from '../markdown-escape.js';
import * as t from './text.js';
import type { PolicyView, WorkAsDoneView } from './view.js';

const esc = escapeMarkdownInline;

const row = (values: readonly string[]) => `| ${values.join(' | ')} |`;
const table = (columns: readonly string[], rows: readonly string[][]) => [row(columns), row(columns.map(() => '---')), ...rows.map(row)].join('\n');

function policyBlock(v: WorkAsDoneView, p: PolicyView): string {
  const rows = p.controls.map((c) => [
    t.controlName(c, esc),
    t.stateLabel[c.state],
    ...t.activityCells(c, p.cadenceDays, v.window, esc),
  ]);
  return [`#### ${esc(p.title)} (${t.stateLabel[p.state]})`, t.policyMeta(p, esc), rows.length ? table(t.policyColumns, rows) : 'It names no applicable control.'].join('\n\n');
}

const policies = (v: WorkAsDoneView, list: readonly PolicyView[], none: string) => (list.length ? list.map((p) => policyBlock(v, p)).join('\n\n') : none);

export function renderWorkAsDoneMarkdown(v: WorkAsDoneView): string {
  const h = (level: 2 | 3, id: t.SectionId) => `${'#'.repeat(level)} ${t.headings[id]}`;
  const requests = v.evidenceRequests.length
    ? v.evidenceRequests
        .map((theme) =>
          [
            `#### ${esc(theme.frameworkName)} — ${esc(theme.theme)} (${theme.requests.length})`,
            t.themePeople(theme.people, esc),
            table(
              t.requestColumns,
              theme.requests.map((r) => [t.controlName(r, esc), r.onRecord, t.askCell(r, esc)]),
            ),
          ].join('\n\n'),
        )
        .join('\n\n')
    : t.empty.requests;
  const blocks = [
    `# ${t.title(v, esc)}`,
    `As of ${v.asOf}, ${t.windowText(v)}.`,
    ...t.intro(v),
    h(2, 'glance'),
    v.glance.map((g) => `- **${g.count}** ${g.text}`).join('\n'),
    h(2, 'drift'),
    h(3, 'cadences'),
    policies(v, v.drift.cadences, t.empty.cadences),
    h(3, 'gaps'),
    v.drift.gaps.length ? table(t.gapColumns, v.drift.gaps.map((g) => t.gapCells(g, esc))) : t.empty.gaps,
    h(3, 'exceptions'),
    v.drift.exceptions.length ? table(t.exceptionColumns, v.drift.exceptions.map((e) => t.exceptionCells(e, esc))) : t.empty.exceptions,
    h(2, 'requests'),
    requests,
    h(2, 'imagined'),
    policies(v, v.imagined, t.empty.imagined),
    h(2, 'unwritten'),
    v.unwritten.length ? table(t.unwrittenColumns, v.unwritten.map((u) => t.unwrittenCells(u, esc))) : t.empty.unwritten,
    h(2, 'kept'),
    policies(v, v.kept, t.empty.kept),
    h(2, 'method'),
    t.method(v).map((m) => `- ${m}`).join('\n'),
    `---\n\n${t.footer(v)}`,
  ];
  return `${blocks.join('\n\n')}\n`;
}

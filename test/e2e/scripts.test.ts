import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legible, pdfPlain, type CliResult } from '../helpers/cli.js';

/** Notes in the scripts legible draws, the ones it cannot, hidden controls, and a 10 MB pasted change log. */
const NOTES: Record<string, { title: string; body: string }> = {
  'hindi.md': { title: 'Hindi note', body: 'पासवर्ड नीति की समीक्षा की गई।\n' },
  'arabic.md': { title: 'Arabic note', body: 'مرحبا بالعالم ١٢٣\n\nThe review was signed by محمد علي on 2026-10-02.\n' },
  'hebrew.md': { title: 'Hebrew note', body: 'מדיניות אבטחת מידע\n' },
  'thai.md': { title: 'Thai note', body: 'สวัสดีครับ\n\nน้ำ ไม่ได้ รั่ว\n' },
  'cjk.md': { title: 'CJK note', body: '陈伟审核了访问权限。\n' },
  'emoji.md': { title: 'Emoji note', body: 'Deploy 🚀 done ✅, approved 👍🏽\n' },
  'ethiopic.md': { title: 'Ethiopic note', body: 'Reviewed.\n\nሰላም\n' },
  'override.md': { title: 'Access review \u202Efdp.exe', body: 'Zero\u200Bwidth and a joiner\u200D here.\n' },
};

const note = (title: string, body: string) => `---\ntitle: "${title}"\nauthor: Ola Nordmann\ndate: 2026-11-01\ncontrols: [A.5.15]\n---\n${body}`;

let dir: string;
let built: CliResult;
let seconds: number;
let changelog: Buffer;
const pack = () => join(dir, 'out', 'iso27001-2022-certification-pack.pdf');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'legible-scripts-'));
  mkdirSync(join(dir, 'evidence', 'notes'), { recursive: true });
  for (const [file, { title, body }] of Object.entries(NOTES)) writeFileSync(join(dir, 'evidence', 'notes', file), note(title, body));
  const lines: string[] = [];
  for (let i = 0, size = 0; size < 10 * 1024 * 1024; i++) {
    const line = `- 2026-10-${String(1 + (i % 28)).padStart(2, '0')} deploy checkout-api v1.${i} approved by reviewer-${i % 17}, ticket CHG-${10000 + i}`;
    lines.push(line);
    size += line.length + 1;
  }
  changelog = Buffer.from(note('Change log', `${lines.join('\n')}\n`));
  writeFileSync(join(dir, 'evidence', 'notes', 'changelog.md'), changelog);
  const start = process.hrtime.bigint();
  built = await legible(['build', '--as-of', '2026-11-23', '--no-cache'], dir);
  seconds = Number(process.hrtime.bigint() - start) / 1e9;
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('evidence text in any script', () => {
  it('builds', () => {
    expect(built.code, built.stderr).toBe(0);
  });

  it('quotes a 10 MB note to a few pages, says what is left out and where the whole is', () => {
    const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pack()], { encoding: 'utf8' }))?.[1]);
    // It was 4,468 pages and 81 s before notes were quoted to a limit.
    expect(pages).toBeLessThan(80);
    expect(seconds).toBeLessThan(60);
    const text = pdfPlain(pack());
    const sha = createHash('sha256').update(changelog).digest('hex');
    expect(text).toMatch(new RegExp(`… 10\\.\\d MB \\([\\d,]+ lines\\) not quoted; the full note is notes/changelog\\.md, SHA-256 ${sha}`));
    expect(text).toContain('the full note is notes/changelog.md');
    expect(text).toContain('ticket CHG-10000');
    expect(text).not.toContain('ticket CHG-19999');
  });

  it('draws the scripts the fonts hold, right-to-left words in reading order', () => {
    const text = pdfPlain(pack());
    expect(text).toContain('陈伟审核了访问权限。');
    expect(text).toContain('สวัสดีครับ');
    expect(text).toContain('🚀');
    // pdftotext puts text drawn right to left back into reading order, between embedding marks of its own.
    const read = text.replace(/[\u202A-\u202C]/g, '').replace(/\s+/g, ' ');
    expect(read).toContain('מדיניות אבטחת מידע');
    expect(read).toContain('مرحبا بالعالم');
    expect(read).toMatch(/signed by محمد علي ?on 2026-10-02/);
  });

  it('shows hidden controls and what no font draws as markers, never obeys them', () => {
    const text = pdfPlain(pack());
    expect(text).toContain('Access review ⟨U+202E⟩fdp.exe');
    expect(text).toContain('Zero⟨U+200B⟩width');
    expect(text).toContain('joiner⟨U+200D⟩');
    expect(text).toContain('⟨U+1230⟩⟨U+120B⟩⟨U+121D⟩');
    expect(text).toContain('👍⟨U+1F3FD⟩');
    expect(text).toContain('⟨U+0E33⟩');
    expect(text).not.toContain('\u202E');
    const outline = execFileSync('qpdf', ['--json=2', '--json-key=outlines', pack()], { encoding: 'utf8' });
    expect(outline).toContain('Access review ⟨U+202E⟩fdp.exe');
  });

  it('reports each marker with the file and line in the manifest', () => {
    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8')) as { diagnostics: { code: string; file?: string; place?: { line?: number }; message: string }[] };
    const found = (code: string, file: string) => manifest.diagnostics.filter((d) => d.code === code && d.file === `notes/${file}`).map((d) => ({ line: d.place?.line, message: d.message }));
    expect(found('text/invisible-character', 'override.md')).toEqual([
      { line: 2, message: 'title holds U+202E (right-to-left override): shown in the PDFs as markers such as ⟨U+202E⟩, not obeyed' },
      { line: 7, message: 'body holds U+200B (zero-width space), U+200D (zero-width joiner): shown in the PDFs as markers such as ⟨U+200B⟩, not obeyed' },
    ]);
    expect(found('text/unrenderable', 'thai.md')).toEqual([{ line: 9, message: expect.stringContaining('U+0E33 (Thai)') }]);
    expect(found('text/unrenderable', 'ethiopic.md')).toEqual([{ line: 9, message: expect.stringContaining('U+1230 (Ethiopic)') }]);
    expect(found('text/unrenderable', 'emoji.md')).toEqual([{ line: 7, message: expect.stringContaining('U+1F3FD') }]);
    for (const file of ['hindi.md', 'arabic.md', 'hebrew.md', 'cjk.md']) expect(manifest.diagnostics.filter((d) => d.file === `notes/${file}`)).toEqual([]);
  });
});

import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PdfOptions, renderMarkdownPdf } from './index.js';
import { columnWidths } from './layout.js';
import { parseMarkdown } from './markdown.js';
import { tempDir } from '../../../test/helpers/temp.js';

const base: PdfOptions = {
  title: 'Evidence narrative',
  author: 'Zoë Ødegård',
  subject: 'ISO 27001 readiness',
  keywords: 'iso27001, evidence',
  creationDate: new Date('2024-06-30T00:00:00Z'),
  footer: 'Acme Ltd — confidential',
};



const dir = tempDir('legible-pdf-test-');

let counter = 0;
async function renderToFile(markdown: string, options: Partial<PdfOptions> = {}): Promise<string> {
  const buf = await renderMarkdownPdf(markdown, { ...base, ...options });
  const file = path.join(dir, `doc-${++counter}.pdf`);
  writeFileSync(file, buf);
  return file;
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
}

function text(file: string, page?: number): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return run('pdftotext', ['-layout', ...range, file, '-']);
}

function pageCount(file: string): number {
  const m = /^Pages:\s+(\d+)/m.exec(run('pdfinfo', [file]));
  return Number(m?.[1] ?? 0);
}

/** Uncompressed, object-stream-free copy of the file, as text. */
function qdf(file: string): string {
  const out = `${file}.qdf.pdf`;
  run('qpdf', ['--qdf', '--object-streams=disable', file, out]);
  return readFileSync(out).toString('latin1');
}

function expectInOrder(haystack: string, needles: string[]): void {
  let at = -1;
  for (const needle of needles) {
    const next = haystack.indexOf(needle, at + 1);
    expect(next, `"${needle}" after position ${at}`).toBeGreaterThan(at);
    at = next;
  }
}

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

const SAMPLE = `# Overview

Intro paragraph with **bold**, *italic* and \`inline code\`.

## Scope

- First bullet point
- Second bullet point
  - Nested bullet
1. Ordered one
2. Ordered two

> Quoted evidence statement.

| Control | Owner | Status |
|---------|-------|-------:|
| A.5.1 | Security team | Implemented |
| A.8.2 | IT operations | Partial |

\`\`\`
sha256 3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed  manifest.json
\`\`\`

---

Closing paragraph.
`;

describe('parseMarkdown', () => {
  it('keeps links, images and HTML as literal text', () => {
    const blocks = parseMarkdown('[click](javascript:alert(1)) ![img](x.png) <b>html</b> <https://example.com>\n\n[ref]: https://example.com');
    const texts = blocks.map((b) => (b.type === 'paragraph' ? b.runs.map((r) => r.text).join('') : ''));
    expect(texts[0]).toBe('[click](javascript:alert(1)) ![img](x.png) <b>html</b> <https://example.com>');
    expect(texts[1]).toBe('[ref]: https://example.com');
  });

  it('reads table alignment', () => {
    const [table] = parseMarkdown('| a | b | c |\n|:--|:-:|--:|\n| 1 | 2 | 3 |');
    expect(table?.type === 'table' && table.align).toEqual(['left', 'center', 'right']);
  });
});

describe('columnWidths', () => {
  it('keeps natural widths that fit', () => {
    expect(columnWidths([10, 20], [30, 40], 100)).toEqual([30, 40]);
  });

  it('never exceeds the available width and keeps short columns whole', () => {
    const widths = columnWidths([40, 60, 50, 30], [50, 900, 70, 40], 480);
    expect(widths.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(480.001);
    expect(widths[0]).toBe(50);
    expect(widths[2]).toBe(70);
    expect(widths[3]).toBe(40);
  });

  it('shares the width equally when even the longest words of equal columns do not fit', () => {
    expect(columnWidths([300, 300], [600, 600], 300)).toEqual([150, 150]);
  });

  it('breaks only the columns with the longest unbreakable words when words do not fit', () => {
    // check id, an ARN, a date, a severity, a message: the ARN alone is too wide
    const widths = columnWidths([90, 400, 60, 50, 80], [90, 400, 60, 50, 600], 480);
    expect(widths.reduce((a, b) => a + b, 0)).toBeCloseTo(480, 3);
    expect(widths.slice(2, 4)).toEqual([60, 50]);
    expect(widths[0]).toBe(90);
    expect(widths[1]).toBeLessThan(400);
  });
});

describe('renderMarkdownPdf: determinism', () => {
  it('is byte-identical for the same input and changes with one word', async () => {
    const a = await renderMarkdownPdf(SAMPLE, base);
    const b = await renderMarkdownPdf(SAMPLE, { ...base, creationDate: new Date(base.creationDate.getTime()) });
    expect(a.equals(b)).toBe(true);
    const c = await renderMarkdownPdf(SAMPLE.replace('Closing paragraph', 'Final paragraph'), base);
    expect(c.equals(a)).toBe(false);
    const id = (buf: Buffer): string | undefined => /\/ID \[<([0-9a-f]+)>/.exec(buf.toString('latin1'))?.[1];
    expect(id(a)).toBeDefined();
    expect(id(c)).not.toBe(id(a));
    expect(a.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
  });

  it('uses the given creation date and digest in the info dictionary', async () => {
    const buf = await renderMarkdownPdf('# Hi', base);
    // Info values are written uncompressed.
    const raw = buf.toString('latin1');
    expect(raw).toContain('(D:20240630000000Z)');
    expect(raw).toMatch(/\(([0-9a-f]{64})\)/);
  });
});

describe('renderMarkdownPdf: PDF output', () => {
  it('renders headings, paragraphs, lists, quotes, tables and code in order', async () => {
    const file = await renderToFile(SAMPLE);
    const out = text(file);
    expectInOrder(out, [
      'Overview',
      'Intro paragraph with bold, italic and inline code.',
      'Scope',
      '• First bullet point',
      '• Second bullet point',
      'Nested bullet',
      '1. Ordered one',
      '2. Ordered two',
      'Quoted evidence statement.',
      'Control',
      'Owner',
      'Status',
      'A.5.1',
      'Security team',
      'Implemented',
      'A.8.2',
      'Partial',
      '3f786850e387550fdab836ed7e6dc881de23001b3f786850e387550fdab836ed',
      'Closing paragraph.',
    ]);
    expect(run('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors');
  });

  it('splits a 200-row table over pages and repeats the header on each', async () => {
    const rows = Array.from(
      { length: 200 },
      (_, i) => `| R-${String(i + 1).padStart(3, '0')} | Narrative for row ${i + 1} that is long enough to wrap inside its cell on most page widths, more or less | ${i % 2 ? 'Done' : 'Open'} |`,
    ).join('\n');
    const file = await renderToFile(`# Controls\n\nBefore the table.\n\n| ControlRef | Narrative | Status |\n|---|---|---|\n${rows}\n\nAfter the table.\n`);
    const pages = pageCount(file);
    expect(pages).toBeGreaterThan(3);
    let seenRows = 0;
    for (let p = 1; p <= pages; p++) {
      const pageText = text(file, p);
      const rowsOnPage = (pageText.match(/R-\d{3}/g) ?? []).length;
      seenRows += rowsOnPage;
      if (rowsOnPage > 0) expect(occurrences(pageText, 'ControlRef'), `header on page ${p}`).toBe(1);
    }
    expect(seenRows).toBe(200);
    expectInOrder(text(file), ['R-001', 'R-100', 'R-200', 'After the table.']);
  });

  it('embeds every font and falls back to Noto Sans SC for CJK', async () => {
    const file = await renderToFile('# 陈伟\n\nOwners: Zoë Ødegård and 陈伟（负责人）。\n\n**加粗 陈伟** and `code 陈伟`\n', {
      footer: 'Prepared for 陈伟',
    });
    const out = text(file);
    expect(out).toContain('陈伟');
    expect(out).toContain('Zoë Ødegård');
    const fonts = run('pdffonts', [file]).trim().split('\n').slice(2);
    expect(fonts.length).toBeGreaterThan(2);
    for (const line of fonts) {
      // Columns: name type encoding emb sub uni object ID
      const cols = line.trim().split(/\s+/);
      expect(cols.slice(-5, -2), line).toEqual(['yes', 'yes', 'yes']);
      expect(line).not.toMatch(/Helvetica|Times|Courier|Symbol|ZapfDingbats/);
    }
    expect(fonts.some((l) => l.includes('NotoSansSC'))).toBe(true);
    expect(fonts.some((l) => l.includes('DejaVuSans'))).toBe(true);
  });

  it('draws real CJK glyphs (not empty WOFF2 outlines)', async () => {
    const darkPixels = (file: string): number => {
      const pgm = execFileSync('pdftoppm', ['-gray', '-r', '40', '-f', '1', '-l', '1', file]);
      // Binary PGM: "P5\n<w> <h>\n255\n" then one byte per pixel.
      const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 50).toString('latin1'));
      const data = pgm.subarray(header?.[0].length ?? 0);
      let dark = 0;
      for (const v of data) if (v < 160) dark++;
      return dark;
    };
    const blank = await renderToFile('Label:');
    const cjk = await renderToFile(`Label: ${'陈伟负责安全评估'.repeat(40)}`);
    expect(darkPixels(cjk) - darkPixels(blank)).toBeGreaterThan(500);
  });

  it('shows links, HTML and template syntax literally and writes no actions', async () => {
    const file = await renderToFile(
      'Click [click](javascript:alert(1)) or <b>html</b> or {{x}} or <https://example.com> or ![i](http://x/y.png).\n\n<script>alert(1)</script>\n',
    );
    const out = text(file);
    expect(out).toContain('[click](javascript:alert(1))');
    expect(out).toContain('<b>html</b>');
    expect(out).toContain('{{x}}');
    expect(out).toContain('<https://example.com>');
    expect(out).toContain('<script>alert(1)</script>');
    const raw = qdf(file);
    expect(raw).not.toContain('/URI');
    expect(raw).not.toContain('/JavaScript');
    expect(raw).not.toContain('/JS');
    expect(raw).not.toContain('/Annots');
    expect(raw).not.toContain('/XObject');
  });

  it('builds an outline: h1 entries with their h2 children', async () => {
    const file = await renderToFile('# One\n\n## One A\n\ntext\n\n## One B\n\ntext\n\n# Two\n\n## Two A\n\ntext\n');
    const json = JSON.parse(run('qpdf', ['--json', file])) as {
      outlines: { title: string; destpageposfrom1: number; kids: { title: string }[] }[];
    };
    expect(json.outlines.map((o) => o.title)).toEqual(['One', 'Two']);
    expect(json.outlines[0]?.kids.map((k) => k.title)).toEqual(['One A', 'One B']);
    expect(json.outlines[1]?.kids.map((k) => k.title)).toEqual(['Two A']);
    // Each h1 starts a page (except the first, already at the top of page 1).
    expect(json.outlines.map((o) => o.destpageposfrom1)).toEqual([1, 2]);
    expect(text(file, 2).trimStart().startsWith('Two')).toBe(true);
  });

  it('writes the footer with page numbers on every page', async () => {
    const long = Array.from({ length: 150 }, (_, i) => `Paragraph ${i} with some filler text to take up space on the page.`).join('\n\n');
    const file = await renderToFile(long, { footer: 'Acme & Partners — audit pack' });
    const pages = pageCount(file);
    expect(pages).toBeGreaterThan(1);
    for (let p = 1; p <= pages; p++) {
      const pageText = text(file, p);
      expect(pageText).toContain(`Page ${p} of ${pages}`);
      expect(pageText).toContain('Acme & Partners — audit pack');
    }
  });

  it('survives metadata with XML/PDF special characters and attaches files', async () => {
    const title = 'Risk & <Controls> "2024" (draft) \\ final';
    const file = await renderToFile('# Meta', {
      title,
      author: 'Zoë <Ødegård> & 陈伟',
      subject: 'a > b & c < d',
      keywords: '<iso>, &soc2',
      attachments: [
        { name: 'manifest.json', content: Buffer.from('{"files":[]}\n'), description: 'Evidence manifest', mimeType: 'application/json' },
      ],
    });
    expect(run('qpdf', ['--check', file])).toContain('No syntax or stream encoding errors');
    const info = run('pdfinfo', [file]);
    expect(info).toContain(`Title:           ${title}`);
    expect(info).toContain('Author:          Zoë <Ødegård> & 陈伟');
    const raw = qdf(file);
    // The XMP packet stays well-formed XML.
    expect(raw).toContain('Risk &amp; &lt;Controls&gt;');
    expect(raw).not.toContain('<rdf:li xml:lang="x-default">Risk & <');
    expect(run('pdfdetach', ['-list', file])).toContain('manifest.json');
    const extracted = path.join(dir, 'extracted-manifest.json');
    run('pdfdetach', ['-save', '1', '-o', extracted, file]);
    expect(readFileSync(extracted, 'utf8')).toBe('{"files":[]}\n');
    expect(raw).toContain('/CreationDate (D:20240630000000Z)');
  });

  it('renders a large document quickly', async () => {
    const para = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ';
    let md = '';
    for (let c = 1; c <= 30; c++) {
      md += `# Chapter ${c}\n\n`;
      for (let s = 1; s <= 3; s++) {
        md += `## Section ${c}.${s}\n\n${para.repeat(5)}\n\n- item ${para}\n- item two\n\n`;
        md += '| Control | Description | Status |\n|---|---|---|\n';
        md += Array.from({ length: 10 }, (_, i) => `| A.${c}.${s}.${i} | ${para} | ok |`).join('\n') + '\n\n';
      }
    }
    const file = await renderToFile(md);
    expect(pageCount(file)).toBeGreaterThan(60);
  });
});

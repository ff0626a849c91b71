/**
 * Markdown → PDF with pdfkit: deterministic, fonts fully embedded (DejaVu with
 * Noto Sans SC fallback), outline from h1/h2, footer with page numbers, and
 * optional file attachments.
 */
import { createHash } from 'node:crypto';
import PDFDocument from 'pdfkit';
import { DEFAULT_FONT_PATH, DocFonts } from './fonts.js';
import { PAGE, Renderer } from './layout.js';
import { parseMarkdown } from './markdown.js';

export interface PdfOptions {
  title: string;
  author: string;
  subject: string;
  keywords?: string;
  /** Fixed document date (derived from the --as-of date): output must be byte-identical for the same input. */
  creationDate: Date;
  /** Text in the footer of every page, left side; right side shows "Page n of N". */
  footer: string;
  /** Files attached to the PDF (e.g. manifest.json), with explicit dates for determinism. */
  attachments?: { name: string; content: Buffer; description: string; mimeType: string }[];
}

/** Bump when the layout changes so that the digest (and /ID) changes with it. */
const RENDERER_VERSION = 'legible-pdf/2';

/** SHA-256 over everything that determines the output. */
export function pdfDigest(markdown: string, options: PdfOptions): string {
  const hash = createHash('sha256');
  const field = (value: string | Buffer): void => {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    const len = Buffer.alloc(8);
    len.writeBigUInt64BE(BigInt(bytes.length));
    hash.update(len).update(bytes);
  };
  field(RENDERER_VERSION);
  field(markdown);
  field(options.title);
  field(options.author);
  field(options.subject);
  field(options.keywords ?? '\u0000none');
  field(options.creationDate.toISOString());
  field(options.footer);
  for (const a of options.attachments ?? []) {
    field(a.name);
    field(a.description);
    field(a.mimeType);
    field(a.content);
  }
  return hash.digest('hex');
}

const XML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

function xmlEscape(value: string): string {
  // Also drop characters that XML 1.0 does not allow at all.
  return value
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/** pdfkit internals: the XMP packet builder interpolates info strings unescaped. */
interface MetadataInternals {
  info: Record<string, unknown>;
  _addInfo(): void;
}

function escapeXmpInfo(doc: PDFKit.PDFDocument): void {
  const internals = doc as unknown as MetadataInternals;
  const addInfo = internals._addInfo;
  internals._addInfo = function addEscapedInfo(this: MetadataInternals): void {
    const saved = this.info;
    const escaped: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(saved)) escaped[k] = typeof v === 'string' ? xmlEscape(v) : v;
    this.info = escaped;
    try {
      addInfo.call(this);
    } finally {
      this.info = saved;
    }
  };
}

export function renderMarkdownPdf(markdown: string, options: PdfOptions): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    try {
      const date = new Date(options.creationDate.getTime());
      const info: PDFKit.DocumentInfo = {
        Title: options.title,
        Author: options.author,
        Subject: options.subject,
        Creator: 'legible',
        Producer: 'legible (PDFKit)',
        CreationDate: date,
        ModDate: date,
        // pdfkit derives the trailer /ID from the info dictionary (given to
        // the constructor), so the digest makes different content get a
        // different ID while equal input stays byte-identical.
        Digest: pdfDigest(markdown, options),
      };
      if (options.keywords !== undefined) info.Keywords = options.keywords;
      const doc = new PDFDocument({
        size: PAGE.size,
        margin: PAGE.margin,
        pdfVersion: '1.7',
        // Archival: PDF/A-3b (embedded fonts, XMP, an sRGB output intent; PDF/A-3 allows attachments).
        subset: 'PDF/A-3b',
        lang: 'en',
        bufferPages: true,
        displayTitle: true,
        font: DEFAULT_FONT_PATH,
        info,
      });
      escapeXmpInfo(doc);
      const chunks: Buffer[] = [];
      doc.on('data', (chunk: Buffer) => chunks.push(chunk));
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);

      const fonts = new DocFonts(doc);
      const renderer = new Renderer(doc, fonts);
      renderer.render(parseMarkdown(markdown));
      renderer.footers(options.footer);

      for (const a of options.attachments ?? []) {
        doc.file(a.content, {
          name: a.name,
          type: a.mimeType,
          description: a.description,
          creationDate: date,
          modifiedDate: date,
          relationship: 'Supplement',
        });
      }
      doc.end();
    } catch (err) {
      reject(err instanceof Error ? err : new Error(String(err)));
    }
  });
}

import { LineCounter, parseDocument, isMap } from 'yaml';
import { z } from 'zod';
import type { NoteRecord, Place } from '../model/types.js';
import { diagnostic } from '../diagnostics/codes.js';
import { durationDays, duration, isoDate } from '../config/schema.js';
import { isValidDate } from '../config/load.js';
import { placeOfPath } from '../config/yaml-place.js';
import { reject, type Parser, type Source } from './parser.js';

const FENCE = /^\uFEFF?---[ \t]*\r?\n/;

// The pattern shows in the editors' schema; the refinement catches 2026-02-30.
const date = isoDate.refine(isValidDate, 'expected a calendar date as YYYY-MM-DD');

/** Front matter is read with YAML's failsafe schema: every scalar is a string, so `9.10` stays `9.10`. schemas/note-front-matter.schema.json is made from this. */
export const frontMatterSchema = z
  .object({
    title: z.string().trim().min(1),
    author: z.string().trim().min(1),
    date,
    controls: z.union([z.array(z.string()), z.string().transform((s) => s.split(/[;,]/))]).transform((ids) =>
      ids.map((s) => s.trim()).filter(Boolean),
    ),
    kind: z.enum(['practice', 'policy', 'exception']).default('practice'),
    cadence: duration.optional(),
    expires: date.optional(),
    covers: z
      .union([z.array(z.string()), z.string().transform((s) => [s])])
      .transform((patterns) => patterns.map((s) => s.trim()).filter(Boolean))
      .optional()
      .describe('Exception only: the findings it accepts, as globs on the check id or the resource (default: every finding of its controls)'),
  })
  .passthrough()
  .superRefine((fm, ctx) => {
    if (fm.kind === 'exception' && !fm.expires) {
      ctx.addIssue({ code: 'custom', path: ['expires'], message: 'an exception needs an expiry date (expires: YYYY-MM-DD)' });
    }
    if (fm.covers && fm.kind !== 'exception') {
      ctx.addIssue({ code: 'custom', path: ['covers'], message: 'covers belongs on an exception note (kind: exception)' });
    }
    if (fm.cadence && fm.kind !== 'policy') {
      ctx.addIssue({ code: 'custom', path: ['cadence'], message: 'cadence belongs on a policy note (kind: policy)' });
    }
  });

/** Split `---\n yaml \n---\n body`; returns undefined when there is no closed front matter block. */
function splitFrontMatter(text: string): { yaml: string; body: string; bodyLine: number } | undefined {
  const open = FENCE.exec(text);
  if (!open) return undefined;
  const rest = text.slice(open[0].length);
  const close = /^(?:---|\.\.\.)[ \t]*$/m.exec(rest);
  if (!close) return undefined;
  const yaml = rest.slice(0, close.index);
  const body = rest.slice(close.index + close[0].length).replace(/^\r?\n/, '');
  return { yaml, body, bodyLine: yaml.split('\n').length + 2 };
}

export const noteParser: Parser = {
  name: 'note',
  label: 'Practitioner note (Markdown with YAML front matter)',
  detect(source: Source) {
    if (source.binary) return 0;
    if (FENCE.test(source.head)) return 0.9;
    return /\.(md|markdown)$/i.test(source.file.path) ? 0.5 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const text = await source.text();
    const parts = splitFrontMatter(text);
    if (!parts) {
      return reject(
        sink,
        diagnostic('note/front-matter-missing', 'no YAML front matter: a note starts with a --- block giving title, author, date and controls', {
          file,
          place: { line: 1 },
        }),
      );
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(parts.yaml, { lineCounter, schema: 'failsafe', prettyErrors: false, uniqueKeys: true });
    // Front matter starts on line 2 of the file.
    const shift = (p: Place | undefined): Place | undefined => (p?.line ? { ...p, line: p.line + 1 } : p);
    if (doc.errors.length || !isMap(doc.contents)) {
      const e = doc.errors[0];
      const pos = e ? lineCounter.linePos(e.pos[0]) : undefined;
      return reject(
        sink,
        diagnostic('note/front-matter-syntax', e ? `front matter YAML: ${e.message.split('\n')[0]}` : 'front matter must be a YAML mapping of fields', {
          file,
          place: shift(pos ? { line: pos.line, column: pos.col } : { line: 1 }) ?? { line: 2 },
        }),
      );
    }
    const parsed = frontMatterSchema.safeParse(doc.toJS());
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const place = shift(placeOfPath(doc, lineCounter, issue.path));
        const field = issue.path.length ? `${issue.path.join('.')}: ` : '';
        const message = issue.code === 'invalid_type' && issue.input === undefined ? 'required field is missing' : issue.message;
        sink.diagnostic(diagnostic('note/front-matter-invalid', `front matter ${field}${message}`, { file, ...(place ? { place } : {}) }));
      }
      return { rejected: true };
    }
    const fm = parsed.data;
    const lineOf = (field: string) => shift(placeOfPath(doc, lineCounter, [field]))?.line;
    const titleLine = lineOf('title');
    const authorLine = lineOf('author');
    const note: NoteRecord = {
      type: 'note',
      format: 'note',
      file,
      place: shift(placeOfPath(doc, lineCounter, ['controls'])) ?? { line: 2 },
      kind: fm.kind,
      title: fm.title,
      author: fm.author,
      date: fm.date,
      body: parts.body.trim(),
      bodyLine: parts.bodyLine + (parts.body.slice(0, parts.body.length - parts.body.trimStart().length).match(/\n/g)?.length ?? 0),
      ...(titleLine !== undefined ? { titleLine } : {}),
      ...(authorLine !== undefined ? { authorLine } : {}),
      rawControls: fm.controls,
      controls: [],
      ...(fm.cadence !== undefined ? { cadenceDays: durationDays(fm.cadence) } : {}),
      ...(fm.expires !== undefined ? { expires: fm.expires } : {}),
      ...(fm.covers?.length ? { covers: fm.covers } : {}),
    };
    if (!fm.controls.length) {
      sink.diagnostic(diagnostic('note/no-controls', 'the note names no controls, so it supports none', { file, place: { line: 2 } }));
    }
    sink.record(note);
    return {};
  },
};

/**
 * Secrets never leave: every piece of evidence text is scanned before anything is rendered, and each
 * secret is replaced by `[REDACTED: <kind>]`. What was redacted is listed (file, line where known,
 * field, kind — never the value) so the evidence owner can rotate it.
 *
 * The detectors are our own patterns (see detectors.ts for the kinds and for why secretlint was
 * evaluated and not used: async-only API, Node ≥ 22 in current versions, a performance-mark leak,
 * and half the required kinds missing), plus the provider token formats of gitleaks' rule set,
 * written as JavaScript in rules.ts and named by gitleaks' rule ids.
 *
 * Scanned fields — notes: title, author, body; checks: check, title, message, resource, location, and
 * target, scope, identity (read from the tool's output too: a repository URL, a fingerprint…).
 * Not scanned: file paths, dates, statuses, control ids, tool names and versions, tags.
 */
import type { CheckRecord, EvidenceRecord, NoteRecord } from '../model/types.js';
import { detect, KIND_LABELS, MARKER, marker, mightHoldSecret, type Hit } from './detectors.js';

export { KIND_LABELS } from './detectors.js';

/** One secret taken out of a record. Never holds the value. */
export interface Redaction {
  /** The input file (relative path), as on the record. */
  file: string;
  /**
   * 1-based line in the file, where it can be known: for checks the record's `place.line` (the line
   * of the record, not of the field inside it); for a note's body `noteBodyLine` + the line within
   * the body, when the caller passes `noteBodyLine`; otherwise absent.
   */
  line?: number;
  /** 1-based line inside the field's text (a note body or a multi-line message). */
  fieldLine: number;
  kind: string;
  /** The record field: title, author, body (notes); check, title, message, resource, location, target, scope, identity (checks). */
  field: string;
}

export interface RedactedText {
  text: string;
  /** One entry per marker written, in text order; `offset` is where the secret started in the input. */
  kinds: { kind: string; offset: number }[];
}

interface Span {
  start: number;
  end: number;
  kind: string;
  priority: number;
}

/** Hits minus the markers already in the text: a marker is never scanned or rewritten. */
function clip(hits: Hit[], guarded: { start: number; end: number }[]): Span[] {
  if (!guarded.length) return hits;
  const out: Span[] = [];
  for (const hit of hits) {
    // `guarded` is sorted and disjoint: start at the first marker ending after the hit starts.
    let lo = 0;
    let hi = guarded.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (guarded[mid]!.end <= hit.start) lo = mid + 1;
      else hi = mid;
    }
    let start = hit.start;
    for (let i = lo; i < guarded.length && guarded[i]!.start < hit.end; i++) {
      const g = guarded[i]!;
      if (g.start > start) out.push({ ...hit, start, end: g.start });
      start = Math.max(start, g.end);
    }
    if (start < hit.end) out.push({ ...hit, start });
  }
  return out;
}

/** Overlapping spans become one, named by the most specific detector (then the earliest). */
function merge(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end || a.priority - b.priority);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) {
      last.end = Math.max(last.end, s.end);
      if (s.priority < last.priority) {
        last.kind = s.kind;
        last.priority = s.priority;
      }
    } else out.push({ ...s });
  }
  return out;
}

function markersIn(text: string): { start: number; end: number }[] {
  if (!text.includes('[REDACTED: ')) return [];
  const ranges: { start: number; end: number }[] = [];
  MARKER.lastIndex = 0;
  for (let m = MARKER.exec(text); m; m = MARKER.exec(text)) ranges.push({ start: m.index, end: m.index + m[0].length });
  return ranges;
}

/**
 * Replace every secret in `text` with `[REDACTED: <kind>]`. Pure. Idempotent by construction: the
 * scan is repeated on its own output until it finds nothing (a marker is never scanned, so each round
 * shrinks the unredacted text and the loop ends), hence `redactText(redactText(x).text)` finds nothing.
 */
export function redactText(text: string): RedactedText {
  if (!mightHoldSecret(text)) return { text, kinds: [] };
  // Scanners repeat their messages, titles and check ids on every finding: scan each text once.
  const known = seen.get(text);
  if (known) return known;
  const result = scan(text);
  if (seen.size >= SEEN_TEXTS) seen.clear();
  if (text.length <= SEEN_CHARS) seen.set(text, result);
  return result;
}

const seen = new Map<string, RedactedText>();
const SEEN_TEXTS = 20_000;
const SEEN_CHARS = 2_000;

function scan(text: string): RedactedText {
  let current = text;
  const kinds: { kind: string; offset: number }[] = [];
  // Position in `current` → position in the input, composed over the rounds.
  let toInput: (p: number) => number = (p) => p;
  for (let round = 0; round < 32; round++) {
    const guarded = markersIn(current);
    // Secret words inside markers (`aws-secret-key`) must not make the text after them look secret.
    const view = guarded.length ? current.replace(MARKER, (m) => ' '.repeat(m.length)) : current;
    // A piece of punctuation or whitespace left over between markers is not a secret.
    const spans = merge(clip(detect(current, view), guarded)).filter((s) => /[A-Za-z0-9]/.test(current.slice(s.start, s.end)));
    if (!spans.length) break;
    const parts: string[] = [];
    let last = 0;
    // Each edit: where its marker starts in the new text, and where the span started and ended in the old.
    const edits: { at: number; length: number; start: number; end: number }[] = [];
    let delta = 0;
    for (const s of spans) {
      const m = marker(s.kind);
      parts.push(current.slice(last, s.start), m);
      last = s.end;
      edits.push({ at: s.start + delta, length: m.length, start: s.start, end: s.end });
      delta += m.length - (s.end - s.start);
      kinds.push({ kind: s.kind, offset: toInput(s.start) });
    }
    parts.push(current.slice(last));
    const previous = toInput;
    toInput = (p) => {
      // The last edit whose marker starts at or before p.
      let lo = 0;
      let hi = edits.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (edits[mid]!.at <= p) lo = mid + 1;
        else hi = mid;
      }
      const e = edits[lo - 1];
      if (!e) return previous(p);
      if (p < e.at + e.length) return previous(e.start);
      return previous(e.end + (p - e.at - e.length));
    };
    current = parts.join('');
  }
  kinds.sort((a, b) => a.offset - b.offset);
  return { text: current, kinds };
}

const NOTE_FIELDS = ['title', 'author', 'body'] as const satisfies readonly (keyof NoteRecord)[];
const CHECK_FIELDS = ['check', 'title', 'message', 'resource', 'location', 'target', 'scope', 'identity'] as const satisfies readonly (keyof CheckRecord)[];

export interface RedactRecordOptions {
  /**
   * The 1-based file line of the first line of a note's `body` (as the parser trimmed it). NoteRecord
   * does not carry it today; without it, redactions in a note give `fieldLine` but no `line`.
   */
  noteBodyLine?: number;
}

const linesBefore = (text: string, offset: number) => {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) n++;
  return n;
};

/**
 * A shallow copy of `record` with every scanned text field redacted, and the list of redactions; the
 * record itself when there is nothing to redact. Arrays and other fields are shared with the input,
 * which is not modified.
 */
export function redactRecord<R extends EvidenceRecord>(record: R, options: RedactRecordOptions = {}): { record: R; redactions: Redaction[] } {
  const fields: readonly string[] = record.type === 'note' ? NOTE_FIELDS : CHECK_FIELDS;
  const source = record as unknown as Record<string, unknown>;
  // One cheap test over all the fields at once: most records hold nothing any detector could match.
  const texts = fields.map((f) => source[f]).filter((v): v is string => typeof v === 'string' && v !== '');
  if (!mightHoldSecret(texts.join('\u0000'))) return { record, redactions: [] };
  const copy: Record<string, unknown> = { ...source };
  const redactions: Redaction[] = [];
  for (const field of fields) {
    const value = source[field];
    if (typeof value !== 'string' || value === '') continue;
    const result = redactText(value);
    if (!result.kinds.length) continue;
    copy[field] = result.text;
    for (const { kind, offset } of result.kinds) {
      const fieldLine = 1 + linesBefore(value, offset);
      let line: number | undefined;
      if (record.type === 'check') line = record.place?.line;
      else if (field === 'body' && options.noteBodyLine !== undefined) line = options.noteBodyLine + fieldLine - 1;
      redactions.push({ file: record.file, ...(line !== undefined ? { line } : {}), fieldLine, kind, field });
    }
  }
  return { record: copy as unknown as R, redactions };
}

/**
 * "GitHub token in message redacted; rotate it": a diagnostic message (the file and line go in the
 * diagnostic's `file` and `place`, as Diagnostic wants). Never holds the value.
 */
export function describeRedaction(r: Redaction): string {
  const inField = r.fieldLine > 1 ? `${r.field} (line ${r.fieldLine} of it)` : r.field;
  return `${KIND_LABELS[r.kind] ?? r.kind} in ${inField} redacted; rotate it`;
}

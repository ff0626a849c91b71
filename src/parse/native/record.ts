import { z } from 'zod';
import type { CheckRecord, Diagnostic, Place } from '../../model/types.js';
import { diagnostic } from '../../diagnostics/codes.js';
import { isCanonicalInstant } from '../../evaluate/dates.js';
import type { ParseResult, ParseSink } from '../parser.js';
import { scopeOf } from '../formats/common.js';

const instant = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i, 'expected an ISO 8601 date or date-time')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date')
  .transform((s) => new Date(/^\d{4}-\d{2}-\d{2}$/.test(s) ? `${s}T00:00:00Z` : s).toISOString());

const optionalText = z
  .union([z.string(), z.number()])
  .transform((v) => String(v).trim())
  .optional()
  .transform((v) => (v ? v : undefined));

/** One row of the native check-result format, shared by its JSON, JSON Lines, CSV and XLSX containers. */
export const nativeRecordSchema = z.object({
  check: z.union([z.string(), z.number()]).transform((v) => String(v).trim()).pipe(z.string().min(1, 'check id is empty')),
  status: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.enum(['pass', 'fail', 'error', 'skip', 'manual'])),
  observed_at: instant,
  controls: z
    .union([z.array(z.union([z.string(), z.number()]).transform(String)), z.string().transform((s) => s.split(';'))])
    .optional()
    .transform((ids) => (ids ?? []).map((s) => s.trim()).filter(Boolean)),
  resource: optionalText,
  severity: z
    .string()
    .transform((s) => s.trim().toLowerCase())
    .pipe(z.enum(['critical', 'high', 'medium', 'low', 'info']))
    .optional()
    .or(z.literal('').transform(() => undefined)),
  message: optionalText,
  title: optionalText,
  /** What the script checked, when its rows are a snapshot of it (see fromRow). */
  target: optionalText,
});

export interface RowContext {
  file: string;
  format: string;
  place: Place;
  tool?: string;
  toolVersion?: string;
}

type NativeRow = z.output<typeof nativeRecordSchema>;

const STATUSES = new Set(['pass', 'fail', 'error', 'skip', 'manual']);
const SEVERITIES = new Set(['critical', 'high', 'medium', 'low', 'info']);
/** A string the schema would keep as it is: trimmed, and not empty. */
const kept = (v: unknown): v is string => typeof v === 'string' && v !== '' && v.charCodeAt(0) > 0x20 && v.charCodeAt(v.length - 1) > 0x20 && v.trim() === v;

/**
 * The schema's output for a row already written in its canonical form (what scripts emit: lowercase
 * status, toISOString times, trimmed strings), without running the schema; undefined for any other row,
 * which then goes through the schema and its messages. A property test holds the two to the same output.
 */
export function canonicalRow(raw: unknown): NativeRow | undefined {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const r = raw as Record<string, unknown>;
  const { check, status, observed_at: at, controls, resource, severity, message, title, target } = r;
  if (!kept(check) || typeof status !== 'string' || !STATUSES.has(status)) return undefined;
  if (typeof at !== 'string' || !isCanonicalInstant(at)) return undefined;
  if (controls !== undefined && !(Array.isArray(controls) && controls.every(kept))) return undefined;
  for (const v of [resource, message, title, target]) if (v !== undefined && !kept(v)) return undefined;
  if (severity !== undefined && !(typeof severity === 'string' && SEVERITIES.has(severity))) return undefined;
  return {
    check,
    status: status as NativeRow['status'],
    observed_at: at,
    controls: (controls as string[] | undefined) ?? [],
    resource: resource as string | undefined,
    severity: severity as NativeRow['severity'],
    message: message as string | undefined,
    title: title as string | undefined,
    target: target as string | undefined,
  };
}

/** Validate one native row; a bad row becomes a located diagnostic, never an exception. */
export function toCheckRecord(raw: unknown, at: RowContext): CheckRecord | Diagnostic {
  const fast = canonicalRow(raw);
  if (fast) return fromRow(fast, at);
  const parsed = nativeRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'record'}: ${i.code === 'invalid_type' && i.input === undefined ? 'required field is missing' : i.message}`)
      .join('; ');
    return diagnostic('native/invalid-record', `record skipped: ${message}`, { file: at.file, place: at.place });
  }
  return fromRow(parsed.data, at);
}

/**
 * A row is an observation on its own, unless it names a target: then the file's rows are a snapshot of
 * that target, and a newer file's rows for it that no longer fail close the older failures. The
 * scope is the format (and the tool that wrote the rows, where the file names it): another script's
 * rows about the same target check other things.
 */
function fromRow(r: NativeRow, at: RowContext): CheckRecord {
  return {
    type: 'check',
    format: at.format,
    file: at.file,
    place: at.place,
    check: r.check,
    status: r.status,
    observedAt: r.observed_at,
    rawControls: r.controls,
    controls: [],
    ...(r.title ? { title: r.title } : {}),
    ...(r.resource ? { resource: r.resource } : {}),
    ...(r.severity ? { severity: r.severity } : {}),
    ...(r.message ? { message: r.message } : {}),
    ...(at.tool ? { tool: at.tool } : {}),
    ...(at.toolVersion ? { toolVersion: at.toolVersion } : {}),
    ...(r.target ? { target: r.target, scope: scopeOf(at.format, at.tool) } : {}),
  };
}

/**
 * Sends rows on to the sink and counts them: invalid rows are reported and counted; a file with no
 * rows, or only bad ones, is rejected.
 */
export class RowEmitter {
  valid = 0;
  invalid = 0;
  constructor(
    private readonly sink: ParseSink,
    private readonly file: string,
  ) {}

  push(row: CheckRecord | Diagnostic): void {
    if ('type' in row) {
      this.valid++;
      this.sink.record(row);
    } else {
      if (row.severity === 'error') this.invalid++;
      this.sink.diagnostic(row);
    }
  }

  result(): ParseResult {
    if (this.valid + this.invalid === 0) {
      this.sink.diagnostic(diagnostic('native/no-records', 'the file holds no check results', { file: this.file }));
      return { rejected: true };
    }
    return { rejected: this.valid === 0, ...(this.invalid ? { invalidRecords: this.invalid } : {}) };
  }
}

export const hasNativeFields = (head: string): boolean => /"check"\s*:/.test(head) && /"status"\s*:/.test(head);

import { z } from 'zod';
import type { CheckRecord, Diagnostic, Place } from '../../model/types.js';
import { diagnostic } from '../../diagnostics/codes.js';
import type { ParseResult, ParseSink } from '../parser.js';

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
});

export interface RowContext {
  file: string;
  format: string;
  place: Place;
  tool?: string;
  toolVersion?: string;
}

/** Validate one native row; a bad row becomes a located diagnostic, never an exception. */
export function toCheckRecord(raw: unknown, at: RowContext): CheckRecord | Diagnostic {
  const parsed = nativeRecordSchema.safeParse(raw);
  if (!parsed.success) {
    const message = parsed.error.issues
      .map((i) => `${i.path.join('.') || 'record'}: ${i.code === 'invalid_type' && i.input === undefined ? 'required field is missing' : i.message}`)
      .join('; ');
    return diagnostic('native/invalid-record', `record skipped: ${message}`, { file: at.file, place: at.place });
  }
  const r = parsed.data;
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

/**
 * Helpers shared by the InSpec/HDF, JUnit, kube-bench, ScoutSuite and OSCAL readers, beyond the
 * JSON basics of scanner-common: dates without a zone, NIST and framework tags, and an emitter
 * for records that may carry the tool's own control mappings.
 */
import type { CheckRecord, ControlMapping, Place } from '../../model/types.js';
import { diagnostic } from '../../diagnostics/codes.js';
import { toolMappings } from '../../map/tool-mappings.js';
import type { ParseResult, ParseSink } from '../parser.js';
import { text } from './scanner-common.js';

/**
 * An ISO instant from a tool's date, or undefined when there is none or it is not a date.
 * Date-times without a zone (JUnit timestamps, some others) are read as UTC: the file does not say
 * which zone the machine used, and UTC keeps the result the same wherever legible runs.
 */
export function utcInstant(value: unknown): string | undefined {
  const s = text(value);
  if (!s || !/^\d{4}-\d{2}-\d{2}/.test(s)) return undefined;
  const zoneless = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$/.exec(s);
  const date = new Date(zoneless ? `${zoneless[1]}T${zoneless[2]}Z` : s);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The later of two ISO instants (either may be missing). */
export function newest(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

/** Strings of a value that may be one string/number or a list of them. */
export function textList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map(text).filter((s): s is string => s !== undefined);
}

/**
 * A NIST SP 800-53 control id as a tag: `AC-6 (9)`, `AC-6(9)`, `ac-6.9` (OSCAL) → `NIST-AC-6(9)`.
 * Statement parts (`CM-6 b`, `_obj`) are dropped: mappings work on controls and enhancements.
 * Anything that is not a control id (`Rev_4` in MITRE profiles) gives undefined.
 */
export function nistTag(id: string): string | undefined {
  const m = /^([a-z]{2})-(\d+)(?:\s*\((\d+)\)|\.(\d+))?(?![\d(])/i.exec(id.trim());
  if (!m) return undefined;
  const enhancement = m[3] ?? m[4];
  return `NIST-${m[1]!.toUpperCase()}-${Number(m[2])}${enhancement ? `(${Number(enhancement)})` : ''}`;
}

const isoKey = /iso[\s_-]*(?:iec[\s_-]*)?27001/i;
const soc2Key = /soc[\s_-]*2|\btsc\b/i;

/**
 * Controls a tool carries under a key that names ISO/IEC 27001 or SOC 2 (`ISO27001_2013`,
 * `iso_27001`, `SOC2`…). The framework is taken from the key and put in front of each id, so an
 * id like `CC6.1` or `A.12.4.4` is only ever read in the framework its key names.
 */
export function frameworkMappings(entries: Iterable<[key: string, value: unknown]>, via: (key: string) => string): ControlMapping[] {
  const out: ControlMapping[] = [];
  for (const [key, value] of entries) {
    const framework = isoKey.test(key) ? 'ISO27001' : soc2Key.test(key) ? 'SOC2' : undefined;
    if (!framework) continue;
    for (const m of toolMappings(
      textList(value).map((id) => `${framework}: ${id}`),
      via(key),
    )) {
      if (!out.some((o) => o.framework === m.framework && o.id === m.id)) out.push(m);
    }
  }
  return out;
}

/**
 * Sends records on and counts them. A bad item is reported and counted; a file whose items are all
 * bad is rejected; an empty scan is accepted with a note; undated records are flagged once per
 * file, since they cannot show that a control operates now.
 */
export class RecordEmitter {
  records = 0;
  invalid = 0;
  private undated = 0;

  constructor(
    private readonly sink: ParseSink,
    private readonly file: string,
  ) {}

  record(record: CheckRecord): void {
    this.records++;
    if (!record.observedAt) this.undated++;
    this.sink.record(record);
  }

  skip(message: string, place?: Place, code: 'format/record-skipped' | 'format/syntax' = 'format/record-skipped'): void {
    this.invalid++;
    this.sink.diagnostic(diagnostic(code, message, { file: this.file, ...(place ? { place } : {}) }));
  }

  /** A record, or the reason the item at `place` could not become one. */
  push(result: CheckRecord | string, place: Place, what: string): void {
    if (typeof result === 'string') this.skip(`${what} skipped: ${result}`, place);
    else this.record(result);
  }

  finish(): ParseResult {
    if (this.records === 0 && this.invalid > 0) return { rejected: true, invalidRecords: this.invalid };
    if (this.records === 0) this.sink.diagnostic(diagnostic('format/no-findings', 'the scan reported no findings', { file: this.file }));
    if (this.undated) {
      const message =
        this.undated === this.records
          ? 'the file records no observation time; its results cannot show a control operates now'
          : `${this.undated} of ${this.records} results record no observation time and cannot show a control operates now`;
      this.sink.diagnostic(diagnostic('format/undated', message, { file: this.file }));
    }
    return this.invalid ? { invalidRecords: this.invalid } : {};
  }
}

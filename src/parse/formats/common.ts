/**
 * What the readers of tool formats share: JSON values and documents (whole or streamed), dates,
 * severities, classifiers, messages, and the emitter that sends records on and counts them.
 */
import type { CheckRecord, ControlMapping, FindingSeverity, Place } from '../../model/types.js';
import { diagnostic } from '../../diagnostics/codes.js';
import { isCanonicalInstant } from '../../evaluate/dates.js';
import { jsonErrorMessage, jsonErrorPlace } from '../json-position.js';
import { JsonStreamError, streamJson, type JsonPath } from '../json-stream.js';
import { reject, type ParseResult, type ParseSink, type Source } from '../parser.js';

// JSON values

export type JsonObject = Record<string, unknown>;

export const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A non-empty trimmed string (numbers are accepted, since some tools write ids as numbers). */
export function text(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed || undefined;
}

/** Strings of a value that may be one string/number or a list of them. */
export function textList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map(text).filter((s): s is string => s !== undefined);
}

export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** The objects in a list (anything else in it is ignored). */
export const objects = (value: unknown): JsonObject[] => list(value).filter(isObject);

/** The value at a path of object keys, or undefined where one is missing. */
export function get(value: unknown, ...keys: string[]): unknown {
  let current = value;
  for (const key of keys) current = isObject(current) ? current[key] : undefined;
  return current;
}

// JSON documents

/** True when the head of the file starts a JSON object (or array, when allowed). */
export const startsJson = (source: Source, array = false): boolean => !source.binary && (array ? /^\uFEFF?\s*[[{]/ : /^\uFEFF?\s*\{/).test(source.head);

/** A JSON pointer (RFC 6901) to a path. */
export function pointerOf(path: JsonPath): string {
  let pointer = '';
  for (const part of path) pointer += typeof part === 'number' ? `/${part}` : `/${part.replace(/~/g, '~0').replace(/\//g, '~1')}`;
  return pointer;
}

export const schemaError = (sink: ParseSink, file: string, pointer: string, message: string): ParseResult =>
  reject(sink, diagnostic('format/schema', message, { file, place: { pointer } }));

const syntaxError = (sink: ParseSink, file: string, message: string, place: Place): ParseResult =>
  reject(sink, diagnostic('format/syntax', `invalid JSON: ${message.replace(/^invalid JSON: /, '')}`, { file, place }));

/**
 * The whole document, or the rejection already sent when it is not JSON: for formats small by nature.
 * `prepare` may blank out what wraps the JSON (keeping line breaks, so that places stay those of the file).
 */
export async function readJson(source: Source, sink: ParseSink, prepare: (text: string) => string = (t) => t): Promise<{ data: unknown } | { rejected: ParseResult }> {
  const content = prepare((await source.text()).replace(/^\uFEFF/, ''));
  try {
    return { data: JSON.parse(content) as unknown };
  } catch (error) {
    return { rejected: syntaxError(sink, source.file.path, jsonErrorMessage(error, content), jsonErrorPlace(content, error)) };
  }
}

// The arrays at these paths, written like 'runs/*/results', where a `*` part stands for any array index
// ('' is the top-level array).
export function targets(...patterns: string[]): (path: JsonPath) => boolean {
  const parsed = patterns.map((p) => (p === '' ? [] : p.split('/')));
  return (path) => parsed.some((parts) => parts.length === path.length && parts.every((part, i) => (part === '*' ? typeof path[i] === 'number' : part === path[i])));
}

export interface StreamedDocument {
  /** The arrays whose elements are read one by one (see `targets`). */
  isTarget(path: JsonPath): boolean;
  /**
   * Whether an element can be read from what precedes it in the file. When not (a producer that writes a
   * SARIF run's tool after its results), that element and all after it are read in a second pass over
   * the file, with the whole document (target arrays empty) as their document: order and memory stay as
   * they are, at the cost of reading the file twice.
   */
  ready?(path: JsonPath, context: () => unknown): boolean;
  /** One element, with what precedes it in the file (or the whole document, in the second pass). */
  onElement(value: unknown, path: JsonPath, document: () => unknown): void;
  /** What is wrong with the document's shape (target arrays empty), checked before any second pass. */
  schema?(document: unknown): { pointer: string; message: string } | undefined;
}

/**
 * Reads a large JSON document in bounded memory: the elements of the target arrays go to `onElement` as
 * they are read, and the rest comes back as the document with those arrays empty. A syntax error or a
 * wrong shape is rejected here; records sent before it are dropped with the rejected file.
 */
export async function streamDocument(source: Source, sink: ParseSink, reader: StreamedDocument): Promise<{ data: unknown } | { rejected: ParseResult }> {
  const file = source.file.path;
  const { isTarget, ready, onElement } = reader;
  try {
    let seen = 0;
    let secondPassFrom: number | undefined;
    const data = await streamJson(source.stream(), {
      isTarget,
      wants: (path, context) => {
        seen++;
        if (secondPassFrom === undefined && ready && !ready(path, context)) secondPassFrom = seen;
        return secondPassFrom === undefined;
      },
      onElement,
    });
    const wrong = reader.schema?.(data);
    if (wrong) return { rejected: schemaError(sink, file, wrong.pointer, wrong.message) };
    if (secondPassFrom !== undefined) {
      const from = secondPassFrom;
      let again = 0;
      await streamJson(source.stream(), { isTarget, wants: () => ++again >= from, onElement: (value, path) => onElement(value, path, () => data) });
    }
    return { data };
  } catch (error) {
    if (!(error instanceof JsonStreamError)) throw error;
    return { rejected: syntaxError(sink, file, error.message, error.place) };
  }
}

/**
 * Which of `needles` occur anywhere in the file: one pass over its bytes, without parsing them, to
 * learn before a streamed read whether a document says something after the elements that need it.
 */
export async function mentioned(source: Source, needles: readonly string[]): Promise<Set<string>> {
  const patterns = needles.map((needle) => [needle, Buffer.from(needle)] as const);
  // A needle split between two chunks is found in the end of one joined to the next.
  const overlap = Math.max(0, ...patterns.map(([, bytes]) => bytes.length - 1));
  const found = new Set<string>();
  let tail: Buffer = Buffer.alloc(0);
  // Read to the end even when all are found: the first read of a file may be the one that hashes it.
  for await (const chunk of source.stream() as AsyncIterable<Buffer | string>) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    const seam = Buffer.concat([tail, bytes.subarray(0, overlap)]);
    for (const [needle, pattern] of patterns) if (!found.has(needle) && (bytes.includes(pattern) || seam.includes(pattern))) found.add(needle);
    tail = (bytes.length >= overlap ? bytes : Buffer.concat([tail, bytes])).subarray(-overlap);
  }
  return found;
}

/**
 * The items of a list in a streamed document (SARIF runs, Trivy results…), each opened once and in
 * order when its first element arrives, and closed when the next one opens or at the end: what an item
 * writes after its elements (its totals) is read when it closes.
 */
export class InOrder<T> {
  private readonly items: (T | undefined)[] = [];
  private closed = 0;

  constructor(
    private readonly open: (index: number, document: unknown) => T | undefined,
    private readonly close: (index: number, item: T | undefined, document: unknown) => void = () => {},
  ) {}

  /** Item `index`, opening it (and any before it) from the document read so far. */
  at(index: number, document: unknown): T | undefined {
    while (this.items.length <= index) {
      this.closeBefore(this.items.length, document);
      this.items.push(this.open(this.items.length, document));
    }
    return this.items[index];
  }

  /** Opens the items no element reached and closes them all, from the whole document. */
  finish(count: number, document: unknown): void {
    if (count > 0) this.at(count - 1, document);
    this.closeBefore(this.items.length, document);
  }

  private closeBefore(index: number, document: unknown): void {
    for (; this.closed < index; this.closed++) this.close(this.closed, this.items[this.closed], document);
  }
}

// Dates

function epoch(value: number): string | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  // OCSF `time` is specified in milliseconds, Prowler writes seconds.
  return new Date(value > 1e11 ? value : value * 1000).toISOString();
}

/**
 * An ISO instant from a tool's date, or undefined when there is none or it is not a real date (never a
 * guess). Epoch seconds or milliseconds are read as such. Date-times without a zone (JUnit timestamps,
 * Prowler's CSV/JSON times) are read as UTC: the file does not say which zone the machine used, and
 * UTC keeps the result the same wherever legible runs.
 */
export function instant(value: unknown): string | undefined {
  // Most tools already write toISOString's form: nothing to normalize.
  if (typeof value === 'string' && isCanonicalInstant(value)) return value;
  if (typeof value === 'number') return epoch(value);
  const s = text(value);
  if (!s) return undefined;
  if (/^\d+(?:\.\d+)?$/.test(s)) return epoch(Number(s));
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(s);
  if (!day) return undefined;
  // Date rolls 2023-02-30 over into March: a day that does not exist is not a date.
  const [year, month, date] = day.slice(1).map(Number) as [number, number, number];
  const real = new Date(Date.UTC(year, month - 1, date));
  if (real.getUTCMonth() !== month - 1 || real.getUTCDate() !== date) return undefined;
  const zoneless = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?))?$/i.exec(s);
  const ms = Date.parse(zoneless ? `${zoneless[1]}T${zoneless[2] ?? '00:00'}Z` : s);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/** The later of two ISO instants (either may be missing). */
export function newest(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return a > b ? a : b;
}

// Severities

const NAMED_SEVERITY: Record<string, FindingSeverity> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  info: 'info',
  informational: 'info',
  negligible: 'info',
  none: 'info',
};

/** A tool's named severity (CRITICAL, High, moderate, INFORMATIONAL…); UNKNOWN and anything else stay undefined. */
export const namedSeverity = (value: unknown): FindingSeverity | undefined => NAMED_SEVERITY[text(value)?.toLowerCase() ?? ''];

/** CVSS v3 qualitative rating bands. */
export function cvssSeverity(score: number): FindingSeverity | undefined {
  if (!Number.isFinite(score) || score < 0 || score > 10) return undefined;
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  return score > 0 ? 'low' : 'info';
}

// Classifiers

const CVE_ID = /^CVE-\d{4}-\d{4,}$/i;
const GHSA_ID = /^GHSA(?:-[0-9a-z]{4}){3}$/i;
const ADVISORY_IN = /\b(?:CVE-\d{4}-\d{4,}|GHSA(?:-[0-9a-z]{4}){3})\b/i;

/** The advisory id (CVE, GitHub advisory) inside a rule id, e.g. Trivy's `CVE-2019-1549` or `[HIGH] CVE-…`. */
export function advisoryIn(id: string): string | undefined {
  const found = ADVISORY_IN.exec(id);
  return found ? classifier(found[0]) : undefined;
}

/**
 * One classifier in the form the map stage expects (`CWE-79`, `OWASP-A03:2021`, `CVE-2021-44228`,
 * `GHSA-…`), or undefined for free words (`security`, `maintainability`, a severity name).
 * Accepts CodeQL's `external/cwe/cwe-079`, Semgrep's `CWE-89: Improper…` and
 * `OWASP-A05:2021-Security Misconfiguration`.
 */
export function classifier(raw: unknown): string | undefined {
  const s = text(raw);
  if (!s) return undefined;
  const cwe = /^(?:external\/cwe\/)?cwe[-_: ]?0*(\d+)\b/i.exec(s);
  if (cwe) return `CWE-${cwe[1]}`;
  const owasp = /^(?:external\/owasp\/)?owasp[-_ ]?(?:top[-_ ]?10[-_ ]?)?a0*(\d{1,2})(?:[-_: ]+(\d{4}))?\b/i.exec(s);
  if (owasp) return `OWASP-A${owasp[1]!.padStart(2, '0')}${owasp[2] ? `:${owasp[2]}` : ''}`;
  if (CVE_ID.test(s)) return s.toUpperCase();
  if (GHSA_ID.test(s)) return `GHSA${s.slice(4).toLowerCase()}`;
  return undefined;
}

/** Normalized, de-duplicated classifiers, in the order the tool gave them. */
export function classifiers(values: Iterable<unknown>): string[] {
  const out = new Set<string>();
  for (const value of values) {
    const tag = classifier(value);
    if (tag) out.add(tag);
  }
  return [...out];
}

// Messages

const MESSAGE_LIMIT = 500;

/** A message short enough for a report line; the tool's own output keeps the full text. */
export function clip(value: unknown): string | undefined {
  const s = text(value);
  if (!s) return undefined;
  return s.length > MESSAGE_LIMIT ? `${s.slice(0, MESSAGE_LIMIT - 1).trimEnd()}…` : s;
}

// Snapshots: what a scan looked at and covered, and what identifies a finding across scans

/** Redacted examples put placeholders such as `<account_uid>` or `<region>` where values were. */
const isPlaceholder = (value: string) => /^<[^<>]*>$/.test(value);

/** A value the tool recorded: not missing, and not a placeholder. */
export function recorded(value: unknown): string | undefined {
  const s = text(value);
  return s && !isPlaceholder(s) ? s : undefined;
}

/** What each cloud provider's scans are made of, in the words of its console. */
const ACCOUNT_KIND: Record<string, string> = { aws: 'account', azure: 'subscription', gcp: 'project', kubernetes: 'cluster', m365: 'tenant', github: 'owner' };

/**
 * What a cloud scan looked at, written the same way whatever tool or format recorded it:
 * `aws account 111122223333 eu-west-1`, `gcp project shop-prod`, `azure subscription … westeurope`.
 * None without a provider and an account: a snapshot of "some account" would resolve another's findings.
 */
export function cloudTarget(provider: unknown, account: unknown, region?: unknown, kind?: string): string | undefined {
  const name = recorded(provider)?.toLowerCase();
  const id = recorded(account);
  if (!name || !id) return undefined;
  const where = recorded(region);
  return `${name} ${kind ?? ACCOUNT_KIND[name] ?? 'account'} ${id}${where ? ` ${where}` : ''}`;
}

// A tag cannot hold `/`, so the port of a registry (`host:5000/app`) is never taken for one.
const IMAGE_TAG = /:\w[\w.-]{0,127}$/;
const IMAGE_DIGEST = /@[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[0-9a-f]{32,}$/i;

/** A container image without its tag or digest, which change with every build: `registry:5000/app:1.2@sha256:…` → `registry:5000/app`. */
export const untaggedImage = (reference: string): string => reference.replace(IMAGE_DIGEST, '').replace(IMAGE_TAG, '');

/** A URL without the user and password CI systems put in it (`https://x-access-token:…@github.com/…`): a secret, and new on every run. */
export const withoutCredentials = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/?#@]*@/i, '$1');

/** A scope from its parts (format, tool, what the tool says it covered), those missing left out: `sarif:CodeQL:/language:python`. */
export const scopeOf = (...parts: (string | undefined)[]): string => parts.filter(Boolean).join(':');

// Records

/** A check record as a reader fills it in: fields it has no value for may be undefined or empty. */
export type RecordFields = Omit<CheckRecord, 'type' | 'rawControls' | 'controls'> & { controls?: ControlMapping[] };

/** A check record without the fields a tool left blank (absent rather than present-but-undefined). */
export function checkRecord(fields: RecordFields): CheckRecord {
  const record: Record<string, unknown> = { type: 'check' };
  for (const key in fields) {
    const value = fields[key as keyof RecordFields];
    if (key === 'controls' || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    record[key] = value;
  }
  record.rawControls = [];
  record.controls = fields.controls ?? [];
  return record as unknown as CheckRecord;
}

/**
 * Sends records on and counts them. A bad item is reported and counted; a file whose items are all bad
 * is rejected; an empty scan is accepted with a note; undated records are flagged once per file, since
 * they cannot show that a control operates now.
 */
export class RecordEmitter {
  private records = 0;
  private invalid = 0;
  private undated = 0;

  constructor(
    private readonly sink: ParseSink,
    private readonly file: string,
  ) {}

  record(fields: RecordFields): void {
    const record = checkRecord(fields);
    this.records++;
    if (!record.observedAt) this.undated++;
    this.sink.record(record);
  }

  skip(message: string, place?: Place, code: 'format/record-skipped' | 'format/syntax' = 'format/record-skipped'): void {
    this.invalid++;
    this.sink.diagnostic(diagnostic(code, message, { file: this.file, ...(place ? { place } : {}) }));
  }

  /** A record, or the reason the item at `place` could not become one (`what` names the item). */
  push(result: RecordFields | string, place: Place, what?: string): void {
    if (typeof result === 'string') this.skip(what ? `${what} skipped: ${result}` : result, place);
    else this.record(result);
  }

  /** The file's result; `hint` explains an empty scan. */
  finish(hint?: string): ParseResult {
    if (this.records === 0 && this.invalid > 0) {
      this.sink.diagnostic(diagnostic('format/schema', `none of the ${this.invalid} findings could be read`, { file: this.file }));
      return { rejected: true, invalidRecords: this.invalid };
    }
    if (this.records === 0) {
      this.sink.diagnostic(diagnostic('format/no-findings', 'the scan reported no findings', { file: this.file, ...(hint ? { hint } : {}) }));
    }
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

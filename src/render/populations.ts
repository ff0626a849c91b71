/**
 * A control's population over the period — every dated occurrence of its operation, the list an
 * auditor tests for completeness and accuracy and samples from — and reproducible samples of it.
 *
 * The sample is drawn without a random generator's state: each row's key is the SHA-256 of the seed
 * and the row's canonical text, rows are sorted by key and the first N taken. The same population,
 * size and seed give the same rows on any machine, and anyone holding the population's SHA-256 and
 * the seed can re-draw it.
 */
import { createHash } from 'node:crypto';
import type { Period } from '../config/load.js';
import { addDays } from '../evaluate/dates.js';
import type { ControlEvaluation } from '../model/evaluation.js';
import type { NoteRecord, Place } from '../model/types.js';
import type { PopulationRow } from '../store/store.js';

/** One occurrence, as the auditor's workbook shows it. */
export interface Occurrence {
  /** Date and time (ISO 8601; a practice note's day at 00:00 UTC). */
  at: string;
  kind: 'practice note' | 'check observation';
  check: string;
  resource: string;
  status: string;
  file: string;
  sha256: string;
  place: string;
}

export const OCCURRENCE_COLUMNS = ['Date and time', 'Kind', 'Check', 'Resource', 'Status', 'Evidence file', 'SHA-256', 'Place in the file'] as const;

export const occurrenceCells = (o: Occurrence): string[] => [o.at, o.kind, o.check, o.resource, o.status, o.file, o.sha256, o.place];

/** "line 12", "#/runs/0/results/3", "Findings!C7". */
export function placeText(place: Place | undefined): string {
  if (!place) return '';
  if (place.line !== undefined) return `line ${place.line}${place.column !== undefined ? `, column ${place.column}` : ''}`;
  if (place.pointer !== undefined) return `#${place.pointer}`;
  return place.cell ?? '';
}

export const fromStore = (row: PopulationRow): Occurrence => ({
  at: row.observedAt,
  kind: 'check observation',
  check: row.check,
  resource: row.resource ?? '',
  status: row.status,
  file: row.file,
  sha256: row.sha256,
  place: placeText(row.place),
});

export const fromNote = (note: NoteRecord, sha256: string): Occurrence => ({
  at: `${note.date}T00:00:00.000Z`,
  kind: 'practice note',
  check: '',
  resource: note.title,
  status: 'done',
  file: note.file,
  sha256,
  place: 'line 1',
});

/**
 * The occurrences of one control in a window: its practice notes dated inside it, and the check
 * observations the store gives, merged in time order (a note first on its day).
 */
export async function* occurrencesOf(practices: readonly Occurrence[], checks: AsyncIterable<PopulationRow[]>): AsyncIterable<Occurrence> {
  const notes = [...practices].sort((a, b) => a.at.localeCompare(b.at) || a.file.localeCompare(b.file));
  let next = 0;
  for await (const chunk of checks) {
    for (const row of chunk) {
      const o = fromStore(row);
      while (next < notes.length && notes[next]!.at <= o.at) yield notes[next++]!;
      yield o;
    }
  }
  while (next < notes.length) yield notes[next++]!;
}

/** The canonical text of a row: what its sample key and the population's hash are made of. */
const canonical = (o: Occurrence) => JSON.stringify(occurrenceCells(o));

/** A running SHA-256 of a population, row by row. */
export class PopulationHash {
  private readonly hash = createHash('sha256');
  size = 0;
  add(o: Occurrence): void {
    this.hash.update(`${canonical(o)}\n`);
    this.size++;
  }
  digest(): string {
    return this.hash.digest('hex');
  }
}

/** A row's place in the draw for a seed: the SHA-256 of the seed and the row. */
export const sampleKey = (seed: string, o: Occurrence): string => createHash('sha256').update(`${seed}\n${canonical(o)}`).digest('hex');

/** The `size` rows with the smallest keys, kept while the population streams past; in key order. */
export class SampleDraw {
  private readonly kept: { key: string; row: Occurrence }[] = [];
  constructor(
    private readonly seed: string,
    private readonly size: number,
  ) {}
  add(o: Occurrence): void {
    const key = sampleKey(this.seed, o);
    if (this.kept.length >= this.size && key >= this.kept[this.kept.length - 1]!.key) return;
    let at = this.kept.length;
    while (at > 0 && this.kept[at - 1]!.key > key) at--;
    this.kept.splice(at, 0, { key, row: o });
    if (this.kept.length > this.size) this.kept.pop();
  }
  rows(): { key: string; row: Occurrence }[] {
    return [...this.kept];
  }
}

/**
 * A sample size suggested from the population's size with a published audit firm's table (fewer than
 * 5 or exactly 5: all; 6–50: 5; 51–250: 10 %; over 250: 25). The AICPA sets none: the auditor decides.
 */
export function suggestedSampleSize(population: number): number {
  if (population <= 5) return population;
  if (population <= 50) return 5;
  if (population <= 250) return Math.ceil(population / 10);
  return 25;
}

export const SAMPLE_TABLE = 'population of 5 or fewer: all; 6–50: 5; 51–250: 10 %; over 250: 25 (one published audit firm\'s table; the AICPA sets no sample sizes, the auditor decides)';

/** The windows a periodic control must operate in: from the period's start, one per cadence. */
export function cadenceWindows(period: Period, cadenceDays: number): Period[] {
  const windows: Period[] = [];
  for (let from = period.from; from <= period.to; from = addDays(from, cadenceDays)) {
    const to = addDays(from, cadenceDays - 1);
    windows.push({ from, to: to > period.to ? period.to : to });
  }
  return windows;
}

/** The cadence that makes a control periodic: the shortest of the policies that name it (not only through the crosswalk). */
export function cadenceOf(control: ControlEvaluation): number | undefined {
  const cadences = control.policies.filter((p) => p.record.cadenceDays !== undefined && p.mappings.some((m) => m.source !== 'crosswalk')).map((p) => p.record.cadenceDays!);
  return cadences.length ? Math.min(...cadences) : undefined;
}

/** Occurrences counted into cadence windows. */
export class WindowCount {
  readonly counts: number[];
  constructor(readonly windows: Period[]) {
    this.counts = windows.map(() => 0);
  }
  add(o: Occurrence): void {
    const day = o.at.slice(0, 10);
    const i = this.windows.findIndex((w) => day >= w.from && day <= w.to);
    if (i >= 0) this.counts[i]!++;
  }
  /** Windows with an occurrence. */
  covered(): number {
    return this.counts.filter((n) => n > 0).length;
  }
  /** Windows the control had to operate in: every full one, and a last, shorter one only if it did. */
  due(cadenceDays: number): number {
    return this.windows.filter((w, i) => this.counts[i]! > 0 || addDays(w.from, cadenceDays - 1) <= w.to).length;
  }
}

/** A CSV field as RFC 4180 quotes it. */
const csvField = (text: string) => (/[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
export const csvLine = (cells: readonly string[]): string => `${cells.map(csvField).join(',')}\r\n`;

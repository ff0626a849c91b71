/**
 * The auditor's populations and samples, streamed from the store: populations.xlsx (a sheet of counts
 * per control first, then every occurrence), with what does not fit a workbook in populations.csv
 * beside it; and a reproducible sample of one control's population.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Period } from '../config/load.js';
import type { ControlEvaluation, Evaluation } from '../model/evaluation.js';
import type { InputSummary, NoteRecord } from '../model/types.js';
import {
  cadenceOf,
  cadenceWindows,
  csvLine,
  fromNote,
  OCCURRENCE_COLUMNS,
  occurrenceCells,
  occurrencesOf,
  PopulationHash,
  SAMPLE_TABLE,
  SampleDraw,
  suggestedSampleSize,
  WindowCount,
  type Occurrence,
} from '../render/populations.js';
import { periodStatusLabel } from '../render/labels.js';
import { writeWorkbook, type CellValue } from '../render/xlsx/workbook.js';
import type { Store } from '../store/store.js';
import type { WrittenFile } from './write.js';

/** Occurrence rows a workbook holds here; a larger population is written to the CSV beside it (same columns). */
export const WORKBOOK_ROWS = 50_000;
export const POPULATIONS_WORKBOOK = 'populations.xlsx';
export const POPULATIONS_CSV = 'populations.csv';

interface PopulationSource {
  store: Store;
  evaluation: Evaluation;
  notes: readonly NoteRecord[];
  inputs: readonly InputSummary[];
}

const startOf = (day: string) => Date.parse(`${day}T00:00:00.000Z`);
const endOf = (day: string) => Date.parse(`${day}T23:59:59.999Z`);

/** The occurrences of one control in a window, in time order. */
function occurrences(source: PopulationSource, control: ControlEvaluation, window: { from?: string; to: string }): AsyncIterable<Occurrence> {
  const hashOf = new Map(source.inputs.map((i) => [i.file.path, i.file.sha256]));
  const inWindow = (day: string) => (window.from === undefined || day >= window.from) && day <= window.to;
  const practices = control.practices.filter((p) => inWindow(p.record.date)).map((p) => fromNote(p.record, hashOf.get(p.record.file) ?? ''));
  const checks = source.store.population(control.framework, control.id, window.from === undefined ? 0 : startOf(window.from), endOf(window.to));
  return occurrencesOf(practices, checks);
}

/** The columns of the occurrences sheet and CSV: which control, then the occurrence. */
const ROW_COLUMNS = ['Framework', 'Control', ...OCCURRENCE_COLUMNS] as const;

/**
 * Write the populations of every control that operated in the period, under the output lock: the CSV
 * streams to a temporary sibling, and `commit` renames it into place with the workbook.
 */
export async function preparePopulations(source: PopulationSource, period: Period, outDir: string): Promise<{ workbook: Buffer; csv?: { temporary: string; sha256: string; bytes: number } }> {
  const controls = source.evaluation.controls.filter((c) => c.period && c.period.population > 0 && c.status !== 'not-applicable');
  const counts: CellValue[][] = [];
  const listed: CellValue[][] = [];
  const periods: CellValue[][] = [];
  let budget = WORKBOOK_ROWS;
  let csv: { stream: NodeJS.WritableStream; temporary: string; hash: ReturnType<typeof createHash>; bytes: number } | undefined;
  const toCsv = (line: string) => {
    csv!.hash.update(line);
    csv!.bytes += Buffer.byteLength(line);
    if (!csv!.stream.write(line)) return new Promise<void>((resolve) => csv!.stream.once('drain', () => resolve()));
    return undefined;
  };
  try {
    for (const control of controls) {
      const population = control.period!.population;
      const inWorkbook = population <= budget;
      if (inWorkbook) budget -= population;
      else if (!csv) {
        const temporary = join(outDir, `.${POPULATIONS_CSV}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
        csv = { stream: createWriteStream(temporary), temporary, hash: createHash('sha256'), bytes: 0 };
        await toCsv(csvLine(ROW_COLUMNS));
      }
      const cadence = cadenceOf(control);
      const windows = cadence ? new WindowCount(cadenceWindows(period, cadence)) : undefined;
      const hash = new PopulationHash();
      let notes = 0;
      for await (const o of occurrences(source, control, period)) {
        hash.add(o);
        windows?.add(o);
        if (o.kind === 'practice note') notes++;
        const cells = [control.framework, control.id, ...occurrenceCells(o)];
        if (inWorkbook) listed.push(cells);
        else await toCsv(csvLine(cells));
      }
      counts.push([
        control.framework,
        control.id,
        control.title,
        periodStatusLabel[control.period!.status],
        hash.size,
        notes,
        hash.size - notes,
        windows ? `${windows.covered()} of ${windows.due(cadence!)} due (every ${cadence} days)` : '',
        inWorkbook ? 'Occurrences (this workbook)' : `${POPULATIONS_CSV} (beside this workbook)`,
        hash.digest(),
      ]);
      windows?.windows.forEach((w, i) => periods.push([control.framework, control.id, w.from, w.to, windows.counts[i]!]));
    }
    if (csv) await new Promise<void>((resolve, reject) => csv!.stream.end((error?: Error | null) => (error ? reject(error) : resolve())));
  } catch (error) {
    if (csv) await rm(csv.temporary, { force: true });
    throw error;
  }
  const about = [
    [`The population of each control over ${period.from} to ${period.to}: every dated occurrence of its operation — each practice note dated in the period, and each check observation that ran to a verdict (pass or fail), once per finding and observation time — as read from the evidence files, with each file's SHA-256 and the place of the occurrence in it.`],
    ['Sheet Counts: one row per control that operated in the period, with the SHA-256 of its population (the rows in order, each as a JSON array of the columns from Date and time on, one per line) so a second person can check the list and re-draw a sample from it.'],
    [`Sheet Occurrences: the rows, oldest first. Above ${WORKBOOK_ROWS.toLocaleString('en-US')} rows in all, a control's rows are written to ${POPULATIONS_CSV} beside this workbook, with the same columns; Counts says where each control's rows are. Nothing is cut.`],
    ['Sheet Periods: for a control a policy requires at a cadence, the windows of that cadence from the period\'s start, with the occurrences in each.'],
    ['Draw a reproducible sample with: legible sample --control ID --size N --seed S --period FROM..TO'],
  ];
  const workbook = writeWorkbook(
    [
      {
        name: 'Counts',
        columns: [
          { header: 'Framework', width: 14 },
          { header: 'Control', width: 10 },
          { header: 'Title', width: 40 },
          { header: 'Over the period', width: 20 },
          { header: 'Population', width: 12 },
          { header: 'Practice notes', width: 10 },
          { header: 'Check observations', width: 12 },
          { header: 'Cadence windows with an occurrence', width: 22 },
          { header: 'Rows listed in', width: 28 },
          { header: 'Population SHA-256', width: 66 },
        ],
        rows: counts,
      },
      { name: 'Occurrences', columns: ROW_COLUMNS.map((header) => ({ header, width: header === 'SHA-256' ? 66 : header === 'Resource' || header === 'Evidence file' ? 40 : 18 })), rows: listed },
      {
        name: 'Periods',
        columns: [
          { header: 'Framework', width: 14 },
          { header: 'Control', width: 10 },
          { header: 'From', width: 12 },
          { header: 'To', width: 12 },
          { header: 'Occurrences', width: 12 },
        ],
        rows: periods,
      },
      { name: 'About', columns: [{ header: 'About this workbook', width: 120 }], rows: about, autofilter: false },
    ],
    { title: `Populations, ${period.from} to ${period.to}`, author: 'legible', created: new Date(`${source.evaluation.asOf}T00:00:00Z`) },
  );
  return { workbook, ...(csv ? { csv: { temporary: csv.temporary, sha256: csv.hash.digest('hex'), bytes: csv.bytes } } : {}) };
}

/** Put a prepared CSV in place. */
export async function commitCsv(outDir: string, csv: { temporary: string; sha256: string; bytes: number }): Promise<WrittenFile> {
  await rename(csv.temporary, join(outDir, POPULATIONS_CSV));
  return { path: POPULATIONS_CSV, sha256: csv.sha256, bytes: csv.bytes };
}

export interface Sample {
  framework: string;
  control: string;
  title: string;
  window: { from?: string; to: string };
  seed: string;
  population: number;
  populationSha256: string;
  /** As asked, or suggested from the population's size. */
  requested?: number;
  suggested: number;
  size: number;
  /** The rows drawn, in the order of their keys. */
  rows: (Occurrence & { key: string })[];
  /** For a periodic control: each cadence window and its occurrences. */
  periods?: { from: string; to: string; occurrences: number }[];
  notes: string[];
}

/** Draw a reproducible sample of one control's population over the period (or everything up to the as-of date). */
export async function drawSample(source: PopulationSource, control: ControlEvaluation, options: { size?: number; seed: string }): Promise<Sample> {
  const { evaluation } = source;
  const window = evaluation.period ?? { to: evaluation.asOf };
  // One pass: a suggested size is never above 25, so the 25 smallest keys hold whichever sample is taken.
  const counted = new PopulationHash();
  const draw = new SampleDraw(options.seed, options.size ?? 25);
  const cadence = evaluation.period ? cadenceOf(control) : undefined;
  const windows = cadence && evaluation.period ? new WindowCount(cadenceWindows(evaluation.period, cadence)) : undefined;
  for await (const o of occurrences(source, control, window)) {
    counted.add(o);
    draw.add(o);
    windows?.add(o);
  }
  const suggested = suggestedSampleSize(counted.size);
  const size = Math.min(options.size ?? suggested, counted.size);
  const notes: string[] = [];
  if (options.size === undefined) notes.push(`No --size given: ${suggested} suggested from the population of ${counted.size} by ${SAMPLE_TABLE}.`);
  else if (options.size >= counted.size) notes.push(`The size asked (${options.size}) is the population's (${counted.size}) or more: the whole population is given.`);
  if (!evaluation.period) notes.push(`No period given: the population is every occurrence up to ${evaluation.asOf}.`);
  return {
    framework: control.framework,
    control: control.id,
    title: control.title,
    window,
    seed: options.seed,
    population: counted.size,
    populationSha256: counted.digest(),
    ...(options.size !== undefined ? { requested: options.size } : {}),
    suggested,
    size,
    rows: draw.rows().slice(0, size).map(({ key, row }) => ({ ...row, key })),
    ...(windows ? { periods: windows.windows.map((w, i) => ({ ...w, occurrences: windows.counts[i]! })) } : {}),
    notes,
  };
}

/** The sample as a workbook: the rows with their keys, and how they were drawn. */
export function sampleWorkbook(sample: Sample, asOf: string): Buffer {
  const about: CellValue[][] = [
    ['Control', `${sample.control} ${sample.title} (${sample.framework})`],
    ['Population', `${sample.window.from ? `${sample.window.from} to ` : 'up to '}${sample.window.to}: ${sample.population} occurrences`],
    ['Population SHA-256', sample.populationSha256],
    ['Seed', sample.seed],
    ['Size', sample.size],
    ['Suggested size', `${sample.suggested}: ${SAMPLE_TABLE}`],
    ['How it is drawn', "Each row's key is the SHA-256 of the seed, a line break and the row as a JSON array of its columns from Date and time on; rows are sorted by key and the first ones taken. The same population, size and seed give the same rows."],
    ...sample.notes.map((n) => ['Note', n]),
    ...(sample.periods ?? []).map((p) => ['Cadence window', `${p.from} to ${p.to}: ${p.occurrences} occurrence${p.occurrences === 1 ? '' : 's'}`]),
  ];
  return writeWorkbook(
    [
      { name: 'Sample', columns: [...OCCURRENCE_COLUMNS, 'Sample key'].map((header) => ({ header, width: header === 'SHA-256' || header === 'Sample key' ? 66 : header === 'Resource' || header === 'Evidence file' ? 40 : 18 })), rows: sample.rows.map((r) => [...occurrenceCells(r), r.key]) },
      { name: 'About', columns: [{ header: 'What', width: 22 }, { header: 'Value', width: 110 }], rows: about, autofilter: false },
    ],
    { title: `Sample of ${sample.control}, seed ${sample.seed}`, author: 'legible', created: new Date(`${asOf}T00:00:00Z`) },
  );
}

import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import ExcelJS from 'exceljs';
import { Inflate, strFromU8, unzipSync, zipSync } from 'fflate';
import { isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import { z } from 'zod';
import { loadCatalog, type Catalog } from '../catalog/catalog.js';
import { resolveControlId } from '../catalog/resolve.js';
import type { Evaluation } from '../model/evaluation.js';
import type { ControlRef } from '../model/types.js';
import { zipDeterministic } from '../render/xlsx/workbook.js';
import { answerQuestion, builtInQuestions, type AnswerValue, type Question, type QuestionAnswer } from './answer.js';
import { FillMapError, InsurerFormError, type FillMapProblem } from './errors.js';

/**
 * Filling an insurer's own application workbook. The form is the insurer's: every cell, sheet, style,
 * merged cell and data validation the map does not name stays as it was; a target the map names but
 * the sheet cannot take (no such row, a formula, the inside of a merged cell) is reported, never
 * silently skipped or overwritten.
 *
 * The form is untrusted input read in the main process (exceljs has no worker mode here), so it is
 * bounded before exceljs sees it: at most MAX_FORM_BYTES on disk, and unzipped by a small reader that
 * refuses encrypted, Zip64 or oversized entries and stops inflating as soon as an entry outgrows its
 * declared size (a zip bomb ends there, not in exceljs).
 */

export const MAX_FORM_BYTES = 10 * 1024 * 1024;
export const MAX_FORM_UNZIPPED_BYTES = 100 * 1024 * 1024;
const MAX_FORM_ENTRIES = 5_000;
const MAX_MAP_BYTES = 1024 * 1024;
const MAX_ROW = 1_048_576;
const MAX_COLUMN = 16_384;

export interface FillRow {
  row: number;
  /** A built-in question id (I1, B3, …). */
  question?: string;
  /** The controls whose evaluation answers the row, for questions the built-in set does not have. */
  controls?: ControlRef[];
  /** The form's wording of the question, for `controls` rows. */
  questionText?: string;
  /** Who or what the question covers ("all laptops"): a Yes must hold for all of it. */
  population?: string;
  /** Where the row is declared in the map file. */
  line?: number;
}

export interface FillMap {
  /** The map file, as given. */
  file: string;
  sheet: string;
  /** Column letters, upper-case. */
  answer: string;
  justification?: string;
  /** In row order. */
  rows: FillRow[];
  /** How the form spells each answer; an answer not named is written as legible words it. */
  values: Partial<Record<AnswerValue, string>>;
}

export interface FilledRow {
  row: number;
  /** The question id (`I1`), or `row N` for a row answered from the controls the map names. */
  question: string;
  answer: AnswerValue;
  /** The answer cell, e.g. `D7`. */
  cell: string;
  /** What was written there: the form's spelling of the answer (empty when the map says so). */
  written: string;
}

export interface FillResult {
  workbook: Buffer;
  filled: FilledRow[];
  problems: string[];
}

// ---------------------------------------------------------------------------------------------------
// The map file

const answerValues = ['Yes', 'No', 'Partial', 'Requires the signer'] as const satisfies readonly AnswerValue[];

/** Column letters → 1-based number (A = 1, XFD = 16384). */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

const column = z
  .string({ error: (issue) => (issue.input === undefined ? 'required: a column letter such as D' : 'expected a column letter such as D') })
  .trim()
  .regex(/^[A-Za-z]{1,3}$/, 'expected a column letter such as D')
  .transform((s) => s.toUpperCase())
  .refine((s) => columnNumber(s) <= MAX_COLUMN, 'beyond the last column of a worksheet (XFD)');

const formValue = z.union([z.string(), z.number()]).transform(String);

const mapSchema = z
  .object({
    sheet: z.union([z.string(), z.number()], { error: (issue) => (issue.input === undefined ? 'required: the name of the sheet to fill' : 'expected a sheet name') }).transform(String).pipe(z.string().min(1, 'expected a sheet name')),
    answer: column,
    justification: column.optional(),
    rows: z.record(z.string(), z.unknown(), { error: (issue) => (issue.input === undefined ? 'required: the rows to fill, e.g. "7: I1"' : 'expected rows as "row number: question"') }),
    values: z
      .object({ Yes: formValue.optional(), No: formValue.optional(), Partial: formValue.optional(), 'Requires the signer': formValue.optional() })
      .strict()
      .optional(),
  })
  .strict();

function lineOf(node: unknown, lineCounter: LineCounter): number | undefined {
  return isNode(node) && node.range ? lineCounter.linePos(node.range[0]).line : undefined;
}

/** The YAML node at a path of plain keys (strings, or numbers for sequence items). */
function nodeAt(doc: Document, path: PropertyKey[]): unknown {
  let node: unknown = doc.contents;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(key));
      node = pair ? (pair.value ?? pair.key) : undefined;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
    } else {
      return node;
    }
    if (node === undefined) return undefined;
  }
  return node;
}

/** Parse and check a fill map (YAML text); throws FillMapError with every problem located by line. */
export function parseFillMap(text: string, file: string, catalog: Catalog = loadCatalog()): FillMap {
  const problems: FillMapProblem[] = [];
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    throw new FillMapError(doc.errors.map((e) => ({ file, line: lineCounter.linePos(e.pos[0]).line, message: `YAML syntax: ${e.message.split('\n')[0]}` })));
  }
  const located = (path: PropertyKey[], message: string): FillMapProblem => {
    // The nearest node that exists: a missing key is reported where its parent is.
    for (let depth = path.length; depth >= 0; depth--) {
      const line = lineOf(nodeAt(doc, path.slice(0, depth)), lineCounter);
      if (line !== undefined) return { file, line, message };
    }
    return { file, message };
  };

  const raw: unknown = doc.toJS() ?? {};
  const parsed = mapSchema.safeParse(raw);
  const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  // Rows are checked even when another key is wrong, so that one run reports every problem.
  let rowEntries: Record<string, unknown> | undefined;
  if (parsed.success) {
    rowEntries = parsed.data.rows;
    if (parsed.data.justification !== undefined && parsed.data.justification === parsed.data.answer) {
      problems.push(located(['justification'], `justification: column ${parsed.data.justification} is also the answer column`));
    }
  } else {
    problems.push(...parsed.error.issues.map((issue) => located(issue.path, `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`)));
    if (isRecord(raw) && isRecord(raw.rows)) rowEntries = raw.rows;
  }

  const questions = new Map(builtInQuestions().map((q) => [q.id.toUpperCase(), q]));
  const known = [...questions.keys()].join(', ');
  const question = (raw: unknown, path: PropertyKey[]): string | undefined => {
    if (typeof raw !== 'string' || !raw.trim()) {
      problems.push(located(path, `${path.join('.')}: expected a question id such as I1`));
      return undefined;
    }
    const q = questions.get(raw.trim().toUpperCase());
    if (!q) problems.push(located(path, `${path.join('.')}: unknown question ${raw.trim()}; the built-in questions are ${known}`));
    return q?.id;
  };
  const optionalText = (value: unknown, path: PropertyKey[]): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.trim()) return value.trim();
    problems.push(located(path, `${path.join('.')}: expected text`));
    return undefined;
  };

  const rows: FillRow[] = [];
  const seenRows = new Map<number, string>();
  for (const [key, entry] of Object.entries(rowEntries ?? {})) {
    const path = ['rows', key];
    const line = lineOf(nodeAt(doc, path), lineCounter);
    const row = Number(key);
    if (!/^\s*\d+\s*$/.test(key) || !Number.isInteger(row) || row < 1 || row > MAX_ROW) {
      problems.push(located(path, `rows: "${key}" is not a row number (1 to ${MAX_ROW})`));
      continue;
    }
    if (seenRows.has(row)) {
      problems.push(located(path, `rows: row ${row} is named twice (also as "${seenRows.get(row)}")`));
      continue;
    }
    seenRows.set(row, key);
    const base = { row, ...(line !== undefined ? { line } : {}) };
    if (typeof entry === 'string') {
      const id = question(entry, path);
      if (id) rows.push({ ...base, question: id });
      continue;
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(located(path, `rows.${key}: expected a question id (I1), { question: I1 } or { controls: [...] }`));
      continue;
    }
    const record = entry as Record<string, unknown>;
    const unknownKeys = Object.keys(record).filter((k) => !['question', 'controls', 'question_text', 'population'].includes(k));
    for (const k of unknownKeys) problems.push(located([...path, k], `rows.${key}: unknown key "${k}" (question, controls, question_text, population)`));
    if (('question' in record) === ('controls' in record)) {
      problems.push(located(path, `rows.${key}: give either question (a built-in question id) or controls (a list of control ids)`));
      continue;
    }
    const questionText = optionalText(record.question_text, [...path, 'question_text']);
    const population = optionalText(record.population, [...path, 'population']);
    if ('question' in record) {
      if (questionText !== undefined || population !== undefined) {
        problems.push(located(path, `rows.${key}: question_text and population go with controls; a built-in question has its own`));
      }
      const id = question(record.question, [...path, 'question']);
      if (id) rows.push({ ...base, question: id });
      continue;
    }
    const rawControls = record.controls;
    if (!Array.isArray(rawControls) || !rawControls.length) {
      problems.push(located([...path, 'controls'], `rows.${key}.controls: expected a list of control ids such as [A.8.13, A1.2]`));
      continue;
    }
    const controls: ControlRef[] = [];
    rawControls.forEach((raw, i) => {
      const at = [...path, 'controls', i];
      if (typeof raw !== 'string' && typeof raw !== 'number') {
        problems.push(located(at, `rows.${key}.controls: expected a control id`));
        return;
      }
      const resolved = resolveControlId(String(raw), catalog);
      if (!resolved.ok) {
        problems.push(located(at, `rows.${key}.controls: ${resolved.message}`));
        return;
      }
      for (const ref of resolved.refs) if (!controls.some((c) => c.framework === ref.framework && c.id === ref.id)) controls.push(ref);
    });
    rows.push({ ...base, controls, ...(questionText ? { questionText } : {}), ...(population ? { population } : {}) });
  }
  if (rowEntries && !Object.keys(rowEntries).length) problems.push(located(['rows'], 'rows: no rows to fill'));
  if (problems.length || !parsed.success) throw new FillMapError(problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)));
  const data = parsed.data;

  const values: Partial<Record<AnswerValue, string>> = {};
  for (const v of answerValues) {
    const spelled = data.values?.[v];
    if (spelled !== undefined) values[v] = spelled;
  }
  return {
    file,
    sheet: data.sheet,
    answer: data.answer,
    ...(data.justification ? { justification: data.justification } : {}),
    rows: rows.sort((a, b) => a.row - b.row),
    values,
  };
}

/** Read and check a fill map file; throws FillMapError with located problems. */
export async function loadFillMap(path: string, catalog: Catalog = loadCatalog()): Promise<FillMap> {
  let text: string;
  try {
    const info = await stat(path);
    if (info.size > MAX_MAP_BYTES) throw new Error(`${info.size} bytes; a fill map is at most ${MAX_MAP_BYTES}`);
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new FillMapError([{ file: path, message: `cannot read the fill map: ${(error as Error).message}` }]);
  }
  return parseFillMap(text, path, catalog);
}

// ---------------------------------------------------------------------------------------------------
// Answers

/** Answer one row of the map from the evaluation: a built-in question, or the controls the row names. */
export function answerForRow(row: FillRow, evaluation: Evaluation): QuestionAnswer {
  if (row.question) {
    const q = builtInQuestions().find((x) => x.id === row.question);
    if (!q) throw new Error(`row ${row.row}: unknown question ${row.question}`);
    return answerQuestion(q, evaluation);
  }
  const refs = row.controls ?? [];
  const iso27001 = refs.filter((r) => r.framework === 'iso27001-2022').map((r) => r.id);
  const soc2 = refs.filter((r) => r.framework === 'soc2-2017').map((r) => r.id);
  const adHoc: Question = {
    id: `row ${row.row}`,
    topic: 'Insurer form',
    question: row.questionText ?? `Row ${row.row} of the insurer's form`,
    ...(iso27001.length ? { iso27001 } : {}),
    ...(soc2.length ? { soc2 } : {}),
    ...(row.population ? { population: row.population } : {}),
  };
  return answerQuestion(adHoc, evaluation);
}

// ---------------------------------------------------------------------------------------------------
// Reading the untrusted form

/** Read an insurer's workbook from disk, refusing anything over MAX_FORM_BYTES before reading it. */
export async function readInsurerForm(path: string): Promise<Buffer> {
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch (error) {
    throw new InsurerFormError(`${path}: cannot read the insurer's form: ${(error as Error).message}`);
  }
  if (size > MAX_FORM_BYTES) throw new InsurerFormError(`${path}: ${size} bytes; an insurer's form is read only up to ${MAX_FORM_BYTES} bytes (10 MB)`);
  try {
    return await readFile(path);
  } catch (error) {
    throw new InsurerFormError(`${path}: cannot read the insurer's form: ${(error as Error).message}`);
  }
}

/** Inflate one entry, stopping as soon as it produces more than it declared. */
function inflateBounded(raw: Uint8Array, declared: number, name: string): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const inflater = new Inflate((chunk) => {
    size += chunk.length;
    if (size > declared) throw new Error(`${name} inflates to more than the ${declared} bytes it declares`);
    chunks.push(chunk);
  });
  const step = 16 * 1024;
  if (!raw.length) inflater.push(raw, true);
  for (let i = 0; i < raw.length; i += step) inflater.push(raw.subarray(i, i + step), i + step >= raw.length);
  if (size !== declared) throw new Error(`${name} inflates to ${size} bytes but declares ${declared}`);
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Unzip an untrusted archive within limits: the central directory is read by hand, sizes are checked
 * against the caps before anything is inflated, and inflating stops at the declared size.
 */
export function unzipBounded(data: Uint8Array, limits = { bytes: MAX_FORM_UNZIPPED_BYTES, entries: MAX_FORM_ENTRIES }): Record<string, Uint8Array> {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const u16 = (at: number) => view.getUint16(at, true);
  const u32 = (at: number) => view.getUint32(at, true);
  const inside = (at: number, length: number) => at >= 0 && length >= 0 && at + length <= data.length;
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 0xffff); i--) {
    if (u32(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = u16(eocd + 10);
  let at = u32(eocd + 16);
  if (count === 0xffff || at === 0xffffffff) throw new Error('Zip64 archives are not read');
  if (count > limits.entries) throw new Error(`${count} entries; at most ${limits.entries} are read`);
  const entries: Record<string, Uint8Array> = Object.create(null) as Record<string, Uint8Array>;
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (!inside(at, 46) || u32(at) !== 0x02014b50) throw new Error('corrupt central directory');
    const flags = u16(at + 8);
    const method = u16(at + 10);
    const compressed = u32(at + 20);
    const declared = u32(at + 24);
    const nameLength = u16(at + 28);
    const next = at + 46 + nameLength + u16(at + 30) + u16(at + 32);
    const local = u32(at + 42);
    if (!inside(at + 46, nameLength)) throw new Error('corrupt central directory');
    const name = strFromU8(data.subarray(at + 46, at + 46 + nameLength), (flags & 0x800) === 0);
    at = next;
    if (flags & 1) throw new Error(`${name} is encrypted`);
    if (name in entries) throw new Error(`${name} appears twice`);
    total += declared;
    if (total > limits.bytes) throw new Error(`the archive expands to more than ${limits.bytes} bytes`);
    if (!inside(local, 30) || u32(local) !== 0x04034b50) throw new Error(`${name}: corrupt local header`);
    const start = local + 30 + u16(local + 26) + u16(local + 28);
    if (!inside(start, compressed)) throw new Error(`${name}: truncated`);
    const raw = data.subarray(start, start + compressed);
    if (name.endsWith('/')) continue;
    if (method === 0) {
      if (compressed !== declared) throw new Error(`${name}: stored size mismatch`);
      entries[name] = raw.slice();
    } else if (method === 8) {
      entries[name] = inflateBounded(raw, declared, name);
    } else {
      throw new Error(`${name}: compression method ${method} is not read`);
    }
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------------
// Filling

/** Element names used in the worksheets of a package. */
function worksheetElements(entries: Record<string, Uint8Array>): Set<string> {
  const names = new Set<string>();
  for (const [name, bytes] of Object.entries(entries)) {
    if (!/^xl\/worksheets\/[^/]+\.xml$/.test(name)) continue;
    for (const m of strFromU8(bytes).matchAll(/<([A-Za-z_][\w.-]*(?::[A-Za-z_][\w.-]*)?)[\s/>]/g)) names.add(m[1]!);
  }
  return names;
}

/** Parts of the form the library did not write back, by kind (numbers stripped). */
function lostParts(before: string[], after: string[]): string[] {
  const kind = (name: string) => name.replace(/\d+/g, '#');
  const kept = new Set(after.map(kind));
  // Excel rebuilds the calculation chain; printer settings fall back to defaults; relationship parts
  // follow their parts.
  const ignored = (k: string) => k === 'xl/calcChain.xml' || k.startsWith('xl/printerSettings/') || k.includes('_rels/');
  return [...new Set(before.map(kind))].filter((k) => !kept.has(k) && !ignored(k)).sort();
}

/** The choices of an inline list validation ("Yes,No"), or undefined when there is none to check. */
function listChoices(cell: ExcelJS.Cell): string[] | undefined {
  const dv = cell.dataValidation as ExcelJS.DataValidation | undefined;
  if (!dv || dv.type !== 'list') return undefined;
  const formula: unknown = dv.formulae?.[0];
  if (typeof formula !== 'string') return undefined;
  const inline = /^"(.*)"$/s.exec(formula.trim());
  return inline?.[1]?.split(',').map((s) => s.trim());
}

/** Why a cell cannot take a value, or undefined when it can. */
function blocked(cell: ExcelJS.Cell): string | undefined {
  if (cell.type === ExcelJS.ValueType.Formula || cell.formula) return `holds a formula (=${cell.formula ?? ''}); it was not overwritten`;
  if (cell.isMerged && cell.master.address !== cell.address) return `is inside the merged cell starting at ${cell.master.address}; it was not written`;
  return undefined;
}

const display = (value: ExcelJS.CellValue): string => {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object' && 'richText' in value) return value.richText.map((r) => r.text).join('');
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
};

/**
 * Fill the rows the map names in the insurer's workbook, keeping everything else as it was. The
 * result is re-zipped with `options.created` as every entry's time and sorted entries, so the same
 * inputs give the same bytes. Throws InsurerFormError when the form cannot be used at all.
 */
export async function fillInsurerWorkbook(
  form: Buffer,
  map: FillMap,
  answerFor: (row: FillRow) => QuestionAnswer,
  options: { created: Date; formName?: string },
): Promise<FillResult> {
  const formName = options.formName ? basename(options.formName) : "the insurer's form";
  if (form.length > MAX_FORM_BYTES) throw new InsurerFormError(`${formName}: ${form.length} bytes; an insurer's form is read only up to ${MAX_FORM_BYTES} bytes (10 MB)`);

  let originalEntries: Record<string, Uint8Array>;
  const workbook = new ExcelJS.Workbook();
  try {
    originalEntries = unzipBounded(new Uint8Array(form.buffer, form.byteOffset, form.byteLength));
    if (!originalEntries['xl/workbook.xml']) throw new Error('no xl/workbook.xml: not an .xlsx workbook');
    // exceljs reads only what passed the checks above, stored uncompressed.
    const checked = zipSync(originalEntries, { level: 0, mtime: new Date(Date.UTC(1980, 0, 1)) });
    await workbook.xlsx.load(Buffer.from(checked.buffer, checked.byteOffset, checked.byteLength) as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new InsurerFormError(`${formName}: not a readable .xlsx workbook: ${(error as Error).message}`);
  }

  const sheet = workbook.getWorksheet(map.sheet);
  if (!sheet) {
    const names = workbook.worksheets.map((w) => `"${w.name}"`).join(', ');
    throw new InsurerFormError(`${formName}: no sheet "${map.sheet}" (named in ${map.file}); its sheets are ${names || 'none'}`);
  }

  const problems: string[] = [];
  const filled: FilledRow[] = [];
  const at = (row: FillRow) => `row ${row.row} (${map.file}${row.line ? `:${row.line}` : ''})`;
  const lastRow = sheet.actualRowCount ? (sheet.lastRow?.number ?? 0) : 0;
  const answerColumn = columnNumber(map.answer);
  const justificationColumn = map.justification ? columnNumber(map.justification) : undefined;

  for (const row of map.rows) {
    const sheetRow = sheet.findRow(row.row);
    let content = false;
    sheetRow?.eachCell({ includeEmpty: false }, (cell, col) => {
      if (col !== answerColumn && col !== justificationColumn && display(cell.value).trim()) content = true;
    });
    if (!sheetRow || !content) {
      problems.push(
        `${at(row)}: sheet "${sheet.name}" has ${sheetRow ? 'nothing in this row besides the answer columns' : `no row ${row.row}`}${lastRow ? ` (its last row is ${lastRow})` : ''}; nothing was written`,
      );
      continue;
    }
    const answer = answerFor(row);
    const target = sheet.getCell(`${map.answer}${row.row}`);
    const why = blocked(target);
    if (why) {
      problems.push(`${at(row)}: answer cell ${target.address} ${why}`);
      continue;
    }
    const written = map.values[answer.answer] ?? answer.answer;
    const choices = listChoices(target);
    if (written && choices && !choices.includes(written)) {
      problems.push(
        `${at(row)}: answer cell ${target.address} accepts ${choices.map((c) => `"${c}"`).join(', ')}, but the answer is "${written}"; it was written as is (map the form's spelling with values: in ${map.file})`,
      );
    }
    const before = display(target.value);
    if (before.trim() && before !== written) problems.push(`${at(row)}: answer cell ${target.address} held "${before}", now "${written}"`);
    target.value = written === '' ? null : written;

    if (map.justification) {
      const note = sheet.getCell(`${map.justification}${row.row}`);
      const noteWhy = blocked(note);
      if (noteWhy) problems.push(`${at(row)}: justification cell ${note.address} ${noteWhy}`);
      else {
        const had = display(note.value);
        if (had.trim() && had !== answer.justification) problems.push(`${at(row)}: justification cell ${note.address} held text that was replaced`);
        note.value = answer.justification;
      }
    }
    filled.push({ row: row.row, question: answer.id, answer: answer.answer, cell: target.address, written });
  }

  const core = originalEntries['docProps/core.xml'] ? strFromU8(originalEntries['docProps/core.xml']) : '';
  if (!/<dcterms:created\b/.test(core)) workbook.created = options.created;
  workbook.modified = options.created;

  let written: Buffer;
  try {
    written = Buffer.from(await workbook.xlsx.writeBuffer());
  } catch (error) {
    throw new InsurerFormError(`${formName}: the filled workbook could not be written: ${(error as Error).message}`);
  }
  const entries = unzipSync(new Uint8Array(written.buffer, written.byteOffset, written.byteLength), { filter: (f) => !f.name.endsWith('/') });
  const lost = lostParts(Object.keys(originalEntries), Object.keys(entries));
  if (lost.length) problems.push(`${formName}: parts the workbook library does not keep were left out of the filled copy: ${lost.join(', ')}; compare with the original before sending`);
  // Within the sheets too: exceljs drops extensions it does not model (x14 data validations that
  // refer to another sheet, data bar and icon set settings, sparklines).
  const kept = worksheetElements(entries);
  const dropped = [...worksheetElements(originalEntries)].filter((e) => !kept.has(e)).sort();
  if (dropped.length) problems.push(`${formName}: sheet content the workbook library does not keep was left out of the filled copy (${dropped.join(', ')}); compare with the original before sending`);
  return { workbook: zipDeterministic(entries, options.created), filled, problems };
}

/**
 * How a document cites the files behind a claim when there are thousands of them: the files a reader
 * needs by name (notes it quotes, the newest check results), then the rest counted by folder and
 * format. Nothing is dropped: every file, with its full SHA-256 and the controls it supports, is in
 * evidence-index.xlsx and in the manifest attached to each PDF, which the document says.
 */
import type { ControlEvaluation, Evaluation } from '../model/evaluation.js';
import type { InputSummary } from '../model/types.js';

/** Check-result files named one by one per claim; the rest are counted. */
export const NAMED_FILES = 10;
/** Inputs listed one by one in an appendix; a larger folder is summarized by folder and format. */
export const LISTED_INPUTS = 500;

export interface FileGroup {
  /** The first two folders of the paths, e.g. `scans/sarif/`. */
  folder: string;
  format: string;
  files: number;
  /** Records read from them, where counted. */
  records: number;
  /** Newest observation among them (YYYY-MM-DD), where known. */
  newest: string;
}

/** The first two folders of a path (`a/b/` of `a/b/c/d.json`), or `./` for a file at the top. */
export const folderOf = (path: string) => {
  const first = path.indexOf('/');
  if (first < 0) return './';
  const second = path.indexOf('/', first + 1);
  return path.slice(0, (second < 0 ? first : second) + 1);
};

/** Count files by folder and format, biggest groups first. */
export function groupFiles(files: readonly { file: string; format: string; newest?: string; records?: number }[]): FileGroup[] {
  const groups = new Map<string, FileGroup>();
  for (const f of files) {
    const folder = folderOf(f.file);
    const key = `${folder}\u0000${f.format}`;
    const g = groups.get(key) ?? { folder, format: f.format, files: 0, records: 0, newest: '' };
    g.files++;
    g.records += f.records ?? 0;
    const day = f.newest?.slice(0, 10) ?? '';
    if (day > g.newest) g.newest = day;
    groups.set(key, g);
  }
  return [...groups.values()].sort((a, b) => b.files - a.files || a.folder.localeCompare(b.folder) || a.format.localeCompare(b.format));
}

/**
 * The files to name for a claim, and the rest counted: every file in `always` (the notes quoted),
 * then up to `limit` others, newest first.
 */
export function citeFiles(
  files: readonly string[],
  inputs: ReadonlyMap<string, InputSummary>,
  options: { always?: ReadonlySet<string>; newest?: ReadonlyMap<string, string | undefined>; limit?: number } = {},
): { named: string[]; counted: FileGroup[] } {
  const limit = options.limit ?? NAMED_FILES;
  const always = files.filter((f) => options.always?.has(f));
  const others = files.filter((f) => !options.always?.has(f));
  const newest = (f: string) => options.newest?.get(f) ?? '';
  const newerFirst = (a: string, b: string) => newest(b).localeCompare(newest(a)) || a.localeCompare(b);
  // The newest `limit` kept in order as the files go by: a control may rest on thousands of them.
  const top: string[] = [];
  for (const f of others) {
    if (top.length >= limit && (limit === 0 || newerFirst(f, top[limit - 1]!) >= 0)) continue;
    let at = top.length;
    while (at > 0 && newerFirst(f, top[at - 1]!) < 0) at--;
    top.splice(at, 0, f);
    if (top.length > limit) top.pop();
  }
  const shown = new Set(top);
  const named = [...always, ...top].sort();
  const counted = groupFiles(others.filter((f) => !shown.has(f)).map((file) => ({ file, format: inputs.get(file)?.format ?? 'unknown', ...(options.newest?.get(file) ? { newest: options.newest.get(file)! } : {}) })));
  return { named, counted };
}

/** The newest observation in each file the evaluation cites: checks' times, notes' dates. */
export function newestByFile(evaluation: Evaluation): Map<string, string> {
  const newest = new Map<string, string>();
  const see = (file: string, date: string | undefined) => {
    if (date && date > (newest.get(file) ?? '')) newest.set(file, date);
  };
  for (const c of evaluation.controls) {
    for (const f of c.checks.files) see(f.file, f.newest);
    for (const n of [...c.policies, ...c.practices, ...c.exceptions]) see(n.record.file, n.record.date);
  }
  return newest;
}

/** Every file behind a control: the evidence it cites, and what its deviations over the period cite (the exceptions that accepted them too). */
export function filesBehind(control: ControlEvaluation): string[] {
  const files = new Set(control.evidence);
  for (const d of control.period?.deviations ?? []) {
    for (const file of d.evidence) files.add(file);
    if (d.accepted) files.add(d.accepted.file);
  }
  return [...files].sort();
}

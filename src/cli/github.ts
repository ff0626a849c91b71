/**
 * `--format github`: diagnostics as GitHub Actions workflow commands (annotations on the files they
 * concern), most important first since GitHub shows only the first 10 errors and 10 warnings of a
 * step; and the build's summary in Markdown for the job's summary page.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Diagnostic, Severity } from '../model/types.js';
import { escapeMarkdownInline } from '../render/markdown-escape.js';

/** A workflow command's message: `%`, CR and LF escaped, as GitHub's runner unescapes them. */
export const escapeData = (text: string): string => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/** A workflow command's property value: as a message, and `:` and `,`, which separate properties. */
export const escapeProperty = (text: string): string => escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');

const command: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };
const rank: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export interface AnnotationOptions {
  /** The folder the diagnostics' files are relative to (the evidence folder, or the working folder for the config). */
  base: string;
  /** The repository's root (GITHUB_WORKSPACE): annotation paths are relative to it. */
  workspace: string;
  /** Files rejected as inputs, whose diagnostics come first: each is evidence the packs do not use. */
  rejected?: ReadonlySet<string>;
}

/** Errors before warnings before notes; among errors, those of rejected inputs first; otherwise as given. */
export function byImportance(diagnostics: readonly Diagnostic[], rejected: ReadonlySet<string> = new Set()): Diagnostic[] {
  const weight = (d: Diagnostic) => rank[d.severity] * 2 + (d.severity === 'error' && d.file !== undefined && rejected.has(d.file) ? 0 : 1);
  return diagnostics
    .map((d, index) => ({ d, index, w: weight(d) }))
    .sort((a, b) => a.w - b.w || a.index - b.index)
    .map(({ d }) => d);
}

/** One `::error file=…,line=…,col=…,title=code::message` line per diagnostic, most important first. */
export function annotations(diagnostics: readonly Diagnostic[], options: AnnotationOptions): string[] {
  return byImportance(diagnostics, options.rejected).map((d) => {
    const properties: string[] = [];
    if (d.file !== undefined) {
      const path = relative(options.workspace, resolve(options.base, d.file));
      properties.push(`file=${escapeProperty(isAbsolute(path) ? path : path.split(sep).join('/'))}`);
    }
    if (d.place?.line !== undefined) properties.push(`line=${d.place.line}`);
    if (d.place?.column !== undefined) properties.push(`col=${d.place.column}`);
    properties.push(`title=${escapeProperty(d.code)}`);
    // A place GitHub cannot point at (a JSON pointer, a cell) goes in the message.
    const at = d.place?.pointer !== undefined ? `at #${d.place.pointer}: ` : d.place?.cell !== undefined ? `at ${d.place.cell}: ` : '';
    const message = `${at}${d.message}${d.hint ? `\nhint: ${d.hint}` : ''}`;
    return `::${command[d.severity]} ${properties.join(',')}::${escapeData(message)}`;
  });
}

export interface SummaryTable {
  title: string;
  /** Label and count per column, one row per framework. */
  frameworks: { name: string; counts: { label: string; count: number }[] }[];
  inputs: { accepted: number; records: number; rejected: { path: string; reason: string }[] };
  diagnostics: { errors: number; warnings: number };
  outputs: string[];
}

/** The build summary as GitHub-flavoured Markdown, for $GITHUB_STEP_SUMMARY. Paths and reasons are escaped: they come from the evidence. */
export function stepSummary(s: SummaryTable): string {
  const cell = escapeMarkdownInline;
  const lines = [`## ${s.title}`, ''];
  lines.push(`**Inputs:** ${s.inputs.accepted} accepted (${s.inputs.records} records), ${s.inputs.rejected.length} rejected. **Diagnostics:** ${s.diagnostics.errors} errors, ${s.diagnostics.warnings} warnings.`, '');
  const labels = s.frameworks[0]?.counts.map((c) => c.label) ?? [];
  lines.push(`| framework | ${labels.join(' | ')} |`, `| --- |${labels.map(() => ' ---: |').join('')}`);
  for (const f of s.frameworks) lines.push(`| ${f.name} | ${f.counts.map((c) => c.count).join(' | ')} |`);
  if (s.inputs.rejected.length) {
    lines.push('', '### Rejected inputs', '');
    for (const r of s.inputs.rejected) lines.push(`- ${cell(r.path)}: ${cell(r.reason)}`);
  }
  if (s.outputs.length) lines.push('', `**Wrote:** ${s.outputs.map(cell).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

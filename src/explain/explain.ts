/**
 * `legible explain CONTROL`: everything behind one control's status, from the same analysis as
 * `check` — the reasons now and over the period, the failing and resolved findings, the notes, where
 * each evidence file's mapping came from (and by which rule or tag), and every file with its SHA-256.
 * It answers an auditor's "why is this effective?" and an engineer's "why is this deficient?".
 */
import type { Catalog } from '../catalog/catalog.js';
import type { Resolution } from '../catalog/resolve.js';
import type { CheckLatest, ChecksSummary, ControlEvaluation, ControlPeriod, Deviation, Evaluation, ResolvedFinding } from '../model/evaluation.js';
import type { ControlMapping, ControlRef, FrameworkId, InputSummary, NoteRecord } from '../model/types.js';
import { filesBehind } from '../render/citations.js';
import { mappingLabel, statusLabel } from '../render/labels.js';
import { markedCharacters, markerFor } from '../render/pdf/glyphs.js';

export interface MappingExplained {
  source: ControlMapping['source'];
  /** How the packs say it: "named in the evidence", "mapped by the config", … */
  label: string;
  /** The rule, tag or crosswalk entry that made it. */
  via?: string;
}

export interface NoteExplained {
  kind: NoteRecord['kind'];
  title: string;
  author: string;
  date: string;
  file: string;
  fresh: boolean;
  cadenceDays?: number;
  expires?: string;
  mappings: MappingExplained[];
}

export interface ControlExplanation {
  framework: FrameworkId;
  frameworkName: string;
  id: string;
  title: string;
  group: string;
  status: ControlEvaluation['status'];
  reasons: string[];
  justification?: string;
  latestEvidence?: string;
  period?: ControlPeriod;
  checks: Pick<ChecksSummary, 'counts' | 'total' | 'failing' | 'inconclusive' | 'passing' | 'resolved'>;
  policies: NoteExplained[];
  practices: NoteExplained[];
  exceptions: NoteExplained[];
  /** Per evidence file, where its mapping to this control came from. */
  mappings: { file: string; mappings: MappingExplained[] }[];
  /** Every file behind the status (deviations' included), with its SHA-256 as the manifest lists it. */
  evidence: { file: string; sha256: string | null; format: string | null }[];
}

export interface Explanation {
  /** The id as asked, and what it resolved to when that needs saying (an ISO/IEC 27001:2013 id). */
  asked: string;
  note?: string;
  asOf: string;
  period?: Evaluation['period'];
  controls: ControlExplanation[];
  /** Inputs that count for no control, whatever it is: `legible check` says why. */
  rejectedInputs: { path: string; reason: string }[];
}

const explained = (m: ControlMapping): MappingExplained => ({ source: m.source, label: mappingLabel[m.source], ...(m.via ? { via: m.via } : {}) });

function noteOf(cited: ControlEvaluation['policies'][number]): NoteExplained {
  const n = cited.record;
  return {
    kind: n.kind,
    title: n.title,
    author: n.author,
    date: n.date,
    file: n.file,
    fresh: cited.fresh,
    ...(n.cadenceDays !== undefined ? { cadenceDays: n.cadenceDays } : {}),
    ...(n.expires ? { expires: n.expires } : {}),
    mappings: cited.mappings.map(explained),
  };
}

function controlOf(c: ControlEvaluation, catalog: Catalog, inputs: ReadonlyMap<string, InputSummary>): ControlExplanation {
  const mappings = new Map<string, ControlMapping[]>(c.checks.files.map((f) => [f.file, f.mappings]));
  for (const n of [...c.policies, ...c.practices, ...c.exceptions]) mappings.set(n.record.file, n.mappings);
  const { counts, total, failing, inconclusive, passing, resolved } = c.checks;
  return {
    framework: c.framework,
    frameworkName: catalog.frameworks.find((f) => f.id === c.framework)?.name ?? c.framework,
    id: c.id,
    title: c.title,
    group: c.group,
    status: c.status,
    reasons: c.reasons,
    ...(c.justification ? { justification: c.justification } : {}),
    ...(c.latestEvidence ? { latestEvidence: c.latestEvidence } : {}),
    ...(c.period ? { period: c.period } : {}),
    checks: { counts, total, failing, inconclusive, passing, resolved },
    policies: c.policies.map(noteOf),
    practices: c.practices.map(noteOf),
    exceptions: c.exceptions.map(noteOf),
    mappings: [...mappings].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([file, m]) => ({ file, mappings: m.map(explained) })),
    evidence: filesBehind(c).map((file) => ({ file, sha256: inputs.get(file)?.file.sha256 || null, format: inputs.get(file)?.format ?? null })),
  };
}

/** The explanation of the controls an id resolved to (several where a 2013 control was split). */
export function explainControls(
  analysis: { evaluation: Evaluation; inputs: readonly InputSummary[] },
  asked: string,
  resolution: Extract<Resolution, { ok: true }>,
  catalog: Catalog,
): Explanation {
  const { evaluation } = analysis;
  const inputs = new Map(analysis.inputs.map((i) => [i.file.path, i]));
  const wanted = (c: ControlRef) => resolution.refs.some((r) => r.framework === c.framework && r.id === c.id);
  return {
    asked,
    ...(resolution.note ? { note: resolution.note } : {}),
    asOf: evaluation.asOf,
    ...(evaluation.period ? { period: evaluation.period } : {}),
    controls: evaluation.controls.filter(wanted).map((c) => controlOf(c, catalog, inputs)),
    rejectedInputs: analysis.inputs.filter((i) => !i.accepted).map((i) => ({ path: i.file.path, reason: i.reason ?? '' })),
  };
}

/**
 * Evidence text as a terminal will show it: control characters (an escape sequence could recolour or
 * rewrite the screen) and invisible ones (a right-to-left override) become markers such as ⟨U+001B⟩.
 */
export function shown(text: string): string {
  let out = '';
  let at = 0;
  for (const m of markedCharacters(text)) {
    if (m.reason !== 'invisible') continue;
    out += text.slice(at, m.index) + markerFor(m.codePoint);
    at = m.index + m.length;
  }
  return (out + text.slice(at)).replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, (c) => markerFor(c.codePointAt(0)!));
}

/** The first line of a message, at most `max` characters: the JSON output has it whole. */
const firstLine = (text: string, max = 200) => {
  const line = text.split('\n', 1)[0]!.trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

const day = (instant: string | undefined) => instant?.slice(0, 10) ?? 'undated';
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function findingLines(f: CheckLatest, extra?: string): string[] {
  const facts = [f.status === 'fail' ? undefined : f.status, f.severity ?? (f.status === 'fail' ? 'no severity given' : undefined), `observed ${day(f.observedAt)}`, extra, shown(f.file)].filter(Boolean);
  return [`  - ${shown(f.check)}${f.resource ? ` on ${shown(f.resource)}` : ''}`, `      ${facts.join(', ')}`, ...(f.message ? [`      ${shown(firstLine(f.message))}`] : [])];
}

const resolvedExtra = (r: ResolvedFinding) => `resolved ${r.on} (${r.by === 'closed' ? 'closed by the tool' : 'absent from a newer scan'}: ${shown(r.shownBy)})`;

function deviationLines(d: Deviation): string[] {
  const when = `${d.from === d.to ? d.from : `${d.from} to ${d.to}`}${d.open ? ' (open at the end)' : ''}`;
  return [
    `  - ${when}: ${d.kind.replace('-', ' ')}${d.severity ? `, ${d.severity}` : ''}`,
    `      ${shown(d.reason)}`,
    ...(d.accepted ? [`      accepted by the exception "${shown(d.accepted.title)}" (${shown(d.accepted.file)}), disclosed all the same`] : []),
    ...(d.evidence.length ? [`      evidence: ${d.evidence.map(shown).join(', ')}`] : []),
  ];
}

function noteLines(heading: string, notes: NoteExplained[]): string[] {
  if (!notes.length) return [`${heading}: none`];
  return [
    `${heading} (${notes.length}):`,
    ...notes.flatMap((n) => {
      const facts = [n.date, n.fresh ? undefined : 'not fresh', n.cadenceDays !== undefined ? `cadence ${n.cadenceDays} days` : undefined, n.expires ? `expires ${n.expires}` : undefined].filter(Boolean);
      return [`  - ${shown(n.title)} — ${shown(n.author)}, ${facts.join(', ')}`, `      ${shown(n.file)}`];
    }),
  ];
}

const mappingText = (m: MappingExplained) => `${m.label}${m.via ? ` (${shown(m.via)})` : ''}`;

function controlLines(c: ControlExplanation, e: Explanation): string[] {
  const lines = [`${c.id} ${c.title}`, `${c.frameworkName} · ${c.group} · evaluated as of ${e.asOf}`, '', `Status: ${statusLabel[c.status]}${c.latestEvidence ? ` (newest evidence of operation ${c.latestEvidence})` : ''}`, ...c.reasons.map((r) => `  - ${shown(r)}`)];
  if (c.period && e.period) {
    const p = c.period;
    lines.push('', `Over the period ${e.period.from} to ${e.period.to}: ${p.status} (${plural(p.deviationCount, 'deviation')}; ${plural(p.population, 'dated occurrence')} of operation)`, ...p.reasons.map((r) => `  - ${shown(r)}`));
    if (p.deviations.length) {
      const listed = p.deviations.length < p.deviationCount ? `the worst ${p.deviations.length} of ${p.deviationCount}, ` : '';
      lines.push(`Deviations (${listed}oldest first):`, ...p.deviations.flatMap(deviationLines));
    }
  }
  const { checks } = c;
  const failingShown = checks.failing.length < checks.counts.fail ? `, the worst ${checks.failing.length} shown` : '';
  lines.push('', checks.counts.fail ? `Failing findings (${checks.counts.fail} of ${plural(checks.total, 'latest check result')}${failingShown}):` : `Failing findings: none (of ${plural(checks.total, 'latest check result')})`);
  lines.push(...checks.failing.flatMap((f) => findingLines(f)));
  if (checks.resolved.count) {
    const more = checks.resolved.count - checks.resolved.examples.length;
    lines.push(`Resolved since they last failed (${checks.resolved.count}${more > 0 ? `, ${checks.resolved.examples.length} shown` : ''}):`, ...checks.resolved.examples.flatMap((r) => findingLines(r, resolvedExtra(r))));
  }
  const inconclusive = checks.counts.error + checks.counts.skip + checks.counts.manual;
  if (inconclusive) lines.push(`Inconclusive, not counted (${inconclusive}):`, ...checks.inconclusive.flatMap((f) => findingLines(f)));
  if (checks.counts.pass) lines.push(`Passing: ${plural(checks.counts.pass, 'latest result')} of ${plural(checks.passing.length, 'check')}.`);
  lines.push('', ...noteLines('Policies', c.policies), ...noteLines('Practice notes', c.practices), ...noteLines('Exceptions', c.exceptions));
  lines.push('', c.mappings.length ? `Mappings (where each file's link to ${c.id} comes from):` : 'Mappings: none');
  for (const m of c.mappings) lines.push(`  ${shown(m.file)}: ${m.mappings.map(mappingText).join('; ')}`);
  lines.push('', c.evidence.length ? `Evidence files (${c.evidence.length}), SHA-256:` : 'Evidence files: none');
  for (const f of c.evidence) lines.push(`  ${f.sha256 ?? '(not hashed)'.padEnd(64)}  ${shown(f.file)}`);
  return lines;
}

/** The explanation as text for a terminal. */
export function formatExplanation(e: Explanation): string {
  const parts = e.controls.map((c) => controlLines(c, e).join('\n'));
  const head = e.note ? [`${e.note}.`] : [];
  const tail = e.rejectedInputs.length ? [`${plural(e.rejectedInputs.length, 'input was', 'inputs were')} rejected and count for no control: \`legible check\` says why.`] : [];
  return `${[...head, ...parts, ...tail].join('\n\n')}\n`;
}

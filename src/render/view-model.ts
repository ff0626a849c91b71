import type { Catalog, Framework } from '../catalog/catalog.js';
import type { DocumentConfig } from './documents.js';
import type { CheckLatest, Cited, ControlEvaluation, ControlStatus, Evaluation, Remediation } from '../model/evaluation.js';
import { countByStatus, statusOrder } from '../model/evaluation.js';
import type { ControlMapping, Diagnostic, InputSummary, NoteRecord } from '../model/types.js';
import { formatPlace } from '../diagnostics/codes.js';
import { escapeViewModel, SafeMarkdownLines } from './markdown-escape.js';
import { excerptLines, omissionLine, quotedPart, safeNoteLines, type QuotedNote } from './evidence-markdown.js';
import { deviationLabel, mappingLabel, periodStatusLabel, periodStatusMeaning, periodStatusOrder, statusLabel, statusMeaning } from './labels.js';
import { defaultRules } from '../map/default-rules.js';
import type { Redaction } from '../redact/redact.js';
import { citeFiles, groupFiles, LISTED_INPUTS } from './citations.js';
import { timelineChart } from './chart-block.js';
import { breachLine, breaches, defaultDeadlinesSource, remediationRows, remediationWindow } from './remediation-view.js';

export const HASH_PREFIX = 12;
const EXCERPT_CHARS = 600;
/** Notes of each kind (policy, practice, exception) quoted per control, newest first; the others are named. */
const QUOTED_NOTES = 3;

export interface PackContext {
  framework: Framework;
  evaluation: Evaluation;
  inputs: InputSummary[];
  notes: NoteRecord[];
  redactions: Redaction[];
  diagnostics: Diagnostic[];
  config: DocumentConfig;
  catalog: Catalog;
  version: string;
}

/** How evidence came to bear on a control, each source with the rule, field or crosswalk entry behind it. */
const describeMappings = (mappings: ControlMapping[]): string =>
  [...new Set(mappings.map((m) => (m.via ? `${mappingLabel[m.source]} (${m.via})` : mappingLabel[m.source])))].join('; ');

/** A control's remediation, when findings with a deadline were open in the window: per severity, and the breaches named worst first. */
function controlRemediation(r: Remediation | undefined) {
  if (!r || r.itemCount === r.unrated) return null;
  const { listed, notListed } = breaches(r);
  return {
    window: remediationWindow(r),
    rows: remediationRows(r, false),
    unrated: r.unrated,
    breaches: listed.map((i) => breachLine(i, r.window.to)),
    breachesNotListed: notListed,
  };
}

/** Pre-computed, display-ready data for the templates: templates format, they never decide. */
export function packViewModel(ctx: PackContext) {
  const { framework, evaluation, inputs, config } = ctx;
  const hashOf = new Map(inputs.map((i) => [i.file.path, i.file.sha256]));
  const inputOf = new Map(inputs.map((i) => [i.file.path, i]));
  const controls = evaluation.controls.filter((c) => c.framework === framework.id);
  const counts = countByStatus(controls);

  // A note is cut to what is quoted once, however many controls quote it.
  const quoted = new Map<NoteRecord, QuotedNote>();
  const quotedOf = (n: NoteRecord) => quoted.get(n) ?? quoted.set(n, quotedPart(n.body)).get(n)!;
  /** The lines quoting a note: all of it up to the limit, or an excerpt; ended by what is left out when the note is longer. */
  const quote = (n: NoteRecord, excerptChars?: number) => {
    const { text, omitted } = quotedOf(n);
    const lines = safeNoteLines(text);
    const shown = excerptChars === undefined ? lines : excerptLines(lines, excerptChars);
    if (!omitted) return shown;
    if (shown.at(-1) === '…') shown.splice(-2);
    return [...shown, '', omissionLine(omitted, n.file, hashOf.get(n.file) ?? '', excerptChars !== undefined)];
  };
  const note = (c: Cited<NoteRecord>) => ({
    title: c.record.title,
    author: c.record.author,
    date: c.record.date,
    file: c.record.file,
    hash: hashOf.get(c.record.file)?.slice(0, HASH_PREFIX) ?? '',
    fresh: c.fresh,
    cadence: c.record.cadenceDays !== undefined ? `${c.record.cadenceDays} days` : '',
    expires: c.record.expires ?? '',
    mapping: describeMappings(c.mappings),
    excerpt: new SafeMarkdownLines(quote(c.record, EXCERPT_CHARS)),
  });
  const check = (c: CheckLatest) => ({
    check: c.check,
    title: c.title ?? '',
    resource: c.resource ?? '—',
    status: c.status,
    observed: c.observedAt ? c.observedAt.slice(0, 10) : 'undated',
    severity: c.severity ?? '—',
    message: c.message ?? '',
    file: c.file,
    fresh: c.fresh,
  });
  // A note on record but not quoted: who did what when, and where it is.
  const listed = (c: Cited<NoteRecord>) => ({ title: c.record.title, author: c.record.author, date: c.record.date, file: c.record.file, hash: hashOf.get(c.record.file)?.slice(0, HASH_PREFIX) ?? '', fresh: c.fresh });
  const controlView = (c: ControlEvaluation) => {
    const mappingsByFile = new Map<string, ControlMapping[]>();
    for (const cited of [...c.policies, ...c.practices, ...c.exceptions]) {
      mappingsByFile.set(cited.record.file, [...(mappingsByFile.get(cited.record.file) ?? []), ...cited.mappings]);
    }
    for (const f of c.checks.files) mappingsByFile.set(f.file, [...(mappingsByFile.get(f.file) ?? []), ...f.mappings]);
    const outside = new Set(c.period?.outside ?? []);
    const practiceDate = new Map(c.practices.map((p) => [p.record.file, p.record.date]));
    // Evidence the period does not count, said where it is cited: a note by its date, check results by having none in the period.
    const outsideMark = (file: string) =>
      !outside.has(file) ? '' : practiceDate.has(file) ? `dated ${practiceDate.get(file)}, outside the period (not counted for it)` : 'outside the period: no pass or fail in it is dated inside it (not counted for it)';
    const cited = citeFiles(c.evidence, inputOf, {
      always: new Set([...c.policies, ...c.practices, ...c.exceptions].map((n) => n.record.file)),
      newest: new Map(c.checks.files.map((f) => [f.file, f.newest])),
    });
    return {
      id: c.id,
      title: c.title,
      status: c.status,
      statusLabel: statusLabel[c.status],
      reasons: c.reasons,
      hasEvidence: c.evidence.length > 0,
      justification: c.justification ?? '',
      latestEvidence: c.latestEvidence ?? 'none',
      freshness: c.freshness,
      // The newest few notes of each kind are quoted; the others are named, newest first (every one is in the appendix).
      policies: c.policies.slice(0, QUOTED_NOTES).map(note),
      policiesListed: c.policies.slice(QUOTED_NOTES).map(listed),
      practices: c.practices.slice(0, QUOTED_NOTES).map(note),
      practicesListed: c.practices.slice(QUOTED_NOTES).map(listed),
      exceptions: c.exceptions.slice(0, QUOTED_NOTES).map(note),
      exceptionsListed: c.exceptions.slice(QUOTED_NOTES).map(listed),
      checks: {
        any: c.checks.total > 0,
        total: c.checks.total,
        ...c.checks.counts,
        failing: c.checks.failing.map(check),
        failingNotShown: c.checks.counts.fail - c.checks.failing.length,
        inconclusive: c.checks.inconclusive.map(check),
        inconclusiveNotShown: c.checks.counts.error + c.checks.counts.skip + c.checks.counts.manual - c.checks.inconclusive.length,
        passing: c.checks.passing,
        resolved: c.checks.resolved.examples.map((r) => ({
          check: r.check,
          resource: r.resource ?? '—',
          on: r.on,
          how: r.by === 'absent' ? 'no longer reported by a newer scan of the same target' : 'closed by the tool',
          file: r.shownBy,
          hash: hashOf.get(r.shownBy)?.slice(0, HASH_PREFIX) ?? '',
        })),
        resolvedCount: c.checks.resolved.count,
        resolvedNotShown: c.checks.resolved.count - c.checks.resolved.examples.length,
      },
      period: c.period && evaluation.period
        ? {
            from: evaluation.period.from,
            to: evaluation.period.to,
            statusLabel: periodStatusLabel[c.period.status],
            reasons: c.period.reasons,
            population: c.period.population,
            deviations: c.period.deviations.map((d) => ({
              from: d.from,
              to: d.to,
              open: d.open,
              kind: deviationLabel[d.kind],
              severity: d.severity ?? '',
              reason: d.reason,
              accepted: d.accepted ? `${d.accepted.title} (${d.accepted.file})` : '',
              evidence: d.evidence.map((file) => ({ file, hash: hashOf.get(file)?.slice(0, HASH_PREFIX) ?? '' })),
            })),
            deviationsNotShown: c.period.deviationCount - c.period.deviations.length,
            timeline: timelineChart(evaluation.period, c.period.timeline) ?? [],
          }
        : undefined,
      remediation: controlRemediation(c.remediation),
      evidence: cited.named.map((file) => ({
        file,
        hash: hashOf.get(file)?.slice(0, HASH_PREFIX) ?? '',
        mapping: describeMappings(mappingsByFile.get(file) ?? []),
        outside: outsideMark(file),
      })),
      evidenceCounted: cited.counted,
      evidenceTotal: c.evidence.length,
    };
  };

  const groups = [...new Set(controls.map((c) => c.group))].map((group) => {
    const counts = countByStatus(controls.filter((c) => c.group === group));
    return { name: group, counts: statusOrder.map((s) => counts[s]) };
  });
  // The management-system clauses are short: one section for all of them, one per theme otherwise.
  const sectionOf = (c: ControlEvaluation) => {
    const kind = ctx.catalog.control(c)?.kind;
    return kind === 'clause' ? 'Management system requirements (clauses 4–10)' : kind === 'annex-a' ? `Annex A — ${c.group} controls` : c.group;
  };
  const sections = [...new Set(controls.map(sectionOf))].map((name) => ({
    name,
    controls: controls.filter((c) => sectionOf(c) === name).map(controlView),
  }));
  const accepted = inputs.filter((i) => i.accepted);
  const rejected = inputs.filter((i) => !i.accepted);
  const overallBreaches = breaches(evaluation.remediation);

  return escapeViewModel({
    title: `${framework.name} certification pack`,
    framework: { id: framework.id, name: framework.name },
    organization: config.organization,
    scope: config.scope,
    asOf: evaluation.asOf,
    period: evaluation.period,
    version: ctx.version,
    freshness: { checks: config.freshness.checksDays, notes: config.freshness.notesDays },
    crosswalk: { name: config.crosswalk.name, file: config.crosswalk.file ?? '', pairs: config.crosswalk.pairs, sha256: config.crosswalk.sha256 },
    totals: {
      controls: controls.length,
      inputs: inputs.length,
      accepted: accepted.length,
      rejected: rejected.length,
      records: accepted.reduce((n, i) => n + i.records, 0),
    },
    statuses: statusOrder.map((s) => ({ status: s, label: statusLabel[s], meaning: statusMeaning[s], count: counts[s] })),
    attention: controls
      .filter((c) => c.status === 'deficient')
      .map((c) => ({ id: c.id, title: c.title, reason: c.reasons[0] ?? '' })),
    // Over the period: how many controls operated throughout, beside their status at the as-of date.
    periodStatuses: evaluation.period
      ? periodStatusOrder.map((s) => ({
          label: periodStatusLabel[s],
          meaning: periodStatusMeaning[s],
          count: controls.filter((c) => c.period?.status === s).length,
          byStatusNow: statusOrder.map((now) => controls.filter((c) => c.period?.status === s && c.status === now).length),
        }))
      : [],
    statusLabels: statusOrder.map((s) => statusLabel[s]),
    remediation: {
      window: remediationWindow(evaluation.remediation),
      findings: evaluation.remediation.itemCount,
      rows: remediationRows(evaluation.remediation, true),
      unrated: evaluation.remediation.unrated,
      defaults: defaultDeadlinesSource,
      breaches: overallBreaches.listed.map((i) => breachLine(i, evaluation.remediation.window.to)),
      breachesNotListed: overallBreaches.notListed,
    },
    periodAttention: controls
      .filter((c) => c.period?.status === 'deviations')
      .map((c) => ({ id: c.id, title: c.title, reason: c.period!.reasons[0] ?? '' })),
    groups,
    sections,
    // The Statement of Applicability (ISO/IEC 27001 clause 6.1.3 d): all 93 Annex A controls, in order.
    soa: controls
      .filter((c) => ctx.catalog.control(c)?.kind === 'annex-a')
      .map((c) => ({
        id: c.id,
        title: c.title,
        theme: c.group,
        applicable: c.status === 'not-applicable' ? 'No' : 'Yes',
        status: statusLabel[c.status],
        justification: c.justification ?? (c.evidence.length ? `Included; evidence in ${c.evidence.length} file${c.evidence.length === 1 ? '' : 's'}` : 'Included; no evidence yet'),
        latest: c.latestEvidence ?? 'none',
      })),
    // A folder of thousands of files is summarized here; evidence-index.xlsx lists every one.
    inputsListed: inputs.length <= LISTED_INPUTS,
    inputGroups: groupFiles(accepted.map((i) => ({ file: i.file.path, format: i.format, records: i.records }))),
    inputs: (inputs.length <= LISTED_INPUTS ? accepted : []).map((i) => ({
      path: i.file.path,
      format: i.format,
      records: i.records,
      invalid: i.invalidRecords ?? 0,
      bytes: i.file.bytes,
      sha256: i.file.sha256,
    })),
    rejected: rejected.map((i) => ({ path: i.file.path, reason: i.reason ?? '', sha256: i.file.sha256 ? i.file.sha256.slice(0, HASH_PREFIX) : 'not hashed' })),
    redactions: ctx.redactions.map((r) => ({ file: r.file, line: r.line ?? '—', field: r.field, kind: r.kind })),
    diagnostics: ctx.diagnostics.map((d) => ({ where: formatPlace(d) || '(config)', severity: d.severity, code: d.code, message: d.message })),
    defaultRules: defaultRules.map((r) => ({
      id: r.id,
      when: [r.when.category ? `${r.when.category} findings` : '', r.when.tags ? `tagged ${r.when.tags.join(', ')}` : ''].filter(Boolean).join(', '),
      controls: r.controls.join(', '),
      rationale: r.rationale,
    })),
    notes: ctx.notes.map((n) => ({
      title: n.title,
      kind: n.kind,
      author: n.author,
      date: n.date,
      file: n.file,
      hash: hashOf.get(n.file)?.slice(0, HASH_PREFIX) ?? '',
      body: new SafeMarkdownLines(quote(n)),
    })),
  });
}


export type PackView = ReturnType<typeof packViewModel>;

/**
 * The evaluation as OSCAL 1.1.3 assessment results (`assessment-results.json`), the version FedRAMP's
 * validator, ServiceNow, Lula and compliance-trestle read: one result for the evaluation (the as-of
 * day, or the audit period), an observation per evidence file behind an applicable control (its path
 * and SHA-256), and a finding per applicable control, satisfied only when legible calls it effective.
 *
 * A pure function of the evaluation, the inputs and the configuration. Every UUID is a version 5 UUID
 * of what it identifies (see uuid.ts), and dates are the as-of day's or the evidence's own, so the
 * same evidence and as-of date give the same bytes.
 *
 * What the JSON Schema checks and OSCAL tools trip over, kept here: no empty arrays (every list has
 * minItems 1), prop names are tokens (no `:` or spaces), control ids are tokens too (an ISO clause `4.1`
 * may not start a token, hence the framework prefix), date-times carry a time zone, prop values are
 * one line without surrounding spaces, and hrefs are URI references (paths percent-encoded).
 */
import type { Catalog } from '../../catalog/catalog.js';
import type { ControlEvaluation, Deviation, Evaluation } from '../../model/evaluation.js';
import type { FrameworkId, InputSummary, NoteRecord } from '../../model/types.js';
import { filesBehind, newestByFile } from '../citations.js';
import { statusLabel } from '../labels.js';
import { uuidV5 } from './uuid.js';

export const OSCAL_VERSION = '1.1.3';
export const ASSESSMENT_RESULTS_FILE = 'assessment-results.json';
/**
 * The namespace of legible's own props: OSCAL keeps names without a namespace for its own vocabulary,
 * which validators check against their allowed values.
 */
export const LEGIBLE_PROP_NS = 'urn:legible:oscal';

export interface AssessmentResultsInput {
  version: string;
  config: { asOf: string; organization: string; scope: string };
  evaluation: Evaluation;
  inputs: readonly InputSummary[];
  notes: readonly NoteRecord[];
  catalog: Catalog;
}

export interface Prop {
  name: string;
  value: string;
  ns: string;
}

export interface Observation {
  uuid: string;
  title: string;
  description: string;
  props: Prop[];
  methods: ('EXAMINE' | 'TEST')[];
  'relevant-evidence': { href: string; description: string; props: Prop[] }[];
  collected: string;
}

export interface Finding {
  uuid: string;
  title: string;
  description: string;
  props: Prop[];
  target: {
    type: 'statement-id';
    'target-id': string;
    title: string;
    status: { state: 'satisfied' | 'not-satisfied'; reason: 'pass' | 'fail' | 'other' };
  };
  'related-observations'?: { 'observation-uuid': string }[];
  remarks: string;
}

/**
 * A control's OSCAL id: the framework id, `_`, and the control id in lower case (`iso27001-2022_a.8.13`,
 * `iso27001-2022_4.1`, `soc2-2017_cc7.2`). No OSCAL catalog of either framework is published to refer to,
 * and a token may not start with a digit, so the framework says whose control it is.
 */
export const oscalControlId = (framework: FrameworkId, id: string): string => `${framework}_${id.toLowerCase()}`;

const prop = (name: string, value: string | number): Prop => ({ name, value: String(value), ns: LEGIBLE_PROP_NS });

/**
 * Evidence text inside OSCAL remarks and descriptions, which are Markdown: what could become a link,
 * HTML, code or emphasis is backslash-escaped, and line breaks are flattened. Lighter than the packs'
 * escaping (every punctuation character), since these fields are read raw as often as rendered.
 */
export const escapeMarkup = (text: string): string =>
  text
    .replace(/[\u0000-\u001F\u007F]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[\\`*[\]<>]/g, '\\$&');

/** A relative path as a URI reference: each segment percent-encoded (spaces, `:`, non-ASCII). */
const hrefOf = (path: string) => path.split('/').map(encodeURIComponent).join('/');

const dayStart = (day: string) => `${day}T00:00:00Z`;
const dayEnd = (day: string) => `${day}T23:59:59Z`;

/** An evidence date or instant as an OSCAL date-time (UTC, with its zone); `fallback` when it is none (or out of OSCAL's years). */
export function oscalDateTime(text: string | undefined, fallback: string): string {
  if (!text) return fallback;
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return /^(19|2\d)/.test(text) ? dayStart(text) : fallback;
  // An instant without a zone is read as UTC, never as the build machine's local time.
  const ms = Date.parse(/(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? text : `${text}Z`);
  if (Number.isNaN(ms)) return fallback;
  const iso = new Date(ms).toISOString().replace('.000Z', 'Z');
  return /^(19|2\d)\d{2}-/.test(iso) ? iso : fallback;
}

const noteKindLabel: Record<NoteRecord['kind'], string> = { practice: 'Practice note', policy: 'Policy', exception: 'Exception (accepted risk)' };

function observationOf(input: InputSummary, note: NoteRecord | undefined, collected: string): Observation {
  const { path, sha256 } = input.file;
  const description = note
    ? `${noteKindLabel[note.kind]} by ${escapeMarkup(note.author)}, dated ${note.date}, examined as written: ${escapeMarkup(path)}.`
    : `${input.records} ${input.records === 1 ? 'record' : 'records'} of automated checks read from ${escapeMarkup(path)} (${input.format}).`;
  return {
    uuid: uuidV5(`observation\n${path}\n${sha256}`),
    title: escapeMarkup(note?.title || path),
    description,
    props: [prop('format', input.format), prop('records', input.records)],
    methods: [note ? 'EXAMINE' : 'TEST'],
    'relevant-evidence': [{ href: hrefOf(path), description: `${escapeMarkup(path)}, relative to the evidence folder.`, props: [prop('sha256', sha256)] }],
    collected,
  };
}

const bullets = (lines: readonly string[]) => lines.map((l) => `- ${escapeMarkup(l)}`);

function deviationLine(d: Deviation): string {
  const when = `${d.from === d.to ? d.from : `${d.from} to ${d.to}`}${d.open ? ' (open at the end)' : ''}`;
  const parts = [`${when}, ${d.kind.replace('-', ' ')}${d.severity ? ` (${d.severity})` : ''}: ${d.reason}`];
  if (d.accepted) parts.push(`Accepted by the exception "${d.accepted.title}" (${d.accepted.file}), disclosed all the same.`);
  if (d.evidence.length) parts.push(`Evidence: ${d.evidence.join(', ')}.`);
  return parts.join(' ');
}

/** Why the control has its status, now and over the period, with the deviations: Markdown. */
function findingRemarks(c: ControlEvaluation, evaluation: Evaluation): string {
  const lines = [`Status as of ${evaluation.asOf}: ${statusLabel[c.status]}.`, '', ...bullets(c.reasons)];
  const { period } = evaluation;
  if (period && c.period) {
    lines.push('', `Over the period ${period.from} to ${period.to}: ${c.period.status}.`, '', ...bullets(c.period.reasons));
    if (c.period.deviations.length) {
      const unlisted = c.period.deviationCount - c.period.deviations.length;
      lines.push('', `Deviations (${c.period.deviationCount}${unlisted > 0 ? `; the worst ${c.period.deviations.length} listed` : ''}, oldest first):`, '', ...bullets(c.period.deviations.map(deviationLine)));
    }
  }
  return lines.join('\n');
}

function findingOf(c: ControlEvaluation, frameworkName: string, resultUuid: string, observations: ReadonlyMap<string, string>, evaluation: Evaluation): Finding {
  const related = filesBehind(c).flatMap((file) => {
    const uuid = observations.get(file);
    return uuid ? [{ 'observation-uuid': uuid }] : [];
  });
  const { period } = evaluation;
  const overPeriod = period && c.period ? `; over ${period.from} to ${period.to}: ${c.period.status}` : '';
  return {
    uuid: uuidV5(`finding\n${resultUuid}\n${c.framework}\n${c.id}`),
    title: `${c.id} ${c.title}`,
    description: `${frameworkName} ${c.id} ${c.title}: ${statusLabel[c.status].toLowerCase()} as of ${evaluation.asOf}${overPeriod}.`,
    props: [
      prop('framework', c.framework),
      prop('control-id', c.id),
      prop('status', c.status),
      ...(c.latestEvidence ? [prop('latest-evidence', c.latestEvidence)] : []),
      prop('failing-checks', c.checks.counts.fail),
      ...(c.period ? [prop('period-status', c.period.status), prop('deviations', c.period.deviationCount), prop('population', c.period.population)] : []),
    ],
    target: {
      type: 'statement-id',
      'target-id': `${oscalControlId(c.framework, c.id)}_smt`,
      title: `${c.id} ${c.title}`,
      // Satisfied only on fresh evidence of operation with nothing failing; stale and missing evidence are not a pass either.
      status: c.status === 'effective' ? { state: 'satisfied', reason: 'pass' } : { state: 'not-satisfied', reason: c.status === 'deficient' ? 'fail' : 'other' },
    },
    ...(related.length ? { 'related-observations': related } : {}),
    remarks: findingRemarks(c, evaluation),
  };
}

/** The OSCAL assessment-results document for an evaluation. */
export function assessmentResults(input: AssessmentResultsInput) {
  const { config, evaluation, catalog } = input;
  const { asOf, period } = evaluation;
  const organization = config.organization.replace(/\s+/g, ' ').trim();
  const applicable = evaluation.controls.filter((c) => c.applicable);
  const excluded = evaluation.controls.filter((c) => !c.applicable);
  const frameworkName = new Map(catalog.frameworks.map((f) => [f.id, f.name]));

  const newest = newestByFile(evaluation);
  const notes = new Map(input.notes.map((n) => [n.file, n]));
  const inputs = new Map(input.inputs.filter((i) => i.accepted).map((i) => [i.file.path, i]));
  const files = [...new Set(applicable.flatMap(filesBehind))].sort().filter((f) => inputs.has(f));
  const observations = files.map((f) => observationOf(inputs.get(f)!, notes.get(f), oscalDateTime(newest.get(f), dayStart(asOf))));
  const observationUuids = new Map(files.map((f, i) => [f, observations[i]!.uuid]));

  const window = period ? `over ${period.from} to ${period.to}` : `as of ${asOf}`;
  const resultUuid = uuidV5(`result\n${organization}\n${period ? `${period.from}..${period.to}` : ''}\n${asOf}`);
  const findings = applicable.map((c) => findingOf(c, frameworkName.get(c.framework) ?? c.framework, resultUuid, observationUuids, evaluation));
  const reviewed = catalog.frameworks.map((f) => ({ framework: f, controls: applicable.filter((c) => c.framework === f.id) })).filter((r) => r.controls.length);
  const selections = reviewed.map(({ framework, controls }) => ({
    description: `${framework.name}: the ${controls.length} applicable controls.`,
    'include-controls': controls.map((c) => ({ 'control-id': oscalControlId(c.framework, c.id) })),
  }));
  const satisfied = findings.filter((f) => f.target.status.state === 'satisfied').length;
  const planUuid = uuidV5('no-assessment-plan');

  const remarks = [
    'How to read these results:',
    '',
    `- A finding's target is satisfied only when legible's status is effective: fresh evidence shows the control operating and nothing shows it failing. Deficient (reason fail), stale and no evidence (reason other) are not satisfied.${period ? ` The state is the status as of ${asOf}; how the control operated over the period, with its deviations, is in each finding's remarks and props.` : ''}`,
    "- Control ids are legible's own: the framework id, an underscore and the control id in lower case (`iso27001-2022_a.8.13`, `soc2-2017_cc7.2`); a finding's target is the control's statement (the control id followed by `_smt`). No OSCAL catalog of these frameworks is imported.",
    '- Each observation is one evidence file: its href is the path relative to the evidence folder (not to this file), with its SHA-256 as the sha256 prop; collected is the newest date of evidence in it.',
    ...(excluded.length
      ? ['', `Not applicable: ${excluded.length} ${excluded.length === 1 ? 'control' : 'controls'} excluded with a justification, not assessed, and so without a finding:`, '', ...bullets(excluded.map((c) => `${frameworkName.get(c.framework) ?? c.framework} ${c.id} ${c.title}: ${c.justification ?? 'excluded in the configuration'}`))]
      : []),
  ].join('\n');

  const result = {
    uuid: resultUuid,
    title: `Evidence-based evaluation ${window}`,
    description: `legible ${input.version} evaluated ${applicable.length} applicable controls (${reviewed.map((r) => `${r.framework.name}: ${r.controls.length}`).join('; ')}) from ${observations.length} evidence files, ${window}. Scope: ${escapeMarkup(config.scope)}`,
    start: dayStart(period?.from ?? asOf),
    end: dayEnd(period?.to ?? asOf),
    props: [prop('as-of', asOf), prop('satisfied', satisfied), prop('not-satisfied', findings.length - satisfied), prop('not-applicable', excluded.length)],
    'reviewed-controls': {
      'control-selections': selections.length ? selections : [{ description: 'No control is applicable: every one was excluded with a justification.' }],
    },
    ...(observations.length ? { observations } : {}),
    ...(findings.length ? { findings } : {}),
    remarks,
  };

  const body = {
    metadata: {
      title: `${organization || 'Assessment results'}: evidence-based evaluation ${window}`,
      'last-modified': dayStart(asOf),
      version: asOf,
      'oscal-version': OSCAL_VERSION,
      props: [prop('generator', `legible ${input.version}`)],
      ...(organization ? { parties: [{ uuid: uuidV5(`party\n${organization}`), type: 'organization', name: organization }] } : {}),
    },
    'import-ap': {
      href: `#${planUuid}`,
      remarks: 'There is no assessment plan: see the back-matter resource this points to.',
    },
    results: [result],
    'back-matter': {
      resources: [
        {
          uuid: planUuid,
          title: 'No assessment plan',
          description:
            "legible evaluates an evidence folder without an OSCAL assessment plan. The controls reviewed are every applicable control of the frameworks it knows (those the configuration excludes are named in the result's remarks); the method is its status rules, applied to the evidence alone: check results and practitioners' notes, each file cited with its SHA-256. The certification packs' methodology describes the rules.",
        },
      ],
    },
  };
  // The document's own UUID names this content: any change gives a new one, the same content the same one.
  return { 'assessment-results': { uuid: uuidV5(`assessment-results\n${JSON.stringify(body)}`), ...body } };
}

/** The file's bytes: two-space JSON with a final newline, as manifest.json. */
export const assessmentResultsJson = (input: AssessmentResultsInput): string => `${JSON.stringify(assessmentResults(input), null, 2)}\n`;

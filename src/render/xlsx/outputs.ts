import type { Catalog, CatalogControl } from '../../catalog/catalog.js';
import type { ControlEvaluation, Evaluation } from '../../model/evaluation.js';
import { statusOrder } from '../../model/evaluation.js';
import type { FrameworkId, InputSummary } from '../../model/types.js';
import type { QuestionAnswer } from '../../questionnaire/answer.js';
import type { QuestionnaireMethod } from '../../questionnaire/method.js';
import { statusLabel, statusMeaning } from '../labels.js';
import { CELL_TEXT_LIMIT, type CellValue, type SheetSpec } from './workbook.js';
import { HASH_PREFIX } from '../view-model.js';

/**
 * Pure builders of the spreadsheet outputs: the same facts as the packs, in tables auditors filter.
 * Nothing here decides a status or a reason: every value comes from the evaluation and the inputs.
 */

const ISO: FrameworkId = 'iso27001-2022';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const keyOf = (framework: string, id: string) => `${framework}:${id}`;

/** Newest date per file that the evaluation of one control itself records. */
function datesFromControl(c: ControlEvaluation): Map<string, string> {
  const dates = new Map<string, string>();
  const note = (file: string, date: string | undefined) => {
    if (date && (dates.get(file) ?? '') < date) dates.set(file, date);
  };
  for (const cited of [...c.policies, ...c.practices, ...c.exceptions]) note(cited.record.file, cited.record.date);
  for (const f of c.checks.files) note(f.file, f.newest?.slice(0, 10));
  return dates;
}

/**
 * One line per file, "path — observed date — hash prefix", as many as fit in a cell; the rest are
 * counted, never dropped silently (the evidence index lists every file).
 */
function evidenceCell(c: ControlEvaluation, hashOf: Map<string, string>): string {
  const own = datesFromControl(c);
  const lines = c.evidence.map((file) => {
    const known = own.get(file);
    const hash = hashOf.get(file)?.slice(0, HASH_PREFIX) || 'not hashed';
    return `${file} — ${known ?? 'undated'} — ${hash}`;
  });
  const kept: string[] = [];
  let length = 0;
  const reserve = 80;
  for (const [i, line] of lines.entries()) {
    if (length + line.length + 1 > CELL_TEXT_LIMIT - reserve) {
      kept.push(`… and ${plural(lines.length - i, 'more file')} (see the evidence index)`);
      break;
    }
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}

/** What the evidence mapped to an applicable control shows; never a business reason legible cannot know. */
export function inclusionJustification(c: ControlEvaluation): string {
  const { counts, total } = c.checks;
  const operating = c.practices.length > 0 || counts.pass + counts.fail > 0;
  const parts: string[] = [];
  if (c.practices.length) parts.push(plural(c.practices.length, 'practice note'));
  if (total) {
    const byStatus = (['pass', 'fail', 'error', 'skip', 'manual'] as const)
      .filter((s) => counts[s])
      .map((s) => `${counts[s]} ${{ pass: 'pass', fail: 'fail', error: 'errored', skip: 'skipped', manual: 'manual' }[s]}`);
    parts.push(`${plural(total, 'automated check result')} (${byStatus.join(', ')})`);
  }
  if (c.policies.length) parts.push(plural(c.policies.length, 'policy note'));
  if (c.exceptions.length) parts.push(plural(c.exceptions.length, 'accepted exception'));
  if (operating) return `Evidence of operation in ${plural(c.evidence.length, 'file')}: ${parts.join('; ')}.`;
  if (parts.length) return `Included by default: no exclusion decided; no evidence of operation yet (${parts.join('; ')}).`;
  return 'Included by default: no exclusion decided; no evidence yet';
}

const soaColumns = [
  { header: 'Control', width: 9 },
  { header: 'Title', width: 40 },
  { header: 'Theme', width: 15 },
  { header: 'Applicable', width: 11 },
  { header: 'Justification for inclusion', width: 45 },
  { header: 'Justification for exclusion', width: 45 },
  { header: 'Implementation status', width: 14 },
  { header: 'Reasons', width: 70 },
  { header: 'Evidence', width: 70 },
  { header: 'Latest evidence date', width: 12 },
  { header: 'Freshness', width: 10 },
];

const clauseColumns = [
  { header: 'Clause', width: 8 },
  { header: 'Title', width: 45 },
  { header: 'Section', width: 24 },
  { header: 'Implementation status', width: 14 },
  { header: 'Reasons', width: 70 },
  { header: 'Evidence', width: 70 },
  { header: 'Latest evidence date', width: 12 },
  { header: 'Freshness', width: 10 },
];

/** A control the evaluation does not hold is still listed, never dropped. */
const missing = { status: 'Not evaluated', reasons: 'The evaluation holds no result for this control.' } as const;

/**
 * The Statement of Applicability: all 93 Annex A controls in the standard's order, then the clauses
 * 4–10 on their own sheet, then a short "About" sheet saying what the columns mean.
 */
export function statementOfApplicabilitySheets(
  evaluation: Evaluation,
  catalog: Catalog,
  inputs: InputSummary[],
  asOf: string,
): SheetSpec[] {
  const iso = catalog.frameworks.find((f) => f.id === ISO);
  if (!iso) throw new Error('the catalog has no ISO/IEC 27001:2022 framework');
  const hashOf = new Map(inputs.map((i) => [i.file.path, i.file.sha256]));
  const byKey = new Map(evaluation.controls.map((c) => [keyOf(c.framework, c.id), c]));
  const evaluated = (control: CatalogControl) => byKey.get(keyOf(control.framework, control.id));

  const annex: CellValue[][] = iso.controls
    .filter((control) => control.kind === 'annex-a')
    .map((control) => {
      const c = evaluated(control);
      if (!c) {
        const m = missing;
        return [control.id, control.title, control.group, 'Yes', 'Included by default: no exclusion decided; no evidence yet', null, m.status, m.reasons, null, null, 'none'];
      }
      return [
        c.id,
        c.title,
        c.group,
        c.applicable ? 'Yes' : 'No',
        c.applicable ? inclusionJustification(c) : null,
        c.applicable ? null : (c.justification ?? 'No justification recorded'),
        statusLabel[c.status],
        c.reasons.join('\n'),
        evidenceCell(c, hashOf) || null,
        c.latestEvidence ?? null,
        c.freshness,
      ];
    });

  const clauses: CellValue[][] = iso.controls
    .filter((control) => control.kind === 'clause')
    .map((control) => {
      const c = evaluated(control);
      if (!c) {
        const m = missing;
        return [control.id, control.title, control.group, m.status, m.reasons, null, null, 'none'];
      }
      return [c.id, c.title, c.group, statusLabel[c.status], c.reasons.join('\n'), evidenceCell(c, hashOf) || null, c.latestEvidence ?? null, c.freshness];
    });

  const annexEvaluated = iso.controls.filter((c) => c.kind === 'annex-a').map(evaluated).filter((c): c is ControlEvaluation => c !== undefined);
  const about: CellValue[][] = [
    ['Standard', iso.name],
    ['As of', asOf],
    ['Annex A controls', `${annex.length} listed, ${annexEvaluated.filter((c) => c.applicable).length} applicable, ${annexEvaluated.filter((c) => !c.applicable).length} excluded`],
    ...statusOrder.map((s): CellValue[] => [
      `Status: ${statusLabel[s]}`,
      `${statusMeaning[s]} (${annexEvaluated.filter((c) => c.status === s).length} Annex A controls)`,
    ]),
    ['Implementation status', 'Computed by legible from the evidence alone, never typed; Reasons says why.'],
    ['Justification for inclusion', 'What the evidence mapped to the control shows. legible does not know why a control was selected (risk treatment, law, contract): add that where your risk treatment plan says so.'],
    ['Justification for exclusion', 'As decided in the configuration (applicability), quoted.'],
    ['Evidence', `Each file cited, with the newest observation date known for it and the first ${HASH_PREFIX} hex digits of its SHA-256; full hashes are in the evidence index.`],
    ['Freshness', 'current: fresh evidence of operation as of the date above; stale: evidence exists but is too old; none: no evidence of operation.'],
  ];

  return [
    { name: 'Statement of Applicability', columns: soaColumns, rows: annex },
    { name: 'Clauses', columns: clauseColumns, rows: clauses },
    { name: 'About', columns: [{ header: 'Item', width: 28 }, { header: 'Meaning', width: 100 }], rows: about, autofilter: false },
  ];
}

/** Every input, accepted or rejected, with what it supports. */
export function evidenceIndexSheets(inputs: InputSummary[], evaluation: Evaluation): SheetSpec[] {
  // evaluation.controls is in the catalogs' order (ISO/IEC 27001 clauses and Annex A, then SOC 2).
  const supports = new Map<string, string[]>();
  for (const c of evaluation.controls) {
    for (const file of c.evidence) {
      const list = supports.get(file) ?? [];
      if (!list.includes(c.id)) list.push(c.id);
      supports.set(file, list);
    }
  }
  const sorted = [...inputs].sort((a, b) => (a.file.path < b.file.path ? -1 : a.file.path > b.file.path ? 1 : 0));
  const rows: CellValue[][] = sorted.map((i) => [
    i.file.path,
    i.format,
    i.accepted ? 'Yes' : 'No',
    i.accepted ? null : (i.reason ?? 'rejected, no reason given'),
    i.records,
    i.invalidRecords ?? 0,
    i.file.bytes,
    i.file.sha256 || 'not hashed',
    (supports.get(i.file.path) ?? []).join(', ') || null,
  ]);
  return [
    {
      name: 'Evidence index',
      columns: [
        { header: 'Path', width: 45 },
        { header: 'Format', width: 14 },
        { header: 'Accepted', width: 10 },
        { header: 'Reason', width: 45 },
        { header: 'Records', width: 9 },
        { header: 'Invalid records', width: 9 },
        { header: 'Bytes', width: 11 },
        { header: 'SHA-256', width: 66 },
        { header: 'Controls supported', width: 60 },
      ],
      rows,
    },
  ];
}

const listOrNone = (ids: string[]) => (ids.length ? ids.join(', ') : 'None');

/** The questionnaire: a cover sheet that states what the answers rest on, the answers, then how they were made. */
export function questionnaireSheets(answers: QuestionAnswer[], method: QuestionnaireMethod, meta: { organization: string; asOf: string }): SheetSpec[] {
  const dates = answers.map((a) => a.latestEvidence).filter((d): d is string => d !== undefined).sort();
  const range = dates.length
    ? `${dates[0]} to ${dates.at(-1)} (the newest evidence behind each answer; older evidence is cited in the packs)`
    : 'No answer rests on dated evidence';
  const count = (v: QuestionAnswer['answer']) => answers.filter((a) => a.answer === v).length;
  const ids = (basis: QuestionAnswer['basis']) => answers.filter((a) => a.basis === basis).map((a) => a.id);

  const cover: CellValue[][] = [
    ['Organization', meta.organization],
    ['As of', meta.asOf],
    ['Evidence dates', range],
    ['Answers', `${answers.length}: ${count('Yes')} Yes, ${count('Partial')} Partial, ${count('No')} No, ${count('Requires the signer')} requiring the signer`],
    ['Resting only on practitioner notes', listOrNone(ids('practitioner notes only'))],
    ['Resting on no evidence', listOrNone(ids('no evidence'))],
    ['Requiring the signer', listOrNone(ids('signer'))],
    [
      'Before signing',
      'Each answer comes from the evidence alone: Yes only where fresh evidence shows every mapped control operating, as far as the evidence the question selects goes (see Method). Confirm that the evidence covers the whole population each question names (all mailboxes, all remote access, all devices); where it does not, answer Partial and name the exceptions. legible never signs for the company.',
    ],
    ['Signature', 'Signed: ____  Name: ____  Date: ____'],
  ];
  const rows: CellValue[][] = answers.map((a) => [
    a.id,
    a.topic,
    a.question,
    a.answer,
    a.justification,
    a.basis,
    a.controls.map((c) => `${c.id} — ${statusLabel[c.status]}`).join('\n') || null,
    a.evidence.join('\n') || null,
    a.latestEvidence ?? null,
  ]);
  return [
    { name: 'Cover', columns: [{ header: 'Item', width: 34 }, { header: 'Value', width: 100 }], rows: cover, autofilter: false },
    {
      name: 'Answers',
      columns: [
        { header: 'ID', width: 6 },
        { header: 'Topic', width: 22 },
        { header: 'Question', width: 50 },
        { header: 'Answer', width: 12 },
        { header: 'Justification', width: 80 },
        { header: 'Basis', width: 18 },
        { header: 'Controls', width: 24 },
        { header: 'Evidence files', width: 45 },
        { header: 'Latest evidence date', width: 12 },
      ],
      rows,
    },
    {
      name: 'Method',
      columns: [{ header: 'Item', width: 18 }, { header: 'Text', width: 120 }],
      rows: [
        ...method.rules.map((text): CellValue[] => ['Rule', text]),
        ...method.selections.map(({ id, lines }): CellValue[] => [`${id} selects`, lines.join('\n')]),
        ...method.limits.map((text): CellValue[] => ['Limit', text]),
      ],
      autofilter: false,
    },
  ];
}

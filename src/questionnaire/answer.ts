import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ageInDays } from '../evaluate/dates.js';
import type { CheckLatest, ControlEvaluation, ControlStatus, Deviation, Evaluation } from '../model/evaluation.js';
import type { FindingSeverity, FrameworkId, NoteRecord } from '../model/types.js';
import { packageRoot } from '../util/package-root.js';
import { deadlineSentences, deviationSentence, listWords, openItemOf, remediationSentence, severitiesAsked } from './figures.js';
import { describeGroup, escapeRegExp, evidenceGroupSchema, ratedSeverities, selectionOf, type EvidenceGroup, type Match, type Selection } from './selection.js';

export type AnswerValue = 'Yes' | 'Partial' | 'No' | 'Requires the signer';

export const questionSchema = z
  .object({
    id: z.string().min(1),
    topic: z.string().min(1),
    question: z.string().min(1),
    iso27001: z.array(z.string()).optional(),
    soc2: z.array(z.string()).optional(),
    /** Who or what the question covers ("all mailboxes"): a Yes must hold for all of it. */
    population: z.string().optional(),
    /** Cannot be answered from technical evidence. */
    attestation: z.boolean().optional(),
    /** The findings of the mapped controls that speak to the question; without it, all of them do. */
    select: z.array(evidenceGroupSchema).min(1).optional(),
    /** What the question asks of fixing findings: the severities it is about, and within how many days. */
    remediation: z
      .object({
        severities: z.array(z.enum(ratedSeverities)).min(1).optional(),
        days: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type Question = z.infer<typeof questionSchema>;

export interface QuestionAnswer {
  id: string;
  topic: string;
  question: string;
  answer: AnswerValue;
  /** Plain sentences, one per gap first, at most JUSTIFICATION_CHARS characters (carriers' comment boxes). */
  justification: string;
  controls: { framework: FrameworkId; id: string; title: string; status: ControlStatus }[];
  evidence: string[];
  /** What the answer rests on: automated checks, only practitioners' notes, or nothing. */
  basis: 'automated checks' | 'practitioner notes only' | 'no evidence' | 'signer';
  latestEvidence?: string;
  /** The evidence the question selects, as the method section shows it; none: every finding of its controls. */
  selection?: string[];
}

export const JUSTIFICATION_CHARS = 1000;

let cached: Question[] | undefined;
export function builtInQuestions(): Question[] {
  cached ??= z
    .object({ description: z.string(), questions: z.array(questionSchema) })
    .parse(JSON.parse(readFileSync(join(packageRoot(), 'src', 'catalog', 'data', 'insurance-questionnaire.json'), 'utf8'))).questions;
  return cached;
}

const name = (c: ControlEvaluation) => `${c.title} (${c.id})`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const numberWords = ['No', 'One', 'Two', 'Three', 'Four', 'Five', 'Six', 'Seven', 'Eight', 'Nine', 'Ten'];
/** A count that starts a sentence: "One mailbox …", "12 mailboxes …". */
const Count = (n: number) => numberWords[n] ?? String(n);
const findingKey = (f: { check: string; resource?: string }) => `${f.check}\u0000${f.resource ?? ''}`;

// ---------------------------------------------------------------------------------------------------
// Accepted risks

const isActive = (note: NoteRecord, asOf: string) => note.expires === undefined || ageInDays(asOf, note.expires) <= 0;

/** An exception is named by the id its title starts with ("EXC-2026-007: …"), else by its title. */
function exceptionLabel(note: NoteRecord): string {
  const id = /^([^\s:]{2,40}):\s/.exec(note.title)?.[1];
  return id ?? `"${note.title.length > 80 ? `${note.title.slice(0, 79)}…` : note.title}"`;
}

/** "until 2027-01-31 (exception EXC-2026-007)". */
const acceptance = (note: NoteRecord) => `${note.expires ? `until ${note.expires}` : 'with no end date'} (exception ${exceptionLabel(note)})`;

/**
 * The active exception of one of these controls that covers a failing finding: one that names the
 * finding's resource (or, for a finding without one, its check). An exception that names neither is a
 * decision about the control, and does not say which finding it accepts.
 */
function coveringException(finding: { check: string; resource?: string }, controls: readonly ControlEvaluation[], asOf: string): NoteRecord | undefined {
  for (const c of controls) for (const { record } of c.exceptions) if (isActive(record, asOf) && namesFinding(record, finding)) return record;
  return undefined;
}

/** The note names the finding's resource (or check) as a whole word: "api" is not named by "checkout-api". */
function namesFinding(note: NoteRecord, finding: { check: string; resource?: string }): boolean {
  return new RegExp(`(?<![\\w.:/@-])${escapeRegExp(finding.resource ?? finding.check)}(?![\\w:/@-]|\\.\\w)`, 'u').test(`${note.title}\n${note.body}`);
}

/** A failing deviation in the period was accepted: an exception was active over it (the evaluation's word) and names the finding. */
const acceptedInPeriod = (d: Deviation, c: ControlEvaluation) =>
  d.accepted !== undefined && c.exceptions.some(({ record }) => record.file === d.accepted!.file && namesFinding(record, { check: d.check ?? '', ...(d.resource ? { resource: d.resource } : {}) }));

// ---------------------------------------------------------------------------------------------------
// What makes a control deficient besides failing checks (the evaluation's rules, read from its fields)

function shortfallsBesideChecks(c: ControlEvaluation, asOf: string): string[] {
  const said = new Set<string>();
  for (const { record, mappings } of c.policies) {
    const cadence = record.cadenceDays;
    // A cadence binds the activity its policy names, not every control the crosswalk pairs it with.
    if (cadence === undefined || mappings.every((m) => m.source === 'crosswalk')) continue;
    if (c.latestEvidence === undefined) said.add(`${name(c)}: the policy asks for it every ${cadence} days, and nothing shows it was ever done.`);
    else if (ageInDays(asOf, c.latestEvidence) > cadence) {
      said.add(`${name(c)}: the policy asks for it every ${cadence} days; the newest evidence of it is from ${c.latestEvidence}, ${ageInDays(asOf, c.latestEvidence)} days before ${asOf}.`);
    }
  }
  for (const { record } of c.exceptions) {
    if (record.expires !== undefined && !isActive(record, asOf)) said.add(`${name(c)}: the accepted risk (exception ${exceptionLabel(record)}) lapsed on ${record.expires}.`);
  }
  return [...said];
}

function withoutOperation(c: ControlEvaluation, status: 'stale' | 'no-evidence'): string {
  if (status === 'stale') {
    return c.latestEvidence && c.freshness !== 'current'
      ? `${name(c)}: the newest evidence is from ${c.latestEvidence}, too old to show it operating now.`
      : `${name(c)}: no recent evidence of this kind shows it operating.`;
  }
  return c.status === 'no-evidence' ? `${name(c)}: no evidence shows it operating.` : `${name(c)}: none of its evidence concerns this question.`;
}

// ---------------------------------------------------------------------------------------------------
// Sentences, and fitting them into a carrier's comment box

/** Lower ranks are kept first when everything does not fit; sentences keep their order. */
interface Sentence {
  text: string;
  rank: number;
}
const GAP = 0;
const CONFIRM = 1;
const FIGURES = 2;
const HOLDS = 3;
const CONTEXT = 4;

function fit(sentences: Sentence[]): string {
  const more = (n: number) => `${Count(n)} more ${n === 1 ? 'gap is' : 'gaps are'} in the certification packs.`;
  const kept: number[] = [];
  let length = 0;
  const add = (i: number) => {
    kept.push(i);
    length += sentences[i]!.text.length + (kept.length > 1 ? 1 : 0);
  };
  const gaps = sentences.flatMap((s, i) => (s.rank === GAP ? [i] : []));
  let left = 0;
  for (const i of gaps) {
    if (!left && length + sentences[i]!.text.length + 1 <= JUSTIFICATION_CHARS) add(i);
    else left++;
  }
  // Gaps that do not fit are counted in one last sentence, for which room is made.
  while (left && kept.length && length + more(left).length + 1 > JUSTIFICATION_CHARS) {
    const dropped = kept.pop()!;
    length -= sentences[dropped]!.text.length + (kept.length ? 1 : 0);
    left++;
  }
  const room = JUSTIFICATION_CHARS - (left ? more(left).length + 1 : 0);
  for (const rank of [...new Set(sentences.map((s) => s.rank))].filter((r) => r !== GAP).sort((a, b) => a - b)) {
    sentences.forEach((s, i) => {
      if (s.rank === rank && length + s.text.length + 1 <= room) add(i);
    });
  }
  const ordered = kept.sort((a, b) => a - b).map((i) => sentences[i]!);
  const texts = ordered.map((s) => s.text);
  if (left) texts.splice(ordered.findLastIndex((s) => s.rank === GAP) + 1, 0, more(left));
  const text = texts.join(' ');
  // A single sentence longer than the box (an exception with a very long title) is cut, never overflowed.
  return text.length <= JUSTIFICATION_CHARS ? text : `${text.slice(0, JUSTIFICATION_CHARS - 1)}…`;
}

// ---------------------------------------------------------------------------------------------------
// The failing findings of a question's controls, each once

type Reach = 'gap' | 'lower-severity' | 'within-days';

/** Rated, and not as the group asks (an unrated finding always counts). */
const ratedOtherwise = (group: EvidenceGroup | undefined, severity: FindingSeverity | undefined) =>
  group?.severities !== undefined && severity !== undefined && !(group.severities as readonly string[]).includes(severity);

interface FailingFinding {
  finding: CheckLatest;
  /** The considered controls it fails in. */
  controls: ControlEvaluation[];
  match: Match;
  group?: number;
  reach: Reach;
}

/**
 * Whether a selected failing finding is a gap for the question: rated otherwise than its group asks, it is
 * outside it; with "within N days", one open for no longer than that is on time (its age from the
 * remediation items; an age the evaluation does not give counts as a gap).
 */
function reachOf(question: Question, evaluation: Evaluation, group: EvidenceGroup | undefined, finding: { check: string; resource?: string; severity?: FindingSeverity }): Reach {
  if (ratedOtherwise(group, finding.severity)) return 'lower-severity';
  const days = question.remediation?.days;
  if (days !== undefined) {
    const item = openItemOf(evaluation, finding);
    if (item && ageInDays(evaluation.asOf, item.opened) <= days) return 'within-days';
  }
  return 'gap';
}

function failingFindings(question: Question, evaluation: Evaluation, considered: readonly ControlEvaluation[], selection: Selection | undefined): Map<string, FailingFinding> {
  const all = new Map<string, FailingFinding>();
  for (const c of considered) {
    for (const f of c.checks.failing) {
      const key = findingKey(f);
      let entry = all.get(key);
      if (!entry) {
        const m = selection ? selection.match(f) : { match: 'selected' as const };
        const group = 'group' in m ? m.group : undefined;
        entry = { finding: f, controls: [], match: m.match, ...(group !== undefined ? { group } : {}), reach: m.match === 'selected' ? reachOf(question, evaluation, question.select?.[group ?? -1], f) : 'gap' };
        all.set(key, entry);
      }
      entry.controls.push(c);
    }
  }
  return all;
}

const unlisted = (c: ControlEvaluation) => c.checks.counts.fail - c.checks.failing.length;

// ---------------------------------------------------------------------------------------------------
// Each control, judged for the question

interface Judgement {
  question: Question;
  evaluation: Evaluation;
  /** The question's controls, in its order; the considered ones are those not excluded from scope. */
  mapped: ControlEvaluation[];
  considered: ControlEvaluation[];
  excluded: ControlEvaluation[];
  selection?: Selection;
  failing: Map<string, FailingFinding>;
  /** Each considered control's status for this question. */
  statuses: Map<ControlEvaluation, ControlStatus>;
  /** Per group, the selected checks passing in controls with current evidence, and on how many resources. */
  held: Map<number, Map<string, number>>;
  /** Whether any check result is selected (passing, failing or inconclusive). */
  selectedAny: boolean;
}

/**
 * Without a selection a control's status is its own. With one, the control is judged on its notes and
 * the check results selected: deficient when a selected finding fails (or one that cannot be told apart,
 * or the evaluation does not itemise), or a cadence or exception fails it; effective on a fresh practice
 * note, a selected pass while the control's evidence is current, or a fresh selected failure below what
 * is asked; stale when such evidence is only old; otherwise nothing shows it for this question.
 */
function judge(question: Question, evaluation: Evaluation): Judgement {
  const wanted = [
    ...(question.iso27001 ?? []).map((id) => ({ framework: 'iso27001-2022' as const, id })),
    ...(question.soc2 ?? []).map((id) => ({ framework: 'soc2-2017' as const, id })),
  ];
  const mapped = wanted
    .map((w) => evaluation.controls.find((c) => c.framework === w.framework && c.id === w.id))
    .filter((c): c is ControlEvaluation => c !== undefined);
  const considered = mapped.filter((c) => c.status !== 'not-applicable');
  const excluded = mapped.filter((c) => c.status === 'not-applicable');
  const selection = question.select ? selectionOf(question.select) : undefined;
  const failing = failingFindings(question, evaluation, considered, selection);
  const statuses = new Map<ControlEvaluation, ControlStatus>();
  const held = new Map<number, Map<string, number>>();
  let selectedAny = false;
  for (const c of considered) {
    if (!selection) {
      statuses.set(c, c.status);
      continue;
    }
    const mine = [...failing.values()].filter((e) => e.controls.includes(c));
    const selectedFailing = mine.filter((e) => e.match === 'selected');
    let passes = 0;
    let freshPasses = 0;
    for (const p of c.checks.passing) {
      const m = selection.match({ check: p.check });
      if (m.match !== 'selected') continue;
      passes += p.resources;
      freshPasses += p.fresh;
      if (!p.fresh) continue;
      const group = held.get(m.group) ?? new Map<string, number>();
      group.set(p.check, Math.max(group.get(p.check) ?? 0, p.fresh));
      held.set(m.group, group);
    }
    if (passes || selectedFailing.length || c.checks.inconclusive.some((f) => selection.match(f).match === 'selected')) selectedAny = true;
    const gaps =
      selectedFailing.some((e) => e.reach === 'gap') ||
      mine.some((e) => e.match === 'unknown') ||
      unlisted(c) > 0 ||
      (c.status === 'deficient' && shortfallsBesideChecks(c, evaluation.asOf).length > 0);
    const freshOperation = c.practices.some((p) => p.fresh) || freshPasses > 0 || selectedFailing.some((e) => e.finding.fresh);
    const operation = c.practices.length > 0 || passes > 0 || selectedFailing.length > 0;
    statuses.set(c, gaps ? 'deficient' : freshOperation ? 'effective' : operation ? 'stale' : 'no-evidence');
  }
  return { question, evaluation, mapped, considered, excluded, ...(selection ? { selection } : {}), failing, statuses, held, selectedAny };
}

const withStatus = (j: Judgement, status: ControlStatus) => j.considered.filter((c) => j.statuses.get(c) === status);

// ---------------------------------------------------------------------------------------------------
// Sentences of a judgement

/** Selected failing findings, one sentence per group and accepted risk; an item (resource) is told once, in the first group it fails. */
function selectedGaps(j: Judgement, select: readonly EvidenceGroup[]): string[] {
  const said: string[] = [];
  const told = new Set<string>();
  select.forEach((group, g) => {
    const items = new Map<string, NoteRecord | undefined>();
    for (const e of j.failing.values()) {
      const item = e.finding.resource ?? e.finding.check;
      if (e.match !== 'selected' || e.group !== g || e.reach !== 'gap' || told.has(item) || items.has(item)) continue;
      items.set(item, coveringException(e.finding, e.controls, j.evaluation.asOf));
    }
    const byException = new Map<NoteRecord | undefined, number>();
    for (const [item, exception] of items) {
      told.add(item);
      byException.set(exception, (byException.get(exception) ?? 0) + 1);
    }
    for (const [exception, n] of byException) said.push(`${Count(n)} ${n === 1 ? group.gap.one : group.gap.other}${exception ? `; the risk is accepted ${acceptance(exception)}` : ''}.`);
  });
  for (const c of j.considered) {
    const unknown = [...j.failing.values()].filter((e) => e.match === 'unknown' && e.controls[0] === c).length;
    if (unknown) {
      said.push(`${Count(unknown)} failing ${unknown === 1 ? 'finding' : 'findings'} of ${name(c)} cannot be told apart by this question's selection, as the evaluation does not record enough about ${unknown === 1 ? 'it' : 'them'}, and ${unknown === 1 ? 'counts' : 'count'} against it.`);
    }
    if (unlisted(c) > 0) said.push(`${name(c)} has ${c.checks.counts.fail} failing findings and the evaluation itemises ${c.checks.failing.length}; the other ${unlisted(c)} may concern this question and count against it.`);
  }
  for (const c of withStatus(j, 'deficient')) if (c.status === 'deficient') said.push(...shortfallsBesideChecks(c, j.evaluation.asOf));
  return said;
}

/** Without a selection: per deficient control, its failing findings not told under an earlier one, and what else fails it. */
function controlGaps(j: Judgement): string[] {
  const said: string[] = [];
  const told = new Set<string>();
  for (const c of withStatus(j, 'deficient')) {
    const untold = c.checks.failing.filter((f) => !told.has(findingKey(f)));
    const already = c.checks.failing.length - untold.length;
    const count = c.checks.counts.fail - already;
    if (count > 0) {
      const covered = new Map<NoteRecord, number>();
      for (const f of untold) {
        told.add(findingKey(f));
        const exception = coveringException(f, [c], j.evaluation.asOf);
        if (exception) covered.set(exception, (covered.get(exception) ?? 0) + 1);
      }
      const accepted = [...covered].map(([exception, n]) => `${n === count ? (n === 1 ? 'accepted' : n === 2 ? 'both accepted' : 'all accepted') : `${n} of them accepted`} ${acceptance(exception)}`);
      said.push(`${name(c)}: ${plural(count, 'failing finding')}${already ? ' besides those above' : ''}${accepted.length ? `, ${accepted.join('; ')}` : ''}.`);
    }
    const beside = shortfallsBesideChecks(c, j.evaluation.asOf);
    said.push(...beside);
    if (count <= 0 && !beside.length && !already) said.push(`${name(c)} is not operating as required; the certification packs say why.`);
  }
  return said;
}

/** What shows the answer's ground: the groups whose checks pass (else practitioners' notes), or the controls effective. */
function holds(j: Judgement, answer: AnswerValue): string | undefined {
  const { asOf } = j.evaluation;
  if (!j.selection) {
    const effective = withStatus(j, 'effective');
    if (answer === 'Yes') return `Fresh evidence as of ${asOf} shows ${listWords(effective.map(name))} operating effectively, with no failing check, missed cadence or expired exception.`;
    return effective.length ? `Effective as of ${asOf}: ${effective.map(name).join('; ')}.` : undefined;
  }
  const shown: string[] = [];
  j.question.select!.forEach((group, g) => {
    const n = [...(j.held.get(g)?.values() ?? [])].reduce((a, b) => a + b, 0);
    if (n) shown.push(`${group.about} (${plural(n, 'passing check')})`);
  });
  const heldChecks = new Set([...j.held.values()].flatMap((m) => [...m.keys()]));
  for (const c of withStatus(j, 'effective')) {
    if (c.practices.some((p) => p.fresh) && !c.checks.passing.some((p) => heldChecks.has(p.check))) shown.push(`practitioners' notes on ${name(c)}`);
  }
  if (!shown.length) return undefined;
  return answer === 'Yes' ? `Fresh evidence as of ${asOf} shows this in place: ${shown.join('; ')}.` : `In place as of ${asOf}: ${shown.join('; ')}.`;
}

/** What the answer leaves aside, said so that nothing in the packs surprises its reader. */
function asides(j: Judgement): string[] {
  const said: string[] = [];
  const { selection } = j;
  if (selection) {
    const failing = [...j.failing.values()];
    const count = (reach: Reach) => failing.filter((e) => e.match === 'selected' && e.reach === reach).length;
    const lower = count('lower-severity');
    const onTime = count('within-days');
    const outside = failing.filter((e) => e.match === 'outside').length;
    const inconclusive = new Set(j.considered.flatMap((c) => c.checks.inconclusive.filter((f) => selection.match(f).match === 'selected').map(findingKey))).size;
    if (lower) said.push(`${Count(lower)} ${lower === 1 ? 'finding' : 'findings'} of this kind ${lower === 1 ? 'is' : 'are'} open with a lower rating than the question asks about.`);
    if (onTime) said.push(`${Count(onTime)} ${onTime === 1 ? 'finding' : 'findings'} of this kind ${onTime === 1 ? 'has' : 'have'} been open for ${j.question.remediation!.days} days or less, within what is asked.`);
    if (outside) said.push(`${Count(outside)} other failing ${outside === 1 ? 'finding' : 'findings'} of these controls ${outside === 1 ? 'is' : 'are'} outside this question.`);
    if (inconclusive) said.push(`${Count(inconclusive)} ${inconclusive === 1 ? 'check' : 'checks'} of this kind did not run to a result (skipped, errored or left for manual confirmation).`);
  }
  if (j.excluded.length && j.considered.length) said.push(`Excluded from scope: ${j.excluded.map(name).join('; ')}.`);
  return said;
}

/** Deviations that concern the question: all of a control's own, and of its failing findings those the selection keeps. */
function bearsOn(j: Judgement): (d: Deviation) => boolean {
  const { selection, question } = j;
  if (!selection) return () => true;
  return (d) => {
    const m = selection.match({ check: d.check ?? '', ...(d.resource ? { resource: d.resource } : {}) });
    return m.match === 'unknown' || (m.match === 'selected' && !ratedOtherwise(question.select![m.group], d.severity));
  };
}

// ---------------------------------------------------------------------------------------------------
// Answers

/**
 * Answer one question from the evaluation alone; never a Yes that evidence does not support: `Yes` only
 * when every mapped, applicable control is effective for the question (see judge), `Partial` when some
 * evidence shows one operating (effective or deficient), `No` otherwise. The justification is one plain
 * sentence per gap, then what holds, what is left aside and the measured figures.
 */
export function answerQuestion(question: Question, evaluation: Evaluation): QuestionAnswer {
  const base = { id: question.id, topic: question.topic, question: question.question };
  if (question.attestation) {
    return {
      ...base,
      answer: 'Requires the signer',
      justification: 'This cannot be answered from technical evidence: the person signing the application answers it.',
      controls: [],
      evidence: [],
      basis: 'signer',
    };
  }
  const j = judge(question, evaluation);
  const { considered, excluded, selection } = j;
  const asked = severitiesAsked(question.remediation?.severities);
  const deadlines: { gaps: string[]; said?: string } = question.remediation?.days !== undefined ? deadlineSentences(evaluation, asked, question.remediation.days) : { gaps: [] };

  let answer: AnswerValue;
  if (!considered.length) answer = 'No';
  else if (withStatus(j, 'effective').length === considered.length) answer = deadlines.gaps.length ? 'Partial' : 'Yes';
  else if (withStatus(j, 'effective').length || withStatus(j, 'deficient').length) answer = 'Partial';
  else answer = 'No';

  const sentences: Sentence[] = [];
  const say = (rank: number, texts: (string | undefined)[]) => {
    for (const text of texts) if (text) sentences.push({ text, rank });
  };
  if (!considered.length) say(GAP, [`Every control this question maps to is excluded from scope (${excluded.map(name).join('; ')}), so no evidence answers it.`]);
  say(GAP, question.select ? selectedGaps(j, question.select) : controlGaps(j));
  say(GAP, withStatus(j, 'stale').map((c) => withoutOperation(c, 'stale')));
  say(GAP, withStatus(j, 'no-evidence').map((c) => withoutOperation(c, 'no-evidence')));
  say(GAP, deadlines.gaps);
  say(HOLDS, [holds(j, answer)]);
  say(CONTEXT, asides(j));
  if (question.remediation) say(FIGURES, [remediationSentence(evaluation, { severities: asked, ...(selection ? { selection } : {}) }), deadlines.said]);
  say(FIGURES, [deviationSentence(evaluation, considered, bearsOn(j), acceptedInPeriod)]);
  if (answer === 'Yes' && question.population) say(CONFIRM, [`Before signing, confirm that this evidence covers ${question.population}.`]);

  const evidence = [...new Set(considered.flatMap((c) => c.evidence))].sort();
  const automated = selection ? j.selectedAny : considered.some((c) => c.checks.total > 0);
  const notes = considered.some((c) => c.practices.length + c.policies.length + c.exceptions.length > 0);
  const latest = considered.map((c) => c.latestEvidence).filter((d): d is string => d !== undefined).sort().at(-1);
  return {
    ...base,
    answer,
    justification: fit(sentences),
    controls: j.mapped.map((c) => ({ framework: c.framework, id: c.id, title: c.title, status: c.status })),
    evidence,
    basis: automated ? 'automated checks' : notes ? 'practitioner notes only' : 'no evidence',
    ...(latest ? { latestEvidence: latest } : {}),
    ...(question.select ? { selection: selectionLines(question) } : {}),
  };
}

/** The selection as the method section shows it: each group, then what the question asks of fixing findings. */
function selectionLines(question: Question): string[] {
  const lines = question.select!.map(describeGroup);
  const days = question.remediation?.days;
  if (days !== undefined) lines.push(`a selected failing finding counts against the answer once it has been open for more than ${days} days, or for a time the evaluation does not give`);
  return lines;
}

export function answerQuestionnaire(questions: Question[], evaluation: Evaluation): QuestionAnswer[] {
  return questions.map((q) => answerQuestion(q, evaluation));
}

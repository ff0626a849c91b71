import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ControlEvaluation, ControlStatus, Evaluation } from '../model/evaluation.js';
import type { FrameworkId } from '../model/types.js';
import { packageRoot } from '../util/package-root.js';
import { statusLabel } from '../render/labels.js';

export type AnswerValue = 'Yes' | 'Partial' | 'No' | 'Requires the signer';

export interface Question {
  id: string;
  topic: string;
  question: string;
  iso27001?: string[];
  soc2?: string[];
  /** Who or what the question covers ("all mailboxes"): a Yes must hold for all of it. */
  population?: string;
  /** Cannot be answered from technical evidence. */
  attestation?: boolean;
}

export interface QuestionAnswer {
  id: string;
  topic: string;
  question: string;
  answer: AnswerValue;
  /** One plain-language paragraph, at most JUSTIFICATION_CHARS characters (carriers' comment boxes). */
  justification: string;
  controls: { framework: FrameworkId; id: string; title: string; status: ControlStatus }[];
  evidence: string[];
  /** What the answer rests on: automated checks, only practitioners' notes, or nothing. */
  basis: 'automated checks' | 'practitioner notes only' | 'no evidence' | 'signer';
  latestEvidence?: string;
}

export const JUSTIFICATION_CHARS = 1000;

let cached: Question[] | undefined;
export function builtInQuestions(): Question[] {
  cached ??= (JSON.parse(readFileSync(join(packageRoot(), 'src', 'catalog', 'data', 'insurance-questionnaire.json'), 'utf8')) as { questions: Question[] }).questions;
  return cached;
}

function clip(text: string): string {
  if (text.length <= JUSTIFICATION_CHARS) return text;
  const suffix = ' … (full reasons in the questionnaire pack)';
  return `${text.slice(0, JUSTIFICATION_CHARS - suffix.length).replace(/\s+\S*$/, '')}${suffix}`;
}

const firstSentence = (text: string) => (/^(.+?\.)(\s|$)/.exec(text)?.[1] ?? text).replace(/\.$/, '');

/**
 * Answer one question from the evaluation alone. `Yes` only when every mapped, applicable control is
 * effective, which needs fresh evidence; `Partial` when some evidence shows the control operating
 * (effective or deficient) but not all of it holds; `No` otherwise. Never a Yes that evidence does not
 * support.
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
  const wanted = [
    ...(question.iso27001 ?? []).map((id) => ({ framework: 'iso27001-2022' as const, id })),
    ...(question.soc2 ?? []).map((id) => ({ framework: 'soc2-2017' as const, id })),
  ];
  const mapped = wanted
    .map((w) => evaluation.controls.find((c) => c.framework === w.framework && c.id === w.id))
    .filter((c): c is ControlEvaluation => c !== undefined);
  const considered = mapped.filter((c) => c.status !== 'not-applicable');
  const excluded = mapped.filter((c) => c.status === 'not-applicable');
  const by = (status: ControlStatus) => considered.filter((c) => c.status === status);
  const name = (c: ControlEvaluation) => `${c.id} ${c.title}`;
  const list = (cs: ControlEvaluation[]) => cs.map(name).join('; ');

  let answer: AnswerValue;
  const parts: string[] = [];
  if (!considered.length) {
    answer = 'No';
    parts.push(`Every control this question maps to is excluded from scope (${list(excluded)}), so no evidence answers it.`);
  } else if (by('effective').length === considered.length) {
    answer = 'Yes';
    parts.push(`Fresh evidence as of ${evaluation.asOf} shows ${list(considered)} operating effectively, with no failing check, missed cadence or expired exception.`);
    if (question.population) parts.push(`Before signing, confirm that this evidence covers ${question.population}.`);
  } else if (by('effective').length || by('deficient').length) {
    answer = 'Partial';
    if (by('effective').length) parts.push(`Effective: ${list(by('effective'))}.`);
    for (const c of by('deficient')) parts.push(`Not yet for ${name(c)}: ${firstSentence(c.reasons[0] ?? 'deficient')}.`);
    for (const c of [...by('stale'), ...by('no-evidence')]) parts.push(`${name(c)}: ${statusLabel[c.status].toLowerCase()}.`);
    parts.push('Name the exceptions when answering; a Yes would overstate the evidence.');
  } else {
    answer = 'No';
    parts.push(`No fresh evidence shows this in place: ${considered.map((c) => `${name(c)} (${statusLabel[c.status].toLowerCase()})`).join('; ')}.`);
  }
  const evidence = [...new Set(considered.flatMap((c) => c.evidence))].sort();
  const automated = considered.some((c) => c.checks.total > 0);
  const latest = considered.map((c) => c.latestEvidence).filter((d): d is string => d !== undefined).sort().at(-1);
  return {
    ...base,
    answer,
    justification: clip(parts.join(' ')),
    controls: mapped.map((c) => ({ framework: c.framework, id: c.id, title: c.title, status: c.status })),
    evidence,
    basis: !evidence.length ? 'no evidence' : automated ? 'automated checks' : 'practitioner notes only',
    ...(latest ? { latestEvidence: latest } : {}),
  };
}

export function answerQuestionnaire(questions: Question[], evaluation: Evaluation): QuestionAnswer[] {
  return questions.map((q) => answerQuestion(q, evaluation));
}

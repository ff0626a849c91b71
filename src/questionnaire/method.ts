import { EXAMPLES } from '../evaluate/evaluate.js';
import type { Evaluation } from '../model/evaluation.js';
import type { QuestionAnswer } from './answer.js';
import { listWords } from './figures.js';
import { ratedSeverities } from './selection.js';

/** How the answers were made, for the questionnaire's method section and its workbook: one source for both. */
export interface QuestionnaireMethod {
  rules: string[];
  /** Each question that selects its evidence, with what it selects. */
  selections: { id: string; lines: string[] }[];
  /** What the evaluation does not record, and what answers do about it. */
  limits: string[];
}

export function questionnaireMethod(answers: readonly QuestionAnswer[], evaluation: Evaluation): QuestionnaireMethod {
  const { sla, window } = evaluation.remediation;
  const deadlines = listWords(ratedSeverities.map((s) => `${s} ${sla[s]} days`));
  return {
    rules: [
      'Yes only where every control the question maps to is shown effective by fresh evidence; Partial where evidence shows part of it in place; No where nothing current shows it. Questions technical evidence cannot answer are left to the signer.',
      "A question that selects its evidence is answered from its controls' practitioners' notes, policies and exceptions and, of their automated check results, only those it selects. A failing finding outside the selection is named as outside the question, never counted as passing; one the selection cannot tell apart counts against the answer.",
      'Each gap is one sentence. A failing finding is told as accepted when an exception of the same control, active on the as-of date, names its resource (or, without one, its check); the exception is named with its expiry.',
      `Remediation figures count the findings fixed within their deadline (${deadlines} from first detection) of those that came due, and those still open, ${window.from !== undefined ? `over the period ${window.from} to ${window.to}` : `for every failure up to ${window.to}`}. ${evaluation.period ? 'Deviations are those of the mapped controls over the period. ' : ''}Neither changes an answer, which is what the evidence shows on the as-of date.`,
    ],
    selections: answers.filter((a) => a.selection).map((a) => ({ id: a.id, lines: a.selection! })),
    limits: [
      'The evaluation counts passing results per check, not per resource: a group that selects by resource, tool, tag or category finds failing findings only, and its passes are not counted as evidence.',
      `The evaluation names at most ${EXAMPLES} failing findings per control (the worst); when a control has more, the ones not named count against every question that selects from it.`,
      'The evidence cited for an answer is every file behind its mapped controls, including files of findings outside its selection.',
    ],
  };
}

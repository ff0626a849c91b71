import type { DocumentConfig } from './documents.js';
import type { InputSummary } from '../model/types.js';
import type { QuestionAnswer } from '../questionnaire/answer.js';
import { statusLabel } from './labels.js';
import { escapeViewModel } from './markdown-escape.js';
import { HASH_PREFIX } from './view-model.js';

/** The insurer's view: every answer with its computed justification and the evidence cited. */
export function insuranceViewModel(answers: QuestionAnswer[], inputs: InputSummary[], config: DocumentConfig, asOf: string) {
  const hashOf = new Map(inputs.map((i) => [i.file.path, i.file.sha256]));
  const dates = answers.map((a) => a.latestEvidence).filter((d): d is string => d !== undefined).sort();
  const order = ['Yes', 'Partial', 'No', 'Requires the signer'] as const;
  return escapeViewModel({
    organization: config.organization,
    scope: config.scope,
    asOf,
    evidenceRange: dates.length ? `${dates[0]} to ${dates.at(-1)}` : 'none',
    tally: order.map((answer) => ({ answer, count: answers.filter((a) => a.answer === answer).length })),
    notesOnly: answers.filter((a) => a.basis === 'practitioner notes only').map((a) => a.id),
    answers: answers.map((a) => ({
      ...a,
      latestEvidence: a.latestEvidence ?? '',
      controls: a.controls.map((c) => ({ id: c.id, status: statusLabel[c.status].toLowerCase() })),
      evidence: a.evidence.map((file) => ({ file, hash: hashOf.get(file)?.slice(0, HASH_PREFIX) ?? '' })),
    })),
  });
}

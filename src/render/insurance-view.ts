import type { DocumentConfig } from './documents.js';
import type { InputSummary } from '../model/types.js';
import type { QuestionAnswer } from '../questionnaire/answer.js';
import type { QuestionnaireMethod } from '../questionnaire/method.js';
import { statusLabel } from './labels.js';
import { escapeViewModel } from './markdown-escape.js';
import { HASH_PREFIX } from './view-model.js';
import { citeFiles, NAMED_FILES } from './citations.js';

/** The insurer's view: every answer with its computed justification and the evidence cited. */
export function insuranceViewModel(
  answers: QuestionAnswer[],
  method: QuestionnaireMethod,
  inputs: InputSummary[],
  config: DocumentConfig,
  asOf: string,
  newest: ReadonlyMap<string, string> = new Map(),
) {
  const hashOf = new Map(inputs.map((i) => [i.file.path, i.file.sha256]));
  const inputOf = new Map(inputs.map((i) => [i.file.path, i]));
  const notes = new Set(inputs.filter((i) => i.format === 'note').map((i) => i.file.path));
  const dates = answers.map((a) => a.latestEvidence).filter((d): d is string => d !== undefined).sort();
  const order = ['Yes', 'Partial', 'No', 'Requires the signer'] as const;
  // The newest notes and check results are named; the rest are counted (every one is in evidence-index.xlsx).
  const citedEvidence = (files: string[]) => {
    const namedNotes = citeFiles(files.filter((f) => notes.has(f)), inputOf, { newest, limit: NAMED_FILES });
    const namedChecks = citeFiles(files.filter((f) => !notes.has(f)), inputOf, { newest, limit: NAMED_FILES });
    return {
      evidence: [...namedNotes.named, ...namedChecks.named].sort().map((file) => ({ file, hash: hashOf.get(file)?.slice(0, HASH_PREFIX) ?? '' })),
      evidenceCounted: [...namedNotes.counted, ...namedChecks.counted],
      evidenceTotal: files.length,
    };
  };
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
      ...citedEvidence(a.evidence),
    })),
    method,
  });
}

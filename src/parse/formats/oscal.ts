/**
 * OSCAL assessment results (JSON): `assessment-results.results[]`, each with findings,
 * observations and risks.
 *
 * What a record is: a finding, because a finding is the assessor's conclusion about one target
 * (a control or objective: `satisfied` → pass, `not-satisfied` → fail). The observations and risks
 * a finding cites are its evidence, so they are summarized into its message, not counted again.
 * A result with no findings has only raw observations: each becomes a `manual` record, as nobody
 * has yet concluded whether a control is met. Observations of a result that has findings but
 * that no finding cites are not records.
 *
 * No target: a result's findings each conclude on a control, about subjects its observations name one
 * by one; nothing in the file says which system a newer result covers whole. The scope is the format.
 */
import type { CheckStatus } from '../../model/types.js';
import type { Parser } from '../parser.js';
import { nistTag } from './audit-common.js';
import { clip, instant, isObject, newest, objects, readJson, RecordEmitter, schemaError, startsJson, text, type JsonObject, type RecordFields } from './common.js';

const states: Record<string, CheckStatus> = { satisfied: 'pass', 'not-satisfied': 'fail' };

function byUuid(items: JsonObject[]): Map<string, JsonObject> {
  return new Map(items.flatMap((i) => (typeof i.uuid === 'string' ? [[i.uuid, i] as const] : [])));
}

/** The objects a list of `{ "<key>": uuid }` references point to (unknown uuids are left out). */
function lookUp(references: unknown, key: string, known: Map<string, JsonObject>): JsonObject[] {
  return objects(references).flatMap((r): JsonObject[] => {
    const found = known.get(String(r[key]));
    return found ? [found] : [];
  });
}

/** Titles of what observations were made on: components and inventory items defined in the file. */
function subjectNames(document: JsonObject, result: JsonObject): Map<string, string> {
  const names = new Map<string, string>();
  for (const defs of [document['local-definitions'], result['local-definitions']]) {
    if (!isObject(defs)) continue;
    for (const item of [...objects(defs.components), ...objects(defs['inventory-items'])]) {
      const name = text(item.title) ?? text(item.description);
      if (typeof item.uuid === 'string' && name) names.set(item.uuid, name);
    }
  }
  return names;
}

function subjectsOf(observations: JsonObject[], names: Map<string, string>): string | undefined {
  const subjects = observations.flatMap((o) => objects(o.subjects));
  const labels = subjects.map((s) => {
    const uuid = text(s['subject-uuid']);
    // Subjects defined in the imported assessment plan are only known here by type and uuid.
    return text(s.title) ?? (uuid ? (names.get(uuid) ?? `${text(s.type) ?? 'subject'} ${uuid}`) : undefined);
  });
  const unique = [...new Set(labels.filter((l): l is string => l !== undefined))];
  return unique.length ? unique.join(', ') : undefined;
}

function reviewedControlTags(result: JsonObject): string[] {
  const reviewed = isObject(result['reviewed-controls']) ? result['reviewed-controls'] : {};
  const ids = objects(reviewed['control-selections']).flatMap((s) => objects(s['include-controls']).map((c) => text(c['control-id'])));
  return [...new Set(ids.flatMap((id) => (id ? [nistTag(id)] : [])).filter((t): t is string => t !== undefined))];
}

interface ResultContext {
  file: string;
  names: Map<string, string>;
  /** When the result says the assessment ended (or began): the date of last resort. */
  when: string | undefined;
}

function record(at: ResultContext, pointer: string, fields: Omit<RecordFields, 'format' | 'file' | 'place' | 'category'>): RecordFields {
  return { format: 'oscal-ar', file: at.file, place: { pointer }, ...fields, category: 'compliance', scope: 'oscal-ar' };
}

function findingRecord(finding: JsonObject, at: ResultContext, observations: Map<string, JsonObject>, risks: Map<string, JsonObject>, pointer: string): RecordFields | string {
  const target = isObject(finding.target) ? finding.target : undefined;
  const targetId = text(target?.['target-id']);
  if (!target || !targetId) return 'the finding has no target-id';
  const state = text(isObject(target.status) ? target.status.state : undefined);
  const status = states[state ?? ''] ?? 'manual';
  const cited = lookUp(finding['related-observations'], 'observation-uuid', observations);
  const citedRisks = lookUp(finding['related-risks'], 'risk-uuid', risks);
  const observedAt = cited.reduce<string | undefined>((acc, o) => newest(acc, instant(o.collected)), undefined) ?? at.when;
  const summary = [
    ...citedRisks.map((r) => `Risk${text(r.status) ? ` (${text(r.status)})` : ''}: ${text(r.title) ?? text(r.uuid)}.`),
    ...cited.map((o) => `Observed: ${text(o.title) ?? text(o.uuid)}.`),
    state && !states[state] ? `Target state "${state}".` : undefined,
    text(finding.description),
  ];
  const tag = nistTag(targetId);
  return record(at, pointer, {
    check: targetId,
    title: text(finding.title),
    status,
    observedAt,
    resource: subjectsOf(cited, at.names),
    message: clip(summary.filter(Boolean).join(' ')),
    tags: tag ? [tag] : [],
  });
}

function observationRecord(observation: JsonObject, at: ResultContext, tags: string[], pointer: string): RecordFields | string {
  const check = text(observation.title) ?? text(observation.uuid);
  if (!check) return 'the observation has neither title nor uuid';
  return record(at, pointer, {
    check,
    status: 'manual',
    observedAt: instant(observation.collected) ?? at.when,
    resource: subjectsOf([observation], at.names),
    message: clip(text(observation.remarks) ?? text(observation.description)),
    tags,
  });
}

export const oscalAssessmentResultsParser: Parser = {
  name: 'oscal-ar',
  label: 'OSCAL assessment results (JSON)',
  detect(source) {
    if (!startsJson(source)) return 0;
    return /"assessment-results"\s*:\s*\{/.test(source.head) && /"(?:oscal-version|uuid)"\s*:/.test(source.head) ? 0.95 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const read = await readJson(source, sink);
    if ('rejected' in read) return read.rejected;
    const root = isObject(read.data) ? read.data['assessment-results'] : undefined;
    if (!isObject(root)) return schemaError(sink, file, '/assessment-results', 'expected an "assessment-results" object');
    if (!Array.isArray(root.results)) return schemaError(sink, file, '/assessment-results/results', 'expected a "results" list');

    const out = new RecordEmitter(sink, file);
    for (const [i, result] of root.results.entries()) {
      const base = `/assessment-results/results/${i}`;
      if (!isObject(result)) return schemaError(sink, file, base, 'expected each result to be an object');
      const at: ResultContext = { file, names: subjectNames(root, result), when: instant(result.end) ?? instant(result.start) };
      const findings = Array.isArray(result.findings) ? result.findings : [];
      if (findings.length) {
        const observations = byUuid(objects(result.observations));
        const risks = byUuid(objects(result.risks));
        findings.forEach((f, j) => {
          const pointer = `${base}/findings/${j}`;
          out.push(isObject(f) ? findingRecord(f, at, observations, risks, pointer) : 'the finding is not an object', { pointer }, 'finding');
        });
      } else {
        const tags = reviewedControlTags(result);
        const observations = Array.isArray(result.observations) ? result.observations : [];
        observations.forEach((o, j) => {
          const pointer = `${base}/observations/${j}`;
          out.push(isObject(o) ? observationRecord(o, at, tags, pointer) : 'the observation is not an object', { pointer }, 'observation');
        });
      }
    }
    return out.finish();
  },
};

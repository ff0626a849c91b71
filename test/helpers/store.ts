import { evaluateStore, type StoreEvaluationOptions } from '../../src/pipeline.js';
import type { Evaluation, Observation, PassGroup } from '../../src/model/evaluation.js';
import type { CheckRecord, EvidenceRecord, NoteRecord } from '../../src/model/types.js';
import { StagingWriter } from '../../src/store/staging.js';
import { Store } from '../../src/store/store.js';

/** A store in a temporary folder, removed when `use` is done. */
export async function withStore<T>(use: (store: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(undefined);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/** Put check records in the store as a build does: staged and loaded per file, each file's in the order given. */
export async function putRecords(store: Store, records: CheckRecord[]): Promise<void> {
  const byFile = new Map<string, CheckRecord[]>();
  for (const r of records) byFile.set(r.file, [...(byFile.get(r.file) ?? []), r]);
  for (const [path, rows] of byFile) {
    const writer = new StagingWriter(store.stagingDir);
    rows.forEach((r, seq) => writer.add(r, seq));
    const staged = writer.finish();
    await store.put({ path, sha256: 'test', settings: 'test', asOf: '2026-11-23', setAside: 0, result: new Uint8Array(), ...(staged ? { staged } : {}) });
  }
}

/** Every observation the store gives as newest of its finding, and the passing ones it counts by check, controls, file and day. */
export async function latestOf(store: Store): Promise<Observation[]> {
  return (await latestAndPasses(store)).observations;
}

export async function latestAndPasses(store: Store): Promise<{ observations: Observation[]; passes: PassGroup[] }> {
  const all = { observations: [] as Observation[], passes: [] as PassGroup[] };
  for await (const chunk of store.latestObservations()) {
    all.observations.push(...chunk.observations);
    all.passes.push(...chunk.passes);
  }
  return all;
}

/** The remediation deadlines a build uses by default. */
export const defaultSla = { critical: 15, high: 30, medium: 90, low: 180 };

/** Evaluate records as a build does: notes as they are, check results through the store. */
export async function evaluateRecords(records: EvidenceRecord[], options: Omit<StoreEvaluationOptions, 'notes' | 'sla'> & { sla?: StoreEvaluationOptions['sla'] }): Promise<Evaluation> {
  const notes = records.filter((r): r is NoteRecord => r.type === 'note');
  return withStore(async (store) => {
    await putRecords(store, records.filter((r): r is CheckRecord => r.type === 'check'));
    return (await evaluateStore(store, { sla: defaultSla, ...options, notes })).evaluation;
  });
}

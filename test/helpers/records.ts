import type { CheckRecord, ControlMapping, NoteRecord } from '../../src/model/types.js';

/** Explicit mappings, for building records in tests. */
export const iso = (...ids: string[]): ControlMapping[] => ids.map((id) => ({ framework: 'iso27001-2022', id, source: 'explicit' }));
export const soc2 = (...ids: string[]): ControlMapping[] => ids.map((id) => ({ framework: 'soc2-2017', id, source: 'explicit' }));

/** A passing restore test observed on 2026-11-20, mapped to A.8.13; override what a test needs. */
export const checkRecord = (over: Partial<CheckRecord> = {}): CheckRecord => ({
  type: 'check',
  format: 'native-json',
  file: 'checks/backup.json',
  check: 'backup.restore-test',
  status: 'pass',
  observedAt: '2026-11-20T08:00:00.000Z',
  rawControls: [],
  controls: iso('A.8.13'),
  ...over,
});

/** A practice note of 2026-10-01 on A.8.13; override what a test needs. */
export const noteRecord = (over: Partial<NoteRecord> = {}): NoteRecord => ({
  type: 'note',
  format: 'note',
  file: 'notes/n.md',
  kind: 'practice',
  title: 'Restore test',
  author: 'Zoë Ødegård',
  date: '2026-10-01',
  body: 'Restored the ledger database into staging.',
  rawControls: [],
  controls: iso('A.8.13'),
  ...over,
});

import { builtInCrosswalk, loadCatalog } from '../../src/catalog/catalog.js';
import type { BoardTargets } from '../../src/config/schema.js';
import type { Evaluation } from '../../src/model/evaluation.js';
import type { EvidenceRecord } from '../../src/model/types.js';
import type { DocumentConfig } from '../../src/render/documents.js';
import { checkRecord, iso, noteRecord } from './records.js';
import { evaluateRecords } from './store.js';

export const catalog = loadCatalog();
export const period = { from: '2026-01-01', to: '2026-06-30' };
export const asOf = '2026-07-15';

const restore = (file: string, observedAt: string, status: 'pass' | 'fail', resource = 'rds:ledger') =>
  checkRecord({ file, observedAt: `${observedAt}T08:00:00.000Z`, status, resource, severity: 'high', controls: iso('A.8.13') });
const vulnerability = (file: string, observedAt: string, status: 'pass' | 'fail') =>
  checkRecord({ file, format: 'trivy', check: 'CVE-2026-0001', resource: 'pkg:openssl', observedAt: `${observedAt}T08:00:00.000Z`, status, severity: 'critical', controls: iso('A.8.8') });

/**
 * Six months of a small estate's history: restore tests that pass, fail in April and pass again only
 * after the period (a file that spans it), one more restore test after it, a critical vulnerability
 * fixed late, an old practice note and a policy.
 */
export const periodRecords: EvidenceRecord[] = [
  restore('checks/restore.jsonl', '2026-02-01', 'pass'),
  restore('checks/restore.jsonl', '2026-03-01', 'pass'),
  restore('checks/restore.jsonl', '2026-04-01', 'fail'),
  restore('checks/restore.jsonl', '2026-07-10', 'pass'),
  restore('checks/restore-july.json', '2026-07-12', 'pass', 'rds:payments'),
  vulnerability('scans/vuln-feb.json', '2026-02-01', 'fail'),
  vulnerability('scans/vuln-mar.json', '2026-03-15', 'pass'),
  noteRecord({ file: 'notes/old-restore.md', date: '2025-06-01', title: 'Restore drill 2025' }),
  noteRecord({ file: 'notes/backup-policy.md', kind: 'policy', date: '2025-01-01', title: 'Backup policy' }),
];

export const periodEvaluation = (): Promise<Evaluation> =>
  evaluateRecords(periodRecords, { catalog, asOf, period, freshness: { checksDays: 30, notesDays: 365 }, exclusions: new Map(), trend: true });

export const documentConfig = (targets: BoardTargets = {}): DocumentConfig => ({
  asOf,
  organization: 'Testbank ASA',
  scope: 'Payments',
  freshness: { checksDays: 30, notesDays: 365 },
  exclusions: new Map(),
  templatesDir: 'templates',
  crosswalk: builtInCrosswalk(),
  board: { targets },
});

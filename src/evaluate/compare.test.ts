import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../catalog/catalog.js';
import type { CheckRecord } from '../model/types.js';
import { compareWithPrevious, type PreviousManifest } from './compare.js';
import { evaluateRecords } from '../../test/helpers/store.js';

const catalog = loadCatalog();
const check = (id: string, over: Partial<CheckRecord> = {}): CheckRecord => ({
  type: 'check',
  format: 'native-json',
  file: 'c.json',
  check: `c.${id}`,
  status: 'pass',
  observedAt: '2026-11-20T00:00:00Z',
  rawControls: [],
  controls: [{ framework: 'iso27001-2022', id, source: 'explicit' }],
  ...over,
});

describe('compareWithPrevious', () => {
  it('sorts changes into improved, regressed and scope, and finds new failing checks', async () => {
    const evaluation = await evaluateRecords(
      [check('A.8.13'), check('A.8.5', { status: 'fail', resource: 'break-glass' }), check('A.8.8', { status: 'fail', resource: 'db' })],
      { catalog, asOf: '2026-11-23', freshness: { checksDays: 30, notesDays: 365 }, exclusions: new Map([['iso27001-2022:A.7.5', { justification: 'x'.repeat(20) }]]) },
    );
    const previous: PreviousManifest = {
      asOf: '2026-08-23',
      controls: [
        { framework: 'iso27001-2022', id: 'A.8.13', status: 'stale' },
        { framework: 'iso27001-2022', id: 'A.8.5', status: 'effective' },
        { framework: 'iso27001-2022', id: 'A.8.8', status: 'deficient', failing: [{ check: 'c.A.8.8', resource: 'db' }] },
        { framework: 'iso27001-2022', id: 'A.7.5', status: 'no-evidence' },
      ],
    };
    const c = compareWithPrevious(evaluation, previous);
    expect(c.improved.map((x) => [x.id, x.from, x.to])).toEqual([['A.8.13', 'stale', 'effective']]);
    expect(c.regressed.map((x) => [x.id, x.from, x.to])).toEqual([['A.8.5', 'effective', 'deficient']]);
    expect(c.scope.map((x) => x.id)).toEqual(['A.7.5']);
    expect(c.newFailing).toEqual([{ framework: 'iso27001-2022', id: 'A.8.5', check: 'c.A.8.5', resource: 'break-glass' }]);
    expect(c.unchanged).toBe(1);
  });
});

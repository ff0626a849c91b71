import { describe, expect, it } from 'vitest';
import picomatch from 'picomatch';
import { loadCatalog } from '../catalog/catalog.js';
import type { CheckRecord } from '../model/types.js';
import { mapRecords } from './map.js';

const catalog = loadCatalog();
const check = (over: Partial<CheckRecord> = {}): CheckRecord => ({
  type: 'check',
  format: 'native-json',
  file: 'checks/a.json',
  check: 'authz.login',
  status: 'pass',
  observedAt: '2026-11-01T00:00:00.000Z',
  rawControls: [],
  controls: [],
  ...over,
});

describe('mapRecords', () => {
  it('maps explicit ids and their crosswalk counterparts, marking where each came from', () => {
    const { records } = mapRecords([check({ rawControls: ['CC6.1'] })], [], catalog);
    const mappings = records[0]!.controls;
    expect(mappings[0]).toEqual({ framework: 'soc2-2017', id: 'CC6.1', source: 'explicit' });
    const crosswalked = mappings.filter((m) => m.source === 'crosswalk');
    expect(crosswalked.length).toBeGreaterThan(0);
    expect(crosswalked.every((m) => m.framework === 'iso27001-2022' && m.via === 'crosswalk from CC6.1')).toBe(true);
  });

  it('adds controls from config rules by format and glob on the check id', () => {
    const rule = { format: 'native', check: 'authz.*', matches: picomatch('authz.*'), controls: [{ framework: 'iso27001-2022' as const, id: 'A.8.5' }], label: 'rule 1' };
    const { records } = mapRecords([check(), check({ check: 'backup.x' }), check({ format: 'junit' })], [rule], catalog);
    expect(records[0]!.controls.some((m) => m.id === 'A.8.5' && m.source === 'config-rule')).toBe(true);
    expect(records[1]!.controls).toHaveLength(0);
    expect(records[2]!.controls).toHaveLength(0);
  });

  it('reports unknown ids with the file and a suggestion, keeping the valid ones', () => {
    const { records, diagnostics } = mapRecords([check({ rawControls: ['A.8.35', 'A.8.5'], place: { pointer: '/0' } })], [], catalog);
    expect(records[0]!.controls.some((m) => m.id === 'A.8.5')).toBe(true);
    expect(diagnostics).toEqual([
      expect.objectContaining({ code: 'control/unknown', file: 'checks/a.json', place: { pointer: '/0' }, message: expect.stringMatching(/did you mean A\.8\.34/) }),
    ]);
  });

  it('does not crosswalk into a framework the evidence already names', () => {
    const { records } = mapRecords([check({ rawControls: ['CC6.1', 'A.8.5'] })], [], catalog);
    expect(records[0]!.controls).toEqual([
      { framework: 'soc2-2017', id: 'CC6.1', source: 'explicit' },
      { framework: 'iso27001-2022', id: 'A.8.5', source: 'explicit' },
    ]);
  });
});

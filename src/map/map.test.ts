import { describe, expect, it } from 'vitest';
import picomatch from 'picomatch';
import { loadCatalog, withCrosswalk } from '../catalog/catalog.js';
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

  it('crosswalks with the crosswalk it is given in place of the built-in one, both ways', () => {
    const firm = withCrosswalk(catalog, [{ soc2: 'CC6.1', iso27001: ['A.8.2'] }]);
    const crosswalked = (rawControls: string[]) =>
      mapRecords([check({ rawControls })], [], firm).records[0]!.controls.filter((m) => m.source === 'crosswalk').map((m) => m.id);
    expect(crosswalked(['CC6.1'])).toEqual(['A.8.2']);
    expect(crosswalked(['A.8.2'])).toEqual(['CC6.1']);
    // Pairs only the built-in crosswalk holds are gone.
    expect(mapRecords([check({ rawControls: ['CC6.1'] })], [], catalog).records[0]!.controls.map((m) => m.id)).toContain('A.8.5');
    expect(crosswalked(['A.8.5'])).toEqual([]);
  });
});

describe('default mapping rules', () => {
  it('map a finding its tool left unmapped, and say which rule did', () => {
    const { records } = mapRecords([check({ format: 'trivy', category: 'vulnerability', check: 'CVE-2019-14697' })], [], catalog);
    expect(records[0]!.controls.filter((m) => m.source === 'default-rule')).toEqual([
      { framework: 'iso27001-2022', id: 'A.8.8', source: 'default-rule', via: 'default rule known-vulnerabilities' },
      { framework: 'soc2-2017', id: 'CC7.1', source: 'default-rule', via: 'default rule known-vulnerabilities' },
    ]);
  });

  it('add CWE-specific controls beside the category ones', () => {
    const { records } = mapRecords([check({ format: 'sarif', category: 'code', tags: ['CWE-798'] })], [], catalog);
    const ids = records[0]!.controls.filter((m) => m.source === 'default-rule').map((m) => m.id);
    expect(ids).toEqual(['A.8.28', 'A.8.29', 'CC8.1', 'A.5.17']);
  });

  it('give way to a matching config rule, and to controls the tool carries', () => {
    const rule = { check: 'CVE-*', matches: picomatch('CVE-*'), controls: [{ framework: 'iso27001-2022' as const, id: 'A.8.19' }], label: 'rule 1' };
    const configured = mapRecords([check({ format: 'trivy', category: 'vulnerability', check: 'CVE-1' })], [rule], catalog).records[0]!;
    expect(configured.controls.some((m) => m.source === 'default-rule')).toBe(false);
    const carried = mapRecords(
      [check({ category: 'compliance', controls: [{ framework: 'iso27001-2022', id: 'A.8.16', source: 'tool', via: 'Prowler' }] })],
      [],
      catalog,
    ).records[0]!;
    expect(carried.controls.some((m) => m.source === 'default-rule')).toBe(false);
  });

  it('leave test results unmapped: a test suite needs a config rule to say what it proves', () => {
    const { records } = mapRecords([check({ format: 'junit', category: 'test' })], [], catalog);
    expect(records[0]!.controls).toEqual([]);
  });
});

describe('default rule data', () => {
  it('every rule names real controls and a rationale', async () => {
    const { defaultRules } = await import('./default-rules.js');
    const { resolveControlId } = await import('../catalog/resolve.js');
    for (const rule of defaultRules) {
      expect(rule.rationale.length, rule.id).toBeGreaterThan(40);
      for (const id of rule.controls) expect(resolveControlId(id, catalog).ok, `${rule.id}: ${id}`).toBe(true);
    }
  });
});

import { readFileSync } from 'node:fs';
import { describe, it, expect } from 'vitest';

interface Control {
  id: string;
  title: string;
  group: string;
  kind: string;
  purpose?: string;
}
interface FrameworkFile {
  framework: string;
  name: string;
  controls: Control[];
}
interface CrosswalkFile {
  description: string;
  mappings: { soc2: string; iso27001: string[]; rationale: string }[];
}
interface EditionFile {
  description: string;
  mappings: Record<string, string[]>;
}

const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8')) as T;

const iso = read<FrameworkFile>('iso27001-2022.json');
const soc2 = read<FrameworkFile>('soc2-2017.json');
const crosswalk = read<CrosswalkFile>('crosswalk-soc2-iso27001.json');
const edition = read<EditionFile>('iso27001-2013-to-2022.json');

const range = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i + 1}`);

const THEMES: [string, string, number][] = [
  ['A.5.', 'Organizational', 37],
  ['A.6.', 'People', 8],
  ['A.7.', 'Physical', 14],
  ['A.8.', 'Technological', 34],
];
const EXPECTED_ANNEX_A = THEMES.flatMap(([prefix, , n]) => range(prefix, n));

const EXPECTED_CLAUSES: [string, string][] = [
  ['4.1', 'Context of the organization'],
  ['4.2', 'Context of the organization'],
  ['4.3', 'Context of the organization'],
  ['4.4', 'Context of the organization'],
  ['5.1', 'Leadership'],
  ['5.2', 'Leadership'],
  ['5.3', 'Leadership'],
  ['6.1', 'Planning'],
  ['6.2', 'Planning'],
  ['6.3', 'Planning'],
  ['7.1', 'Support'],
  ['7.2', 'Support'],
  ['7.3', 'Support'],
  ['7.4', 'Support'],
  ['7.5', 'Support'],
  ['8.1', 'Operation'],
  ['8.2', 'Operation'],
  ['8.3', 'Operation'],
  ['9.1', 'Performance evaluation'],
  ['9.2', 'Performance evaluation'],
  ['9.3', 'Performance evaluation'],
  ['10.1', 'Improvement'],
  ['10.2', 'Improvement'],
];

const EXPECTED_SOC2 = [
  ...range('CC1.', 5),
  ...range('CC2.', 3),
  ...range('CC3.', 4),
  ...range('CC4.', 2),
  ...range('CC5.', 3),
  ...range('CC6.', 8),
  ...range('CC7.', 5),
  'CC8.1',
  ...range('CC9.', 2),
  ...range('A1.', 3),
  ...range('C1.', 2),
  ...range('PI1.', 5),
  'P1.1',
  'P2.1',
  ...range('P3.', 2),
  ...range('P4.', 3),
  ...range('P5.', 2),
  ...range('P6.', 7),
  'P7.1',
  'P8.1',
];

const NEW_IN_2022 = ['A.5.7', 'A.5.23', 'A.5.30', 'A.7.4', 'A.8.9', 'A.8.10', 'A.8.11', 'A.8.12', 'A.8.16', 'A.8.23', 'A.8.28'];

const isoIds = new Set(iso.controls.map((c) => c.id));
const soc2Ids = new Set(soc2.controls.map((c) => c.id));

describe('ISO/IEC 27001:2022 catalog', () => {
  const annexA = iso.controls.filter((c) => c.kind === 'annex-a');
  const clauses = iso.controls.filter((c) => c.kind === 'clause');

  it('identifies the framework', () => {
    expect(iso.framework).toBe('iso27001-2022');
    expect(iso.name).toBe('ISO/IEC 27001:2022');
  });

  it('has exactly the 93 Annex A controls, in the standard order', () => {
    expect(annexA).toHaveLength(93);
    expect(annexA.map((c) => c.id)).toEqual(EXPECTED_ANNEX_A);
  });

  it('has 37/8/14/34 controls per theme, each in its theme group', () => {
    for (const [prefix, group, n] of THEMES) {
      const inTheme = annexA.filter((c) => c.id.startsWith(prefix));
      expect(inTheme, prefix).toHaveLength(n);
      expect(inTheme.every((c) => c.group === group), prefix).toBe(true);
    }
  });

  it('has the requirement clauses 4.1 to 10.2 with their clause groups', () => {
    expect(clauses.map((c) => [c.id, c.group])).toEqual(EXPECTED_CLAUSES);
  });

  it('has only clause and annex-a kinds', () => {
    expect(iso.controls).toHaveLength(EXPECTED_CLAUSES.length + 93);
  });

  it('uses the 2022 titles', () => {
    const title = (id: string): string | undefined => iso.controls.find((c) => c.id === id)?.title;
    expect(title('6.3')).toBe('Planning of changes');
    expect(title('10.1')).toBe('Continual improvement');
    expect(title('10.2')).toBe('Nonconformity and corrective action');
    expect(title('A.5.1')).toBe('Policies for information security');
    expect(title('A.5.7')).toBe('Threat intelligence');
    expect(title('A.5.23')).toBe('Information security for use of cloud services');
    expect(title('A.8.9')).toBe('Configuration management');
    expect(title('A.8.28')).toBe('Secure coding');
    expect(title('A.8.34')).toBe('Protection of information systems during audit testing');
  });

  it('has unique ids and non-empty titles', () => {
    expect(isoIds.size).toBe(iso.controls.length);
    for (const c of iso.controls) expect(c.title.trim(), c.id).not.toBe('');
  });

  it('keeps purposes short where present', () => {
    for (const c of iso.controls) {
      if (c.purpose === undefined) continue;
      expect(c.purpose.trim(), c.id).not.toBe('');
      expect(c.purpose.length, c.id).toBeLessThan(140);
    }
  });
});

describe('SOC 2 Trust Services Criteria catalog', () => {
  const GROUPS: [RegExp, string][] = [
    [/^CC1\./, 'Control Environment'],
    [/^CC2\./, 'Information and Communication'],
    [/^CC3\./, 'Risk Assessment'],
    [/^CC4\./, 'Monitoring Activities'],
    [/^CC5\./, 'Control Activities'],
    [/^CC6\./, 'Logical and Physical Access Controls'],
    [/^CC7\./, 'System Operations'],
    [/^CC8\./, 'Change Management'],
    [/^CC9\./, 'Risk Mitigation'],
    [/^A1\./, 'Availability'],
    [/^C1\./, 'Confidentiality'],
    [/^PI1\./, 'Processing Integrity'],
    [/^P[1-8]\./, 'Privacy'],
  ];

  it('identifies the framework', () => {
    expect(soc2.framework).toBe('soc2-2017');
    expect(soc2.name).toBe('SOC 2 Trust Services Criteria (2017, revised points of focus 2022)');
  });

  it('has exactly the 61 criteria, in order', () => {
    expect(EXPECTED_SOC2).toHaveLength(61);
    expect(soc2.controls.map((c) => c.id)).toEqual(EXPECTED_SOC2);
  });

  it('has unique ids and non-empty titles', () => {
    expect(soc2Ids.size).toBe(soc2.controls.length);
    for (const c of soc2.controls) expect(c.title.trim(), c.id).not.toBe('');
  });

  it('puts each criterion in its category and kind', () => {
    for (const c of soc2.controls) {
      const group = GROUPS.find(([re]) => re.test(c.id))?.[1];
      expect(c.group, c.id).toBe(group);
      expect(c.kind, c.id).toBe(c.id.startsWith('CC') ? 'common-criteria' : 'additional-criteria');
    }
  });

  it('keeps purposes short where present', () => {
    for (const c of soc2.controls) {
      if (c.purpose === undefined) continue;
      expect(c.purpose.trim(), c.id).not.toBe('');
      expect(c.purpose.length, c.id).toBeLessThan(140);
    }
  });
});

describe('SOC 2 to ISO/IEC 27001:2022 crosswalk', () => {
  it('has a description', () => {
    expect(crosswalk.description.trim()).not.toBe('');
  });

  it('covers every SOC 2 criterion exactly once', () => {
    const ids = crosswalk.mappings.map((m) => m.soc2);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...EXPECTED_SOC2].sort());
  });

  it('references only known ISO ids, without duplicates, each row with a rationale', () => {
    for (const m of crosswalk.mappings) {
      for (const id of m.iso27001) expect(isoIds.has(id), `${m.soc2} -> ${id}`).toBe(true);
      expect(new Set(m.iso27001).size, m.soc2).toBe(m.iso27001.length);
      expect(m.rationale.trim(), m.soc2).not.toBe('');
    }
  });

  it('leaves a criterion unmapped only when the rationale says there is no counterpart', () => {
    for (const m of crosswalk.mappings) {
      if (m.iso27001.length === 0) expect(m.rationale, m.soc2).toMatch(/no .*counterpart/i);
    }
  });

  it('maps the common criteria to at least one ISO control each', () => {
    for (const m of crosswalk.mappings.filter((r) => r.soc2.startsWith('CC'))) {
      expect(m.iso27001.length, m.soc2).toBeGreaterThan(0);
    }
  });
});

describe('ISO/IEC 27001:2013 to 2022 mapping', () => {
  const keys = Object.keys(edition.mappings);
  const EXPECTED_2013 = [
    ...['5.1.1', '5.1.2'],
    ...['6.1.1', '6.1.2', '6.1.3', '6.1.4', '6.1.5', '6.2.1', '6.2.2'],
    ...['7.1.1', '7.1.2', '7.2.1', '7.2.2', '7.2.3', '7.3.1'],
    ...range('8.1.', 4), ...range('8.2.', 3), ...range('8.3.', 3),
    ...range('9.1.', 2), ...range('9.2.', 6), '9.3.1', ...range('9.4.', 5),
    ...range('10.1.', 2),
    ...range('11.1.', 6), ...range('11.2.', 9),
    ...range('12.1.', 4), '12.2.1', '12.3.1', ...range('12.4.', 4), '12.5.1', ...range('12.6.', 2), '12.7.1',
    ...range('13.1.', 3), ...range('13.2.', 4),
    ...range('14.1.', 3), ...range('14.2.', 9), '14.3.1',
    ...range('15.1.', 3), ...range('15.2.', 2),
    ...range('16.1.', 7),
    ...range('17.1.', 3), '17.2.1',
    ...range('18.1.', 5), ...range('18.2.', 3),
  ].map((id) => `A.${id}`);

  it('has a description', () => {
    expect(edition.description.trim()).not.toBe('');
  });

  it('has exactly the 114 Annex A controls of the 2013 edition', () => {
    expect(EXPECTED_2013).toHaveLength(114);
    expect(keys).toHaveLength(114);
    expect([...keys].sort()).toEqual([...EXPECTED_2013].sort());
  });

  it('maps each 2013 control to at least one known 2022 Annex A control', () => {
    for (const [from, targets] of Object.entries(edition.mappings)) {
      expect(targets.length, from).toBeGreaterThan(0);
      for (const t of targets) {
        expect(isoIds.has(t), `${from} -> ${t}`).toBe(true);
        expect(t.startsWith('A.'), `${from} -> ${t}`).toBe(true);
      }
    }
  });

  it('reaches every 2022 Annex A control except the 11 new ones', () => {
    const reached = new Set(Object.values(edition.mappings).flat());
    const unreached = EXPECTED_ANNEX_A.filter((id) => !reached.has(id));
    expect(unreached.sort()).toEqual([...NEW_IN_2022].sort());
  });

  it('spot-checks known correspondences', () => {
    expect(edition.mappings['A.5.1.1']).toEqual(['A.5.1']);
    expect(edition.mappings['A.12.4.1']).toEqual(['A.8.15']);
    expect(edition.mappings['A.18.2.3']).toEqual(['A.5.36', 'A.8.8']);
    expect(edition.mappings['A.13.2.4']).toEqual(['A.6.6']);
    expect(edition.mappings['A.11.2.8']).toEqual(['A.8.1']);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, defaultAsOf, resolveConfig } from './load.js';
import { tempDir } from '../../test/helpers/temp.js';

function withConfig(yaml: string) {
  const cwd = tempDir('legible-config-');
  writeFileSync(join(cwd, 'legible.config.yaml'), yaml);
  return cwd;
}

async function problems(yaml: string) {
  try {
    await resolveConfig({ cwd: withConfig(yaml), asOf: '2026-11-23' });
  } catch (error) {
    if (error instanceof ConfigError) return error.diagnostics;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConfig', () => {
  it('resolves a full config with durations, rules and exclusions', async () => {
    const config = await resolveConfig({
      cwd: withConfig(
        [
          'organization: Fjordline Payments AS',
          'scope: Payments platform on AWS',
          'freshness: { checks: 2w, notes: 1y }',
          'mappings:',
          '  - match: { format: junit, check: "authz.*" }',
          '    controls: [A.8.5, CC6.1]',
          'applicability:',
          '  A.7.5: { applicable: false, justification: "No own premises: the cloud provider\'s certified controls apply." }',
        ].join('\n'),
      ),
      asOf: '2026-11-23',
    });
    expect(config.organization).toBe('Fjordline Payments AS');
    expect(config.freshness).toEqual({ checksDays: 14, notesDays: 365 });
    expect(config.mappings[0]?.controls).toEqual([
      { framework: 'iso27001-2022', id: 'A.8.5' },
      { framework: 'soc2-2017', id: 'CC6.1' },
    ]);
    expect(config.mappings[0]?.matches('authz.login')).toBe(true);
    expect(config.mappings[0]?.matches('backup.login')).toBe(false);
    expect(config.exclusions.get('iso27001-2022:A.7.5')?.justification).toMatch(/No own premises/);
  });

  it('works without a config file, with defaults', async () => {
    const config = await resolveConfig({ cwd: tempDir('legible-none-'), asOf: '2026-11-23' });
    expect(config.freshness).toEqual({ checksDays: 30, notesDays: 365 });
    expect(config.exclusions.size).toBe(0);
    expect(config.board).toEqual({ targets: {} });
  });

  it('reads the board\'s targets, and names a metric it does not know or a share above 100 %', async () => {
    const config = await resolveConfig({ cwd: withConfig('board: { targets: { annexAEffective: 80, seriousFindingsOpen: 0 } }\n'), asOf: '2026-11-23' });
    expect(config.board.targets).toEqual({ annexAEffective: 80, seriousFindingsOpen: 0 });
    const unknown = await problems('board:\n  targets:\n    mfaCoverage: 95\n');
    expect(unknown[0]).toMatchObject({ code: 'config/invalid', place: { line: 3 } });
    expect(unknown[0]?.message).toMatch(/mfaCoverage/);
    expect((await problems('board: { targets: { soc2Effective: 120 } }\n'))[0]?.message).toMatch(/^board\.targets\.soc2Effective: /);
  });

  it('names the line of an unknown field, a bad duration and an unknown control', async () => {
    const found = await problems('organization: X\nfreshnes: { checks: 30d }\n');
    expect(found[0]).toMatchObject({ code: 'config/invalid', file: 'legible.config.yaml' });
    expect(found[0]?.message).toMatch(/freshnes/);

    const duration = await problems('freshness:\n  checks: soon\n');
    expect(duration[0]).toMatchObject({ place: { line: 2 } });
    expect(duration[0]?.message).toMatch(/freshness\.checks: expected a duration/);

    const unknown = await problems('mappings:\n  - match: { check: "x" }\n    controls: [A.8.35]\n');
    expect(unknown[0]).toMatchObject({ code: 'control/unknown', place: { line: 3 } });
    expect(unknown[0]?.message).toMatch(/did you mean A\.8\.34/);
  });

  it('refuses an exclusion without a real justification', async () => {
    const found = await problems('applicability:\n  A.7.5: { applicable: false, justification: "N/A" }\n');
    expect(found[0]?.message).toMatch(/justification/);
  });

  it('reports YAML syntax errors with their line', async () => {
    const found = await problems('organization: [unclosed\nscope: x\n');
    expect(found[0]?.message).toMatch(/YAML syntax/);
    expect(found[0]?.place?.line).toBeGreaterThan(0);
  });

  it('accepts a $schema key for editors', async () => {
    const config = await resolveConfig({ cwd: withConfig('$schema: ./node_modules/legible/schemas/legible.config.schema.json\norganization: X\n'), asOf: '2026-11-23' });
    expect(config.organization).toBe('X');
  });

  it('finds legible.config.yaml in the evidence folder when the working folder has none, and refuses two', async () => {
    const cwd = tempDir('legible-config-');
    mkdirSync(join(cwd, 'evidence'));
    writeFileSync(join(cwd, 'evidence', 'legible.config.yaml'), 'organization: Inside\n');
    const config = await resolveConfig({ cwd, asOf: '2026-11-23' });
    expect(config.organization).toBe('Inside');
    expect(config.configFile).toBe(join(cwd, 'evidence', 'legible.config.yaml'));
    expect(config.configSha256).toMatch(/^[0-9a-f]{64}$/);
    // --evidence names the folder searched.
    expect((await resolveConfig({ cwd, evidence: '.', asOf: '2026-11-23' })).configFile).toBeUndefined();

    writeFileSync(join(cwd, 'legible.config.yaml'), 'organization: Outside\n');
    const both = await resolveConfig({ cwd, asOf: '2026-11-23' }).catch((error: unknown) => error);
    expect(both).toBeInstanceOf(ConfigError);
    expect((both as ConfigError).diagnostics[0]).toMatchObject({ code: 'config/ambiguous', file: 'evidence/legible.config.yaml' });
    expect((both as ConfigError).diagnostics[0]?.message).toMatch(/two configurations: legible\.config\.yaml and evidence\/legible\.config\.yaml/);
    // Unless --config says which, or both names are one file (run from inside the evidence folder).
    expect((await resolveConfig({ cwd, config: 'evidence/legible.config.yaml', asOf: '2026-11-23' })).organization).toBe('Inside');
    expect((await resolveConfig({ cwd: join(cwd, 'evidence'), evidence: '.', asOf: '2026-11-23' })).organization).toBe('Inside');
  });

  it('fails clearly when an explicit config file is missing', async () => {
    await expect(resolveConfig({ cwd: tempDir(), config: 'nope.yaml' })).rejects.toThrow(/config file not found/);
  });

  it('uses the built-in crosswalk unless the config names one, which replaces it', async () => {
    const builtIn = await resolveConfig({ cwd: withConfig('organization: X\n'), asOf: '2026-11-23' });
    expect(builtIn.crosswalk).toMatchObject({ name: expect.stringMatching(/built-in/), pairs: 167 });
    expect(builtIn.crosswalk.file).toBeUndefined();

    const cwd = withConfig('crosswalk: firm/crosswalk.json\n');
    mkdirSync(join(cwd, 'firm'));
    const rows = [
      { soc2: 'CC6.1', iso27001: ['A.8.5', 'A.5.15'], rationale: 'logical access' },
      { soc2: 'cc7.2', iso27001: ['A.12.4.1'] },
    ];
    writeFileSync(join(cwd, 'firm', 'crosswalk.json'), JSON.stringify({ name: 'Example LLP crosswalk 2026', mappings: rows }, null, 2));
    const config = await resolveConfig({ cwd, asOf: '2026-11-23' });
    expect(config.crosswalk).toMatchObject({ name: 'Example LLP crosswalk 2026', file: 'firm/crosswalk.json', path: join(cwd, 'firm', 'crosswalk.json'), pairs: 3 });
    // Ids as people write them become catalog ids; a 2013 id becomes its 2022 control.
    expect(config.crosswalk.mappings).toEqual([
      { soc2: 'CC6.1', iso27001: ['A.8.5', 'A.5.15'], rationale: 'logical access' },
      { soc2: 'CC7.2', iso27001: ['A.8.15'] },
    ]);
  });

  it('places every problem of a crosswalk file, naming the nearest valid ids', async () => {
    const cwd = withConfig('crosswalk: crosswalk.json\n');
    const text = ['{', '  "mappings": [', '    { "soc2": "CC6.1", "iso27001": ["A.8.5"] },', '    { "soc2": "CC9.9", "iso27001": ["A.8.35", "CC6.1"] },', '    { "soc2": "CC7.2", "iso": ["A.8.16"] }', '  ]', '}'].join('\n');
    writeFileSync(join(cwd, 'crosswalk.json'), text);
    const shape = await resolveConfig({ cwd, asOf: '2026-11-23' }).catch((error: ConfigError) => error.diagnostics);
    expect(shape).toEqual([
      expect.objectContaining({ code: 'config/invalid', file: 'crosswalk.json', place: { line: 5, column: 5 } }),
      expect.objectContaining({ code: 'config/invalid', file: 'crosswalk.json', place: { line: 5, column: 5 } }),
    ]);
    expect((shape as { message: string }[]).map((d) => d.message).join('\n')).toMatch(/mappings\.2\.iso27001: .*\n.*Unrecognized key: "iso"/);

    writeFileSync(join(cwd, 'crosswalk.json'), text.replace('"iso": ["A.8.16"]', '"iso27001": ["A.8.16"]'));
    const ids = await resolveConfig({ cwd, asOf: '2026-11-23' }).catch((error: ConfigError) => error.diagnostics);
    expect(ids).toEqual([
      expect.objectContaining({ code: 'control/unknown', file: 'crosswalk.json', place: { line: 4, column: 15 } }),
      expect.objectContaining({ code: 'control/unknown', file: 'crosswalk.json', place: { line: 4, column: 37 } }),
      expect.objectContaining({ code: 'control/unknown', file: 'crosswalk.json', place: { line: 4, column: 47 } }),
    ]);
    const messages = (ids as { message: string }[]).map((d) => d.message);
    expect(messages[0]).toBe('crosswalk mappings.1.soc2: CC9.9: no such control; did you mean CC9.2 or CC9.1?');
    expect(messages[1]).toBe('crosswalk mappings.1.iso27001.0: A.8.35: no such control; did you mean A.8.34 or A.8.33?');
    expect(messages[2]).toBe('crosswalk mappings.1.iso27001.1: CC6.1: a SOC 2 id where an ISO/IEC 27001 one is expected');

    writeFileSync(join(cwd, 'crosswalk.json'), '{ "mappings": [ }');
    const syntax = await resolveConfig({ cwd, asOf: '2026-11-23' }).catch((error: ConfigError) => error.diagnostics);
    expect((syntax as object[])[0]).toMatchObject({ code: 'config/invalid', file: 'crosswalk.json', message: expect.stringMatching(/^crosswalk syntax/), place: { line: 1, column: 17 } });

    const missing = await resolveConfig({ cwd: withConfig('crosswalk: nowhere.json\n'), asOf: '2026-11-23' }).catch((error: ConfigError) => error.diagnostics);
    expect(missing).toEqual([expect.objectContaining({ code: 'config/unreadable', file: 'nowhere.json', message: 'cannot read the crosswalk: ENOENT' })]);
  });

  it('takes today from SOURCE_DATE_EPOCH when set', () => {
    expect(defaultAsOf({ SOURCE_DATE_EPOCH: '1790000000' })).toBe('2026-09-21');
  });
});

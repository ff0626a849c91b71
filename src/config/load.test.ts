import { writeFileSync } from 'node:fs';
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

  it('fails clearly when an explicit config file is missing', async () => {
    await expect(resolveConfig({ cwd: tempDir(), config: 'nope.yaml' })).rejects.toThrow(/config file not found/);
  });

  it('takes today from SOURCE_DATE_EPOCH when set', () => {
    expect(defaultAsOf({ SOURCE_DATE_EPOCH: '1790000000' })).toBe('2026-09-21');
  });
});

import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { legible, root, scratchCopy } from '../helpers/cli.js';

interface Action {
  inputs: Record<string, { default: string }>;
  runs: { using: string; steps: { name?: string; run?: string; env?: Record<string, string> }[] };
}

describe('in GitHub Actions', () => {
  it('prints each diagnostic as an annotation, most important first, and appends the summary to the step summary', async () => {
    const dir = scratchCopy('e2e');
    const summaryFile = join(dir, 'step-summary.md');
    writeFileSync(summaryFile, 'earlier step\n');
    // As of 1 November, the restore test note of 2 November is dated later: a warning.
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summaryFile, GITHUB_WORKSPACE: dir };
    const result = await legible(['check', '--as-of', '2026-11-01'], dir, env);
    expect(result.code).toBe(1);
    const annotations = result.stdout.split('\n').filter((l) => l.startsWith('::'));
    expect(annotations.slice(0, 3)).toEqual([
      '::error file=evidence/checks/broken.json,line=3,col=1,title=native/syntax::invalid JSON: the JSON ends before it is complete (truncated file?)',
      expect.stringMatching(/^::error file=evidence\/checks\/notes\.txt,title=format\/unknown::not a recognised evidence format%0Ahint: formats legible reads: note, /),
      '::error file=evidence/checks/iam.json,title=control/unknown::at #/results/4: A.8.35: no such control; did you mean A.8.34 or A.8.33?',
    ]);
    expect(annotations.slice(3).length).toBeGreaterThan(0);
    expect(annotations.slice(3).every((l) => l.startsWith('::warning '))).toBe(true);
    expect(annotations).toContainEqual(expect.stringMatching(/^::warning file=evidence\/notes\/restore-test\.md,.*title=evidence\/future-dated::/));
    // The diagnostics are not printed a second time as text; the summary still goes to the log.
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/inputs: 10 accepted \(\d+ records\), 2 rejected/);

    const summary = readFileSync(summaryFile, 'utf8');
    expect(summary.startsWith('earlier step\n## legible check: evaluated as of 2026-11-01\n')).toBe(true);
    expect(summary).toMatch(/\| ISO\/IEC 27001:2022 \| \d+ \| \d+ \| \d+ \| \d+ \| 1 \|/);
    expect(summary).toContain('### Rejected inputs\n\n- checks\\/broken\\.json: invalid JSON\\: the JSON ends before it is complete \\(truncated file\\?\\)\n- checks\\/notes\\.txt: not a recognised evidence format\n');
  });

  it('annotates configuration errors on the config file, and stays plain text elsewhere or with --json', async () => {
    const dir = scratchCopy('e2e');
    writeFileSync(join(dir, 'legible.config.yaml'), 'organization: Testbank ASA\nfreshness: { checks: soon }\n');
    const bad = await legible(['build', '--as-of', '2026-11-23'], dir, { GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: '' });
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('::error file=legible.config.yaml,line=2,col=22,title=config/invalid::freshness.checks: expected a duration such as 30d, 12w, 3m or 1y\n');
    expect(bad.stderr).toBe('');
    // A step summary that cannot be written is a warning, not a failure.
    const nowhere = join(dir, 'no', 'such', 'folder.md');
    const unwritable = await legible(['check', '--as-of', '2026-11-23'], scratchCopy('e2e'), { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: nowhere });
    expect(unwritable.code).toBe(1);
    expect(unwritable.stderr).toBe(`warning cannot append the summary to ${nowhere}: ENOENT\n`);

    const plain = await legible(['check', '--as-of', '2026-11-23'], scratchCopy('e2e'), { GITHUB_ACTIONS: '' });
    expect(plain.stdout).not.toMatch(/^::/m);
    expect(plain.stderr).toMatch(/^checks\/broken\.json:3:1: error invalid JSON/m);
    const json = await legible(['check', '--json', '--as-of', '2026-11-23'], scratchCopy('e2e'), { GITHUB_ACTIONS: 'true' });
    expect(JSON.parse(json.stdout)).toMatchObject({ asOf: '2026-11-23' });
    // --format github on the command line wins over the environment, and cannot go with --json.
    const asked = await legible(['check', '--format', 'github', '--as-of', '2026-11-23'], scratchCopy('e2e'), { GITHUB_ACTIONS: '' });
    expect(asked.stdout).toMatch(/^::error file=evidence\/checks\/broken\.json,/m);
    expect((await legible(['check', '--format', 'github', '--json'], dir)).code).toBe(2);
  });
});

describe('the composite action (action.yml)', () => {
  const action = parse(readFileSync(join(root, 'action.yml'), 'utf8')) as Action;
  const step = action.runs.steps.at(-1)!;
  /** The action's last step as the runner runs it: the inputs, defaults unless given, in its variables. */
  const runStep = async (cwd: string, given: Record<string, string>) => {
    const inputs = { ...Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default])), ...given };
    const env = Object.fromEntries(Object.entries(step.env!).map(([name, value]) => [name, inputs[/inputs\.([\w-]+)/.exec(value)![1]!] ?? '']));
    try {
      const { stdout } = await promisify(execFile)('bash', ['-e', '-c', step.run!], { cwd, env: { ...process.env, ...env, GITHUB_ACTION_PATH: root, GITHUB_ACTIONS: 'true', GITHUB_WORKSPACE: cwd } });
      return { code: 0, stdout };
    } catch (error) {
      return { code: (error as { code: number }).code, stdout: (error as { stdout: string }).stdout };
    }
  };

  it('is a composite action whose step runs the CLI with the inputs, reporting as annotations', async () => {
    expect(action.runs.using).toBe('composite');
    const dir = scratchCopy('e2e');
    const checked = await runStep(dir, { command: 'check', 'as-of': '2026-11-23' });
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/^::error file=evidence\/checks\/broken\.json,line=3,col=1,title=native\/syntax::/m);
    expect(checked.stdout).toMatch(/evaluated as of 2026-11-23/);
    const refused = await runStep(dir, { command: 'rm -rf /' });
    expect(refused.code).toBe(2);
    expect(refused.stdout).toBe("::error title=legible::command must be build or check, not 'rm -rf /'\n");
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../util/package-root.js';
import { main } from './main.js';
import { helpFile, HELP_WIDTH, quickAnswer } from './quick.js';

describe('answers given without loading the CLI', () => {
  it('the version is the package\'s', () => {
    expect(quickAnswer(['--version'], undefined)).toBe(`${(JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version}\n`);
  });

  it('the help written at build time is what yargs prints now (npm run build writes it)', async () => {
    let printed = '';
    await main(['--help'], { out: (t) => (printed += t), err: () => {}, cwd: process.cwd(), env: {} }, HELP_WIDTH);
    expect(readFileSync(helpFile(), 'utf8')).toBe(printed);
    expect(quickAnswer(['--help'], undefined)).toBe(printed);
  });

  it('leaves everything else, and a terminal too narrow for the written help, to the CLI', () => {
    expect(quickAnswer(['--help'], 80)).toBeUndefined();
    expect(quickAnswer(['build', '--help'], undefined)).toBeUndefined();
    expect(quickAnswer([], undefined)).toBeUndefined();
  });
});

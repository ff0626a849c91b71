/**
 * What the CLI can answer without loading anything: its version, and its top-level help, written at
 * build time from the very yargs definition that prints it (dist/cli/help.txt; see write-help.ts).
 * Loading yargs alone takes longer than Node's own start.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

/** The width the help is written for; a narrower terminal gets it from yargs, wrapped to fit. */
export const HELP_WIDTH = 100;
export const helpFile = () => join(packageRoot(), 'dist', 'cli', 'help.txt');

/** The answer to `legible --version` or `legible --help`, or undefined for anything else. */
export function quickAnswer(argv: readonly string[], columns: number | undefined): string | undefined {
  if (argv.length !== 1) return undefined;
  if (argv[0] === '--version') return `${(JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version}\n`;
  if (argv[0] === '--help' && (columns === undefined || columns >= HELP_WIDTH)) {
    try {
      return readFileSync(helpFile(), 'utf8');
    } catch {
      return undefined;
    }
  }
  return undefined;
}

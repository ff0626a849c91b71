/** Writes dist/cli/help.txt at build time: the top-level help exactly as yargs prints it (see quick.ts). */
import { writeFileSync } from 'node:fs';
import { main } from './main.js';
import { helpFile, HELP_WIDTH } from './quick.js';

let text = '';
await main(['--help'], { out: (t) => (text += t), err: () => {}, cwd: process.cwd(), env: {} }, HELP_WIDTH);
writeFileSync(helpFile(), text);

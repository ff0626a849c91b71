#!/usr/bin/env node
import { quickAnswer } from './quick.js';

const argv = process.argv.slice(2);
const quick = quickAnswer(argv, process.stdout.isTTY ? process.stdout.columns : undefined);
if (quick !== undefined) process.stdout.write(quick);
else {
  const { main } = await import('./main.js');
  await main(argv).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`legible: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exitCode = 70;
    },
  );
}

// @ts-check
/**
 * The floor: the work no reader of these files can avoid, on the same bytes, in one Node process —
 * read each file, SHA-256 it, and JSON.parse it (JSON documents whole, JSON Lines line by line) or
 * split it into lines (everything else). Prints {files, bytes, ms} as JSON.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = process.argv[2];
if (!root) throw new Error('usage: node bench/floor.js EVIDENCE_DIR');
const started = performance.now();
let files = 0;
let bytes = 0;
const visit = (/** @type {string} */ dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) visit(path);
    else if (entry.isFile()) read(path);
  }
};
const read = (/** @type {string} */ path) => {
  const buffer = readFileSync(path);
  files++;
  bytes += buffer.length;
  createHash('sha256').update(buffer).digest('hex');
  const text = buffer.toString('utf8');
  // A broken file costs its parse attempt too (the demo holds a truncated export on purpose).
  const parse = (/** @type {string} */ json) => {
    try {
      JSON.parse(json);
    } catch {
      // Counted as read.
    }
  };
  if (/\.(json|sarif)$/.test(path)) parse(text);
  else if (/\.(jsonl|ndjson)$/.test(path)) {
    for (const line of text.split('\n')) if (line.trim()) parse(line);
  } else text.split('\n');
};
visit(root);
process.stdout.write(`${JSON.stringify({ files, bytes, ms: Math.round(performance.now() - started), peakRssBytes: process.resourceUsage().maxRSS * 1024 })}\n`);

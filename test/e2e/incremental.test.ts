import { appendFileSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { legible, pdfPlain, root, scratchCopy } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

const outputsOf = (dir: string, out = 'out') => Object.fromEntries(readdirSync(join(dir, out)).map((name) => [name, readFileSync(join(dir, out, name))]));

interface Summary {
  stats: { files: number; cached: number; hashed: number; workers: number; ms: Record<string, unknown>; peakRssBytes: number };
}
const summaryOf = (stdout: string) => JSON.parse(stdout) as Summary;

describe('incremental builds', () => {
  it('a rebuild reads unchanged files from the cache, hashes none of them, and writes the same bytes', async () => {
    const dir = scratchCopy('e2e');
    // A file changed within two seconds of being hashed is hashed again next time (timestamps can be
    // coarse): evidence written a moment before the build would be, so wait as a real folder would have.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const cold = await legible(['build', '--as-of', '2026-11-23', '--json'], dir);
    expect(cold.code, cold.stderr).toBe(0);
    const first = summaryOf(cold.stdout).stats;
    expect(first).toMatchObject({ cached: 0, hashed: first.files });
    expect(first.ms).toMatchObject({ collect: expect.any(Number), ingest: expect.any(Number), evaluate: expect.any(Number), render: expect.any(Number), total: expect.any(Number) });
    expect(first.peakRssBytes).toBeGreaterThan(0);
    const before = outputsOf(dir);

    const warm = summaryOf((await legible(['build', '--as-of', '2026-11-23', '--json'], dir)).stdout).stats;
    // Rejected files (unreadable, unknown format) are read again: only accepted and rejected-by-content ones are cached.
    expect(warm.hashed).toBe(0);
    expect(warm.cached).toBeGreaterThanOrEqual(first.files - 2);
    expect(outputsOf(dir)).toEqual(before);

    // One note changes: it alone is hashed and read again, and the packs say what it now says.
    appendFileSync(join(dir, 'evidence', 'notes', 'restore-test.md'), '\nAlso restored the ledger replica in eu-west-1.\n');
    await new Promise((resolve) => setTimeout(resolve, 2100));
    // Workers, forced here (small inputs are read and rendered in one thread by default).
    const changed = await legible(['build', '--as-of', '2026-11-23', '--json', '--jobs', '2'], dir);
    const third = summaryOf(changed.stdout).stats;
    expect(third.hashed).toBe(1);
    expect(third.cached).toBe(warm.cached - 1);
    const after = outputsOf(dir);
    expect(pdfPlain(join(dir, 'out', 'iso27001-2022-certification-pack.pdf'))).toContain('Also restored the ledger replica in eu-west-1.');
    expect(after['manifest.json']).not.toEqual(before['manifest.json']);
    expect(JSON.parse(after['manifest.json']!.toString()).inputs.find((i: { path: string }) => i.path === 'notes/restore-test.md').sha256).not.toBe(
      JSON.parse(before['manifest.json']!.toString()).inputs.find((i: { path: string }) => i.path === 'notes/restore-test.md').sha256,
    );

    // The same build without the cache and without workers writes the same bytes.
    await legible(['build', '--as-of', '2026-11-23', '--no-cache', '--jobs', '0', '--out', 'fresh'], dir);
    const fresh = outputsOf(dir, 'fresh');
    for (const name of Object.keys(after)) expect(fresh[name], name).toEqual(after[name]);
  });

  it('says nothing of progress where output is not a terminal, and refuses a bad --jobs', async () => {
    const dir = scratchCopy('e2e');
    const quiet = await legible(['check', '--as-of', '2026-11-23'], dir);
    expect(quiet.stderr).not.toMatch(/reading \d+\/\d+ files/);
    expect(quiet.stdout).toMatch(/^time: \d+\.\d s \(read \d+ files in \d+\.\d s, 0 from the cache, 0 workers\)$/m);
    const bad = await legible(['check', '--jobs', 'many'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--jobs/);
  });

  it('a warm check loads no parser, no secret rules, no renderer, and DuckDB without the ESM loader', async () => {
    // What a warm `check` must not pay for at start-up, asked of Node's module loader itself: every
    // module it loads through ESM is written down by a loader hook.
    const dir = scratchCopy('e2e');
    const hooks = tempDir('legible-hooks-');
    const log = join(hooks, 'loaded.txt');
    writeFileSync(join(hooks, 'hooks.mjs'), `import { appendFileSync } from 'node:fs';\nexport async function load(url, context, next) { appendFileSync(${JSON.stringify(log)}, url + '\\n'); return next(url, context); }\n`);
    writeFileSync(join(hooks, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(hooks, 'hooks.mjs')).href)});\n`);
    writeFileSync(log, '');
    // Files hashed within 2 s of a change are hashed again (see above): wait, so the second run finds them all in the store.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const cold = await legible(['check', '--as-of', '2026-11-23', '--jobs', '0', '--json'], dir);
    expect(summaryOf(cold.stdout).stats.cached, cold.stderr).toBe(0);
    const warm = await legible(['check', '--as-of', '2026-11-23', '--jobs', '0', '--json'], dir, { NODE_OPTIONS: `--import ${pathToFileURL(join(hooks, 'register.mjs')).href}` });
    expect(summaryOf(warm.stdout).stats.hashed).toBe(0);
    const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((url) => url.replace(pathToFileURL(root).href, ''));
    expect(loaded).toContain('/dist/store/store.js');
    const heavy = loaded.filter((url) => /\/dist\/(parse\/registry|ingest\/ingest-file|ingest\/parquet|redact\/|render\/pdf\/)|node_modules\/(@duckdb|pdfkit|handlebars|xlsx|saxes|csv-parse)\//.test(url));
    expect(heavy).toEqual([]);
  });
});

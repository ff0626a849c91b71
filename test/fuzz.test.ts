import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFile } from '../src/parse/parse-file.js';
import { collectedFrom } from './helpers/source.js';
import { root } from './helpers/cli.js';

/**
 * Bounded fuzzing of every parser through detection: genuine samples, truncated, with bytes flipped,
 * inserted or deleted. Each must be read or rejected with a reason — never a throw, a hang, an
 * unhandled rejection or a parser crash. The seed is fixed so CI runs are repeatable; set FUZZ_SEED and
 * FUZZ_RUNS to explore further.
 */
const seed = Number(process.env.FUZZ_SEED ?? 20261123);
const numRuns = Number(process.env.FUZZ_RUNS ?? 12);
const fixtures = join(root, 'test', 'fixtures');
const MAX_BYTES = 200_000;

const samples = readdirSync(fixtures)
  .filter((dir) => dir !== 'e2e')
  .flatMap((dir) =>
    readdirSync(join(fixtures, dir))
      .filter((name) => name !== 'SOURCES.md' && statSync(join(fixtures, dir, name)).isFile() && statSync(join(fixtures, dir, name)).size <= MAX_BYTES)
      .map((name) => `${dir}/${name}`),
  )
  .concat(['e2e/evidence/notes/restore-test.md', 'e2e/evidence/checks/iam.json', 'e2e/evidence/checks/authz.csv', 'e2e/evidence/checks/logging.jsonl']);

const mutation = (size: number) =>
  fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(size) }),
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(Math.max(0, size - 1)), byte: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(size), bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(size), length: fc.integer({ min: 1, max: 64 }) }),
  );

function apply(data: Buffer, m: fc.Arbitrary<unknown> extends never ? never : ReturnType<typeof mutation> extends fc.Arbitrary<infer T> ? T : never): Buffer {
  switch (m.kind) {
    case 'truncate':
      return data.subarray(0, m.at);
    case 'flip': {
      const copy = Buffer.from(data);
      if (copy.length) copy[m.at % copy.length] = m.byte;
      return copy;
    }
    case 'insert':
      return Buffer.concat([data.subarray(0, m.at), Buffer.from(m.bytes), data.subarray(m.at)]);
    case 'delete':
      return Buffer.concat([data.subarray(0, m.at), data.subarray(m.at + m.length)]);
  }
}

describe('fuzzed inputs are read or rejected with a reason, never a crash', () => {
  it.each(samples)('%s', async (sample) => {
    const original = readFileSync(join(fixtures, sample));
    await fc.assert(
      fc.asyncProperty(mutation(original.length), async (m) => {
        const mutated = apply(original, m);
        const parsed = await parseFile(collectedFrom(sample, mutated));
        expect(parsed.diagnostics.filter((d) => d.code === 'parse/crashed')).toEqual([]);
        if (!parsed.accepted) expect(parsed.reason?.length ?? 0).toBeGreaterThan(0);
        for (const d of parsed.diagnostics) expect(d.file).toBe(sample);
      }),
      { seed, numRuns },
    );
  });

  it('random bytes and random text are rejected with a reason', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)), fc.string({ maxLength: 512 }).map((s) => Buffer.from(s))), async (data) => {
        const parsed = await parseFile(collectedFrom('random.bin', data));
        expect(parsed.diagnostics.filter((d) => d.code === 'parse/crashed')).toEqual([]);
        if (!parsed.accepted) expect(parsed.reason).toBeTruthy();
      }),
      { seed, numRuns: 100 },
    );
  });

  it('front matter with arbitrary YAML values is validated, never thrown', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(fc.constantFrom('title', 'author', 'date', 'controls', 'kind', 'cadence', 'expires', 'x'), fc.jsonValue()), async (fm) => {
        const yaml = Object.entries(fm).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join('\n');
        const parsed = await parseFile(collectedFrom('notes/n.md', `---\n${yaml}\n---\nbody\n`));
        expect(parsed.diagnostics.filter((d) => d.code === 'parse/crashed')).toEqual([]);
        if (!parsed.accepted) expect(parsed.diagnostics[0]?.place?.line).toBeGreaterThan(0);
      }),
      { seed, numRuns: 150 },
    );
  });
});

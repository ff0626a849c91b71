import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonStreamError, streamJson, type JsonPath } from './json-stream.js';

/** Feed text in chunks of the given sizes, to cross every boundary. */
async function* chunked(text: string, size: number) {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function run(text: string, isTarget: (p: JsonPath) => boolean, size = 7) {
  const elements: { value: unknown; path: JsonPath }[] = [];
  const skeleton = await streamJson(chunked(text, size), { isTarget, onElement: (value, path) => elements.push({ value, path }) });
  return { skeleton, elements };
}

const sarifLike = JSON.stringify({
  version: '2.1.0',
  runs: [
    { tool: { driver: { name: 'semgrep', rules: [{ id: 'r1' }] } }, results: [{ ruleId: 'r1', message: { text: 'a "quoted" \\ back\nslash ünï 陈伟' } }, { ruleId: 'r2' }] },
    { tool: { driver: { name: 'x' } }, results: [] },
  ],
});

describe('streamJson', () => {
  it.each([1, 2, 3, 7, 64, 1 << 16])('cuts out target elements with their paths (chunk size %i)', async (size) => {
    const { skeleton, elements } = await run(sarifLike, (p) => p.length === 3 && p[0] === 'runs' && p[2] === 'results', size);
    const whole = JSON.parse(sarifLike);
    expect(elements.map((e) => e.value)).toEqual(whole.runs[0].results);
    expect(elements.map((e) => e.path)).toEqual([
      ['runs', 0, 'results', 0],
      ['runs', 0, 'results', 1],
    ]);
    expect(skeleton).toEqual({ ...whole, runs: whole.runs.map((r: object) => ({ ...r, results: [] })) });
  });

  it('streams a top-level array', async () => {
    const { skeleton, elements } = await run('\uFEFF[ {"a":1} , [2,3], "s", 4, null ]', (p) => p.length === 0);
    expect(skeleton).toEqual([]);
    expect(elements.map((e) => e.value)).toEqual([{ a: 1 }, [2, 3], 's', 4, null]);
  });

  it('agrees with JSON.parse on arbitrary documents', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.jsonValue()), fc.integer({ min: 1, max: 50 }), async (items, size) => {
        const text = JSON.stringify({ meta: { n: items.length }, items }, null, size % 2 ? 2 : undefined);
        const { skeleton, elements } = await run(text, (p) => p.length === 1 && p[0] === 'items', size);
        expect(elements.map((e) => e.value)).toEqual(JSON.parse(JSON.stringify(items)));
        expect(skeleton).toEqual({ meta: { n: items.length }, items: [] });
      }),
      { numRuns: 200 },
    );
  });

  it('finds the end of strings with runs of backslashes and quotes, split at any byte', async () => {
    const texts = ['\\', '\\"', '"\\\\', 'a\\\\\\b"', '\\"\\"', '陈\\伟"', '\\u0041\\"'];
    const items = texts.map((t, i) => ({ [`k${t}`]: t, i, after: `${t}${t}` }));
    const text = JSON.stringify({ items });
    for (let size = 1; size <= 9; size++) {
      const { elements } = await run(text, (p) => p.length === 1 && p[0] === 'items', size);
      expect(elements.map((e) => e.value)).toEqual(items);
    }
  });

  it.each([
    ['[{"a":1},{"a":', /ends before it is complete/],
    ['[{"a":1},]', /unexpected "\]"/],
    ['[,{"a":1}]', /unexpected ","/],
    ['[{"a":1}{"b":2}]', /invalid JSON/],
    ['[{"a":tru}]', /invalid JSON/],
    ['', /holds no JSON/],
    ['[1] [2]', /after the end/],
    ['{"x": [1]}}', /unexpected "}"|after the end/],
  ])('rejects %j with a place', async (text, message) => {
    const error = await run(text, (p) => p.length === 0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsonStreamError);
    expect((error as JsonStreamError).message).toMatch(message);
    expect((error as JsonStreamError).place.line).toBeGreaterThanOrEqual(1);
  });

  it('places an error inside an element at the element, or on its line when the engine says where', async () => {
    const text = '[\n  {"a": 1},\n  {"a": 2,\n   "b": nope}\n]';
    const error = (await run(text, (p) => p.length === 0).catch((e: unknown) => e)) as JsonStreamError;
    expect([3, 4]).toContain(error.place.line);
    const positioned = '[\n  {"a": 1},\n  {"a": 2,\n   "b" 3}\n]';
    const located = (await run(positioned, (p) => p.length === 0).catch((e: unknown) => e)) as JsonStreamError;
    expect(located.place).toEqual({ line: 4, column: 8 });
  });

  it('never throws anything but a JsonStreamError on mutated input', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.nat(sarifLike.length), async (insert, at) => {
        const text = sarifLike.slice(0, at) + insert + sarifLike.slice(at);
        const outcome = await run(text, (p) => p.length === 3 && p[2] === 'results').catch((e: unknown) => e);
        if (outcome instanceof Error) expect(outcome).toBeInstanceOf(JsonStreamError);
      }),
      { numRuns: 300 },
    );
  });
});


describe('streamJson context', () => {
  it('gives each element the document read before it', async () => {
    const seen: unknown[] = [];
    await streamJson(chunked('{"tool": "t", "version": "1.2", "runs": [{"driver": {"name": "d"}, "results": [1, 2]}, {"results": [3]}]}', 5), {
      isTarget: (p) => p.length === 3 && p[2] === 'results',
      onElement: (_v, path, context) => seen.push([path.join('/'), context()]),
    });
    expect(seen).toEqual([
      ['runs/0/results/0', { tool: 't', version: '1.2', runs: [{ driver: { name: 'd' }, results: [] }] }],
      ['runs/0/results/1', { tool: 't', version: '1.2', runs: [{ driver: { name: 'd' }, results: [] }] }],
      ['runs/1/results/0', { tool: 't', version: '1.2', runs: [{ driver: { name: 'd' }, results: [] }, { results: [] }] }],
    ]);
  });
});

describe('streamJson skipping and places', () => {
  it('skips the elements it is not asked for, unparsed, and keeps the path of the others', async () => {
    const elements: unknown[] = [];
    // The second element is broken, but never parsed.
    const skeleton = await streamJson(chunked('{"a": [1, {"x": nope}, [3], {"y": "]"}]}', 4), {
      isTarget: (p) => p.length === 1,
      wants: (path) => path[1] !== 1,
      onElement: (value, path) => elements.push([path.join('/'), value]),
    });
    expect(elements).toEqual([
      ['a/0', 1],
      ['a/2', [3]],
      ['a/3', { y: ']' }],
    ]);
    expect(skeleton).toEqual({ a: [] });
  });

  it('places a syntax error outside the streamed arrays on its line in the file', async () => {
    const text = '{\n  "items": [\n    {"a": 1},\n    {"a": 2}\n  ],\n  "meta": {"n" 2}\n}';
    const error = (await run(text, (p) => p.length === 1 && p[0] === 'items', 3).catch((e: unknown) => e)) as JsonStreamError;
    expect(error).toBeInstanceOf(JsonStreamError);
    expect(error.message).toBe("invalid JSON: Expected ':' after property name");
    expect(error.place).toEqual({ line: 6, column: 16 });
  });
});

describe('streamJson context of many items', () => {
  it('is the document before each element, and stays so once handed out', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.jsonValue({ maxDepth: 2 }),
        fc.array(fc.record({ before: fc.jsonValue({ maxDepth: 2 }), list: fc.array(fc.jsonValue({ maxDepth: 1 }), { minLength: 1, maxLength: 3 }), after: fc.jsonValue({ maxDepth: 2 }) }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 40 }),
        async (meta, items, size) => {
          const document = JSON.parse(JSON.stringify({ meta, items })) as { meta: unknown; items: { before: unknown; list: unknown[]; after: unknown }[] };
          const seen: [JsonPath, unknown][] = [];
          await streamJson(chunked(JSON.stringify(document, null, size % 3), size), {
            isTarget: (p) => p.length === 3 && p[0] === 'items' && p[2] === 'list',
            onElement: (_v, path, context) => seen.push([path, context()]),
          });
          const emptied = document.items.map((item) => ({ ...item, list: [] }));
          expect(seen).toEqual(
            document.items.flatMap((item, k) =>
              item.list.map((_, j) => [['items', k, 'list', j], { meta: document.meta, items: [...emptied.slice(0, k), { before: item.before, list: [] }] }]),
            ),
          );
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('streamJson skipping broken input', () => {
  it.each(['[}]', '[{"a": 1}, }]', '{"a": [1, }]}'])('rejects %j even when no element is parsed', async (text) => {
    const error = await streamJson(chunked(text, 2), { isTarget: (p) => p.length <= 1, wants: () => false, onElement: () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JsonStreamError);
    expect((error as JsonStreamError).message).toBe('unexpected "}"');
  });

  it('ends, with a JsonStreamError or a document, on mutated input whose elements it skips', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 60 }), fc.nat(sarifLike.length), async (insert, at) => {
        const text = sarifLike.slice(0, at) + insert + sarifLike.slice(at);
        const outcome = await streamJson(chunked(text, 7), { isTarget: (p) => p.length === 3 && p[2] === 'results', wants: () => false, onElement: () => {} }).catch((e: unknown) => e);
        if (outcome instanceof Error) expect(outcome).toBeInstanceOf(JsonStreamError);
      }),
      { numRuns: 300 },
    );
  });
});

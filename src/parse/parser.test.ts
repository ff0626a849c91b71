import { describe, expect, it } from 'vitest';
import { headerColumns, linesOf } from './parser.js';

async function lines(chunks: (string | Buffer)[]) {
  const out: { line: number; text: string }[] = [];
  for await (const l of linesOf((async function* () { yield* chunks; })())) out.push(l);
  return out;
}

describe('linesOf', () => {
  it('splits as readline does, a \\r\\n cut between two chunks included, and drops the first line’s byte-order mark', async () => {
    expect(await lines(['\uFEFFa,b\r', '\nc\rd', '\n\ne'])).toEqual([
      { line: 1, text: 'a,b' },
      { line: 2, text: 'c' },
      { line: 3, text: 'd' },
      { line: 4, text: '' },
      { line: 5, text: 'e' },
    ]);
  });

  it('decodes a character split between two byte chunks and keeps a mark that is not at the start', async () => {
    const bytes = Buffer.from('é\n\uFEFFx', 'utf8');
    expect(await lines([bytes.subarray(0, 1), bytes.subarray(1)])).toEqual([
      { line: 1, text: 'é' },
      { line: 2, text: '\uFEFFx' },
    ]);
  });
});

describe('headerColumns', () => {
  it('reads a header row, and none from a JSON document', () => {
    expect(headerColumns('\uFEFF"Check", Status\nx,y', ',')).toEqual(['check', 'status']);
    expect(headerColumns('[{"a":1}]', ',')).toEqual([]);
  });
});

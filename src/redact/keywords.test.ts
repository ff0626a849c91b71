import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keywordIndex } from './keywords.js';

describe('keywordIndex', () => {
  const index = keywordIndex(['sk', 'sk-ant-', 'key', 'hvs.', 'ab', 'bc', '://']);

  it('finds keywords in any ASCII case, overlapping and nested ones too', () => {
    expect(index.find('An API KEY')).toEqual(new Set(['key']));
    expect(index.find('x SK-ANT-api03')).toEqual(new Set(['sk', 'sk-ant-']));
    expect(index.find('abc')).toEqual(new Set(['ab', 'bc']));
    expect(index.find('vault HVS.CAES and https://host')).toEqual(new Set(['hvs.', '://']));
    expect(index.find('nothing here')).toEqual(new Set());
  });

  it('test agrees with find', () => {
    for (const text of ['task', 'monkey', 'plain text', 'a://b', 'é sk é', 'Zoë Ødegård']) expect(index.test(text)).toBe(index.find(text).size > 0);
  });

  it('takes characters outside ASCII as breaks, never as letters', () => {
    expect(index.find('kéy sķ')).toEqual(new Set());
    expect(index.find('ké key')).toEqual(new Set(['key']));
  });

  it('matches what a lowercase substring search finds', () => {
    const words = ['sk', 'sk-ant-', 'key', 'hvs.', 'ab', 'bc', '://'];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcksKSyevh.:/-ntAB é'), maxLength: 40 }), (text) => {
        const lower = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
        expect(index.find(text)).toEqual(new Set(words.filter((w) => lower.includes(w))));
      }),
      { seed: 20261123, numRuns: 500 },
    );
  });

  it('refuses an empty or non-ASCII keyword', () => {
    expect(() => keywordIndex([''])).toThrow(/non-empty ASCII/);
    expect(() => keywordIndex(['clé'])).toThrow(/non-empty ASCII/);
  });
});

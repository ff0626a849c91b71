import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Source } from '../parser.js';
import { parsers } from '../registry.js';

const folders = {
  'inspec-json': 'inspec',
  'hdf-json': 'hdf',
  'junit-xml': 'junit',
  'kube-bench-json': 'kube-bench',
  scoutsuite: 'scoutsuite',
  'oscal-assessment-results': 'oscal-ar',
} as const;

describe('detection of the InSpec, HDF, JUnit, kube-bench, ScoutSuite and OSCAL samples', () => {
  for (const [folder, format] of Object.entries(folders)) {
    const dir = new URL(`../../../test/fixtures/${folder}/`, import.meta.url);
    for (const name of readdirSync(dir).filter((n) => n !== 'SOURCES.md')) {
      it(`${folder}/${name} is ${format} and no other format is as sure`, () => {
        const content = readFileSync(new URL(name, dir));
        const source = { head: content.subarray(0, 64 * 1024).toString('utf8'), binary: false, file: { path: name } } as Source;
        const scores = parsers.map((p) => ({ name: p.name, score: p.detect(source) }));
        const mine = scores.find((s) => s.name === format)!;
        expect(mine.score).toBeGreaterThanOrEqual(0.9);
        for (const other of scores.filter((s) => s.name !== format)) expect(other.score, other.name).toBeLessThan(mine.score);
      });
    }
  }
});

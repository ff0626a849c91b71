import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp.js';
import { KnownHashes, settingsKey } from './cache.js';

const stamp = { size: 10, mtimeMs: 1_000_000, ctimeMs: 1_000_000, ino: 7, dev: 1 };
const sha = 'a'.repeat(64);

describe('the settings key', () => {
  it('changes with the mapping rules, a configured crosswalk and the target rules, since mapping and targets are given as files are read', () => {
    const base = { asOf: '2026-11-23', mappings: [], stagingDir: '/staging', targets: [] };
    const crosswalk = [{ soc2: 'CC6.1', iso27001: ['A.8.2'] }];
    expect(settingsKey(base)).toBe(settingsKey({ ...base, asOf: '2026-12-01', stagingDir: '/elsewhere' }));
    expect(settingsKey({ ...base, crosswalk })).not.toBe(settingsKey(base));
    expect(settingsKey({ ...base, crosswalk: [{ ...crosswalk[0]!, iso27001: ['A.8.3'] }] })).not.toBe(settingsKey({ ...base, crosswalk }));
    expect(settingsKey({ ...base, mappings: [{ check: '*', controls: [], label: 'rule' }] })).not.toBe(settingsKey(base));
    expect(settingsKey({ ...base, targets: [{ match: 'scans/*', target: 'api' }] })).not.toBe(settingsKey(base));
  });
});

describe('known hashes', () => {
  it('trust a hash only for the same stamp, taken well after the file last changed', async () => {
    const dir = tempDir('legible-hashes-');
    const first = await KnownHashes.open(dir);
    first.record('/e/a.json', stamp, sha, stamp.mtimeMs + 60_000);
    // Hashed within two seconds of a change: the change may have been missed by the timestamps.
    first.record('/e/racy.json', stamp, sha, stamp.mtimeMs + 500);
    await first.save('/e');
    const known = await KnownHashes.open(dir);
    expect(known.lookup('/e/a.json', stamp)).toBe(sha);
    expect(known.lookup('/e/racy.json', stamp)).toBeUndefined();
    for (const changed of [{ size: 11 }, { mtimeMs: 1_000_001 }, { ctimeMs: 1_000_001 }, { ino: 8 }, { dev: 2 }]) {
      expect(known.lookup('/e/a.json', { ...stamp, ...changed })).toBeUndefined();
    }
    expect(known.lookup('/e/b.json', stamp)).toBeUndefined();
  });

  it('forget files of this folder that are gone, keep other folders', async () => {
    const dir = tempDir('legible-hashes-');
    const first = await KnownHashes.open(dir);
    first.record('/e/gone.json', stamp, sha, 9e12);
    first.record('/other/kept.json', stamp, sha, 9e12);
    await first.save('/e');
    const second = await KnownHashes.open(dir);
    second.record('/e/new.json', stamp, sha, 9e12);
    await second.save('/e');
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'hashes.json'), 'utf8'))).sort()).toEqual(['/e/new.json', '/other/kept.json']);
  });

  it('start empty from a record that cannot be read', async () => {
    const known = await KnownHashes.open(join(tempDir('legible-hashes-'), 'missing'));
    expect(known.lookup('/e/a.json', stamp)).toBeUndefined();
  });
});

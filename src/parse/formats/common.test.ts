import { describe, expect, it } from 'vitest';
import type { Diagnostic, EvidenceRecord } from '../../model/types.js';
import { collectedFrom } from '../../../test/helpers/source.js';
import type { JsonPath } from '../json-stream.js';
import type { ParseSink, Source } from '../parser.js';
import {
  checkRecord,
  classifiers,
  clip,
  cloudTarget,
  cvssSeverity,
  InOrder,
  instant,
  mentioned,
  namedSeverity,
  pointerOf,
  RecordEmitter,
  scopeOf,
  streamDocument,
  targets,
  untaggedImage,
  withoutCredentials,
  type StreamedDocument,
} from './common.js';

function collector() {
  const records: EvidenceRecord[] = [];
  const diagnostics: Diagnostic[] = [];
  const sink: ParseSink = { record: (r) => records.push(r), diagnostic: (d) => diagnostics.push(d) };
  return { records, diagnostics, sink };
}

function sourceOf(content: string): Source {
  const { file } = collectedFrom('doc.json', content);
  // Small chunks, so that elements and the document around them cross chunk boundaries.
  const stream = () => (async function* () {
    for (let i = 0; i < content.length; i += 5) yield Buffer.from(content.slice(i, i + 5));
  })() as unknown as NodeJS.ReadableStream;
  return { file: { ...file, path: 'doc.json' }, head: content, binary: false, text: async () => content, bytes: async () => Buffer.from(content), stream, lines: () => (async function* () {})() };
}

describe('instant', () => {
  it.each([
    ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z'],
    // No zone: read as UTC, with a T or a space.
    ['2024-01-02T03:04:05', '2024-01-02T03:04:05.000Z'],
    ['2023-04-25 23:49:42.744599', '2023-04-25T23:49:42.744Z'],
    ['2024-01-02', '2024-01-02T00:00:00.000Z'],
    ['2018-01-05 11:43:04 -0500', '2018-01-05T16:43:04.000Z'],
    ['2026-02-03T04:05:06.123456789+02:00', '2026-02-03T02:05:06.123Z'],
    // Epoch seconds (Prowler) and milliseconds (OCSF), also as text.
    [1700000000, '2023-11-14T22:13:20.000Z'],
    [1700000000123, '2023-11-14T22:13:20.123Z'],
    ['1700000000', '2023-11-14T22:13:20.000Z'],
  ])('reads %j', (value, expected) => {
    expect(instant(value)).toBe(expected);
  });

  it.each([[''], ['yesterday'], ['2023-02-30T10:00:00Z'], ['2023-13-01'], ['2024-01-02 later'], [0], [-5], [Number.NaN], [null], [{}]])('gives nothing for %j', (value) => {
    expect(instant(value)).toBeUndefined();
  });
});

describe('severities, classifiers and messages', () => {
  it('maps named severities and CVSS scores', () => {
    expect(['CRITICAL', 'High', 'moderate', 'informational', 'UNKNOWN', 'none'].map(namedSeverity)).toEqual(['critical', 'high', 'medium', 'info', undefined, 'info']);
    expect([9.8, 7, 5.3, 0.1, 0, 11].map(cvssSeverity)).toEqual(['critical', 'high', 'medium', 'low', 'info', undefined]);
  });

  it('normalizes classifiers and clips long messages', () => {
    expect(classifiers(['external/cwe/cwe-079', 'CWE-79', 'OWASP-A03:2021 - Injection', 'cve-2021-44228', 'security'])).toEqual(['CWE-79', 'OWASP-A03:2021', 'CVE-2021-44228']);
    expect(clip('x'.repeat(600))).toHaveLength(500);
    expect(clip('  ')).toBeUndefined();
  });

  it('builds records without blank fields', () => {
    expect(checkRecord({ format: 'f', file: 'a', check: 'c', status: 'pass', title: '', message: undefined, tags: [] })).toEqual({
      type: 'check',
      format: 'f',
      file: 'a',
      check: 'c',
      status: 'pass',
      rawControls: [],
      controls: [],
    });
  });

  it('writes JSON pointers with escapes and matches target paths', () => {
    expect(pointerOf(['services', 'a/b~c', 3])).toBe('/services/a~1b~0c/3');
    const isTarget = targets('', 'runs/*/results');
    expect([[], ['runs', 0, 'results'], ['runs', 'x', 'results'], ['runs', 0]].map((p) => isTarget(p))).toEqual([true, true, false, false]);
  });
});

describe('RecordEmitter', () => {
  const base = { format: 'f', file: 'a', check: 'c', status: 'pass' as const };

  it('rejects a file whose every item is bad, saying how many', () => {
    const { sink, diagnostics } = collector();
    const out = new RecordEmitter(sink, 'a');
    out.push('the item has no id', { pointer: '/0' }, 'item');
    out.skip('the item is not an object', { pointer: '/1' });
    expect(out.finish()).toEqual({ rejected: true, invalidRecords: 2 });
    expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['format/record-skipped', 'item skipped: the item has no id'],
      ['format/record-skipped', 'the item is not an object'],
      ['format/schema', 'none of the 2 findings could be read'],
    ]);
  });

  it('accepts an empty scan with a note and its hint, and counts undated records', () => {
    const empty = collector();
    expect(new RecordEmitter(empty.sink, 'a').finish('run it with --all')).toEqual({});
    expect(empty.diagnostics).toMatchObject([{ code: 'format/no-findings', hint: 'run it with --all' }]);

    const some = collector();
    const out = new RecordEmitter(some.sink, 'a');
    out.record({ ...base, observedAt: '2024-01-01T00:00:00.000Z' });
    out.record(base);
    out.skip('bad', { line: 3 });
    expect(out.finish()).toEqual({ invalidRecords: 1 });
    expect(some.records).toHaveLength(2);
    expect(some.diagnostics.map((d) => d.message)).toEqual(['bad', '1 of 2 results record no observation time and cannot show a control operates now']);
  });
});

describe('streamDocument', () => {
  const read = (content: string, reader: Omit<StreamedDocument, 'isTarget'>) => {
    const { sink, diagnostics } = collector();
    return streamDocument(sourceOf(content), sink, { isTarget: targets('items'), ...reader }).then((result) => ({ result, diagnostics }));
  };

  it('reads the elements that need a later part of the document in a second pass, in order', async () => {
    const seen: [JsonPath, unknown, unknown][] = [];
    const { result } = await read('{"items": [1, 2, 3, 4], "version": "9"}', {
      // Element 2 onwards cannot be read from what precedes them.
      ready: (path) => (path[1] as number) < 2,
      onElement: (value, path, document) => seen.push([path, value, (document() as { version?: string }).version]),
    });
    expect(result).toEqual({ data: { items: [], version: '9' } });
    expect(seen).toEqual([
      [['items', 0], 1, undefined],
      [['items', 1], 2, undefined],
      [['items', 2], 3, '9'],
      [['items', 3], 4, '9'],
    ]);
  });

  it('rejects bad JSON with its place and a bad shape with its pointer, before any second pass', async () => {
    const broken = await read('{"items": [1,\n 2 3]}', { onElement: () => {} });
    expect(broken.result).toEqual({ rejected: { rejected: true } });
    expect(broken.diagnostics).toMatchObject([{ code: 'format/syntax', message: 'invalid JSON: Unexpected non-whitespace character after JSON', place: { line: 2, column: 4 } }]);

    let second = false;
    const misshapen = await read('{"items": [1], "version": 3}', {
      ready: () => false,
      onElement: (_v, _p, document) => (second = document() !== undefined),
      schema: (document) => (typeof (document as { version: unknown }).version === 'string' ? undefined : { pointer: '/version', message: 'version must be text' }),
    });
    expect(second).toBe(false);
    expect(misshapen.diagnostics).toMatchObject([{ code: 'format/schema', place: { pointer: '/version' }, message: 'version must be text' }]);
  });
});

describe('InOrder', () => {
  it('opens each item once, in order, and closes it when the next opens or at the end', () => {
    const events: string[] = [];
    const items = new InOrder<string>(
      (i, document) => (events.push(`open ${i} ${String(document)}`), `item ${i}`),
      (i, item, document) => void events.push(`close ${i} ${item} ${String(document)}`),
    );
    expect(items.at(1, 'a')).toBe('item 1');
    expect(items.at(1, 'b')).toBe('item 1');
    items.finish(3, 'end');
    expect(events).toEqual(['open 0 a', 'close 0 item 0 a', 'open 1 a', 'close 1 item 1 end', 'open 2 end', 'close 2 item 2 end']);
  });
});

describe('snapshots and identities', () => {
  it('takes an image without its tag or digest, keeping a registry port and leaving paths alone', () => {
    const cases: [string, string][] = [
      ['registry.example.com/checkout-api:2026.11.18', 'registry.example.com/checkout-api'],
      ['registry.example.com:5000/team/checkout-api:2026.11.18', 'registry.example.com:5000/team/checkout-api'],
      ['registry.example.com:5000/checkout-api', 'registry.example.com:5000/checkout-api'],
      [`app@sha256:${'ab'.repeat(32)}`, 'app'],
      [`host:5000/app:v1.4.2-rc.1@sha256:${'0f'.repeat(32)}`, 'host:5000/app'],
      ['alpine', 'alpine'],
      ['alpine:3.19', 'alpine'],
      ['testdata/fixtures/images/alpine-310.tar.gz', 'testdata/fixtures/images/alpine-310.tar.gz'],
      ['C:\\images\\app.tar', 'C:\\images\\app.tar'],
    ];
    for (const [reference, untagged] of cases) expect(untaggedImage(reference), reference).toBe(untagged);
  });

  it('drops the credentials of a URL and nothing else', () => {
    expect(withoutCredentials('https://x-access-token:ghs_abc123@github.com/acme/shop.git')).toBe('https://github.com/acme/shop.git');
    expect(withoutCredentials('https://github.com/acme/shop')).toBe('https://github.com/acme/shop');
    expect(withoutCredentials('https://github.com/acme/shop?by=a@b')).toBe('https://github.com/acme/shop?by=a@b');
    expect(withoutCredentials('git@github.com:acme/shop.git')).toBe('git@github.com:acme/shop.git');
  });

  it('names a cloud target the same way for every tool, and none without an account', () => {
    expect(cloudTarget('aws', '111122223333', 'eu-west-1')).toBe('aws account 111122223333 eu-west-1');
    expect(cloudTarget('AWS', 111122223333)).toBe('aws account 111122223333');
    expect(cloudTarget('azure', 'a1b2', 'westeurope')).toBe('azure subscription a1b2 westeurope');
    expect(cloudTarget('gcp', 'shop-prod', 'global')).toBe('gcp project shop-prod global');
    expect(cloudTarget('kubernetes', 'prod-cluster', 'namespace: default')).toBe('kubernetes cluster prod-cluster namespace: default');
    expect(cloudTarget('azure', 'tenant-1', undefined, 'tenant')).toBe('azure tenant tenant-1');
    expect(cloudTarget('aws', '<account_uid>', 'eu-west-1')).toBeUndefined();
    expect(cloudTarget('aws', '111122223333', '<region>')).toBe('aws account 111122223333');
    expect(cloudTarget(undefined, '111122223333', 'eu-west-1')).toBeUndefined();
  });

  it('finds which strings a file mentions, also across chunks', async () => {
    const source = sourceOf('{"runs":[{"results":[],"automationDetails":{"id":"a/"}}]}');
    expect(await mentioned(source, ['"automationDetails"', '"versionControlProvenance"', '"results"'])).toEqual(new Set(['"automationDetails"', '"results"']));
  });

  it('joins the parts of a scope that are there', () => {
    expect(scopeOf('sarif', 'CodeQL', '/language:python')).toBe('sarif:CodeQL:/language:python');
    expect(scopeOf('junit', undefined)).toBe('junit');
  });
});

import { open, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import type { ReadStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import type { Diagnostic, EvidenceRecord, InputSummary } from '../model/types.js';
import { diagnostic } from '../diagnostics/codes.js';
import { DiagnosticLimiter } from '../diagnostics/limit.js';
import type { CollectedFile } from '../collect/collect.js';
import { countParsed, countRecord, linesOf, parseStream, type Parser, type ParseSink, type Source } from './parser.js';
import { parsers } from './registry.js';

const HEAD_BYTES = 64 * 1024;

async function readHead(path: string, size: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const length = Math.min(HEAD_BYTES, size);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * How the file's bytes reach the parser: already read whole (`contents`, a small file), or streamed;
 * a streamed file's first pass can feed a hash on the way (`hashing`), so that it is read once.
 */
export interface Reading {
  contents?: Buffer;
  hashing?: StreamedHash;
}

/** A SHA-256 fed by the first stream of a file; `complete` once that stream reached the end. */
export class StreamedHash {
  readonly hash = createHash('sha256');
  complete = false;
  private used = false;

  /** The stream itself the first time (its chunks hashed as they pass), later ones untouched. */
  tap(stream: ReadStream): NodeJS.ReadableStream {
    if (this.used) return stream;
    this.used = true;
    const hash = this.hash;
    // Complete only when every chunk went through the hash (flush runs after the last one), not when
    // the file was merely read: a parser that stops early leaves chunks unhashed behind it.
    const hashed = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
      flush: (done) => {
        this.complete = true;
        done();
      },
    });
    stream.once('error', (error) => hashed.destroy(error));
    return stream.pipe(hashed);
  }
}

/** A file read from disk as it is parsed, or one already read whole. */
function sourceOf(collected: CollectedFile, head: Buffer, reading: Reading): Source {
  const path = collected.file.absolutePath;
  const { contents, hashing } = reading;
  if (contents) countParsed(contents.length);
  const stream = (): NodeJS.ReadableStream => {
    if (contents) return Readable.from([contents]);
    const fromDisk = parseStream(path, collected.file.bytes);
    return hashing ? hashing.tap(fromDisk) : fromDisk;
  };
  return {
    file: collected.file,
    head: head.toString('utf8'),
    binary: head.subarray(0, 8192).includes(0),
    bytes: async () => contents ?? readFile(path),
    text: async () => (contents ? contents.toString('utf8') : readFile(path, 'utf8')),
    stream,
    lines: () => linesOf(stream() as AsyncIterable<Buffer>),
  };
}

/** Pick the parser most sure of the file; equal best guesses are reported, the registry order decides. */
export function detectFormat(source: Source, registry: readonly Parser[] = parsers) {
  const scored = registry.map((parser) => ({ parser, score: parser.detect(source) })).filter((s) => s.score > 0);
  const best = Math.max(0, ...scored.map((s) => s.score));
  const top = scored.filter((s) => s.score === best);
  return { parser: top[0]?.parser, rivals: top.slice(1).map((s) => s.parser) };
}

/**
 * Detect and parse one collected file, sending its records to `sink` as they are read (see Reading
 * for how its bytes come). A failure stays
 * inside the file and becomes a rejection; a rejected file's records must be discarded by the caller.
 */
export async function parseInto(collected: CollectedFile, sink: ParseSink, registry: readonly Parser[] = parsers, reading: Reading = {}): Promise<InputSummary> {
  const { file } = collected;
  const rejected = (format: string, d: Diagnostic): InputSummary => ({ file, format, accepted: false, reason: d.message, records: 0, diagnostics: [d] });
  if (collected.rejection) return rejected('unknown', collected.rejection);
  if (file.bytes === 0) return rejected('unknown', diagnostic('format/unknown', 'empty file', { file: file.path }));

  let source: Source;
  try {
    source = sourceOf(collected, reading.contents ? reading.contents.subarray(0, HEAD_BYTES) : await readHead(file.absolutePath, file.bytes), reading);
  } catch (error) {
    return rejected('unknown', diagnostic('collect/unreadable', `cannot read: ${(error as Error).message}`, { file: file.path }));
  }
  const { parser, rivals } = detectFormat(source, registry);
  if (!parser) {
    return rejected(
      'unknown',
      diagnostic('format/unknown', 'not a recognised evidence format', {
        file: file.path,
        hint: `formats legible reads: ${registry.map((p) => p.name).join(', ')}`,
      }),
    );
  }
  // Bounded: a million bad rows give the first few of each kind and a count, not a million messages.
  const diagnostics = new DiagnosticLimiter(file.path);
  if (rivals.length) diagnostics.add(diagnostic('format/ambiguous', `looks like ${[parser, ...rivals].map((p) => p.name).join(' and ')}; read as ${parser.name}`, { file: file.path }));
  let records = 0;
  let firstError: Diagnostic | undefined;
  let fileError: Diagnostic | undefined;
  const counting: ParseSink = {
    record: (r) => {
      records++;
      countRecord();
      sink.record(r);
    },
    diagnostic: (d) => {
      diagnostics.add(d);
      if (d.severity === 'error') {
        firstError ??= d;
        // A streamed file may skip records before a syntax error or a misshapen part (at its place) rejects
        // it whole: that error is the reason, not the records skipped before it.
        if (d.code.endsWith('/syntax') || (d.code === 'format/schema' && d.place !== undefined)) fileError ??= d;
      }
      sink.diagnostic(d);
    },
    snapshot: (announced) => sink.snapshot?.(announced),
  };
  try {
    const result = await parser.parse(source, counting);
    return {
      file,
      format: parser.name,
      accepted: !result.rejected,
      ...(result.rejected ? { reason: (fileError ?? firstError)?.message ?? 'rejected' } : {}),
      records: result.rejected ? 0 : records,
      diagnostics: diagnostics.all(),
      ...(result.invalidRecords ? { invalidRecords: result.invalidRecords } : {}),
    };
  } catch (error) {
    return rejected(parser.name, diagnostic('parse/crashed', `the ${parser.name} reader failed: ${(error as Error).message}`, { file: file.path }));
  }
}

/** A parsed file with its records in memory: for tests and small inputs. */
export type ParsedFile = Omit<InputSummary, 'records'> & { records: EvidenceRecord[] };

export async function parseFile(collected: CollectedFile, registry: readonly Parser[] = parsers): Promise<ParsedFile> {
  const records: EvidenceRecord[] = [];
  const summary = await parseInto(collected, { record: (r) => records.push(r), diagnostic: () => {} }, registry);
  return { ...summary, records: summary.accepted ? records : [] };
}

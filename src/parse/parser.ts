import { createReadStream, type ReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { Diagnostic, EvidenceRecord, InputFile } from '../model/types.js';

/** What a parser sees of a file: the path, the first bytes for detection, and ways to read the rest. */
export interface Source {
  file: InputFile;
  /** The first bytes of the file, decoded as UTF-8 (for detection). */
  head: string;
  /** True when the first bytes look binary (NUL bytes). */
  binary: boolean;
  /** The whole file as text: for formats that are small by nature. Large inputs use stream() or lines(). */
  text(): Promise<string>;
  bytes(): Promise<Buffer>;
  stream(): NodeJS.ReadableStream;
  /** The file line by line (1-based line numbers), without loading it whole. */
  lines(): AsyncIterable<{ line: number; text: string }>;
}

/** Where a parser sends what it reads, as it reads it: memory stays bounded by the consumer. */
export interface ParseSink {
  record(record: EvidenceRecord): void;
  /** A problem; an error about one record means that record was skipped (count it in invalidRecords). */
  diagnostic(diagnostic: Diagnostic): void;
  /**
   * The tool scanned this target and scope at this time, whatever it found: a clean scan reports no
   * record, yet resolves what an earlier one found. Optional for a format whose records say it all.
   */
  snapshot?(snapshot: AnnouncedSnapshot): void;
}

/** A scan of a target and scope at a time, as a parser announces it (the target may be left to ingest's default). */
export interface AnnouncedSnapshot {
  format: string;
  tool?: string;
  target?: string;
  scope?: string;
  observedAt: string;
}

export interface ParseResult {
  /** The file as a whole cannot be used; the first error diagnostic says why. Records emitted are discarded. */
  rejected?: boolean;
  /** Records the file holds that could not be used (each has an error diagnostic). */
  invalidRecords?: number;
}

export interface Parser {
  /** Format id shown in the manifest, e.g. `note`, `native-json`, `sarif`. */
  name: string;
  /** Human name of the format. */
  label: string;
  /** 0 when the file is not this format; higher is more certain (1 = a signature matched). */
  detect(source: Source): number;
  parse(source: Source, sink: ParseSink): Promise<ParseResult>;
}

/** Longer than this, a first line is no header row of a CSV file legible reads. */
const HEADER_CHARS = 16 * 1024;

/**
 * The column names of a CSV header row (trimmed, unquoted, lowercase), split at `delimiter`; none for a
 * head that opens a JSON or XML document or whose first line is too long to be a header row.
 */
export function headerColumns(head: string, delimiter: string): string[] {
  const text = head.replace(/^\uFEFF/, '');
  if (/^\s*[[{<]/.test(text)) return [];
  const end = text.search(/\r?\n/);
  const firstLine = end === -1 ? text : text.slice(0, end);
  if (firstLine.length > HEADER_CHARS) return [];
  return firstLine.split(delimiter).map((c) => c.trim().replace(/^"|"$/g, '').toLowerCase());
}

export function reject(sink: ParseSink, diagnostic: Diagnostic): ParseResult {
  sink.diagnostic(diagnostic);
  return { rejected: true };
}

/**
 * Chunks of up to 1 MB: the default 64 kB makes a round trip to the I/O pool for every few findings of
 * a large file; a small file gets a buffer of its own size, not a megabyte of garbage.
 */
export const chunkFor = (size: number | undefined) => Math.min(1 << 20, Math.max(16 * 1024, size ?? 1 << 20));

export function readStream(path: string, size?: number): ReadStream {
  return createReadStream(path, { highWaterMark: chunkFor(size) });
}

/** What this thread has read of the evidence for parsing, for progress (never for results). */
const parsing = { done: 0, records: 0, open: new Set<ReadStream>() };

/** Bytes read and records found so far by the parsers of this thread. */
export function parsedSoFar(): { bytes: number; records: number } {
  let bytes = parsing.done;
  for (const stream of parsing.open) bytes += stream.bytesRead;
  return { bytes, records: parsing.records };
}

export function countParsed(bytes: number): void {
  parsing.done += bytes;
}

export function countRecord(): void {
  parsing.records++;
}

/** A stream of a file being parsed, its progress counted in parsedSoFar(). */
export function parseStream(path: string, size?: number): ReadStream {
  const stream = readStream(path, size);
  parsing.open.add(stream);
  stream.once('close', () => {
    parsing.open.delete(stream);
    parsing.done += stream.bytesRead;
  });
  return stream;
}

/**
 * The file line by line, as readline splits it (\n, \r\n or a lone \r ends a line), without its
 * per-line events: a million-line file costs one pass over its chunks.
 */
export function linesOf(chunks: AsyncIterable<Buffer | string>): AsyncIterable<{ line: number; text: string }> {
  return {
    async *[Symbol.asyncIterator]() {
      const decoder = new StringDecoder('utf8');
      let pending = '';
      let line = 0;
      const BREAK = /\r\n|\n|\r/g;
      function* split(text: string, final: boolean) {
        BREAK.lastIndex = 0;
        let start = 0;
        for (let m = BREAK.exec(text); m; m = BREAK.exec(text)) {
          // A \r at the end of a chunk may be the first half of \r\n: wait for the next chunk.
          if (!final && m[0] === '\r' && m.index === text.length - 1) break;
          yield text.slice(start, m.index);
          start = m.index + m[0].length;
        }
        pending = text.slice(start);
        if (final && pending) yield pending;
      }
      // The first line loses a byte-order mark.
      const numbered = (text: string) => ({ line: ++line, text: line === 1 ? text.replace(/^\uFEFF/, '') : text });
      for await (const chunk of chunks) {
        for (const text of split(pending + (typeof chunk === 'string' ? chunk : decoder.write(chunk)), false)) yield numbered(text);
      }
      for (const text of split(pending + decoder.end(), true)) yield numbered(text);
    },
  };
}

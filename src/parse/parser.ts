import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
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

export function reject(sink: ParseSink, diagnostic: Diagnostic): ParseResult {
  sink.diagnostic(diagnostic);
  return { rejected: true };
}

export function linesOf(path: string): AsyncIterable<{ line: number; text: string }> {
  return {
    async *[Symbol.asyncIterator]() {
      const reader = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
      let line = 0;
      for await (const text of reader) yield { line: ++line, text: line === 1 ? text.replace(/^\uFEFF/, '') : text };
    },
  };
}

export { createReadStream };

import type { Diagnostic, EvidenceRecord, InputFile } from '../model/types.js';

/** What a parser sees of a file: the path, the first bytes for detection, and lazy access to the rest. */
export interface Source {
  file: InputFile;
  /** The first bytes of the file, decoded as UTF-8 (for detection). */
  head: string;
  /** True when the first bytes look binary (NUL bytes). */
  binary: boolean;
  text(): Promise<string>;
  bytes(): Promise<Buffer>;
}

export interface ParseOutcome {
  records: EvidenceRecord[];
  diagnostics: Diagnostic[];
  /** Set when the file as a whole cannot be used; the first error explains why. */
  rejected?: boolean;
  /** Records the file holds that could not be used (each has a diagnostic). */
  invalidRecords?: number;
}

export interface Parser {
  /** Format id shown in the manifest, e.g. `note`, `native-json`. */
  name: string;
  /** Human name of the format. */
  label: string;
  /** 0 when the file is not this format; higher is more certain (1 = a signature matched). */
  detect(source: Source): number;
  parse(source: Source): Promise<ParseOutcome>;
}

export function rejectWith(diagnostic: Diagnostic): ParseOutcome {
  return { records: [], diagnostics: [diagnostic], rejected: true };
}

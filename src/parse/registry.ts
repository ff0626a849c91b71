import type { Parser } from './parser.js';
import { noteParser } from './note.js';
import { nativeCsvParser } from './native/csv.js';
import { nativeJsonParser } from './native/json.js';
import { nativeJsonlParser } from './native/jsonl.js';
import { nativeXlsxParser } from './native/xlsx.js';

/** Every format legible reads, in one place. Order breaks ties between equally sure detections. */
export const parsers = [noteParser, nativeJsonParser, nativeJsonlParser, nativeCsvParser, nativeXlsxParser] as const satisfies readonly Parser[];

/** Bump when any parser's output changes, so cached parses are not reused. */
export const PARSER_VERSION = 1;

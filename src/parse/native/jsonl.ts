import { diagnostic } from '../../diagnostics/codes.js';
import { jsonErrorMessage } from '../json-position.js';
import type { Parser } from '../parser.js';
import { hasNativeFields, RowEmitter, toCheckRecord } from './record.js';

export const nativeJsonlParser: Parser = {
  name: 'native-jsonl',
  label: 'legible native check results (JSON Lines)',
  detect(source) {
    if (source.binary) return 0;
    const lines = source.head.replace(/^\uFEFF/, '').split('\n').filter((l) => l.trim());
    const first = lines[0]?.trim() ?? '';
    if (!first.startsWith('{') || !first.endsWith('}') || !hasNativeFields(first)) return 0;
    const extension = /\.(jsonl|ndjson)$/i.test(source.file.path);
    return extension || (lines[1]?.trim().startsWith('{') ?? false) ? 0.7 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const rows = new RowEmitter(sink, file);
    for await (const { line, text } of source.lines()) {
      if (!text.trim()) continue;
      const place = { line };
      try {
        rows.push(toCheckRecord(JSON.parse(text), { file, format: 'native-jsonl', place }));
      } catch (error) {
        rows.push(diagnostic('native/syntax', `invalid JSON line: ${jsonErrorMessage(error)}`, { file, place }));
      }
    }
    return rows.result();
  },
};

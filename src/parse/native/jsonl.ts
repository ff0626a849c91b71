import { diagnostic } from '../../diagnostics/codes.js';
import type { CheckRecord, Diagnostic } from '../../model/types.js';
import { jsonErrorMessage } from '../json-position.js';
import type { Parser } from '../parser.js';
import { hasNativeFields, outcomeOf, toCheckRecord } from './record.js';

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
  async parse(source) {
    const file = source.file.path;
    const lines = (await source.text()).replace(/^\uFEFF/, '').split(/\r?\n/);
    const results: (CheckRecord | Diagnostic)[] = [];
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const place = { line: i + 1 };
      try {
        results.push(toCheckRecord(JSON.parse(line), { file, format: 'native-jsonl', place }));
      } catch (error) {
        results.push(diagnostic('native/syntax', `invalid JSON line: ${jsonErrorMessage(error)}`, { file, place }));
      }
    });
    return outcomeOf(results, file);
  },
};

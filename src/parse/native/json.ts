import { diagnostic } from '../../diagnostics/codes.js';
import { jsonErrorMessage, jsonErrorPlace } from '../json-position.js';
import { reject, type Parser } from '../parser.js';
import { hasNativeFields, RowEmitter, toCheckRecord } from './record.js';

export const nativeJsonParser: Parser = {
  name: 'native-json',
  label: 'legible native check results (JSON)',
  detect(source) {
    if (source.binary || !/^\uFEFF?\s*[[{]/.test(source.head)) return 0;
    return hasNativeFields(source.head) ? 0.6 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const text = (await source.text()).replace(/^\uFEFF/, '');
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      return reject(sink, diagnostic('native/syntax', `invalid JSON: ${jsonErrorMessage(error, text)}`, { file, place: jsonErrorPlace(text, error) }));
    }
    let rows: unknown[];
    let prefix = '';
    let tool: string | undefined;
    let toolVersion: string | undefined;
    if (Array.isArray(data)) {
      rows = data;
    } else if (data && typeof data === 'object' && Array.isArray((data as { results?: unknown }).results)) {
      const container = data as { results: unknown[]; tool?: unknown; version?: unknown };
      rows = container.results;
      prefix = '/results';
      if (typeof container.tool === 'string') tool = container.tool;
      if (typeof container.version === 'string' || typeof container.version === 'number') toolVersion = String(container.version);
    } else {
      return reject(sink, diagnostic('native/invalid-record', 'expected an array of check results or an object with a "results" array', { file, place: { pointer: '' } }));
    }
    const rowsOut = new RowEmitter(sink, file);
    rows.forEach((row, i) =>
      rowsOut.push(
        toCheckRecord(row, {
          file,
          format: 'native-json',
          place: { pointer: `${prefix}/${i}` },
          ...(tool ? { tool } : {}),
          ...(toolVersion ? { toolVersion } : {}),
        }),
      ),
    );
    return rowsOut.result();
  },
};

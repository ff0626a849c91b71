import { diagnostic } from '../../diagnostics/codes.js';
import { JsonStreamError, streamJson } from '../json-stream.js';
import { reject, type Parser } from '../parser.js';
import { hasNativeFields, RowEmitter, toCheckRecord } from './record.js';

const text = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);

export const nativeJsonParser: Parser = {
  name: 'native-json',
  label: 'legible native check results (JSON)',
  detect(source) {
    if (source.binary || !/^\uFEFF?\s*[[{]/.test(source.head)) return 0;
    return hasNativeFields(source.head) ? 0.6 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const rows = new RowEmitter(sink, file);
    let document: unknown;
    try {
      // Streamed: an array of rows, or an object whose `results` holds them (with `tool` and `version` before it).
      document = await streamJson(source.stream(), {
        isTarget: (path) => path.length === 0 || (path.length === 1 && path[0] === 'results'),
        onElement: (row, path, context) => {
          const container = context() as { tool?: unknown; version?: unknown } | unknown[];
          const tool = Array.isArray(container) ? undefined : text(container?.tool);
          const toolVersion = Array.isArray(container) ? undefined : text(container?.version);
          rows.push(
            toCheckRecord(row, {
              file,
              format: 'native-json',
              place: { pointer: `/${path.join('/')}` },
              ...(tool ? { tool } : {}),
              ...(toolVersion ? { toolVersion } : {}),
            }),
          );
        },
      });
    } catch (error) {
      if (!(error instanceof JsonStreamError)) throw error;
      return reject(sink, diagnostic('native/syntax', error.message.startsWith('invalid JSON') ? error.message : `invalid JSON: ${error.message}`, { file, place: error.place }));
    }
    if (!Array.isArray(document) && !Array.isArray((document as { results?: unknown } | null)?.results)) {
      return reject(sink, diagnostic('native/invalid-record', 'expected an array of check results or an object with a "results" array', { file, place: { pointer: '' } }));
    }
    return rows.result();
  },
};

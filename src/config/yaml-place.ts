import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { Place } from '../model/types.js';

/** Line and column of the YAML node at a path (or of its nearest existing parent). */
export function placeOfPath(doc: Document, lineCounter: LineCounter, path: PropertyKey[]): Place | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) {
      const pos = lineCounter.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return undefined;
}

export type Located =
  | { ok: true; value: unknown; placeOf: (path: PropertyKey[]) => Place | undefined }
  | { ok: false; errors: { message: string; place: Place }[] };

/**
 * A YAML (or JSON, which YAML reads too) document as plain data, with a way to place any path in it
 * for located messages; or its syntax errors, placed.
 */
export function parseLocated(text: string): Located {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) {
    return {
      ok: false,
      errors: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { message: e.message.split('\n')[0] ?? e.message, place: { line: pos.line, column: pos.col } };
      }),
    };
  }
  return { ok: true, value: doc.toJS() ?? {}, placeOf: (path) => placeOfPath(doc, lineCounter, path) };
}

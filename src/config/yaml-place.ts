import { isNode, type Document, type LineCounter } from 'yaml';
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

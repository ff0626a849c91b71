import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { ObservationBatch } from '../evaluate/observations.js';
import type { Ingested } from './ingest-file.js';

/** The typed columns of a batch. */
export const columnsOf = (o: ObservationBatch) => [o.observedMs, o.seq, o.earlier, o.status, o.severity, o.file, o.check, o.title, o.controls, o.resource, o.message];

/**
 * Results marked so that its column buffers move to the main thread instead of being copied. Only a
 * buffer a column has to itself moves: one shared with other views (a deserialized cache entry's, or
 * Node's buffer pool) is copied, since moving it would pull it from under the others.
 */
export function transferable(results: Ingested[]): unknown {
  const buffers = new Set<ArrayBufferLike>();
  const shared = new Set<ArrayBufferLike>();
  for (const column of results.flatMap((r) => columnsOf(r.observations))) {
    if (column.byteOffset !== 0 || column.byteLength !== column.buffer.byteLength || buffers.has(column.buffer)) shared.add(column.buffer);
    buffers.add(column.buffer);
  }
  return move({ [transferableSymbol]: [...buffers].filter((b) => !shared.has(b)), [valueSymbol]: results });
}

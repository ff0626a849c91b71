import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { packageRoot } from '../util/package-root.js';
import { renderDocument, type DocumentContext, type DocumentSpec } from './documents.js';
import { TemplateError } from './errors.js';
import type { RenderReply } from './render-worker.js';

export interface RenderedDocument {
  path: string;
  content: Buffer;
  /** How long it took to render, in milliseconds. */
  ms: number;
}

/** Rough cost of each kind, to hand the longest documents out first. */
const COST = { pack: 3, 'insurance-pdf': 2, board: 1, soa: 0, 'evidence-index': 0, 'insurance-xlsx': 0, 'oscal-ar': 0, 'work-as-done-html': 0, 'work-as-done-md': 0 } as const;
/** Workbooks, JSON and the work-as-done pages are quick and hold no fonts: they are written here while the workers lay out the PDFs. */
const HERE = new Set<DocumentSpec['kind']>(['soa', 'evidence-index', 'insurance-xlsx', 'oscal-ar', 'work-as-done-html', 'work-as-done-md']);

/**
 * Render workers by default: none on two cores or fewer. Measured on 2 cores (medium corpus), two
 * workers took as long as one thread (6.5 s against 6.7 s) at twice the memory (1.0 GB against
 * 0.58 GB): layout allocates heavily, each document ran 1.6 to 2 times slower beside the other, and a
 * second thread starts with its own cold caches of shaped words.
 */
export const defaultRenderWorkers = (cores = availableParallelism()) => (cores <= 2 ? 0 : cores - 1);

/**
 * Render every document, side by side in worker threads where the machine has cores to spare
 * (`workers: 0` renders them one after the other here). Results keep the order of `specs`.
 */
export async function renderDocuments(specs: DocumentSpec[], ctx: DocumentContext, options: { workers?: number; onRendered?: (done: number) => void } = {}): Promise<RenderedDocument[]> {
  const workers = Math.min(options.workers ?? defaultRenderWorkers(), specs.length);
  let done = 0;
  const rendered = () => options.onRendered?.(++done);
  if (workers <= 1) {
    const out: RenderedDocument[] = [];
    for (const spec of specs) {
      const started = performance.now();
      out.push({ path: spec.path, content: await renderDocument(spec, ctx), ms: Math.round(performance.now() - started) });
      rendered();
    }
    return out;
  }
  const pool = new Piscina<DocumentSpec, RenderReply>({
    filename: join(packageRoot(), 'dist', 'render', 'render-worker.js'),
    minThreads: workers,
    maxThreads: workers,
    workerData: ctx,
  });
  try {
    const order = specs.map((spec, index) => ({ spec, index })).sort((a, b) => COST[b.spec.kind] - COST[a.spec.kind] || a.index - b.index);
    const out = new Array<RenderedDocument>(specs.length);
    const inWorkers = Promise.all(
      order
        .filter(({ spec }) => !HERE.has(spec.kind))
        .map(async ({ spec, index }) => {
          const reply = await pool.run(spec);
          if ('templateError' in reply) throw new TemplateError(reply.templateError);
          out[index] = { path: spec.path, content: Buffer.from(reply.content.buffer, reply.content.byteOffset, reply.content.byteLength), ms: reply.ms };
          rendered();
        }),
    );
    // Settled before anything is thrown, so that no worker is left writing into `out` after a failure here.
    const here = (async () => {
      for (const { spec, index } of order.filter(({ spec }) => HERE.has(spec.kind))) {
        const started = performance.now();
        out[index] = { path: spec.path, content: await renderDocument(spec, ctx), ms: Math.round(performance.now() - started) };
        rendered();
      }
    })();
    const [workersDone, hereDone] = await Promise.allSettled([inWorkers, here]);
    for (const done of [workersDone, hereDone]) if (done.status === 'rejected') throw done.reason;
    return out;
  } finally {
    await pool.destroy();
  }
}

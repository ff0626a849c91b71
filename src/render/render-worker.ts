/** A render worker: renders the documents it is asked for from the build's context, given once. */
import { workerData } from 'piscina';
import { renderDocument, type DocumentContext, type DocumentSpec } from './documents.js';
import { TemplateError } from './errors.js';

// Cloned into the worker, the manifest arrives as a plain Uint8Array.
const received = workerData as DocumentContext;
const ctx: DocumentContext = { ...received, manifest: Buffer.from(received.manifest) };

export type RenderReply = { content: Uint8Array; ms: number } | { templateError: string };

export default async function renderInWorker(spec: DocumentSpec): Promise<RenderReply> {
  try {
    const started = performance.now();
    const content = await renderDocument(spec, ctx);
    return { content, ms: Math.round(performance.now() - started) };
  } catch (error) {
    // An error's class does not survive the trip back: a template problem is sent as one.
    if (error instanceof TemplateError) return { templateError: error.message };
    throw error;
  }
}

import type { Place } from '../model/types.js';

/** Line and column of a JSON.parse syntax error, read from the engine's message. */
export function jsonErrorPlace(text: string, error: unknown): Place {
  const message = error instanceof Error ? error.message : String(error);
  const lineCol = /line (\d+) column (\d+)/.exec(message);
  if (lineCol) return { line: Number(lineCol[1]), column: Number(lineCol[2]) };
  const position = /position (\d+)/.exec(message);
  const offset = position ? Number(position[1]) : text.length;
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

export function jsonErrorMessage(error: unknown, text?: string): string {
  if (text !== undefined) {
    const position = /position (\d+)/.exec(error instanceof Error ? error.message : '');
    const offset = position ? Number(position[1]) : text.length;
    if (offset >= text.trimEnd().length) return 'the JSON ends before it is complete (truncated file?)';
  }
  const message = error instanceof Error ? error.message : String(error);
  // Drop the engine's position suffix and echo of the input: the place says where.
  return message.replace(/\s*(?:in JSON )?at position \d+.*$/s, '').replace(/, (?:\.\.\.)?"[\s\S]*$/, '').trim();
}

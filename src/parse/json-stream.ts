import { StringDecoder } from 'node:string_decoder';
import type { Place } from '../model/types.js';

export type JsonPath = readonly (string | number)[];

export interface JsonStreamOptions {
  /** Is the array at this path one whose elements should be streamed out one by one? */
  isTarget(path: JsonPath): boolean;
  /**
   * Called with each element of a target array, parsed, and its path (the array's path + index).
   * `context()` gives the document read so far, open containers closed and target arrays empty:
   * what came before the element (a SARIF run's tool and rules, a report's metadata).
   */
  onElement(value: unknown, path: JsonPath, context: () => unknown): void;
}

export class JsonStreamError extends Error {
  constructor(
    message: string,
    readonly place: Place,
  ) {
    super(message);
  }
}

interface Frame {
  kind: 'object' | 'array';
  /** Object: the current key. Array: the index of the current element. */
  key: string | number;
  /** Object: a key is expected next, not a value. */
  expectKey: boolean;
  /** Array whose elements are streamed out. */
  target: boolean;
  /** Target array: a comma was read and no element after it yet. */
  afterComma?: boolean;
}

const engineMessage = (error: unknown) => (error as Error).message.replace(/\s*(?:in JSON )?at position \d+.*$/s, '').replace(/, "[\s\S]*$/, '');
const STRING_STOP = /["\\]/g;

/**
 * Reads a JSON document from a stream in bounded memory. Elements of the target arrays are cut out by
 * a small string- and depth-aware scanner and handed to JSON.parse one at a time, so a file of any size
 * costs about one JSON.parse of its bytes and the memory of its largest element. Everything else comes
 * back as a skeleton document in which the target arrays are empty.
 */
export async function streamJson(chunks: AsyncIterable<Buffer | string>, options: JsonStreamOptions): Promise<unknown> {
  const decoder = new StringDecoder('utf8');
  const stack: Frame[] = [];
  let skeleton = '';
  let started = false;
  let finished = false;

  // Position, for messages: line number and the absolute offset where the current line starts.
  let line = 1;
  let lineStart = 0;
  let chunkOffset = 0;

  // A string being read, possibly across chunks; its text is kept only when it is an object key.
  let inString = false;
  let escapePending = false;
  let key: string | undefined;

  // An element of a target array being cut out.
  let capturing = false;
  let captured = '';
  let depth = 0;
  let elementLine = 0;
  let elementColumn = 0;

  const placeAt = (index: number): Place => ({ line, column: chunkOffset + index - lineStart + 1 });
  const fail = (message: string, index: number): never => {
    throw new JsonStreamError(message, placeAt(index));
  };

  // The document so far, parsed once per change of the skeleton (between target arrays, not per element).
  let contextAt = -1;
  let contextValue: unknown;
  const context = (): unknown => {
    if (contextAt !== skeleton.length) {
      // At an element every open container's current value is the next one inside: closing them is enough.
      const closers = stack.map((f) => (f.kind === 'array' ? ']' : '}')).reverse().join('');
      try {
        contextValue = JSON.parse(skeleton + closers);
      } catch {
        contextValue = undefined;
      }
      contextAt = skeleton.length;
    }
    return contextValue;
  };

  const emit = () => {
    const frame = stack[stack.length - 1]!;
    let value: unknown;
    try {
      value = JSON.parse(captured);
    } catch (error) {
      // V8 gives a position for some syntax errors only; without one, the element's start is the place.
      const at = /position (\d+)/.exec((error as Error).message);
      const before = captured.slice(0, at ? Number(at[1]) : 0).split('\n');
      const place = before.length > 1 ? { line: elementLine + before.length - 1, column: before.at(-1)!.length + 1 } : { line: elementLine, column: elementColumn + before[0]!.length };
      throw new JsonStreamError(`invalid JSON: ${engineMessage(error)}`, place);
    }
    options.onElement(value, [...stack.map((f) => f.key)], context);
    capturing = false;
    captured = '';
    frame.key = (frame.key as number) + 1;
  };

  const feed = (text: string) => {
    const n = text.length;
    let copied = 0; // text before this index is already in the skeleton or the captured element
    const copy = (end: number) => {
      if (capturing) captured += text.slice(copied, end);
      else skeleton += text.slice(copied, end);
      copied = end;
    };
    const newlines = (from: number, to: number) => {
      for (let p = text.indexOf('\n', from); p !== -1 && p < to; p = text.indexOf('\n', p + 1)) {
        line++;
        lineStart = chunkOffset + p + 1;
      }
    };
    let i = 0;
    while (i < n) {
      if (inString) {
        let end = -1;
        let j = i;
        if (escapePending) {
          escapePending = false;
          j++;
        }
        while (j < n) {
          STRING_STOP.lastIndex = j;
          const m = STRING_STOP.exec(text);
          if (!m) {
            j = n;
            break;
          }
          if (m[0] === '"') {
            end = m.index;
            break;
          }
          if (m.index + 1 >= n) {
            escapePending = true;
            j = n;
            break;
          }
          j = m.index + 2;
        }
        const stop = end === -1 ? n : end;
        newlines(i, stop);
        if (key !== undefined) key += text.slice(i, stop);
        if (end === -1) {
          i = n;
          break;
        }
        inString = false;
        i = end + 1;
        if (key !== undefined) {
          try {
            stack[stack.length - 1]!.key = JSON.parse(`"${key}"`) as string;
          } catch {
            fail('invalid escape in an object key', end);
          }
          key = undefined;
        }
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x09 || c === 0x0d) {
        i++;
        continue;
      }
      if (c === 0x0a) {
        line++;
        lineStart = chunkOffset + i + 1;
        i++;
        continue;
      }
      if (finished) fail('unexpected text after the end of the JSON document', i);
      if (capturing) {
        if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if ((c === 0x7d || c === 0x5d || c === 0x2c) && depth === 0) {
          copy(i);
          emit();
          continue; // the delimiter is handled as structure below
        } else if (c === 0x7d || c === 0x5d) depth--;
        i++;
        continue;
      }
      const top = stack[stack.length - 1];
      if (top?.target && c !== 0x5d && c !== 0x2c) {
        copy(i);
        top.afterComma = false;
        capturing = true;
        depth = 0;
        elementLine = line;
        elementColumn = chunkOffset + i - lineStart + 1;
        continue;
      }
      started = true;
      switch (c) {
        case 0x7b:
        case 0x5b: {
          const frame: Frame =
            c === 0x7b ? { kind: 'object', key: '', expectKey: true, target: false } : { kind: 'array', key: 0, expectKey: false, target: false };
          if (frame.kind === 'array') frame.target = options.isTarget(stack.map((f) => f.key));
          stack.push(frame);
          break;
        }
        case 0x7d:
        case 0x5d: {
          const frame = stack.pop();
          if (!frame || (frame.kind === 'object') !== (c === 0x7d) || frame.afterComma) fail(`unexpected "${String.fromCharCode(c)}"`, i);
          if (!stack.length) finished = true;
          break;
        }
        case 0x2c:
          if (!top) fail('unexpected ","', i);
          else if (top.kind === 'object') top.expectKey = true;
          else if (!top.target) top.key = (top.key as number) + 1;
          else {
            // Commas between streamed elements stay out of the skeleton, whose target arrays are empty.
            if (top.afterComma || top.key === 0) fail('unexpected ","', i);
            top.afterComma = true;
            copy(i);
            copied = i + 1;
          }
          break;
        case 0x3a:
          if (top?.kind !== 'object') fail('unexpected ":"', i);
          else top.expectKey = false;
          break;
        case 0x22:
          inString = true;
          if (top?.kind === 'object' && top.expectKey) key = '';
          break;
        default:
          if (!top) fail('expected a JSON object or array', i);
      }
      i++;
    }
    copy(n);
    chunkOffset += n;
  };

  let first = true;
  for await (const chunk of chunks) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (first && text) {
      text = text.replace(/^\uFEFF/, '');
      first = false;
    }
    feed(text);
  }
  feed(decoder.end());
  if (!started) throw new JsonStreamError('the file holds no JSON', { line: 1, column: 1 });
  if (capturing || stack.length || inString) {
    throw new JsonStreamError('the JSON ends before it is complete (truncated file?)', { line, column: chunkOffset - lineStart + 1 });
  }
  try {
    return JSON.parse(skeleton);
  } catch (error) {
    throw new JsonStreamError(`invalid JSON: ${engineMessage(error)}`, { line: 1 });
  }
}

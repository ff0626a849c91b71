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
  /**
   * Asked as each element starts: false skips it unread (scanned for its end, never parsed nor handed
   * on). For a reader that needs a later part of the document first and will read the file again.
   */
  wants?(path: JsonPath, context: () => unknown): boolean;
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
  /** Where the container starts in the skeleton. */
  start: number;
  /** Object: where the current member (its key) starts in the skeleton. */
  memberAt?: number;
  /** The members before the current one, parsed once for every context (and up to where). */
  read?: { at: number; value: unknown[] | Record<string, unknown> };
}

const engineMessage = (error: unknown) => (error as Error).message.replace(/\s*(?:in JSON )?at position \d+.*$/s, '').replace(/, (?:\.\.\.)?"[\s\S]*$/, '');

/**
 * Reads a JSON document from a stream in bounded memory. Elements of the target arrays are cut out by
 * a small string- and depth-aware scanner and handed to JSON.parse one at a time, so a file of any size
 * costs about one JSON.parse of its bytes and the memory of its largest element. Everything else comes
 * back as a skeleton document in which the target arrays are empty.
 */
export async function streamJson(chunks: AsyncIterable<Buffer | string>, options: JsonStreamOptions): Promise<unknown> {
  const decoder = new StringDecoder('utf8');
  const stack: Frame[] = [];
  const skeleton = new Text();
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

  // An element of a target array being cut out (and kept, unless it is skipped).
  let capturing = false;
  let keep = true;
  let captured = '';
  let depth = 0;
  let elementLine = 0;
  let elementColumn = 0;

  const placeAt = (index: number): Place => ({ line, column: chunkOffset + index - lineStart + 1 });

  // Where the skeleton's pieces stand in the file: a piece starts wherever the text copied into it
  // resumes after a cut-out element, so that a syntax error outside the elements still has its line.
  const pieces: Piece[] = [];
  let resumed: Omit<Piece, 'at'> | undefined;
  const fail = (message: string, index: number): never => {
    throw new JsonStreamError(message, placeAt(index));
  };

  // The document so far, built once per change of the skeleton (between target arrays, not per element).
  // Each open container parses only the members it gained since it was last built, so that a list of
  // many items each with its own target arrays (Trivy's Results) does not cost a parse of all before.
  let contextAt = -1;
  let contextValue: unknown;
  const build = (level: number): unknown => {
    const frame = stack[level]!;
    const inner = stack[level + 1];
    if (!inner) return frame.kind === 'array' ? [] : {};
    const read = (frame.read ??= { at: frame.start + 1, value: frame.kind === 'array' ? [] : {} });
    const end = frame.kind === 'array' ? inner.start : frame.memberAt!;
    const members = end > read.at ? skeleton.slice(read.at, end).replace(/^[\s,]+|[\s,]+$/g, '') : '';
    if (members) {
      const more: unknown = JSON.parse(frame.kind === 'array' ? `[${members}]` : `{${members}}`);
      if (Array.isArray(read.value)) for (const item of more as unknown[]) read.value.push(item);
      else Object.assign(read.value, more);
    }
    read.at = end;
    const value = build(level + 1);
    return Array.isArray(read.value) ? snapshot(read.value, read.value.length, value) : { ...read.value, [frame.key]: value };
  };
  const context = (): unknown => {
    if (contextAt !== skeleton.length) {
      try {
        contextValue = stack.length ? build(0) : undefined;
      } catch {
        contextValue = undefined;
      }
      contextAt = skeleton.length;
    }
    return contextValue;
  };

  const emit = () => {
    const frame = stack[stack.length - 1]!;
    const path = stack.map((f) => f.key);
    capturing = false;
    frame.key = (frame.key as number) + 1;
    if (!keep) return;
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
    captured = '';
    options.onElement(value, path, context);
  };

  const feed = (text: string) => {
    const n = text.length;
    let copied = 0; // text before this index is already in the skeleton or the captured element
    const copy = (end: number) => {
      if (capturing) {
        if (keep) captured += text.slice(copied, end);
      } else if (end > copied) {
        if (resumed) pieces.push({ at: skeleton.length, ...resumed });
        resumed = undefined;
        skeleton.append(text.slice(copied, end));
      }
      copied = end;
    };
    /** Leave out the text before `index` (an element, or the comma and blanks between elements). */
    const jump = (index: number) => {
      copied = index;
      resumed = { line, column: chunkOffset + index - lineStart + 1 };
    };
    // The next newline at or after the scan position, found once: a search per string would scan to
    // the next newline each time, the square of the chunk size on a file written on one line.
    let nextNewline = text.indexOf('\n');
    const newlines = (from: number, to: number) => {
      if (nextNewline < from && nextNewline !== -1) nextNewline = text.indexOf('\n', from);
      while (nextNewline !== -1 && nextNewline < to) {
        line++;
        lineStart = chunkOffset + nextNewline + 1;
        nextNewline = text.indexOf('\n', nextNewline + 1);
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
        // The closing quote is the next one not escaped, i.e. after an even run of backslashes (found
        // with indexOf, which is much faster than a character class).
        const backslashesBefore = (at: number) => {
          let k = at - 1;
          while (k >= j && text.charCodeAt(k) === 0x5c) k--;
          return at - 1 - k;
        };
        for (let q = j < n ? text.indexOf('"', j) : -1; q !== -1; q = text.indexOf('"', q + 1)) {
          if (backslashesBefore(q) % 2 === 0) {
            end = q;
            break;
          }
        }
        // No closing quote in this chunk: it may end halfway through an escape.
        if (end === -1 && j < n) escapePending = backslashesBefore(n) % 2 === 1;
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
          jump(i);
          continue; // the delimiter is handled as structure below
        } else if (c === 0x7d || c === 0x5d) depth--;
        i++;
        continue;
      }
      const top = stack[stack.length - 1];
      if (top?.target && c !== 0x5d && c !== 0x2c) {
        // An element cannot start by closing an object (and an empty one would end where it starts).
        if (c === 0x7d) fail('unexpected "}"', i);
        // Only blanks stand between the array's "[" (or the last comma) and its element.
        jump(i);
        top.afterComma = false;
        keep = options.wants?.([...stack.map((f) => f.key)], context) ?? true;
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
          const start = skeleton.length + i - copied;
          const frame: Frame =
            c === 0x7b ? { kind: 'object', key: '', expectKey: true, target: false, start } : { kind: 'array', key: 0, expectKey: false, target: false, start };
          if (frame.kind === 'array') frame.target = options.isTarget(stack.map((f) => f.key));
          stack.push(frame);
          // A target array keeps its "[" in the skeleton, and nothing between it and the "]".
          if (frame.target) copy(i + 1);
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
            jump(i + 1);
          }
          break;
        case 0x3a:
          if (top?.kind !== 'object') fail('unexpected ":"', i);
          else top.expectKey = false;
          break;
        case 0x22:
          inString = true;
          if (top?.kind === 'object' && top.expectKey) {
            key = '';
            top.memberAt = skeleton.length + i - copied;
          }
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
  const whole = skeleton.toString();
  try {
    return JSON.parse(whole);
  } catch (error) {
    // The engine's offset is in the skeleton: its piece gives the line. Without one, the end is the place.
    const at = /position (\d+)/.exec((error as Error).message);
    const end = { line, column: chunkOffset - lineStart + 1 };
    throw new JsonStreamError(`invalid JSON: ${engineMessage(error)}`, at ? placeInSkeleton(whole, pieces, Number(at[1])) : end);
  }
}

/**
 * The first `count` items of a list that only grows, then `last`: what the list was when a context was
 * built, without copying it (a copy per context would cost the square of a long list's length). A context
 * handed out earlier thus stays what the document was then.
 */
function snapshot(items: readonly unknown[], count: number, last: unknown): unknown[] {
  const length = count + 1;
  const indexOf = (key: string | symbol) => (typeof key === 'string' && /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < length ? Number(key) : -1);
  const at = (i: number) => (i === count ? last : items[i]);
  // An empty array stands behind it (giving an array its length would allocate it whole).
  return new Proxy<unknown[]>([], {
    get: (target, key, receiver) => {
      const i = indexOf(key);
      return i !== -1 ? at(i) : key === 'length' ? length : Reflect.get(target, key, receiver);
    },
    has: (target, key) => indexOf(key) !== -1 || Reflect.has(target, key),
    ownKeys: (target) => [...Array.from({ length }, (_, i) => String(i)), ...Reflect.ownKeys(target)],
    getOwnPropertyDescriptor: (target, key) => {
      const i = indexOf(key);
      if (i !== -1) return { value: at(i), writable: false, enumerable: true, configurable: true };
      return key === 'length' ? { value: length, writable: true, enumerable: false, configurable: false } : Reflect.getOwnPropertyDescriptor(target, key);
    },
    set: () => false,
    deleteProperty: () => false,
    defineProperty: () => false,
  });
}

/**
 * The skeleton's text, in small flat blocks: a context reads slices near its end, and a slice of one
 * long concatenated string would copy it whole every time. Blocks are copies, so they do not keep alive
 * the stream's chunks their text was cut from.
 */
class Text {
  private readonly blocks: string[] = [];
  private readonly starts: number[] = [];
  private tail: string[] = [];
  private tailLength = 0;
  length = 0;

  append(piece: string): void {
    if (!piece) return;
    this.tail.push(piece);
    this.tailLength += piece.length;
    this.length += piece.length;
    if (this.tailLength >= 4096) this.seal();
  }

  slice(from: number, to: number): string {
    this.seal();
    // The last block that starts at or before `from`.
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= from) low = mid;
      else high = mid - 1;
    }
    let out = '';
    for (let b = low; b < this.blocks.length && this.starts[b]! < to; b++) out += this.blocks[b]!.slice(Math.max(0, from - this.starts[b]!), to - this.starts[b]!);
    return out;
  }

  toString(): string {
    this.seal();
    return this.blocks.join('');
  }

  private seal(): void {
    if (!this.tail.length) return;
    this.starts.push(this.length - this.tailLength);
    // Concatenated, then cut: a flat copy (joining or slicing alone may share the chunk's memory).
    this.blocks.push(`${this.tail.join('')} `.slice(0, -1));
    this.tail = [];
    this.tailLength = 0;
  }
}

/** A run of the skeleton copied from the file in one piece, from `at`, which is at line:column of the file. */
interface Piece {
  at: number;
  line: number;
  column: number;
}

function placeInSkeleton(skeleton: string, pieces: readonly Piece[], offset: number): Place {
  let piece = { at: 0, line: 1, column: 1 };
  for (const p of pieces) {
    if (p.at > offset) break;
    piece = p;
  }
  const before = skeleton.slice(piece.at, offset).split('\n');
  return before.length === 1 ? { line: piece.line, column: piece.column + before[0]!.length } : { line: piece.line + before.length - 1, column: before.at(-1)!.length + 1 };
}

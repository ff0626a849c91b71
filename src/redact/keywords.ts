/**
 * Which of many keywords a text holds, ASCII case-insensitively, in one pass: an Aho–Corasick automaton
 * (as gitleaks uses), built once. The detectors' keywords decide which patterns run on a text; a text
 * with none of them skips them all, and that is most evidence text. A regular expression alternating
 * ~200 words under the `i` flag took as long as all the rest of redaction.
 */

/** Characters outside ASCII are no keyword's: they send the automaton back to its start. */
const ALPHABET = 128;

export interface KeywordIndex {
  /** True when the text holds at least one keyword. */
  test(text: string): boolean;
  /** The keywords the text holds (overlapping ones too), lowercase. */
  find(text: string): Set<string>;
}

/** An index of `words` (ASCII, matched case-insensitively; each is looked for lowercase). */
export function keywordIndex(words: readonly string[]): KeywordIndex {
  const keywords = [...new Set(words.map((w) => w.toLowerCase()))];
  for (const w of keywords) if (!w || /[^\x00-\x7f]/.test(w)) throw new Error(`keyword must be non-empty ASCII: ${JSON.stringify(w)}`);
  // The trie, as rows of ALPHABET next states (-1: none yet).
  const next: number[][] = [new Array<number>(ALPHABET).fill(-1)];
  const out: number[][] = [[]];
  keywords.forEach((w, id) => {
    let state = 0;
    for (const ch of w) {
      const c = ch.charCodeAt(0);
      if (next[state]![c] === -1) {
        next[state]![c] = next.length;
        next.push(new Array<number>(ALPHABET).fill(-1));
        out.push([]);
      }
      state = next[state]![c]!;
    }
    out[state]!.push(id);
  });
  // Breadth first: missing moves follow the longest proper suffix that is a prefix (the failure link),
  // and a state also ends every keyword its failure state ends.
  const fail = new Array<number>(next.length).fill(0);
  const queue: number[] = [];
  for (let c = 0; c < ALPHABET; c++) {
    const s = next[0]![c]!;
    if (s === -1) next[0]![c] = 0;
    else queue.push(s);
  }
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head]!;
    out[state] = [...out[state]!, ...out[fail[state]!]!];
    for (let c = 0; c < ALPHABET; c++) {
      const s = next[state]![c]!;
      if (s === -1) next[state]![c] = next[fail[state]!]![c]!;
      else {
        fail[s] = next[fail[state]!]![c]!;
        queue.push(s);
      }
    }
  }
  // Upper-case ASCII letters move as lower case does (keywords are lowercase, so those columns are empty).
  for (const row of next) for (let c = 65; c <= 90; c++) row[c] = row[c + 32]!;
  const table = Int32Array.from(next.flat());
  const ends = Uint8Array.from(out, (o) => (o.length ? 1 : 0));

  return {
    test(text) {
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        state = c < ALPHABET ? table[state * ALPHABET + c]! : 0;
        if (ends[state]) return true;
      }
      return false;
    },
    find(text) {
      const found = new Set<string>();
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        state = c < ALPHABET ? table[state * ALPHABET + c]! : 0;
        if (ends[state]) for (const id of out[state]!) found.add(keywords[id]!);
      }
      return found;
    },
  };
}

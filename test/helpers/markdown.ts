/** A view model's strings as a reader sees them: the Markdown escapes (see markdown-escape.ts) taken out. */
export function unescaped<T>(value: T): T {
  if (typeof value === 'string') return value.replace(/\\([!-/:-@[-`{-~])/g, '$1') as T;
  if (Array.isArray(value)) return value.map((v) => unescaped(v)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unescaped(v)])) as T;
  return value;
}

/** The spec of a chart block in a view model (its lines once escaped: ```chart, the JSON, ```). */
export function chartSpec<T>(block: unknown): T {
  const lines = block as string[];
  if (lines[0] !== '```chart' || lines[2] !== '```') throw new Error(`not a chart block: ${JSON.stringify(lines)}`);
  return JSON.parse(lines[1]!) as T;
}

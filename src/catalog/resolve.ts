import { distance } from 'fastest-levenshtein';
import type { ControlRef, FrameworkId } from '../model/types.js';
import type { Catalog } from './catalog.js';

export type Resolution =
  /** `refs` holds one control, or several where a 2013 control was split in the 2022 edition. */
  | { ok: true; refs: ControlRef[]; note?: string }
  | { ok: false; message: string; suggestions: string[] };

const frameworkPrefix = /^(?:(iso(?:\s*\/\s*iec)?\s*27001(?:\s*[-:]\s*2022)?)|(soc\s*2|tsc))\s*[:\s]\s*/i;

/**
 * Turn a control id as people and tools write it ("A.8.13", "ISO27001:A.8.13", "SOC2: cc_7_2",
 * "cc7.2", "9.2", "A.12.4.1" from the 2013 edition) into a catalog reference; `within` one framework only
 * where the place the id is written in says which.
 */
export function resolveControlId(raw: string, catalog: Catalog, within?: FrameworkId): Resolution {
  let text = raw.trim();
  let only = within;
  const prefix = frameworkPrefix.exec(text);
  if (prefix) {
    const named: FrameworkId = prefix[1] ? 'iso27001-2022' : 'soc2-2017';
    if (only && named !== only) return elsewhere(raw, named, only);
    only = named;
    text = text.slice(prefix[0].length);
  }
  const compact = text.replace(/\s+/g, '').replace(/_/g, '.').toUpperCase();
  const candidates = interpretations(compact).filter((r) => !only || r.framework === only);
  for (const ref of candidates) {
    if (catalog.control(ref)) return { ok: true, refs: [ref] };
  }
  if (only !== 'soc2-2017') {
    const edition2013 = catalog.edition2013.get(compact);
    if (edition2013?.length) {
      return {
        ok: true,
        refs: edition2013.map((id) => ({ framework: 'iso27001-2022' as const, id })),
        note: `ISO/IEC 27001:2013 ${compact} is ${edition2013.join(', ')} in the 2022 edition`,
      };
    }
    // A three-level clause reference (6.1.3) belongs to its two-level clause (6.1).
    const clause = /^(\d+\.\d+)\.\d+$/.exec(compact);
    if (clause?.[1] && catalog.control({ framework: 'iso27001-2022', id: clause[1] })) {
      return { ok: true, refs: [{ framework: 'iso27001-2022', id: clause[1] }], note: `${compact} is part of clause ${clause[1]}` };
    }
  }
  if (within && !prefix) {
    const other = resolveControlId(raw, catalog);
    if (other.ok && other.refs[0]) return elsewhere(raw, other.refs[0].framework, within);
  }
  const suggestions = suggest(candidates[0]?.id ?? compact, catalog, only);
  const hint = suggestions.length ? `; did you mean ${suggestions.join(' or ')}?` : '';
  return { ok: false, message: `${raw.trim()}: no such control${hint}`, suggestions };
}

const frameworkName: Record<FrameworkId, string> = { 'iso27001-2022': 'an ISO/IEC 27001', 'soc2-2017': 'a SOC 2' };

/** An id of one framework written where only the other's belong. */
const elsewhere = (raw: string, is: FrameworkId, expected: FrameworkId): Resolution => ({
  ok: false,
  message: `${raw.trim()}: ${frameworkName[is]} id where ${frameworkName[expected]} one is expected`,
  suggestions: [],
});

/** The ways a compact id may be read, most likely first. */
function interpretations(id: string): ControlRef[] {
  const refs: ControlRef[] = [];
  const iso = (x: string) => refs.push({ framework: 'iso27001-2022', id: x });
  const soc2 = (x: string) => refs.push({ framework: 'soc2-2017', id: x });
  let m = /^A\.?([5-8])\.(\d+)$/.exec(id);
  if (m) iso(`A.${m[1]}.${Number(m[2])}`);
  m = /^(\d+)\.(\d+)$/.exec(id);
  if (m) iso(`${Number(m[1])}.${Number(m[2])}`);
  m = /^(CC|PI|A|C|P)\.?(\d+)\.(\d+)$/.exec(id);
  if (m) soc2(`${m[1]}${Number(m[2])}.${Number(m[3])}`);
  if (!refs.length) {
    iso(id);
    soc2(id);
  }
  return refs;
}

/** Nearest valid ids by edit distance, ties broken by numeric closeness. */
function suggest(id: string, catalog: Catalog, only: FrameworkId | undefined): string[] {
  const numbers = (s: string) => (s.match(/\d+/g) ?? []).map(Number);
  const target = numbers(id);
  const numericGap = (s: string) => {
    const n = numbers(s);
    return n.reduce((sum, v, i) => sum + Math.abs(v - (target[i] ?? 0)) * 100 ** (n.length - 1 - i), 0);
  };
  const scored = catalog.frameworks
    .filter((f) => !only || f.id === only)
    .flatMap((f) => f.controls)
    .map((c) => ({ id: c.id, d: distance(id.toUpperCase(), c.id.toUpperCase()), gap: numericGap(c.id) }))
    .filter((s) => s.d <= 2)
    .sort((a, b) => a.d - b.d || a.gap - b.gap || a.id.localeCompare(b.id));
  return [...new Set(scored.map((s) => s.id))].slice(0, 2);
}

import type { ControlMapping } from '../model/types.js';
import { loadCatalog } from '../catalog/catalog.js';
import { resolveControlId } from '../catalog/resolve.js';

/**
 * Controls a tool itself attaches to a finding (Prowler compliance fields, InSpec/HDF tags, ASFF
 * related requirements). Only ids of the frameworks legible knows are kept; `via` says which field
 * of the tool's output the mapping came from. Ids of other frameworks (CIS, NIST…) are ignored.
 */
export function toolMappings(rawIds: Iterable<string>, via: string): ControlMapping[] {
  const ids = [...rawIds];
  const key = `${via}\u0000${ids.join('\u0000')}`;
  const known = resolved.get(key);
  if (known) return known;
  const catalog = loadCatalog();
  const out: ControlMapping[] = [];
  for (const raw of ids) {
    const r = resolveControlId(raw, catalog);
    if (!r.ok) continue;
    for (const ref of r.refs) {
      if (!out.some((m) => m.framework === ref.framework && m.id === ref.id)) out.push({ ...ref, source: 'tool', via });
    }
  }
  // A scanner repeats the same few compliance lists on every finding: resolve each once.
  if (resolved.size >= 10_000) resolved.clear();
  resolved.set(key, out);
  return out;
}

const resolved = new Map<string, ControlMapping[]>();

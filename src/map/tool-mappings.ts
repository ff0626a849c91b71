import type { ControlMapping } from '../model/types.js';
import { loadCatalog } from '../catalog/catalog.js';
import { resolveControlId } from '../catalog/resolve.js';

/**
 * Controls a tool itself attaches to a finding (Prowler compliance fields, InSpec/HDF tags, ASFF
 * related requirements). Only ids of the frameworks legible knows are kept; `via` says which field
 * of the tool's output the mapping came from. Ids of other frameworks (CIS, NIST…) are ignored.
 */
export function toolMappings(rawIds: Iterable<string>, via: string): ControlMapping[] {
  const catalog = loadCatalog();
  const out: ControlMapping[] = [];
  for (const raw of rawIds) {
    const r = resolveControlId(raw, catalog);
    if (!r.ok) continue;
    for (const ref of r.refs) {
      if (!out.some((m) => m.framework === ref.framework && m.id === ref.id)) out.push({ ...ref, source: 'tool', via });
    }
  }
  return out;
}

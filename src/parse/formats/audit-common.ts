/**
 * What the InSpec/HDF, ScoutSuite and OSCAL readers share beyond common.ts: NIST control tags, and the
 * ISO 27001 / SOC 2 controls a tool lists under keys that name the framework.
 */
import type { ControlMapping } from '../../model/types.js';
import { toolMappings } from '../../map/tool-mappings.js';
import { textList } from './common.js';

/**
 * A NIST SP 800-53 control id as a tag: `AC-6 (9)`, `AC-6(9)`, `ac-6.9` (OSCAL) → `NIST-AC-6(9)`.
 * Statement parts (`CM-6 b`, `_obj`) are dropped: mappings work on controls and enhancements.
 * Anything that is not a control id (`Rev_4` in MITRE profiles) gives undefined.
 */
export function nistTag(id: string): string | undefined {
  const m = /^([a-z]{2})-(\d+)(?:\s*\((\d+)\)|\.(\d+))?(?![\d(])/i.exec(id.trim());
  if (!m) return undefined;
  const enhancement = m[3] ?? m[4];
  return `NIST-${m[1]!.toUpperCase()}-${Number(m[2])}${enhancement ? `(${Number(enhancement)})` : ''}`;
}

const isoKey = /iso[\s_-]*(?:iec[\s_-]*)?27001/i;
const soc2Key = /soc[\s_-]*2|\btsc\b/i;

/**
 * Controls a tool carries under a key that names ISO/IEC 27001 or SOC 2 (`ISO27001_2013`,
 * `iso_27001`, `SOC2`…). The framework is taken from the key and put in front of each id, so an
 * id like `CC6.1` or `A.12.4.4` is only ever read in the framework its key names.
 */
export function frameworkMappings(entries: Iterable<[key: string, value: unknown]>, via: (key: string) => string): ControlMapping[] {
  const out: ControlMapping[] = [];
  for (const [key, value] of entries) {
    const framework = isoKey.test(key) ? 'ISO27001' : soc2Key.test(key) ? 'SOC2' : undefined;
    if (!framework) continue;
    for (const m of toolMappings(
      textList(value).map((id) => `${framework}: ${id}`),
      via(key),
    )) {
      if (!out.some((o) => o.framework === m.framework && o.id === m.id)) out.push(m);
    }
  }
  return out;
}

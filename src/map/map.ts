import type { CheckRecord, ControlMapping, ControlRef, Diagnostic, EvidenceRecord } from '../model/types.js';
import { diagnostic } from '../diagnostics/codes.js';
import type { Catalog } from '../catalog/catalog.js';
import { resolveControlId } from '../catalog/resolve.js';
import type { MappingRule } from '../config/load.js';
import { defaultRules, ruleMatches, type DefaultRule } from './default-rules.js';

const sameMapping = (a: ControlMapping, b: ControlMapping) =>
  a.framework === b.framework && a.id === b.id && a.source === b.source && a.via === b.via;

function add(list: ControlMapping[], mapping: ControlMapping): void {
  if (!list.some((m) => sameMapping(m, mapping))) list.push(mapping);
}

/**
 * Resolve a record's controls: ids written in the evidence, then config rules, then default rules
 * where nobody mapped it, then the crosswalk to a framework the record does not name. Each mapping
 * keeps where it came from.
 */
export function createMapper(rules: MappingRule[], catalog: Catalog) {
  const resolve = (record: EvidenceRecord): { controls: ControlMapping[]; unknown: string[] } => {
    const unknown: string[] = [];
    const controls: ControlMapping[] = [];
    for (const mapping of record.controls) add(controls, mapping);
    for (const raw of record.rawControls) {
      const r = resolveControlId(raw, catalog);
      if (r.ok) for (const ref of r.refs) add(controls, { ...ref, source: 'explicit', ...(r.note ? { via: r.note } : {}) });
      else unknown.push(r.message);
    }
    if (record.type === 'check') {
      const matching = rules.filter((rule) => (!rule.format || formatMatches(rule.format, record.format)) && rule.matches(record.check));
      for (const rule of matching) {
        for (const ref of rule.controls) add(controls, { ...ref, source: 'config-rule', via: rule.label });
      }
      // Defaults fill in only where nobody mapped the finding: not the evidence, the tool or the config.
      if (!controls.length) {
        for (const rule of defaultRules.filter((r) => ruleMatches(r, record))) {
          for (const ref of resolvedDefaults(rule, catalog)) add(controls, { ...ref, source: 'default-rule', via: `default rule ${rule.id}` });
        }
      }
    }
    // The crosswalk fills in a framework the evidence does not name. Where its author already chose
    // controls in both frameworks, that choice is more precise than the criterion-level crosswalk.
    const named = new Set(controls.map((m) => m.framework));
    for (const direct of [...controls]) {
      for (const counterpart of catalog.counterparts(direct)) {
        if (named.has(counterpart.framework)) continue;
        add(controls, { ...counterpart, source: 'crosswalk', via: `crosswalk from ${direct.id}` });
      }
    }
    return { controls, unknown };
  };
  // A scanner's findings share a handful of shapes: the mapping is worked out once per shape, and the
  // findings of one shape share its (read-only) list of controls.
  const known = new Map<string, { controls: ControlMapping[]; unknown: string[] }>();
  return function mapRecord<R extends EvidenceRecord>(record: R): { record: R; diagnostics: Diagnostic[] } {
    let resolved: { controls: ControlMapping[]; unknown: string[] };
    if (record.type === 'check') {
      const shape = shapeOf(record);
      resolved = known.get(shape) ?? resolve(record);
      if (known.size >= SHAPES) known.clear();
      known.set(shape, resolved);
    } else resolved = resolve(record);
    const diagnostics = resolved.unknown.map((message) => diagnostic('control/unknown', message, { file: record.file, ...(record.place ? { place: record.place } : {}) }));
    return { record: { ...record, controls: resolved.controls }, diagnostics };
  };
}

/** How many finding shapes the mapper remembers before it starts over (memory stays bounded). */
const SHAPES = 50_000;

/** Everything the mapping of a check result depends on. */
function shapeOf(record: CheckRecord): string {
  const given = record.controls.map((m) => `${m.framework}\u0001${m.id}\u0001${m.source}\u0001${m.via ?? ''}`).join('\u0002');
  return `${record.format}\u0000${record.check}\u0000${record.category ?? ''}\u0000${(record.tags ?? []).join('\u0001')}\u0000${record.rawControls.join('\u0001')}\u0000${given}`;
}

/** Map a list of records at once (tests, small inputs). */
export function mapRecords(records: EvidenceRecord[], rules: MappingRule[], catalog: Catalog) {
  const mapRecord = createMapper(rules, catalog);
  const mapped = records.map(mapRecord);
  return { records: mapped.map((m) => m.record), diagnostics: mapped.flatMap((m) => m.diagnostics) };
}

const resolvedCache = new Map<DefaultRule, ControlRef[]>();
function resolvedDefaults(rule: DefaultRule, catalog: Catalog): ControlRef[] {
  let refs = resolvedCache.get(rule);
  if (!refs) {
    refs = rule.controls.flatMap((id) => {
      const r = resolveControlId(id, catalog);
      return r.ok ? r.refs : [];
    });
    resolvedCache.set(rule, refs);
  }
  return refs;
}

/** A rule's `format: native` matches every native container (native-json, native-csv, …). */
function formatMatches(wanted: string, actual: string): boolean {
  const w = wanted.toLowerCase();
  return actual === w || actual.startsWith(`${w}-`);
}

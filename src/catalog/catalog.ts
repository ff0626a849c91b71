import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ControlRef, FrameworkId } from '../model/types.js';
import { packageRoot } from '../util/package-root.js';

export interface CatalogControl {
  framework: FrameworkId;
  id: string;
  title: string;
  /** ISO theme or clause title; SOC 2 category. */
  group: string;
  kind: 'clause' | 'annex-a' | 'common-criteria' | 'additional-criteria';
  purpose?: string;
}

export interface Framework {
  id: FrameworkId;
  name: string;
  controls: CatalogControl[];
}

export interface Catalog {
  frameworks: Framework[];
  control(ref: ControlRef): CatalogControl | undefined;
  /** Crosswalk counterparts of a control in the other framework. */
  counterparts(ref: ControlRef): ControlRef[];
  /** ISO/IEC 27001:2013 Annex A id → its 2022 control ids. */
  edition2013: Map<string, string[]>;
}

/** A row of a crosswalk: the ISO/IEC 27001 controls that overlap one SOC 2 criterion. */
export interface CrosswalkRow {
  soc2: string;
  iso27001: string[];
  rationale?: string;
}

/** The SOC 2 ↔ ISO/IEC 27001 crosswalk a build maps with: legible's own, or one the config names. */
export interface Crosswalk {
  /** How the packs and the manifest name it. */
  name: string;
  /** The file it was read from, as the config names it, and where that is; none for the built-in one. */
  file?: string;
  path?: string;
  sha256: string;
  /** SOC 2 ↔ ISO pairs it holds. */
  pairs: number;
  /** Catalog ids, checked against the catalog. */
  mappings: CrosswalkRow[];
}

export const frameworkIds: readonly FrameworkId[] = ['iso27001-2022', 'soc2-2017'];

const keyOf = (ref: ControlRef): string => `${ref.framework}:${ref.id}`;

const dataPath = (name: string) => join(packageRoot(), 'src', 'catalog', 'data', name);

function readData<T>(name: string): T {
  return JSON.parse(readFileSync(dataPath(name), 'utf8')) as T;
}

export const countPairs = (rows: readonly CrosswalkRow[]): number => rows.reduce((n, r) => n + r.iso27001.length, 0);

let builtIn: Crosswalk | undefined;

/** legible's own crosswalk, src/catalog/data/crosswalk-soc2-iso27001.json. */
export function builtInCrosswalk(): Crosswalk {
  if (builtIn) return builtIn;
  const bytes = readFileSync(dataPath('crosswalk-soc2-iso27001.json'));
  const { mappings } = JSON.parse(bytes.toString('utf8')) as { mappings: CrosswalkRow[] };
  builtIn = { name: "legible's built-in SOC 2 ↔ ISO/IEC 27001:2022 crosswalk", sha256: createHash('sha256').update(bytes).digest('hex'), pairs: countPairs(mappings), mappings };
  return builtIn;
}

/** Each control's counterparts in the other framework, both ways. */
function counterpartsOf(rows: readonly CrosswalkRow[]): (ref: ControlRef) => ControlRef[] {
  const links = new Map<string, ControlRef[]>();
  const link = (from: ControlRef, to: ControlRef): void => {
    const list = links.get(keyOf(from)) ?? [];
    if (!list.some((r) => r.id === to.id)) list.push(to);
    links.set(keyOf(from), list);
  };
  for (const row of rows) {
    const soc2: ControlRef = { framework: 'soc2-2017', id: row.soc2 };
    for (const isoId of row.iso27001) {
      const iso: ControlRef = { framework: 'iso27001-2022', id: isoId };
      link(soc2, iso);
      link(iso, soc2);
    }
  }
  return (ref) => links.get(keyOf(ref)) ?? [];
}

/** The catalog with another crosswalk in place of the built-in one. */
export function withCrosswalk(catalog: Catalog, rows: readonly CrosswalkRow[]): Catalog {
  return { ...catalog, counterparts: counterpartsOf(rows) };
}

let cached: Catalog | undefined;

/** The built-in catalogs, read once from the data files in src/catalog/data. */
export function loadCatalog(): Catalog {
  if (cached) return cached;
  const frameworks = (['iso27001-2022.json', 'soc2-2017.json'] as const).map((file) => {
    const data = readData<{ framework: FrameworkId; name: string; controls: Omit<CatalogControl, 'framework'>[] }>(file);
    return {
      id: data.framework,
      name: data.name,
      controls: data.controls.map((c) => ({ ...c, framework: data.framework })),
    };
  });
  const byKey = new Map<string, CatalogControl>();
  for (const f of frameworks) for (const c of f.controls) byKey.set(keyOf(c), c);

  const edition = readData<{ mappings: Record<string, string[]> }>('iso27001-2013-to-2022.json');

  cached = {
    frameworks,
    control: (ref) => byKey.get(keyOf(ref)),
    counterparts: counterpartsOf(builtInCrosswalk().mappings),
    edition2013: new Map(Object.entries(edition.mappings)),
  };
  return cached;
}

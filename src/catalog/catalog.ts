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

export const frameworkIds: readonly FrameworkId[] = ['iso27001-2022', 'soc2-2017'];

const keyOf = (ref: ControlRef): string => `${ref.framework}:${ref.id}`;

function readData<T>(name: string): T {
  return JSON.parse(readFileSync(join(packageRoot(), 'src', 'catalog', 'data', name), 'utf8')) as T;
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

  const crosswalk = readData<{ mappings: { soc2: string; iso27001: string[] }[] }>('crosswalk-soc2-iso27001.json');
  const links = new Map<string, ControlRef[]>();
  const link = (from: ControlRef, to: ControlRef): void => {
    const list = links.get(keyOf(from)) ?? [];
    if (!list.some((r) => r.id === to.id)) list.push(to);
    links.set(keyOf(from), list);
  };
  for (const row of crosswalk.mappings) {
    const soc2: ControlRef = { framework: 'soc2-2017', id: row.soc2 };
    for (const isoId of row.iso27001) {
      const iso: ControlRef = { framework: 'iso27001-2022', id: isoId };
      link(soc2, iso);
      link(iso, soc2);
    }
  }
  const edition = readData<{ mappings: Record<string, string[]> }>('iso27001-2013-to-2022.json');

  cached = {
    frameworks,
    control: (ref) => byKey.get(keyOf(ref)),
    counterparts: (ref) => links.get(keyOf(ref)) ?? [],
    edition2013: new Map(Object.entries(edition.mappings)),
  };
  return cached;
}

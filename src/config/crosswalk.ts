/**
 * A crosswalk the auditor's firm owns: a file in the shape of legible's own
 * (src/catalog/data/crosswalk-soc2-iso27001.json) that the config names to replace it. Every id is
 * checked against the catalog, and every problem is placed in the file.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { countPairs, type Catalog, type Crosswalk, type CrosswalkRow } from '../catalog/catalog.js';
import { resolveControlId } from '../catalog/resolve.js';
import { diagnostic } from '../diagnostics/codes.js';
import type { Diagnostic, FrameworkId } from '../model/types.js';
import { parseLocated } from './yaml-place.js';

export const crosswalkFileSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().trim().min(1).optional().describe('How the packs and the manifest name this crosswalk (default: the file name)'),
    description: z.string().optional().describe('Where the crosswalk comes from and how to read it'),
    mappings: z
      .array(
        z
          .object({
            soc2: z.string().min(1).describe('A SOC 2 (2017) Trust Services Criterion, e.g. CC6.1'),
            iso27001: z.array(z.string().min(1)).describe('The ISO/IEC 27001:2022 clauses and Annex A controls that overlap it; empty when none does'),
            rationale: z.string().optional().describe('Why they overlap, and what one covers that the other does not'),
          })
          .strict(),
      )
      .describe('SOC 2 criteria and their ISO/IEC 27001 counterparts: evidence for one counts for the other where the evidence names only one framework'),
  })
  .strict();

/**
 * The crosswalk in `path`, checked against the catalog; `named` as the config names it (how the packs
 * name the file), `shown` as problems name it (from the working folder).
 */
export async function loadCrosswalk(path: string, { named, shown: file }: { named: string; shown: string }, catalog: Catalog): Promise<{ crosswalk?: Crosswalk; problems: Diagnostic[] }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    return { problems: [diagnostic('config/unreadable', `cannot read the crosswalk: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { file })] };
  }
  const located = parseLocated(bytes.toString('utf8'));
  if (!located.ok) return { problems: located.errors.map((e) => diagnostic('config/invalid', `crosswalk syntax: ${e.message}`, { file, place: e.place })) };
  const at = (path: PropertyKey[]) => {
    const place = located.placeOf(path);
    return { file, ...(place ? { place } : {}) };
  };
  const parsed = crosswalkFileSchema.safeParse(located.value);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => diagnostic('config/invalid', `crosswalk ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`, at(issue.path))) };
  }
  const problems: Diagnostic[] = [];
  const resolveIn = (framework: FrameworkId, id: string, path: PropertyKey[]): string[] => {
    const r = resolveControlId(id, catalog, framework);
    if (r.ok) return r.refs.map((ref) => ref.id);
    problems.push(diagnostic('control/unknown', `crosswalk ${path.join('.')}: ${r.message}`, at(path)));
    return [];
  };
  const mappings: CrosswalkRow[] = parsed.data.mappings.map((row, i) => ({
    soc2: resolveIn('soc2-2017', row.soc2, ['mappings', i, 'soc2'])[0] ?? row.soc2,
    iso27001: [...new Set(row.iso27001.flatMap((id, j) => resolveIn('iso27001-2022', id, ['mappings', i, 'iso27001', j])))],
    ...(row.rationale !== undefined ? { rationale: row.rationale } : {}),
  }));
  if (problems.length) return { problems };
  return {
    crosswalk: { name: parsed.data.name ?? named, file: named, path, sha256: createHash('sha256').update(bytes).digest('hex'), pairs: countPairs(mappings), mappings },
    problems,
  };
}

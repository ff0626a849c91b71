import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve, dirname } from 'node:path';
import picomatch from 'picomatch';
import { LineCounter, parseDocument } from 'yaml';
import type { ControlRef, Diagnostic } from '../model/types.js';
import { diagnostic } from '../diagnostics/codes.js';
import { loadCatalog, type Catalog } from '../catalog/catalog.js';
import { resolveControlId } from '../catalog/resolve.js';
import { packageRoot } from '../util/package-root.js';
import { durationDays, userConfigSchema } from './schema.js';
import { placeOfPath } from './yaml-place.js';

/** A mapping rule as data: what a parse worker is sent. */
export interface MappingSpec {
  format?: string;
  /** Glob on the check id. */
  check: string;
  controls: ControlRef[];
  /** Human description of the rule, shown where the mapping is cited. */
  label: string;
}

export interface MappingRule extends MappingSpec {
  matches: (checkId: string) => boolean;
}

export const compileMappingRule = (spec: MappingSpec): MappingRule => ({ ...spec, matches: picomatch(spec.check, { dot: true, nocase: true }) });

/** The data of a rule, without its compiled matcher. */
export const mappingSpec = ({ matches: _, ...spec }: MappingRule): MappingSpec => spec;

export interface Exclusion {
  justification: string;
}

/** The one configuration object passed down the pipeline. Time lives here, never read inside a rule. */
export interface ResolvedConfig {
  configFile?: string;
  evidenceDir: string;
  outDir: string;
  templatesDir: string;
  asOf: string;
  organization: string;
  scope: string;
  freshness: { checksDays: number; notesDays: number };
  mappings: MappingRule[];
  /** Keyed `framework:id`. */
  exclusions: Map<string, Exclusion>;
  maxFileBytes: number;
}

export interface ConfigOptions {
  evidence?: string;
  config?: string;
  out?: string;
  asOf?: string;
  templates?: string;
  cwd?: string;
}

export class ConfigError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
  }
}

/** Today as YYYY-MM-DD in UTC, honouring SOURCE_DATE_EPOCH for reproducible builds. */
export function defaultAsOf(env: NodeJS.ProcessEnv = process.env): string {
  const epoch = env.SOURCE_DATE_EPOCH;
  const when = epoch && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000) : new Date();
  return when.toISOString().slice(0, 10);
}

export function isValidDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

/** Read, validate and resolve the configuration; throws ConfigError with located diagnostics. */
export async function resolveConfig(options: ConfigOptions, catalog: Catalog = loadCatalog()): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const explicit = options.config !== undefined;
  const configPath = resolve(cwd, options.config ?? 'legible.config.yaml');
  const problems: Diagnostic[] = [];
  const file = options.config ?? 'legible.config.yaml';

  let raw: unknown = {};
  let placeOf: (path: PropertyKey[]) => Diagnostic['place'] = () => undefined;
  if (existsSync(configPath)) {
    let text: string;
    try {
      text = await readFile(configPath, 'utf8');
    } catch (error) {
      throw new ConfigError([diagnostic('config/unreadable', `cannot read the config: ${(error as Error).message}`, { file })]);
    }
    const lineCounter = new LineCounter();
    const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    if (doc.errors.length) {
      throw new ConfigError(
        doc.errors.map((e) => {
          const pos = lineCounter.linePos(e.pos[0]);
          return diagnostic('config/invalid', `YAML syntax: ${e.message.split('\n')[0]}`, {
            file,
            place: { line: pos.line, column: pos.col },
          });
        }),
      );
    }
    raw = doc.toJS() ?? {};
    placeOf = (path) => placeOfPath(doc, lineCounter, path);
  } else if (explicit) {
    throw new ConfigError([diagnostic('config/unreadable', 'config file not found', { file })]);
  }

  const parsed = userConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const place = placeOf(issue.path);
        return diagnostic('config/invalid', `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`, {
          file,
          ...(place ? { place } : {}),
        });
      }),
    );
  }
  const user = parsed.data;

  const resolveIds = (ids: string[], path: PropertyKey[]): ControlRef[] =>
    ids.flatMap((id, i) => {
      const r = resolveControlId(id, catalog);
      if (r.ok) return r.refs;
      const place = placeOf([...path, i]);
      problems.push(diagnostic('control/unknown', r.message, { file, ...(place ? { place } : {}) }));
      return [];
    });

  const mappings: MappingRule[] = user.mappings.map((rule, i) => {
    const controls = resolveIds(rule.controls, ['mappings', i, 'controls']);
    const format = rule.match.format;
    const label = `config rule ${i + 1} (${format ? `format ${format}, ` : ''}check ${rule.match.check})${rule.why ? `: ${rule.why}` : ''}`;
    return compileMappingRule({ ...(format ? { format } : {}), check: rule.match.check, controls, label });
  });

  const exclusions = new Map<string, Exclusion>();
  for (const [id, entry] of Object.entries(user.applicability)) {
    const [ref] = resolveIds([id], ['applicability', id]);
    if (ref && !entry.applicable) exclusions.set(`${ref.framework}:${ref.id}`, { justification: entry.justification });
  }

  const asOf = options.asOf ?? user.asOf ?? defaultAsOf();
  if (!isValidDate(asOf)) {
    problems.push(diagnostic('config/invalid', `--as-of ${asOf}: not a calendar date (YYYY-MM-DD)`));
  }
  if (problems.length) throw new ConfigError(problems);

  const base = existsSync(configPath) ? dirname(configPath) : cwd;
  const templates = options.templates ?? user.templates;
  return {
    ...(existsSync(configPath) ? { configFile: configPath } : {}),
    evidenceDir: resolve(cwd, options.evidence ?? 'evidence'),
    outDir: resolve(cwd, options.out ?? 'out'),
    templatesDir: templates
      ? isAbsolute(templates) ? templates : resolve(options.templates ? cwd : base, templates)
      : join(packageRoot(), 'templates'),
    asOf,
    organization: user.organization,
    scope: user.scope,
    freshness: { checksDays: durationDays(user.freshness.checks), notesDays: durationDays(user.freshness.notes) },
    mappings,
    exclusions,
    maxFileBytes: user.limits.maxFileBytes,
  };
}

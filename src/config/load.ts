import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, dirname, sep } from 'node:path';
import picomatch from 'picomatch';
import type { ControlRef, Diagnostic } from '../model/types.js';
import { diagnostic } from '../diagnostics/codes.js';
import { builtInCrosswalk, loadCatalog, type Catalog, type Crosswalk } from '../catalog/catalog.js';
import { resolveControlId } from '../catalog/resolve.js';
import { packageRoot } from '../util/package-root.js';
import { loadCrosswalk } from './crosswalk.js';
import { durationDays, userConfigSchema, type BoardTargets } from './schema.js';
import { parseLocated } from './yaml-place.js';

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

/** A span of calendar days, both ends included (YYYY-MM-DD). */
export interface Period {
  from: string;
  to: string;
}

/** Days to fix a finding, by severity. */
export interface RemediationSla {
  critical: number;
  high: number;
  medium: number;
  low: number;
}

/** Files whose tool records no target, named by a glob on their path. */
export interface TargetRule {
  match: string;
  target: string;
}

/** A security lake outside the evidence folder (config `lake`). */
export interface LakeSource {
  /** Its folder, absolute. */
  path: string;
  format: 'ocsf-parquet' | 'native-parquet';
}

/** The one configuration object passed down the pipeline. Time lives here, never read inside a rule. */
export interface ResolvedConfig {
  /** The configuration file read, and its SHA-256; none when the defaults are used. */
  configFile?: string;
  configSha256?: string;
  evidenceDir: string;
  outDir: string;
  templatesDir: string;
  asOf: string;
  /** The audit period, when one is given; the as-of date is then its end unless given too. */
  period?: Period;
  organization: string;
  scope: string;
  freshness: { checksDays: number; notesDays: number };
  remediation: RemediationSla;
  targets: TargetRule[];
  board: { targets: BoardTargets };
  mappings: MappingRule[];
  /** Keyed `framework:id`. */
  exclusions: Map<string, Exclusion>;
  /** The SOC 2 ↔ ISO/IEC 27001 crosswalk evidence is mapped through. */
  crosswalk: Crosswalk;
  /** Lakes read besides the evidence folder. */
  lake: LakeSource[];
  maxFileBytes: number;
}

export interface ConfigOptions {
  evidence?: string;
  config?: string;
  out?: string;
  asOf?: string;
  /** `FROM..TO`, as on the command line. */
  period?: string;
  templates?: string;
  cwd?: string;
}

export class ConfigError extends Error {
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map((d) => d.message).join('\n'));
  }
}

/** The files that configure a build rather than evidence it, wherever they lie (the evidence folder included). */
export const configurationFiles = (config: Pick<ResolvedConfig, 'configFile' | 'crosswalk'>): string[] =>
  [config.configFile, config.crosswalk.path].filter((path): path is string => path !== undefined);

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

/** What is wrong with a period, or undefined when it is one: two calendar days, the first not after the second. */
export function periodProblem(period: Period): string | undefined {
  for (const day of [period.from, period.to]) if (!isValidDate(day)) return `${day} is not a calendar date (YYYY-MM-DD)`;
  if (period.from > period.to) return `it ends (${period.to}) before it starts (${period.from})`;
  return undefined;
}

/** `2026-01-01..2026-06-30` as a period, or what is wrong with it. */
export function parsePeriod(text: string): Period | string {
  const m = /^\s*(\S+)\s*\.\.\s*(\S+)\s*$/.exec(text);
  if (!m) return 'expected FROM..TO, e.g. 2026-01-01..2026-06-30';
  const period = { from: m[1]!, to: m[2]! };
  return periodProblem(period) ?? period;
}

export const CONFIG_NAME = 'legible.config.yaml';

/** A path as the user would type it from `cwd`. */
const shownFrom = (cwd: string, path: string): string => {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : path;
};

/**
 * Where the configuration is: --config; else legible.config.yaml in the working folder; else the one in
 * the evidence folder, which travels with the evidence. Two different ones is a usage error: which was
 * meant cannot be guessed.
 */
function locateConfig(options: ConfigOptions, cwd: string, evidenceDir: string): { path: string; file: string } | undefined {
  if (options.config !== undefined) return { path: resolve(cwd, options.config), file: options.config };
  const found = [resolve(cwd, CONFIG_NAME), join(evidenceDir, CONFIG_NAME)].filter((path) => existsSync(path));
  const [first, second] = found;
  if (first && second && realpathSync(first) !== realpathSync(second)) {
    throw new ConfigError([
      diagnostic('config/ambiguous', `two configurations: ${shownFrom(cwd, first)} and ${shownFrom(cwd, second)} in the evidence folder`, {
        file: shownFrom(cwd, second),
        hint: 'remove one, or name the one to use with --config',
      }),
    ]);
  }
  return first ? { path: first, file: shownFrom(cwd, first) } : undefined;
}

/** Read, validate and resolve the configuration; throws ConfigError with located diagnostics. */
export async function resolveConfig(options: ConfigOptions, catalog: Catalog = loadCatalog()): Promise<ResolvedConfig> {
  const cwd = options.cwd ?? process.cwd();
  const evidenceDir = resolve(cwd, options.evidence ?? 'evidence');
  const located = locateConfig(options, cwd, evidenceDir);
  const problems: Diagnostic[] = [];
  const file = located?.file ?? CONFIG_NAME;

  let raw: unknown = {};
  let placeOf: (path: PropertyKey[]) => Diagnostic['place'] = () => undefined;
  let configSha256: string | undefined;
  if (located && !existsSync(located.path)) throw new ConfigError([diagnostic('config/unreadable', 'config file not found', { file })]);
  if (located) {
    let bytes: Buffer;
    try {
      bytes = await readFile(located.path);
    } catch (error) {
      throw new ConfigError([diagnostic('config/unreadable', `cannot read the config: ${(error as Error).message}`, { file })]);
    }
    configSha256 = createHash('sha256').update(bytes).digest('hex');
    const document = parseLocated(bytes.toString('utf8'));
    if (!document.ok) {
      throw new ConfigError(document.errors.map((e) => diagnostic('config/invalid', `YAML syntax: ${e.message}`, { file, place: e.place })));
    }
    raw = document.value;
    placeOf = document.placeOf;
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

  let period: Period | undefined;
  if (options.period !== undefined) {
    const parsedPeriod = parsePeriod(options.period);
    if (typeof parsedPeriod === 'string') problems.push(diagnostic('config/invalid', `--period ${options.period}: ${parsedPeriod}`));
    else period = parsedPeriod;
  } else if (user.period) {
    const problem = periodProblem(user.period);
    const place = placeOf(['period']);
    if (problem) problems.push(diagnostic('config/invalid', `period: ${problem}`, { file, ...(place ? { place } : {}) }));
    else period = user.period;
  }
  const asOf = options.asOf ?? user.asOf ?? period?.to ?? defaultAsOf();
  if (!isValidDate(asOf)) {
    problems.push(diagnostic('config/invalid', `--as-of ${asOf}: not a calendar date (YYYY-MM-DD)`));
  } else if (period && asOf < period.to) {
    problems.push(diagnostic('config/invalid', `the as-of date ${asOf} is before the period's end ${period.to}: evidence after it would be set aside`, { hint: 'leave --as-of out to evaluate as of the period\'s end' }));
  }
  const base = located ? dirname(located.path) : cwd;
  let crosswalk = builtInCrosswalk();
  if (user.crosswalk !== undefined) {
    const path = resolve(base, user.crosswalk);
    const loaded = await loadCrosswalk(path, { named: user.crosswalk, shown: shownFrom(cwd, path) }, catalog);
    problems.push(...loaded.problems);
    if (loaded.crosswalk) crosswalk = loaded.crosswalk;
  }
  const lake = user.lake.flatMap((entry, i): LakeSource[] => {
    const path = resolve(base, entry.path);
    if (existsSync(path) && statSync(path).isDirectory()) return [{ path, format: entry.format }];
    const place = placeOf(['lake', i, 'path']);
    problems.push(diagnostic('config/invalid', `lake.${i}.path: ${shownFrom(cwd, path)} is not a folder`, { file, ...(place ? { place } : {}) }));
    return [];
  });
  if (problems.length) throw new ConfigError(problems);

  const templates = options.templates ?? user.templates;
  return {
    ...(located && configSha256 !== undefined ? { configFile: located.path, configSha256 } : {}),
    evidenceDir,
    outDir: resolve(cwd, options.out ?? 'out'),
    templatesDir: templates
      ? isAbsolute(templates) ? templates : resolve(options.templates ? cwd : base, templates)
      : join(packageRoot(), 'templates'),
    asOf,
    ...(period ? { period } : {}),
    organization: user.organization,
    scope: user.scope,
    freshness: { checksDays: durationDays(user.freshness.checks), notesDays: durationDays(user.freshness.notes) },
    remediation: {
      critical: durationDays(user.remediation.critical),
      high: durationDays(user.remediation.high),
      medium: durationDays(user.remediation.medium),
      low: durationDays(user.remediation.low),
    },
    targets: user.targets,
    board: user.board,
    mappings,
    exclusions,
    crosswalk,
    lake,
    maxFileBytes: user.limits.maxFileBytes,
  };
}

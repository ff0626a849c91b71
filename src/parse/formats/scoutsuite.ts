/**
 * ScoutSuite results: the `scoutsuite_results = {…}` JavaScript file its HTML report loads
 * (`scoutsuite-results/scoutsuite_results_*.js`). One record per rule (`services.*.findings.*`):
 * fail when it flagged items, pass when it checked items and flagged none, skip when the account
 * had nothing for it to check.
 */
import type { CheckStatus, FindingSeverity } from '../../model/types.js';
import type { Parser } from '../parser.js';
import { frameworkMappings } from './audit-common.js';
import { clip, cloudTarget, instant, isObject, pointerOf, readJson, RecordEmitter, schemaError, scopeOf, text, textList, type JsonObject, type RecordFields } from './common.js';

/** The assignment in front of the JSON (and a closing semicolon some versions add). */
const assignment = /^\s*(?:(?:var|let|const)\s+)?scoutsuite_results\s*=/;
const levels: Record<string, FindingSeverity> = { danger: 'high', warning: 'medium' };
const SHOWN_ITEMS = 3;

interface RunContext {
  file: string;
  resource: string | undefined;
  target: string | undefined;
  scope: string;
  observedAt: string | undefined;
  toolVersion: string | undefined;
}

/**
 * The JSON after the assignment. The assignment is blanked out rather than cut, so the line and
 * column of a syntax error are those of the file.
 */
const blankAssignment = (content: string) => content.replace(new RegExp(`${assignment.source}|;\\s*$`, 'g'), (m) => m.replace(/[^\n]/g, ' '));

function statusOf(checked: number, flagged: number): CheckStatus {
  if (flagged > 0) return 'fail';
  return checked > 0 ? 'pass' : 'skip';
}

function messageOf(status: CheckStatus, checked: number, flagged: number, items: string[]): string {
  if (status === 'skip') return 'no items to check';
  if (status === 'pass') return `none of ${checked} items flagged`;
  const shown = items.slice(0, SHOWN_ITEMS).join(', ');
  const more = items.length > SHOWN_ITEMS ? ` (and ${items.length - SHOWN_ITEMS} more)` : '';
  return clip(`${flagged} of ${checked} items flagged${shown ? `: ${shown}${more}` : ''}`)!;
}

/** Benchmarks a rule belongs to, as tags: `CIS Amazon Web Services Foundations 1.2.0: 2.4`. */
function complianceEntries(compliance: unknown): { tags: string[]; byName: [string, unknown][] } {
  const entries = Array.isArray(compliance) ? compliance.filter(isObject) : [];
  const tags = entries.flatMap((c) => {
    const name = text(c.name);
    const reference = text(c.reference);
    return name && reference ? [`${name}${text(c.version) ? ` ${text(c.version)}` : ''}: ${reference}`] : [];
  });
  return { tags: [...new Set(tags)], byName: entries.map((c) => [text(c.name) ?? '', c.reference]) };
}

/**
 * The account ScoutSuite scanned: an AWS account, a GCP project (or folder, or organization), an
 * Azure tenant (its account_id for Azure; "undefined" when it could not tell).
 */
function targetOf(data: JsonObject): string | undefined {
  const provider = text(data.provider_code);
  if (provider === 'gcp') {
    const gcp = ['project', 'folder', 'organization'].map((kind) => cloudTarget(provider, data[`${kind}_id`], undefined, kind));
    return gcp.find((t) => t !== undefined);
  }
  const account = text(data.account_id);
  return account === 'undefined' ? undefined : cloudTarget(provider, account, undefined, provider === 'azure' ? 'tenant' : undefined);
}

/** The ruleset run, and the services and regions it was limited to: a narrower run never closes what a wider one found. */
function scopeOfRun(lastRun: JsonObject): string {
  const parameters = isObject(lastRun.run_parameters) ? lastRun.run_parameters : {};
  const limits = ['services', 'skipped_services', 'regions', 'excluded_regions'].flatMap((key) => {
    const values = textList(parameters[key]).sort();
    return values.length ? [`${key}=${values.join('+')}`] : [];
  });
  return scopeOf('scoutsuite', text(lastRun.ruleset_name), ...limits);
}

function ruleRecord(service: string, key: string, rule: unknown, at: RunContext, pointer: string): RecordFields | string {
  if (!isObject(rule)) return 'the rule is not an object';
  const checked = rule.checked_items ?? 0;
  const flagged = rule.flagged_items ?? 0;
  if (typeof checked !== 'number' || typeof flagged !== 'number') return 'checked_items and flagged_items must be numbers';
  const status = statusOf(checked, flagged);
  const { tags, byName } = complianceEntries(rule.compliance);
  return {
    format: 'scoutsuite',
    file: at.file,
    place: { pointer },
    check: `scoutsuite:${service}.${key}`,
    title: text(rule.description),
    status,
    observedAt: at.observedAt,
    resource: at.resource,
    target: at.target,
    scope: at.scope,
    severity: levels[String(rule.level)],
    message: messageOf(status, checked, flagged, textList(rule.items)),
    tool: 'scoutsuite',
    toolVersion: at.toolVersion,
    category: 'misconfiguration',
    tags,
    controls: frameworkMappings(byName, (name) => `ScoutSuite compliance ${name}`),
  };
}

export const scoutsuiteParser: Parser = {
  name: 'scoutsuite',
  label: 'ScoutSuite results (scoutsuite_results.js)',
  detect(source) {
    return !source.binary && assignment.test(source.head.replace(/^\uFEFF/, '')) ? 0.98 : 0;
  },
  async parse(source, sink) {
    const file = source.file.path;
    const read = await readJson(source, sink, blankAssignment);
    if ('rejected' in read) return read.rejected;
    const data = read.data;
    if (!isObject(data) || !isObject(data.services)) return schemaError(sink, file, '/services', 'expected an object with a "services" map');
    const lastRun: JsonObject = isObject(data.last_run) ? data.last_run : {};
    const resource = text(data.account_id) ?? text(data.project_id) ?? text(data.subscription_id) ?? text(data.organization_id);
    const at: RunContext = { file, resource, target: targetOf(data), scope: scopeOfRun(lastRun), observedAt: instant(lastRun.time), toolVersion: text(lastRun.version) };

    const out = new RecordEmitter(sink, file);
    for (const [service, body] of Object.entries(data.services)) {
      const findings = isObject(body) ? body.findings : undefined;
      if (findings === undefined) continue;
      const servicePointer = pointerOf(['services', service, 'findings']);
      if (!isObject(findings)) return schemaError(sink, file, servicePointer, `expected the findings of service "${service}" to be a map of rules`);
      for (const [key, rule] of Object.entries(findings)) {
        const pointer = pointerOf(['services', service, 'findings', key]);
        out.push(ruleRecord(service, key, rule, at, pointer), { pointer }, 'rule');
      }
    }
    return out.finish();
  },
};

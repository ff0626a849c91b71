/**
 * Chef InSpec JSON reports and MITRE Heimdall Data Format (HDF), which is InSpec's JSON extended
 * by hdf-converters: `profiles[].controls[].results[]`. Also InSpec's one-control-per-line JSON
 * Lines export (each line a control with its `profile` and `platform`).
 *
 * A record is one control, not one test result: a control is what the profile author states as a
 * requirement (with impact, title and tags), and its results are the tests that together decide
 * it. The status follows InSpec's own rule: failed if any result failed, error if any errored,
 * skipped if all were skipped, passed otherwise. A control with no results was not tested at all
 * (HDF "not reviewed"), so it is `manual`. Reports are streamed control by control.
 */
import type { CheckStatus, FindingSeverity, Place } from '../../model/types.js';
import type { Parser, ParseResult, ParseSink, Source } from '../parser.js';
import { frameworkMappings, nistTag } from './audit-common.js';
import {
  classifier,
  clip,
  get,
  InOrder,
  instant,
  isObject,
  list,
  newest,
  pointerOf,
  RecordEmitter,
  scopeOf,
  streamDocument,
  targets,
  text,
  textList,
  type JsonObject,
  type RecordFields,
} from './common.js';

type Format = 'inspec' | 'hdf';

/** What every control of one profile shares. */
interface ProfileContext {
  file: string;
  format: Format;
  tool: string;
  toolVersion?: string;
  /** The resource of controls that name none: what the profile ran against, or the profile. */
  resource?: string;
  /** The machine or platform the profile ran against, when the report names it. */
  target?: string;
  /** The profile run: another profile checks other things, and never closes this one's controls. */
  scope: string;
}

/** InSpec's impact scale (0–1) in the severity words Heimdall uses for it. */
export function severityFromImpact(impact: unknown): FindingSeverity | undefined {
  if (typeof impact !== 'number' || Number.isNaN(impact)) return undefined;
  if (impact >= 0.9) return 'critical';
  if (impact >= 0.7) return 'high';
  if (impact >= 0.4) return 'medium';
  if (impact > 0) return 'low';
  return 'info';
}

function controlStatus(statuses: string[]): CheckStatus {
  if (statuses.length === 0) return 'manual';
  if (statuses.includes('failed')) return 'fail';
  if (statuses.includes('error')) return 'error';
  if (statuses.every((s) => s === 'skipped')) return 'skip';
  return 'pass';
}

/** The result status that explains a control status. */
const explaining: Partial<Record<CheckStatus, string>> = { fail: 'failed', error: 'error', skip: 'skipped' };

function cisControlTags(value: unknown): string[] {
  // Older profiles list ids ("4.8"); newer ones group them by version ({ "8": ["3.4"] }).
  const items = Array.isArray(value) ? value : [value];
  return items.flatMap((item) =>
    isObject(item)
      ? Object.entries(item).flatMap(([version, ids]) => textList(ids).map((id) => `CIS-Controls-v${version.replace(/^v/i, '')}-${id}`))
      : textList(item).map((id) => `CIS-Controls-${id}`),
  );
}

function tagsOf(tags: JsonObject): string[] {
  const cwe = textList(tags.cwe)
    .map((s) => classifier(/^\d+$/.test(s) ? `CWE-${s}` : s))
    .filter((t) => t?.startsWith('CWE-'));
  const out = [...textList(tags.nist).map(nistTag), ...cisControlTags(tags.cis_controls), ...cwe];
  return [...new Set(out.filter((t): t is string => t !== undefined))];
}

/** One control as a record, or the reason it cannot be one. */
function controlRecord(control: unknown, at: ProfileContext, place: Place): RecordFields | string {
  if (!isObject(control)) return 'the control is not an object';
  const rawId = text(control.id);
  if (!rawId) return 'the control has no id';
  if (control.results != null && !Array.isArray(control.results)) return 'the control results are not a list';
  const results = ((control.results ?? []) as unknown[]).filter(isObject);
  const tags = isObject(control.tags) ? control.tags : isObject(control.control_tags) ? control.control_tags : {};

  // hdf-converters make one control per rule and resource, with id "RULE\nresource".
  const [check = rawId, ...idRest] = rawId.split('\n').map((s) => s.trim());
  const status = controlStatus(results.map((r) => String(r.status ?? '')));
  const explained = results.filter((r) => r.status === explaining[status]);
  const first = explained[0];
  let message = first ? clip(first.message ?? first.skip_message ?? first.exception ?? first.code_desc) : status === 'manual' ? 'the control has no test results (not reviewed)' : undefined;
  if (message && status === 'fail' && explained.length > 1) message = `${message} (and ${explained.length - 1} more failed test${explained.length > 2 ? 's' : ''})`;
  const observedAt = results.reduce<string | undefined>((acc, r) => newest(acc, instant(r.start_time)), undefined);
  const viaName = at.format === 'hdf' ? 'HDF' : 'InSpec';

  return {
    format: at.format,
    file: at.file,
    place,
    check,
    title: text(control.title) ?? clip(results[0]?.code_desc),
    status,
    observedAt,
    resource: text(tags.resource) ?? text(idRest.join(' ')) ?? at.resource,
    target: at.target,
    scope: at.scope,
    severity: severityFromImpact(control.impact),
    message,
    tool: at.tool,
    toolVersion: at.toolVersion,
    category: 'compliance',
    tags: tagsOf(tags),
    controls: frameworkMappings(Object.entries(tags), (key) => `${viaName} tag ${key}`),
  };
}

/** hdf-converters mark their output with this platform name; the profile then names the tool. */
const CONVERTER_PLATFORM = 'Heimdall Tools';

const isConverted = (document: unknown) => text(get(document, 'platform', 'name')) === CONVERTER_PLATFORM;

/** The target_id InSpec derives from an empty machine id (a UUID v5 of ""): it names no machine, and every such machine has it. */
const NO_MACHINE = 'da39a3ee-5e6b-5b0d-b255-bfef95601890';

function profileContext(file: string, format: Format, document: JsonObject, profile: JsonObject): ProfileContext {
  const platform = isObject(document.platform) ? document.platform : {};
  const profileName = text(profile.name);
  const converted = isConverted(document);
  const tool = converted ? (profileName?.toLowerCase() ?? 'hdf') : 'inspec';
  const targetId = text(platform.target_id);
  // A converter's target_id is often only the tool's name again, not what was scanned.
  const scanned = converted ? (targetId?.toLowerCase() !== tool ? targetId : undefined) : targetId;
  const resource = converted ? scanned : (targetId ?? profileName);
  const target = scanned === NO_MACHINE ? undefined : scanned;
  const toolVersion = converted ? text(profile.version) : text(document.version);
  return {
    file,
    format,
    tool,
    ...(toolVersion ? { toolVersion } : {}),
    ...(resource ? { resource } : {}),
    ...(target ? { target } : {}),
    scope: scopeOf(format, profileName),
  };
}

async function parseDocument(source: Source, sink: ParseSink, format: Format): Promise<ParseResult> {
  const file = source.file.path;
  const out = new RecordEmitter(sink, file);
  const profiles = new InOrder<ProfileContext>((p, document) => {
    const profile = list(get(document, 'profiles'))[p];
    return isObject(document) && isObject(profile) ? profileContext(file, format, document, profile) : undefined;
  });
  const read = await streamDocument(source, sink, {
    isTarget: targets('profiles/*/controls'),
    // InSpec writes its own version last: its reports are read in two passes (converted ones name
    // their tool's version in the profile, before the controls).
    ready: (_path, context) => isConverted(context()) || get(context(), 'version') !== undefined,
    onElement: (control, path, document) => {
      const at = profiles.at(path[1] as number, document());
      const place = { pointer: pointerOf(path) };
      if (at) out.push(controlRecord(control, at, place), place, 'control');
    },
    schema: (document) => {
      if (!isObject(document) || !Array.isArray(document.profiles)) return { pointer: '/profiles', message: 'expected an object with a "profiles" list' };
      const bad = document.profiles.findIndex((profile) => !isObject(profile) || !Array.isArray(profile.controls));
      return bad === -1 ? undefined : { pointer: `/profiles/${bad}/controls`, message: 'expected each profile to have a "controls" list' };
    },
  });
  return 'rejected' in read ? read.rejected : out.finish();
}

/** The JSON Lines export: one control per line, each carrying its own profile and platform. */
async function parseLines(source: Source, sink: ParseSink): Promise<ParseResult> {
  const file = source.file.path;
  const out = new RecordEmitter(sink, file);
  for await (const { line, text: lineText } of source.lines()) {
    if (!lineText.trim()) continue;
    const place = { line };
    let control: unknown;
    try {
      control = JSON.parse(lineText);
    } catch {
      // A truncated export loses its last line, not the controls before it.
      out.skip('control skipped: the line is not valid JSON', place, 'format/syntax');
      continue;
    }
    const document = isObject(control) ? { platform: control.platform } : {};
    const profile = isObject(control) && isObject(control.profile) ? control.profile : {};
    out.push(controlRecord(control, profileContext(file, 'inspec', document, profile), place), place, 'control');
  }
  return out.finish();
}

/** Is the first line a whole control (the JSON Lines export) rather than the start of a report? */
function firstLineIsControl(head: string): boolean {
  const first = head.replace(/^\uFEFF/, '').trimStart().split('\n', 1)[0] ?? '';
  try {
    const value: unknown = JSON.parse(first);
    return isObject(value) && Array.isArray(value.results) && text(value.id) !== undefined && !('profiles' in value);
  } catch {
    return false;
  }
}

/** InSpec's reporter writes `platform` and `profiles` first; HDF keeps that shape. */
function isReport(head: string): boolean {
  return /^\uFEFF?\s*\{/.test(head) && /"profiles"\s*:\s*\[/.test(head) && /"platform"\s*:\s*\{/.test(head);
}

const converterMark = new RegExp(`"name"\\s*:\\s*"${CONVERTER_PLATFORM}"`);

export const inspecParser: Parser = {
  name: 'inspec',
  label: 'Chef InSpec JSON report',
  detect(source) {
    if (source.binary) return 0;
    if (isReport(source.head)) return converterMark.test(source.head) ? 0 : 0.95;
    // The JSON Lines export: a whole control, with impact, results and its profile, on line one.
    return /"impact"\s*:/.test(source.head) && /"profile"\s*:\s*\{/.test(source.head) && firstLineIsControl(source.head) ? 0.9 : 0;
  },
  parse(source, sink) {
    return firstLineIsControl(source.head) ? parseLines(source, sink) : parseDocument(source, sink, 'inspec');
  },
};

export const hdfParser: Parser = {
  name: 'hdf',
  label: 'MITRE Heimdall Data Format (HDF) from hdf-converters',
  detect(source) {
    return !source.binary && isReport(source.head) && converterMark.test(source.head) ? 0.96 : 0;
  },
  parse(source, sink) {
    return parseDocument(source, sink, 'hdf');
  },
};

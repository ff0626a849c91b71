import { z } from 'zod';
import type { RatedSeverity } from '../model/evaluation.js';
import type { CheckCategory, FindingSeverity } from '../model/types.js';

/**
 * Which findings of a question's controls speak to it. A control such as A.8.5 (secure authentication)
 * holds every kind of authentication evidence; "Is MFA enforced on all email access?" is answered by the
 * identity provider's and the mailboxes' checks, not by an AWS user's. A question lists groups of
 * findings, each with the words a gap in it is told in.
 */

const categories = ['vulnerability', 'misconfiguration', 'secret', 'code', 'test', 'compliance', 'detection'] as const satisfies readonly CheckCategory[];
export const ratedSeverities = ['critical', 'high', 'medium', 'low'] as const satisfies readonly RatedSeverity[];

const patterns = z.array(z.string().trim().min(1)).min(1);

export const evidenceGroupSchema = z
  .object({
    /** What a passing check of this group shows, as a plural noun phrase: "identity-provider sign-in policies requiring MFA". */
    about: z.string().trim().min(1),
    /** A failing one, after its count: { one: "mailbox has no MFA", other: "mailboxes have no MFA" }. */
    gap: z.object({ one: z.string().trim().min(1), other: z.string().trim().min(1) }).strict(),
    /** Globs on the check id (case-insensitive), e.g. "okta.mfa-*". */
    checks: patterns.optional(),
    /** Globs on the resource, e.g. "arn:aws:iam::*:user/*", "*mailbox*". */
    resources: patterns.optional(),
    /** The tool that reported the finding (globs, case-insensitive). */
    tools: patterns.optional(),
    /** Classifiers the tool gave (CWE-798, CIS 1.4, …); any one of them matching is enough. */
    tags: patterns.optional(),
    categories: z.array(z.enum(categories)).min(1).optional(),
    /** Failing findings rated otherwise (lower, or info) are outside what is asked; unrated ones count. Passes are not filtered. */
    severities: z.array(z.enum(ratedSeverities)).min(1).optional(),
  })
  .strict()
  .refine((g) => g.checks || g.resources || g.tools || g.tags || g.categories, 'a group selects by at least one of checks, resources, tools, tags or categories');

export type EvidenceGroup = z.infer<typeof evidenceGroupSchema>;

/** A finding as a selection sees it; what the evaluation does not record about it is absent. */
export interface SelectableFinding {
  check: string;
  resource?: string;
  severity?: FindingSeverity;
  tool?: string;
  tags?: string[];
  category?: CheckCategory;
}

/** Selected, outside the selection, or undecidable (the finding lacks a field the group selects by). */
export type Match = 'selected' | 'outside' | 'unknown';

interface CompiledGroup {
  group: EvidenceGroup;
  /** Each field the group selects by: its value on a finding (undefined: not recorded), and whether that value matches. */
  tests: { value: (f: SelectableFinding) => string | string[] | undefined; matches: (value: string) => boolean }[];
}

/** Text as a literal inside a regular expression. */
export const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/**
 * Globs on ids and resources, not paths: `*` is any run of characters (slashes and colons too, so that
 * `*mailbox*` finds `gws:mailbox/ops@…`), `?` any one; case does not matter. Any pattern of the list may match.
 */
function glob(list: string[]): (value: string) => boolean {
  const body = list.map((p) => p.split('*').map((part) => part.split('?').map(escapeRegExp).join('.')).join('.*')).join('|');
  const re = new RegExp(`^(?:${body})$`, 'is');
  return (value) => re.test(value);
}

function compile(group: EvidenceGroup): CompiledGroup {
  const tests: CompiledGroup['tests'] = [];
  if (group.checks) tests.push({ value: (f) => f.check, matches: glob(group.checks) });
  if (group.resources) tests.push({ value: (f) => f.resource, matches: glob(group.resources) });
  if (group.tools) tests.push({ value: (f) => f.tool, matches: glob(group.tools) });
  if (group.tags) tests.push({ value: (f) => f.tags, matches: glob(group.tags) });
  if (group.categories) {
    const wanted = new Set<string>(group.categories);
    tests.push({ value: (f) => f.category, matches: (c) => wanted.has(c) });
  }
  return { group, tests };
}

/** One group: every field it names must match (any of its patterns); a field the finding does not carry leaves it undecided. */
function matchGroup({ tests }: CompiledGroup, finding: SelectableFinding): Match {
  let unknown = false;
  for (const { value, matches } of tests) {
    const v = value(finding);
    if (v === undefined) unknown = true;
    else if (!(Array.isArray(v) ? v.some(matches) : matches(v))) return 'outside';
  }
  return unknown ? 'unknown' : 'selected';
}

export interface Selection {
  groups: readonly EvidenceGroup[];
  /** The first group that certainly selects the finding (its index), or why none does. */
  match(finding: SelectableFinding): { match: 'selected'; group: number } | { match: 'outside' | 'unknown' };
}

const compiled = new WeakMap<readonly EvidenceGroup[], Selection>();

/** The selection of a question's groups, compiled once per question. */
export function selectionOf(groups: readonly EvidenceGroup[]): Selection {
  let selection = compiled.get(groups);
  if (!selection) {
    const parts = groups.map(compile);
    selection = {
      groups,
      match(finding) {
        let unknown = false;
        for (const [group, part] of parts.entries()) {
          const m = matchGroup(part, finding);
          if (m === 'selected') return { match: 'selected', group };
          if (m === 'unknown') unknown = true;
        }
        return { match: unknown ? 'unknown' : 'outside' };
      },
    };
    compiled.set(groups, selection);
  }
  return selection;
}

/** The group as the method section shows it: what it is about and what it selects by. */
export function describeGroup(group: EvidenceGroup): string {
  const fields = [
    group.checks && `checks ${group.checks.join(', ')}`,
    group.resources && `resources ${group.resources.join(', ')}`,
    group.tools && `tools ${group.tools.join(', ')}`,
    group.tags && `tags ${group.tags.join(', ')}`,
    group.categories && `categories ${group.categories.join(', ')}`,
  ].filter(Boolean);
  return `${group.about}: ${fields.join(' and ')}${group.severities ? ` (failing findings count when rated ${group.severities.join(' or ')}, or unrated)` : ''}`;
}

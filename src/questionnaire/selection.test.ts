import { describe, expect, it } from 'vitest';
import { describeGroup, evidenceGroupSchema, selectionOf, type EvidenceGroup, type SelectableFinding } from './selection.js';

const gap = { one: 'x fails', other: 'xs fail' };
const group = (over: Partial<EvidenceGroup>): EvidenceGroup => ({ about: 'things', gap, ...over });

describe('a selection picks the findings that speak to a question', () => {
  it.each<[string, EvidenceGroup, SelectableFinding, string]>([
    ['a check glob, in any case', group({ checks: ['okta.mfa*'] }), { check: 'OKTA.MFA-required' }, 'selected'],
    ['another check', group({ checks: ['okta.mfa*'] }), { check: 'iam.mfa-enforced' }, 'outside'],
    ['`*` crosses slashes and colons in a resource', group({ resources: ['*mailbox*'] }), { check: 'c', resource: 'gws:mailbox/shared-ops@fjordline.no' }, 'selected'],
    ['an ARN pattern', group({ resources: ['arn:aws:iam::*:user/*'] }), { check: 'c', resource: 'arn:aws:iam::111122223333:user/breakglass-admin' }, 'selected'],
    ['an ARN pattern against a role', group({ resources: ['arn:aws:iam::*:user/*'] }), { check: 'c', resource: 'arn:aws:iam::111122223333:role/admin' }, 'outside'],
    ['every field must match', group({ checks: ['*mfa*'], resources: ['*mailbox*'] }), { check: 'iam.mfa-enforced', resource: 'arn:aws:iam::1:user/a' }, 'outside'],
    ['a resource the finding does not name leaves it undecided', group({ checks: ['*mfa*'], resources: ['*mailbox*'] }), { check: 'iam.mfa-enforced' }, 'unknown'],
    ['a known mismatch decides even when another field is unknown', group({ checks: ['okta.*'], resources: ['*mailbox*'] }), { check: 'iam.mfa-enforced' }, 'outside'],
    ['a tool the evaluation does not record', group({ tools: ['trivy'] }), { check: 'CVE-2025-1' }, 'unknown'],
    ['a tool it does', group({ tools: ['trivy'] }), { check: 'CVE-2025-1', tool: 'Trivy' }, 'selected'],
    ['any one tag', group({ tags: ['CWE-798', 'CWE-259'] }), { check: 'r', tags: ['OWASP A07', 'cwe-259'] }, 'selected'],
    ['no matching tag', group({ tags: ['CWE-798'] }), { check: 'r', tags: ['CWE-79'] }, 'outside'],
    ['a category', group({ categories: ['vulnerability'] }), { check: 'r', category: 'misconfiguration' }, 'outside'],
    ['regex characters are literal', group({ checks: ['a.b(1)+'] }), { check: 'a.b(1)+' }, 'selected'],
    ['`?` is one character', group({ checks: ['CKV_AWS_?'] }), { check: 'CKV_AWS_12' }, 'outside'],
  ])('%s', (_case, g, finding, expected) => {
    expect(selectionOf([g]).match(finding).match).toBe(expected);
  });

  it('gives a finding to the first group that selects it; an undecided group does not stop a later one', () => {
    const groups = [group({ checks: ['*mfa*'], resources: ['*mailbox*'] }), group({ checks: ['iam.*'] }), group({ checks: ['iam.mfa-*'] })];
    expect(selectionOf(groups).match({ check: 'iam.mfa-enforced' })).toEqual({ match: 'selected', group: 1 });
    expect(selectionOf(groups).match({ check: 'gws.2sv', resource: 'gws:mailbox/a' })).toEqual({ match: 'outside' });
  });

  it('checks its data: a group must select by something, and says what it is about', () => {
    expect(evidenceGroupSchema.safeParse({ about: 'a', gap }).success).toBe(false);
    expect(evidenceGroupSchema.safeParse({ about: 'a', gap, checks: [] }).success).toBe(false);
    expect(evidenceGroupSchema.safeParse({ about: 'a', gap, categories: ['bug'] }).success).toBe(false);
    expect(evidenceGroupSchema.safeParse({ about: 'a', gap, checks: ['x'], severity: ['high'] }).success).toBe(false);
    expect(evidenceGroupSchema.safeParse({ about: 'a', gap, checks: ['x'], severities: ['high'] }).success).toBe(true);
    expect(describeGroup(group({ checks: ['CVE-*'], resources: ['ecr:*'], severities: ['critical', 'high'] }))).toBe(
      'things: checks CVE-* and resources ecr:* (failing findings count when rated critical or high, or unrated)',
    );
  });
});

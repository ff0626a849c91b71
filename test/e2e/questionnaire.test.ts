import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { beforeAll, describe, expect, it } from 'vitest';
import { legible, pdfPlain, root } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/** The insurer's questionnaire of the demo company, as of its date and over an audit period ending then. */
const builds = {
  asOf: ['--as-of', '2026-11-23'],
  period: ['--as-of', '2026-11-23', '--period', '2026-06-01..2026-11-23'],
} as const;
type Build = keyof typeof builds;
const out = {} as Record<Build, string>;

beforeAll(async () => {
  for (const build of Object.keys(builds) as Build[]) {
    out[build] = tempDir(`legible-questionnaire-${build}-`);
    const r = await legible(['build', ...builds[build], '--out', out[build], '--no-cache', '--quiet'], root);
    expect(r.code, r.stderr).toBe(0);
  }
}, 120_000);

const sheet = (build: Build, name: string) => {
  const book = XLSX.read(readFileSync(join(out[build], 'insurance-questionnaire.xlsx')), { type: 'buffer' });
  return XLSX.utils.sheet_to_json<Record<string, string>>(book.Sheets[name]!, { defval: '' });
};
const answers = (build: Build) => new Map(sheet(build, 'Answers').map((r) => [r.ID!, { answer: r.Answer!, justification: r.Justification! }]));

/** What the demo's evidence shows on 2026-11-23, question by question. */
const expected: Record<string, string> = {
  I1: 'Yes', // Okta requires MFA at every sign-in; the AWS break-glass user is not email
  I2: 'Partial', // nothing shows remote working (A.6.7)
  I3: 'Partial', // the break-glass user has no MFA, under EXC-2026-007
  I4: 'Partial',
  I7: 'Yes', // access reviews and leaver checks; the break-glass MFA finding is not about leavers
  E2: 'Partial', // one laptop's BitLocker is suspended
  V1: 'Yes', // no critical or high vulnerability open; deadlines within the 30 days asked
  V2: 'Partial',
  V3: 'Partial', // no evidence of independent review (A.5.35)
  B1: 'Yes',
  P1: 'Partial',
  F1: 'Requires the signer',
};

describe('the questionnaire of the demo company', () => {
  it.each(Object.keys(builds) as Build[])('%s: answers what the evidence shows on the as-of date, the same with or without a period', (build) => {
    const got = answers(build);
    for (const [id, answer] of Object.entries(expected)) expect(got.get(id)?.answer, id).toBe(answer);
    const other = answers(build === 'asOf' ? 'period' : 'asOf');
    for (const [id, a] of got) expect(a.answer, id).toBe(other.get(id)!.answer);
  });

  it.each(Object.keys(builds) as Build[])('%s: justifications are plain sentences within a comment box, with no ARN or file name', (build) => {
    for (const [id, { justification }] of answers(build)) {
      expect(justification.length, id).toBeLessThanOrEqual(1000);
      expect(justification, id).not.toMatch(/arn:aws:|\.(json|csv|xlsx|sarif|xml|md)\b|iam\.mfa-enforced|prowler:/);
    }
  });

  it('names the accepted risk in one sentence, and leaves findings of other systems aside', () => {
    const got = answers('asOf');
    expect(got.get('I3')!.justification).toMatch(/^One cloud user account has no MFA; the risk is accepted until 2027-01-31 \(exception EXC-2026-007\)\. /);
    expect(got.get('I1')!.justification).toMatch(
      /^Fresh evidence as of 2026-11-23 shows this in place: identity-provider \(single sign-on\) policies requiring MFA \(3 passing checks\)\. Six other failing findings of these controls are outside this question\./,
    );
    expect(got.get('E2')!.justification).toMatch(/^One laptop or desktop does not have disk encryption in force\. /);
    expect(got.get('V1')!.justification).toMatch(/11 findings of this kind are open with a lower rating than the question asks about\..*Deadlines applied: critical 15 days and high 30 days, within the 30 days asked\./);
  });

  it('cites remediation up to the as-of date, and over the period with its deviations', () => {
    const asOf = answers('asOf');
    expect(asOf.get('V2')!.justification).toContain('Remediation across all findings up to 2026-11-23: critical findings fixed within 15 days: 0 of 2; high findings fixed within 30 days: 2 of 3, 5 open, not yet due;');
    expect([...asOf.values()].some((a) => a.justification.includes('Deviations in'))).toBe(false);
    const period = answers('period');
    // Yes as of the date, and the critical fixed late in the period said all the same.
    expect(period.get('V1')!.answer).toBe('Yes');
    expect(period.get('V1')!.justification).toContain('Remediation of findings of this kind in 2026-06-01 to 2026-11-23: critical findings fixed within 15 days: 0 of 1; high findings fixed within 30 days: 1 of 1.');
    expect(period.get('V1')!.justification).toMatch(/Deviations in 2026-06-01 to 2026-11-23 that concern this question: 2 failing findings; a required periodic activity overdue in 6 stretches, the longest from 2026-06-24 to 2026-07-21; no automated check reporting from 2026-07-17 to 2026-07-20 and from 2026-10-16 to 2026-10-19\./);
    expect(period.get('V2')!.justification).toContain('Remediation across all findings in 2026-06-01 to 2026-11-23: critical findings fixed within 15 days: 0 of 2; high findings fixed within 30 days: 2 of 3, 5 open, not yet due;');
    // The administrator without MFA for two months, fixed late, beside the break-glass user under an exception.
    expect(period.get('I3')!.justification).toContain('Remediation of findings of this kind in 2026-06-01 to 2026-11-23: high findings fixed within 30 days: 0 of 1, 2 open, not yet due; medium findings: 1 open, not yet due.');
    expect(period.get('I3')!.justification).toMatch(/Deviations in 2026-06-01 to 2026-11-23 that concern this question: 4 failing findings \(3 under an accepted risk\);/);
    expect(period.get('I1')!.justification).toMatch(/Deviations in 2026-06-01 to 2026-11-23 that concern this question: no automated check reporting from 2026-06-20 to 2026-06-21 and on 2026-09-20\./);
  });

  it('shows the evidence each question selects in the PDF’s method section and in the workbook', () => {
    const text = pdfPlain(join(out.period, 'insurance-questionnaire.pdf'));
    const method = text.slice(text.lastIndexOf('Method Yes only where'));
    expect(method).toMatch(/Evidence each question selects I1 selects: • identity-provider \(single sign-on\) policies requiring MFA: checks okta\.mfa\*, /);
    expect(method).toMatch(/V1 selects: • vulnerability scans of images, dependencies and hosts: checks CVE-\*, GHSA-\*, vuln\.\*, \*vulnerabilit\* \(failing findings count when rated critical or high, or unrated\)/);
    expect(method).toMatch(/What the evaluation does not record • The evaluation counts passing results per check, not per resource/);
    // The justification in the PDF is the workbook's, word for word.
    expect(text.replace(/\s+/g, ' ')).toContain(answers('period').get('I3')!.justification);
    const rows = sheet('period', 'Method');
    expect(rows.find((r) => r.Item === 'I1 selects')!.Text).toMatch(/^identity-provider \(single sign-on\) policies requiring MFA: checks okta\.mfa\*/);
    expect(rows.map((r) => r.Item ?? '').filter((item) => item.endsWith(' selects'))).toEqual(['I1', 'I2', 'I3', 'I4', 'I7', 'E2', 'V1', 'V3'].map((id) => `${id} selects`));
  });
});

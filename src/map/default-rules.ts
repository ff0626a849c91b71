import type { CheckCategory, CheckRecord } from '../model/types.js';

/**
 * legible's default mappings, for findings whose tool carries no ISO/IEC 27001 or SOC 2 mapping.
 * Each rule says why: a mapping without a rationale is a claim nobody can check. They apply only
 * when neither the evidence nor the tool named controls, and a config rule matching the same finding
 * replaces them.
 */
export interface DefaultRule {
  id: string;
  /** All given conditions must hold; `tags` matches when any listed tag is present. */
  when: { category?: CheckCategory; tags?: readonly string[] };
  controls: readonly string[];
  rationale: string;
}

export const defaultRules: readonly DefaultRule[] = [
  {
    id: 'known-vulnerabilities',
    when: { category: 'vulnerability' },
    controls: ['A.8.8', 'CC7.1'],
    rationale: 'a known vulnerability in installed software is a technical vulnerability to manage (A.8.8); CC7.1 asks for detection of vulnerabilities',
  },
  {
    id: 'configuration-checks',
    when: { category: 'misconfiguration' },
    controls: ['A.8.9', 'CC7.1'],
    rationale: 'infrastructure-as-code, container and cluster checks test configurations against a hardened baseline (A.8.9); CC7.1 covers configurations that introduce vulnerabilities',
  },
  {
    id: 'benchmark-checks',
    when: { category: 'compliance' },
    controls: ['A.8.9', 'CC7.1'],
    rationale: 'cloud and system benchmark checks (CIS, AWS Foundational Security Best Practices, STIG) assess secure configuration (A.8.9, CC7.1)',
  },
  {
    id: 'exposed-secrets',
    when: { category: 'secret' },
    controls: ['A.5.17', 'CC6.1'],
    rationale: 'a credential found in code or an image is authentication information outside its protection (A.5.17) and weakens logical access (CC6.1)',
  },
  {
    id: 'static-analysis',
    when: { category: 'code' },
    controls: ['A.8.28', 'A.8.29', 'CC8.1'],
    rationale: 'static analysis of source code tests secure coding (A.8.28) during development (A.8.29), before changes are deployed (CC8.1)',
  },
  {
    id: 'open-detections',
    when: { category: 'detection' },
    controls: ['A.5.25', 'CC7.3'],
    rationale: 'an open threat-detection finding is a security event awaiting assessment and decision (A.5.25, CC7.3)',
  },
  {
    id: 'hard-coded-credentials',
    when: { tags: ['CWE-798', 'CWE-259', 'CWE-321', 'CWE-522'] },
    controls: ['A.5.17'],
    rationale: 'hard-coded or weakly protected credentials (CWE-798, CWE-259, CWE-321, CWE-522) are authentication information handled outside policy (A.5.17)',
  },
  {
    id: 'weak-cryptography',
    when: { tags: ['CWE-326', 'CWE-327', 'CWE-328', 'CWE-311', 'CWE-319', 'CWE-916'] },
    controls: ['A.8.24'],
    rationale: 'weak or missing encryption (CWE-311, CWE-319, CWE-326, CWE-327, CWE-328, CWE-916) is a use of cryptography finding (A.8.24)',
  },
];

export function ruleMatches(rule: DefaultRule, record: CheckRecord): boolean {
  if (rule.when.category && record.category !== rule.when.category) return false;
  if (rule.when.tags && !rule.when.tags.some((t) => record.tags?.includes(t))) return false;
  return true;
}

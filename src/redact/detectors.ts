/**
 * Secret detectors: the patterns and heuristics behind `redactText`. Each detector reports the
 * span of the secret *value* only (key names, URL users and hosts stay readable) and a kind.
 *
 * Why our own patterns and not secretlint (`@secretlint/core` + `-rule-preset-recommend`), which was
 * evaluated first (versions 11.7.1 and 13.0.7):
 *  - 12.x and 13.x declare `engines.node >= 22`; legible supports Node 20.19, so 11.7.1 is the newest usable.
 *  - `lintSource` is async-only (a Promise per string). Redaction runs inside the pipeline's synchronous
 *    parse sink and must be a pure function of a string, so it cannot await.
 *  - Its profiler (`@secretlint/profiler`, always on) sets ~10 `performance.mark`s per call, keeps every
 *    mark in an array it never clears, and searches that whole array (`entries.find`) for each end mark:
 *    time is quadratic and memory unbounded over a process's life. Node warns of a mark leak after
 *    ~100k calls; a second run of 50,000 strings had not finished after 13 minutes, at 500 MB RSS.
 *  - Even before that bites, 50,000 short finding messages went at ~8,800 strings/s sequentially and
 *    ~2,600 strings/s with Promise.all, against 80,000–700,000 strings/s for these patterns.
 *  - Coverage of the kinds legible must catch is about half: no GitLab, Stripe, Google API key (AIza),
 *    JWT, `Authorization: Bearer`, `password=` assignments or entropy rule; the AWS rule deliberately
 *    skips AWS's documented example keys and the private key rule needs a body of ≥ 100 characters.
 * The patterns below follow the public shapes of each token format (the same ones secretlint, gitleaks
 * and detect-secrets use); false positives are preferred to misses, but ordinary evidence — SHA-256
 * digests, git commit hashes, UUIDs, ARNs, CVE ids, dates, versions — must pass through unchanged.
 */

import { keywordIndex } from './keywords.js';
import { PROVIDER_RULES, TOKEN_RULES } from './rules.js';

export interface Hit {
  start: number;
  end: number;
  kind: string;
  /** Lower wins when overlapping hits are merged: specific formats name the merged span. */
  priority: number;
}

/** A marker as written by `redactText`; its text is never scanned again. */
export const MARKER = /\[REDACTED: [a-z0-9-]+\]/g;

export const marker = (kind: string) => `[REDACTED: ${kind}]`;

/** Human names of the kinds, for messages to the evidence owner. */
export const KIND_LABELS: Readonly<Record<string, string>> = {
  'aws-access-key-id': 'AWS access key id',
  'aws-secret-key': 'AWS secret access key',
  'github-token': 'GitHub token',
  'gitlab-token': 'GitLab token',
  'slack-token': 'Slack token',
  'slack-webhook': 'Slack webhook URL',
  'bearer-token': 'bearer token',
  'basic-auth': 'HTTP basic credentials',
  'private-key': 'private key',
  'url-password': 'password in a URL',
  password: 'password',
  secret: 'secret',
  'api-key': 'API key',
  token: 'token',
  jwt: 'JSON Web Token',
  'google-api-key': 'Google API key',
  'google-oauth-secret': 'Google OAuth client secret',
  'google-oauth-token': 'Google OAuth access token',
  'stripe-key': 'Stripe secret key',
  'npm-token': 'npm token',
  'openai-key': 'OpenAI API key',
  'anthropic-key': 'Anthropic API key',
  'sendgrid-key': 'SendGrid API key',
  'azure-storage-key': 'Azure storage account key',
  'high-entropy': 'high-entropy string next to a secret word',
};

interface PatternDetector {
  kind: string;
  re: RegExp;
  priority: number;
  /** Index of the capture group holding the secret; the whole match when absent. */
  group?: number;
  accept?: (value: string, text: string, start: number) => boolean;
  /** Lowercase words, one of which the text holds (case-insensitively) whenever the pattern can match. */
  keywords: readonly string[];
}

const SPECIFIC = 0;
const URL_PASSWORD = 1;
const CONTEXTUAL = 2;
const ENTROPY = 3;

/** Prefixes of AWS access key ids (long-term, STS, bearer, context credentials). */
const AWS_KEY_ID_PREFIXES = ['akia', 'asia', 'abia', 'acca', 'a3t'];
const GITLAB_PREFIXES = ['pat', 'dt', 'rt', 'ptt', 'cbt', 'oas', 'soat', 'ft', 'imt', 'agent'];

/** Fixed token formats: a prefix or structure that alone says what the string is. */
const patterns: PatternDetector[] = [
  {
    kind: 'private-key',
    // Spans lines; a block without its END line is redacted to the end of the text.
    re: /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
    keywords: ['private key'],
    priority: SPECIFIC,
  },
  { kind: 'aws-access-key-id', re: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g, keywords: AWS_KEY_ID_PREFIXES, priority: SPECIFIC },
  { kind: 'github-token', re: /\bgh[pousr]_[A-Za-z0-9]{30,}/g, keywords: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], priority: SPECIFIC },
  { kind: 'github-token', re: /\bgithub_pat_[A-Za-z0-9_]{22,}/g, keywords: ['github_pat_'], priority: SPECIFIC },
  { kind: 'gitlab-token', re: /\bgl(?:pat|dt|rt|ptt|cbt|oas|soat|ft|imt|agent)-[A-Za-z0-9_-]{20,}(?:\.[0-9a-z]{2,})?/g, keywords: GITLAB_PREFIXES.map((p) => `gl${p}-`), priority: SPECIFIC },
  { kind: 'slack-token', re: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g, keywords: ['xox'], priority: SPECIFIC },
  { kind: 'slack-token', re: /\bxapp-\d-[A-Za-z0-9-]{10,}/g, keywords: ['xapp-'], priority: SPECIFIC },
  {
    kind: 'slack-webhook',
    re: /\bhooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/-]+)/g,
    group: 1,
    keywords: ['hooks.slack.com'],
    priority: SPECIFIC,
  },
  {
    kind: 'jwt',
    re: /\bey[A-Za-z0-9_-]{10,}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g,
    keywords: ['.ey'],
    priority: SPECIFIC,
  },
  { kind: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{30,}/g, keywords: ['aiza'], priority: SPECIFIC },
  { kind: 'google-oauth-secret', re: /\bGOCSPX-[A-Za-z0-9_-]{20,}/g, keywords: ['gocspx-'], priority: SPECIFIC },
  { kind: 'google-oauth-token', re: /\bya29\.[0-9A-Za-z_-]{20,}/g, keywords: ['ya29.'], priority: SPECIFIC },
  { kind: 'stripe-key', re: /\b(?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{10,}/g, keywords: ['_live_', '_test_', '_prod_'], priority: SPECIFIC },
  { kind: 'npm-token', re: /\bnpm_[A-Za-z0-9]{30,}/g, keywords: ['npm_'], priority: SPECIFIC },
  { kind: 'anthropic-key', re: /\bsk-ant-[a-z0-9]+-[A-Za-z0-9_-]{20,}/g, keywords: ['sk-ant-'], priority: SPECIFIC },
  { kind: 'openai-key', re: /\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}/g, keywords: ['sk-'], priority: SPECIFIC },
  { kind: 'openai-key', re: /\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b/g, keywords: ['t3blbkfj'], priority: SPECIFIC },
  { kind: 'sendgrid-key', re: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{30,}/g, keywords: ['sg.'], priority: SPECIFIC },
  {
    kind: 'azure-storage-key',
    re: /\b(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{20,}=*)/g,
    group: 1,
    keywords: ['accountkey=', 'sharedaccesskey='],
    priority: SPECIFIC,
  },
  {
    kind: 'bearer-token',
    // `Authorization: Bearer …` (also as a JSON or YAML key, and Token/Bot schemes): any length.
    re: /\bauthorization\\?["']?[ \t]*[:=][ \t]*\\?["']?[ \t]*(?:bearer|token|bot)[ \t]+([A-Za-z0-9._~+/-]+=*)/gi,
    group: 1,
    keywords: ['authorization'],
    priority: CONTEXTUAL,
  },
  {
    kind: 'bearer-token',
    // A bare `Bearer <token>` in prose or logs: long enough, with a digit, so "Bearer tokens expire" stays.
    re: /\bbearer[ \t]+([A-Za-z0-9._~+/-]{16,}=*)/gi,
    group: 1,
    keywords: ['bearer'],
    priority: CONTEXTUAL,
    accept: (value) => /\d/.test(value),
  },
  {
    kind: 'basic-auth',
    re: /\bauthorization\\?["']?[ \t]*[:=][ \t]*\\?["']?[ \t]*basic[ \t]+([A-Za-z0-9+/]+=*)/gi,
    group: 1,
    keywords: ['authorization'],
    priority: CONTEXTUAL,
  },
];

/**
 * `password=…`, `"api_key": "…"`, `DB_PASSWORD=…`, `token: …`: the key stays, the value goes. The key
 * must end with one of these words (so `MinimumPasswordLength=14` and `max_tokens=5` are not matched).
 */
const SEPARATOR = /=>|:=|[:=]/g;
const isKeyChar = (c: number) =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 /* _ */ || c === 46 /* . */ || c === 45; /* - */

/** The key's identifier, read backwards from the separator: `DB_PASSWORD`, `"client_secret"`, `\"pwd\"`. */
function keyBefore(text: string, at: number): { key: string; start: number } | undefined {
  let i = at;
  while (i > 0 && (text.charAt(i - 1) === ' ' || text.charAt(i - 1) === '\t')) i--;
  if (i > 0 && (text.charAt(i - 1) === '"' || text.charAt(i - 1) === "'")) i--;
  if (i > 0 && text.charAt(i - 1) === '\\') i--;
  const end = i;
  while (i > 0 && end - i < 128 && isKeyChar(text.charCodeAt(i - 1))) i--;
  return i < end ? { key: text.slice(i, end), start: i } : undefined;
}
const KEY_WORD = /(?:password|passwd|passphrase|pwd|secret[_-]?key|secret|api[_-]?key|apikey|access[_-]?key|private[_-]?key|token)$/i;
/** After the separator: a double-, single- or escaped-double-quoted value, or a bare one. */
const VALUE = /[ \t]*(?:"([^"\r\n]{1,1024})"|'([^'\r\n]{1,1024})'|\\"((?:[^"\\\r\n]|\\[^"]){1,1024})\\"|([^\s"'`,;&<>]{1,1024}))/y;
const OPENING_QUOTE = [1, 1, 2, 0] as const;

const SECRET_WORD = /passw(?:or)?d|secret|token|key|credential/i;

/**
 * An unquoted right-hand side that is code, not a literal: a call (`request.form.get(`), a member
 * path (`var.password`, `body.new`, `process.env.SECRET`), or a variable named for a secret
 * (`db_password`, `newPassword`, `payments_write_key`). Literal secrets in code are quoted.
 */
function isCodeReference(value: string): boolean {
  if (value.includes('(')) return true;
  if (/^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+[,;)]*$/.test(value)) return true;
  if (!/^[A-Za-z_$][\w$]*[,;)]*$/.test(value)) return false;
  return SECRET_WORD.test(value) && (value.includes('_') || /[a-z](?:Passw|Secret|Token|Key|Credential)/.test(value));
}

const assignmentKind = (word: string): string => {
  const w = word.toLowerCase();
  if (w.startsWith('pass') || w === 'pwd') return 'password';
  if (w === 'token') return 'token';
  if (/^(?:api|access)/.test(w)) return 'api-key';
  return 'secret';
};

/** Values that say a secret is absent or elsewhere: not secrets themselves. */
const NOT_A_VALUE =
  /^(?:\$\{[^}]*\}|\\+u003c.*\\+u003e|\$\d+|:[A-Za-z_]\w*|\?|\$\(?[A-Za-z_][A-Za-z0-9_]*\)?|\{\{[^}]*\}\}|%\(?[A-Za-z_]*\)?s|<[^>]*>|\*+|x{3,}|\.{3}|…|null|nil|none|undefined|true|false|yes|no|on|off|enabled|disabled|required|optional|empty|redacted|masked|hidden|n\/?a|not set|unset|set|missing|present|configured|rotated|revoked|expired|reset|changed|provided|stored|valid|invalid|weak|strong)$/i;

/** A type between a declared name and `=`: `var apiToken string = …` (Go), `var apiToken: String = …` (Kotlin). */
const TYPE_NAME = /^(?:string|String|str|bytes|\[\]byte)$/;

/** The key of an assignment, looking past a type written between the name and the separator. */
function assignedName(text: string, at: number): { key: string; start: number } | undefined {
  const key = keyBefore(text, at);
  if (!key || !TYPE_NAME.test(key.key)) return key;
  let i = key.start;
  while (i > 0 && (text.charAt(i - 1) === ' ' || text.charAt(i - 1) === '\t')) i--;
  if (text.charAt(i - 1) === ':') i--;
  return i < key.start ? keyBefore(text, i) : key;
}

function assignmentHits(text: string, out: Hit[]) {
  SEPARATOR.lastIndex = 0;
  for (let sep = SEPARATOR.exec(text); sep; sep = SEPARATOR.exec(text)) {
    // Separators are rare, key words are not: find the separator, then read the key backwards.
    const key = assignedName(text, sep.index);
    const word = key ? KEY_WORD.exec(key.key)?.[0] : undefined;
    if (!key || !word) continue;
    const keyStart = key.start;
    // `AWS::IAM::AccessKey:…` is a type name.
    if (text.startsWith('::', keyStart - 2)) continue;
    VALUE.lastIndex = sep.index + sep[0].length;
    const m = VALUE.exec(text);
    if (!m) continue;
    let index = 1;
    while (index < 4 && m[index] === undefined) index++;
    let value = m[index] ?? '';
    if (!value) continue;
    const valueStart = m.index + m[0].length - value.length - (OPENING_QUOTE[index - 1] ?? 0);
    if (value.startsWith('[REDACTED: ') || NOT_A_VALUE.test(value.trim())) continue;
    if (/^(?:\$\{|\{\{|#\{)/.test(value)) continue; // a template expression, even when cut short
    if (index === 4) {
      if (isCodeReference(value)) continue;
      value = value.replace(/[).,\]}:!?]+$/, ''); // prose punctuation after a bare value
    }
    if (!value || NOT_A_VALUE.test(value)) continue;
    // `…:secret:prod/db/…` inside an ARN names a secret, it is not one.
    if (insideArn(text, keyStart)) continue;
    // The shell's PWD is the working directory.
    if (word.toLowerCase() === 'pwd' && /^[/~]/.test(value)) continue;
    out.push({ start: valueStart, end: valueStart + value.length, kind: assignmentKind(word), priority: CONTEXTUAL });
    // Separators inside the value are redacted with it: go on after it (keeps long runs linear).
    SEPARATOR.lastIndex = Math.max(SEPARATOR.lastIndex, valueStart + value.length);
  }
}

/** `<apiToken>value</apiToken>`, the value alone on its line or not: an XML element named for a secret. */
const OPEN_TAG = /<([A-Za-z_][\w.:-]{0,127})>/g;
const ELEMENT_BODY = /[ \t\r\n]*([^<>\s](?:[^<>\r\n]{0,1022}[^<>\s])?)[ \t\r\n]*<\//y;

function elementHits(text: string, out: Hit[]) {
  OPEN_TAG.lastIndex = 0;
  for (let tag = OPEN_TAG.exec(text); tag; tag = OPEN_TAG.exec(text)) {
    const name = tag[1]!;
    const word = KEY_WORD.exec(name)?.[0];
    if (!word) continue;
    ELEMENT_BODY.lastIndex = OPEN_TAG.lastIndex;
    const body = ELEMENT_BODY.exec(text);
    if (!body || !text.startsWith(`${name}>`, ELEMENT_BODY.lastIndex)) continue;
    const value = body[1]!;
    if (value.startsWith('[REDACTED: ') || NOT_A_VALUE.test(value) || /^(?:\$\{|\{\{|#\{)/.test(value)) continue;
    const start = body.index + body[0].indexOf(value);
    out.push({ start, end: start + value.length, kind: assignmentKind(word), priority: CONTEXTUAL });
  }
}

/** `scheme://user:password@host`: only the password goes (the last `@` of the authority ends it). */
const URL_AUTHORITY = /\b[A-Za-z][A-Za-z0-9+.-]{0,31}:\/\/([^\s/?#"'<>`]{1,2048})/g;

function urlPasswordHits(text: string, out: Hit[]) {
  URL_AUTHORITY.lastIndex = 0;
  for (let m = URL_AUTHORITY.exec(text); m; m = URL_AUTHORITY.exec(text)) {
    const authority = m[1] ?? '';
    const at = authority.lastIndexOf('@');
    if (at < 0) continue;
    const colon = authority.indexOf(':');
    if (colon < 0 || colon > at) continue;
    const start = m.index + m[0].length - authority.length + colon + 1;
    const end = m.index + m[0].length - authority.length + at;
    if (end > start) out.push({ start, end, kind: 'url-password', priority: URL_PASSWORD });
  }
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Words after which a high-entropy string is taken for a secret (matched in a view without markers). */
const TRIGGER = new RegExp(
  [
    // `secret`, `Secret`, `SECRET` (and plurals), also inside `client_secret`, `ClientSecret`, `SecretsManager`.
    ...['secret', 'token', 'password', 'passwd', 'passphrase', 'pwd', 'credential', 'apikey'].map(
      (w) => `[${w.charAt(0).toUpperCase()}${w.charAt(0)}]${w.slice(1)}s?(?![a-z])|${w.toUpperCase()}S?(?![A-Z])`,
    ),
    // `key` only as a word of its own: `api_key`, `AccessKey`, `KMS key`, `SIGNING_KEY`; not `monkey`, `keyboard`.
    '(?<![A-Za-z])keys?(?![a-z])',
    '(?<![A-Z])Keys?(?![a-z])',
    '(?<![A-Za-z])KEYS?(?![A-Z])',
    '(?<=[a-z0-9_-])KEYS?(?![A-Z])',
  ].join('|'),
  'g',
);
/** Words that say the string is a digest or a reference, not a secret. */
const HASH_CONTEXT = /sha-?\d*|md5|digest|hash|checksum|commit|fingerprint|etag|revision|integrity|sum\b|\bref\b|\brev\b|version/i;
/** Maximal runs of the base64/base64url/hex alphabet; those of ≥ 20 characters are candidates. */
const CANDIDATE = /[A-Za-z0-9+/_-]+=*/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const HEX = /^[0-9a-f]+$|^[0-9A-F]+$/;
/**
 * A segment that reads as a word, a camelCase identifier (`SecretsManagerRotation2`, `HTTPServer`) or a
 * small number, not random data. Every repeated group starts with a capital, so matching is linear.
 */
const WORDLIKE = /^(?:[a-z]+|[A-Z]+|(?:[a-z]{2,}|[A-Z][a-z]+|[A-Z]{2,}(?=[A-Z][a-z]))(?:[A-Z][a-z]{2,})*\d{0,4}|v?\d{1,8}[a-z]{0,2})$/;

export const ENTROPY_WINDOW = 20;
export const ENTROPY_BASE64 = 3.5;
export const ENTROPY_HEX = 3.0;

/** A string that names things (paths, ids, ARNs, camelCase words) rather than random data. */
function looksLikeName(s: string): boolean {
  const parts = s.split(/[-_/.+=]+/).filter(Boolean);
  return parts.length > 0 && parts.every((p) => WORDLIKE.test(p));
}

/** Start of the token holding `start` (back to whitespace or an opening delimiter; at most 2 KiB back). */
function tokenStart(text: string, start: number): number {
  let i = start;
  const limit = Math.max(0, start - 2048);
  while (i > limit && !/[\s"'`(,\[{<>]/.test(text.charAt(i - 1))) i--;
  return i;
}

/** The whitespace-delimited token around `start` begins with `arn:` (an AWS resource name). */
function insideArn(text: string, start: number): boolean {
  const i = tokenStart(text, start);
  return text.startsWith('arn:', i) || text.startsWith('ARN:', i);
}

/** Inside a URL before its query: a path segment (`docs.aws.amazon.com/AmazonS3/latest/…`) is no secret. */
function insideUrlPath(text: string, start: number): boolean {
  const i = tokenStart(text, start);
  const token = text.slice(i, start);
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(token) && !/[?#&=]/.test(token);
}

/** A component of a dotted path (`iam.credential_reports.68dc….mfa_active`, `iam.users.AIDA….AccessKeys`). */
const inDottedPath = (text: string, start: number) => text.charAt(start - 1) === '.' && /\w/.test(text.charAt(start - 2));

/** AWS unique ids of users, roles, groups, policies: identifiers, not credentials. */
const AWS_UNIQUE_ID = /^A(?:IDA|ROA|GPA|IPA|NPA|NVA|SCA|PKA)[A-Z0-9]{12,}$/;

/** Random data: entropy over the threshold for its alphabet, not a UUID, name or ARN. */
function looksRandom(value: string, text: string, start: number): 'hex' | 'base64' | undefined {
  const core = value.replace(/=+$/, '');
  if (UUID.test(core) || !/\d/.test(core) || !/[A-Za-z]/.test(core)) return undefined;
  if (looksLikeName(core) || AWS_UNIQUE_ID.test(core) || insideArn(text, start) || insideUrlPath(text, start) || inDottedPath(text, start)) {
    return undefined;
  }
  const hex = HEX.test(core);
  return shannonEntropy(core) >= (hex ? ENTROPY_HEX : ENTROPY_BASE64) ? (hex ? 'hex' : 'base64') : undefined;
}

/** Longest trigger word, to start the search early enough that a word ending in the window is seen. */
const LONGEST_TRIGGER = 'PASSPHRASES'.length;

/** End of the nearest trigger word ending at most `window` characters before `start`, or undefined. */
function nearestTrigger(view: string, re: RegExp, start: number, window: number): number | undefined {
  // A small slice: one character past `start` for the look-ahead; a word cut at the slice's start
  // ends too early to be in the window anyway.
  const from = Math.max(0, start - window - LONGEST_TRIGGER - 1);
  const slice = view.slice(from, start + 1);
  let best: number | undefined;
  re.lastIndex = 0;
  for (let m = re.exec(slice); m; m = re.exec(slice)) {
    const end = from + m.index + m[0].length;
    if (end <= start && start - end <= window) best = end;
  }
  return best;
}

const AWS_TRIGGER = /aws|secret/gi;
const AWS_MENTION = /aws|secret/i;
const SECRET_MENTION = /secret|token|passw|passphrase|pwd|credential|key/i;
/** Maximal runs of the base64 alphabet; one of exactly 40 not followed by `=` may be an AWS secret key. */
const AWS_SECRET = /[A-Za-z0-9/+]+/g;
const AWS_KEY_ID = /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/;
/** Entropy a lone 40-character run needs: random base64 of that length has ~4.6–5.1 bits per character. */
export const AWS_SECRET_ENTROPY = 4.3;
/** Beside an access key id, the pair is plain: a lower bar. */
export const AWS_SECRET_ENTROPY_NEAR_ID = 3.5;

/**
 * An AWS secret access key with no word beside it: a run of exactly 40 base64 characters (no digest
 * has that length: SHA-1 is 28 in base64 and 40 in hex, SHA-256 43/44 and 64) holding upper and lower
 * case letters and a digit, random enough, and not a piece of a longer token (`_`, `-`, `.`, `%`, `@`
 * before it; `-`, `_`, `%`, `@` after it).
 */
function loneAwsSecret(value: string, text: string, start: number, nearKeyId: boolean): boolean {
  if (/[-_.%@\\]/.test(text.charAt(start - 1)) || /[-_%@]/.test(text.charAt(start + 40))) return false;
  if (!/[A-Z]/.test(value) || !/[a-z]/.test(value) || !/\d/.test(value)) return false;
  return shannonEntropy(value) >= (nearKeyId ? AWS_SECRET_ENTROPY_NEAR_ID : AWS_SECRET_ENTROPY);
}

/**
 * AWS secret access keys (40 base64 characters within 40 characters after `aws` or `secret`, or with
 * no word at all: see `loneAwsSecret`) and high-entropy strings (base64 or hex, ≥ 20 characters,
 * within 20 characters after a secret word).
 */
function contextualHits(text: string, view: string, forty: boolean, out: Hit[]) {
  const mentioned = AWS_MENTION.test(view);
  const nearKeyId = forty && AWS_KEY_ID.test(text);
  AWS_SECRET.lastIndex = 0;
  for (let m = mentioned || forty ? AWS_SECRET.exec(text) : null; m; m = AWS_SECRET.exec(text)) {
    if (m[0].length !== 40 || text.charAt(m.index + 40) === '=') continue;
    if (HEX.test(m[0]) || looksLikeName(m[0]) || insideArn(text, m.index) || insideUrlPath(text, m.index) || inDottedPath(text, m.index)) continue;
    const at = mentioned ? nearestTrigger(view, AWS_TRIGGER, m.index, 40) : undefined;
    const context = view.slice(Math.max(0, at ?? m.index - 40), m.index);
    if (HASH_CONTEXT.test(context)) continue;
    if (at === undefined && !loneAwsSecret(m[0], text, m.index, nearKeyId)) continue;
    out.push({ start: m.index, end: m.index + m[0].length, kind: 'aws-secret-key', priority: SPECIFIC });
  }

  CANDIDATE.lastIndex = 0;
  for (let m = SECRET_MENTION.test(view) ? CANDIDATE.exec(text) : null; m; m = CANDIDATE.exec(text)) {
    if (m[0].length < 20) continue;
    let start = m.index;
    let value = m[0];
    // After a backslash the run starts with the rest of an escape: `\u003c`, `\n`.
    if (text.charAt(start - 1) === '\\') {
      const escape = /^(?:u[0-9a-fA-F]{4}|[nrtbfv])/.exec(value)?.[0].length ?? 0;
      start += escape;
      value = value.slice(escape);
      if (value.length < 20) continue;
    }
    const at = nearestTrigger(view, TRIGGER, start, ENTROPY_WINDOW);
    if (at === undefined) continue;
    if (HASH_CONTEXT.test(view.slice(at, start))) continue;
    if (!looksRandom(value, text, start)) continue;
    out.push({ start, end: start + value.length, kind: 'high-entropy', priority: ENTROPY });
  }
}

/** Words the generic detectors start from (assignments, URLs, words beside high-entropy strings). */
const ASSIGNMENT_WORDS = ['pass', 'pwd', 'secret', 'key', 'token'];
const GENERIC_WORDS = [...ASSIGNMENT_WORDS, 'credential', '://', '</'];

/** One pattern with its keywords, and what a match of it is called (undefined: not a secret). */
interface Runner {
  keywords: readonly string[];
  re: RegExp;
  group?: number;
  priority: number;
  name: (value: string, text: string, start: number, match: string) => string | undefined;
}

const entropyAtLeast = (value: string, entropy: number | undefined) => entropy === undefined || shannonEntropy(value) >= entropy;

/** Every pattern, in the order that names a span two of them find alike: legible's own kinds first. */
const RUNNERS: readonly Runner[] = [
  ...patterns.map((p) => ({ ...p, name: (value: string, text: string, start: number) => (!p.accept || p.accept(value, text, start) ? p.kind : undefined) })),
  ...TOKEN_RULES.map((r) => ({
    ...r,
    priority: SPECIFIC,
    name: (value: string) => (entropyAtLeast(value, r.entropy) && !r.placeholder?.test(value) ? r.id : undefined),
  })),
  ...PROVIDER_RULES.map((r) => ({
    keywords: r.keywords,
    re: r.re,
    group: 1,
    priority: SPECIFIC,
    name: (value: string, _text: string, _start: number, match: string) =>
      r.nameCase && !r.nameCase.test(match) ? undefined : r.shapes.find((s) => s.shape.test(value) && entropyAtLeast(value, s.entropy))?.id,
  })),
];
/** keyword → the positions in RUNNERS of the patterns it starts. */
const RUNNERS_BY_KEYWORD = new Map<string, number[]>();
RUNNERS.forEach((r, i) => {
  for (const k of r.keywords) RUNNERS_BY_KEYWORD.set(k, [...(RUNNERS_BY_KEYWORD.get(k) ?? []), i]);
});

const KEYWORDS = keywordIndex([...GENERIC_WORDS, ...RUNNERS.flatMap((r) => r.keywords)]);
/** Per ASCII character: 0 outside base64 (`A-Za-z0-9+/`), 1 a hex digit, 2 base64 but not hex. */
const BASE64_CLASS = Uint8Array.from({ length: 128 }, (_, c) => {
  const ch = String.fromCharCode(c);
  return /[0-9a-fA-F]/.test(ch) ? 1 : /[A-Za-z0-9+/]/.test(ch) ? 2 : 0;
});

const base64Class = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c < 128 ? BASE64_CLASS[c]! : 0;
};

/**
 * A run of exactly 40 base64 characters, not all hex: where a lone AWS secret key may hide, whatever
 * the words around it (a SHA-1 or a git commit id is hex, and does not count). Any 40 consecutive
 * characters hold one whose index is 39 modulo 40, so only those are looked at, and the run around
 * each is measured: a quarter of the work of reading every character, which this test does for most
 * evidence text.
 */
function hasForty(text: string): boolean {
  for (let p = 39; p < text.length; p += 40) {
    if (!base64Class(text, p)) continue;
    let start = p;
    while (start > 0 && p - start < 40 && base64Class(text, start - 1)) start--;
    let end = p + 1;
    while (end < text.length && end - start <= 40 && base64Class(text, end)) end++;
    if (end - start !== 40 || (start > 0 && base64Class(text, start - 1))) continue;
    for (let i = start; i < end; i++) if (base64Class(text, i) === 2) return true;
  }
  return false;
}

/** False when `text` cannot hold a secret any detector finds: most evidence text, cheaply told. */
export const mightHoldSecret = (text: string): boolean => KEYWORDS.test(text) || hasForty(text);

function runnerHits(r: Runner, text: string, out: Hit[]) {
  r.re.lastIndex = 0;
  for (let m = r.re.exec(text); m; m = r.re.exec(text)) {
    if (m[0].length === 0) {
      r.re.lastIndex++;
      continue;
    }
    const value = r.group === undefined ? m[0] : m[r.group];
    if (!value) continue;
    // A group's offset where the pattern asks for it (`d` flag), else the group is the match's tail.
    const start = r.group === undefined ? m.index : (m.indices?.[r.group]?.[0] ?? m.index + m[0].length - value.length);
    const kind = r.name(value, text, start, m[0]);
    if (kind) out.push({ start, end: start + value.length, kind, priority: r.priority });
  }
}

/** Every secret in `text`, unmerged; spans may overlap. `view` is `text` with markers blanked. */
export function detect(text: string, view: string): Hit[] {
  const found = KEYWORDS.find(text);
  const forty = hasForty(text);
  if (!found.size && !forty) return [];
  const hits: Hit[] = [];
  const started = new Set<number>();
  for (const k of found) for (const i of RUNNERS_BY_KEYWORD.get(k) ?? []) started.add(i);
  for (const i of [...started].sort((a, b) => a - b)) runnerHits(RUNNERS[i]!, text, hits);
  if (ASSIGNMENT_WORDS.some((w) => found.has(w))) {
    assignmentHits(text, hits);
    if (found.has('</')) elementHits(text, hits);
  }
  if (found.has('://')) urlPasswordHits(text, hits);
  contextualHits(text, view, forty, hits);
  return hits;
}

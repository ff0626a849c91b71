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
  /** A cheap test first: one of these substrings (case-sensitive), or this case-insensitive word. */
  hint: readonly string[] | RegExp;
}

const SPECIFIC = 0;
const URL_PASSWORD = 1;
const CONTEXTUAL = 2;
const ENTROPY = 3;

/** Fixed token formats: a prefix or structure that alone says what the string is. */
const patterns: PatternDetector[] = [
  {
    kind: 'private-key',
    // Spans lines; a block without its END line is redacted to the end of the text.
    re: /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
    hint: ['PRIVATE KEY'],
    priority: SPECIFIC,
  },
  { kind: 'aws-access-key-id', re: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}(?![A-Za-z0-9])/g, hint: ['AKIA', 'ASIA', 'ABIA', 'ACCA', 'A3T'], priority: SPECIFIC },
  { kind: 'github-token', re: /\bgh[pousr]_[A-Za-z0-9]{30,}/g, hint: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], priority: SPECIFIC },
  { kind: 'github-token', re: /\bgithub_pat_[A-Za-z0-9_]{22,}/g, hint: ['github_pat_'], priority: SPECIFIC },
  { kind: 'gitlab-token', re: /\bgl(?:pat|dt|rt|ptt|cbt|oas|soat|ft|imt|agent)-[A-Za-z0-9_-]{20,}/g, hint: ['gl'], priority: SPECIFIC },
  { kind: 'slack-token', re: /\bxox[abposre]-[A-Za-z0-9-]{10,}/g, hint: ['xox'], priority: SPECIFIC },
  { kind: 'slack-token', re: /\bxapp-\d-[A-Za-z0-9-]{10,}/g, hint: ['xapp-'], priority: SPECIFIC },
  {
    kind: 'slack-webhook',
    re: /\bhooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9_/-]+)/g,
    group: 1,
    hint: ['hooks.slack.com'],
    priority: SPECIFIC,
  },
  {
    kind: 'jwt',
    re: /\bey[A-Za-z0-9_-]{10,}\.ey[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]*/g,
    hint: ['.ey'],
    priority: SPECIFIC,
  },
  { kind: 'google-api-key', re: /\bAIza[0-9A-Za-z_-]{30,}/g, hint: ['AIza'], priority: SPECIFIC },
  { kind: 'google-oauth-secret', re: /\bGOCSPX-[A-Za-z0-9_-]{20,}/g, hint: ['GOCSPX-'], priority: SPECIFIC },
  { kind: 'google-oauth-token', re: /\bya29\.[0-9A-Za-z_-]{20,}/g, hint: ['ya29.'], priority: SPECIFIC },
  { kind: 'stripe-key', re: /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,}/g, hint: ['_live_', '_test_'], priority: SPECIFIC },
  { kind: 'npm-token', re: /\bnpm_[A-Za-z0-9]{30,}/g, hint: ['npm_'], priority: SPECIFIC },
  { kind: 'anthropic-key', re: /\bsk-ant-[a-z0-9]+-[A-Za-z0-9_-]{20,}/g, hint: ['sk-ant-'], priority: SPECIFIC },
  { kind: 'openai-key', re: /\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}/g, hint: ['sk-'], priority: SPECIFIC },
  { kind: 'openai-key', re: /\bsk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}\b/g, hint: ['T3BlbkFJ'], priority: SPECIFIC },
  { kind: 'sendgrid-key', re: /\bSG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{30,}/g, hint: ['SG.'], priority: SPECIFIC },
  {
    kind: 'azure-storage-key',
    re: /\b(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{20,}=*)/g,
    group: 1,
    hint: ['AccountKey=', 'SharedAccessKey='],
    priority: SPECIFIC,
  },
  {
    kind: 'bearer-token',
    // `Authorization: Bearer …` (also as a JSON or YAML key, and Token/Bot schemes): any length.
    re: /\bauthorization\\?["']?[ \t]*[:=][ \t]*\\?["']?[ \t]*(?:bearer|token|bot)[ \t]+([A-Za-z0-9._~+/-]+=*)/gi,
    group: 1,
    hint: /authorization/i,
    priority: CONTEXTUAL,
  },
  {
    kind: 'bearer-token',
    // A bare `Bearer <token>` in prose or logs: long enough, with a digit, so "Bearer tokens expire" stays.
    re: /\bbearer[ \t]+([A-Za-z0-9._~+/-]{16,}=*)/gi,
    group: 1,
    hint: /bearer/i,
    priority: CONTEXTUAL,
    accept: (value) => /\d/.test(value),
  },
  {
    kind: 'basic-auth',
    re: /\bauthorization\\?["']?[ \t]*[:=][ \t]*\\?["']?[ \t]*basic[ \t]+([A-Za-z0-9+/]+=*)/gi,
    group: 1,
    hint: /authorization/i,
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

function assignmentHits(text: string, out: Hit[]) {
  SEPARATOR.lastIndex = 0;
  for (let sep = SEPARATOR.exec(text); sep; sep = SEPARATOR.exec(text)) {
    // Separators are rare, key words are not: find the separator, then read the key backwards.
    const key = keyBefore(text, sep.index);
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

/**
 * AWS secret access keys (40 base64 characters within 40 characters after `aws` or `secret`) and
 * high-entropy strings (base64 or hex, ≥ 20 characters, within 20 characters after a secret word).
 */
function contextualHits(text: string, view: string, out: Hit[]) {
  AWS_SECRET.lastIndex = 0;
  for (let m = AWS_MENTION.test(view) ? AWS_SECRET.exec(text) : null; m; m = AWS_SECRET.exec(text)) {
    if (m[0].length !== 40 || text.charAt(m.index + 40) === '=') continue;
    const at = nearestTrigger(view, AWS_TRIGGER, m.index, 40);
    if (at === undefined || HEX.test(m[0]) || looksLikeName(m[0]) || insideArn(text, m.index) || insideUrlPath(text, m.index)) continue;
    if (HASH_CONTEXT.test(view.slice(at, m.index))) continue;
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

/** A cheap test: text without any of these cannot hold a secret any detector finds. */
const PREFILTER =
  /AKIA|ASIA|ABIA|ACCA|A3T|gh[pousr]_|github_pat_|gl[a-z]+-|xox|xapp-|hooks\.slack|auth|bearer|PRIVATE KEY|:\/\/|pass|pwd|secret|key|token|credential|eyJ|AIza|GOCSPX|ya29\.|_live_|_test_|npm_|sk-|SG\./i;

/** False when `text` cannot hold a secret any detector finds: most evidence text, cheaply told. */
export const mightHoldSecret = (text: string): boolean => PREFILTER.test(text);

/** Every secret in `text`, unmerged; spans may overlap. `view` is `text` with markers blanked. */
export function detect(text: string, view: string): Hit[] {
  if (!PREFILTER.test(text)) return [];
  const hits: Hit[] = [];
  for (const p of patterns) {
    if (Array.isArray(p.hint) ? !p.hint.some((h) => text.includes(h)) : !(p.hint as RegExp).test(text)) continue;
    p.re.lastIndex = 0;
    for (let m = p.re.exec(text); m; m = p.re.exec(text)) {
      if (m[0].length === 0) {
        p.re.lastIndex++;
        continue;
      }
      const value = p.group === undefined ? m[0] : m[p.group];
      if (!value) continue;
      // The group is the match's tail in every pattern that has one.
      const start = p.group === undefined ? m.index : m.index + m[0].length - value.length;
      if (p.accept && !p.accept(value, text, start)) continue;
      hits.push({ start, end: start + value.length, kind: p.kind, priority: p.priority });
    }
  }
  assignmentHits(text, hits);
  urlPasswordHits(text, hits);
  contextualHits(text, view, hits);
  return hits;
}

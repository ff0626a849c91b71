import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CheckRecord, NoteRecord } from '../model/types.js';
import { describeRedaction, KIND_LABELS, redactRecord, redactText } from './redact.js';

/**
 * Fake secrets are assembled at run time so this file holds no string that a secret scanner (or a
 * push protection) would take for a real credential. The values are well-formed but invented;
 * the AWS pair is AWS's own documented example.
 */
const j = (...parts: string[]) => parts.join('');
const rep = (s: string, n: number) => s.repeat(n);

const AWS_ID = j('AKIA', 'IOSFODNN7EXAMPLE');
const AWS_SECRET = j('wJalrXUtnFEMI/K7MDENG', '/bPxRfiCYEXAMPLEKEY');
const JWT = j(
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9',
  '.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0',
  '.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
);
const PEM = j(
  '-----BEGIN RSA PRIVATE KEY-----\n',
  'MIIEowIBAAKCAQEAfakefakefakeFAKEFAKE0123456789abcdefghijklmnopqrst\n',
  'uvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/fakefakefakefakefake==\n',
  '-----END RSA PRIVATE KEY-----',
);

interface Case {
  name: string;
  text: string;
  kind: string;
  /** The secret itself: must be gone from the output. */
  secret: string;
  /** Text that must stay (key names, users, hosts). */
  keep?: string[];
}

const cases: Case[] = [
  { name: 'AWS access key id', text: `rotated access key ${AWS_ID} today`, kind: 'aws-access-key-id', secret: AWS_ID },
  { name: 'AWS STS key id', text: j('temporary ASIA', 'Y34FZKBOKMUTVV7A in use'), kind: 'aws-access-key-id', secret: j('ASIA', 'Y34FZKBOKMUTVV7A') },
  { name: 'AWS secret access key', text: `aws_secret_access_key = ${AWS_SECRET}`, kind: 'aws-secret-key', secret: AWS_SECRET, keep: ['aws_secret_access_key = '] },
  { name: 'AWS secret access key (JSON)', text: `{"SecretAccessKey": "${AWS_SECRET}"}`, kind: 'aws-secret-key', secret: AWS_SECRET, keep: ['"SecretAccessKey": "'] },
  ...['ghp', 'gho', 'ghs', 'ghu'].map((p) => ({
    name: `GitHub ${p}_ token`,
    text: `token used: ${p}_${rep('a1B2c3D4e5', 4).slice(0, 36)}`,
    kind: 'github-token',
    secret: `${p}_${rep('a1B2c3D4e5', 4).slice(0, 36)}`,
  })),
  { name: 'GitHub fine-grained token', text: `PAT ${j('github_pat_', '11ABCDEFG0', rep('xY9_', 14))}`, kind: 'github-token', secret: j('github_pat_', '11ABCDEFG0', rep('xY9_', 14)) },
  { name: 'GitLab token', text: `CI used ${j('glpat-', 'Ab3dE5gH7jK9mN1pQ3sT')} for the mirror`, kind: 'gitlab-token', secret: j('glpat-', 'Ab3dE5gH7jK9mN1pQ3sT') },
  { name: 'Slack bot token', text: j('bot xoxb-', '1234567890-1234567890123-', 'aBcDeFgHiJkLmNoPqRsTuVwX'), kind: 'slack-token', secret: j('xoxb-', '1234567890-1234567890123-', 'aBcDeFgHiJkLmNoPqRsTuVwX') },
  { name: 'Slack user token', text: j('xoxp-', '1234567890-1234567890-1234567890123-', 'abcdef0123456789abcdef0123456789'), kind: 'slack-token', secret: j('xoxp-', '1234567890-1234567890-1234567890123-', 'abcdef0123456789abcdef0123456789') },
  {
    name: 'Slack webhook',
    text: j('alerts go to https://hooks.slack.com/services/', 'T0FAKE000/B0FAKE000/', 'aBcDeFgHiJkLmNoPqRsTuVwX'),
    kind: 'slack-webhook',
    secret: j('T0FAKE000/B0FAKE000/', 'aBcDeFgHiJkLmNoPqRsTuVwX'),
    keep: ['https://hooks.slack.com/services/'],
  },
  { name: 'Authorization: Bearer', text: 'curl -H "Authorization: Bearer abc.DEF-123_x~y+z/w=" https://api', kind: 'bearer-token', secret: 'abc.DEF-123_x~y+z/w=', keep: ['Authorization: Bearer '] },
  { name: 'bare Bearer token', text: 'sent Bearer 9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c in the header', kind: 'bearer-token', secret: '9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c' },
  { name: 'Authorization: Basic', text: `Authorization: Basic ${Buffer.from('svc:hunter2').toString('base64')}`, kind: 'basic-auth', secret: Buffer.from('svc:hunter2').toString('base64') },
  { name: 'private key block', text: `key left in repo: ${PEM} (since 2024)`, kind: 'private-key', secret: PEM, keep: ['key left in repo: ', ' (since 2024)'] },
  { name: 'URL password', text: 'DATABASE_URL=postgres://payments:S3cr3t-Pa55@db.internal:5432/ledger', kind: 'url-password', secret: 'S3cr3t-Pa55', keep: ['postgres://payments:', '@db.internal:5432/ledger'] },
  { name: 'password=', text: 'login with password=hunter2 worked', kind: 'password', secret: 'hunter2', keep: ['password='] },
  { name: 'passwd:', text: 'passwd: Tr0ub4dor&3x', kind: 'password', secret: 'Tr0ub4dor', keep: ['passwd: '] },
  { name: 'pwd=', text: 'mysql -u root pwd=letmein42', kind: 'password', secret: 'letmein42', keep: ['pwd='] },
  { name: 'DB_PASSWORD= (env)', text: 'DB_PASSWORD=Summer2024!', kind: 'password', secret: 'Summer2024', keep: ['DB_PASSWORD='] },
  { name: 'quoted password in JSON', text: '{"password": "correct horse battery"}', kind: 'password', secret: 'correct horse battery', keep: ['"password": "'] },
  { name: 'secret=', text: 'webhook secret=wh-0123-abcd', kind: 'secret', secret: 'wh-0123-abcd', keep: ['secret='] },
  { name: 'client_secret:', text: "client_secret: 'Xy9-zz'", kind: 'secret', secret: 'Xy9-zz', keep: ["client_secret: '"] },
  { name: 'api_key=', text: 'GET /v1/rates?api_key=abcd1234&currency=NOK', kind: 'api-key', secret: 'abcd1234', keep: ['api_key=', '&currency=NOK'] },
  { name: 'X-Api-Key header', text: 'X-Api-Key: k-778899', kind: 'api-key', secret: 'k-778899', keep: ['X-Api-Key: '] },
  { name: 'token=', text: 'callback?token=xyz987&state=1', kind: 'token', secret: 'xyz987', keep: ['token=', '&state=1'] },
  { name: 'JWT', text: `session ${JWT} expired`, kind: 'jwt', secret: JWT },
  { name: 'Google API key', text: j('maps key AIza', 'SyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI'), kind: 'google-api-key', secret: j('AIza', 'SyDdI0hCZtE6vySjMm-WEfRq3CPzqKqqsHI') },
  { name: 'Google OAuth client secret', text: j('GOCSPX-', 'aBcD1234eFgH5678iJkL9012mNoP'), kind: 'google-oauth-secret', secret: j('GOCSPX-', 'aBcD1234eFgH5678iJkL9012mNoP') },
  { name: 'Google OAuth access token', text: j('ya29.', 'a0AfH6SMBx1234567890abcdefghijk'), kind: 'google-oauth-token', secret: j('ya29.', 'a0AfH6SMBx1234567890abcdefghijk') },
  { name: 'Stripe secret key', text: j('charge with sk_', 'live_', '4eC39HqLyjWDarjtT1zdp7dc'), kind: 'stripe-key', secret: j('sk_', 'live_', '4eC39HqLyjWDarjtT1zdp7dc') },
  { name: 'Stripe restricted key', text: j('rk_', 'live_', '51HfakeFAKEfake0123456789'), kind: 'stripe-key', secret: j('rk_', 'live_', '51HfakeFAKEfake0123456789') },
  { name: 'npm token', text: j('//registry.npmjs.org/ uses npm_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8'), kind: 'npm-token', secret: j('npm_', 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8') },
  { name: 'OpenAI key', text: j('sk-', 'proj-', 'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI'), kind: 'openai-key', secret: j('sk-', 'proj-', 'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI') },
  { name: 'Anthropic key', text: j('sk-', 'ant-api03-', rep('aB3dE5gH7j', 4)), kind: 'anthropic-key', secret: j('sk-', 'ant-api03-', rep('aB3dE5gH7j', 4)) },
  { name: 'SendGrid key', text: j('SG.', 'aBcDeFgHiJkLmNoPqRsTuV.', rep('wXyZ0123456', 4)), kind: 'sendgrid-key', secret: j('SG.', 'aBcDeFgHiJkLmNoPqRsTuV.', rep('wXyZ0123456', 4)) },
  {
    name: 'Azure storage key',
    text: j('DefaultEndpointsProtocol=https;AccountName=fjord;AccountKey=', rep('aB3+dE5/gH7j', 7), '==;EndpointSuffix=core.windows.net'),
    kind: 'azure-storage-key',
    secret: j(rep('aB3+dE5/gH7j', 7), '=='),
    keep: ['AccountName=fjord;AccountKey=', ';EndpointSuffix=core.windows.net'],
  },
  { name: 'high-entropy string after a secret word', text: 'the signing secret is q8Zr2LmX9vKpT4wYb7NcE1sD', kind: 'high-entropy', secret: 'q8Zr2LmX9vKpT4wYb7NcE1sD' },
  { name: 'high-entropy hex after a token word', text: 'Deploy token 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b', kind: 'high-entropy', secret: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b' },
];

describe('redactText: one case per kind', () => {
  it.each(cases)('$name → [REDACTED: $kind]', ({ text, kind, secret, keep }) => {
    const result = redactText(text);
    expect(result.text).toContain(`[REDACTED: ${kind}]`);
    expect(result.text).not.toContain(secret);
    expect(result.kinds.map((k) => k.kind)).toContain(kind);
    for (const k of keep ?? []) expect(result.text).toContain(k);
    // The offset points at the secret in the input.
    const at = result.kinds.find((k) => k.kind === kind)?.offset ?? -1;
    expect(text.slice(at)).toMatch(new RegExp(`^${secret.slice(0, 4).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  });

  it('has a case for every kind it names', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(Object.keys(KIND_LABELS)));
  });
});

describe('redactText: ordinary evidence passes through unchanged', () => {
  const ordinary = [
    'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    'evidence/checks/key-rotation.csv sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    'Fixed in commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39 (secret scanning enabled)',
    'token rotation landed at commit 8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a393f2a9c1e',
    'request 550e8400-e29b-41d4-a716-446655440000 denied',
    'KMS key 1234abcd-12ab-34cd-56ef-1234567890ab has rotation enabled',
    'KMS key arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab rotation enabled',
    'secret arn:aws:secretsmanager:eu-north-1:123456789012:secret:prod/db/password-a1B2c3 rotated 2026-10-01',
    'arn:aws:iam::123456789012:role/service-role/SecretsManagerRotationLambda2',
    'CVE-2024-3094 in xz-utils 5.6.0-0.2 fixed in 5.6.1; GHSA-jfh8-c2jp-5v3q',
    'observed 2026-11-23T10:15:00Z, next review 2027-02-23',
    'openssl 3.0.13-1~deb12u1, node v20.19.0, chart payments-gateway-1.42.0+build.20261118',
    'Ensure IAM password policy requires minimum length of 14 or greater',
    'MinimumPasswordLength=14 MaxPasswordAge=90 PasswordReusePrevention=24',
    'iam_user_accesskey_unused: access key for alice not used in 90 days',
    'Bearer tokens are rotated every 24 hours',
    'SSH host key fingerprint SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
    'AWS::IAM::AccessKey:123123123 (us-east-1)',
    'iam.credential_reports.68dcc047c3da5bbbc3f3e9d54000b7357f0e507e.mfa_active',
    'iam.users.AIDAJUK77MEJCW5J3DWZU.AccessKeys.0 is older than 90 days',
    'See https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html for secret handling',
    'repository fjordline/payments-gateway-service has secret scanning and push protection on',
    'password = request.form.get("password")',
    'const token = jwt.sign(payload, process.env.SECRET)',
    'password = var.db_password',
    "user.update({ password: newPassword })",
    'SELECT * FROM users WHERE email = $1 AND password = $2',
    'password: ${DB_PASSWORD}',
    'Trivy: AWS_SECRET_ACCESS_KEY=******** found in .env',
    'ssh://git@github.com/fjordline/ledger.git and https://example.com/a:b@c',
    'Quarterly access review: 42 accounts, 3 revoked, ticket SEC-1234.',
    'Zoë Ødegård',
  ];
  it.each(ordinary)('%s', (text) => {
    expect(redactText(text)).toEqual({ text, kinds: [] });
  });
});

describe('redactText: shapes', () => {
  it('replaces a private key block spanning lines whole, even with escaped newlines', () => {
    const text = `before\n${PEM}\nafter`;
    const result = redactText(text);
    expect(result.text).toBe('before\n[REDACTED: private-key]\nafter');
    expect(result.kinds).toEqual([{ kind: 'private-key', offset: 7 }]);
    const escaped = `"key": "${PEM.replace(/\n/g, '\\n')}"`;
    expect(redactText(escaped).text).toBe('"key": "[REDACTED: private-key]"');
    for (const header of ['OPENSSH PRIVATE KEY', 'EC PRIVATE KEY', 'PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'PGP PRIVATE KEY BLOCK']) {
      const block = `-----BEGIN ${header}-----\nAAAAfake\n-----END ${header}-----`;
      expect(redactText(`x ${block} y`).text).toBe('x [REDACTED: private-key] y');
    }
  });

  it('redacts a private key block without its END line to the end of the text', () => {
    const text = 'pasted:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAAAAAB';
    expect(redactText(text).text).toBe('pasted:\n[REDACTED: private-key]');
  });

  it('keeps the user and host of a URL with a password', () => {
    expect(redactText('mongodb+srv://ops:pa55w0rd@cluster0.example.net/db?retryWrites=true').text).toBe(
      'mongodb+srv://ops:[REDACTED: url-password]@cluster0.example.net/db?retryWrites=true',
    );
    // An `@` inside the password ends at the last `@` of the authority: nothing of it leaks.
    expect(redactText('redis://default:p@ss:w0rd@cache:6379').text).toBe('redis://default:[REDACTED: url-password]@cache:6379');
    expect(redactText('amqp://:onlypass@mq.local').text).toBe('amqp://:[REDACTED: url-password]@mq.local');
  });

  it('names a secret by its format when several detectors see it', () => {
    expect(redactText(j('token=ghp_', rep('a1B2c3D4e5', 4))).text).toBe('token=[REDACTED: github-token]');
    expect(redactText(`Authorization: Bearer ${JWT}`).text).toBe('Authorization: Bearer [REDACTED: jwt]');
  });

  it('reports offsets in the input, in order, for several secrets', () => {
    const text = `a ${AWS_ID}\n${PEM}\npassword=hunter2 and ${JWT}`;
    const result = redactText(text);
    expect(result.kinds.map((k) => k.kind)).toEqual(['aws-access-key-id', 'private-key', 'password', 'jwt']);
    expect(result.kinds.map((k) => k.offset)).toEqual([2, text.indexOf('-----BEGIN'), text.indexOf('hunter2'), text.indexOf(JWT)]);
  });

  it('is idempotent: the markers hold nothing a second pass would match', () => {
    const texts = [
      ...cases.map((c) => c.text),
      `aws_secret_access_key=${AWS_SECRET} q8Zr2LmX9vKpT4wYb7NcE1sD`,
      `${AWS_ID} q8Zr2LmX9vKpT4wYb7NcE1sD`,
      'password=[REDACTED: password] token: [REDACTED: token]',
      'Authorization: Bearer [REDACTED: bearer-token] next',
    ];
    for (const text of texts) {
      const once = redactText(text).text;
      const twice = redactText(once);
      expect(twice.text).toBe(once);
      expect(twice.kinds).toEqual([]);
    }
  });
});

describe('redactText: properties', () => {
  const seed = Number(process.env.REDACT_SEED ?? 20261123);
  const numRuns = Number(process.env.REDACT_RUNS ?? 300);
  const chars = (alphabet: string, min: number, max = min) =>
    fc.noBias(fc.string({ unit: fc.constantFrom(...alphabet), minLength: min, maxLength: max }));
  const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const LOWER = 'abcdefghijklmnopqrstuvwxyz';
  const DIGIT = '0123456789';
  const ALNUM = UPPER + LOWER + DIGIT;

  /** [context before the secret, the secret, context after]: every kind, with random content of the right shape. */
  const secret = fc.oneof(
    chars(UPPER + DIGIT, 16).map((s) => ['key ', `AKIA${s}`]),
    chars(ALNUM + '+/', 37).map((s) => ['aws_secret_access_key=', `aB3${s}`]),
    fc.tuple(fc.constantFrom('ghp', 'gho', 'ghs', 'ghu'), chars(ALNUM, 36)).map(([p, s]) => ['', `${p}_${s}`]),
    chars(ALNUM + '_-', 20).map((s) => ['', `glpat-${s}`]),
    chars(ALNUM, 24).map((s) => ['', `xoxb-1234567890-${s}`]),
    chars(ALNUM + '-._~+/', 12, 40).map((s) => ['Authorization: Bearer ', `${s}`]),
    chars(ALNUM + '+/\n', 40, 200).map((s) => ['', `-----BEGIN PRIVATE KEY-----\n${s}\n-----END PRIVATE KEY-----`]),
    chars(ALNUM + '!$%^*-', 6, 20).map((s) => ['https://admin:', `${s}9`, '@db.example.com/ledger']),
    fc.tuple(fc.constantFrom('password=', 'passwd: ', 'pwd=', 'secret=', 'api_key=', 'token='), chars(ALNUM, 6, 24)).map(([k, s]) => [k, `Q7${s}`]),
    fc.tuple(chars(ALNUM + '-_', 20), chars(ALNUM + '-_', 20), chars(ALNUM + '-_', 20)).map(([a, b, c]) => ['', `eyJ${a}.eyJ${b}.${c}`]),
    chars(ALNUM + '-_', 35).map((s) => ['', `AIza${s}`]),
    fc.tuple(fc.constantFrom('sk', 'rk'), chars(ALNUM, 24)).map(([p, s]) => ['', `${p}_live_${s}`]),
    chars(ALNUM, 36).map((s) => ['', `npm_${s}`]),
    chars(ALNUM + '+/', 21).map((s) => ['client secret: ', `xK4${s}`]),
  );
  // Text around the secret: any printable text, set apart by a space or a newline.
  const around = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 }));

  it('never leaks an embedded secret, and redaction is idempotent', () => {
    fc.assert(
      fc.property(around, secret, around, fc.constantFrom(' ', '\n', '\t'), (before, [context, value, tail = ''], after, gap) => {
        const text = `${before}${gap}${context}${value}${tail}${gap}${after}`;
        const once = redactText(text);
        expect(once.text).not.toContain(value);
        expect(redactText(once.text).text).toBe(once.text);
      }),
      { seed, numRuns },
    );
  });

  it('leaves text with no secret shape alone', () => {
    const plain = fc.string({ unit: fc.constantFrom(...'abcdefghij klmnop.,;()0123456789-\n'), maxLength: 200 });
    fc.assert(
      fc.property(plain, (text) => {
        expect(redactText(text).text).toBe(text);
      }),
      { seed, numRuns },
    );
  });
});

describe('redactRecord', () => {
  const note: NoteRecord = {
    type: 'note',
    format: 'note',
    file: 'notes/practice/deploy-keys.md',
    place: { line: 5 },
    kind: 'practice',
    title: 'Deploy key rotation',
    author: 'Zoë Ødegård',
    date: '2026-10-02',
    body: `We rotated the CI credentials.\n\nOld key was ${AWS_ID}.\nThe runner used password=hunter2 until Friday.`,
    rawControls: ['A.5.17'],
    controls: [],
  };
  const check: CheckRecord = {
    type: 'check',
    format: 'native-json',
    file: 'checks/scan.json',
    place: { line: 12 },
    rawControls: [],
    controls: [],
    check: 'secrets.repo-scan',
    title: 'Secret scan of ledger',
    status: 'fail',
    message: j('found ghp_', rep('a1B2c3D4e5', 4).slice(0, 36), ' in ci.yml'),
    resource: 'postgres://svc:Pa55word1@db.internal/ledger',
    location: 'ci.yml:14',
  };

  it('redacts a note body and lists each redaction with file, field, kind and no value', () => {
    const { record, redactions } = redactRecord(note);
    expect(record.body).toBe('We rotated the CI credentials.\n\nOld key was [REDACTED: aws-access-key-id].\nThe runner used password=[REDACTED: password] until Friday.');
    expect(record.title).toBe(note.title);
    expect(record.author).toBe(note.author);
    expect(redactions).toEqual([
      { file: 'notes/practice/deploy-keys.md', fieldLine: 3, kind: 'aws-access-key-id', field: 'body' },
      { file: 'notes/practice/deploy-keys.md', fieldLine: 4, kind: 'password', field: 'body' },
    ]);
    // The input is not modified.
    expect(note.body).toContain(AWS_ID);
    const listed = JSON.stringify(redactions);
    expect(listed).not.toContain(AWS_ID);
    expect(listed).not.toContain('hunter2');
  });

  it('gives a note body redaction its file line when the body line is known', () => {
    const { redactions } = redactRecord(note, { noteBodyLine: 9 });
    expect(redactions.map((r) => r.line)).toEqual([11, 12]);
  });

  it('redacts a check record and gives the record line', () => {
    const { record, redactions } = redactRecord(check);
    expect(record.message).toBe('found [REDACTED: github-token] in ci.yml');
    expect(record.resource).toBe('postgres://svc:[REDACTED: url-password]@db.internal/ledger');
    expect(record.check).toBe(check.check);
    expect(record.location).toBe(check.location);
    expect(redactions).toEqual([
      { file: 'checks/scan.json', line: 12, fieldLine: 1, kind: 'github-token', field: 'message' },
      { file: 'checks/scan.json', line: 12, fieldLine: 1, kind: 'url-password', field: 'resource' },
    ]);
    const listed = JSON.stringify(redactions) + redactions.map(describeRedaction).join('\n');
    expect(listed).not.toContain('ghp_');
    expect(listed).not.toContain('Pa55word1');
    expect(describeRedaction(redactions[0]!)).toBe('GitHub token in message redacted; rotate it');
    expect(describeRedaction({ file: 'n.md', fieldLine: 4, kind: 'password', field: 'body' })).toBe('password in body (line 4 of it) redacted; rotate it');
  });

  it('omits the line when the place is not a line, and returns an equal copy when nothing is secret', () => {
    const { redactions } = redactRecord({ ...check, place: { pointer: '/results/3' } });
    expect(redactions.every((r) => r.line === undefined)).toBe(true);
    const clean = { ...check, message: 'no findings', resource: 'repo ledger' };
    const result = redactRecord(clean);
    expect(result.redactions).toEqual([]);
    expect(result.record).toEqual(clean);
    expect(result.record).not.toBe(clean);
  });
});

describe('pathological input stays linear', () => {
  // Each of these took seconds to hours before its fix (backtracking, or a rescan per separator);
  // a regression shows as a test timeout, not as a timing assertion.
  const inputs: [string, string][] = [
    ['a long lowercase run after a secret word', `secret: ${rep('a', 5_000)}1b`],
    ['separators without spaces', rep('password:', 20_000)],
    ['assignments without spaces', rep('password=x', 20_000)],
    ['URLs with passwords', rep('https://a:b@', 20_000)],
    ['a key block without END', `-----BEGIN PRIVATE KEY-----\n${rep('abc\n', 50_000)}`],
    ['a base64 blob after key:', `key: ${Buffer.from(Array.from({ length: 150_000 }, (_, i) => (i * 7919) % 251)).toString('base64')}`],
  ];
  it.each(inputs)('%s', (_, text) => {
    const once = redactText(text);
    expect(once.kinds.length).toBeGreaterThan(0);
    expect(redactText(once.text).kinds).toEqual([]);
  });
});

describe('throughput sanity', () => {
  it('redacts 50,000 short messages, one in ten with a secret', () => {
    const messages = Array.from({ length: 50_000 }, (_, i) =>
      i % 10
        ? `S3 bucket arn:aws:s3:::ledger-${i} key rotation checked at commit 3f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39`
        : `found aws_secret_access_key=${AWS_SECRET} for user svc-${i}`,
    );
    let redacted = 0;
    for (const m of messages) redacted += redactText(m).kinds.length;
    // A count, never a timing: the rate is measured and reported outside the test suite.
    expect(redacted).toBe(5_000);
  });
});

describe('redacting a record', () => {
  const base = { type: 'check' as const, format: 'native-json', file: 'checks/a.json', check: 'iam.mfa', status: 'fail' as const, rawControls: [], controls: [] };
  it('gives the record itself back when no field could hold a secret', () => {
    const record = { ...base, message: 'MFA is off for the break-glass user', resource: 'arn:aws:iam::111122223333:user/breakglass' };
    const result = redactRecord(record);
    expect(result.record).toBe(record);
    expect(result.redactions).toEqual([]);
  });
  it('still finds a secret in any one scanned field, the last included', () => {
    const record = { ...base, message: 'fine', location: 'config/app.env: AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' };
    const result = redactRecord(record);
    expect(result.record).not.toBe(record);
    expect(result.record.location).not.toContain('wJalrXUtnFEMI');
    expect(result.redactions.map((r) => r.field)).toEqual(['location']);
  });
  it('cuts a secret out of what names the snapshot and the finding, read from the tool output too', () => {
    const token = 'ghp_a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8';
    const record = { ...base, target: `https://github.com/acme/shop?access_token=${token}`, identity: `partialFingerprints ${token}` };
    const result = redactRecord(record);
    expect(JSON.stringify(result.record)).not.toContain(token);
    expect(result.redactions.map((r) => r.field)).toEqual(['target', 'identity']);
  });
});

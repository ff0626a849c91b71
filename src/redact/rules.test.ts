import { describe, expect, it } from 'vitest';
import type { CheckRecord, NoteRecord } from '../model/types.js';
import { redactRecord, redactText } from './redact.js';
import { PROVIDER_RULES, TOKEN_RULES } from './rules.js';

/**
 * Fake tokens of each shape, drawn from a seeded generator at run time: this file holds no string a
 * secret scanner would take for a credential. gitleaks' own samples are measured by
 * scripts/gitleaks-recall.mjs (they stay in gitleaks' repository).
 */
let seed = 20261123;
const random = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};
const HEX = '0123456789abcdef';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const chars = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
const uuid = () => [8, 4, 4, 4, 12].map((n) => chars(HEX, n)).join('-');

interface Sample {
  kind: string;
  /** The text around the secret, with `$` where it goes. */
  text: string;
  secret: string;
}

const samples: Sample[] = [
  // The four shapes that reached the packs before these rules.
  { kind: 'twilio-api-key', text: 'Twilio key for SMS alerts: $ (rotated)', secret: `SK${chars(HEX, 32)}` },
  { kind: 'vault-service-token', text: 'VAULT_TOKEN was $ in the runner log', secret: `hvs.${chars(ALNUM + '_-', 95)}` },
  { kind: 'vault-service-token', text: 'export VAULT_ADDR=https://vault:8200 && vault login $', secret: `s.${chars(ALNUM, 20)}7x3Q` },
  {
    kind: 'discord-webhook-url',
    text: 'Alerts were posted to https://discord.com/api/webhooks/$ until Friday.',
    secret: `${chars('0123456789', 18)}/${chars(ALNUM + '_-', 68)}`,
  },
  { kind: 'aws-secret-key', text: `keys: ${'AKIA'}${chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)} / $`, secret: `${chars(ALNUM, 18)}/${chars(ALNUM, 10)}+${chars(ALNUM, 10)}` },
  { kind: 'aws-secret-key', text: 'pasted into the ticket: $', secret: `Zq8${chars(ALNUM, 37)}` },
  { kind: 'aws-secret-key', text: 'Access key ID,Secret access key\nAKIA2OGYBAH6STMMNXNN,$', secret: `a7B${chars(ALNUM + '/+', 37)}` },
  // Tokens that say what they are.
  { kind: 'digitalocean-pat', text: 'DO token: $', secret: `dop_v1_${chars(HEX, 64)}` },
  { kind: 'databricks-api-token', text: 'databricks host token $.', secret: `dapi${chars(HEX, 32)}` },
  { kind: 'huggingface-access-token', text: 'HF: $', secret: `hf_${chars('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ', 34)}` },
  { kind: 'pypi-upload-token', text: 'twine upload -p $', secret: `pypi-AgEIcHlwaS5vcmc${chars(ALNUM + '_-', 70)}` },
  { kind: 'age-secret-key', text: 'age key $', secret: `AGE-SECRET-KEY-1${chars('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58)}` },
  { kind: 'shopify-access-token', text: 'Shopify admin $', secret: `shpat_${chars(HEX, 32)}` },
  { kind: 'postman-api-token', text: 'PMAK: $', secret: `PMAK-${chars(HEX, 24)}-${chars(HEX, 34)}` },
  { kind: 'sendinblue-api-token', text: '$', secret: `xkeysib-${chars(HEX, 64)}-${chars(ALNUM, 16)}` },
  { kind: 'grafana-service-account-token', text: 'grafana: $', secret: `glsa_${chars(ALNUM, 32)}_${chars(HEX, 8)}` },
  { kind: 'dynatrace-api-token', text: 'dt token $', secret: `dt0c01.${chars(LOWER_ALNUM.toUpperCase(), 24)}.${chars(ALNUM, 64)}` },
  { kind: 'gitlab-token', text: 'routable PAT $ found', secret: `glpat-${chars(ALNUM, 27)}.01${chars(LOWER_ALNUM, 7)}` },
  { kind: 'stripe-key', text: 'prod key $', secret: `rk_prod_${chars(ALNUM, 40)}` },
  { kind: 'curl-auth-user', text: 'curl -s -u deploy:$ https://ci.internal/api', secret: `Pw${chars(ALNUM, 10)}` },
  { kind: 'microsoft-teams-webhook', text: 'https://acme.webhook.office.com/webhookb2/$', secret: `${uuid()}@${uuid()}/IncomingWebhook/${chars(HEX, 32)}/${uuid()}` },
  { kind: 'sidekiq-sensitive-url', text: 'source "https://$@gems.contribsys.com/"', secret: `${chars(HEX, 8)}:${chars(HEX, 8)}` },
  // A provider's name beside a value of its shape.
  { kind: 'discord-api-token', text: 'discord_bot_token: "$"', secret: chars(HEX, 64) },
  { kind: 'heroku-api-key', text: 'HEROKU_API_KEY=$', secret: uuid() },
  { kind: 'cloudflare-global-api-key', text: 'cloudflare: "$"', secret: chars(HEX, 37) },
  { kind: 'twitter-access-token', text: 'twitter_access = $', secret: `${chars('0123456789', 19)}-${chars(ALNUM, 30)}` },
  { kind: 'sumologic-access-id', text: 'SUMO_ACCESS_ID: $', secret: `su${chars(ALNUM, 12)}` },
  { kind: 'sonar-api-token', text: 'sonar.login=$', secret: `squ_${chars(HEX, 40)}` },
  { kind: 'mailgun-private-api-token', text: '<MailgunKey>$</MailgunKey>', secret: `key-${chars(HEX, 32)}` },
  // Generic names, written the way code declares them.
  { kind: 'token', text: 'var deployToken string = "$"', secret: chars(ALNUM, 30) },
  { kind: 'token', text: '<apiToken>\n    $\n</apiToken>', secret: chars(ALNUM, 30) },
];

const fill = (s: Sample) => s.text.replace('$', s.secret);

describe('provider and gitleaks-shaped secrets', () => {
  it.each(samples)('$kind: the secret goes, named by its rule', (s) => {
    const result = redactText(fill(s));
    expect(result.text).not.toContain(s.secret);
    expect(result.kinds.map((k) => k.kind)).toContain(s.kind);
    expect(result.text).toContain(`[REDACTED: ${s.kind}]`);
  });

  it('redacts each in a note body and in a check message, and records the kind without the value', () => {
    for (const s of samples) {
      const note: NoteRecord = {
        type: 'note', format: 'note', file: 'notes/pasted.md', place: { line: 1 }, kind: 'practice',
        title: 'Pasted', author: 'Kari Nordmann', date: '2026-11-20', rawControls: [], controls: [], body: `Found today:\n\n${fill(s)}\n\nRotated.`,
      };
      const check: CheckRecord = {
        type: 'check', format: 'native-json', file: 'checks/scan.json', place: { line: 3 }, rawControls: [], controls: [],
        check: 'secrets.scan', status: 'fail', message: fill(s),
      };
      for (const { record, redactions } of [redactRecord(note), redactRecord(check)]) {
        expect(JSON.stringify(record)).not.toContain(s.secret);
        expect(redactions.map((r) => r.kind)).toContain(s.kind);
        expect(JSON.stringify(redactions)).not.toContain(s.secret);
      }
    }
  });
});

describe('evidence that looks random but is not a secret stays', () => {
  const sha256 = chars(HEX, 64);
  const b64sha256 = Buffer.from(chars(HEX, 64), 'hex').toString('base64');
  const ordinary = [
    `image registry.example.com/app@sha256:${sha256} runs as root`,
    `evidence/checks/scan.json sha256 ${sha256}`,
    `Fixed in commit ${chars(HEX, 40)}`,
    `git ${chars(HEX, 40)} ${chars(HEX, 7)}`,
    `Subresource integrity ${b64sha256}`,
    `digest: ${b64sha256.replace(/=$/, '')}`,
    `etag "${Buffer.from(chars(HEX, 40), 'hex').toString('base64')}"`,
    'arn:aws:iam::123456789012:role/service-role/SecretsManagerRotationLambda2',
    'arn:aws:kms:eu-north-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    'checkov.terraform.checks.resource.aws.RDSInstancePerfInsightsEncryptionWithCMK passed',
    'http://assets.example.com/media/video_box.ico-7a388b69018576d24b59331fd60aab0c.png',
    'SetSysctl = "hmb8h40dtw30ps8tj75je8xh"',
    'rookTable = 0023452Lllk2KqjLBvaxANWEgTd7bqjsxjo8aZj0wd',
    'task SK-1234 risk accepted; disk 98% full',
    'see s.thisStringIsAllLetters and s.AcceptanceTimeoutSeconds',
    'curl -u $USER:$PASS https://ci.internal/api',
    'discord server for the team: https://discord.com/channels/123456789012345678',
  ];
  it.each(ordinary)('%s', (text) => {
    expect(redactText(text)).toEqual({ text, kinds: [] });
  });
});

describe('the rule tables', () => {
  it('use gitleaks-style ids and lowercase ASCII keywords, and every pattern is global', () => {
    const rules = [...TOKEN_RULES, ...PROVIDER_RULES];
    for (const r of rules) {
      expect(r.re.flags).toContain('g');
      expect(r.keywords.length).toBeGreaterThan(0);
      for (const k of r.keywords) expect(k).toMatch(/^[\x20-\x7e]+$/), expect(k).toBe(k.toLowerCase());
    }
    for (const id of [...TOKEN_RULES.map((r) => r.id), ...PROVIDER_RULES.flatMap((r) => r.shapes.map((s) => s.id))]) expect(id).toMatch(/^[0-9a-z]+(?:-[0-9a-z]+)*$/);
  });

  it('name a value by the first shape of its provider that fits it', () => {
    const twitter = PROVIDER_RULES.find((r) => r.keywords.includes('twitter'))!;
    expect(twitter.shapes.find((s) => s.shape.test(chars(LOWER_ALNUM, 25)))?.id).toBe('twitter-api-key');
    expect(twitter.shapes.find((s) => s.shape.test(chars(LOWER_ALNUM, 50)))?.id).toBe('twitter-api-secret');
  });
});

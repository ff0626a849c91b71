/**
 * Provider token formats, after the rule set of gitleaks (https://github.com/gitleaks/gitleaks, MIT
 * licence, copyright (c) 2019 Zachary Rice; its rules as of commit b58d3f102cf3a2c84cb7f923d05c25c9b1aed84b).
 * The formats are public (each provider documents its prefixes); they are written here as JavaScript
 * patterns, and each kind is the gitleaks rule id, so a redaction can be looked up there.
 * `scripts/gitleaks-recall.mjs` measures what legible catches of gitleaks' own rule samples.
 *
 * Two shapes of rule:
 *  - a token whose prefix or structure alone says what it is (`SK` + 32 hex, `hvs.…`, `dop_v1_…`);
 *  - a value of a provider's shape assigned to a name that mentions the provider (`discord_secret: …`,
 *    `<TwitterToken>…`): the shape alone would be too common.
 * Differences from gitleaks: tokens may end at any character outside their alphabet (prose puts a
 * full stop or a comma after them), and rules that need a file path (`.tf`, `.php`, `nuget.config`)
 * or say nothing of a secret (`"type": "service_account"`) are left out.
 */

export interface TokenRule {
  /** The gitleaks rule id, used as the redaction kind. */
  id: string;
  /** Global; the secret is `group` when given, else the whole match. */
  re: RegExp;
  group?: number;
  /** Lowercase words one of which the text holds (case-insensitively) when the rule can match. */
  keywords: readonly string[];
  /** Lowest Shannon entropy (bits per character) of the secret, as gitleaks requires. */
  entropy?: number;
  /** Secrets this matches are placeholders, not secrets. */
  placeholder?: RegExp;
}

/** A provider's value shapes, each a kind; tried in order, the first that fits names the value. */
export interface ProviderRule {
  /** Lowercase words one of which the key holds; also the prefilter's keywords. */
  keywords: readonly string[];
  /** `name … = value`, with the value in group 1. */
  re: RegExp;
  /** The cases a name must be written in, where any case would also match words (`SetSysctl`, `rookTable`). */
  nameCase?: RegExp;
  shapes: readonly { id: string; shape: RegExp; entropy?: number }[];
}

/** The end of a token: a character that cannot continue it, and not a file name's extension (`.png`). */
const WORD_END = '(?![A-Za-z0-9_-]|\\.[A-Za-z0-9])';
const ALNUM_END = '(?![A-Za-z0-9]|\\.[A-Za-z0-9])';

const token = (
  id: string,
  source: string,
  keywords: readonly string[],
  options: { entropy?: number; group?: number; caseless?: boolean; placeholder?: RegExp } = {},
): TokenRule => ({
  id,
  // `d`: a group's offsets, for rules whose secret sits inside the match.
  re: new RegExp(source, `g${options.caseless ? 'i' : ''}${options.group !== undefined ? 'd' : ''}`),
  keywords,
  ...(options.entropy !== undefined ? { entropy: options.entropy } : {}),
  ...(options.group !== undefined ? { group: options.group } : {}),
  ...(options.placeholder ? { placeholder: options.placeholder } : {}),
});

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

export const TOKEN_RULES: readonly TokenRule[] = [
  token('1password-secret-key', `\\bA3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})-[A-Z0-9]{5}-[A-Z0-9]{5}-[A-Z0-9]{5}\\b`, ['a3-'], { entropy: 3.8 }),
  token('1password-service-account-token', `\\bops_eyJ[a-zA-Z0-9+/]{250,}={0,3}`, ['ops_'], { entropy: 4 }),
  token('adobe-client-secret', `\\bp8e-[a-zA-Z0-9]{32}${ALNUM_END}`, ['p8e-'], { entropy: 2 }),
  token('age-secret-key', `AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`, ['age-secret-key-1']),
  token('airtable-personnal-access-token', `\\bpat[a-zA-Z0-9]{14}\\.[a-f0-9]{64}\\b`, ['pat']),
  token('alibaba-access-key-id', `\\bLTAI[a-zA-Z0-9]{20}${ALNUM_END}`, ['ltai'], { entropy: 2 }),
  token('artifactory-api-key', `\\bAKCp[A-Za-z0-9]{69}\\b`, ['akcp'], { entropy: 4.5 }),
  token('artifactory-reference-token', `\\bcmVmd[A-Za-z0-9]{59}\\b`, ['cmvmd'], { entropy: 4.5 }),
  token('atlassian-api-token', `\\bATATT3[A-Za-z0-9_\\-=]{186}`, ['atatt3']),
  token(
    'authress-service-client-access-key',
    `\\b(?:sc|ext|scauth|authress)_[a-zA-Z0-9]{5,30}\\.[a-zA-Z0-9]{4,6}\\.acc[_-][a-zA-Z0-9-]{10,32}\\.[a-zA-Z0-9+/_=-]{30,120}`,
    ['sc_', 'ext_', 'scauth_', 'authress_'],
    { entropy: 2 },
  ),
  token('aws-amazon-bedrock-api-key-long-lived', `\\bABSK[A-Za-z0-9+/]{109,269}={0,2}`, ['absk'], { entropy: 3, placeholder: /EXAMPLE/ }),
  token('aws-amazon-bedrock-api-key-short-lived', `\\bbedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/=_%-]*`, ['bedrock-api-key-']),
  token('azure-ad-client-secret', `(?<![A-Za-z0-9_~.-])[a-zA-Z0-9_~.]{3}\\dQ~[a-zA-Z0-9_~.-]{31,34}(?![A-Za-z0-9_~-])`, ['q~'], { entropy: 3 }),
  token('clickhouse-cloud-api-secret-key', `\\b4b1d[A-Za-z0-9]{38}\\b`, ['4b1d'], { entropy: 3 }),
  token('clojars-api-token', `\\bCLOJARS_[a-z0-9]{60}${ALNUM_END}`, ['clojars_'], { entropy: 2, caseless: true }),
  token('cloudflare-origin-ca-key', `\\bv1\\.0-[a-f0-9]{24}-[a-f0-9]{146}${ALNUM_END}`, ['v1.0-'], { entropy: 2 }),
  // `curl -u user:password`: the pair goes (placeholders stay).
  token('curl-auth-user', `(?<=(?:^|\\s)(?:-u|--user)(?:=|[ \\t]{1,5})["']?)[^\\s"':]*:[^\\s"']{3,}`, ['curl'], {
    entropy: 2,
    placeholder: /^(?:[^:]*:(?:change(?:it|me)|pass(?:word)?|pwd|test|token|\*+|x+)|[$<{[].*|[^:]*:[$<{[].*)$/i,
  }),
  token('databricks-api-token', `\\bdapi[a-f0-9]{32}(?:-\\d)?${ALNUM_END}`, ['dapi'], { entropy: 3 }),
  token('digitalocean-access-token', `\\bdoo_v1_[a-f0-9]{64}${ALNUM_END}`, ['doo_v1_'], { entropy: 3 }),
  token('digitalocean-pat', `\\bdop_v1_[a-f0-9]{64}${ALNUM_END}`, ['dop_v1_'], { entropy: 3 }),
  token('digitalocean-refresh-token', `\\bdor_v1_[a-f0-9]{64}${ALNUM_END}`, ['dor_v1_'], { caseless: true }),
  token('doppler-api-token', `\\bdp\\.pt\\.[a-zA-Z0-9]{43}${ALNUM_END}`, ['dp.pt.'], { entropy: 2 }),
  token('duffel-api-token', `\\bduffel_(?:test|live)_[a-zA-Z0-9_\\-=]{43}`, ['duffel_'], { entropy: 2 }),
  token('dynatrace-api-token', `\\bdt0c01\\.[a-zA-Z0-9]{24}\\.[a-zA-Z0-9]{64}${ALNUM_END}`, ['dt0c01.'], { entropy: 4 }),
  token('easypost-api-token', `\\bEZAK[a-zA-Z0-9]{54}\\b`, ['ezak'], { entropy: 2 }),
  token('easypost-test-api-token', `\\bEZTK[a-zA-Z0-9]{54}\\b`, ['eztk'], { entropy: 2 }),
  token('facebook-access-token', `\\b\\d{15,16}(?:\\||%7C|%)[0-9a-zA-Z_-]{27,40}${WORD_END}`, ['facebook'], { entropy: 3 }),
  token('facebook-page-access-token', `\\bEAA[MC][a-zA-Z0-9]{100,}`, ['eaam', 'eaac'], { entropy: 4 }),
  token('flutterwave-encryption-key', `\\bFLWSECK_TEST-[a-hA-H0-9]{12}(?![a-zA-Z0-9-])`, ['flwseck_test'], { entropy: 2 }),
  token('flutterwave-public-key', `\\bFLWPUBK_TEST-[a-hA-H0-9]{32}-X`, ['flwpubk_test'], { entropy: 2 }),
  token('flutterwave-secret-key', `\\bFLWSECK_TEST-[a-hA-H0-9]{32}-X`, ['flwseck_test'], { entropy: 2 }),
  token('flyio-access-token', `\\b(?:fo1_[\\w-]{43}|fm1[ar]_[a-zA-Z0-9+/]{100,}={0,3}|fm2_[a-zA-Z0-9+/]{100,}={0,3})`, ['fo1_', 'fm1', 'fm2_'], { entropy: 4 }),
  token('frameio-api-token', `\\bfio-u-[a-zA-Z0-9\\-_=]{64}`, ['fio-u-']),
  token('gitlab-feature-flag-client-token', `\\bglffct-[0-9a-zA-Z_-]{20}${WORD_END}`, ['glffct-'], { entropy: 3 }),
  token('gitlab-rrt', `\\bGR1348941[\\w-]{20}${WORD_END}`, ['gr1348941'], { entropy: 3 }),
  token('gitlab-session-cookie', `_gitlab_session=([0-9a-z]{32})${ALNUM_END}`, ['_gitlab_session='], { entropy: 3, group: 1 }),
  token('grafana-api-key', `\\beyJrIjoi[A-Za-z0-9]{70,400}={0,3}`, ['eyjrijoi'], { entropy: 3 }),
  token('grafana-cloud-api-token', `\\bglc_[A-Za-z0-9+/]{32,400}={0,3}`, ['glc_'], { entropy: 3 }),
  token('grafana-service-account-token', `\\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}${ALNUM_END}`, ['glsa_'], { entropy: 3 }),
  token('harness-api-key', `\\b(?:pat|sat)\\.[a-zA-Z0-9_-]{22}\\.[a-zA-Z0-9]{24}\\.[a-zA-Z0-9]{20}${ALNUM_END}`, ['pat.', 'sat.']),
  token('hashicorp-tf-api-token', `\\b[a-zA-Z0-9]{14}\\.atlasv1\\.[a-zA-Z0-9\\-_=]{60,70}`, ['atlasv1'], { entropy: 3.5 }),
  token('heroku-api-key-v2', `\\bHRKU-AA[0-9a-zA-Z_-]{58}${WORD_END}`, ['hrku-aa'], { entropy: 4 }),
  token('huggingface-access-token', `\\bhf_[a-zA-Z]{34}${ALNUM_END}`, ['hf_'], { entropy: 2 }),
  token('huggingface-organization-api-token', `\\bapi_org_[a-zA-Z]{34}${ALNUM_END}`, ['api_org_'], { entropy: 2 }),
  token('infracost-api-token', `\\bico-[a-zA-Z0-9]{32}${ALNUM_END}`, ['ico-'], { entropy: 3 }),
  token('intra42-client-secret', `\\bs-s4t2(?:ud|af)-[a-fA-F0-9]{64}${ALNUM_END}`, ['s-s4t2ud-', 's-s4t2af-'], { entropy: 3 }),
  token('linear-api-key', `\\blin_api_[a-zA-Z0-9]{40}${ALNUM_END}`, ['lin_api_'], { entropy: 2 }),
  token('maxmind-license-key', `\\b[A-Za-z0-9]{6}_[A-Za-z0-9]{29}_mmk${ALNUM_END}`, ['_mmk'], { entropy: 4 }),
  token(
    'microsoft-teams-webhook',
    `\\bwebhook\\.office\\.com/webhookb2/([a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}@[a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12}/IncomingWebhook/[a-z0-9]{32}/[a-z0-9]{8}-(?:[a-z0-9]{4}-){3}[a-z0-9]{12})`,
    ['webhook.office.com'],
    { group: 1, caseless: true },
  ),
  token('new-relic-browser-api-token', `\\bNRJS-[a-f0-9]{19}${ALNUM_END}`, ['nrjs-'], { caseless: true }),
  token('new-relic-insert-key', `\\bNRII-[a-z0-9-]{32}${WORD_END}`, ['nrii-'], { caseless: true }),
  token('new-relic-user-api-key', `\\bNRAK-[a-z0-9]{27}${ALNUM_END}`, ['nrak-'], { caseless: true }),
  token('notion-api-token', `\\bntn_[0-9]{11}[A-Za-z0-9]{35}${ALNUM_END}`, ['ntn_'], { entropy: 4 }),
  token('nuget-config-password', `<add key="(?:ClearText)?Password"\\s*value="([^"\\r\\n]{8,})"`, ['<add key='], { group: 1, caseless: true, placeholder: /^(?:x+|%[^%]+%|\$.*)$/i }),
  token('octopus-deploy-api-key', `\\bAPI-[A-Z0-9]{26}${ALNUM_END}`, ['api-'], { entropy: 3 }),
  token('openshift-user-token', `\\bsha256~[\\w-]{43}${WORD_END}`, ['sha256~'], { entropy: 3.5 }),
  token('perplexity-api-key', `\\bpplx-[a-zA-Z0-9]{48}${ALNUM_END}`, ['pplx-'], { entropy: 4 }),
  token('planetscale-api-token', `\\bpscale_tkn_[\\w=.-]{32,64}`, ['pscale_tkn_'], { entropy: 3 }),
  token('planetscale-oauth-token', `\\bpscale_oauth_[\\w=.-]{32,64}`, ['pscale_oauth_'], { entropy: 3 }),
  token('planetscale-password', `\\bpscale_pw_[\\w=.-]{32,64}`, ['pscale_pw_'], { entropy: 3 }),
  token('postman-api-token', `\\bPMAK-[a-fA-F0-9]{24}-[a-fA-F0-9]{34}${ALNUM_END}`, ['pmak-'], { entropy: 3 }),
  token('prefect-api-token', `\\bpnu_[a-zA-Z0-9]{36}${ALNUM_END}`, ['pnu_'], { entropy: 2 }),
  token('pulumi-api-token', `\\bpul-[a-f0-9]{40}${ALNUM_END}`, ['pul-'], { entropy: 2 }),
  token('pypi-upload-token', `\\bpypi-AgEIcHlwaS5vcmc[\\w-]{50,1000}`, ['pypi-ageichlwas5vcmc'], { entropy: 3 }),
  token('readme-api-token', `\\brdme_[a-z0-9]{70}${ALNUM_END}`, ['rdme_'], { entropy: 2 }),
  token('rubygems-api-token', `\\brubygems_[a-f0-9]{48}${ALNUM_END}`, ['rubygems_'], { entropy: 2 }),
  token('scalingo-api-token', `\\btk-us-[\\w-]{48}${WORD_END}`, ['tk-us-'], { entropy: 2 }),
  token('sendgrid-api-token', `\\bSG\\.[a-zA-Z0-9=_\\-.]{66}(?![a-zA-Z0-9=_.-])`, ['sg.'], { entropy: 2 }),
  token('sendinblue-api-token', `\\bxkeysib-[a-f0-9]{64}-[a-zA-Z0-9]{16}${ALNUM_END}`, ['xkeysib-'], { entropy: 2 }),
  token('sentry-org-token', `\\bsntrys_eyJ[a-zA-Z0-9+/]{20,}={0,2}_[a-zA-Z0-9+/]{43}`, ['sntrys_'], { entropy: 4.5 }),
  token('sentry-user-token', `\\bsntryu_[a-f0-9]{64}${ALNUM_END}`, ['sntryu_'], { entropy: 3.5 }),
  token('settlemint-application-access-token', `\\bsm_aat_[a-zA-Z0-9]{16}${ALNUM_END}`, ['sm_aat'], { entropy: 3 }),
  token('settlemint-personal-access-token', `\\bsm_pat_[a-zA-Z0-9]{16}${ALNUM_END}`, ['sm_pat'], { entropy: 3 }),
  token('settlemint-service-access-token', `\\bsm_sat_[a-zA-Z0-9]{16}${ALNUM_END}`, ['sm_sat'], { entropy: 3 }),
  token('shippo-api-token', `\\bshippo_(?:live|test)_[a-fA-F0-9]{40}${ALNUM_END}`, ['shippo_'], { entropy: 2 }),
  token('shopify-access-token', `\\bshpat_[a-fA-F0-9]{32}${ALNUM_END}`, ['shpat_'], { entropy: 2 }),
  token('shopify-custom-access-token', `\\bshpca_[a-fA-F0-9]{32}${ALNUM_END}`, ['shpca_'], { entropy: 2 }),
  token('shopify-private-app-access-token', `\\bshppa_[a-fA-F0-9]{32}${ALNUM_END}`, ['shppa_'], { entropy: 2 }),
  token('shopify-shared-secret', `\\bshpss_[a-fA-F0-9]{32}${ALNUM_END}`, ['shpss_'], { entropy: 2 }),
  // The user is part of the credential here: both go.
  token('sidekiq-sensitive-url', `\\bhttps?://([a-f0-9]{8}:[a-f0-9]{8})@(?:gems|enterprise)\\.contribsys\\.com`, ['gems.contribsys.com', 'enterprise.contribsys.com'], { group: 1, caseless: true }),
  token('sourcegraph-access-token', `\\bsgp_(?:[a-fA-F0-9]{16}|local)_[a-fA-F0-9]{40}${ALNUM_END}|\\bsgp_[a-fA-F0-9]{40}${ALNUM_END}`, ['sgp_'], { entropy: 3 }),
  token('square-access-token', `\\b(?:EAAA|sq0atp-)[\\w-]{22,60}`, ['sq0atp-', 'eaaa'], { entropy: 2 }),
  token('twilio-api-key', `\\bSK[0-9a-fA-F]{32}${ALNUM_END}`, ['sk'], { entropy: 3 }),
  // 22 `A`s open every app-only bearer token.
  token('twitter-bearer-token', `\\bA{22}[a-zA-Z0-9%]{80,100}${ALNUM_END}`, ['aaaaaaaaaaaaaaaaaaaaaa']),
  token('typeform-api-token', `\\btfp_[a-zA-Z0-9\\-_.=]{59}`, ['tfp_']),
  token('vault-batch-token', `\\bhvb\\.[\\w-]{138,300}`, ['hvb.'], { entropy: 4 }),
  // Service tokens since Vault 1.10 (`hvs.` + ~90 characters; shorter ones are still tokens), and the older `s.` + 24.
  token('vault-service-token', `\\bhv[sr]\\.[\\w-]{24,300}`, ['hvs.', 'hvr.'], { entropy: 3.5 }),
  token('vault-service-token', `(?<![\\w.-])s\\.(?=[a-zA-Z]{0,23}\\d)[a-zA-Z0-9]{24}${ALNUM_END}`, ['s.'], { entropy: 3.5 }),
  token('yandex-api-key', `\\bAQVN[A-Za-z0-9_-]{35,38}${WORD_END}`, ['aqvn'], { entropy: 3 }),
  // Not a gitleaks rule: a Discord webhook's id and token (gitleaks has only Discord's keyed secrets).
  token('discord-webhook-url', `\\bdiscord(?:app)?\\.com/api/(?:v\\d+/)?webhooks/(\\d{15,22}/[A-Za-z0-9_-]{50,100})`, ['discord.com/api/', 'discordapp.com/api/'], { group: 1 }),
];

/** `<provider words…> = value` as gitleaks writes it: the name, up to 20 more name characters, an operator. */
const provider = (names: string, keywords: readonly string[], shapes: [id: string, shape: string, entropy?: number][], nameCase?: RegExp): ProviderRule => ({
  keywords,
  ...(nameCase ? { nameCase } : {}),
  re: new RegExp(
    `(?:${names})[ \\t\\w.-]{0,20}[\\s'"]{0,3}(?:=|>|:{1,3}=|\\|\\||:|=>|\\?=|,)[\`'"\\s=]{0,5}(${shapes.map(([, s]) => s).join('|')})(?=[\`'"\\s;,)\\]}<>&|]|\\\\[nr]|$)`,
    'gi',
  ),
  shapes: shapes.map(([id, shape, entropy]) => ({ id, shape: new RegExp(`^(?:${shape})$`, 'i'), ...(entropy !== undefined ? { entropy } : {}) })),
});

export const PROVIDER_RULES: readonly ProviderRule[] = [
  provider('adafruit', ['adafruit'], [['adafruit-api-key', '[a-z0-9_-]{32}']]),
  provider('adobe', ['adobe'], [['adobe-client-id', '[a-f0-9]{32}', 2]]),
  provider('airtable', ['airtable'], [['airtable-api-key', '[a-z0-9]{17}']]),
  provider('algolia', ['algolia'], [['algolia-api-key', '[a-z0-9]{32}']]),
  provider('alibaba', ['alibaba'], [['alibaba-secret-key', '[a-z0-9]{30}', 2]]),
  provider('asana', ['asana'], [
    ['asana-client-id', '[0-9]{16}'],
    ['asana-client-secret', '[a-z0-9]{32}'],
  ]),
  provider('atlassian|confluence|jira', ['atlassian', 'confluence', 'jira'], [['atlassian-api-token', '[a-z0-9]{20}[a-f0-9]{4}', 3.5]], /^(?:ATLASSIAN|[Aa]tlassian|CONFLUENCE|[Cc]onfluence|JIRA|[Jj]ira)/),
  provider('beamer', ['beamer'], [['beamer-api-token', 'b_[a-z0-9=_\\-]{44}']]),
  provider('bitbucket', ['bitbucket'], [
    ['bitbucket-client-id', '[a-z0-9]{32}'],
    ['bitbucket-client-secret', '[a-z0-9=_\\-]{64}'],
  ]),
  provider('bittrex', ['bittrex'], [['bittrex-access-key', '[a-z0-9]{32}']]),
  provider('meraki', ['meraki'], [['cisco-meraki-api-key', '[0-9a-f]{40}', 3]], /^(?:MERAKI|[Mm]eraki)/),
  provider('cloudflare', ['cloudflare'], [
    ['cloudflare-api-key', '[a-z0-9_-]{40}', 2],
    ['cloudflare-global-api-key', '[a-f0-9]{37}', 2],
  ]),
  provider('codecov', ['codecov'], [['codecov-access-token', '[a-z0-9]{32}']]),
  provider('cohere|co_api_key', ['cohere', 'co_api_key'], [['cohere-api-token', '[a-zA-Z0-9]{40}', 4]]),
  provider('coinbase', ['coinbase'], [['coinbase-access-token', '[a-z0-9_-]{64}']]),
  provider('confluent', ['confluent'], [
    ['confluent-access-token', '[a-z0-9]{16}'],
    ['confluent-secret-key', '[a-z0-9]{64}'],
  ]),
  provider('contentful', ['contentful'], [['contentful-delivery-api-token', '[a-z0-9=_\\-]{43}']]),
  provider('datadog', ['datadog'], [['datadog-access-token', '[a-z0-9]{40}']]),
  provider('dnkey', ['dnkey'], [['defined-networking-api-token', 'dnkey-[a-z0-9=_\\-]{26}-[a-z0-9=_\\-]{52}']]),
  provider('discord', ['discord'], [
    ['discord-api-token', '[a-f0-9]{64}'],
    ['discord-client-id', '[0-9]{18}', 2],
    ['discord-client-secret', '[a-z0-9=_\\-]{32}', 2],
  ]),
  provider('droneci', ['droneci'], [['droneci-access-token', '[a-z0-9]{32}']]),
  provider('dropbox', ['dropbox'], [
    ['dropbox-api-token', '[a-z0-9]{15}'],
    ['dropbox-long-lived-api-token', '[a-z0-9]{11}AAAAAAAAAA[a-z0-9\\-_=]{43}'],
    ['dropbox-short-lived-api-token', 'sl\\.[a-z0-9\\-=_]{135}'],
  ]),
  provider('etsy', ['etsy'], [['etsy-access-token', '[a-z0-9]{24}', 3]], /^(?:ETSY|[Ee]tsy)/),
  provider('facebook', ['facebook'], [['facebook-secret', '[a-f0-9]{32}', 3]]),
  provider('fastly', ['fastly'], [['fastly-api-token', '[a-z0-9=_\\-]{32}']]),
  provider('finicity', ['finicity'], [
    ['finicity-api-token', '[a-f0-9]{32}'],
    ['finicity-client-secret', '[a-z0-9]{20}'],
  ]),
  provider('finnhub', ['finnhub'], [['finnhub-access-token', '[a-z0-9]{20}']]),
  provider('flickr', ['flickr'], [['flickr-access-token', '[a-z0-9]{32}']]),
  provider('freshbooks', ['freshbooks'], [['freshbooks-access-token', '[a-z0-9]{64}']]),
  provider('gitter', ['gitter'], [['gitter-access-token', '[a-z0-9_-]{40}']]),
  provider('gocardless', ['gocardless'], [['gocardless-api-token', 'live_[a-z0-9\\-_=]{40}']]),
  provider('heroku', ['heroku'], [['heroku-api-key', UUID]]),
  provider('hubspot', ['hubspot'], [['hubspot-api-key', UUID]]),
  provider('intercom', ['intercom'], [['intercom-api-key', '[a-z0-9=_\\-]{60}']]),
  provider('jfrog|artifactory|bintray|xray', ['jfrog', 'artifactory', 'bintray', 'xray'], [
    ['jfrog-api-key', '[a-z0-9]{73}'],
    ['jfrog-identity-token', '[a-z0-9]{64}'],
  ]),
  provider('kraken', ['kraken'], [['kraken-access-token', '[a-z0-9/=_+\\-]{80,90}']]),
  provider('kucoin', ['kucoin'], [
    ['kucoin-access-token', '[a-f0-9]{24}'],
    ['kucoin-secret-key', UUID],
  ]),
  provider('launchdarkly', ['launchdarkly'], [['launchdarkly-access-token', '[a-z0-9=_\\-]{40}']]),
  provider('linear', ['linear'], [['linear-client-secret', '[a-f0-9]{32}', 2]]),
  provider('linked[_-]?in', ['linkedin', 'linked_in', 'linked-in'], [
    ['linkedin-client-id', '[a-z0-9]{14}', 2],
    ['linkedin-client-secret', '[a-z0-9]{16}', 2],
  ]),
  provider('lob', ['lob'], [
    ['lob-api-key', '(?:live|test)_[a-f0-9]{35}'],
    ['lob-pub-api-key', '(?:test|live)_pub_[a-f0-9]{31}'],
  ]),
  provider('looker', ['looker'], [
    ['looker-client-id', '[a-z0-9]{20}'],
    ['looker-client-secret', '[a-z0-9]{24}'],
  ]),
  provider('mailchimp', ['mailchimp'], [['mailchimp-api-key', '[a-f0-9]{32}-us\\d\\d']]),
  provider('mailgun', ['mailgun'], [
    ['mailgun-private-api-token', 'key-[a-f0-9]{32}'],
    ['mailgun-pub-key', 'pubkey-[a-f0-9]{32}'],
    ['mailgun-signing-key', '[a-h0-9]{32}-[a-h0-9]{8}-[a-h0-9]{8}'],
  ]),
  provider('mapbox', ['mapbox'], [['mapbox-api-token', 'pk\\.[a-z0-9]{60}\\.[a-z0-9]{22}']]),
  provider('mattermost', ['mattermost'], [['mattermost-access-token', '[a-z0-9]{26}']]),
  provider('message[_-]?bird', ['messagebird', 'message_bird', 'message-bird'], [
    ['messagebird-api-token', '[a-z0-9]{25}'],
    ['messagebird-client-id', UUID],
  ]),
  provider('netlify', ['netlify'], [['netlify-access-token', '[a-z0-9=_\\-]{40,46}']]),
  provider('new[-_]?relic', ['newrelic', 'new-relic', 'new_relic'], [['new-relic-user-api-id', '[a-z0-9]{64}']]),
  provider('nytimes|new-york-times|newyorktimes', ['nytimes', 'new-york-times', 'newyorktimes'], [['nytimes-access-token', '[a-z0-9=_\\-]{32}']]),
  provider('okta', ['okta'], [['okta-access-token', '00[\\w=\\-]{40}', 4]], /^(?:OKTA|[Oo]kta)/),
  provider('plaid', ['plaid'], [
    ['plaid-api-token', `access-(?:sandbox|development|production)-${UUID}`],
    ['plaid-client-id', '[a-z0-9]{24}', 3.5],
    ['plaid-secret-key', '[a-z0-9]{30}', 3.5],
  ]),
  provider('private[_-]?ai', ['privateai', 'private_ai', 'private-ai'], [['privateai-api-token', '[a-z0-9]{32}', 3]]),
  provider('rapidapi', ['rapidapi'], [['rapidapi-access-token', '[a-z0-9_-]{50}']]),
  provider('sendbird', ['sendbird'], [
    ['sendbird-access-id', UUID],
    ['sendbird-access-token', '[a-f0-9]{40}'],
  ]),
  provider('sentry', ['sentry'], [['sentry-access-token', '[a-f0-9]{64}', 3]]),
  provider('bundle_enterprise__contribsys__com|bundle_gems__contribsys__com', ['bundle_enterprise__contribsys__com', 'bundle_gems__contribsys__com'], [
    ['sidekiq-secret', '[a-f0-9]{8}:[a-f0-9]{8}'],
  ]),
  provider('snyk[_.-]?(?:(?:api|oauth)[_.-]?)?(?:key|token)', ['snyk'], [['snyk-api-token', UUID]]),
  provider('sonar[_.-]?(?:login|token)', ['sonar'], [['sonar-api-token', '(?:squ_|sqp_|sqa_)?[a-z0-9=_\\-]{40}']]),
  provider('sourcegraph', ['sourcegraph'], [['sourcegraph-access-token', '[a-f0-9]{40}', 3]]),
  provider('squarespace', ['squarespace'], [['squarespace-access-token', UUID]]),
  provider(
    'sumo',
    ['sumo'],
    [
      ['sumologic-access-id', 'su[a-zA-Z0-9]{12}', 3],
      ['sumologic-access-token', '[a-z0-9]{64}', 3],
    ],
    /^(?:SUMO|[Ss]umo)/,
  ),
  provider('telegr', ['telegr'], [['telegram-bot-api-token', '[0-9]{5,16}:A[a-z0-9_\\-]{34}']]),
  provider('travis', ['travis'], [['travisci-access-token', '[a-z0-9]{22}']]),
  provider('twitch', ['twitch'], [['twitch-api-token', '[a-z0-9]{30}']]),
  provider('twitter', ['twitter'], [
    ['twitter-access-secret', '[a-z0-9]{45}'],
    ['twitter-access-token', '[0-9]{15,25}-[a-zA-Z0-9]{20,40}'],
    ['twitter-api-key', '[a-z0-9]{25}'],
    ['twitter-api-secret', '[a-z0-9]{50}'],
  ]),
  provider('typeform', ['typeform'], [['typeform-api-token', 'tfp_[a-z0-9\\-_.=]{59}']]),
  provider('yandex', ['yandex'], [
    ['yandex-access-token', 't1\\.[A-Z0-9a-z_-]+={0,2}\\.[A-Z0-9a-z_-]{86}={0,2}'],
    ['yandex-aws-access-token', 'YC[a-zA-Z0-9_\\-]{38}'],
  ]),
  provider('zendesk', ['zendesk'], [['zendesk-secret-key', '[a-z0-9]{40}']]),
];

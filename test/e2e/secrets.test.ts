import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { afterAll, describe, expect, it } from 'vitest';
import { legible, pdfPlain, scratchCopy } from '../helpers/cli.js';

// AWS's documented example keys and a well-formed fake GitHub token.
const AWS_ID = 'AKIAIOSFODNN7EXAMPLE';
const AWS_SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const GITHUB = 'ghp_16C7e42F292c6912E7710c838347Ae178B4a';
const PASSWORD = 'hunter2-Correct-Horse';

describe('secrets never leave', () => {
  it('are replaced by markers in every output and the terminal, and listed for rotation', async () => {
    const dir = scratchCopy('e2e');
    writeFileSync(
      join(dir, 'evidence', 'notes', 'leaky.md'),
      ['---', 'title: Deploy runbook check', 'author: Ola Nordmann', 'date: 2026-11-10', 'controls: [A.8.32]', '---', 'Checked the deploy job.', '', `It still exports aws_access_key_id=${AWS_ID} and aws_secret_access_key=${AWS_SECRET} in plain text.`, `The DB URL is postgres://deploy:${PASSWORD}@db.internal:5432/app.`, ''].join('\n'),
    );
    writeFileSync(
      join(dir, 'evidence', 'checks', 'leaky.json'),
      JSON.stringify([{ check: 'secrets.scan', status: 'fail', observed_at: '2026-11-20T00:00:00Z', controls: ['A.5.17'], resource: 'repo:api', message: `token found: ${GITHUB}` }]),
    );
    const r = await legible(['build', '--as-of', '2026-11-23'], dir);
    expect(r.code, r.stderr).toBe(0);
    const secrets = [AWS_ID, AWS_SECRET, GITHUB, PASSWORD];
    for (const s of secrets) expect(r.stdout + r.stderr).not.toContain(s);

    const out = join(dir, 'out');
    for (const name of readdirSync(out)) {
      const path = join(out, name);
      let text = readFileSync(path, 'latin1');
      if (name.endsWith('.pdf')) text += pdfPlain(path);
      if (name.endsWith('.xlsx')) {
        const book = XLSX.read(readFileSync(path), { type: 'buffer' });
        text += book.SheetNames.map((n) => XLSX.utils.sheet_to_csv(book.Sheets[n]!)).join('\n');
      }
      for (const s of secrets) expect(text, `${name} leaks ${s.slice(0, 6)}…`).not.toContain(s);
    }
    const pack = pdfPlain(join(out, 'iso27001-2022-certification-pack.pdf'));
    expect(pack).toContain('[REDACTED: aws-access-key-id]');
    expect(pack).toMatch(/Secrets redacted .*notes\/leaky\.md/);
    expect(pack).toContain('postgres://deploy:[REDACTED: url-password]@db.internal');

    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    const kinds = manifest.redactions.map((x: { file: string; kind: string; line: number | null }) => `${x.file}:${x.line ?? '-'}:${x.kind}`);
    expect(kinds).toEqual(expect.arrayContaining(['notes/leaky.md:9:aws-access-key-id', 'notes/leaky.md:9:aws-secret-key', 'notes/leaky.md:10:url-password', 'checks/leaky.json:-:github-token']));
    expect(JSON.stringify(manifest.redactions)).not.toMatch(/AKIA|ghp_|hunter2/);
  });
});

/** Every file under `dir`, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? filesUnder(join(dir, name)) : [join(dir, name)]));

/**
 * All that `path` says, as text: its bytes, and where they are compressed, what they hold (a PDF's
 * text and its attached files, a workbook's cells).
 */
function everythingIn(path: string, scratch: string): string {
  let text = readFileSync(path, 'latin1');
  if (path.endsWith('.pdf')) {
    text += pdfPlain(path);
    const attachments = mkdtempSync(join(scratch, 'attached-'));
    execFileSync('pdfdetach', ['-saveall', '-o', attachments, path]);
    for (const file of filesUnder(attachments)) text += readFileSync(file, 'utf8');
  }
  if (path.endsWith('.xlsx')) {
    const book = XLSX.read(readFileSync(path), { type: 'buffer' });
    text += book.SheetNames.map((n) => XLSX.utils.sheet_to_csv(book.Sheets[n]!)).join('\n');
  }
  return text;
}

describe('secret shapes that once reached the packs', () => {
  // Invented values of each shape, assembled at run time (this file holds none a secret scanner flags).
  const hex = (n: number, from = 7) => Array.from({ length: n }, (_, i) => '0123456789abcdef'[(i * 7 + from) % 16]).join('');
  const mixed = (n: number, from = 3) => Array.from({ length: n }, (_, i) => 'Kq7mZp2XwR9bLt4VnC8yHd5FsJ3gA6eUo1iT'[(i * 11 + from) % 36]).join('');
  const secrets = {
    twilio: `SK${hex(32)}`,
    vault: `hvs.${mixed(91)}`,
    discordWebhook: `${'1'.repeat(2)}${hex(16, 3).replace(/[a-f]/g, '4')}/${mixed(68, 5)}`,
    awsKeyId: `AKIA${'ZQ7R2KXW5N3T6VBY'}`,
    awsSecret: `${mixed(20, 2)}/${mixed(19, 9)}`,
    loneAwsSecret: `${mixed(25, 4)}+${mixed(14, 6)}`,
    digitalocean: `dop_v1_${hex(64, 5)}`,
    stripe: `rk_prod_${mixed(30, 8)}`,
    gitlab: `glpat-${mixed(27, 1)}.01${'x7k2m9q'}`,
  };
  const values = Object.values(secrets);
  const scratch = mkdtempSync(join(tmpdir(), 'legible-secrets-'));
  let dir: string | undefined;
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leave no trace in out/: PDF text and attachments, workbooks, manifest, terminal', async () => {
    dir = scratchCopy('e2e');
    writeFileSync(
      join(dir, 'evidence', 'notes', 'pasted-keys.md'),
      [
        '---',
        'title: Keys found in the wiki',
        'author: Kari Nordmann',
        'date: 2026-11-12',
        'controls: [A.5.17]',
        '---',
        'The old runbook page held these, all rotated on 12 November:',
        '',
        `- SMS alerts: ${secrets.twilio}`,
        `- the CI runner exported ${secrets.vault}`,
        `- alerts went to https://discord.com/api/webhooks/${secrets.discordWebhook}`,
        `- ${secrets.awsKeyId} ${secrets.awsSecret}`,
        `- pasted on its own: ${secrets.loneAwsSecret}`,
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'evidence', 'checks', 'secret-scan.json'),
      JSON.stringify([
        { check: 'secrets.repo-scan', status: 'fail', observed_at: '2026-11-20T00:00:00Z', controls: ['A.8.4'], resource: 'repo:deploy', message: `DigitalOcean token ${secrets.digitalocean} in terraform.tfvars` },
        { check: 'secrets.repo-scan', status: 'fail', observed_at: '2026-11-20T00:00:00Z', controls: ['A.8.4'], resource: 'repo:payments', message: `restricted key ${secrets.stripe}; CI token ${secrets.gitlab}` },
        { check: 'secrets.repo-scan', status: 'fail', observed_at: '2026-11-20T00:00:00Z', controls: ['A.8.4'], resource: 'repo:alerts', message: `found ${secrets.twilio} and ${secrets.loneAwsSecret}` },
      ]),
    );
    const r = await legible(['build', '--as-of', '2026-11-23'], dir);
    expect(r.code, r.stderr).toBe(0);
    for (const s of values) expect(r.stdout + r.stderr).not.toContain(s);

    const outputs = filesUnder(join(dir, 'out'));
    expect(outputs.some((f) => f.endsWith('.pdf')) && outputs.some((f) => f.endsWith('.xlsx'))).toBe(true);
    const attached = outputs.filter((f) => f.endsWith('.pdf')).map((f) => everythingIn(f, scratch)).join('');
    // The packs carry the manifest as an attachment: the test reads inside it, not just around it.
    expect(attached).toContain('"redactions"');
    for (const file of [...outputs, ...filesUnder(join(dir, '.legible-cache'))]) {
      const text = everythingIn(file, scratch);
      for (const [name, s] of Object.entries(secrets)) expect(text, `${file} holds the ${name} value`).not.toContain(s);
    }

    const manifest = JSON.parse(readFileSync(join(dir, 'out', 'manifest.json'), 'utf8'));
    const listed = manifest.redactions.map((x: { file: string; kind: string }) => `${x.file}:${x.kind}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        'notes/pasted-keys.md:twilio-api-key',
        'notes/pasted-keys.md:vault-service-token',
        'notes/pasted-keys.md:discord-webhook-url',
        'notes/pasted-keys.md:aws-access-key-id',
        'notes/pasted-keys.md:aws-secret-key',
        'checks/secret-scan.json:digitalocean-pat',
        'checks/secret-scan.json:stripe-key',
        'checks/secret-scan.json:gitlab-token',
        'checks/secret-scan.json:twilio-api-key',
        'checks/secret-scan.json:aws-secret-key',
      ]),
    );
    expect(pdfPlain(join(dir, 'out', 'iso27001-2022-certification-pack.pdf'))).toContain('[REDACTED: vault-service-token]');
  });
});

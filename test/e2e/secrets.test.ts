import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as XLSX from 'xlsx';
import { describe, expect, it } from 'vitest';
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

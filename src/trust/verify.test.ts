import { createHash, generateKeyPairSync, sign as cryptoSign } from 'node:crypto';
import { cpSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp.js';
import { build } from '../pipeline.js';
import { packageRoot } from '../util/package-root.js';
import { signManifest } from './sign.js';
import { VerifyError, formatVerifyReport, verifyOutputs } from './verify.js';

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

const ed25519 = () =>
  generateKeyPairSync('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

/** The outputs and evidence of a small build, written by hand with their real hashes. */
const OUTPUTS: Record<string, Buffer> = {
  'iso27001-2022-certification-pack.pdf': Buffer.from('%PDF-1.7\n% a certification pack\n%%EOF\n'),
  'statement-of-applicability.xlsx': Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00]),
  'board-report.pdf': Buffer.from('%PDF-1.7\n% the board report\n%%EOF\n'),
};
const EVIDENCE: Record<string, string> = {
  'checks/iam.json': '{"results":[{"check":"iam.mfa","status":"pass"}]}\n',
  'notes/access-review.md': '---\ncontrols: [A.5.18]\n---\nQuarterly access review done.\n',
  '.well-known/security.txt': 'Contact: mailto:security@example.com\n',
  'checks/huge.bin': 'pretend this was above maxFileBytes\n',
};
/** Rejected without being read: the manifest records no hash for it. */
const UNREAD = 'checks/huge.bin';

let dir: string;
let out: string;
let evidence: string;

function manifestFor(outputs: Record<string, Buffer>, inputs: Record<string, string>) {
  return {
    tool: { name: 'legible', version: '0.1.0' },
    asOf: '2026-11-23',
    organization: 'Fjordline Payments AS',
    scope: 'Payments platform',
    inputs: Object.entries(inputs).map(([path, content]) => ({
      path,
      sha256: path === UNREAD ? null : sha(content),
      bytes: Buffer.byteLength(content),
      format: path === UNREAD ? 'unknown' : 'native-json',
      accepted: path !== UNREAD,
      reason: path === UNREAD ? 'above the limit' : null,
      records: 1,
      invalidRecords: 0,
    })),
    controls: [],
    findings: { total: 1, counts: {}, failingBySeverity: {} },
    outputs: Object.entries(outputs).map(([path, content]) => ({ path, sha256: sha(content), bytes: content.length })),
    diagnostics: [],
  };
}

const writeManifest = (manifest: unknown) => writeFile(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);

async function put(root: string, rel: string, content: Buffer | string): Promise<void> {
  await mkdir(dirname(join(root, rel)), { recursive: true });
  await writeFile(join(root, rel), content);
}

/** Flip the bits of one byte in the middle of a file. */
async function flipOneByte(path: string): Promise<void> {
  const data = await readFile(path);
  const at = Math.floor(data.length / 2);
  data[at] = (data[at] ?? 0) ^ 0x01;
  await writeFile(path, data);
}

beforeEach(async () => {
  dir = tempDir('legible-trust-');
  out = join(dir, 'out');
  evidence = join(dir, 'evidence');
  for (const [path, content] of Object.entries(OUTPUTS)) await put(out, path, content);
  for (const [path, content] of Object.entries(EVIDENCE)) await put(evidence, path, content);
  // Not evidence, not outputs: a repository's .git, the build's lock and a temporary file.
  await put(evidence, '.git/config', '[core]\n');
  await put(out, '.legible.lock', '12345\n');
  await put(out, '.board-report.pdf.12345.abcd.tmp', 'half');
  await writeManifest(manifestFor(OUTPUTS, EVIDENCE));
});

const verify = (extra: { publicKeyPem?: string; evidence?: boolean } = {}) =>
  verifyOutputs({
    outDir: out,
    ...(extra.evidence === false ? {} : { evidenceDir: evidence }),
    ...(extra.publicKeyPem === undefined ? {} : { publicKeyPem: extra.publicKeyPem, publicKeySource: 'signer.pub.pem' }),
  });

describe('verifyOutputs: files against the manifest', () => {
  it('finds nothing wrong with an untouched build', async () => {
    const report = await verify();
    expect(report).toEqual({ ok: true, checked: { outputs: 3, inputs: 4, signature: false }, problems: [] });
    expect(formatVerifyReport(report).at(-1)).toBe('verified: 3 outputs, 4 inputs, signature not checked (no --pubkey); no problems');
  });

  it('checks only outputs without an evidence folder', async () => {
    await flipOneByte(join(evidence, 'checks/iam.json'));
    expect(await verify({ evidence: false })).toEqual({ ok: true, checked: { outputs: 3, inputs: 0, signature: false }, problems: [] });
  });

  it.each(Object.keys(OUTPUTS))('reports a one-byte change to the output %s as modified', async (path) => {
    await flipOneByte(join(out, path));
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ kind: 'modified', scope: 'output', path, detail: expect.stringContaining(`manifest.json records ${sha(OUTPUTS[path]!)}`) }]);
  });

  it.each(Object.keys(EVIDENCE).filter((p) => p !== UNREAD))('reports a one-byte change to the evidence file %s as modified', async (path) => {
    await flipOneByte(join(evidence, path));
    const report = await verify();
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ kind: 'modified', scope: 'input', path, detail: expect.stringMatching(/^sha256 [0-9a-f]{64} \(\d+ bytes\); manifest\.json records/) }]);
  });

  it('reports deleted outputs and inputs as missing, including an input rejected unread', async () => {
    await unlink(join(out, 'board-report.pdf'));
    await unlink(join(evidence, 'notes/access-review.md'));
    await rm(join(evidence, 'checks'), { recursive: true });
    const report = await verify();
    expect(report.problems.map((p) => [p.kind, p.scope, p.path])).toEqual([
      ['missing', 'input', 'checks/huge.bin'],
      ['missing', 'input', 'checks/iam.json'],
      ['missing', 'input', 'notes/access-review.md'],
      ['missing', 'output', 'board-report.pdf'],
    ]);
    expect(report.problems[3]!.detail).toBe('listed in manifest.json but absent from the output folder');
  });

  it('reports added files as extra, ignoring dot files in the output folder but not in the evidence folder', async () => {
    await put(out, 'forged-soc2-report.pdf', '%PDF-1.7\n');
    await put(out, 'sub/annex.pdf', '%PDF-1.7\n');
    await put(out, '.another.tmp', 'ignored');
    await put(evidence, 'checks/late.json', '{}');
    await put(evidence, '.env', 'SECRET=1');
    await put(evidence, '.git/HEAD', 'ref: refs/heads/main\n');
    const report = await verify();
    expect(report.problems.map((p) => [p.kind, p.scope, p.path])).toEqual([
      ['extra', 'input', '.env'],
      ['extra', 'input', 'checks/late.json'],
      ['extra', 'output', 'forged-soc2-report.pdf'],
      ['extra', 'output', 'sub/annex.pdf'],
    ]);
  });

  it('does not count an output folder inside the evidence folder as evidence', async () => {
    const inner = join(evidence, 'out');
    cpSync(out, inner, { recursive: true });
    const report = await verifyOutputs({ outDir: inner, evidenceDir: evidence });
    expect(report.problems).toEqual([]);
  });

  it('follows links inside the evidence folder as the build does, but never accepts a link as an output', async () => {
    await rm(join(evidence, 'checks/iam.json'));
    await put(evidence, 'real/iam.json', EVIDENCE['checks/iam.json']!);
    await symlink(join(evidence, 'real/iam.json'), join(evidence, 'checks/iam.json'));
    const manifest = manifestFor(OUTPUTS, { ...EVIDENCE, 'real/iam.json': EVIDENCE['checks/iam.json']! });
    await writeManifest(manifest);
    expect((await verify()).problems).toEqual([]);

    await put(dir, 'elsewhere/board-report.pdf', OUTPUTS['board-report.pdf']!);
    await rm(join(out, 'board-report.pdf'));
    await symlink(join(dir, 'elsewhere/board-report.pdf'), join(out, 'board-report.pdf'));
    expect((await verify()).problems).toEqual([
      { kind: 'modified', scope: 'output', path: 'board-report.pdf', detail: 'a symbolic link, not the file the build wrote' },
    ]);
  });

  it('sorts problems by scope, then path', async () => {
    await put(out, 'z.pdf', 'x');
    await put(out, 'a.pdf', 'x');
    await unlink(join(out, 'board-report.pdf'));
    await flipOneByte(join(evidence, 'notes/access-review.md'));
    await put(evidence, 'a.json', '{}');
    const { privateKey, publicKey } = ed25519();
    await signManifest(out, privateKey).catch(() => undefined); // refuses: an output is missing
    const report = await verify({ publicKeyPem: publicKey });
    expect(report.problems.map((p) => `${p.scope} ${p.path} ${p.kind}`)).toEqual([
      'input a.json extra',
      'input notes/access-review.md modified',
      'manifest manifest.json.sig signature',
      'output a.pdf extra',
      'output board-report.pdf missing',
      'output z.pdf extra',
    ]);
  });
});

describe('verifyOutputs: the signature', () => {
  it('passes a signed, untouched build with the signer’s key', async () => {
    const { privateKey, publicKey } = ed25519();
    await signManifest(out, privateKey);
    const report = await verify({ publicKeyPem: publicKey });
    expect(report).toEqual({ ok: true, checked: { outputs: 3, inputs: 4, signature: true }, problems: [] });
  });

  it('does not check the signature without a public key', async () => {
    const { privateKey } = ed25519();
    await signManifest(out, privateKey);
    await writeFile(join(out, 'manifest.json.sig'), 'garbage');
    const report = await verify();
    expect(report.checked.signature).toBe(false);
    expect(report.ok).toBe(true);
  });

  it('catches a forged output whose hash was also forged into the signed manifest', async () => {
    const { privateKey, publicKey } = ed25519();
    await signManifest(out, privateKey);
    // The forger changes a report and updates its hash in the manifest, so the hashes agree again...
    const forged = Buffer.from('%PDF-1.7\n% all controls effective\n%%EOF\n');
    await writeFile(join(out, 'board-report.pdf'), forged);
    await writeManifest(manifestFor({ ...OUTPUTS, 'board-report.pdf': forged }, EVIDENCE));
    // ...which fools a check without the key,
    expect((await verify()).ok).toBe(true);
    // but not the signature.
    const report = await verify({ publicKeyPem: publicKey });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([
      { kind: 'signature', scope: 'manifest', path: 'manifest.json', detail: expect.stringMatching(/^changed after it was signed: sha256 [0-9a-f]{64}, the signature is for [0-9a-f]{64}$/) },
    ]);
  });

  it('catches a tampered manifest whose signature file was updated to look valid', async () => {
    const { privateKey, publicKey } = ed25519();
    await signManifest(out, privateKey);
    const signature = JSON.parse(await readFile(join(out, 'manifest.json.sig'), 'utf8')) as Record<string, string>;
    const tampered = `${JSON.stringify(manifestFor(OUTPUTS, { ...EVIDENCE, 'checks/extra.json': '{}' }), null, 2)}\n`;
    await writeFile(join(out, 'manifest.json'), tampered);
    await put(evidence, 'checks/extra.json', '{}');
    await writeFile(join(out, 'manifest.json.sig'), JSON.stringify({ ...signature, manifestSha256: sha(tampered) }));
    const report = await verify({ publicKeyPem: publicKey });
    expect(report.problems).toEqual([
      { kind: 'signature', scope: 'manifest', path: 'manifest.json.sig', detail: expect.stringContaining('does not verify against manifest.json with the given key') },
    ]);
  });

  it('rejects a signature by another key, whatever key the signature file names', async () => {
    const signer = ed25519();
    const forger = ed25519();
    await signManifest(out, forger.privateKey);
    const report = await verify({ publicKeyPem: signer.publicKey });
    expect(report.ok).toBe(false);
    expect(report.problems).toEqual([{ kind: 'signature', scope: 'manifest', path: 'manifest.json.sig', detail: expect.stringContaining('signed by another key') }]);

    // Naming the expected signer's key in the file does not help the forger.
    const signature = JSON.parse(await readFile(join(out, 'manifest.json.sig'), 'utf8')) as Record<string, string>;
    await writeFile(join(out, 'manifest.json.sig'), JSON.stringify({ ...signature, publicKey: signer.publicKey }));
    const again = await verify({ publicKeyPem: signer.publicKey });
    expect(again.problems).toEqual([{ kind: 'signature', scope: 'manifest', path: 'manifest.json.sig', detail: expect.stringContaining('forged or corrupted') }]);
  });

  it('reports an unsigned build, an unreadable signature file and an edited manifestSha256', async () => {
    const { privateKey, publicKey } = ed25519();
    expect((await verify({ publicKeyPem: publicKey })).problems).toEqual([
      { kind: 'signature', scope: 'manifest', path: 'manifest.json.sig', detail: expect.stringContaining('not signed') },
    ]);
    await writeFile(join(out, 'manifest.json.sig'), '{"algorithm":"RSA"}');
    expect((await verify({ publicKeyPem: publicKey })).problems[0]!.detail).toMatch(/^not a legible signature file: algorithm/);

    await signManifest(out, privateKey);
    const signature = JSON.parse(await readFile(join(out, 'manifest.json.sig'), 'utf8')) as Record<string, string>;
    await writeFile(join(out, 'manifest.json.sig'), JSON.stringify({ ...signature, manifestSha256: sha('other') }));
    expect((await verify({ publicKeyPem: publicKey })).problems[0]!.detail).toMatch(/^the signature is valid, but the manifestSha256 it states/);
  });

  it('verifies a hand-made signature over the exact manifest bytes', async () => {
    const { privateKey, publicKey } = ed25519();
    const bytes = await readFile(join(out, 'manifest.json'));
    const document = { algorithm: 'Ed25519', manifestSha256: sha(bytes), publicKey, signature: cryptoSign(null, bytes, privateKey).toString('base64') };
    await writeFile(join(out, 'manifest.json.sig'), JSON.stringify(document));
    expect((await verify({ publicKeyPem: publicKey })).ok).toBe(true);
    // One byte of whitespace in the manifest is enough to break it.
    await writeFile(join(out, 'manifest.json'), Buffer.concat([bytes, Buffer.from('\n')]));
    expect((await verify({ publicKeyPem: publicKey })).problems[0]!.path).toBe('manifest.json');
  });

  it('refuses a public key that is not Ed25519, naming it', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    await expect(verify({ publicKeyPem: rsa.publicKey })).rejects.toThrow(VerifyError);
    await expect(verify({ publicKeyPem: rsa.publicKey })).rejects.toThrow('signer.pub.pem: the key type is rsa (2048-bit), not Ed25519');
    await expect(verify({ publicKeyPem: 'not a key' })).rejects.toThrow(/^signer\.pub\.pem: not a readable public key/);
  });
});

describe('verifyOutputs: a manifest that is not one', () => {
  const manifestPath = () => join(out, 'manifest.json');

  it('throws naming the file when it is not JSON', async () => {
    await writeFile(manifestPath(), '{"tool": ');
    await expect(verify()).rejects.toThrow(VerifyError);
    await expect(verify()).rejects.toThrow(`${manifestPath()}: not valid JSON`);
  });

  it('throws naming the file when it is not a legible manifest', async () => {
    await writeFile(manifestPath(), '{"tool": {"name": "other", "version": "1"}, "inputs": [], "outputs": []}');
    await expect(verify()).rejects.toThrow(`${manifestPath()}: not a legible manifest: tool.name`);
    await writeManifest({ ...manifestFor(OUTPUTS, EVIDENCE), outputs: [{ path: 'x.pdf', sha256: 'abc' }] });
    await expect(verify()).rejects.toThrow(/not a legible manifest: outputs\.0\.sha256/);
  });

  it('throws on a path that leaves its folder rather than reading it', async () => {
    await writeManifest({ ...manifestFor(OUTPUTS, EVIDENCE), outputs: [{ path: '../evidence/checks/iam.json', sha256: sha(EVIDENCE['checks/iam.json']!) }] });
    await expect(verify()).rejects.toThrow(/outputs\.0\.path "\.\.\/evidence\/checks\/iam\.json" is not a path inside its folder/);
    await writeManifest({ ...manifestFor(OUTPUTS, EVIDENCE), outputs: [{ path: '/etc/passwd', sha256: sha('') }] });
    await expect(verify()).rejects.toThrow(VerifyError);
  });

  it('throws when the folders are not there', async () => {
    await unlink(manifestPath());
    await expect(verify()).rejects.toThrow(`${manifestPath()}: no such file`);
    await expect(verifyOutputs({ outDir: join(dir, 'nowhere') })).rejects.toThrow(VerifyError);
    await writeManifest(manifestFor(OUTPUTS, EVIDENCE));
    await expect(verifyOutputs({ outDir: out, evidenceDir: join(dir, 'nowhere') })).rejects.toThrow(/no such evidence folder/);
  });
});

describe('verifyOutputs on a real build', () => {
  it('agrees with the manifest legible build writes, then signs and verifies it', async () => {
    const project = join(dir, 'project');
    cpSync(join(packageRoot(), 'test', 'fixtures', 'e2e'), project, { recursive: true });
    await build({ cwd: project, asOf: '2026-11-23' });
    const { privateKey, publicKey } = ed25519();
    await signManifest(join(project, 'out'), privateKey);
    const report = await verifyOutputs({ outDir: join(project, 'out'), evidenceDir: join(project, 'evidence'), publicKeyPem: publicKey });
    expect(report.problems).toEqual([]);
    expect(report.checked.inputs).toBeGreaterThan(5);
    expect(report.checked.outputs).toBeGreaterThan(5);
  });
});

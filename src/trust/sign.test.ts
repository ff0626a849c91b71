import { createHash, createPublicKey, generateKeyPairSync, verify as cryptoVerify } from 'node:crypto';
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/temp.js';
import { PRIVATE_KEY_NAME, PUBLIC_KEY_NAME, SignError, TrustError, generateKeyPair, readKeyFile, signManifest } from './sign.js';

const sha = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const report = Buffer.from('%PDF-1.7\n% report\n%%EOF\n');

let dir: string;

beforeEach(async () => {
  dir = tempDir('legible-sign-');
  await writeFile(join(dir, 'board-report.pdf'), report);
  const manifest = {
    tool: { name: 'legible', version: '0.1.0' },
    inputs: [{ path: 'checks/iam.json', sha256: sha('{}'), bytes: 2 }],
    outputs: [{ path: 'board-report.pdf', sha256: sha(report), bytes: report.length }],
  };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
});

describe('generateKeyPair', () => {
  it('writes a PKCS#8 private key readable by its owner only, and its SPKI public key', async () => {
    const keys = join(dir, 'keys');
    const result = await generateKeyPair(keys);
    expect(result.privateKeyPath).toBe(join(keys, PRIVATE_KEY_NAME));
    expect(result.publicKeyPath).toBe(join(keys, PUBLIC_KEY_NAME));
    const privatePem = await readFile(result.privateKeyPath, 'utf8');
    const publicPem = await readFile(result.publicKeyPath, 'utf8');
    expect(privatePem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(publicPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(createPublicKey(publicPem).asymmetricKeyType).toBe('ed25519');
    expect(createPublicKey(privatePem).export({ type: 'spki', format: 'pem' })).toBe(publicPem);
    if (process.platform !== 'win32') expect((await stat(result.privateKeyPath)).mode & 0o777).toBe(0o600);
    expect(result.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect((await readdir(keys)).sort()).toEqual([PRIVATE_KEY_NAME, PUBLIC_KEY_NAME]);
  });

  it('never overwrites an existing key', async () => {
    const first = await generateKeyPair(dir);
    const before = await readFile(first.privateKeyPath, 'utf8');
    await expect(generateKeyPair(dir)).rejects.toThrow(`${first.privateKeyPath}: already exists; not overwritten`);
    expect(await readFile(first.privateKeyPath, 'utf8')).toBe(before);
    // A lone public key blocks too, and leaves no new private key behind.
    const other = join(dir, 'other');
    await generateKeyPair(other);
    await rm(join(other, PRIVATE_KEY_NAME));
    await expect(generateKeyPair(other)).rejects.toThrow(TrustError);
    expect(await readdir(other)).toEqual([PUBLIC_KEY_NAME]);
  });
});

describe('signManifest', () => {
  it('writes manifest.json.sig: Ed25519 over the manifest’s exact bytes, with the signer’s public key', async () => {
    const keys = await generateKeyPair(join(dir, 'keys'));
    const result = await signManifest(dir, await readKeyFile(keys.privateKeyPath), { keySource: keys.privateKeyPath });
    expect(result.signaturePath).toBe(join(dir, 'manifest.json.sig'));
    expect(result.fingerprint).toBe(keys.fingerprint);
    const text = await readFile(result.signaturePath, 'utf8');
    const document = JSON.parse(text) as Record<string, string>;
    expect(Object.keys(document)).toEqual(['algorithm', 'manifestSha256', 'publicKey', 'signature']);
    const bytes = await readFile(join(dir, 'manifest.json'));
    expect(document.algorithm).toBe('Ed25519');
    expect(document.manifestSha256).toBe(sha(bytes));
    expect(result.manifestSha256).toBe(sha(bytes));
    expect(document.publicKey).toBe(await readFile(keys.publicKeyPath, 'utf8'));
    const signature = Buffer.from(document.signature!, 'base64');
    expect(signature.length).toBe(64);
    expect(cryptoVerify(null, bytes, createPublicKey(document.publicKey!), signature)).toBe(true);
    expect(cryptoVerify(null, Buffer.concat([bytes, Buffer.from(' ')]), createPublicKey(document.publicKey!), signature)).toBe(false);
    // Written atomically: no temporary file left behind.
    expect((await readdir(dir)).filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it('rejects a key that is not an Ed25519 private key, naming the key file', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256', privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const ed = generateKeyPairSync('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    const sign = (pem: string) => signManifest(dir, pem, { keySource: 'keys/company.pem' });
    await expect(sign(rsa.privateKey)).rejects.toThrow(SignError);
    await expect(sign(rsa.privateKey)).rejects.toThrow('keys/company.pem: the key type is rsa (2048-bit), not Ed25519');
    await expect(sign(ec.privateKey)).rejects.toThrow('keys/company.pem: the key type is ec (prime256v1), not Ed25519');
    await expect(sign(ed.publicKey)).rejects.toThrow('keys/company.pem: a public key; signing needs the private key');
    await expect(sign('hello')).rejects.toThrow(/^keys\/company\.pem: not a readable private key/);
    await expect(readdir(dir)).resolves.not.toContain('manifest.json.sig');
  });

  it('refuses to sign a folder without a legible manifest, or whose outputs are not as listed', async () => {
    const { privateKey } = generateKeyPairSync('ed25519', { privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
    await writeFile(join(dir, 'board-report.pdf'), 'changed');
    await expect(signManifest(dir, privateKey)).rejects.toThrow(/not signed: 1 of the outputs it lists are not as recorded: board-report\.pdf modified/);
    await writeFile(join(dir, 'manifest.json'), '[]');
    await expect(signManifest(dir, privateKey)).rejects.toThrow(`${join(dir, 'manifest.json')}: not a legible manifest`);
    await rm(join(dir, 'manifest.json'));
    await expect(signManifest(dir, privateKey)).rejects.toThrow(`${join(dir, 'manifest.json')}: no such file`);
    await expect(readdir(dir)).resolves.not.toContain('manifest.json.sig');
  });

  it('names a key file that is not there', async () => {
    await expect(readKeyFile(join(dir, 'missing.pem'))).rejects.toThrow(`${join(dir, 'missing.pem')}: no such key file`);
  });
});

import { createPublicKey, generateKeyPairSync, randomBytes, sign as cryptoSign } from 'node:crypto';
import { link, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { writeAtomic } from '../output/write.js';
import {
  MANIFEST_NAME,
  SIGNATURE_ALGORITHM,
  SIGNATURE_NAME,
  SignError,
  TrustError,
  keyFingerprint,
  parseManifest,
  parsePrivateKey,
  readManifestBytes,
  sha256,
  type SignatureFile,
} from './common.js';
import { checkOutputs } from './verify.js';

export { SignError, TrustError, readKeyFile, keyFingerprint, type SignatureFile } from './common.js';

export const PRIVATE_KEY_NAME = 'legible-signing-key.pem';
export const PUBLIC_KEY_NAME = 'legible-signing-key.pub.pem';

const fail = (message: string) => new SignError(message);

export interface SignOptions {
  /** Names the private key in error messages, e.g. the `--key` path. */
  keySource?: string;
}

export interface SignResult {
  /** Absolute path of the `manifest.json.sig` written. */
  signaturePath: string;
  /** SHA-256 of the manifest bytes signed. */
  manifestSha256: string;
  /** SHA-256 of the signer's SPKI public key (DER), hex. */
  fingerprint: string;
}

/**
 * Sign `manifest.json`'s exact bytes with an Ed25519 private key (PKCS#8 PEM) and write
 * `manifest.json.sig` atomically next to it. The manifest lists every input and output with its hash,
 * so the signature covers them all. Refuses — with a `SignError` — a key that is not Ed25519, a folder
 * without a legible manifest, and a manifest whose listed outputs are no longer the files on disk:
 * signing those would vouch for something that is not there.
 */
export async function signManifest(outDir: string, privateKeyPem: string, options: SignOptions = {}): Promise<SignResult> {
  const key = parsePrivateKey(privateKeyPem, options.keySource ?? 'the private key', fail);
  const folder = resolve(outDir);
  const manifestPath = join(folder, MANIFEST_NAME);
  const bytes = await readManifestBytes(manifestPath, fail);
  const manifest = parseManifest(bytes, manifestPath, fail);
  const problems = await checkOutputs(folder, manifest);
  if (problems.length) {
    const list = problems.map((p) => `${p.path} ${p.kind} (${p.detail})`).join('; ');
    throw fail(`${manifestPath}: not signed: ${problems.length} of the outputs it lists are not as recorded: ${list}. Rebuild, then sign.`);
  }
  const publicKey = createPublicKey(key);
  const document: SignatureFile = {
    algorithm: SIGNATURE_ALGORITHM,
    manifestSha256: sha256(bytes),
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    signature: cryptoSign(null, bytes, key).toString('base64'),
  };
  await writeAtomic(folder, SIGNATURE_NAME, `${JSON.stringify(document, null, 2)}\n`);
  return { signaturePath: join(folder, SIGNATURE_NAME), manifestSha256: document.manifestSha256, fingerprint: keyFingerprint(publicKey) };
}

export interface KeyPairResult {
  privateKeyPath: string;
  publicKeyPath: string;
  fingerprint: string;
}

/**
 * Write a file complete or not at all, and never over an existing one: a temporary sibling with the
 * final mode from the start, then a hard link to the name (which fails if the name is taken).
 */
async function createExclusive(path: string, content: string, mode: number): Promise<void> {
  const temporary = join(dirname(path), `.${randomBytes(6).toString('hex')}.key.tmp`);
  try {
    await writeFile(temporary, content, { mode, flag: 'wx' });
    await link(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new TrustError(`${path}: already exists; not overwritten (move it away, or choose another folder)`);
    }
    throw new TrustError(`${path}: cannot write the key: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  } finally {
    await rm(temporary, { force: true });
  }
}

/**
 * A new Ed25519 key pair in `dir`: `legible-signing-key.pem` (PKCS#8, mode 0600: keep it secret) and
 * `legible-signing-key.pub.pem` (SPKI: give it to whoever verifies). Existing key files are never
 * overwritten — losing a signing key cannot be undone.
 */
export async function generateKeyPair(dir: string): Promise<KeyPairResult> {
  const folder = resolve(dir);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new TrustError(`${folder}: cannot create the folder: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const privateKeyPath = join(folder, PRIVATE_KEY_NAME);
  const publicKeyPath = join(folder, PUBLIC_KEY_NAME);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  await createExclusive(privateKeyPath, privateKey, 0o600);
  try {
    await createExclusive(publicKeyPath, publicKey, 0o644);
  } catch (error) {
    // Leave no private key without its public half: the pair is written together or not at all.
    await rm(privateKeyPath, { force: true });
    throw error;
  }
  return { privateKeyPath, publicKeyPath, fingerprint: keyFingerprint(createPublicKey(publicKey)) };
}

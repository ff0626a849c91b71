import { createHash, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { isInside } from '../util/paths.js';

export { isInside };
import { z } from 'zod';

/** The manifest a build writes, and the detached signature `legible sign` writes next to it. */
export const MANIFEST_NAME = 'manifest.json';
export const SIGNATURE_NAME = 'manifest.json.sig';
export const SIGNATURE_ALGORITHM = 'Ed25519';

/** A usage problem of the trust commands (bad key, unreadable manifest): the message names the file. */
export class TrustError extends Error {
  override name = 'TrustError';
}
/** `legible sign` cannot sign: the key or the output folder is not fit to sign. */
export class SignError extends TrustError {
  override name = 'SignError';
}
/** `legible verify` cannot verify at all (as opposed to finding problems, which are reported). */
export class VerifyError extends TrustError {
  override name = 'VerifyError';
}

export type Fail = (message: string) => TrustError;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'expected a sha256 as 64 lowercase hex digits');
const relativePath = z.string().min(1);

/** Only what verification relies on; the rest of a manifest (controls, findings, …) is not checked here. */
const manifestSchema = z.object({
  tool: z.object({ name: z.literal('legible'), version: z.string() }),
  inputs: z.array(z.object({ path: relativePath, sha256: sha256Hex.nullable(), bytes: z.number().optional() })),
  outputs: z.array(z.object({ path: relativePath, sha256: sha256Hex, bytes: z.number().optional() })),
  // The config and crosswalk files, relative to the evidence folder (absent from older manifests).
  configuration: z
    .object({
      config: z.object({ path: relativePath, sha256: sha256Hex }).nullable(),
      crosswalk: z.object({ path: relativePath.nullable(), sha256: sha256Hex }),
    })
    .optional(),
});
export type TrustedManifest = z.infer<typeof manifestSchema>;

/** The `manifest.json.sig` document. The embedded public key says who signed; it is never trusted to verify. */
export const signatureSchema = z.object({
  algorithm: z.literal(SIGNATURE_ALGORITHM),
  manifestSha256: sha256Hex,
  publicKey: z.string(),
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64'),
});
export type SignatureFile = z.infer<typeof signatureSchema>;

export const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

export const describeIssue = (error: z.ZodError): string => {
  const issue = error.issues[0];
  if (!issue) return 'unexpected shape';
  const at = issue.path.map(String).join('.');
  return at ? `${at}: ${issue.message}` : issue.message;
};

const errnoCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;

/** The manifest's exact bytes: what the signature covers. */
export async function readManifestBytes(path: string, fail: Fail): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw fail(`${path}: no such file: the folder holds no legible build (run \`legible build\` first)`);
    throw fail(`${path}: cannot read: ${code ?? (error as Error).message}`);
  }
}

/** Parse and check a manifest; anything that is not one is an error naming the file. */
export function parseManifest(bytes: Buffer, path: string, fail: Fail): TrustedManifest {
  let data: unknown;
  try {
    data = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw fail(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(data);
  if (!parsed.success) throw fail(`${path}: not a legible manifest: ${describeIssue(parsed.error)}`);
  for (const [list, entries] of [['inputs', parsed.data.inputs] as const, ['outputs', parsed.data.outputs] as const]) {
    entries.forEach((entry, index) => {
      // An input may lie in a lake the config names outside the evidence folder (`../lake/…`): listed, never verified.
      if (!isPlainRelative(list === 'inputs' ? entry.path.replace(/^(?:\.\.\/)+/, '') : entry.path)) {
        throw fail(`${path}: not a legible manifest: ${list}.${index}.path ${JSON.stringify(entry.path)} is not a path inside its folder`);
      }
    });
  }
  return parsed.data;
}

/** A manifest path: relative, `/`-separated, no `.` or `..` segment — legible never writes anything else. */
export function isPlainRelative(path: string): boolean {
  if (path.includes('\0') || isAbsolute(path)) return false;
  return path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

/** `path` is `folder` or inside it (both absolute). */

/** The absolute path of a manifest entry, or undefined when it would leave the folder (e.g. `a\..\..` on Windows). */
export function entryPath(root: string, path: string): string | undefined {
  const absolute = resolve(root, ...path.split('/'));
  return absolute !== root && isInside(root, absolute) ? absolute : undefined;
}

const keyKind = (key: KeyObject): string => {
  const type = key.asymmetricKeyType ?? key.type;
  const details = key.asymmetricKeyDetails;
  const size = details?.namedCurve ?? (details?.modulusLength ? `${details.modulusLength}-bit` : undefined);
  return size ? `${type} (${size})` : type;
};

const notEd25519 = (source: string, key: KeyObject, fail: Fail): TrustError =>
  fail(`${source}: the key type is ${keyKind(key)}, not Ed25519: legible signs with Ed25519 only (make a key pair with \`legible keygen\`)`);

/** An Ed25519 private key from PEM (PKCS#8); anything else is an error naming `source`. */
export function parsePrivateKey(pem: string, source: string, fail: Fail): KeyObject {
  if (/-----BEGIN PUBLIC KEY-----/.test(pem) && !/PRIVATE KEY-----/.test(pem)) {
    throw fail(`${source}: a public key; signing needs the private key (legible-signing-key.pem, not the .pub.pem)`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw fail(`${source}: not a readable private key in PEM form: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw notEd25519(source, key, fail);
  return key;
}

/** An Ed25519 public key from PEM (SPKI; a private key's public half is accepted too); else an error naming `source`. */
export function parsePublicKey(pem: string, source: string, fail: Fail): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw fail(`${source}: not a readable public key in PEM form: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw notEd25519(source, key, fail);
  return key;
}

/** SHA-256 of the key's SPKI DER encoding, hex: names a key in messages. */
export function keyFingerprint(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return sha256(publicKey.export({ type: 'spki', format: 'der' }));
}

/** Read a key file for `--key` / `--pubkey`; a missing or unreadable file is an error naming it. */
export async function readKeyFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = errnoCode(error);
    throw new TrustError(`${path}: ${code === 'ENOENT' ? 'no such key file' : `cannot read the key file: ${code ?? (error as Error).message}`}`);
  }
}

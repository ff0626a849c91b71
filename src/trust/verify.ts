import { createPublicKey, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import { sha256File } from '../collect/collect.js';
import {
  MANIFEST_NAME,
  SIGNATURE_NAME,
  VerifyError,
  describeIssue,
  entryPath,
  isInside,
  keyFingerprint,
  parseManifest,
  parsePublicKey,
  readManifestBytes,
  sha256,
  signatureSchema,
  type TrustedManifest,
} from './common.js';

export { VerifyError } from './common.js';

export interface VerifyOptions {
  /** The output folder holding `manifest.json` (and `manifest.json.sig` when signed). */
  outDir: string;
  /** The evidence folder the build read: its files are re-hashed against the manifest's inputs. */
  evidenceDir?: string;
  /** The signer's public key (SPKI PEM): `manifest.json.sig` must verify against it. Without it the signature is not checked. */
  publicKeyPem?: string;
  /** Names the public key in error messages, e.g. the `--pubkey` path. */
  publicKeySource?: string;
}

export type ProblemKind = 'modified' | 'missing' | 'extra' | 'signature';
export type ProblemScope = 'output' | 'input' | 'manifest';

export interface VerifyProblem {
  kind: ProblemKind;
  scope: ProblemScope;
  /** Relative to the output folder (outputs, manifest) or the evidence folder (inputs), `/` separators. */
  path: string;
  detail: string;
}

export interface VerifyReport {
  /** True only when there is no problem at all. */
  ok: boolean;
  /** How many outputs and inputs the manifest lists that were checked, and whether the signature was. */
  checked: { outputs: number; inputs: number; signature: boolean };
  /** Sorted by scope (`input`, `manifest`, `output`), then path. */
  problems: VerifyProblem[];
}

const fail = (message: string) => new VerifyError(message);
const errnoCode = (error: unknown): string | undefined => (error as NodeJS.ErrnoException).code;
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const recorded = (sha: string, bytes: number | undefined): string => `${sha}${bytes === undefined ? '' : ` (${bytes} bytes)`}`;

interface Entry {
  path: string;
  sha256: string | null;
  bytes?: number | undefined;
}

/**
 * Check one file the manifest lists against its folder: present, and — where a hash was recorded —
 * the same bytes. Outputs must be regular files (the build never writes links); inputs may be links
 * inside the evidence folder, as the build followed those.
 */
async function checkEntry(scope: 'output' | 'input', root: string, entry: Entry): Promise<VerifyProblem | undefined> {
  const folder = scope === 'output' ? 'output folder' : 'evidence folder';
  const problem = (kind: ProblemKind, detail: string): VerifyProblem => ({ kind, scope, path: entry.path, detail });
  const absolute = entryPath(root, entry.path);
  if (!absolute) return problem('modified', `not a path inside the ${folder}`);
  try {
    const link = await lstat(absolute);
    if (entry.sha256 === null) return undefined; // rejected unread: nothing recorded to compare but its presence
    if (link.isSymbolicLink()) {
      if (scope === 'output') return problem('modified', 'a symbolic link, not the file the build wrote');
      let target: string;
      try {
        target = await realpath(absolute);
      } catch {
        return problem('modified', 'now a broken symbolic link');
      }
      if (!isInside(root, target)) return problem('modified', `now a symbolic link to ${target}, outside the evidence folder: not read`);
    }
    const info = await stat(absolute);
    if (!info.isFile()) return problem('modified', 'no longer a regular file');
    const actual = await sha256File(absolute);
    if (actual !== entry.sha256) {
      return problem('modified', `sha256 ${actual} (${info.size} bytes); manifest.json records ${recorded(entry.sha256, entry.bytes)}`);
    }
    return undefined;
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return problem('missing', `listed in manifest.json but absent from the ${folder}`);
    return problem('modified', `cannot read (${code ?? (error as Error).message}): its content cannot be confirmed`);
  }
}

/** Every output the manifest lists, present with its recorded hash. Shared with `signManifest`. */
export async function checkOutputs(outDir: string, manifest: TrustedManifest): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  for (const output of manifest.outputs) {
    const problem = await checkEntry('output', outDir, output);
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Files and links under `root` (never folders), relative with `/`; symbolic links are listed, not followed. */
async function walk(root: string, dot: boolean, what: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await fg('**/*', {
      cwd: root,
      dot,
      onlyFiles: false,
      followSymbolicLinks: false,
      ignore: ['**/.git/**', '**/.git'],
      suppressErrors: false,
    });
  } catch (error) {
    throw fail(`${root}: cannot walk the ${what}: ${errnoCode(error) ?? (error as Error).message}`);
  }
  const files: string[] = [];
  for (const rel of entries) {
    try {
      if ((await lstat(join(root, rel))).isDirectory()) continue;
    } catch {
      // Vanished while walking: no longer there, so not an extra file.
      continue;
    }
    files.push(rel.split(sep).join('/'));
  }
  return files;
}

const realFolder = async (path: string, what: string): Promise<string> => {
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    const code = errnoCode(error);
    throw fail(`${path}: ${code === 'ENOENT' ? `no such ${what}` : `cannot open the ${what}: ${code ?? (error as Error).message}`}`);
  }
  if (!(await stat(real)).isDirectory()) throw fail(`${path}: not a folder (expected the ${what})`);
  return real;
};

/** The output folder: listed outputs re-hashed, unlisted files reported (dot files — the lock, temporaries — ignored). */
async function verifyOutputFolder(outDir: string, manifest: TrustedManifest, evidenceRoot: string | undefined): Promise<VerifyProblem[]> {
  const problems = await checkOutputs(outDir, manifest);
  const listed = new Set(manifest.outputs.map((o) => o.path));
  const realOut = await realpath(outDir);
  for (const rel of await walk(outDir, false, 'output folder')) {
    if (listed.has(rel) || rel === MANIFEST_NAME || rel === SIGNATURE_NAME) continue;
    if (evidenceRoot && isInside(evidenceRoot, join(realOut, rel))) continue;
    problems.push({ kind: 'extra', scope: 'output', path: rel, detail: 'in the output folder but not listed in manifest.json' });
  }
  return problems;
}

/** Inputs and configuration outside the evidence folder (a lake the config names) are not its to verify. */
const insideEvidence = (path: string) => !path.startsWith('../') && path !== '..';

/**
 * The evidence folder: every listed input re-hashed (where a hash was recorded), and the config and
 * crosswalk where they lie inside it; unlisted files reported.
 */
async function verifyEvidenceFolder(root: string, outDir: string, manifest: TrustedManifest): Promise<VerifyProblem[]> {
  const problems: VerifyProblem[] = [];
  const { config, crosswalk } = manifest.configuration ?? {};
  const configuration = [config, crosswalk].flatMap((c) => (c?.path && insideEvidence(c.path) ? [{ path: c.path, sha256: c.sha256 }] : []));
  const entries = [...manifest.inputs.filter((i) => insideEvidence(i.path)), ...configuration];
  for (const entry of entries) {
    const problem = await checkEntry('input', root, entry);
    if (problem) problems.push(problem);
  }
  const listed = new Set(entries.map((i) => i.path));
  // As the build does: an output folder placed inside the evidence folder is not evidence.
  const realOut = await realpath(outDir);
  for (const rel of await walk(root, true, 'evidence folder')) {
    // A lake partition the build did not need is listed by its folder (`…/eventDay=20260101`), unread.
    if (listed.has(rel) || listed.has(rel.slice(0, rel.lastIndexOf('/'))) || isInside(realOut, join(root, rel))) continue;
    problems.push({ kind: 'extra', scope: 'input', path: rel, detail: 'in the evidence folder but not listed in manifest.json' });
  }
  return problems;
}

/**
 * `manifest.json.sig` against the manifest's exact bytes and the given key. The key embedded in the
 * signature file only explains a failure ("signed by another key"); it never makes one pass.
 */
async function verifySignature(outDir: string, manifestBytes: Buffer, publicKey: KeyObject): Promise<VerifyProblem | undefined> {
  const problem = (path: string, detail: string): VerifyProblem => ({ kind: 'signature', scope: 'manifest', path, detail });
  let text: string;
  try {
    text = await readFile(join(outDir, SIGNATURE_NAME), 'utf8');
  } catch (error) {
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return problem(SIGNATURE_NAME, 'not signed: manifest.json.sig is absent (sign with `legible sign`)');
    return problem(SIGNATURE_NAME, `cannot read the signature: ${code ?? (error as Error).message}`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return problem(SIGNATURE_NAME, `not a legible signature file: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = signatureSchema.safeParse(data);
  if (!parsed.success) return problem(SIGNATURE_NAME, `not a legible signature file: ${describeIssue(parsed.error)}`);
  const file = parsed.data;
  const signature = Buffer.from(file.signature, 'base64');
  const actualSha = sha256(manifestBytes);
  const valid = signature.length === 64 && cryptoVerify(null, manifestBytes, publicKey, signature);
  if (valid) {
    return file.manifestSha256 === actualSha
      ? undefined
      : problem(SIGNATURE_NAME, `the signature is valid, but the manifestSha256 it states (${file.manifestSha256}) was edited: manifest.json's is ${actualSha}`);
  }
  if (file.manifestSha256 !== actualSha) {
    return problem(MANIFEST_NAME, `changed after it was signed: sha256 ${actualSha}, the signature is for ${file.manifestSha256}`);
  }
  const expected = keyFingerprint(publicKey);
  let claimed: string | undefined;
  try {
    claimed = keyFingerprint(createPublicKey(file.publicKey));
  } catch {
    claimed = undefined;
  }
  if (claimed !== undefined && claimed !== expected) {
    return problem(SIGNATURE_NAME, `signed by another key (sha256 fingerprint ${claimed}), not the one given (${expected})`);
  }
  return problem(SIGNATURE_NAME, `the signature does not verify against manifest.json with the given key (${expected}): forged or corrupted`);
}

/**
 * Check a build against its manifest: every output re-hashed, unlisted files in the output folder
 * reported; with `evidenceDir`, every input too; with `publicKeyPem`, the manifest's signature. A
 * manifest that cannot be read or is not a legible manifest throws a `VerifyError` naming it, as does
 * a key that is not an Ed25519 public key; everything else is a problem in the report.
 */
export async function verifyOutputs(options: VerifyOptions): Promise<VerifyReport> {
  const publicKey =
    options.publicKeyPem === undefined ? undefined : parsePublicKey(options.publicKeyPem, options.publicKeySource ?? 'the public key', fail);
  const outDir = resolve(options.outDir);
  await realFolder(outDir, 'output folder');
  const manifestPath = join(outDir, MANIFEST_NAME);
  // Read once: the bytes hashed for the signature are the bytes parsed for the hashes.
  const manifestBytes = await readManifestBytes(manifestPath, fail);
  const manifest = parseManifest(manifestBytes, manifestPath, fail);
  const evidenceRoot = options.evidenceDir === undefined ? undefined : await realFolder(resolve(options.evidenceDir), 'evidence folder');

  const problems = await verifyOutputFolder(outDir, manifest, evidenceRoot);
  if (evidenceRoot) problems.push(...(await verifyEvidenceFolder(evidenceRoot, outDir, manifest)));
  if (publicKey) {
    const problem = await verifySignature(outDir, manifestBytes, publicKey);
    if (problem) problems.push(problem);
  }
  problems.sort((a, b) => compare(a.scope, b.scope) || compare(a.path, b.path) || compare(a.kind, b.kind) || compare(a.detail, b.detail));
  return {
    ok: problems.length === 0,
    checked: { outputs: manifest.outputs.length, inputs: evidenceRoot ? manifest.inputs.filter((i) => insideEvidence(i.path)).length : 0, signature: publicKey !== undefined },
    problems,
  };
}

/** One line per problem, `kind scope path: detail`, then a summary line — for the CLI. */
export function formatVerifyReport(report: VerifyReport): string[] {
  const lines = report.problems.map((p) => `${p.kind} ${p.scope} ${p.path}: ${p.detail}`);
  const what = [
    `${report.checked.outputs} output${report.checked.outputs === 1 ? '' : 's'}`,
    ...(report.checked.inputs ? [`${report.checked.inputs} input${report.checked.inputs === 1 ? '' : 's'}`] : []),
    report.checked.signature ? 'the signature' : 'signature not checked (no --pubkey)',
  ].join(', ');
  const count = report.problems.length;
  lines.push(report.ok ? `verified: ${what}; no problems` : `NOT verified: ${count} problem${count === 1 ? '' : 's'} (checked ${what})`);
  return lines;
}

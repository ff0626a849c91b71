import { createHash } from 'node:crypto';

/**
 * The namespace of every UUID legible writes into OSCAL: uuidV5('urn:legible:oscal', the RFC 4122
 * URL namespace 6ba7b811-9dad-11d1-80b4-00c04fd430c8). Fixed for good: changing it would give every
 * observation and finding a new identity between two builds of the same evidence.
 */
export const LEGIBLE_OSCAL_NAMESPACE = 'd155cca0-c44e-5061-8af4-452c26ab11f7';

/**
 * A name-based UUID, version 5 (RFC 4122 section 4.3: SHA-1 of the namespace's 16 bytes and the name
 * in UTF-8, with the version and variant bits set): the same name always gives the same UUID, so an
 * OSCAL file stays byte-identical between builds of the same evidence.
 */
export function uuidV5(name: string, namespace: string = LEGIBLE_OSCAL_NAMESPACE): string {
  const space = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (space.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const bytes = createHash('sha1').update(space).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

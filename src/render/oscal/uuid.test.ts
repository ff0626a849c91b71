import { describe, expect, it } from 'vitest';
import { LEGIBLE_OSCAL_NAMESPACE, uuidV5 } from './uuid.js';

describe('uuidV5', () => {
  it('gives RFC 4122 version 5 UUIDs: the uuid package’s documented example, and legible’s namespace as derived', () => {
    expect(uuidV5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('2ed6657d-e927-568b-95e1-2665a8aea6a2');
    expect(uuidV5('urn:legible:oscal', '6ba7b811-9dad-11d1-80b4-00c04fd430c8')).toBe(LEGIBLE_OSCAL_NAMESPACE);
  });

  it('is the same for the same name, different for another, and always version 5 of the RFC 4122 variant', () => {
    expect(uuidV5('finding A.8.5')).toBe(uuidV5('finding A.8.5'));
    expect(uuidV5('finding A.8.5')).not.toBe(uuidV5('finding A.8.6'));
    for (const name of ['', 'ü', 'x'.repeat(10_000)]) expect(uuidV5(name)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

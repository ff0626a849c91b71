import { describe, expect, it } from 'vitest';
import { loadCatalog } from './catalog.js';
import { resolveControlId } from './resolve.js';

const catalog = loadCatalog();
const ok = (raw: string) => {
  const r = resolveControlId(raw, catalog);
  if (!r.ok) throw new Error(r.message);
  return r.refs.map((ref) => `${ref.framework}:${ref.id}`).join(' ');
};

describe('resolveControlId', () => {
  it.each([
    ['A.8.13', 'iso27001-2022:A.8.13'],
    ['a.8.13', 'iso27001-2022:A.8.13'],
    ['ISO27001:A.8.13', 'iso27001-2022:A.8.13'],
    ['ISO27001-2022: A.8.16', 'iso27001-2022:A.8.16'],
    ['9.2', 'iso27001-2022:9.2'],
    ['6.1.3', 'iso27001-2022:6.1'],
    ['CC7.2', 'soc2-2017:CC7.2'],
    ['SOC2:CC7.2', 'soc2-2017:CC7.2'],
    ['SOC2: cc_7_2', 'soc2-2017:CC7.2'],
    ['A1.2', 'soc2-2017:A1.2'],
    ['PI1.3', 'soc2-2017:PI1.3'],
    ['P4.1', 'soc2-2017:P4.1'],
    ['A.12.4.1', 'iso27001-2022:A.8.15'],
    ['A.18.2.3', 'iso27001-2022:A.5.36 iso27001-2022:A.8.8'],
  ])('%s → %s', (raw, expected) => {
    expect(ok(raw)).toBe(expected);
  });

  it('keeps the 2013 id as a note when it translates an old reference', () => {
    const r = resolveControlId('A.12.4.1', catalog);
    expect(r.ok && r.note).toMatch(/2013 A\.12\.4\.1/);
  });

  it('rejects an unknown id and suggests the nearest valid ones', () => {
    const r = resolveControlId('A.8.35', catalog);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(/^A\.8\.35: no such control; did you mean A\.8\.34/);
      expect(r.suggestions).toContain('A.8.34');
      expect(r.suggestions).toHaveLength(2);
    }
  });

  it('resolves within one framework where the place says which, naming an id of the other', () => {
    expect(resolveControlId('cc7.2', catalog, 'soc2-2017')).toEqual({ ok: true, refs: [{ framework: 'soc2-2017', id: 'CC7.2' }] });
    expect(resolveControlId('A1.2', catalog, 'soc2-2017')).toEqual({ ok: true, refs: [{ framework: 'soc2-2017', id: 'A1.2' }] });
    expect(resolveControlId('A.8.13', catalog, 'soc2-2017')).toMatchObject({ ok: false, message: 'A.8.13: an ISO/IEC 27001 id where a SOC 2 one is expected' });
    expect(resolveControlId('SOC2:CC7.2', catalog, 'iso27001-2022')).toMatchObject({ ok: false, message: 'SOC2:CC7.2: a SOC 2 id where an ISO/IEC 27001 one is expected' });
    expect(resolveControlId('A.8.35', catalog, 'iso27001-2022')).toMatchObject({ ok: false, suggestions: ['A.8.34', 'A.8.33'] });
  });

  it('does not read a SOC 2 prefix as ISO', () => {
    expect(resolveControlId('SOC2:A.8.13', catalog).ok).toBe(false);
    expect(resolveControlId('CC10.1', catalog).ok).toBe(false);
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateError } from './errors.js';
import { loadTemplates } from './templates.js';
import { tempDir } from '../../test/helpers/temp.js';

function templates(main: string) {
  const dir = tempDir('legible-tpl-');
  mkdirSync(join(dir, 'partials'));
  writeFileSync(join(dir, 'main.md.hbs'), main);
  return loadTemplates(dir);
}

describe('templates run safely', () => {
  it('render the view as given, with no HTML escaping (the view is escaped for Markdown)', async () => {
    const render = await templates('# {{title}}\n');
    expect(await render('main.md.hbs', { title: 'A \\& B' })).toBe('# A \\& B\n');
  });

  it.each([
    ['a misspelt field', '{{titel}}'],
    ['prototype properties', '{{title.constructor}}'],
    ['prototype methods', '{{#with title}}{{__proto__}}{{/with}}'],
    ['helpers legible does not ship', '{{custom title}}'],
  ])('refuse %s', async (_case, source) => {
    const render = await templates(source);
    await expect(render('main.md.hbs', { title: 'x' })).rejects.toBeInstanceOf(TemplateError);
  });

  it('a missing template is a clear error', async () => {
    const render = await templates('x');
    await expect(render('nope.md.hbs', {})).rejects.toThrow(/template .*nope\.md\.hbs not found/);
  });
});

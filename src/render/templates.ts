import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { TemplateError } from './errors.js';
import Handlebars from 'handlebars';


/**
 * A Handlebars environment over one templates folder. Templates are the project's or the user's
 * own files, never evidence; they run strict (a misspelt field is an error, not a blank), with only
 * the built-in block helpers, prototype access off, and no HTML escaping: the view model is already
 * escaped for Markdown, which is what the templates emit.
 */
export async function loadTemplates(dir: string) {
  const env = Handlebars.create();
  let names: string[];
  try {
    names = await readdir(join(dir, 'partials'));
  } catch {
    names = [];
  }
  for (const name of names.filter((n) => n.endsWith('.hbs')).sort()) {
    env.registerPartial(basename(name, '.hbs').replace(/\.md$/, ''), await readFile(join(dir, 'partials', name), 'utf8'));
  }
  const cache = new Map<string, Handlebars.TemplateDelegate>();
  return async function render(template: string, view: object): Promise<string> {
    let compiled = cache.get(template);
    if (!compiled) {
      const path = join(dir, template);
      let source: string;
      try {
        source = await readFile(path, 'utf8');
      } catch {
        throw new TemplateError(`template ${path} not found`);
      }
      compiled = env.compile(source, { strict: true, noEscape: true, knownHelpersOnly: true, preventIndent: true });
      cache.set(template, compiled);
    }
    try {
      return compiled(view, { allowProtoPropertiesByDefault: false, allowProtoMethodsByDefault: false });
    } catch (error) {
      throw new TemplateError(`template ${template}: ${(error as Error).message}`);
    }
  };
}

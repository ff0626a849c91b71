#!/usr/bin/env node
/**
 * How much of gitleaks' own test data legible's redaction catches.
 *
 *   npm run build && node scripts/gitleaks-recall.mjs <gitleaks git dir> [--commit <sha>] [--json <file>] [--misses]
 *
 * gitleaks (MIT, https://github.com/gitleaks/gitleaks) validates each of its rules against true- and
 * false-positive samples written in its Go rule generators (cmd/generate/config/rules/*.go). This script
 * reads those Go files from a gitleaks git directory (no work tree needed), evaluates the small part of
 * Go that builds the samples (string literals, `+`, append, fmt.Sprintf, the sample and regex helpers
 * of cmd/generate/config/utils, secrets.NewSecret), generating the random secrets from their regexes
 * with a fixed seed, and then:
 *  - recall: each true positive goes into a note body and into a check message, through `redactRecord`;
 *    it counts as caught when neither output holds the secret (the part gitleaks' rule reports: its
 *    secret group, else its first non-empty group, else the match) or a long piece of it;
 *  - false positives: each false-positive sample goes through `redactText`; one with any redaction counts.
 * Nothing of gitleaks is copied into legible: the samples are read from the git directory at run time.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { redactRecord, redactText } = await import(join(here, '..', 'dist', 'redact', 'redact.js'));

const args = process.argv.slice(2);
const gitDir = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
if (!gitDir) {
  console.error('usage: node scripts/gitleaks-recall.mjs <gitleaks git dir> [--commit <sha>] [--json <file>] [--misses]');
  process.exit(2);
}
const git = (...a) => execFileSync('git', ['--git-dir', gitDir, ...a], { encoding: 'utf8', maxBuffer: 64 << 20 });
const commit = git('rev-parse', option('--commit') ?? 'HEAD').trim();
const show = (path) => git('show', `${commit}:${path}`);

// ---------------------------------------------------------------- Go tokens
/** Go's tokens, with the semicolons its lexer inserts at line ends. */
function tokenize(src) {
  const tokens = [];
  const ends = (t) => t && (t.type === 'ident' || t.type === 'string' || t.type === 'number' || [')', ']', '}'].includes(t.value) || ['return', 'break', 'continue'].includes(t.value));
  const newline = () => {
    if (ends(tokens[tokens.length - 1])) tokens.push({ type: 'punct', value: ';' });
  };
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      newline();
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') i++;
    else if (src.startsWith('//', i)) i = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i);
    else if (src.startsWith('/*', i)) {
      const end = src.indexOf('*/', i + 2);
      if (src.slice(i, end).includes('\n')) newline();
      i = end + 2;
    } else if (c === '`') {
      const end = src.indexOf('`', i + 1);
      tokens.push({ type: 'string', value: src.slice(i + 1, end).replace(/\r/g, '') });
      i = end + 1;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      let value = '';
      while (src[j] !== c) {
        if (src[j] === '\\') {
          const e = src[j + 1];
          const simple = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };
          if (e in simple) {
            value += simple[e];
            j += 2;
          } else if (e === 'x' || e === 'u' || e === 'U') {
            const n = { x: 2, u: 4, U: 8 }[e];
            value += String.fromCodePoint(parseInt(src.slice(j + 2, j + 2 + n), 16));
            j += 2 + n;
          } else {
            value += String.fromCharCode(parseInt(src.slice(j + 1, j + 4), 8));
            j += 4;
          }
        } else value += src[j++];
      }
      tokens.push({ type: 'string', value });
      i = j + 1;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(src[i + 1]))) {
      const m = /^[0-9][0-9a-fA-FxX_.eE]*/.exec(src.slice(i)) ?? /^\.[0-9]+/.exec(src.slice(i));
      tokens.push({ type: 'number', value: Number(m[0].replace(/_/g, '')) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i));
      tokens.push({ type: 'ident', value: m[0] });
      i += m[0].length;
    } else {
      const op = ['...', ':=', '&&', '||', '==', '!=', '<=', '>=', '+=', '++', '--', '<-'].find((o) => src.startsWith(o, i)) ?? c;
      tokens.push({ type: 'punct', value: op });
      i += op.length;
    }
  }
  newline();
  return tokens;
}

// ---------------------------------------------------------------- Go expressions
class Unsupported extends Error {}

/** A parser over one file's tokens: declarations and the expressions that build rules and samples. */
class Parser {
  constructor(tokens) {
    this.t = tokens;
    this.i = 0;
  }
  peek(o = 0) {
    return this.t[this.i + o];
  }
  is(value, o = 0) {
    const t = this.peek(o);
    return t !== undefined && t.type !== 'string' && t.value === value;
  }
  next() {
    return this.t[this.i++];
  }
  expect(value) {
    const t = this.next();
    if (!t || t.value !== value) throw new Unsupported(`expected ${value}, got ${t?.value}`);
    return t;
  }
  /** Skip a balanced bracketed run starting at the current token. */
  skipBalanced() {
    let depth = 0;
    do {
      const t = this.next();
      if (t.type === 'punct' && '([{'.includes(t.value)) depth++;
      else if (t.type === 'punct' && ')]}'.includes(t.value)) depth--;
    } while (depth > 0);
  }
  /** The rest of the statement, to the `;` at depth 0. */
  skipStatement() {
    while (this.i < this.t.length && !this.is(';')) {
      if (this.peek().type === 'punct' && '([{'.includes(this.peek().value)) this.skipBalanced();
      else this.next();
    }
    this.next();
  }
  /** A type as written before a composite literal's `{` (`[]string`, `map[string]string`, `config.Rule`, `*regexp.Regexp`). */
  type() {
    let text = '';
    while (true) {
      if (this.is('[')) {
        text += this.next().value;
        if (!this.is(']')) text += this.expr();
        text += this.expect(']').value;
      } else if (this.is('*')) text += this.next().value;
      else if (this.is('map')) {
        this.next();
        this.expect('[');
        text += `map[${this.type()}]`;
        this.expect(']');
      } else break;
    }
    text += this.next().value;
    while (this.is('.')) text += this.next().value + this.next().value;
    return text;
  }
  expr() {
    let left = this.unary();
    while (this.is('+') || this.is('||') || this.is('&&') || this.is('==') || this.is('!=')) {
      const op = this.next().value;
      const right = this.unary();
      left = { kind: 'binary', op, left, right };
    }
    return left;
  }
  unary() {
    if (this.is('&') || this.is('*')) {
      this.next();
      return this.unary();
    }
    if (this.is('!') || this.is('-')) throw new Unsupported(`operator ${this.peek().value}`);
    return this.postfix(this.primary());
  }
  primary() {
    const t = this.peek();
    if (t.type === 'string' || t.type === 'number') {
      this.next();
      return { kind: 'literal', value: t.value };
    }
    if (this.is('(')) {
      this.next();
      const e = this.expr();
      this.expect(')');
      return e;
    }
    if (this.is('{')) return this.composite('');
    if (this.is('[') || this.is('map')) {
      const type = this.type();
      // `[]byte(s)`: a conversion, which changes nothing here.
      if (this.is('(')) return this.postfix({ kind: 'name', name: 'convert' });
      return this.composite(type);
    }
    if (this.is('func')) throw new Unsupported('function literal');
    if (t.type === 'ident') {
      this.next();
      let name = t.value;
      while (this.is('.') && this.peek(1)?.type === 'ident') {
        this.next();
        name += '.' + this.next().value;
      }
      // `config.Rule{…}`: a composite literal of a named type (never after a keyword-like name).
      if (this.is('{') && /^[a-z]+\.[A-Z]/.test(name)) return this.composite(name);
      return { kind: 'name', name };
    }
    throw new Unsupported(`unexpected ${t.value}`);
  }
  composite(type) {
    this.expect('{');
    const elements = [];
    while (!this.is('}')) {
      if (this.is(';')) {
        this.next();
        continue;
      }
      let key;
      const value = this.expr();
      if (this.is(':')) {
        this.next();
        key = value;
        elements.push({ key, value: this.expr() });
      } else elements.push({ value });
      if (this.is(',')) this.next();
    }
    this.expect('}');
    return { kind: 'composite', type, elements };
  }
  postfix(e) {
    while (true) {
      if (this.is('(')) {
        this.next();
        const callArgs = [];
        let spread = false;
        while (!this.is(')')) {
          if (this.is(';')) {
            this.next();
            continue;
          }
          callArgs.push(this.expr());
          if (this.is('...')) {
            this.next();
            spread = true;
          }
          if (this.is(',')) this.next();
        }
        this.expect(')');
        e = { kind: 'call', callee: e, args: callArgs, spread };
      } else if (this.is('.') && this.peek(1)?.type === 'ident') {
        this.next();
        e = { kind: 'select', target: e, name: this.next().value };
      } else if (this.is('[')) throw new Unsupported('index expression');
      else return e;
    }
  }
  /** Top-level declarations: package vars and functions (name → body tokens). */
  file() {
    const vars = [];
    const funcs = new Map();
    while (this.i < this.t.length) {
      if (this.is('import') || this.is('package') || this.is('type') || this.is('const')) {
        const keyword = this.next().value;
        if (this.is('(')) {
          if (keyword === 'const') {
            this.next();
            while (!this.is(')')) {
              if (this.is(';')) {
                this.next();
                continue;
              }
              const name = this.next().value;
              if (this.peek().type === 'ident') this.next();
              this.expect('=');
              vars.push({ name, expr: this.expr() });
            }
            this.next();
          } else this.skipBalanced();
        }
        this.skipStatement();
      } else if (this.is('var')) {
        this.next();
        const decl = () => {
          const name = this.next().value;
          if (!this.is('=')) this.type();
          if (this.is('=')) {
            this.next();
            vars.push({ name, expr: this.expr() });
          }
        };
        if (this.is('(')) {
          this.next();
          while (!this.is(')')) {
            if (this.is(';')) this.next();
            else decl();
          }
          this.next();
        } else decl();
        this.skipStatement();
      } else if (this.is('func')) {
        this.next();
        const name = this.next().value;
        while (!this.is('{')) {
          if (this.is('(') || this.is('[')) this.skipBalanced();
          else this.next();
        }
        const start = this.i + 1;
        this.skipBalanced();
        funcs.set(name, this.t.slice(start, this.i - 1));
      } else this.next();
    }
    return { vars, funcs };
  }
}

// ---------------------------------------------------------------- strings from regexes
/** A small seeded generator (mulberry32): the samples are the same on every run. */
function random(seedText) {
  let a = 0x9e3779b9;
  for (const ch of seedText) a = Math.imul(a ^ ch.charCodeAt(0), 0x85ebca6b) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_';
const DIGITS = '0123456789';
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');

/** A string matching `pattern` (the RE2 subset the generators use), like gitleaks' secrets.NewSecret. */
function generate(pattern, rand) {
  let i = 0;
  const pick = (chars) => chars[Math.floor(rand() * chars.length)];
  const escapeSet = (e) => ({ w: WORD, d: DIGITS, s: ' ' })[e] ?? e;
  function classChars() {
    // at '[' already consumed
    let negate = false;
    if (pattern[i] === '^') {
      negate = true;
      i++;
    }
    let chars = '';
    let first = true;
    while (pattern[i] !== ']' || first) {
      first = false;
      let c = pattern[i++];
      if (c === '[' && pattern[i] === ':') {
        const end = pattern.indexOf(':]', i);
        const name = pattern.slice(i + 1, end);
        chars += { alnum: WORD.slice(0, 62), alpha: WORD.slice(0, 52), digit: DIGITS }[name] ?? '';
        i = end + 2;
        continue;
      }
      if (c === '\\') {
        c = pattern[i++];
        if ('wds'.includes(c)) {
          chars += escapeSet(c);
          continue;
        }
        if (c === 'x') {
          c = String.fromCharCode(parseInt(pattern.slice(i, i + 2), 16));
          i += 2;
        }
      }
      if (pattern[i] === '-' && pattern[i + 1] !== ']') {
        i++;
        let to = pattern[i++];
        if (to === '\\') to = pattern[i++];
        for (let k = c.charCodeAt(0); k <= to.charCodeAt(0); k++) chars += String.fromCharCode(k);
      } else chars += c;
    }
    i++;
    return negate ? [...PRINTABLE].filter((ch) => !chars.includes(ch)).join('') : chars;
  }
  /** One alternative list, up to `)` or the end. */
  function alternatives() {
    const options = [[]];
    while (i < pattern.length && pattern[i] !== ')') {
      if (pattern[i] === '|') {
        i++;
        options.push([]);
        continue;
      }
      options[options.length - 1].push(atom());
    }
    return () => pick(options).map((f) => f()).join('');
  }
  function atom() {
    let make;
    const c = pattern[i++];
    if (c === '(') {
      if (pattern[i] === '?') {
        // (?:…), (?i:…), (?P<name>…), and a bare flag group (?i) that matches nothing
        const close = pattern.indexOf(')', i);
        const colon = pattern.indexOf(':', i);
        if (pattern[i + 1] === 'P' || pattern[i + 1] === '<') i = pattern.indexOf('>', i) + 1;
        else if (colon >= 0 && colon < close) i = colon + 1;
        else {
          i = close + 1;
          return () => '';
        }
      }
      make = alternatives();
      i++;
    } else if (c === '[') {
      const chars = classChars();
      make = () => pick(chars);
    } else if (c === '\\') {
      const e = pattern[i++];
      if (e === 'b' || e === 'B' || e === 'z' || e === 'A') return () => '';
      if (e === 'x') {
        const ch = String.fromCharCode(parseInt(pattern.slice(i, i + 2), 16));
        i += 2;
        make = () => ch;
      } else {
        const chars = escapeSet(e);
        make = () => pick(chars);
      }
    } else if (c === '.') make = () => pick(PRINTABLE);
    else if (c === '^' || c === '$') return () => '';
    else make = () => c;
    // quantifier
    let min = 1;
    let max = 1;
    if (pattern[i] === '?') [min, max, i] = [0, 1, i + 1];
    else if (pattern[i] === '*') [min, max, i] = [0, 3, i + 1];
    else if (pattern[i] === '+') [min, max, i] = [1, 4, i + 1];
    else if (pattern[i] === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
      if (m) {
        min = Number(m[1]);
        max = m[2] ? (m[3] ? Number(m[3]) : min + 3) : min;
        i += m[0].length;
      }
    }
    if (pattern[i] === '?') i++; // lazy
    return () => {
      const n = min + Math.floor(rand() * (max - min + 1));
      let s = '';
      for (let k = 0; k < n; k++) s += make();
      return s;
    };
  }
  const whole = alternatives();
  return whole();
}

// ---------------------------------------------------------------- evaluation
/** The package's sources, the helpers' constants and sample templates, and an evaluator over them. */
function loadPackage() {
  const ruleFiles = git('ls-tree', '--name-only', commit, 'cmd/generate/config/rules/')
    .split('\n')
    .filter((p) => p.endsWith('.go') && !p.endsWith('_test.go'));
  const files = ruleFiles.map((path) => ({ path, ...new Parser(tokenize(show(path))).file() }));
  const utils = new Parser(tokenize(show('cmd/generate/config/utils/generate.go'))).file();
  return { files, utils };
}

function evaluator({ files, utils }) {
  const globals = new Map();
  const pending = new Map(files.flatMap((f) => f.vars.map((v) => [v.name, v.expr])));
  const utilConsts = new Map();
  let seed = random('gitleaks');
  const setSeed = (text) => {
    seed = random(text);
  };

  const utilConst = (name) => {
    if (!utilConsts.has(name)) {
      const v = utils.vars.find((x) => x.name === name);
      if (!v) throw new Unsupported(`utils const ${name}`);
      utilConsts.set(name, evaluate(v.expr, new Map()));
    }
    return utilConsts.get(name);
  };
  // The sample templates of utils.GenerateSampleSecrets: the map literal in its body.
  let templates;
  const sampleTemplates = () => {
    if (!templates) {
      const body = utils.funcs.get('GenerateSampleSecrets');
      const p = new Parser(body);
      while (!(p.is('samples') && p.is(':=', 1))) p.next();
      p.next();
      p.next();
      templates = evaluate(p.expr(), new Map()).values;
    }
    return templates;
  };
  const builtins = {
    'secrets.NewSecret': (re) => generate(re, seed),
    newPlausibleSecret: (re) => {
      for (;;) {
        const s = generate(re, seed);
        if (/[1-9]/.test(s)) return s;
      }
    },
    'utils.Numeric': (n) => `[0-9]{${n}}`,
    'utils.Hex': (n) => `[a-f0-9]{${n}}`,
    'utils.AlphaNumeric': (n) => `[a-z0-9]{${n}}`,
    'utils.AlphaNumericExtendedShort': (n) => `[a-z0-9_-]{${n}}`,
    'utils.AlphaNumericExtended': (n) => `[a-z0-9=_\\-]{${n}}`,
    'utils.AlphaNumericExtendedLong': (n) => `[a-z0-9\\/=_\\+\\-]{${n}}`,
    'utils.Hex8_4_4_4_12': () => '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}',
    'utils.GenerateSampleSecret': (identifier, secret) => ({ sample: `${identifier}_api_token = "${secret}"`, secret }),
    'utils.GenerateSampleSecrets': (identifier, secret) =>
      sampleTemplates().map((t) => ({ sample: t.replaceAll('{i}', identifier).replaceAll('{I}', identifier.toUpperCase()).replaceAll('{s}', secret), secret })),
    'utils.GenerateSemiGenericRegex': (identifiers, secretRegex, caseInsensitive) => {
      const ids = `${utilConst('identifierPrefix')}${identifiers.join('|')}${utilConst('identifierSuffix')}`;
      const head = caseInsensitive ? `${utilConst('caseInsensitive')}${ids}` : `${utilConst('identifierCaseInsensitivePrefix')}${ids}${utilConst('identifierCaseInsensitiveSuffix')}`;
      return `${head}${utilConst('operator')}${utilConst('secretPrefix')}${secretRegex}${utilConst('secretSuffix')}`;
    },
    'utils.GenerateUniqueTokenRegex': (secretRegex, caseInsensitive) =>
      `${caseInsensitive ? utilConst('caseInsensitive') : ''}${utilConst('secretPrefixUnique')}${secretRegex}${utilConst('secretSuffix')}`,
    'utils.MergeRegexps': (...res) => res.join('|'),
    'regexp.MustCompile': (s) => s,
    'fmt.Sprintf': (format, ...values) => {
      let k = 0;
      return format.replace(/%[sdvq%]/g, (m) => (m === '%%' ? '%' : m === '%q' ? JSON.stringify(String(text(values[k++]))) : String(text(values[k++]))));
    },
    'strings.ToUpper': (s) => s.toUpperCase(),
    'strings.ToLower': (s) => s.toLowerCase(),
    'strings.Repeat': (s, n) => s.repeat(n),
    append: (slice, ...items) => [...(slice ?? []), ...items],
    convert: (v) => v,
    string: (v) => v,
    ...Object.fromEntries(
      ['base64', 'b64'].flatMap((pkg) => [
        [`${pkg}.StdEncoding.EncodeToString`, (s) => Buffer.from(s).toString('base64')],
        [`${pkg}.RawStdEncoding.EncodeToString`, (s) => Buffer.from(s).toString('base64').replace(/=+$/, '')],
        [`${pkg}.URLEncoding.EncodeToString`, (s) => Buffer.from(s).toString('base64url').padEnd(Math.ceil(Buffer.from(s).length / 3) * 4, '=')],
        [`${pkg}.RawURLEncoding.EncodeToString`, (s) => Buffer.from(s).toString('base64url')],
      ]),
    ),
  };
  /** A sample keeps the secret it was built around, as far as string operations allow. */
  const text = (v) => (v && typeof v === 'object' && 'sample' in v ? v.sample : v);

  function lookup(name, locals) {
    if (locals.has(name)) return locals.get(name);
    if (globals.has(name)) return globals.get(name);
    if (pending.has(name)) {
      const expr = pending.get(name);
      pending.delete(name);
      globals.set(name, evaluate(expr, new Map()));
      return globals.get(name);
    }
    if (name === 'nil') return null;
    if (name === 'true') return true;
    if (name === 'false') return false;
    const constant = utils.vars.find((x) => x.name === name.replace(/^utils\./, ''));
    if (constant) return utilConst(constant.name);
    if (name.startsWith('config.')) return name; // enum-like constants: not needed
    throw new Unsupported(`unknown name ${name}`);
  }

  function evaluate(e, locals) {
    switch (e.kind) {
      case 'literal':
        return e.value;
      case 'name':
        return lookup(e.name, locals);
      case 'select': {
        const target = evaluate(e.target, locals);
        if (target && typeof target === 'object' && e.name in target) return target[e.name];
        throw new Unsupported(`field ${e.name}`);
      }
      case 'binary': {
        if (e.op !== '+') throw new Unsupported(`operator ${e.op}`);
        const l = evaluate(e.left, locals);
        const r = evaluate(e.right, locals);
        if (typeof l === 'number' && typeof r === 'number') return l + r;
        // Concatenation keeps the secret of a sample built by a helper, which is what a rule reports.
        const secret = (l && l.secret) || (r && r.secret);
        const sample = String(text(l)) + String(text(r));
        return secret ? { sample, secret } : sample;
      }
      case 'composite': {
        const type = e.type;
        if (type.startsWith('map[')) return { values: e.elements.map((el) => evaluate(el.value, locals)) };
        if (type.startsWith('[]') || type === '') {
          if (type === '' && e.elements.some((el) => el.key)) return struct(e, locals);
          return e.elements.map((el) => evaluate(el.value, locals));
        }
        return struct(e, locals);
      }
      case 'call': {
        const name = e.callee.kind === 'name' ? e.callee.name : undefined;
        const fn = name && builtins[name];
        if (!fn) throw new Unsupported(`call ${name ?? '(expression)'}`);
        let values = e.args.map((a) => evaluate(a, locals));
        if (e.spread) values = [...values.slice(0, -1), ...(values[values.length - 1] ?? [])];
        const plain = name === 'append' ? values : values.map((v) => (name.startsWith('utils.GenerateSample') ? text(v) : text(v)));
        return fn(...plain);
      }
    }
    throw new Unsupported(e.kind);
  }
  function struct(e, locals) {
    const out = {};
    for (const el of e.elements) {
      if (!el.key || el.key.kind !== 'name') continue;
      try {
        out[el.key.name] = evaluate(el.value, locals);
      } catch (error) {
        if (!(error instanceof Unsupported)) throw error;
        out[el.key.name] = undefined;
      }
    }
    return out;
  }
  return { evaluate, lookup, setSeed, text };
}

/** Every exported rule function: its rule (id, regex, secret group) and its samples. */
function extractRules() {
  const pkg = loadPackage();
  const ev = evaluator(pkg);
  const rules = [];
  for (const file of pkg.files) {
    for (const [name, body] of file.funcs) {
      if (!/^[A-Z]/.test(name)) continue;
      ev.setSeed(`${file.path}:${name}`);
      const p = new Parser(body);
      const locals = new Map();
      const rule = { function: name, file: file.path, tps: [], fps: [], problems: [] };
      let returned = false;
      while (p.i < body.length && !returned) {
        if (p.is(';')) {
          p.next();
          continue;
        }
        const start = p.i;
        try {
          if (p.is('return')) {
            p.next();
            const call = p.expr();
            if (call.kind === 'call' && call.callee.kind === 'name' && /^utils\.Validate/.test(call.callee.name)) {
              const [r, tps, fps] = call.args.map((a) => ev.evaluate(a, locals));
              Object.assign(rule, { id: r.RuleID, regex: r.Regex, secretGroup: r.SecretGroup ?? 0 });
              const list = (v) => (v === null || v === undefined ? [] : Array.isArray(v) ? v : v.values);
              rule.tps = list(tps);
              rule.fps = list(fps).map(ev.text);
            }
            returned = true;
          } else if (p.is('var')) {
            p.next();
            const declare = () => {
              const n = p.next().value;
              if (!p.is('=')) p.type();
              if (p.is('=')) {
                p.next();
                locals.set(n, ev.evaluate(p.expr(), locals));
              } else locals.set(n, []);
            };
            if (p.is('(')) {
              p.next();
              while (!p.is(')')) {
                if (p.is(';')) p.next();
                else declare();
              }
              p.next();
            } else declare();
          } else if (p.peek().type === 'ident' && (p.is(':=', 1) || p.is('=', 1))) {
            const n = p.next().value;
            p.next();
            const expr = p.expr();
            try {
              locals.set(n, ev.evaluate(expr, locals));
            } catch (error) {
              if (!(error instanceof Unsupported)) throw error;
              rule.problems.push(`${n}: ${error.message}`);
              locals.set(n, n === 'r' ? {} : []);
            }
          } else p.skipStatement();
        } catch (error) {
          if (!(error instanceof Unsupported)) throw error;
          rule.problems.push(error.message);
          p.i = start;
          p.skipStatement();
        }
      }
      if (rule.id) rules.push(rule);
    }
  }
  return rules;
}

// ---------------------------------------------------------------- Go regexes in JavaScript
/** RE2 → JavaScript, close enough to find what a rule reports in its own true positives. */
function toJsRegex(source) {
  let flags = '';
  let s = source;
  if (/\(\?[a-z]*i[a-z]*\)/.test(s) || /\(\?i:/.test(s)) flags += 'i';
  s = s.replace(/\(\?s:\.\)/g, '[\\s\\S]');
  s = s.replace(/\(\?-?[ims]+\)/g, '').replace(/\(\?-?[ims]+:/g, '(?:');
  s = s.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$');
  s = s.replace(/\[\[:alnum:\]\]/g, '[A-Za-z0-9]').replace(/\[:alnum:\]/g, 'A-Za-z0-9');
  return new RegExp(s, flags);
}

/** What gitleaks reports as the secret of a match. */
function secretOf(match, group) {
  if (group && match[group]) return match[group];
  for (let g = 1; g < match.length; g++) if (match[g]) return match[g].length < 8 && match[0].length >= 8 ? match[0] : match[g];
  return match[0];
}

// ---------------------------------------------------------------- measuring
/**
 * The secret, or a long piece of it (a quarter, at least 8 characters), is still in `text`. A piece
 * that the sample also holds outside the secret (`<add key="Password" value="…Password1">`) is its
 * context, not a leak; so is a leading run of letters and punctuation (`hooks.slack.com/services/`,
 * `AGE-SECRET-KEY-`): the format's public prefix, which redaction keeps when it names the token.
 */
function leaks(secret, text, sample) {
  if (text.includes(secret)) return true;
  const prefix = /^[A-Za-z.:/_~-]*/.exec(secret)[0];
  const rest = secret.length - prefix.length >= 8 ? secret.slice(prefix.length) : secret;
  if (rest.length < 8) return false;
  const context = sample.split(secret).join('\u0000');
  const least = Math.max(8, Math.ceil(rest.length / 4));
  for (let i = 0; i + least <= rest.length; i++) {
    for (let length = least; i + length <= rest.length; length++) {
      const piece = rest.slice(i, i + length);
      if (!text.includes(piece)) break;
      if (!context.includes(piece)) return true;
    }
  }
  return false;
}

function caught(sample, secret) {
  const note = {
    type: 'note', format: 'note', file: 'notes/pasted.md', place: { line: 1 }, kind: 'practice', title: 'Rotation follow-up',
    date: '2026-11-20', rawControls: [], controls: [], body: `We found this in the repository:\n\n${sample}\n\nIt was rotated the same day.`,
  };
  const check = {
    type: 'check', format: 'native-json', file: 'checks/scan.json', place: { line: 1 }, rawControls: [], controls: [],
    check: 'secrets.scan', title: 'Secret scan', status: 'fail', message: `found in ci/deploy.yml: ${sample}`,
  };
  const redactedNote = redactRecord(note).record;
  const redactedCheck = redactRecord(check).record;
  return { note: !leaks(secret, redactedNote.body, sample), check: !leaks(secret, redactedCheck.message, sample) };
}

const rules = extractRules();
const untranslated = [];
const report = { gitleaks: commit, rules: rules.length, tp: { samples: 0, caught: 0, leftOut: 0 }, fp: { samples: 0, flagged: 0 }, byRule: {} };
const misses = [];
const fpHits = [];
for (const rule of rules) {
  let re;
  try {
    re = rule.regex ? toJsRegex(rule.regex) : undefined;
  } catch (error) {
    untranslated.push(`${rule.id}: ${error.message}`);
  }
  const entry = (report.byRule[rule.id] ??= { tps: 0, caught: 0, fps: 0, flagged: 0, leftOut: 0, problems: [] });
  entry.problems.push(...rule.problems);
  if (rule.problems.length && !rule.tps.length) {
    entry.leftOut++;
    report.tp.leftOut++;
  }
  for (const tp of rule.tps) {
    const sample = typeof tp === 'string' ? tp : tp.sample;
    const m = re?.exec(sample);
    const secret = m ? secretOf(m, rule.secretGroup) : typeof tp === 'object' ? tp.secret : undefined;
    if (!secret) {
      entry.leftOut++;
      report.tp.leftOut++;
      continue;
    }
    const result = caught(sample, secret);
    // A true positive counts twice: in a note body and in a check message.
    for (const ok of [result.note, result.check]) {
      report.tp.samples++;
      entry.tps++;
      if (ok) {
        report.tp.caught++;
        entry.caught++;
      }
    }
    if (!result.note || !result.check) misses.push({ rule: rule.id, sample, secret, note: result.note, check: result.check });
  }
  for (const fp of rule.fps) {
    report.fp.samples++;
    entry.fps++;
    const r = redactText(String(fp));
    if (r.kinds.length) {
      report.fp.flagged++;
      entry.flagged++;
      fpHits.push({ rule: rule.id, sample: String(fp), kinds: r.kinds.map((k) => k.kind) });
    }
  }
}
report.tp.recall = Number(((100 * report.tp.caught) / report.tp.samples).toFixed(2));
report.fp.rate = Number(((100 * report.fp.flagged) / report.fp.samples).toFixed(2));
report.untranslated = untranslated;

console.log(`gitleaks ${commit}: ${rules.length} rules`);
console.log(`recall: ${report.tp.caught}/${report.tp.samples} = ${report.tp.recall} % (each true positive in a note body and in a check message; ${report.tp.leftOut} samples left out)`);
console.log(`false positives: ${report.fp.flagged}/${report.fp.samples} = ${report.fp.rate} % of gitleaks' false-positive samples have a redaction`);
if (untranslated.length) console.log(`regexes not translated: ${untranslated.join('; ')}`);
const problems = Object.entries(report.byRule).filter(([, e]) => e.problems.length);
for (const [id, e] of problems) console.log(`  ${id}: some samples not evaluated (${[...new Set(e.problems)].join('; ')})`);
if (args.includes('--misses')) {
  for (const m of misses) console.log(`MISS ${m.rule} [${m.note ? '' : 'note '}${m.check ? '' : 'check'}]: ${JSON.stringify(m.sample).slice(0, 300)} secret=${JSON.stringify(m.secret).slice(0, 80)}`);
  for (const f of fpHits) console.log(`FP ${f.rule} (${f.kinds.join(',')}): ${JSON.stringify(f.sample).slice(0, 300)}`);
}
if (option('--json')) writeFileSync(option('--json'), JSON.stringify({ ...report, misses, falsePositives: fpHits }, null, 2));

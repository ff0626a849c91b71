/**
 * `legible init [DIR]`: a folder ready to build from — a commented legible.config.yaml, an evidence
 * folder with one example note of each kind dated on the as-of date, folders for check results and
 * scanner outputs, a README saying what goes where, and a .gitignore for what builds leave behind.
 * It never overwrites: if any file it would write exists, it writes nothing and names them.
 */
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CONFIG_NAME } from '../config/load.js';
import { packageRoot } from '../util/package-root.js';

export interface InitOptions {
  dir: string;
  /** The date the example notes are written on (YYYY-MM-DD). */
  asOf: string;
}

export type InitResult = { ok: true; dir: string; written: string[]; folders: string[] } | { ok: false; dir: string; existing: string[] };

const EXCEPTION_DAYS = 90;

const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** Where an editor finds the config's schema from the folder: the installed package's own copy. */
function schemaReference(dir: string): string {
  const schema = join(packageRoot(), 'schemas', 'legible.config.schema.json');
  const rel = relative(dir, schema);
  if (isAbsolute(rel)) return pathToFileURL(schema).href;
  const posix = rel.split(sep).join('/');
  return posix.startsWith('.') ? posix : `./${posix}`;
}

const config = (schema: string) => `# yaml-language-server: $schema=${schema}
#
# The configuration of legible for this folder: \`npx legible build\` here reads the evidence in
# ./evidence and writes the packs to ./out. Every key is optional; an editor with a YAML language
# server completes and checks them as you type (the line above names the schema).

organization: Example Ltd        # as on the packs' covers: replace with yours
scope: >-
  What the evaluation covers: the services, systems, locations and people in scope.
  Replace this with the scope of your certification or report.

# How recent evidence must be to show a control operating: d, w, m (30 days) or y (365 days).
freshness:
  checks: 30d                    # a passing check result
  notes: 365d                    # a practice note

# Rules adding controls to check results that do not name them (a glob on the check id).
mappings: []
#  - match: { format: native, check: "backup.*" }
#    controls: [A.8.13, A1.2]
#    why: restore tests evidence backup and recovery
#  - match: { format: junit, check: "tests.authz.*" }
#    controls: [A.8.5, CC6.1]
#    why: the authorisation test suite shows access control is enforced

# Controls that do not apply, each with a justification (it is printed in the Statement of
# Applicability).
applicability: {}
#  A.7.11:
#    applicable: false
#    justification: "No own facilities: production runs in the cloud provider's certified data centres."

# The SOC 2 <-> ISO/IEC 27001 crosswalk your audit firm uses, in place of legible's built-in one
# (a JSON file in the shape of schemas/crosswalk.schema.json, relative to this file).
# crosswalk: crosswalk.json
`;

const practice = (date: string) => `---
title: "Example: quarterly access review"
author: Your Name
date: ${date}
controls: [A.5.18, CC6.2]
kind: practice
---
**This is an example practice note: replace it with your own, or delete it.** A practice note says
what was done, when and by whom, with numbers and references, in the words of the person who did it.

Reviewed the members of every group with access to production in the identity provider with each
team lead: 14 groups, 212 memberships, 9 removed (ticket SEC-101).
`;

const policy = (date: string) => `---
title: "Example: access control policy"
author: Your Name
date: ${date}
controls: [A.5.18, CC6.2]
kind: policy
cadence: 90d
---
**This is an example policy note: replace it with your own, or delete it.** A policy says what should
happen; with a \`cadence\`, legible reports the controls it names as deficient when the newest practice
note or check result for them is older than that.

Access rights to production are granted per role, approved by the system owner, and reviewed with
every team lead at least every quarter.
`;

const exception = (date: string) => `---
title: "Example: legacy VPN without MFA"
author: Your Name
date: ${date}
controls: [A.8.5]
kind: exception
expires: ${addDays(date, EXCEPTION_DAYS)}
---
**This is an example exception: replace it with your own, or delete it.** An exception records a risk
accepted until a date; after it, legible reports the control as deficient.

The legacy VPN concentrator does not support MFA until its replacement (ticket NET-42); access is
limited to two named administrators and logged.
`;

const readme = `# Evidence for legible

\`npx legible build\` in this folder evaluates the evidence in \`evidence/\` with \`${CONFIG_NAME}\` and
writes the certification packs, the insurance questionnaire, the board report and \`manifest.json\` to
\`out/\`. \`npx legible check\` only validates (exit 1 on any rejected input or error).

| put | in | what legible reads |
| --- | --- | --- |
| practice notes: what was done, by whom, when | \`evidence/notes/practice/\` | Markdown with front matter \`title\`, \`author\`, \`date\`, \`controls\` |
| policies and standards: what should happen | \`evidence/notes/policy/\` | the same with \`kind: policy\` and an optional \`cadence\` (e.g. \`90d\`) |
| accepted risks | \`evidence/notes/exceptions/\` | the same with \`kind: exception\` and \`expires: YYYY-MM-DD\` |
| results of your own scripts | \`evidence/checks/\` | JSON, JSON Lines, CSV or XLSX rows with \`check\`, \`status\`, \`observed_at\`, \`controls\` |
| security tools' outputs, as they come | \`evidence/scans/\` | SARIF, Prowler, Security Hub ASFF, Trivy, Checkov, InSpec/HDF, JUnit XML, kube-bench, ScoutSuite, OSCAL assessment results |

The folders are a convention: legible recognises every file by its content, wherever it lies in
\`evidence/\`. Every file there is evidence: each is listed in the manifest, used or rejected with the
reason, so keep other documents elsewhere. The three notes dated on the day this folder was made are
examples: replace or delete them before a real build (git keeps no empty folder, so an empty
\`checks/\` or \`scans/\` is made again by the first file put there).

\`.gitignore\` leaves out \`out/\` (the build's outputs) and \`.legible-cache/\` (the parse cache).
`;

const gitignore = `# legible's outputs and parse cache
out/
.legible-cache/
`;

/** Create the folder's files, or — when any of them exists — nothing, naming those that do. */
export function init(options: InitOptions): InitResult {
  const dir = resolve(options.dir);
  const files: Record<string, string> = {
    [CONFIG_NAME]: config(schemaReference(dir)),
    'README.md': readme,
    '.gitignore': gitignore,
    [`evidence/notes/practice/${options.asOf}-example-access-review.md`]: practice(options.asOf),
    'evidence/notes/policy/example-access-control-policy.md': policy(options.asOf),
    'evidence/notes/exceptions/example-legacy-vpn-mfa.md': exception(options.asOf),
  };
  const folders = ['evidence/checks', 'evidence/scans'];
  const kind = (path: string) => {
    try {
      return lstatSync(join(dir, path)).isDirectory() ? 'folder' : 'file';
    } catch {
      return 'none';
    }
  };
  // A file where a folder goes is in the way as much as a file where a file goes.
  const existing = [...Object.keys(files).filter((f) => kind(f) !== 'none'), ...folders.filter((f) => kind(f) === 'file')];
  if (existing.length) return { ok: false, dir, existing };
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    // 'wx': never replace a file that appeared since the check above.
    writeFileSync(join(dir, path), content, { flag: 'wx' });
  }
  for (const folder of folders) mkdirSync(join(dir, folder), { recursive: true });
  return { ok: true, dir, written: Object.keys(files), folders };
}

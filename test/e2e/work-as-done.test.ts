import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headings } from '../../src/render/work-as-done/text.js';
import { legible, root } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp.js';

/** Debian's headless Chromium (`chromium-headless-shell`, installed by .ci/run), else its full `chromium`. */
const executablePath = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell', '/usr/bin/chromium'].find((path) => existsSync(path));

let out: string;
let context: BrowserContext;
/** Every request the browser made, whatever it was for. */
const requests: string[] = [];

beforeAll(async () => {
  if (!executablePath) throw new Error('no Chromium: apt-get install chromium-headless-shell (or chromium), as .ci/run does');
  out = tempDir('legible-work-as-done-');
  const r = await legible(['build', '--period', '2026-05-01..2026-10-31', '--as-of', '2026-11-23', '--no-cache', '--out', out, '--quiet'], root);
  expect(r.code, r.stderr).toBe(0);
  // A fresh profile, no script, and none of Chromium's own connections (the network here is closed).
  context = await chromium.launchPersistentContext(tempDir('legible-chromium-'), {
    executablePath,
    javaScriptEnabled: false,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  context.on('request', (request) => requests.push(request.url()));
  await context.route('**/*', (route) => (route.request().url().startsWith('file:') ? route.continue() : route.abort()));
});

afterAll(async () => {
  await context?.close();
});

describe('work-as-done.html in a real browser, over the demo history', () => {
  it('the interception sees a page that reaches out (so its silence below means something)', async () => {
    const probe = join(out, 'probe.html');
    writeFileSync(probe, '<!DOCTYPE html><title>probe</title><img src="https://tracker.invalid/pixel.png">');
    const page = await context.newPage();
    await page.goto(pathToFileURL(probe).href);
    await page.close();
    expect(requests).toContain('https://tracker.invalid/pixel.png');
    requests.length = 0;
  });

  it('opens from the file alone, with no request but the file itself, and shows every section with the numbers from the evidence', async () => {
    const url = pathToFileURL(join(out, 'work-as-done.html')).href;
    const page = await context.newPage();
    await page.goto(url, { waitUntil: 'load' });
    expect(requests).toEqual([url]);

    expect(await page.locator('h1').textContent()).toBe('Work as done — Fjordline Payments AS');
    expect(await page.locator('h2, h3').allTextContents()).toEqual(
      (['glance', 'drift', 'cadences', 'gaps', 'exceptions', 'requests', 'imagined', 'unwritten', 'kept', 'method'] as const).map((id) => headings[id]),
    );
    const glance = async (key: string) => Number(await page.locator(`[data-key="${key}"] .n`).textContent());
    expect(await glance('policies-missed')).toBe(5);
    expect(await glance('exceptions-expired')).toBe(1);
    // EXC-2026-007 runs to 2027-01-31, 69 days after 2026-11-23: not yet expiring within 60 days.
    expect(await glance('exceptions-expiring')).toBe(0);
    expect(await glance('evidence-requests')).toBe(97);

    // The privileged access reviews: due every 30 days, done twice in the period, 55 days apart, three misses.
    const privileged = page.locator('#cadences article', { hasText: 'Privileged Access Standard' }).locator('tbody tr', { hasText: 'A.8.2 Privileged access rights' });
    // innerText: what a reader sees (the drawing's title is for screen readers).
    expect(await privileged.locator('td').allInnerTexts()).toEqual([
      'A.8.2 Privileged access rights',
      'cadence missed',
      '2 (2 practice notes)',
      '55 days',
      '55 days (2026-07-21 → 2026-09-14)',
      "3 (124 days in all, the last still open at the period's end)",
      '2026-11-03 (20 days before the as-of date)',
      'Magnus Haugen (1), 陈伟 (1)',
    ]);
    expect(await privileged.locator('svg.strip circle').count()).toBe(2);
    // The backup copies whose export stopped after 2026-07-14 and came back on 2026-10-01.
    expect(await page.locator('#gaps tbody tr', { hasText: 'A.8.13, A1.2' }).locator('td').allTextContents()).toEqual(['A.8.13, A1.2', '2026-07-14', '79 days', '2026-08-14 → 2026-09-30', '2026-10-01']);
    const exceptions = await page.locator('#exceptions').textContent();
    expect(exceptions).toContain('EXC-2026-002: Semgrep CI gate in report-only mode on merchant-portal');
    expect(exceptions).toContain('expired 54 days ago');
    expect(exceptions).not.toContain('EXC-2026-007');
    // Whom to ask for the disaster recovery test: the one who ran the last game day, in 2024.
    expect(await page.locator('#requests tbody tr', { hasText: 'A1.3 Testing of recovery plan procedures' }).locator('td').last().textContent()).toBe('Magnus Haugen (A1.3, 2024-09-12)');
    expect(await page.locator('#imagined article').first().locator('h4').textContent()).toMatch(/^Information Security Policy/);

    const shot = join(tempDir('legible-screenshot-'), 'work-as-done.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // A full page, 1280 wide and many screens long (the PNG header holds width and height).
    expect([png.readUInt32BE(16), png.readUInt32BE(20) > 5000]).toEqual([1280, true]);

    // Printable: the browser lays it out on paper, every section there.
    const pdf = join(tempDir('legible-print-'), 'work-as-done.pdf');
    await page.pdf({ path: pdf, preferCSSPageSize: true });
    const printed = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const heading of Object.values(headings)) expect(printed).toContain(heading);
    expect(statSync(pdf).size).toBeGreaterThan(20_000);
    expect(requests).toEqual([url]);
    await page.close();
  });

  it('the Markdown twin has the same headings and the same numbers', async () => {
    const md = readFileSync(join(out, 'work-as-done.md'), 'utf8').replace(/\\(.)/g, '$1');
    const page = await context.newPage();
    await page.goto(pathToFileURL(join(out, 'work-as-done.html')).href);
    const htmlHeadings = await page.locator('h1, h2, h3').allTextContents();
    const glance = await page.locator('.glance li').evaluateAll((items) => items.map((li) => li.textContent));
    await page.close();
    expect([...md.matchAll(/^#{1,3} (.+)$/gm)].map((m) => m[1])).toEqual(htmlHeadings);
    expect([...md.matchAll(/^- \*\*(\d+)\*\* (.+)$/gm)].map((m) => `${m[1]}${m[2]}`)).toEqual(glance);
    expect(md).toContain("| A.8.2 Privileged access rights | cadence missed | 2 (2 practice notes) | 55 days | 55 days (2026-07-21 → 2026-09-14) | 3 (124 days in all, the last still open at the period's end) |");
    expect(md).toContain('| A.8.13, A1.2 | 2026-07-14 | 79 days | 2026-08-14 → 2026-09-30 | 2026-10-01 |');
  });
});

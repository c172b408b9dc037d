// Browser test of the Boussole: a parent finds an open LAEP near 59100 for a 2-year-old with
// JavaScript disabled, and axe-core reports no WCAG 2.1 A/AA violation on every Boussole page,
// in Debian's headless Chromium driven by playwright-core. The npm packages are the kiosque's
// (scripts/browser-deps.sh installs them in apps/kiosque/tests/browser).
//
//   BASE_URL=http://127.0.0.1:PORT PLACE_URL=… STAFF_EMAIL=… STAFF_PASSWORD=… STAFF_URLS="…" \
//   BROWSER_DEPS=apps/kiosque/tests/browser [CHROMIUM=/usr/bin/chromium] node boussole.mjs
//
// Prints `ok - <step>` or `not ok - <step>: <why>`, then `browser: N passed, N failed`.
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';

const deps = createRequire(resolve(process.env.BROWSER_DEPS || '.', 'package.json'));
const { chromium } = deps('playwright-core');
const AXE_SOURCE = await readFile(deps.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const base = process.env.BASE_URL;
if (!base) {
  console.error('boussole.mjs: set BASE_URL (see the header of this file)');
  process.exit(2);
}
const watchdog = setTimeout(() => { console.log('not ok - watchdog: the run took over 3 minutes'); process.exit(1); }, 180_000);
const results = { passed: 0, failed: 0 };

async function step(name, fn) {
  try {
    await fn();
    results.passed += 1;
    console.log(`ok - ${name}`);
  } catch (err) {
    results.failed += 1;
    console.log(`not ok - ${name}: ${String(err && err.message ? err.message : err).split('\n').join('\n#   ')}`);
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function goto(page, url, status = 200) {
  const response = await page.goto(url, { waitUntil: 'load' });
  check(response && response.status() === status, `GET ${url} answered ${response ? response.status() : 'nothing'}`);
}

async function expectNoViolations(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async (tags) => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  }, AXE_TAGS);
  check(violations.length === 0, `${violations.length} accessibility violation(s)\n${violations.join('\n')}`);
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const page = await noJs.newPage();
  await step('without JavaScript, a parent finds an open LAEP near 59100 for a 2-year-old', async () => {
    await goto(page, `${base}/boussole`);
    await page.locator('#f-code_postal').fill('59100');
    await page.locator('#f-age').selectOption('2');
    await page.locator('#f-q').fill('LAEP');
    await page.locator('#f-ouvert').check();
    await Promise.all([page.waitForURL(/code_postal=59100/, { waitUntil: 'load' }), page.locator('form.recherche button[type="submit"]').click()]);
    const first = page.locator('ol.lieux > li').first();
    check(await page.locator('ol.lieux > li').count() === 1, `${await page.locator('ol.lieux > li').count()} places listed, 1 expected`);
    const text = await first.innerText();
    check(text.includes('LAEP Les Petits Pas') && text.includes('Ouvert maintenant'), `first place: ${text}`);
    check(await page.locator('svg.carte .repere').count() === 1, 'one numbered marker on the map');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    check(width <= 390, `the page scrolls sideways at 390 px (${width} px)`);
    await Promise.all([page.waitForURL(/\/boussole\/lieux\//, { waitUntil: 'load' }), first.locator('h3 a').click()]);
    check((await page.locator('h1').innerText()).includes('LAEP Les Petits Pas'), 'the sheet opens');
  });
  await noJs.close();

  const ctx = await browser.newContext({ bypassCSP: true });
  const p = await ctx.newPage();
  const pages = [
    ['/boussole', 200],
    ['/boussole?code_postal=59100&rayon=15&age=2', 200],
    ['/boussole?code_postal=59160', 200],
    ['/boussole?code_postal=5910&age=30', 400],
    ['/boussole/agenda', 200],
  ];
  if (process.env.PLACE_URL) pages.push([new URL(process.env.PLACE_URL).pathname, 200]);
  for (const [path, status] of pages) {
    await step(`axe: ${path} has no WCAG 2.1 A/AA violation`, async () => {
      await goto(p, `${base}${path}`, status);
      await expectNoViolations(p);
    });
  }
  const staff = (process.env.STAFF_URLS || '').split(/\s+/).filter(Boolean);
  if (staff.length > 0) {
    await step('coordinator: sign in through the form', async () => {
      await goto(p, `${base}/connexion`);
      await p.locator('#f-email').fill(process.env.STAFF_EMAIL);
      await p.locator('#f-password').fill(process.env.STAFF_PASSWORD);
      await Promise.all([p.waitForURL((u) => !u.pathname.startsWith('/connexion'), { waitUntil: 'load' }), p.locator('main button[type="submit"]').click()]);
    });
    for (const path of staff) {
      await step(`axe: ${path} has no WCAG 2.1 A/AA violation`, async () => {
        await goto(p, `${base}${path}`);
        await expectNoViolations(p);
      });
    }
  }
} finally {
  await browser.close();
  clearTimeout(watchdog);
}
console.log(`browser: ${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed === 0 ? 0 : 1);

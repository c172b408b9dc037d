// Browser test of the suite: accessibility (axe-core) of the pages given, the kiosk journey,
// keyboard focus and the inactivity reset, Anim'Connect's planning with the keyboard with and
// without JavaScript, in Debian's headless Chromium driven by playwright-core.
//
//   KIOSK_URL=http://127.0.0.1:PORT/kiosque/borne/TOKEN \
//   PORTAL_URL=http://127.0.0.1:PORT/kiosque/c/SLUG \
//   GUIDE_URL=http://127.0.0.1:PORT/kiosque/guides/… \
//   [CHROMIUM=/usr/bin/chromium] node kiosk.mjs
//
// Prints `ok - <step>` or `not ok - <step>: <why>` per step, then `browser: N passed, N failed`;
// exits 1 when a step failed (2 when the environment is incomplete).
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const AXE_SOURCE = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const ACTION_TIMEOUT_MS = 15_000;
// The whole run is bounded: a page that never answers must not hang the test suite.
const WATCHDOG_MS = 5 * 60_000;

const env = {
  kiosk: process.env.KIOSK_URL,
  portal: process.env.PORTAL_URL,
  guide: process.env.GUIDE_URL,
  chromium: process.env.CHROMIUM || '/usr/bin/chromium',
};
const missing = ['KIOSK_URL', 'PORTAL_URL', 'GUIDE_URL'].filter((name) => !process.env[name]);
if (missing.length > 0) {
  console.error(`kiosk.mjs: set ${missing.join(', ')} (see the header of this file)`);
  process.exit(2);
}
const kioskPath = new URL(env.kiosk).pathname;

const results = { passed: 0, failed: 0 };

async function step(name, fn) {
  try {
    await fn();
    results.passed += 1;
    console.log(`ok - ${name}`);
  } catch (err) {
    results.failed += 1;
    const why = String(err && err.message ? err.message : err).split('\n');
    console.log(`not ok - ${name}: ${why[0]}`);
    for (const line of why.slice(1)) if (line.trim()) console.log(`#   ${line}`);
  }
}

function check(condition, message) {
  if (!condition) throw new Error(message);
}

async function axeViolations(page) {
  const loaded = await page.evaluate(() => typeof window.axe !== 'undefined');
  if (!loaded) await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async (tags) => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, AXE_TAGS);
}

async function expectNoViolations(page) {
  const violations = await axeViolations(page);
  if (violations.length === 0) return;
  const lines = violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} — ${v.targets.join(', ')}`,
  );
  throw new Error(`${violations.length} accessibility violation(s)\n${lines.join('\n')}`);
}

async function goto(page, url) {
  const response = await page.goto(url, { waitUntil: 'load' });
  check(response && response.ok(), `GET ${url} answered ${response ? response.status() : 'nothing'}`);
}

// Clicks a link or button that leads to another page and waits for that page to be there.
async function clickAndWait(page, locator) {
  const before = page.url();
  await Promise.all([
    page.waitForURL((url) => url.href !== before, { waitUntil: 'load' }),
    locator.click(),
  ]);
}

async function bodySettings(page) {
  return page.evaluate(() => ({
    inactivite: document.body.dataset.inactivite,
    avertissement: document.body.dataset.avertissement,
    accueil: document.body.dataset.accueil,
  }));
}

// Other pages of the suite to check with axe (EXTRA_AXE_URLS, separated by spaces).
async function extraPages(page) {
  const urls = (process.env.EXTRA_AXE_URLS || '').split(/\s+/).filter(Boolean);
  for (const url of urls) {
    await step(`axe: ${new URL(url).pathname.replace(/\/(foyer|demande)\/[^/]+/, '/$1/…')} has no WCAG 2.1 A/AA violation`, async () => {
      await goto(page, url);
      await expectNoViolations(page);
    });
  }
}

// The pre-registration's choice page (PRICE_URL): choosing a day shows its price, by script.
async function livePrice(page) {
  if (!process.env.PRICE_URL) return;
  await step('pre-registration: choosing a day shows the price without a click', async () => {
    await goto(page, process.env.PRICE_URL);
    check((await page.locator('#prix').count()) === 0, 'a price is shown before any choice');
    await page.locator('select[name^="d_"]').first().selectOption('journee');
    await page.locator('#prix').waitFor();
    const text = await page.locator('#prix').innerText();
    check(/€/.test(text), `the price heading says « ${text} »`);
    check((await page.locator('button[value="envoyer"]').count()) === 1, 'no send button after the price');
  });
}

// Staff pages (STAFF_EMAIL, STAFF_PASSWORD, STAFF_URLS): signed in through the form, each page
// checked with axe.
async function staffPages(page) {
  const urls = (process.env.STAFF_URLS || '').split(/\s+/).filter(Boolean);
  if (urls.length === 0) return;
  await step('staff: sign in through the form', async () => {
    await goto(page, new URL('/connexion', urls[0]).href);
    await page.locator('#f-email').fill(process.env.STAFF_EMAIL);
    await page.locator('#f-password').fill(process.env.STAFF_PASSWORD);
    await clickAndWait(page, page.locator('main button[type="submit"]'));
    check(!page.url().includes('/connexion'), `still on ${page.url()}`);
  });
  for (const url of urls) {
    await step(`axe: ${new URL(url).pathname} has no WCAG 2.1 A/AA violation`, async () => {
      await goto(page, url);
      await expectNoViolations(page);
    });
  }
  await planWeek(page);
  await page.context().clearCookies();
}

// Anim'Connect (PLAN_URL, PLAN_WEEK_URL): the director plans a session of the week with the
// keyboard, first with scripts disabled, then again with them.
async function planWeek(page) {
  if (!process.env.PLAN_URL) return;
  const cdp = await page.context().newCDPSession(page);
  for (const [label, noScript, place] of [['without JavaScript', true, 'Cour du centre'], ['with JavaScript', false, 'Parc Lebas']]) {
    await step(`Anim'Connect: the director plans a session ${label}, keyboard only`, async () => {
      await cdp.send('Emulation.setScriptExecutionDisabled', { value: noScript });
      await goto(page, process.env.PLAN_URL);
      await page.locator('#f-sheet').focus();
      await page.keyboard.press('ArrowDown');
      await page.locator('#f-place').focus();
      await page.keyboard.type(place);
      await page.locator('input[id^="f-lead_"]').first().focus();
      await page.keyboard.press('Space');
      const before = page.url();
      await Promise.all([
        page.waitForURL((url) => url.href !== before, { waitUntil: 'load' }),
        page.locator('#f-notes').press('Tab').then(() => page.keyboard.press('Enter')),
      ]);
      check(page.url().startsWith(process.env.PLAN_WEEK_URL.split('?')[0]), `landed on ${page.url()}`);
      const grid = await page.locator('table.week-grid').innerText();
      check(grid.includes('Le relais des déménageurs'), `the grid says « ${grid.slice(0, 200)} »`);
      check(grid.includes(place), `the place « ${place} » is not in the grid`);
      // axe itself is a script: the page rendered without scripts is checked with them back on.
      await cdp.send('Emulation.setScriptExecutionDisabled', { value: false });
      await expectNoViolations(page);
    });
  }
  await cdp.send('Emulation.setScriptExecutionDisabled', { value: false });
}

async function run(page) {
  await extraPages(page);
  await livePrice(page);
  await staffPages(page);
  await step('axe: portal page has no WCAG 2.1 A/AA violation', async () => {
    await goto(page, env.portal);
    await expectNoViolations(page);
  });
  await step('axe: guide page has no WCAG 2.1 A/AA violation', async () => {
    await goto(page, env.guide);
    await expectNoViolations(page);
  });
  await step('axe: kiosk home has no WCAG 2.1 A/AA violation', async () => {
    await goto(page, env.kiosk);
    await expectNoViolations(page);
  });

  await step('kiosk home: #recommencer link, tiles, search field', async () => {
    await goto(page, env.kiosk);
    const restart = page.locator('a#recommencer');
    check(await restart.isVisible(), 'no visible a#recommencer');
    const text = await restart.innerText();
    check(text.includes('Recommencer'), `#recommencer says "${text}"`);
    const tiles = await page.locator('a.tuile').count();
    check(tiles >= 1, 'no a.tuile on the kiosk home');
    const q = page.locator('#q');
    await q.pressSequentially('xyz');
    const value = await q.inputValue();
    check(value === 'xyz', `#q holds "${value}" after typing xyz`);
  });

  await step('kiosk journey: theme, procedure, « oui » answer', async () => {
    await goto(page, env.kiosk);
    await clickAndWait(page, page.locator('a.tuile').first());
    const procedures = page.locator('a.tuile');
    check((await procedures.count()) >= 1, `no a.tuile on the theme page ${page.url()}`);
    await clickAndWait(page, procedures.first());
    const procedureUrl = page.url();

    const start = page.locator('a#commencer');
    check((await start.count()) === 1, `no a#commencer on ${procedureUrl}`);
    const target = await start.getAttribute('target');
    check(target === '_blank', `a#commencer has target="${target}"`);
    const href = (await start.getAttribute('href')) || '';
    check(href.includes('/go/kiosque/'), `a#commencer points to "${href}"`);

    const buttons = page.locator('form#question button[name=reponse]');
    const values = (await buttons.evaluateAll(
      (els) => els.filter((b) => b.type === 'submit').map((b) => b.value),
    )).sort();
    check(
      JSON.stringify(values) === JSON.stringify(['aide', 'non', 'oui']),
      `form#question submit buttons have values [${values.join(', ')}], expected aide, non, oui`,
    );
    await page.locator('form#question button[name=reponse][value=oui]').click();
    await page.locator('.merci').first().waitFor({ state: 'visible' });
  });

  await step('keyboard: the first Tab stops are visible and show their focus', async () => {
    await goto(page, env.kiosk);
    const seen = [];
    for (let i = 1; i <= 3; i += 1) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body || el === document.documentElement) return null;
        const style = getComputedStyle(el);
        const box = el.getBoundingClientRect();
        const inViewport = box.width > 0 && box.height > 0 && box.bottom > 0 && box.right > 0 &&
          box.top < window.innerHeight && box.left < window.innerWidth;
        const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
        const shadow = style.boxShadow !== 'none' && style.boxShadow !== '';
        return {
          name: el.tagName.toLowerCase() + (el.id ? `#${el.id}` : '') +
            (el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''),
          visible: inViewport && style.visibility !== 'hidden' && parseFloat(style.opacity) > 0,
          focusStyle: outline || shadow,
        };
      });
      if (focus === null) continue;
      check(focus.visible, `Tab ${i}: focused ${focus.name} is not visible`);
      check(focus.focusStyle, `Tab ${i}: focused ${focus.name} has no outline nor box-shadow`);
      seen.push(focus.name);
    }
    check(seen.length > 0, 'three Tab presses focused nothing');
  });

  await step('inactivity: warning, more time, then reset to the kiosk home', async () => {
    await goto(page, env.kiosk);
    const settings = await bodySettings(page);
    const idle = Number(settings.inactivite);
    const warning = Number(settings.avertissement);
    check(Number.isInteger(idle) && idle > 0, `body data-inactivite="${settings.inactivite}"`);
    check(Number.isInteger(warning) && warning >= 20,
      `body data-avertissement="${settings.avertissement}" (at least 20 seconds)`);
    check(settings.accueil, 'body has no data-accueil');

    const q = page.locator('#q');
    await q.pressSequentially('xyz');
    const dialog = page.locator('#inactivite');
    await dialog.waitFor({ state: 'visible', timeout: (idle + 5) * 1000 });
    const role = await dialog.getAttribute('role');
    check(role === 'alertdialog', `#inactivite has role="${role}"`);
    const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
    check(focused === 'plus-de-temps', `focus is on "${focused}", not on #plus-de-temps`);
    const countdown = await page.locator('#inactivite-decompte').innerText();
    check(/\d/.test(countdown), `#inactivite-decompte says "${countdown}" (no number)`);
    await expectNoViolations(page).catch((err) => {
      throw new Error(`with the warning open: ${err.message}`);
    });

    await page.locator('#plus-de-temps').click();
    await dialog.waitFor({ state: 'hidden', timeout: 2000 });
    check(new URL(page.url()).pathname === kioskPath, `« more time » left the page for ${page.url()}`);
    check((await q.inputValue()) === 'xyz', '« more time » lost what was typed in #q');

    // Something to forget: the reset must clear both storages.
    await page.evaluate(() => {
      sessionStorage.setItem('kiosk-test', 'personne précédente');
      localStorage.setItem('kiosk-test', 'personne précédente');
    });
    await dialog.waitFor({ state: 'visible', timeout: (idle + 5) * 1000 });
    // Hands off: the page must go home on its own.
    await page.waitForEvent('framenavigated', {
      predicate: (frame) => frame === page.mainFrame(),
      timeout: (warning + 5) * 1000,
    });
    await page.waitForLoadState('load');
    const after = new URL(page.url());
    check(after.pathname === kioskPath, `after the reset the page is ${after.pathname}, not ${kioskPath}`);
    const left = await page.evaluate(() => ({
      q: document.querySelector('#q') ? document.querySelector('#q').value : null,
      session: sessionStorage.length,
      local: localStorage.length,
      dialogHidden: document.querySelector('#inactivite') ? document.querySelector('#inactivite').hidden : null,
    }));
    check(left.q === '', `after the reset #q holds ${JSON.stringify(left.q)}`);
    check(left.session === 0, `after the reset sessionStorage holds ${left.session} item(s)`);
    check(left.local === 0, `after the reset localStorage holds ${left.local} item(s)`);
    check(left.dialogHidden === true, 'after the reset the warning is still shown');
  });
}

async function main() {
  const profile = await mkdtemp(join(tmpdir(), 'kiosque-browser-'));
  let context;
  const watchdog = setTimeout(() => {
    console.log(`not ok - whole run: still running after ${WATCHDOG_MS / 1000} s`);
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  try {
    try {
      context = await chromium.launchPersistentContext(profile, {
        executablePath: env.chromium,
        headless: true,
        bypassCSP: true,
        locale: 'fr-FR',
        viewport: { width: 1280, height: 900 },
        // Chromium makes its single-instance lock folder (org.chromium.Chromium.*) in TMPDIR and
        // leaves it behind; inside the profile it goes with it.
        env: { ...process.env, TMPDIR: profile },
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
        ],
      });
    } catch (err) {
      console.log(`not ok - launch ${env.chromium}: ${String(err.message).split('\n')[0]}`);
      results.failed += 1;
      return;
    }
    context.setDefaultTimeout(ACTION_TIMEOUT_MS);
    const page = context.pages()[0] || (await context.newPage());
    const scriptErrors = [];
    page.on('pageerror', (err) => scriptErrors.push(`${page.url()}: ${err.message}`));

    await run(page);

    await step('no JavaScript error on the pages visited', async () => {
      check(scriptErrors.length === 0, `${scriptErrors.length} error(s)\n${scriptErrors.join('\n')}`);
    });
  } finally {
    if (context) await context.close().catch(() => {});
    await rm(profile, { recursive: true, force: true });
    clearTimeout(watchdog);
  }
}

await main();
console.log(`browser: ${results.passed} passed, ${results.failed} failed`);
process.exitCode = results.failed > 0 ? 1 : 0;

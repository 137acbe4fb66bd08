// Dark mode: the popup, the options page and the welcome page follow the browser's colour scheme,
// and in both schemes every text element they show has a contrast of at least 4.5:1 against what
// it is drawn on, measured from the computed colours. Left out: the banner preview and the welcome
// page's sample banners, which keep the environment's own colours, and disabled controls, which
// WCAG exempts. Each page is shown in its fullest state (a list of targets; "Why this banner?" for
// an Admin console tab; an editor with an error and a warning, an import report with every
// outcome; the welcome page with "What's new").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ENGINE, EXTENSION_BASE, ROOT, launchBrowser } from './harness.mjs';
import { openAwsConsole, openOptions, setEditorText } from './options-page.mjs';
import { POPUP_URL, SEED, TARGETS, openPopup, saveConfig } from './popup-page.mjs';

const MINIMUM = 4.5;

/** In the page: each visible text element's contrast ratio, or the reason it has none. */
function contrastInPage(exclude) {
  const parse = (colour) => {
    const found = colour.match(/rgba?\(([^)]+)\)/);
    if (!found) return null;
    const [r, g, b, a = 1] = found[1].split(/[\s,/]+/).filter(Boolean).map(Number);
    return [r, g, b, a];
  };
  const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat(1);
  const luminance = (rgb) => {
    const [r, g, b] = rgb.map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  // The colour behind an element: its own background and its ancestors', down to an opaque one.
  const behind = (element) => {
    const layers = [];
    for (let at = element; at; at = at.parentElement) {
      const colour = parse(getComputedStyle(at).backgroundColor);
      if (colour && colour[3] > 0) layers.push(colour);
      if (colour && colour[3] === 1) break;
    }
    if (!layers.length || layers.at(-1)[3] !== 1) return null;
    let colour = layers.pop();
    while (layers.length) colour = over(layers.pop(), colour);
    return colour;
  };
  const describe = (element) => `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className && typeof element.className === 'string' ? `.${element.className.trim().split(/\s+/).join('.')}` : ''} "${(element.value || element.textContent).trim().slice(0, 40)}"`;
  const results = [];
  for (const element of document.querySelectorAll('body *')) {
    if (exclude && element.closest(exclude)) continue;
    if (element.matches('option, script, style, input[type="file"], input[type="checkbox"]')) continue;
    const ownText = [...element.childNodes].some((node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim());
    const fieldText = element.matches('input, textarea, select') && element.value.trim();
    if (!ownText && !fieldText) continue;
    if (!element.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
    if (element.closest(':disabled')) continue;
    const background = behind(element);
    if (!background) {
      results.push({ what: describe(element), problem: 'no opaque background behind it' });
      continue;
    }
    const foreground = over(parse(getComputedStyle(element).color), background);
    const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
    results.push({ what: describe(element), ratio: (light + 0.05) / (dark + 0.05), colour: getComputedStyle(element).color, background: `rgb(${background.slice(0, 3).map(Math.round).join(', ')})` });
  }
  return { dark: matchMedia('(prefers-color-scheme: dark)').matches, results };
}

/** Measures `page` and fails on any text element under the minimum. */
async function checkPage(page, name, scheme, exclude = null) {
  const { dark, results } = await page.evaluate(contrastInPage, exclude);
  assert.equal(dark, scheme === 'dark', `${name} sees the ${scheme} scheme`);
  assert.ok(results.length >= 10, `${name}: only ${results.length} text elements measured`);
  const failing = results.filter((r) => !(r.ratio >= MINIMUM));
  assert.deepEqual(failing, [], `${name} (${scheme}): text under ${MINIMUM}:1`);
  const lowest = results.reduce((low, r) => (r.ratio < low.ratio ? r : low));
  console.log(`# contrast ${name}, ${scheme}: ${results.length} text elements, lowest ${lowest.ratio.toFixed(2)}:1 (${lowest.what}, ${lowest.colour} on ${lowest.background})`);
}

for (const scheme of ['light', 'dark']) {
  test(`${scheme} scheme: every text of the popup, the options page and the welcome page is at least ${MINIMUM}:1 against its background`, async () => {
    const browser = await launchBrowser({ colorScheme: scheme });
    try {
      await saveConfig(browser, `${SEED}\n${TARGETS}`);

      const popup = await browser.context.newPage();
      await popup.goto(POPUP_URL);
      await popup.waitForSelector('.row[data-privilege="admin"]', { timeout: 10_000 });
      await checkPage(popup, 'popup', scheme);

      const tab = await openAwsConsole(browser, { account: '111122223333', alias: 'acme-prod', role: 'Admin' });
      const toolbar = await openPopup(browser, tab);
      // Chromium's toolbar popup is no page of Playwright's, which sets the scheme of its own pages:
      // the scheme is set in it as the browser's setting would.
      if (ENGINE === 'chromium') await toolbar.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: scheme }] });
      await toolbar.evaluate(() => document.getElementById('why-open').click());
      for (let tries = 0; !(await toolbar.evaluate(() => document.getElementById('why-report').textContent.includes('Reasons:'))); tries++) {
        assert.ok(tries < 200, 'the panel is drawn');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await checkPage(toolbar, '"Why this banner?"', scheme);
      await toolbar.close();

      const options = await openOptions(browser);
      // An error and a warning: the validity line, the problem list and the gutter's marks.
      await setEditorText(options, `${SEED}\n[[aws.accounts]]\nid = "111122223333"\nenvironment = "prod"\n[[aws.accounts]]\nid = "111122223333"\nenvironment = "prod"\n[[aws.accounts]]\nid = 5\n`);
      await options.waitForSelector('#diagnostics li.error', { timeout: 10_000 });
      await options.waitForSelector('#diagnostics li.warning', { timeout: 10_000 });
      // A report with every outcome: converted, ignored and refused rows.
      const evil = '[profile evil]\nsso_start_url = javascript:alert(1)\nsso_account_id = 111122223333\nsso_role_name = Admin\n';
      await options.selectOption('#import-source', 'aws-config');
      await options.fill('#import-text', `${evil}${readFileSync(join(ROOT, 'tests/fixtures/import/aws-config.ini'), 'utf8')}`);
      await options.click('#import-convert');
      await options.waitForSelector('#import-report tr.refused', { timeout: 10_000 });
      await checkPage(options, 'options page', scheme, '#preview-banner');
      assert.deepEqual(options.errors, []);

      const welcome = await browser.context.newPage();
      await welcome.goto(`${EXTENSION_BASE}extension/welcome/welcome.html#whats-new`);
      await welcome.waitForSelector('html[data-ready="true"]', { timeout: 10_000 });
      await checkPage(welcome, 'welcome page', scheme, '.sample-banner');
    } finally {
      await browser.close();
    }
  });
}

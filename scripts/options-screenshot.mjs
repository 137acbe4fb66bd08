// Screenshots of the extension's own pages in both colour schemes, into dist/screenshots: the
// welcome page (welcome.png, welcome-dark.png), the options page (options.png, options-dark.png:
// an imported configuration with a warning, the import report and the banner preview), the popup's
// list (popup-dark.png; popup.png, opened from the toolbar, comes from scripts/demo.mjs) and its
// "Why this banner?" for a prod Admin tab (popup-why.png, popup-why-dark.png). Run after `make build`.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_BASE, ROOT, launchBrowser } from '../tests/e2e/harness.mjs';
import { openAwsConsole, openOptions } from '../tests/e2e/options-page.mjs';
import { POPUP_URL, SEED, TARGETS, openPopup, saveConfig } from '../tests/e2e/popup-page.mjs';

const out = join(ROOT, 'dist/screenshots');
mkdirSync(out, { recursive: true });
for (const scheme of ['light', 'dark']) {
  const suffix = scheme === 'dark' ? '-dark' : '';
  const browser = await launchBrowser({ viewport: { width: 1200, height: 900 }, colorScheme: scheme });
  try {
    const page = await openOptions(browser);
    await page.selectOption('#import-source', 'aesr');
    await page.setInputFiles('#import-file', join(ROOT, 'tests/fixtures/import/extend-switch-roles.ini'));
    await page.click('#import-add');
    await page.fill('#import-text', readFileSync(join(ROOT, 'tests/fixtures/import/aws-config.ini'), 'utf8'));
    await page.selectOption('#import-source', 'aws-config');
    await page.click('#import-add');
    await page.waitForSelector('#editor[data-state="valid"]');
    await page.click('#diagnostics button');
    await page.screenshot({ path: join(out, `options${suffix}.png`), fullPage: true });
    console.log(`wrote ${join(out, `options${suffix}.png`)}`);
    const welcome = await browser.context.newPage();
    await welcome.goto(`${EXTENSION_BASE}extension/welcome/welcome.html`);
    await welcome.waitForSelector('html[data-ready="true"]', { timeout: 10_000 });
    await welcome.screenshot({ path: join(out, `welcome${suffix}.png`), fullPage: true });
    console.log(`wrote ${join(out, `welcome${suffix}.png`)}`);
    await saveConfig(browser, `${SEED}\n${TARGETS}`);
    const tab = await openAwsConsole(browser, { account: '111122223333', alias: 'acme-prod', role: 'Admin' });
    const popup = await openPopup(browser, tab);
    // Chromium's toolbar popup is no page of Playwright's: its scheme is set as the browser's would be.
    await popup.send('Emulation.setEmulatedMedia', { features: [{ name: 'prefers-color-scheme', value: scheme }] });
    await popup.evaluate(() => document.getElementById('why-open').click());
    for (let tries = 0; !(await popup.evaluate(() => document.getElementById('why-report').textContent.includes('Reasons:'))); tries++) {
      if (tries > 200) throw new Error('"Why this banner?" was not drawn');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await popup.screenshot(join(out, `popup-why${suffix}.png`));
    console.log(`wrote ${join(out, `popup-why${suffix}.png`)}`);
    await popup.close();
    if (scheme === 'dark') {
      const list = await browser.context.newPage();
      await list.setViewportSize({ width: 460, height: 560 });
      await list.goto(POPUP_URL);
      await list.waitForSelector('.row[data-privilege="admin"]', { timeout: 10_000 });
      await list.screenshot({ path: join(out, 'popup-dark.png') });
      console.log(`wrote ${join(out, 'popup-dark.png')}`);
    }
  } finally {
    await browser.close();
  }
}

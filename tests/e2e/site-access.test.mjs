// Firefox lets a user withhold an MV3 add-on's host permissions. Withheld, redline can paint no
// banner, and the popup must say so rather than leave the user believing the console is safe.
// Firefox's extensions.originControls.grantByDefault = false withholds them at install, as a user
// who declined them would; the popup is its page opened in a tab (geckodriver cannot click the
// toolbar button), which reads the same permissions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { ENGINE, FIREFOX_ONLY, fixtureRow, launchBrowser, matchesExpectation, readBanner, serveCase, waitForBanner } from './harness.mjs';
import { POPUP_URL } from './popup-page.mjs';

const skip = ENGINE !== 'firefox' && FIREFOX_ONLY.originControls;
const DEV = fixtureRow('aws.json', 'aws-dev-operator');
// Long enough for a cold event page to answer several times over (about 150 ms measured).
const NO_BANNER_WAIT_MS = 1_000;

async function withBrowser(firefoxPrefs, body) {
  const browser = await launchBrowser({ firefoxPrefs });
  try {
    await body(browser);
  } finally {
    await browser.close();
  }
}

/** The popup page's notice that the console sites are withheld: its text, or null while hidden. */
async function accessNotice(browser) {
  const popup = await browser.context.newPage();
  try {
    await popup.goto(POPUP_URL);
    await popup.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 10_000 });
    return await popup.evaluate(() => {
      const access = document.getElementById('access');
      return access.hidden ? null : access.textContent.replace(/\s+/g, ' ').trim();
    });
  } finally {
    await popup.close();
  }
}

test('with the console sites withheld, no banner is painted and the popup says so, offering to allow them', { skip }, () =>
  withBrowser({ 'extensions.originControls.grantByDefault': false }, async (browser) => {
    await serveCase(browser, DEV);
    const page = await browser.context.newPage();
    const response = await page.goto(DEV.url);
    assert.equal(response.status(), 200, 'the fixture page was served');
    await sleep(NO_BANNER_WAIT_MS);
    assert.equal(await readBanner(page), null, 'no content script, so no banner');
    const notice = await accessNotice(browser);
    assert.match(notice ?? '', /redline may not read the console sites, so it paints no banner on them\./);
    assert.match(notice, /Allow redline on the console sites/);
  }));

test('with the console sites granted (Firefox\'s default for a new add-on), the banner is painted and the popup has no notice', { skip }, () =>
  withBrowser({}, async (browser) => {
    await serveCase(browser, DEV);
    const page = await browser.context.newPage();
    await page.goto(DEV.url);
    await waitForBanner(page, matchesExpectation(DEV.expect), { what: 'the dev banner' });
    assert.equal(await accessNotice(browser), null);
  }));

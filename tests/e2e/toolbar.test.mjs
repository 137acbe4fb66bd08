// The toolbar badge and title are per tab: one browser may show several accounts at once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { fixtureRow, launchBrowser, matchesExpectation, readUi, serveCase, waitForBanner } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

/** Badge, title and badge colour of every tab, read in the extension's service worker. */
function toolbarStates() {
  return browser.worker.evaluate(async () => {
    const tabs = await chrome.tabs.query({});
    return Promise.all(
      tabs.map(async ({ id: tabId }) => ({
        badge: await chrome.action.getBadgeText({ tabId }),
        // The first line: label and severity; the reasons follow (tests/e2e/tab-cues.test.mjs).
        title: (await chrome.action.getTitle({ tabId })).split('\n')[0],
        background: await chrome.action.getBadgeBackgroundColor({ tabId }),
      })),
    );
  });
}

const byTitle = (a, b) => a.title.localeCompare(b.title);

/**
 * The states of the tabs that show a badge, sorted by title, as soon as `accept` holds for them or
 * else after `timeout` (the worker updates the toolbar just after answering the page).
 */
async function badgedTabs(accept, timeout = 3_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const states = (await toolbarStates()).filter((state) => state.badge !== '').sort(byTitle);
    if (accept(states) || Date.now() > deadline) return states;
    await sleep(25);
  }
}

/** The banner's background as [r, g, b, 255], the form getBadgeBackgroundColor answers in. */
const bannerBackground = (page) =>
  readUi(page, 'redline-banner', (root) => {
    // The label's own background: a danger strip around it is striped.
    const painted = root.querySelector('[data-redline="label"]');
    return [...getComputedStyle(painted).backgroundColor.matchAll(/\d+/g)].map(Number).concat(255).slice(0, 4);
  });

test('each console tab has its own badge, colour and title, taken from its verdict', async () => {
  const rows = [fixtureRow('aws.json', 'aws-prod-admin'), fixtureRow('aws.json', 'aws-dev-operator')];
  await browser.context.clearCookies();
  const pages = [];
  try {
    const expected = [];
    for (const row of rows) {
      await serveCase(browser, row);
      const page = await browser.context.newPage();
      pages.push(page);
      await page.goto(row.url);
      const banner = await waitForBanner(page, matchesExpectation(row.expect));
      expected.push({ badge: banner.environment.toUpperCase(), title: `${banner.label} — ${banner.severity}`, background: await bannerBackground(page) });
    }
    expected.sort(byTitle);
    assert.deepEqual(await badgedTabs((states) => states.length === expected.length), expected);
  } finally {
    for (const page of pages) await page.close();
  }
});

test('leaving the console for another site leaves no badge behind', async () => {
  const row = fixtureRow('aws.json', 'aws-prod-admin');
  const elsewhere = fixtureRow('aws.json', 'lookalike-suffix');
  await browser.context.clearCookies();
  await serveCase(browser, row);
  await serveCase(browser, elsewhere);
  const page = await browser.context.newPage();
  try {
    await page.goto(row.url);
    await waitForBanner(page, matchesExpectation(row.expect));
    const badges = async (accept) => (await badgedTabs(accept)).map((state) => state.badge);
    assert.deepEqual(await badges((states) => states.length === 1), ['PROD']);
    await page.goto(elsewhere.url);
    assert.deepEqual(await badges((states) => states.length === 0), []);
  } finally {
    await page.close();
  }
});

// On a first load the content script stops watching the DOM once a console's top bar generation is
// complete. A signal that names the environment and renders after the top bar must still be part of
// that generation, or the banner would keep the verdict made without it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { consolePage } from './fixture-pages.mjs';
import { fixtureRow, launchBrowser, matchesExpectation, waitForBanner } from './harness.mjs';

// Well after the first banner (about 150 ms even with a cold worker).
const LATE_MS = 1_500;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

/** Opens `url` with `signals`, the console's late part (see consolePage) appearing LATE_MS after load. */
async function openWithLatePart(url, signals) {
  browser.fixtures.set(url, consolePage({ url, signals, lateMs: LATE_MS }));
  const page = await browser.context.newPage();
  await page.goto(url);
  return page;
}

test('Azure: an app blade whose title renders after the complete top bar still gets the app name', async () => {
  const row = fixtureRow('azure.json', 'azure-app-prod-london');
  const page = await openWithLatePart(row.url, { ...row.signals, azureUser: 'jane@digital.cabinet-office.gov.uk' });
  try {
    // Before the blade: the app is known only by its id.
    const early = await waitForBanner(page, (banner) => banner.provider === 'azure');
    assert.equal(early.environment, 'unknown', JSON.stringify(early));
    await waitForBanner(page, matchesExpectation(row.expect), { timeout: 5_000 + LATE_MS, what: 'the Prod London banner' });
  } finally {
    await page.close();
  }
});

test('Google Cloud: a project label that renders after the account button still names the environment', async () => {
  const row = fixtureRow('gcp.json', 'gcp-project-display-name');
  const page = await openWithLatePart(row.url, { ...row.signals, gcpAccount: 'Google Account: Jane Doe (jane@example.com)' });
  try {
    const early = await waitForBanner(page, (banner) => banner.provider === 'gcp');
    assert.equal(early.environment, 'unknown', JSON.stringify(early));
    await waitForBanner(page, matchesExpectation(row.expect), { timeout: 5_000 + LATE_MS, what: 'the Acme Production banner' });
  } finally {
    await page.close();
  }
});

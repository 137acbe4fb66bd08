// Azure, Google Cloud and Aiven are single-page apps too, each routing its own way (Azure in the
// hash, Google Cloud and Aiven with the History API): after the page's own script navigates, the
// banner must show the new state and nothing of the old one. Azure also renders blades in iframes,
// where no second banner may appear.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { consolePage } from './fixture-pages.mjs';
import { fixtureRow, launchBrowser, matchesExpectation, waitForBanner } from './harness.mjs';

// Long enough for a cold worker to answer several times over (about 150 ms measured).
const NO_BANNER_WAIT_MS = 1_000;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

/**
 * Opens `url` showing `signals`, waits for `first`, then lets the page's script navigate to `next`.
 * Returns the page and its history length before that navigation.
 */
async function navigateInPage({ url, signals, first, next }) {
  browser.fixtures.set(url, consolePage({ url, signals, next }));
  const page = await browser.context.newPage();
  await page.goto(url);
  await waitForBanner(page, matchesExpectation(first), { what: `the first banner ${JSON.stringify(first)}` });
  const historyLength = await page.evaluate(() => history.length);
  // The page's own script (/static/spa.js) swaps the signals and navigates.
  await page.click('#fixture-navigate');
  return { page, historyLength };
}

function assertNothingStale(banner, staleTexts) {
  for (const stale of staleTexts) {
    assert.ok(!banner.text.includes(stale), `stale "${stale}" in "${banner.text}"`);
    assert.ok(!banner.title.includes(stale), `stale "${stale}" in the tooltip "${banner.title}"`);
  }
}

const AZURE_DEV = fixtureRow('azure.json', 'azure-dev-resource-group');
const AZURE_PROD_HASH = AZURE_DEV.url.slice(AZURE_DEV.url.indexOf('#')).replace('rg-dev-web', 'rg-prod-web');
const AZURE_PROD = { ...AZURE_DEV.expect, environment: 'prod', severity: 'caution', text: ['PROD', 'rg-prod-web'] };

test('Azure: the page assigning location.hash to a prod resource group repaints the banner, and going back restores dev', async () => {
  assert.ok(AZURE_PROD_HASH.endsWith('/resourceGroups/rg-prod-web/overview'), AZURE_PROD_HASH);
  const { page } = await navigateInPage({
    url: AZURE_DEV.url,
    signals: AZURE_DEV.signals,
    first: AZURE_DEV.expect,
    next: { signals: AZURE_DEV.signals, hash: AZURE_PROD_HASH },
  });
  try {
    const prod = await waitForBanner(page, matchesExpectation(AZURE_PROD), { what: 'the prod resource group banner' });
    assertNothingStale(prod, ['rg-dev-web', 'DEV']);
    assert.equal(new URL(page.url()).hash, AZURE_PROD_HASH);

    await page.goBack();
    const dev = await waitForBanner(page, matchesExpectation(AZURE_DEV.expect), { what: 'the dev banner again' });
    assertNothingStale(dev, ['rg-prod-web', 'PROD']);
  } finally {
    await page.close();
  }
});

test('Azure: blades in iframes (React blades on their own host, portal frames) get no banner of their own', async () => {
  const row = fixtureRow('azure.json', 'azure-app-prod-london');
  const reactBlade = 'https://afd-v2.reactblade.portal.azure.net/ReactView/index.html?extensionName=Microsoft_AAD_RegisteredApps';
  // A frame on the portal's own host matches the content script; only all_frames: false keeps it out.
  const portalFrame = 'https://portal.azure.com/ReactView/frame.html';
  for (const url of [reactBlade, portalFrame]) {
    browser.fixtures.set(url, consolePage({ url, signals: { azureBladeTitle: 'Prod London' } }));
  }
  browser.fixtures.set(row.url, consolePage({ url: row.url, signals: row.signals, frames: [reactBlade, portalFrame] }));
  const page = await browser.context.newPage();
  try {
    await page.goto(row.url);
    await waitForBanner(page, matchesExpectation(row.expect));
    await sleep(NO_BANNER_WAIT_MS);
    const frames = page.frames();
    assert.deepEqual(frames.map((frame) => frame.url()).sort(), [row.url, portalFrame, reactBlade].sort(), 'both blade frames loaded');
    const counts = await Promise.all(
      frames.map((frame) => frame.evaluate(() => document.querySelectorAll('#redline-banner, redline-banner').length)),
    );
    assert.deepEqual(counts, frames.map((frame) => (frame === page.mainFrame() ? 1 : 0)), `banners per frame: ${counts}`);
  } finally {
    await page.close();
  }
});

const GCP_ACCOUNT = 'Google Account: Jane Doe (jane@digital.cabinet-office.gov.uk)';
const GCP_DEV_URL = 'https://console.cloud.google.com/home/dashboard?project=paas-development-210707';
const GCP_DEV = { ...fixtureRow('gcp.json', 'gcp-seed-dev-project').expect, text: ['DEV', 'PaaS Development'] };
const GCP_PROD = { ...fixtureRow('gcp.json', 'gcp-seed-prod-project').expect, text: ['PROD', 'GOV.UK PaaS'] };

for (const replace of [false, true]) {
  const how = replace ? 'history.replaceState' : 'history.pushState';
  test(`Google Cloud: ${how} to ?project=govuk-paas with the project label updated repaints the banner as prod`, async () => {
    const { page, historyLength } = await navigateInPage({
      url: GCP_DEV_URL,
      signals: { gcpAccount: GCP_ACCOUNT, gcpProjectName: 'PaaS Development' },
      first: GCP_DEV,
      next: { signals: { gcpAccount: GCP_ACCOUNT, gcpProjectName: 'GOV.UK PaaS' }, url: '/home/dashboard?project=govuk-paas', replace },
    });
    try {
      const banner = await waitForBanner(page, matchesExpectation(GCP_PROD), { what: 'the govuk-paas banner' });
      assertNothingStale(banner, ['paas-development', 'PaaS Development', 'DEV']);
      assert.equal(page.url(), 'https://console.cloud.google.com/home/dashboard?project=govuk-paas');
      // replaceState leaves no entry to go back to; pushState does.
      assert.equal(await page.evaluate(() => history.length), historyLength + (replace ? 0 : 1));
    } finally {
      await page.close();
    }
  });
}

test('Aiven: history.pushState from the dev project to the prod project repaints the banner as prod', async () => {
  const dev = fixtureRow('aiven.json', 'aiven-dev');
  const prodPath = '/account/a1f23bcdef4a/project/prod/services';
  const { page } = await navigateInPage({
    url: dev.url,
    signals: {},
    first: dev.expect,
    next: { signals: {}, url: prodPath },
  });
  try {
    const prod = { ...fixtureRow('aiven.json', 'aiven-prod').expect, text: ['PROD', 'project prod'] };
    const banner = await waitForBanner(page, matchesExpectation(prod), { what: 'the prod project banner' });
    assertNothingStale(banner, ['project dev', 'DEV']);
    assert.equal(new URL(page.url()).pathname, prodPath);
  } finally {
    await page.close();
  }
});

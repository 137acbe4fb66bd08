// Consoles are single-page apps: after an in-page navigation the banner must show the new state and
// nothing of the old one (a stale banner is the failure generic URL markers are known for).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { consolePage, userInfoCookie } from './fixture-pages.mjs';
import { fixtureRow, launchBrowser, matchesExpectation, waitForBanner } from './harness.mjs';

const DEV = fixtureRow('aws.json', 'aws-dev-operator');
const PROD_ADMIN = fixtureRow('aws.json', 'aws-prod-admin');
const HOST = 'https://eu-west-2.console.aws.amazon.com';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

async function navigateInPage({ path, next }) {
  const url = `${HOST}${path}`;
  await browser.context.clearCookies();
  browser.fixtures.set(url, consolePage({ signals: DEV.signals, next }));
  await browser.context.addCookies([userInfoCookie(DEV.signals, url)]);
  const page = await browser.context.newPage();
  await page.goto(url);
  await waitForBanner(page, matchesExpectation(DEV.expect), { what: 'the dev banner' });
  // The page's own script (/static/spa.js) swaps the signals and navigates.
  await page.click('#fixture-navigate');
  return page;
}

function assertNothingStale(banner) {
  // The label, not the whole strip: in prod Admin the strip offers "Drop to read-only (Operator)".
  for (const stale of ['DEV', 'acme-dev', 'Operator']) {
    assert.ok(!banner.label.includes(stale), `stale "${stale}" in "${banner.label}"`);
    assert.ok(!banner.title.includes(stale), `stale "${stale}" in the tooltip "${banner.title}"`);
  }
}

test('history.pushState to a view with other signals repaints the banner', async () => {
  const page = await navigateInPage({
    path: '/lambda/home?region=eu-west-2#/functions',
    next: { signals: PROD_ADMIN.signals, url: '/ec2/home?region=eu-west-2#Instances:' },
  });
  try {
    const banner = await waitForBanner(page, matchesExpectation(PROD_ADMIN.expect), { what: 'the prod admin banner' });
    assertNothingStale(banner);
    assert.equal(new URL(page.url()).pathname, '/ec2/home');
  } finally {
    await page.close();
  }
});

// Only the URL change itself can trigger these re-evaluations: no DOM mutation announces a cookie.
const PROD_ADMIN_COOKIE_ONLY = { awsUserInfo: PROD_ADMIN.signals.awsUserInfo };

for (const [how, next] of [
  ['history.pushState', { signals: PROD_ADMIN_COOKIE_ONLY, url: '/console/home?region=eu-west-2&view=prod' }],
  ['a hash change', { signals: PROD_ADMIN_COOKIE_ONLY, hash: '#/prod' }],
]) {
  test(`${how} re-reads signals that no DOM mutation announces (the cookie)`, async () => {
    const page = await navigateInPage({ path: '/console/home?region=eu-west-2#/dev', next });
    try {
      const banner = await waitForBanner(
        page,
        matchesExpectation({ ...PROD_ADMIN.expect, text: ['PROD', 'Admin', 'acme-prod'] }),
        { what: 'the prod admin banner' },
      );
      assertNothingStale(banner);
      assert.equal(page.url(), new URL(next.url ?? next.hash, page.url()).href);
    } finally {
      await page.close();
    }
  });
}

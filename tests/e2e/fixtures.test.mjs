// Every row of every table in tests/fixtures/ (the tables the Rust tests use too), end to end: the
// page exposes the row's signals the way its console does; the banner must say what the row expects.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CHROMIUM_ONLY,
  ENGINE,
  fixtureRow,
  fixtureTables,
  inContentScript,
  launchBrowser,
  loadFixtureTable,
  matchesExpectation,
  readBanner,
  serveCase,
  waitForBanner,
} from './harness.mjs';

// Long enough for a cold worker to answer several times over (about 150 ms measured).
const NO_BANNER_WAIT_MS = 1_000;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

const rows = fixtureTables().flatMap((table) => loadFixtureTable(table).map((row) => ({ table, row })));
// A table that failed to be found or read would otherwise pass as "no tests".
test('every console has a fixture table with rows', () => {
  assert.deepEqual(fixtureTables(), ['aiven.json', 'aws.json', 'azure.json', 'gcp.json']);
  for (const table of fixtureTables()) assert.ok(rows.some((r) => r.table === table), `${table} has rows`);
});

for (const { table, row } of rows) {
  test(`${table} ${row.name}: ${row.reason}`, async () => {
    await browser.context.clearCookies();
    await serveCase(browser, row);
    const page = await browser.context.newPage();
    try {
      const response = await page.goto(row.url);
      assert.equal(response.status(), 200, 'the fixture page was served');
      if (row.expect === null) {
        await sleep(NO_BANNER_WAIT_MS);
        assert.equal(await readBanner(page), null, 'no banner outside a console');
        return;
      }
      const timeout = 5_000 + (row.serve?.lateMs ?? 0);
      const banner = await waitForBanner(page, matchesExpectation(row.expect), { timeout, what: JSON.stringify(row.expect) });
      // Danger mode (admin in prod, root) has a taller strip than every calm one.
      if (row.expect.severity === 'danger') assert.ok(banner.height > 28, `danger banner ${banner.height} high`);
      else assert.equal(banner.height, 28);
      assert.notEqual(banner.title, '', 'the tooltip gives the reasons');
    } finally {
      await page.close();
    }
  });
}

// The banner's data-conflict, painted from the tab's own verdict with the core's `conflict` word set
// and cleared (rows whose signals disagree say `conflict: true` in their expectation).
test('the banner carries data-conflict exactly when the verdict says that decisive sources disagreed', { skip: ENGINE === 'firefox' && CHROMIUM_ONLY.contentScript }, async () => {
  const row = fixtureRow('aws.json', 'aws-prod-operator');
  await browser.context.clearCookies();
  await serveCase(browser, row);
  const page = await browser.context.newPage();
  try {
    await page.goto(row.url);
    assert.equal((await waitForBanner(page, matchesExpectation(row.expect))).conflict, false);
    const paint = (conflict) =>
      inContentScript(
        browser,
        page,
        `chrome.runtime.sendMessage({ type: 'tab-verdict' }).then(({ verdict }) => RedlineBanner.show({ ...verdict, conflict: ${conflict} }))`,
      );
    await paint(true);
    assert.equal(await page.evaluate(() => document.getElementById('redline-banner').getAttribute('data-conflict')), '');
    await paint(false);
    assert.equal(await page.evaluate(() => document.getElementById('redline-banner').hasAttribute('data-conflict')), false);
  } finally {
    await page.close();
  }
});

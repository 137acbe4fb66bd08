// Every row of tests/fixtures/aws.json (the table the Rust tests use too), end to end: the page
// exposes the row's signals the way the console does; the banner must say what the row expects.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser, loadFixtureTable, matchesExpectation, readBanner, serveCase, waitForBanner } from './harness.mjs';

// Long enough for a cold worker to answer several times over (about 150 ms measured).
const NO_BANNER_WAIT_MS = 1_000;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

for (const row of loadFixtureTable('aws.json')) {
  test(`${row.name}: ${row.reason}`, async () => {
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
      assert.equal(banner.height, 28);
      assert.notEqual(banner.title, '', 'the tooltip gives the reasons');
    } finally {
      await page.close();
    }
  });
}

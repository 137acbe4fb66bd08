// The banner is a strip above the console, not over it, and it marks when it was painted (the
// benchmark reads the marks from the page).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureRow, launchBrowser, matchesExpectation, serveCase, waitForBanner } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

test('the banner sits at the top and pushes the console navigation down instead of covering it', async () => {
  const row = fixtureRow('aws.json', 'aws-prod-admin');
  await browser.context.clearCookies();
  await serveCase(browser, row);
  const page = await browser.context.newPage();
  try {
    await page.goto(row.url);
    const banner = await waitForBanner(page, matchesExpectation(row.expect));
    const header = await page.locator('header[data-testid="awsc-nav-header"]').boundingBox();
    assert.equal(banner.top, 0);
    assert.ok(banner.height > 0);
    assert.ok(header.y >= banner.top + banner.height, `header at ${header.y}, banner ends at ${banner.top + banner.height}`);
    const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('header')?.id ?? null, {
      x: header.x + header.width / 2,
      y: header.y + header.height / 2,
    });
    assert.equal(hit, 'console-nav', 'the console navigation still receives clicks');
  } finally {
    await page.close();
  }
});

test('performance marks of the content script start and the first paint are visible to the page', async () => {
  const row = fixtureRow('aws.json', 'aws-prod-operator');
  await browser.context.clearCookies();
  await serveCase(browser, row);
  const page = await browser.context.newPage();
  try {
    await page.goto(row.url);
    await waitForBanner(page, matchesExpectation(row.expect));
    const marks = await page.evaluate(() =>
      Object.fromEntries(performance.getEntriesByType('mark').map((mark) => [mark.name, mark.startTime])),
    );
    assert.ok(marks['redline:content-start'] > 0, JSON.stringify(marks));
    assert.ok(marks['redline:banner'] >= marks['redline:content-start'], JSON.stringify(marks));
  } finally {
    await page.close();
  }
});

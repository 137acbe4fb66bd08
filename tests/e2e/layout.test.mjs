// The banner is a strip above the console, not over it (also over a top bar the console pins with
// position: fixed or sticky), and it marks when it was painted (the benchmark reads the marks).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHROMIUM_ONLY, ENGINE, EXTENSION_ID, acknowledgeDanger, fixtureRow, launchBrowser, matchesExpectation, readBanner, serveCase, waitForBanner } from './harness.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

test('the banner sits at the top and pushes the console navigation down instead of covering it', async () => {
  // Danger mode: the tallest banner.
  const row = fixtureRow('aws.json', 'aws-prod-admin');
  await browser.context.clearCookies();
  await serveCase(browser, row);
  const page = await browser.context.newPage();
  try {
    await page.goto(row.url);
    const banner = await waitForBanner(page, matchesExpectation(row.expect));
    // Until acknowledged, the danger overlay covers the console (tests/e2e/danger.test.mjs).
    await acknowledgeDanger(page);
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

/** Box of the console's top bar, in viewport coordinates. */
const headerBox = (page) => page.locator('#console-nav').boundingBox();

/**
 * Runs `expression` in the content script's isolated world (devtools protocol): the one way to
 * reach RedlineBanner, which the page cannot see.
 */
async function inContentScript(page, expression) {
  const cdp = await browser.context.newCDPSession(page);
  try {
    const worlds = [];
    cdp.on('Runtime.executionContextCreated', ({ context }) => worlds.push(context));
    await cdp.send('Runtime.enable');
    const world = worlds.find((c) => c.auxData?.type === 'isolated' && c.origin.startsWith(`chrome-extension://${EXTENSION_ID}`));
    assert.ok(world, `no content script world among ${JSON.stringify(worlds)}`);
    const { exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, contextId: world.id });
    assert.equal(exceptionDetails, undefined, JSON.stringify(exceptionDetails));
  } finally {
    await cdp.detach();
  }
}

test('a console top bar fixed at the top is moved below the banner, stays clickable, and is put back with the banner', { skip: ENGINE === 'firefox' && CHROMIUM_ONLY.contentScript }, async () => {
  const row = fixtureRow('azure.json', 'azure-dev-resource-group');
  await serveCase(browser, row);
  const page = await browser.context.newPage();
  try {
    await page.goto(row.url);
    assert.equal(await page.locator('#console-nav').evaluate((el) => getComputedStyle(el).position), 'fixed');
    const banner = await waitForBanner(page, matchesExpectation(row.expect));
    const header = await headerBox(page);
    assert.ok(header.y >= banner.top + banner.height, `header at ${header.y}, banner ends at ${banner.top + banner.height}`);
    const hit = await page.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('header')?.id ?? null, {
      x: header.x + header.width / 2,
      y: header.y + header.height / 2,
    });
    assert.equal(hit, 'console-nav', 'the top bar still receives clicks');
    // Playwright refuses the click if another element would receive it.
    await page.click('#fixture-topbar-settings', { timeout: 2_000 });

    // Every URL of a console host has a verdict, so the banner goes only in the content script's own
    // "no verdict" path: take it directly.
    await inContentScript(page, 'RedlineBanner.remove()');
    assert.equal(await readBanner(page), null);
    assert.equal((await headerBox(page)).y, 0, 'the top bar is back at the top');
    assert.deepEqual(
      await page.evaluate(() => [document.getElementById('console-nav').style.cssText, document.documentElement.style.cssText]),
      ['', ''],
      'no inline style of ours is left behind',
    );
  } finally {
    await page.close();
  }
});

test('a sticky console top bar that pins to the top as the page scrolls is moved below the banner', async () => {
  const row = fixtureRow('gcp.json', 'gcp-seed-prod-project');
  await serveCase(browser, row);
  const page = await browser.context.newPage();
  try {
    // Short enough for the page to scroll past its top bar.
    await page.setViewportSize({ width: 1280, height: 240 });
    await page.goto(row.url);
    const banner = await waitForBanner(page, matchesExpectation(row.expect));
    assert.equal((await headerBox(page)).y, banner.height, 'in the flow, just below the banner');
    await page.mouse.wheel(0, 150);
    const deadline = Date.now() + 2_000;
    let header;
    do {
      await sleep(25);
      header = await headerBox(page);
    } while (header.y < banner.height && Date.now() < deadline);
    assert.ok((await page.evaluate(() => scrollY)) > 0, 'the page scrolled');
    assert.equal(header.y, banner.height, `pinned at ${header.y}, banner ends at ${banner.height}`);
  } finally {
    await page.close();
  }
});

// Tab and toolbar cues for every severity: the verdict's title prefix before the console's own
// title (kept while the console retitles itself), a favicon with a mark in the verdict's colour, and
// a toolbar title stating the whole verdict. All go when the verdict goes.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { FAVICON, consolePage, userInfoCookie } from './fixture-pages.mjs';
import { CHROMIUM_ONLY, ENGINE, fixtureRow, inContentScript, launchBrowser, matchesExpectation, readUi, waitFor, waitForBanner } from './harness.mjs';

const PROD_ADMIN = fixtureRow('aws.json', 'aws-prod-admin');
const DEV = fixtureRow('aws.json', 'aws-dev-operator');
const HOST = 'https://eu-west-2.console.aws.amazon.com';
const TITLE = 'Instances | EC2 | eu-west-2';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

/** The page's icons: ours (id redline-favicon) and the console's own. */
const readIcons = (page) =>
  page.evaluate(() => {
    const links = [...document.querySelectorAll('link[rel~="icon"]')];
    const ours = document.getElementById('redline-favicon');
    return {
      ours: ours?.isConnected ? ours.href : null,
      oursLast: ours ? links.at(-1) === ours : null,
      page: links.filter((link) => link !== ours).map((link) => link.getAttribute('href')),
    };
  });

/** The colour of the pixel at (x, y) of the data: URL image, as [r, g, b, a]. */
const pixel = (page, url, x, y) =>
  page.evaluate(
    async ({ url, x, y }) => {
      const image = new Image();
      image.src = url;
      await image.decode();
      const canvas = Object.assign(document.createElement('canvas'), { width: 32, height: 32 });
      const context = canvas.getContext('2d');
      context.drawImage(image, 0, 0);
      return [...context.getImageData(x, y, 1, 1).data];
    },
    { url, x, y },
  );

async function openProdAdmin({ path, favicon = FAVICON, next, dataImage = true }) {
  const url = `${HOST}${path}`;
  browser.fixtures.set(url, consolePage({ url, title: TITLE, signals: PROD_ADMIN.signals, favicon, next, dataImage }));
  await browser.context.clearCookies();
  await browser.context.addCookies([userInfoCookie(PROD_ADMIN.signals, url)]);
  const page = await browser.context.newPage();
  await page.goto(url);
  await waitForBanner(page, matchesExpectation(PROD_ADMIN.expect));
  return page;
}

test('prod Admin: "[PROD ADMIN] " before the title, kept when the console retitles itself; favicon with a red mark', { skip: ENGINE === 'firefox' && CHROMIUM_ONLY.contentScript }, async () => {
  const page = await openProdAdmin({
    path: '/ec2/home?region=eu-west-2&cues=1',
    next: { signals: DEV.signals, url: '/ec2/home?region=eu-west-2&cues=dev' },
  });
  try {
    await waitFor(page, (p) => p.title(), (t) => t === `[PROD ADMIN] ${TITLE}`, { what: 'the prefixed title' });
    // The console's own script retitles the tab, twice in a row.
    await page.evaluate(() => {
      document.title = 'Volumes | EC2';
      document.title = 'Snapshots | EC2';
    });
    await waitFor(page, (p) => p.title(), (t) => t === '[PROD ADMIN] Snapshots | EC2', { what: 'the prefix on the new title' });
    // Set once per change: no loop of ours rewriting the title.
    await page.evaluate(() => {
      window.titleChanges = 0;
      new MutationObserver(() => window.titleChanges++).observe(document.querySelector('title'), { childList: true, characterData: true, subtree: true });
    });
    await sleep(300);
    assert.equal(await page.evaluate(() => window.titleChanges), 0, 'the title settles');

    const icons = await waitFor(page, readIcons, (i) => i.ours !== null, { what: 'our favicon' });
    assert.match(icons.ours, /^data:image\/png;base64,/);
    assert.ok(icons.oursLast, 'ours is the last icon declared');
    assert.deepEqual(icons.page, [FAVICON], "the console's own icon is left as it was");
    assert.deepEqual(await pixel(page, icons.ours, 28, 28), [0xb3, 0x26, 0x1e, 255], 'the mark in the verdict colour');
    assert.deepEqual((await pixel(page, icons.ours, 4, 4)).slice(0, 3), [0x23, 0x2f, 0x3e], "the console's icon underneath");

    // The page's own script navigates (same tab) to a dev view.
    await page.evaluate(() => document.getElementById('fixture-navigate').click());
    await waitForBanner(page, matchesExpectation(DEV.expect), { what: 'the dev banner' });
    await waitFor(page, (p) => p.title(), (t) => t === '[DEV READ-ONLY] Snapshots | EC2', { what: 'the dev prefix' });
    const dev = await waitFor(page, readIcons, (i) => i.ours !== icons.ours, { what: 'the dev favicon' });
    const devColour = await readUi(page, 'redline-banner', (root) =>
      [...root.querySelector('[data-redline="label"]').style.background.matchAll(/\d+/g)].map(Number),
    );
    assert.deepEqual(await pixel(page, dev.ours, 28, 28), [...devColour.slice(0, 3), 255], 'the mark in the dev colour');
    assert.notDeepEqual(devColour.slice(0, 3), [0xb3, 0x26, 0x1e]);

    // The verdict goes (the content script's no-verdict path): the console's title and icon come back.
    await inContentScript(browser, page, 'RedlineBanner.remove(); RedlineTabCues.clear(); RedlineDanger.update(null)');
    assert.equal(await page.title(), 'Snapshots | EC2');
    assert.deepEqual(await readIcons(page), { ours: null, oursLast: null, page: [FAVICON] });
  } finally {
    await page.close();
  }
});

test('a favicon that cannot be read (another origin, no CORS) gives the mark alone instead of failing', async () => {
  const page = await openProdAdmin({ path: '/ec2/home?region=eu-west-2&cues=cross-origin', favicon: 'https://static.example.net/favicon.svg' });
  try {
    browser.fixtures.set('https://static.example.net/favicon.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const icons = await waitFor(page, readIcons, (i) => i.ours !== null, { what: 'our favicon' });
    assert.deepEqual(await pixel(page, icons.ours, 28, 28), [0xb3, 0x26, 0x1e, 255]);
    assert.deepEqual(await pixel(page, icons.ours, 4, 4), [255, 255, 255, 255], 'a blank square under the mark');
  } finally {
    await page.close();
  }
});

test('no favicon of ours where the page has not shown that its CSP allows data: images (a blocked icon would be reported)', async () => {
  const page = await openProdAdmin({ path: '/ec2/home?region=eu-west-2&cues=no-data-images', dataImage: false });
  try {
    await waitFor(page, (p) => p.title(), (t) => t.startsWith('[PROD ADMIN] '), { what: 'the prefixed title' });
    await sleep(500);
    assert.deepEqual(await readIcons(page), { ours: null, oursLast: null, page: [FAVICON] });
  } finally {
    await page.close();
  }
});

test('the toolbar title states the whole verdict: label, severity and the first reasons', async () => {
  const page = await openProdAdmin({ path: '/ec2/home?region=eu-west-2&cues=toolbar' });
  try {
    const title = await waitFor(
      page,
      () => browser.worker.evaluate(async () => {
        const [tab] = await chrome.tabs.query({ active: true, lastFocusedWindow: true });
        return chrome.action.getTitle({ tabId: tab.id });
      }),
      (t) => t.includes('— danger'),
      { what: 'the toolbar title' },
    );
    const lines = title.split('\n');
    assert.equal(lines[0], 'AWS · PROD · Admin/jane · acme-prod (1111-1111-1111) — danger');
    assert.ok(lines.length > 1 && lines.includes('account 111111111111 from the awsc-session-data meta tag (set by the console: decides)'), title);
  } finally {
    await page.close();
  }
});

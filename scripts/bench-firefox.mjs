// `make bench`, in Firefox ESR (tests/e2e/drivers/firefox.mjs): content script start → banner with the
// event page warm, and after Firefox suspended it (its idle timeout shortened to a second, then
// waited out before each load, as a browser left alone for 30 s does); and the popup's page at 5,000
// targets, opened in a tab (the toolbar popup is no WebDriver context): navigation start → list
// painted. Prints a table and one line `BENCH_JSON {...}`.
import { setTimeout as sleep } from 'node:timers/promises';

process.env.REDLINE_BROWSER = 'firefox';
const { EXTENSION_BASE, launchBrowser, serveCase } = await import('../tests/e2e/harness.mjs');
const { ROW, fiveThousandProfiles, measureLoad } = await import('./bench-loads.mjs');
const { summary } = await import('./bench-summary.mjs');

const LOADS = 30;
const IDLE_MS = 1_000;

const browser = await launchBrowser({ firefoxPrefs: { 'extensions.background.idle.timeout': IDLE_MS } });
const result = {};
try {
  await serveCase(browser, ROW);
  const page = await browser.context.newPage();
  const warm = [];
  await measureLoad(page); // the event page starts and the wasm compiles: not a warm load
  for (let load = 0; load < LOADS; load++) warm.push(await measureLoad(page));
  const suspended = [];
  for (let load = 0; load < LOADS; load++) {
    await sleep(IDLE_MS * 2.5);
    suspended.push(await measureLoad(page));
  }
  for (const [name, loads] of [['warm', warm], ['suspended', suspended]]) {
    result[name] = {
      contentToBanner: summary(loads.map((l) => l.contentToBanner)),
      navigationToBanner: summary(loads.map((l) => l.navigationToBanner)),
    };
  }
  await page.close();

  await browser.worker.evaluate((text) => chrome.storage.local.set({ config: { text, savedAt: new Date().toISOString() } }), fiveThousandProfiles());
  await sleep(2_000); // the event page configures the 5,000 profiles and lists them for the popup
  const popupLists = [];
  for (let opening = 0; opening < 20; opening++) {
    const popup = await browser.context.newPage();
    await popup.goto(`${EXTENSION_BASE}extension/popup/popup.html`);
    const listed = await popup.waitForFunction(() => performance.getEntriesByName('redline:popup-list', 'mark')[0]?.startTime, undefined, {
      timeout: 20_000,
    });
    popupLists.push(listed);
    await popup.close();
  }
  result.popup5000 = summary(popupLists);
} finally {
  await browser.close();
}

const line = (s) => `${s.median} ms median, ${s.p95} ms p95`;
console.log(`Firefox ESR, ${LOADS} loads each`);
console.log(`warm: content script start → banner ${line(result.warm.contentToBanner)}; navigation start → banner ${line(result.warm.navigationToBanner)}`);
console.log(
  `event page suspended: content script start → banner ${line(result.suspended.contentToBanner)}; navigation start → banner ${line(result.suspended.navigationToBanner)}`,
);
console.log(`popup page at 5,000 targets, in a tab: navigation start → list painted ${line(result.popup5000)}`);
console.log(`BENCH_JSON ${JSON.stringify({ firefox: result })}`);

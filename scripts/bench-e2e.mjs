// `make bench`: how soon the banner appears, end to end in Chromium with the built extension.
// For 30 loads each with the service worker warm and cold (stopped before each load), measures
// "content script start → banner" and "navigation start → banner" from the performance marks the
// content script leaves in the page. Prints a table and one line `BENCH_JSON {...}`.
import { setTimeout as sleep } from 'node:timers/promises';
import { fixtureRow, launchBrowser, matchesExpectation, serveCase, waitForBanner } from '../tests/e2e/harness.mjs';

const LOADS = 30;
// A URL without a fragment, so that each goto is a full load and not a same-document navigation.
const ROW = fixtureRow('aws.json', 'aws-prod-operator');
const STATE_TIMEOUT_MS = 5_000;

/** Follows the running status of the extension's service worker (devtools protocol). */
async function watchWorkerStatus(context, page) {
  const cdp = await context.newCDPSession(page);
  const history = [];
  cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
    for (const version of versions) if (version.scriptURL.startsWith('chrome-extension://')) history.push(version.runningStatus);
  });
  await cdp.send('ServiceWorker.enable');
  return {
    history,
    async stop() {
      history.length = 0;
      await cdp.send('ServiceWorker.stopAllWorkers');
      const deadline = Date.now() + STATE_TIMEOUT_MS;
      while (history.at(-1) !== 'stopped') {
        if (Date.now() > deadline) throw new Error(`the service worker did not stop: ${history.join(', ')}`);
        await sleep(10);
      }
      history.length = 0;
    },
  };
}

async function measureLoad(page) {
  await page.goto(ROW.url);
  await waitForBanner(page, matchesExpectation(ROW.expect));
  return page.evaluate(() => {
    const mark = (name) => performance.getEntriesByName(name, 'mark')[0].startTime;
    // Mark times are relative to the document's time origin, which is its navigation start.
    const banner = mark('redline:banner');
    return { contentToBanner: banner - mark('redline:content-start'), navigationToBanner: banner };
  });
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
  const round = (ms) => Math.round(ms * 10) / 10;
  return { median: round(rank(0.5)), p95: round(rank(0.95)) };
}

const browser = await launchBrowser();
try {
  await serveCase(browser, ROW);
  const page = await browser.context.newPage();
  const worker = await watchWorkerStatus(browser.context, page);
  await measureLoad(page); // first load warms the caches; not counted

  const runs = { warm: [], cold: [] };
  for (let i = 0; i < LOADS; i++) runs.warm.push(await measureLoad(page));
  let restarts = 0;
  for (let i = 0; i < LOADS; i++) {
    await worker.stop();
    runs.cold.push(await measureLoad(page));
    if (worker.history.includes('starting')) restarts++;
  }
  if (restarts !== LOADS) throw new Error(`only ${restarts} of ${LOADS} cold loads restarted the service worker`);

  const result = { loads: LOADS, page: ROW.url };
  for (const [state, loads] of Object.entries(runs)) {
    result[state] = {
      contentToBanner: summary(loads.map((l) => l.contentToBanner)),
      navigationToBanner: summary(loads.map((l) => l.navigationToBanner)),
    };
  }

  console.log(`banner latency, ${LOADS} loads each, ms (cold: service worker stopped before each load)`);
  console.log('worker  measure                          median     p95');
  for (const state of ['warm', 'cold']) {
    for (const [measure, label] of [
      ['contentToBanner', 'content script start → banner'],
      ['navigationToBanner', 'navigation start → banner'],
    ]) {
      const { median, p95 } = result[state][measure];
      console.log(`${state.padEnd(8)}${label.padEnd(33)}${String(median).padStart(6)}  ${String(p95).padStart(6)}`);
    }
  }
  console.log(`BENCH_JSON ${JSON.stringify(result)}`);
} finally {
  await browser.close();
}

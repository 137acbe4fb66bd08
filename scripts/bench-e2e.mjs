// `make bench`: how soon the banner appears, end to end in Chromium with the built extension.
// For 30 loads each with the service worker warm and cold (stopped before each load), measures
// "content script start → banner" and "navigation start → banner" from the performance marks the
// content script leaves in the page. Prints a table and one line `BENCH_JSON {...}`.
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser, serveCase } from '../tests/e2e/harness.mjs';
import { ROW, fiveThousandProfiles, measureLoad } from './bench-loads.mjs';
import { summary } from './bench-summary.mjs';

const LOADS = 30;
const STATE_TIMEOUT_MS = 5_000;
const SETTLE_MS = 300;

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
      // The page may have painted a kept verdict while its question is still on the way to the
      // worker: that message would start the worker again. Let it be answered first.
      await sleep(SETTLE_MS);
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

  // The same cold loads with 5,000 profiles in force: the restarted worker puts its compiled
  // configuration back (a snapshot) instead of reading 865 KB of text again.
  const profiles = fiveThousandProfiles();
  await browser.worker.evaluate((text) => chrome.storage.local.set({ config: { text, savedAt: new Date().toISOString() } }), profiles);
  await sleep(2_000);
  runs.cold5000 = [];
  const firstVerdicts = [];
  for (let i = 0; i < LOADS; i++) {
    await worker.stop();
    runs.cold5000.push(await measureLoad(page));
    // In the restarted worker: from its first evaluate message to the answer.
    // The page may have painted its kept verdict before the worker answered: wait for the answer.
    const [current] = browser.context.serviceWorkers().slice(-1);
    const [measure] = await current.evaluate(async () => {
      for (let waited = 0; waited < 2_000 && !performance.getEntriesByName('redline:first-verdict').length; waited += 10) {
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      return performance.getEntriesByName('redline:first-verdict').map((m) => ({ duration: m.duration, restored: m.detail?.restored }));
    });
    if (measure) firstVerdicts.push(measure);
  }
  const restoredCount = firstVerdicts.filter((m) => m.restored).length;
  if (firstVerdicts.length < LOADS) throw new Error(`only ${firstVerdicts.length} of ${LOADS} restarted workers answered within 2 s`);
  if (restoredCount < LOADS) throw new Error(`only ${restoredCount} of ${LOADS} restarted workers restored the compiled configuration`);

  const result = { loads: LOADS, page: ROW.url };
  for (const [state, loads] of Object.entries(runs)) {
    result[state] = {
      contentToBanner: summary(loads.map((l) => l.contentToBanner)),
      navigationToBanner: summary(loads.map((l) => l.navigationToBanner)),
    };
  }

  console.log(`banner latency, ${LOADS} loads each, ms (cold: service worker stopped before each load; cold5000: the same with 5,000 profiles)`);
  console.log('worker  measure                          median     p95');
  for (const state of ['warm', 'cold', 'cold5000']) {
    for (const [measure, label] of [
      ['contentToBanner', 'content script start → banner'],
      ['navigationToBanner', 'navigation start → banner'],
    ]) {
      const { median, p95 } = result[state][measure];
      console.log(`${state.padEnd(9)}${label.padEnd(33)}${String(median).padStart(6)}  ${String(p95).padStart(6)}`);
    }
  }
  result.cold5000.workerFirstVerdict = summary(firstVerdicts.map((m) => m.duration));
  console.log(
    `cold5000: worker's first evaluate message → answer ${result.cold5000.workerFirstVerdict.median} ms median, ${result.cold5000.workerFirstVerdict.p95} ms p95 (${restoredCount} of ${firstVerdicts.length} restarts from the compiled configuration)`,
  );
  console.log(`BENCH_JSON ${JSON.stringify(result)}`);
} finally {
  await browser.close();
}

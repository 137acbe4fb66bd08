// `make bench`: how fast the toolbar popup is at 200, 2,000 and 5,000 switch targets, end to end in
// Chromium with the built extension (REDLINE_DIST names another build), the popup opened as a click
// on the toolbar button opens it. For each size, 20 openings, each measured by the popup's own
// performance entries:
// - list shown: from the popup's script starting (the 'redline:popup-start' mark, popup.js's first
//   statement) or from the popup's navigation start, to the frame that draws the rows having been
//   painted (the 'redline:popup-list' mark);
// - each keystroke of the filter, typed one at a time: from the keydown event's time to the frame
//   that draws the filtered rows having been painted (the 'redline:keystroke' measures). The first
//   keystroke of an opening is also shown on its own: it comes while the popup may still be loading
//   its filter.
// Then at 5,000, 10 openings with the service worker stopped before each (as it is after 30 s
// without an event): the list then waits for the worker to start, restore the configuration and
// list the rows.
// Configurations have the shape of tests/config.rs five_thousand_profiles_load_and_evaluate.
// Prints a table and one line `BENCH_JSON {...}`.
import { setTimeout as sleep } from 'node:timers/promises';
import { DIST, launchBrowser, serveCase, stopWorker, waitForBanner } from '../tests/e2e/harness.mjs';
import { SEED, openPopup, saveConfig } from '../tests/e2e/popup-page.mjs';
import { summary } from './bench-summary.mjs';

const SIZES = [200, 2_000, 5_000];
const RUNS = 20;
const COLD_RUNS = 10;
const QUERY = 'team-1'; // every key narrows the list: t matches all, team-1 about a fifth
const GOALS = { load: 50, keystroke: 16 }; // ms at 5,000 targets (the issue)

function profiles(count) {
  let text = SEED;
  for (let i = 0; i < count; i++) {
    const id = String(100_000_000_000 + i);
    const environment = ['dev', 'ci', 'staging', 'prod'][i % 4];
    text += `\n[[aws.accounts]]\nid = "${id}"\nenvironment = "${environment}"\n\n[[targets]]\nprovider = "aws"\nlabel = "team-${i}"\naccount = "${id}"\nrole = "Operator"\nregion = "eu-west-2"\n`;
  }
  return text;
}

const keystrokes = (popup) => popup.evaluate(() => performance.getEntriesByName('redline:keystroke').map((m) => m.duration));

async function measureOnce(browser, tab, { type = true } = {}) {
  const popup = await openPopup(browser, tab, { timeout: 15_000 });
  try {
    const load = await popup.waitFor((s) => s.rows.length > 0, { what: 'the list' }).then(() =>
      popup.evaluate(async () => {
        const mark = (name) => performance.getEntriesByName(name)[0]?.startTime;
        for (let i = 0; i < 100 && mark('redline:popup-list') === undefined; i++) await new Promise((r) => setTimeout(r, 5));
        return { fromStart: mark('redline:popup-list') - mark('redline:popup-start'), fromNavigation: mark('redline:popup-list') };
      }),
    );
    // One key at a time, each measured before the next is pressed.
    for (const [index, char] of type ? [...QUERY].entries() : []) {
      await popup.type(char);
      const deadline = Date.now() + 5_000;
      while ((await keystrokes(popup)).length <= index) {
        if (Date.now() > deadline) throw new Error(`no measure for keystroke ${index + 1}`);
        await sleep(5);
      }
    }
    return { ...load, keys: await keystrokes(popup) };
  } finally {
    await popup.close();
  }
}

const browser = await launchBrowser();
const result = { runs: RUNS, query: QUERY, goals: GOALS, sizes: {} };
try {
  const url = 'https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2&bench=popup';
  await serveCase(browser, { url, signals: { awsNavAccountId: '1000-0000-0001', awsNavUser: 'Operator/jane @ team-tools' } });
  const tab = await browser.context.newPage();
  for (const size of SIZES) {
    await saveConfig(browser, profiles(size));
    await tab.goto(url);
    // The banner names account 1 as ci (1 % 4): the worker has this configuration in force.
    await waitForBanner(tab, (b) => b.environment === 'ci', { timeout: 15_000, what: `the banner under ${size} targets` });
    await measureOnce(browser, tab); // the first popup after a configuration lists the rows: not counted
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await measureOnce(browser, tab));
    result.sizes[size] = {
      fromStart: summary(runs.map((r) => r.fromStart)),
      fromNavigation: summary(runs.map((r) => r.fromNavigation)),
      firstKey: summary(runs.map((r) => r.keys[0])),
      everyKey: summary(runs.flatMap((r) => r.keys)),
    };
  }
  const cold = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    await stopWorker(browser);
    cold.push(await measureOnce(browser, tab, { type: false }));
  }
  result.workerStopped = { size: SIZES.at(-1), runs: COLD_RUNS, fromStart: summary(cold.map((r) => r.fromStart)), fromNavigation: summary(cold.map((r) => r.fromNavigation)) };

  console.log(`toolbar popup (${DIST}), ${RUNS} openings per size, ${QUERY.length} keystrokes each, ms (median / p95)`);
  console.log(`goals at 5,000: list shown ≤ ${GOALS.load} after the popup's script starts, every keystroke ≤ ${GOALS.keystroke}`);
  console.log('targets  script start → list  navigation → list   first keystroke   every keystroke');
  const cell = ({ median, p95 }) => `${String(median).padStart(7)} / ${String(p95).padEnd(7)}`;
  for (const size of SIZES) {
    const s = result.sizes[size];
    console.log(`${String(size).padStart(7)}  ${cell(s.fromStart)}     ${cell(s.fromNavigation)}    ${cell(s.firstKey)}  ${cell(s.everyKey)}`);
  }
  const { workerStopped: w } = result;
  console.log(`${String(w.size).padStart(7)}  ${cell(w.fromStart)}     ${cell(w.fromNavigation)}    the service worker stopped before each of ${w.runs} openings`);
  console.log(`BENCH_JSON ${JSON.stringify(result)}`);
} finally {
  await browser.close();
}

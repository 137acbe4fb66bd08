// A trap in the wasm leaves its instance unusable: every later call would fail, and with it every
// banner, the overlay and the guard. This runs the test variant (scripts/build.sh with
// FEATURES=trap-test, Cargo.toml), whose core stops on any input holding `redline-test-trap`, and
// shows that the extension starts its core again, keeps the last sound configuration, sets the
// input that stopped it aside, says so, and keeps painting every console tab correctly.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, fixtureRow, launchBrowser, matchesExpectation, readBanner, serveCase, waitFor, waitForBanner } from './harness.mjs';
import { openOptions, setEditorText } from './options-page.mjs';

const TRAP_DIST = join(ROOT, 'dist/redline-trap');
const PROD_ADMIN = fixtureRow('aws.json', 'aws-prod-admin');
const DEV = fixtureRow('aws.json', 'aws-dev-operator');
const PROD_ACCOUNT = '111111111111';

let browser;
before(async () => {
  browser = await launchBrowser({ dist: TRAP_DIST });
});
after(() => browser?.close());

async function open(row, url = row.url) {
  await serveCase(browser, { ...row, url });
  const page = await browser.context.newPage();
  await page.goto(url);
  return page;
}

const toolbarTitle = (page) =>
  waitFor(
    page,
    () => browser.worker.evaluate(async () => {
      const titles = await Promise.all((await chrome.tabs.query({})).map((tab) => chrome.action.getTitle({ tabId: tab.id })));
      return titles.join('\n---\n');
    }),
    (titles) => titles.includes('stopped redline’s core'),
    { what: 'a toolbar title saying the configuration was set aside' },
  );

test('a configuration that stops the core is set aside: the last sound one stays in force and every tab stays painted', async () => {
  // A sound configuration first: the dev account is prod by a rule of the user's.
  const sound = `[[aws.accounts]]\nid = "333333333333"\nenvironment = "prod"\n`;
  await browser.worker.evaluate((text) => chrome.storage.local.set({ config: { text, savedAt: new Date().toISOString() } }), sound);
  const dev = await open(DEV);
  await waitForBanner(dev, (b) => b.environment === 'prod', { what: 'the rule of the sound configuration' });
  const prod = await open(PROD_ADMIN);
  await waitForBanner(prod, matchesExpectation(PROD_ADMIN.expect));

  // Then one that stops the core, as a stored value would arrive from sync or another tab.
  const fatal = `${sound}# redline-test-trap\n[[aws.accounts]]\nid = "${PROD_ACCOUNT}"\nenvironment = "dev"\n`;
  await browser.worker.evaluate((text) => chrome.storage.local.set({ config: { text, savedAt: new Date().toISOString() } }), fatal);
  const titles = await toolbarTitle(dev);
  assert.match(titles, /the last sound configuration stays in force/);
  await sleep(300);
  const devAfter = await readBanner(dev);
  assert.equal(devAfter.environment, 'prod', 'the sound configuration is still in force');
  assert.ok(matchesExpectation(PROD_ADMIN.expect)(await readBanner(prod)), 'the prod Admin tab still says so');

  // The core answers new tabs as before, and the set-aside text is not tried again.
  const again = await open(PROD_ADMIN, `${PROD_ADMIN.url}&after-trap`);
  await waitForBanner(again, matchesExpectation(PROD_ADMIN.expect), { what: 'a new tab painted after the restart' });
  const reconfigures = await browser.worker.evaluate(async (text) => {
    await chrome.storage.local.set({ config: { text, savedAt: new Date().toISOString() } });
    return 'written';
  }, fatal);
  assert.equal(reconfigures, 'written');
  await sleep(300);
  assert.equal((await readBanner(dev)).environment, 'prod');
  for (const page of [dev, prod, again]) await page.close();
});

test('a page whose signals stop the core gets an error, and every other tab keeps its banner', async () => {
  const prod = await open(PROD_ADMIN, `${PROD_ADMIN.url}&calm`);
  await waitForBanner(prod, matchesExpectation(PROD_ADMIN.expect));
  const poisoned = await open(DEV, `${DEV.url.split('#')[0]}&redline-test-trap`);
  await waitForBanner(poisoned, (b) => b.text.includes('could not evaluate'), { what: 'the error on the page that stopped the core' });
  const other = await open(DEV, `${DEV.url.split('#')[0]}&after`);
  await waitForBanner(other, (b) => b.environment !== 'unknown' || b.text.includes('DEV'), { what: 'a banner on a later tab' });
  assert.ok(matchesExpectation(PROD_ADMIN.expect)(await readBanner(prod)), 'the prod Admin tab still says so');
  for (const page of [prod, poisoned, other]) await page.close();
});

test('in the options page a text that stops the core is an error that cannot be saved, and the page keeps checking', async () => {
  const options = await openOptions(browser);
  const sound = '[[aws.accounts]]\nid = "123456789012"\nenvironment = "prod"\n';
  await setEditorText(options, `${sound}\n# redline-test-trap\n`);
  assert.ok(await options.isDisabled('#save'), 'Save is enabled for a text that stopped the core');
  assert.match(await options.textContent('#diagnostics'), /core stopped on this text/);
  await setEditorText(options, sound);
  assert.equal(await options.isDisabled('#save'), false, 'a sound text can be saved again');
  assert.deepEqual(options.errors, []);
  await options.close();
});

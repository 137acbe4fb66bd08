// The first run: installing redline opens the welcome page, which shows the banners the core paints
// on a sample page of each console, the configuration in force, the import buttons, the shortcut
// and every permission with its reason. An update opens it again only when it has something new
// users must know (extension/welcome/notice.js), at "What's new"; otherwise nothing opens.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ENGINE, ROOT, extensionWorker, launchBrowser, welcomeTab } from './harness.mjs';

const MANIFEST = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8'));
let browser;

before(async () => {
  browser = await launchBrowser({ keepWelcome: true });
});
after(() => browser?.close());

function readWelcome() {
  const items = (id) => [...document.querySelectorAll(`#${id} li`)].map((li) => li.textContent);
  return {
    samples: [...document.querySelectorAll('#samples li')].map((li) => ({
      banner: li.querySelector('.sample-banner').textContent,
      severity: li.querySelector('.sample-banner').dataset.severity,
      what: li.querySelector('.sample-what').textContent,
    })),
    source: document.getElementById('configuration-source').textContent,
    summary: items('configuration-summary'),
    shortcut: document.getElementById('shortcut').textContent,
    permissions: items('permissions'),
    whatsNew: !document.getElementById('whats-new').hidden,
  };
}

test('installing opens the welcome page: each console\'s banner, the configuration in force, the shortcut and every permission with its reason', async () => {
  const welcome = await welcomeTab(browser);
  // A busy machine (a fuzzer on both cores) was once seen taking over 10 s to start the pages' module.
  await welcome.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
  const seen = await welcome.evaluate(readWelcome);
  assert.equal(seen.samples.length, 5);
  for (const provider of ['AWS', 'Azure', 'Google Cloud', 'Aiven']) {
    assert.ok(seen.samples.some((s) => s.banner.startsWith(provider)), `${provider}: ${JSON.stringify(seen.samples)}`);
  }
  assert.match(seen.samples[0].banner, /^AWS · PROD · Admin/);
  assert.equal(seen.samples[0].severity, 'danger');
  assert.match(seen.samples[1].banner, /DEV/);
  assert.match(seen.source, /bundled defaults/);
  assert.equal(seen.summary[0], '4 environments: dev, ci, staging, prod');
  assert.ok(seen.summary.some((line) => /^AWS: 2 role rules \(Operator readonly, Admin admin\)$/.test(line)), JSON.stringify(seen.summary));
  // The shortcut the browser gave the toolbar button (headless Chromium assigns none).
  const worker = await extensionWorker(browser.context);
  const shortcut = await worker.evaluate(async () => (await chrome.commands.getAll()).find((c) => c.name === '_execute_action')?.shortcut ?? '');
  if (shortcut) assert.equal(seen.shortcut.startsWith(`Press ${shortcut} on any page`), true, seen.shortcut);
  else assert.match(seen.shortcut, /^No shortcut is set/);
  for (const permission of MANIFEST.permissions) {
    const line = seen.permissions.find((p) => p.startsWith(`${permission}: `));
    assert.ok(line && !/no reason written down/.test(line), `${permission}: ${JSON.stringify(seen.permissions)}`);
  }
  // Every site the content scripts run on is counted in the line that says why.
  const sites = MANIFEST.content_scripts.flatMap((script) => script.matches);
  const portals = sites.filter((site) => site.includes('awsapps.com')).length;
  const consoles = `The cloud consoles' sites (${sites.length - portals} address patterns`;
  assert.ok(seen.permissions.some((p) => p.startsWith(consoles) && p.includes(`access portals (${portals} patterns)`) && p.endsWith('No other site.')), JSON.stringify(seen.permissions));
  assert.equal(seen.whatsNew, false, 'a first install has nothing new to tell');

  // An import button opens the options page at the import, its format chosen.
  const [options] = await Promise.all([browser.context.waitForEvent('page'), welcome.click('#import-aws-config')]);
  await options.waitForSelector('html[data-ready="true"]', { timeout: 10_000 });
  assert.match(options.url(), /options\.html\?import=aws-config$/);
  assert.equal(await options.evaluate(() => document.getElementById('import-source').value), 'aws-config');
  await options.close();
});

/** Reloads the extension, which the browser reports to it as an update. */
async function update(noticeShown) {
  const worker = await extensionWorker(browser.context);
  await worker.evaluate(async (shown) => {
    await chrome.storage.local.set({ 'welcome:notice': shown });
    setTimeout(() => chrome.runtime.reload(), 50);
  }, noticeShown);
  await sleep(3_000);
}

const welcomeTabs = () => browser.context.pages().filter((page) => page.url().includes('/extension/welcome/welcome.html'));

test('an update opens "What\'s new" only when it has something new to tell', { skip: ENGINE === 'firefox' && 'Firefox reloads a temporary add-on as a new install: an update cannot be made here' }, async () => {
  const { NOTICE } = await import('../../extension/welcome/notice.js');
  // The notice before this one was shown: the update has something new.
  await update(NOTICE.id - 1);
  const [whatsNew] = await (async () => {
    for (let tries = 0; tries < 600 && welcomeTabs().length === 0; tries++) await sleep(50);
    return welcomeTabs();
  })();
  assert.ok(whatsNew, 'the update opened the welcome page');
  assert.match(whatsNew.url(), /#whats-new$/);
  await whatsNew.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
  const seen = await whatsNew.evaluate(() => [...document.querySelectorAll('#whats-new-list li')].map((li) => li.textContent));
  assert.deepEqual(seen, NOTICE.whatsNew);
  await whatsNew.close();

  // This notice was shown already: an update opens nothing.
  await update(NOTICE.id);
  await sleep(1_000);
  assert.deepEqual(welcomeTabs(), [], 'no tab for an update with nothing new');
});

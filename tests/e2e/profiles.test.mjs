// Big configurations: 5,000 profiles save, load and evaluate, in this browser's storage and in sync
// storage (compressed, in chunks, never half-written); a text sync cannot hold is refused clearly
// while the local save still succeeds.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchBrowser, readBanner, waitFor, waitForBanner } from './harness.mjs';
import { editorText, inWorker, openAwsConsole, openOptions, resetStorage, save, setEditorText, storedConfig } from './options-page.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());
beforeEach(() => resetStorage(browser));

/** The shape of tests/config.rs five_thousand_profiles_load_and_evaluate: an account rule and a target per profile. */
function profiles(seed, count = 5_000, { account = (i) => String(100_000_000_000 + i), label = (i) => `team-${i}` } = {}) {
  let text = seed;
  for (let i = 0; i < count; i++) {
    const id = account(i);
    const environment = ['dev', 'ci', 'staging', 'prod'][i % 4];
    text += `\n[[aws.accounts]]\nid = "${id}"\nenvironment = "${environment}"\n\n[[targets]]\nprovider = "aws"\nlabel = "${label(i)}"\naccount = "${id}"\nrole = "Operator"\nregion = "eu-west-2"\n`;
  }
  return text;
}

/** Random ids and labels: what deflate cannot shrink much. */
function incompressible(seed) {
  const ids = new Set();
  while (ids.size < 5_000) ids.add(String(100_000_000_000 + (randomBytes(5).readUIntBE(0, 5) % 899_999_999_999)));
  const list = [...ids];
  return profiles(seed, 5_000, { account: (i) => list[i], label: () => `t-${randomBytes(16).toString('hex')}` });
}

/** What storage.sync holds for redline, decoded in the worker the way any reader would. */
function syncContents() {
  return inWorker(browser, async () => {
    const items = await chrome.storage.sync.get(null);
    const meta = items.config;
    if (!meta) return { meta: null, keys: Object.keys(items) };
    const parts = Array.from({ length: meta.chunks }, (_, i) => items[`config.${meta.gen}.${i}`]);
    const binary = atob(parts.join(''));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const text = await new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'))).text();
    const sizes = Object.entries(items).map(([key, value]) => new TextEncoder().encode(key + JSON.stringify(value)).length);
    return {
      meta,
      keys: Object.keys(items).sort(),
      text,
      inUse: await chrome.storage.sync.getBytesInUse(null),
      // Firefox enforces Chromium's sync limits without exposing them (as extension/shared/storage.js says).
      quota: chrome.storage.sync.QUOTA_BYTES ?? 102_400,
      perItem: chrome.storage.sync.QUOTA_BYTES_PER_ITEM ?? 8_192,
      largestItem: Math.max(...sizes),
    };
  });
}

/** The worker's last configuration result; it answers extension pages only, so asked from one. */
async function workerStatus(page) {
  return page.evaluate(() => chrome.runtime.sendMessage({ type: 'status' }));
}

const prodOperator = { provider: 'aws', environment: 'prod', privilege: 'readonly', severity: 'info' };
const is = (expect) => (banner) => Object.entries(expect).every(([key, value]) => banner[key] === value);

test('5,000 profiles save, load again and evaluate, in this browser', async (t) => {
  const options = await openOptions(browser);
  const text = profiles(await editorText(options));
  const started = Date.now();
  await setEditorText(options, text);
  const checked = Date.now() - started;
  assert.match(await options.textContent('#validity'), /No problems/);
  assert.match(await save(options), /^Saved at/);
  const saved = Date.now() - started;
  assert.equal((await storedConfig(browser)).text, text);

  // Account 4999 is prod (4999 % 4 = 3), 4998 staging: both decided by their rule, not their alias.
  const tab = await openAwsConsole(browser, { account: '100000004999', alias: 'team-tools', role: 'Operator' });
  await waitForBanner(tab, is(prodOperator), { what: 'account 4999 as prod', timeout: 15_000 });
  const other = await openAwsConsole(browser, { account: '100000004998', alias: 'team-tools', role: 'Operator' });
  await waitForBanner(other, is({ ...prodOperator, environment: 'staging' }), { what: 'account 4998 as staging', timeout: 15_000 });

  const reloaded = Date.now();
  await options.reload();
  await options.waitForSelector('html[data-ready="true"]', { timeout: 15_000 });
  assert.equal(await editorText(options), text);
  assert.equal(await options.getAttribute('#editor', 'data-state'), 'valid');
  t.diagnostic(`5,000 profiles: ${Buffer.byteLength(text).toLocaleString('en-US')} bytes, ${text.split('\n').length} lines; ` +
    `checked in ${checked} ms, saved after ${saved} ms, options page reloaded and checked in ${Date.now() - reloaded} ms`);
  assert.deepEqual(options.errors, []);
});

test('with sync on, 5,000 profiles go to sync storage compressed in chunks, and a browser without a local copy loads them', async (t) => {
  const options = await openOptions(browser);
  await options.check('#sync');
  await options.waitForFunction(() => /Sync is on/.test(document.getElementById('save-status').textContent));
  const text = profiles(await editorText(options));
  await setEditorText(options, text);
  const message = await save(options);
  assert.match(message, /^Saved at .* Synced across browsers \([\d,]+ bytes in sync storage\)\./);

  const synced = await syncContents();
  assert.equal(synced.text, text);
  assert.ok(synced.inUse <= synced.quota, `${synced.inUse} > ${synced.quota}`);
  assert.ok(synced.largestItem <= synced.perItem, `an item of ${synced.largestItem} bytes`);
  assert.equal(synced.keys.length, synced.meta.chunks + 1);
  t.diagnostic(`5,000 profiles: ${synced.meta.textBytes.toLocaleString('en-US')} bytes raw, ${synced.meta.bytes.toLocaleString('en-US')} deflate-raw, ` +
    `${synced.inUse.toLocaleString('en-US')} of ${synced.quota.toLocaleString('en-US')} bytes of sync storage in ${synced.meta.chunks} chunks + meta`);
  assert.match(await options.textContent('#sync-usage'), /Sync storage: [\d,]+ of 102,400 bytes used, [\d,]+ left\./);

  // Saved again: old and new cannot both fit, so the old version goes first; no stale chunk stays.
  const second = text.replace('label = "team-0"', 'label = "team-zero"');
  await setEditorText(options, second);
  assert.match(await save(options), /Synced across browsers/);
  const resynced = await syncContents();
  assert.equal(resynced.text, second);
  assert.equal(resynced.keys.length, resynced.meta.chunks + 1, resynced.keys.join(' '));
  assert.ok(resynced.keys.every((key) => key === 'config' || key.startsWith(`config.${resynced.meta.gen}.`)), resynced.keys.join(' '));

  // Another browser: nothing saved locally, sync storage holds the configuration.
  await inWorker(browser, () => chrome.storage.local.clear());
  // The text in force before was this same text, so the banner alone cannot tell when the worker
  // has read sync again; its copy of the synced text in this browser's storage can.
  await waitFor(browser, storedConfig, (stored) => stored?.text === second, { what: 'the worker keeping the synced text in this browser', timeout: 10_000 });
  const tab = await openAwsConsole(browser, { account: '100000004999', alias: 'team-tools', role: 'Operator' });
  await waitForBanner(tab, is(prodOperator), { what: 'account 4999 as prod, from sync', timeout: 15_000 });
  const fresh = await openOptions(browser);
  assert.equal((await workerStatus(fresh)).source, 'sync');
  assert.equal(await editorText(fresh), second);
  assert.match(await fresh.textContent('#editor-origin'), /From sync storage/);
  assert.ok(await fresh.isChecked('#sync'));
  assert.deepEqual([...options.errors, ...fresh.errors], []);
});

test('a text too large for sync storage is refused with its size and the limit; the local save succeeds, sync keeps the previous version whole', async (t) => {
  const options = await openOptions(browser);
  await options.check('#sync');
  const seed = await editorText(options);
  const small = `${seed}\n[[aws.accounts]]\nid = "123456789012"\nenvironment = "prod"\n`;
  await setEditorText(options, small);
  assert.match(await save(options), /Synced across browsers/);

  const big = incompressible(seed);
  await setEditorText(options, big);
  const message = await save(options);
  const [, needed] = message.match(/Not synced: the configuration needs ([\d,]+) bytes in sync storage, more than its 102,400\./) ?? [];
  assert.ok(needed, message);
  assert.match(message, /^Saved at .* saved in this browser only/);
  assert.equal(await options.getAttribute('#save-status', 'data-kind'), 'warning');
  assert.equal((await storedConfig(browser)).text, big);
  const synced = await syncContents();
  assert.equal(synced.text, small);
  assert.equal(synced.keys.length, synced.meta.chunks + 1);
  t.diagnostic(`random ids and labels: ${Buffer.byteLength(big).toLocaleString('en-US')} bytes raw, needs ${needed} bytes in sync storage`);

  // The worker uses the local text: an account of the big text has its rule.
  const first = big.match(/id = "(\d{12})"\nenvironment = "dev"/)[1];
  const tab = await openAwsConsole(browser, { account: first, alias: 'team-tools', role: 'Operator' });
  await waitForBanner(tab, is({ ...prodOperator, environment: 'dev' }), { what: `${first} as dev`, timeout: 15_000 });
  assert.deepEqual(options.errors, []);
});

test('with sync on, a newer version saved in another browser replaces this browser’s at once', async () => {
  const options = await openOptions(browser);
  await options.check('#sync');
  await options.waitForFunction(() => /Sync is on/.test(document.getElementById('save-status').textContent));
  const seed = await editorText(options);
  const rule = (environment) => `\n[[aws.accounts]]\nid = "123456789012"\nenvironment = "${environment}"\n`;
  await setEditorText(options, seed + rule('dev'));
  await save(options);
  const tab = await openAwsConsole(browser, { account: '123456789012', alias: 'team-tools', role: 'Operator' });
  await waitForBanner(tab, (b) => b.environment === 'dev', { what: 'the local version (dev)' });

  // Another browser saves a later version: it reaches this one through sync storage alone.
  await options.evaluate(async (text) => {
    const storage = await import('/extension/shared/storage.js');
    await storage.writeSync(text, new Date(Date.now() + 60_000).toISOString());
  }, seed + rule('prod'));
  await waitForBanner(tab, (b) => b.environment === 'prod', { what: 'the newer synced version (prod)', timeout: 10_000 });
  // Kept in this browser too, the version it replaced in the history.
  assert.equal((await storedConfig(browser)).text, seed + rule('prod'), 'the synced version is this browser’s copy now');
  const fresh = await openOptions(browser);
  assert.equal(await editorText(fresh), seed + rule('prod'));
  assert.match(await fresh.textContent('#editor-origin'), /From sync storage/);
  const history = await fresh.evaluate(async () => (await import('/extension/shared/storage.js')).readHistory());
  assert.equal(history[0]?.text, seed + rule('dev'), 'the local version it replaced is in the history');
});

test('a browser running on the synced text keeps it when sync is turned off in another browser', async () => {
  const options = await openOptions(browser);
  await options.check('#sync');
  await options.waitForFunction(() => /Sync is on/.test(document.getElementById('save-status').textContent));
  const text = `${await editorText(options)}\n[[aws.accounts]]\nid = "123456789012"\nenvironment = "prod"\n`;
  await setEditorText(options, text);
  assert.match(await save(options), /Synced across browsers/);
  await options.close();

  // Another browser: nothing saved locally, sync storage holds the configuration.
  await inWorker(browser, () => chrome.storage.local.clear());
  // The text in force before was this same text, so the banner alone cannot tell when the worker
  // has read sync again; its copy of the synced text in this browser's storage can.
  await waitFor(browser, storedConfig, (stored) => stored?.text === text, { what: 'the worker keeping the synced text in this browser', timeout: 10_000 });
  const tab = await openAwsConsole(browser, { account: '123456789012', alias: 'team-tools', role: 'Operator' });
  await waitForBanner(tab, is(prodOperator), { what: 'the account as prod, from sync' });

  // Sync turned off in the first browser: the options page there removes the synced copy.
  await inWorker(browser, () => chrome.storage.sync.clear());
  // Long enough for the worker to have reconfigured and the tab to have been evaluated again.
  await sleep(1_500);
  assert.ok(is(prodOperator)(await readBanner(tab)), `still prod: ${JSON.stringify(await readBanner(tab))}`);
  assert.equal((await storedConfig(browser))?.text, text, 'kept in this browser');
});

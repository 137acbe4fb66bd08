// "Why this banner?" in the popup, for the active console tab: the verdict and each reason with its
// source, the signals read, the report (ids masked unless "Include ids" is ticked, never a token),
// and the wrong-banner buttons, whose rule is saved (kept in the history) and which the banner
// follows at once.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, readBanner, waitFor, waitForBanner } from './harness.mjs';
import { openAwsConsole, openOptions, sameDocument, storedConfig } from './options-page.mjs';
import { SEED, TARGETS, openPopup, saveConfig } from './popup-page.mjs';

// No rule names this account; the targets give the popup rows that a stray Enter would switch to.
const ACCOUNT = '777788889999';
let browser;

before(async () => {
  browser = await launchBrowser();
  await saveConfig(browser, `${SEED}\n${TARGETS}`);
});
after(() => browser?.close());

/** What the panel shows, read in the popup. */
function readWhy() {
  const text = (id) => document.getElementById(id).textContent;
  const items = (id) => [...document.querySelectorAll(`#${id} li`)].map((li) => li.textContent);
  return {
    open: !document.getElementById('why').hidden,
    listHidden: document.getElementById('list').hidden,
    listKeysHidden: document.getElementById('list-keys').hidden,
    banner: text('why-banner'),
    reasons: items('why-reasons'),
    signals: items('why-signals'),
    changes: items('why-changes'),
    choices: [...document.querySelectorAll('#why-fix-choices button')].map((b) => b.textContent),
    fixShown: !document.getElementById('why-fix').hidden,
    report: text('why-report'),
    status: text('why-status'),
  };
}

async function whyOf(popup, accept, what) {
  const deadline = Date.now() + 10_000;
  let seen;
  while (Date.now() < deadline) {
    seen = await popup.evaluate(readWhy);
    if (accept(seen)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(seen)}`);
}

test('the panel explains the tab, its report masks ids until asked, and a wrong banner is put right in two clicks', async () => {
  const tab = await openAwsConsole(browser, { account: ACCOUNT, alias: 'acme-sandbox', role: 'Admin' });
  await waitForBanner(tab, (b) => b.environment === 'unknown' && b.privilege === 'admin', { what: 'UNKNOWN · ADMIN' });

  const popup = await openPopup(browser, tab);
  // Enter on the focused button is the button's, never the list's: the tab is not switched.
  await popup.evaluate(() => document.getElementById('why-open').focus());
  await popup.press('Enter');
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  assert.ok(await sameDocument(tab), 'Enter on the button switched the tab');
  await popup.evaluate(() => document.getElementById('why').hidden && document.getElementById('why-open').click());
  const why = await whyOf(popup, (w) => w.open && w.report.includes('Reasons:'), 'the panel');
  assert.ok(why.listHidden, 'the panel stands in for the list');
  assert.ok(why.listKeysHidden, "the list's keys (Enter switch) are not shown under the panel");
  assert.match(why.banner, /UNKNOWN/);
  assert.ok(why.changes.some((c) => /A rule of yours for AWS account 777788889999 would decide its environment \(nothing names it now\)/.test(c)), JSON.stringify(why.changes));
  assert.ok(why.reasons.some((r) => /anyone may set it/.test(r)), 'a low-trust source says so');
  assert.ok(why.signals.some((s) => s.startsWith('awsNavAccountId: ')), JSON.stringify(why.signals));
  assert.ok(why.choices.includes('staging') && why.choices.includes('prod'), JSON.stringify(why.choices));

  // By default: no id, no query value; the last four digits tell accounts apart.
  assert.doesNotMatch(why.report, new RegExp(`${ACCOUNT}|7777-8888-9999|region=eu-west-2`));
  assert.match(why.report, /••••-••••-9999/);
  assert.match(why.report, /^redline \d+\.\d+\.\d+ on (Chromium|Firefox|Edge) [\d.]+$/m);
  assert.match(why.report, /\?region=•••/);
  await popup.evaluate(() => document.getElementById('why-ids').click());
  const withIds = await whyOf(popup, (w) => w.report.includes('7777-8888-9999'), 'the report with ids');
  assert.match(withIds.report, /region=eu-west-2/);

  // Wrong banner: this account is staging.
  const before = (await storedConfig(browser)).text;
  await popup.evaluate(() => document.querySelector('#why-fix-choices button[data-environment="staging"]').click());
  const saved = await whyOf(popup, (w) => /^Saved/.test(w.status), 'the rule saved');
  assert.match(saved.status, /AWS account 777788889999 is staging/);
  await waitForBanner(tab, (b) => b.environment === 'staging', { what: 'the banner to follow the new rule' });
  const after = (await storedConfig(browser)).text;
  assert.ok(after.startsWith(before.trimEnd()), 'the rest of the text is untouched');
  assert.match(after, /\[\[aws\.accounts\]\]\nid = "777788889999"\nenvironment = "staging"\n$/);
  await waitFor(popup, (p) => p.evaluate(readWhy), (w) => /STAGING/.test(w.banner), { what: 'the panel to show the new verdict' });
  assert.equal((await readBanner(tab)).environment, 'staging');
  await popup.close();
  // The text before is kept in the history, as a save in the options page keeps it.
  const options = await openOptions(browser);
  await options.waitForSelector('#history li', { timeout: 10_000 });
  assert.equal(await options.$$eval('#history li', (items) => items.length), 1);
  await options.close();
});

// The organisation's configuration, set by a real Chromium policy file that `redline policy` wrote
// (the command line an administrator runs): its locked rule wins over
// the page's alias and over the user's own rule, and the options page shows it and what it replaced.
// Writes /etc/chromium/policies/managed/ (needs root) and removes its file afterwards: a policy there
// applies to every Chromium on the machine.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EXTENSION_ID, ROOT, launchBrowser, readBanner, waitForBanner } from './harness.mjs';
import { accountRule, editorText, inWorker, openAwsConsole, openOptions, save, setEditorText } from './options-page.mjs';

const POLICY_DIR = '/etc/chromium/policies/managed';
const POLICY_FILE = `${POLICY_DIR}/redline-e2e.json`;
const MANAGED = [
  '# The organisation: production account 111122223333 is prod, whatever anyone names it.',
  '[[environments]]\nname = "prod"\nkind = "prod"\n',
  '[[environments]]\nname = "dev"\nkind = "dev"\n',
  '[[aws.accounts]]\nid = "111122223333"\nenvironment = "prod"\nlocked = true\n',
].join('\n');

let browser;
/** The policy file `redline policy --browser chrome` makes of `text`. */
function policyFor(text) {
  const dir = mkdtempSync(join(tmpdir(), 'redline-policy-'));
  try {
    writeFileSync(join(dir, 'organisation.toml'), text);
    execFileSync('cargo', ['build', '--quiet', '--bin', 'redline'], { cwd: ROOT, stdio: 'inherit' });
    const cli = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'debug/redline');
    return execFileSync(cli, ['policy', join(dir, 'organisation.toml'), '--browser', 'chrome'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

before(async () => {
  const policy = policyFor(MANAGED);
  // What Chromium will read is what the test expects: the CLI's document, for this extension.
  assert.deepEqual(JSON.parse(policy), { '3rdparty': { extensions: { [EXTENSION_ID]: { config: MANAGED } } } });
  mkdirSync(POLICY_DIR, { recursive: true });
  writeFileSync(POLICY_FILE, policy);
  try {
    browser = await launchBrowser();
  } catch (error) {
    rmSync(POLICY_FILE, { force: true });
    throw error;
  }
});
after(async () => {
  try {
    await browser?.close();
  } finally {
    rmSync(POLICY_FILE, { force: true });
  }
});

const is = (expect) => (banner) => Object.entries(expect).every(([key, value]) => banner[key] === value);
const prodOperator = { provider: 'aws', environment: 'prod', privilege: 'readonly', severity: 'info' };

test('the policy reaches the extension as managed storage', async () => {
  assert.deepEqual(await inWorker(browser, () => chrome.storage.managed.get(null)), { config: MANAGED });
});

test("the organisation's locked rule decides over the page's alias and over the user's saved rule", async () => {
  // The alias says dev; the organisation says prod.
  const tab = await openAwsConsole(browser, { account: '111122223333', alias: 'acme-dev', role: 'Operator' });
  await waitForBanner(tab, is(prodOperator), { what: "the organisation's prod" });
  const other = await openAwsConsole(browser, { account: '123456789012', alias: 'team-tools', role: 'Operator' });
  await waitForBanner(other, is({ ...prodOperator, environment: 'unknown' }), { what: 'an account the organisation does not name' });

  const options = await openOptions(browser);
  await options.waitForSelector('#organisation:not([hidden])', { timeout: 2_000 });
  assert.match(await options.textContent('#organisation'), /Its rules win over yours.*locked = true.*cannot be overridden/s);
  assert.equal(await options.textContent('#managed-text'), MANAGED);
  assert.equal(await options.textContent('#notices-empty'), 'None.');

  // The user makes 111122223333 dev, and another account staging, and saves.
  await setEditorText(options, `${await editorText(options)}${accountRule('111122223333', 'dev')}${accountRule('123456789012', 'staging')}`);
  // The preview already applies the organisation's rules.
  await options.fill('#preview-signals', JSON.stringify({ awsNavAccountId: '1111-2222-3333', awsNavUser: 'Operator/jane @ acme-dev' }));
  await options.waitForFunction(() => document.getElementById('preview-banner').dataset.environment === 'prod');
  assert.match(await save(options), /^Saved at/);

  // The save reached the tabs (the other account is staging now), and the locked account stayed prod.
  await waitForBanner(other, is({ ...prodOperator, environment: 'staging' }), { what: "the user's staging rule" });
  await sleep(200);
  assert.equal((await readBanner(tab)).environment, 'prod');

  // The options page lists what the organisation replaced, from the worker's configuration.
  await options.waitForSelector('#notices li');
  assert.deepEqual(await options.$$eval('#notices li', (items) => items.map((i) => i.textContent)), [
    "your AWS account rule for '111122223333' is not used: the organisation's locked rule for '111122223333' decides",
  ]);
  assert.ok(await options.isHidden('#notices-empty'));
  assert.deepEqual(options.errors, []);
});

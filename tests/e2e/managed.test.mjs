// The organisation's configuration, set by a real policy file that `redline policy` wrote (the command
// line an administrator runs): Chromium's managed policy directory, or Firefox's policies.json
// (`3rdparty.Extensions.<gecko id>`). Its locked rule wins over
// the page's alias and over the user's own rule, and the options page shows it and what it replaced.
// Writes /etc/chromium/policies/managed/, or the distribution directory of the Firefox under test
// (needs root), and puts back what was there afterwards: a policy there applies to every such browser
// on the machine.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ENGINE, EXTENSION_ID, ROOT, launchBrowser, readBanner, waitForBanner } from './harness.mjs';
import { accountRule, editorText, inWorker, openAwsConsole, openOptions, save, setEditorText } from './options-page.mjs';

const GECKO_ID = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')).browser_specific_settings.gecko.id;
// Firefox reads one policies.json beside its binary; Chromium every file of its managed directory.
const POLICY_DIR =
  ENGINE === 'firefox' ? join(dirname(realpathSync(process.env.FIREFOX ?? '/usr/bin/firefox-esr')), 'distribution') : '/etc/chromium/policies/managed';
const POLICY_FILE = join(POLICY_DIR, ENGINE === 'firefox' ? 'policies.json' : 'redline-e2e.json');
const MANAGED = [
  '# The organisation: production account 111122223333 is prod, whatever anyone names it.',
  '[[environments]]\nname = "prod"\nkind = "prod"\n',
  '[[environments]]\nname = "dev"\nkind = "dev"\n',
  '[[aws.accounts]]\nid = "111122223333"\nenvironment = "prod"\nlocked = true\n',
].join('\n');

let browser;
/** The policy file `redline policy --browser chrome|firefox` makes of `text`. */
function policyFor(text) {
  const dir = mkdtempSync(join(tmpdir(), 'redline-policy-'));
  try {
    writeFileSync(join(dir, 'organisation.toml'), text);
    execFileSync('cargo', ['build', '--quiet', '--bin', 'redline'], { cwd: ROOT, stdio: 'inherit' });
    const cli = join(process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target'), 'debug/redline');
    return execFileSync(cli, ['policy', join(dir, 'organisation.toml'), '--browser', ENGINE === 'firefox' ? 'firefox' : 'chrome'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// A policies.json the machine had before the test, put back afterwards.
const earlier = existsSync(POLICY_FILE) ? readFileSync(POLICY_FILE) : null;
const putBack = () => (earlier ? writeFileSync(POLICY_FILE, earlier) : rmSync(POLICY_FILE, { force: true }));

before(async () => {
  const policy = policyFor(MANAGED);
  // What the browser will read is what the test expects: the CLI's document, for this extension.
  const expected =
    ENGINE === 'firefox'
      ? { policies: { '3rdparty': { Extensions: { [GECKO_ID]: { config: MANAGED } } } } }
      : { '3rdparty': { extensions: { [EXTENSION_ID]: { config: MANAGED } } } };
  assert.deepEqual(JSON.parse(policy), expected);
  mkdirSync(POLICY_DIR, { recursive: true });
  writeFileSync(POLICY_FILE, policy);
  try {
    browser = await launchBrowser();
  } catch (error) {
    putBack();
    throw error;
  }
});
after(async () => {
  try {
    await browser?.close();
  } finally {
    putBack();
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

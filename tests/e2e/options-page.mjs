// Helpers for the tests of the options page and of configuration changes reaching console tabs.
import { EXTENSION_ID, extensionWorker, serveCase } from './harness.mjs';

export const OPTIONS_URL = `chrome-extension://${EXTENSION_ID}/extension/options/options.html`;
export const CONSOLE = 'https://eu-west-2.console.aws.amazon.com';

/** The options page, ready (wasm loaded, editor filled and checked). Page errors fail the caller's checks. */
export async function openOptions(browser) {
  const page = await browser.context.newPage();
  page.errors = [];
  page.on('pageerror', (error) => page.errors.push(String(error)));
  page.on('console', (message) => message.type() === 'error' && page.errors.push(message.text()));
  await page.goto(OPTIONS_URL);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 10_000 });
  return page;
}

/** Runs `fn` in the extension's service worker (started again if it stopped). */
export async function inWorker(browser, fn, arg) {
  const worker = await extensionWorker(browser.context);
  return worker.evaluate(fn, arg);
}

/** Empties local and sync storage (the seed configuration is in force again) and closes every tab but a blank one. */
export async function resetStorage(browser) {
  await inWorker(browser, async () => {
    await chrome.storage.local.clear();
    await chrome.storage.sync.clear();
  });
  const blank = await browser.context.newPage();
  for (const page of browser.context.pages()) if (page !== blank) await page.close();
}

export const storedConfig = (browser) => inWorker(browser, async () => (await chrome.storage.local.get('config')).config ?? null);

/** A console page of an AWS account as the new navbar shows it, opened in a tab. */
export async function openAwsConsole(browser, { account, alias, role }) {
  // One URL per case: fixtures are keyed without the fragment.
  const url = `${CONSOLE}/console/home?region=eu-west-2&case=${account}-${encodeURIComponent(role)}-${encodeURIComponent(alias)}`;
  const dashed = account.replace(/(\d{4})(\d{4})(\d{4})/, '$1-$2-$3');
  const signals = { awsNavAccountId: dashed, awsNavPrincipal: `Federated user: ${role}/jane`, awsNavUser: `${role}/jane @ ${alias}` };
  await serveCase(browser, { url, signals });
  const page = await browser.context.newPage();
  await page.goto(url);
  // Marks this document: still there afterwards means the page was not reloaded.
  await page.evaluate(() => {
    window.redlineTestDocument = 'original';
  });
  return page;
}

export const sameDocument = (page) => page.evaluate(() => window.redlineTestDocument === 'original');

/** Replaces the editor's text the way a paste does (one input event), then waits for the check. */
export async function setEditorText(page, text) {
  await page.evaluate((value) => {
    const editor = document.getElementById('editor');
    editor.value = value;
    editor.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
  }, text);
  await page.waitForSelector('#editor:not([data-state="checking"])', { timeout: 10_000 });
}

export const editorText = (page) => page.inputValue('#editor');

/** Clicks Save once it is enabled and waits for the outcome message. */
export async function save(page) {
  await page.waitForSelector('#editor[data-state="valid"]', { timeout: 10_000 });
  await page.click('#save');
  await page.waitForFunction(() => !/^Saving|^$/.test(document.getElementById('save-status').textContent), null, { timeout: 10_000 });
  return page.textContent('#save-status');
}

/** AWS account rules: `[[aws.accounts]]` entries. */
export const accountRule = (id, environment) => `\n[[aws.accounts]]\nid = "${id}"\nenvironment = "${environment}"\n`;

// Helpers for the tests of the options page and of configuration changes reaching console tabs.
import { EXTENSION_BASE, extensionWorker, serveCase } from './harness.mjs';

export const OPTIONS_URL = `${EXTENSION_BASE}extension/options/options.html`;
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

/** Runs `fn` in the extension's service worker (started again if it stopped); in Firefox, in an extension page. */
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

/** Replaces the text of the field `selector` the way a paste does: one input event (Playwright's fill types a long text too slowly). */
export async function paste(page, selector, text) {
  await page.$eval(
    selector,
    (field, value) => {
      field.value = value;
      field.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertFromPaste' }));
    },
    text,
  );
}

/** Replaces the editor's text the way a paste does, then waits for the check. */
export async function setEditorText(page, text) {
  await paste(page, '#editor', text);
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

/**
 * The import report's rows a person sees: those between the report's header and its bottom edge
 * (the report scrolls in a box of its own), as their row number in the whole report (the header is
 * row 1), where they stand (the same number when the rows above them are as high as the rows
 * drawn) and their cells' texts; whether they leave no gap in that box; the row count the table
 * states; how many rows are in the table. Runs in the page.
 */
export function reportInViewInPage() {
  const view = document.getElementById('import-report');
  const bottom = view.getBoundingClientRect().top + view.clientTop + view.clientHeight;
  // The header's cells stick to the top of the box (the row group they are in does not).
  const headerBottom = view.querySelector('thead th').getBoundingClientRect().bottom;
  const seen = [...view.querySelectorAll('tbody tr')].filter((row) => {
    const { top, bottom: rowBottom } = row.getBoundingClientRect();
    return rowBottom > headerBottom && top < bottom && row.getAttribute('aria-hidden') !== 'true';
  });
  const bodyTop = view.querySelector('tbody').getBoundingClientRect().top;
  const rows = seen.map((row) => {
    const { top, height } = row.getBoundingClientRect();
    const index = Number(row.getAttribute('aria-rowindex'));
    // Where the row stands, in rows from the report's first: its number, if every row is as high.
    const place = (top - bodyTop) / height + 2;
    return { index, place, cells: [...row.cells].map((cell) => cell.textContent) };
  });
  const rowCount = Number(view.querySelector('table').getAttribute('aria-rowcount'));
  // Rows from the header down to the bottom edge, or to the report's last row.
  const covered =
    seen.length > 0 &&
    seen[0].getBoundingClientRect().top <= headerBottom &&
    (seen.at(-1).getBoundingClientRect().bottom >= bottom || rows.at(-1).index === rowCount);
  return { rows, covered, rowCount, drawn: view.querySelectorAll('tbody tr[aria-rowindex]').length };
}

/**
 * `count` profiles of AWS Extend Switch Roles: a base profile to sign in through, then one profile
 * per account, prod ones (a quarter) with an alias. The import reports every line, and each
 * profile's header twice: 7 rows a profile, 8 a prod one.
 */
export function aesrProfiles(count) {
  let text = '[acme-identity]\naws_account_id = 999988887777\ntarget_role_name = Operator\ntarget_region = eu-west-2\n';
  for (let i = 0; i < count; i++) {
    const environment = ['dev', 'ci', 'staging', 'prod'][i % 4];
    text += `\n[team-${i}-${environment}]\nsource_profile = acme-identity\naws_account_id = ${100_000_000_000 + i}\n`;
    text += environment === 'prod' ? `role_name = Admin\naws_account_alias = acme-${i}-prod\n` : 'role_name = Operator\n';
    text += `color = ${['1e6b35', '6a1b9a', 'b06000', 'b3261e'][i % 4]}\nregion = eu-west-2\n`;
  }
  return text;
}

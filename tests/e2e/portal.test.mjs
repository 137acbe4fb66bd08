// The IAM Identity Center access portal teaches redline the accounts and permission sets it lists:
// they become switch targets in the popup and names in later banners. Names and ids only.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { portalPage } from './fixture-pages.mjs';
import { CHROMIUM_ONLY, ENGINE, launchBrowser, serveCase, waitFor, waitForBanner } from './harness.mjs';
import { openPopup, resetBrowser } from './popup-page.mjs';
import { openOptions } from './options-page.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());
beforeEach(() => resetBrowser(browser));

const PORTAL = 'https://d-1234567890.awsapps.com';
const ACCOUNTS = [
  { id: '111122223333', name: 'Acme Prod', email: 'prod@acme.example', roles: ['ReadOnlyAccess', 'AdministratorAccess'] },
  { id: '444455556666', name: 'Acme Sandbox', email: 'sandbox@acme.example', roles: ['PowerUserAccess'] },
];

const learned = () => browser.worker.evaluate(async () => (await chrome.storage.local.get('learned')).learned ?? null);

test('the portal page, rendered late, teaches targets and account names; a later banner and the popup use them', { skip: ENGINE === 'firefox' && CHROMIUM_ONLY.popup }, async () => {
  const url = `${PORTAL}/start/#/?tab=accounts`;
  browser.fixtures.set(url, portalPage({ url, accounts: ACCOUNTS, lateMs: 400 }));
  // The portal's own session cookie: never read.
  await browser.context.addCookies([{ name: 'x-amz-sso_authn', value: 'secret-session-token', domain: 'd-1234567890.awsapps.com', path: '/', secure: true }]);
  const portal = await browser.context.newPage();
  await portal.goto(url);

  const stored = await waitFor(portal, learned, (value) => value?.[`${PORTAL}/start`]?.text.includes('Acme Sandbox'), { what: 'what the portal taught' });
  const { text } = stored[`${PORTAL}/start`];
  assert.deepEqual(Object.keys(stored), [`${PORTAL}/start`]);
  assert.match(text, /label = "Acme Prod · AdministratorAccess"/);
  assert.doesNotMatch(text, /secret-session-token/);

  // A console tab of that account, signed in through Identity Center: named after the portal.
  const consoleUrl = 'https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2&case=portal';
  await serveCase(browser, {
    url: consoleUrl,
    signals: {
      awsSessionData: { accountId: '111122223333', sessionARN: 'arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_ReadOnlyAccess_0123456789abcdef/jane' },
    },
  });
  const tab = await browser.context.newPage();
  await tab.goto(consoleUrl);
  const banner = await waitForBanner(tab, (b) => b.text.includes('Acme Prod'), { what: 'a banner naming Acme Prod' });
  assert.equal(banner.environment, 'prod', 'the learned name says prod');

  const popup = await openPopup(browser, tab);
  await popup.type('acme');
  const rows = (await popup.waitFor((s) => s.shownFor === 'acme' && s.rows.length === 3, { what: 'the learned targets' })).rows;
  assert.deepEqual(rows.map((row) => [row.label, row.current, row.severity]), [
    ['Acme Sandbox · PowerUserAccess', false, 'info'],
    ['Acme Prod · ReadOnlyAccess', true, 'info'],
    ['Acme Prod · AdministratorAccess', false, 'danger'],
  ]);

  // Switching to a learned permission set goes through the portal, back to this page.
  await popup.press('ArrowDown');
  await popup.press('ArrowDown');
  await popup.press('Enter');
  await popup.waitFor((s) => s.confirm !== null, { what: 'the prod admin confirmation' });
  // Enter right after the confirmation opened is ignored (a double Enter): a deliberate one later.
  await sleep(600);
  await popup.press('Enter');
  await tab.waitForURL(`${PORTAL}/start/#/console?account_id=111122223333&role_name=AdministratorAccess&destination=${encodeURIComponent(consoleUrl)}`);
});

test('only the portal pages teach (not WorkMail), the options page lists what each portal taught, and Forget removes it', async () => {
  // WorkMail's web client lives on the same host: the portal reader does not run there.
  const mail = `${PORTAL}/mail/`;
  browser.fixtures.set(mail, portalPage({ url: mail, accounts: ACCOUNTS }));
  const workmail = await browser.context.newPage();
  await workmail.goto(mail);
  await sleep(800);
  assert.equal(await learned(), null, 'nothing learned outside the portal');
  await workmail.close();

  const url = `${PORTAL}/start/#/?tab=accounts`;
  browser.fixtures.set(url, portalPage({ url, accounts: ACCOUNTS }));
  const portal = await browser.context.newPage();
  await portal.goto(url);
  await waitFor(portal, learned, (value) => value?.[`${PORTAL}/start`]?.accounts?.length === 2, { what: 'what the portal taught' });

  const options = await openOptions(browser);
  const listed = await options.locator('#learned li').allTextContents();
  assert.equal(listed.length, 1);
  assert.match(listed[0], new RegExp(`^${PORTAL}/start · learned .* · 2 accounts: Acme Prod \\(111122223333\\), Acme Sandbox \\(444455556666\\)`));
  await options.getByRole('button', { name: `Forget what ${PORTAL}/start taught` }).click();
  await waitFor(options, learned, (value) => value !== null && Object.keys(value).length === 0, { what: 'the lesson forgotten' });
  await options.waitForSelector('#learned-empty:not([hidden])');
  assert.deepEqual(options.errors, []);
});

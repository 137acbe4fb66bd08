// The toolbar popup, opened as a click on the toolbar button opens it: every switch target grouped
// by environment (prod last, set apart), the active tab's identity and the identities open in
// other tabs marked, filtered by the core as you type (from the first key, before the rows come),
// driven by the keyboard alone, and fast at 5,000 targets because only the rows in view are laid
// out.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { CHROMIUM_ONLY, ENGINE, extensionWorker, launchBrowser, serveCase, waitForBanner } from './harness.mjs';
import { SEED, TARGETS, openPopup, readAllItems, resetBrowser, saveConfig } from './popup-page.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());
beforeEach(() => resetBrowser(browser));

const HOST = 'https://eu-west-2.console.aws.amazon.com';

/** An AWS console tab signed in as `role` in `account`, its banner painted. */
async function awsTab(url, account, alias, role, extra = {}) {
  const dashed = account.replace(/(\d{4})(\d{4})(\d{4})/, '$1-$2-$3');
  await serveCase(browser, { url, signals: { awsNavAccountId: dashed, awsNavUser: `${role}/jane @ ${alias}`, ...extra } });
  const page = await browser.context.newPage();
  await page.goto(url);
  await waitForBanner(page, (b) => b.environment !== 'unknown', { what: `the banner of ${alias}` });
  return page;
}

const labelsOf = (state) => state.rows.map((row) => row.label);
const STAGING_ADMIN = "acme-staging Admin, for the release team's change window on Thursdays";

test('targets are grouped by environment with prod last and set apart; the active tab is marked; filtering is multi-word', async () => {
  await saveConfig(browser, SEED + TARGETS);
  const tab = await awsTab(`${HOST}/ec2/home?region=eu-west-2&case=popup-groups`, '222233334444', 'acme-staging', 'Operator');
  const popup = await openPopup(browser, tab);
  try {
    const items = await readAllItems(popup);
    const headings = items.filter((item) => item.heading).map((item) => item.heading);
    assert.deepEqual(headings, ['DEV', 'STAGING', 'PROD'], 'one heading per environment, prod last');
    assert.equal(items.filter((item) => item.heading).at(-1).kind, 'prod');
    assert.equal(items.filter((item) => item.row !== undefined).length, 14, 'every target, laid out as the list scrolls');
    // Everything after the prod heading is prod; read-only before admin in the same account.
    const prodRows = items.slice(items.findIndex((item) => item.kind === 'prod') + 1).map((item) => item.label);
    assert.ok(prodRows.includes('acme-prod admin') && prodRows.includes('govuk-paas') && prodRows.includes('GDS Prod London'), prodRows.join(' | '));
    assert.ok(prodRows.indexOf('Operator @ acme-prod') < prodRows.indexOf('acme-prod admin'), prodRows.join(' | '));

    const state = await popup.read();
    const current = state.rows.filter((row) => row.current);
    assert.deepEqual(current.map((row) => [row.label, row.mark]), [['Operator @ acme-staging', 'this tab']]);
    // The first row is selected: the popup opened, Enter switches to it.
    assert.equal(state.rows.find((row) => row.selected)?.position, items.find((item) => item.row !== undefined).row);
    assert.equal(state.activeDescendant, `row-${state.rows.find((row) => row.selected).position}`);
    assert.equal(state.focused, 'filter');

    // Every word must match, in any case: names, ids with or without dashes, roles, environments.
    await popup.type('Staging ADM');
    assert.deepEqual(labelsOf(await popup.waitFor((s) => s.shownFor === 'Staging ADM', { what: 'one staging admin' })), [
      STAGING_ADMIN,
    ]);
    await popup.press('Escape');
    await popup.type('2222-3333-4444 OPER');
    assert.deepEqual(labelsOf(await popup.waitFor((s) => s.shownFor === '2222-3333-4444 OPER')), ['Operator @ acme-staging']);
    await popup.press('Escape');
    await popup.type('222233334444');
    assert.deepEqual(labelsOf(await popup.waitFor((s) => s.shownFor === '222233334444')), ['Operator @ acme-staging', STAGING_ADMIN], 'both roles of the account');
    await popup.press('Escape');
    await popup.type('nothing-like-this');
    const none = await popup.waitFor((s) => s.empty !== null, { what: 'no match' });
    assert.equal(none.rows.length, 0);
    assert.equal(none.activeDescendant, null);
  } finally {
    await popup.close();
  }
});

test('keyboard only: type, ↓, Enter: the Google Cloud project opens in the same tab, the rest of the page kept', async () => {
  await saveConfig(browser, SEED + TARGETS);
  const url = 'https://console.cloud.google.com/compute/instances?project=paas-development-210707&authuser=1';
  await serveCase(browser, { url, signals: { gcpProjectName: 'PaaS Development' } });
  const tab = await browser.context.newPage();
  await tab.goto(url);
  await waitForBanner(tab, (b) => b.environment === 'dev', { what: 'the dev project banner' });
  const target = 'https://console.cloud.google.com/compute/instances?project=govuk-paas&authuser=1';
  await serveCase(browser, { url: target, signals: { gcpProjectName: 'GOV.UK PaaS' } });

  const popup = await openPopup(browser, tab);
  await popup.type('paas');
  const both = await popup.waitFor((s) => s.shownFor === 'paas' && s.rows.length === 2, { what: 'both projects' });
  // Dev first (the active tab's, marked), prod last.
  assert.deepEqual(both.rows.map((row) => [row.label, row.current, row.selected]), [
    ['paas-development-210707', true, true],
    ['govuk-paas', false, false],
  ]);
  await popup.press('ArrowDown');
  assert.deepEqual((await popup.read()).rows.map((row) => row.selected), [false, true]);
  await popup.press('Enter');
  await popup.closed;
  await tab.waitForURL(target);
  await waitForBanner(tab, (b) => b.environment === 'prod', { what: 'the prod project banner' });
  assert.equal(browser.context.pages().length, 2, 'no new tab');
});

test('from a tab that is not a console, Azure and Aiven targets open in a new tab', async () => {
  await saveConfig(browser, SEED + TARGETS);
  const url = 'https://intranet.example.com/runbooks/switching';
  browser.fixtures.set(url, '<!doctype html><title>Runbook</title><h1>Runbook</h1>');
  const tab = await browser.context.newPage();
  await tab.goto(url);

  const cases = [
    ['gds london', 'https://portal.azure.com/#@digital.cabinet-office.gov.uk/view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/6f1c2a9e-58c1-4d5e-9b7a-2c3d4e5f6a7b'],
    ['contoso', 'https://portal.azure.com/#@contoso.onmicrosoft.com/view/Microsoft_Azure_PIMCommon/ActivationMenuBlade/~/aadmigratedroles'],
    ['aiven staging', 'https://console.aiven.io/project/staging/services'],
  ];
  for (const [query, expected] of cases) {
    const popup = await openPopup(browser, tab);
    await popup.type(query);
    await popup.waitFor((s) => s.shownFor === query && s.rows.length === 1, { what: `one row for '${query}'` });
    const [opened] = await Promise.all([browser.context.waitForEvent('page'), popup.press('Enter')]);
    await opened.waitForURL(expected);
    assert.equal(tab.url(), url, 'the active tab stays where it was');
    await opened.close();
    await popup.close();
  }
});

test('without targets the popup says how to add them', async () => {
  await saveConfig(browser, SEED);
  const url = 'https://intranet.example.com/runbooks/no-targets';
  browser.fixtures.set(url, '<!doctype html><title>Runbook</title><h1>Runbook</h1>');
  const tab = await browser.context.newPage();
  await tab.goto(url);
  const popup = await openPopup(browser, tab);
  try {
    const state = await popup.read();
    assert.deepEqual(state.items, []);
    assert.equal(state.empty, 'No switch targets yet: add [[targets]] to your configuration.');
    assert.equal(state.status, '', 'no error');
    assert.equal(state.access, null, 'the console sites are granted at install: no notice');
    assert.equal(state.focused, 'filter');
  } finally {
    await popup.close();
  }
});

test('identities signed in to other console tabs are marked "open in a tab"', async () => {
  await saveConfig(browser, SEED + TARGETS);
  const session = (account, role, differentiator) => ({
    awsSessionData: { accountId: account, sessionARN: `arn:aws:sts::${account}:assumed-role/${role}/jane`, prismModeEnabled: true, signInEndpoint: 'eu-west-2.signin.aws.amazon.com', sessionDifferentiator: differentiator },
  });
  const prod = await awsTab(`https://111122223333-abcd1234.eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2`, '111122223333', 'acme-prod', 'Operator', session('111122223333', 'Operator', 'abcd1234'));
  await awsTab(`https://333344445555-efgh5678.eu-west-2.console.aws.amazon.com/s3/buckets?region=eu-west-2`, '333344445555', 'acme-dev', 'Admin', session('333344445555', 'Admin', 'efgh5678'));

  const popup = await openPopup(browser, prod);
  try {
    await popup.evaluate(() => {
      const list = document.getElementById('list');
      list.style.height = '2000px'; // every row in view at once
      list.dispatchEvent(new Event('scroll'));
    });
    const state = await popup.waitFor((s) => s.rows.length === 14, { what: 'every row laid out' });
    const marked = state.rows.filter((row) => row.mark).map((row) => [row.label, row.mark]);
    assert.deepEqual(marked, [
      ['Admin @ acme-dev', 'open in a tab'],
      ['Operator @ acme-prod', 'this tab'],
    ]);
  } finally {
    await popup.close();
  }
});

test('at 5,000 targets only the rows in view are laid out, and the last one is reachable', async (t) => {
  let text = SEED;
  for (let i = 0; i < 5_000; i++) {
    const id = String(100_000_000_000 + i);
    const environment = ['dev', 'ci', 'staging', 'prod'][i % 4];
    text += `\n[[aws.accounts]]\nid = "${id}"\nenvironment = "${environment}"\n\n[[targets]]\nprovider = "aws"\nlabel = "team-${i}"\naccount = "${id}"\nrole = "Operator"\nregion = "eu-west-2"\n`;
  }
  await saveConfig(browser, text);
  const tab = await awsTab(`${HOST}/ec2/home?region=eu-west-2&case=popup-5000`, '100000004999', 'team-tools', 'Operator');

  const popup = await openPopup(browser, tab, { timeout: 15_000 });
  try {
    const state = await popup.read();
    assert.ok(state.rows.length > 5 && state.rows.length <= 20, `${state.rows.length} rows laid out`);
    assert.equal(state.rows[0].setSize, 5_000);
    assert.equal(state.scrollHeight, 5_000 * 46 + 4 * 28, 'the whole list is scrollable');
    const load = await popup.evaluate(() => performance.getEntriesByName('redline:popup-list')[0]?.startTime ?? null);
    t.diagnostic(`5,000 targets: list drawn ${Math.round(load)} ms after the popup's navigation start`);

    // PageDown and a scroll to the end show later rows, still only a view's worth.
    await popup.press('PageDown');
    assert.ok((await popup.read()).rows.some((row) => row.selected && row.label === 'team-32'));
    await popup.evaluate(() => {
      const list = document.getElementById('list');
      list.scrollTop = list.scrollHeight;
    });
    const end = await popup.waitFor((s) => s.rows.some((row) => row.label === 'team-4999'), { what: 'the last row' });
    assert.ok(end.rows.length <= 20, `${end.rows.length} rows laid out`);
    assert.ok(end.rows.find((row) => row.label === 'team-4999').current, 'the active tab is account 4999');

    await popup.type('team-4999');
    assert.deepEqual(labelsOf(await popup.waitFor((s) => s.shownFor === 'team-4999' && s.rows.length === 1)), ['team-4999']);
  } finally {
    await popup.close();
  }
});

test('keys typed while the rows are on their way are kept and filter the rows once they come', { skip: ENGINE === 'firefox' && CHROMIUM_ONLY.oneProcess }, async () => {
  await saveConfig(browser, SEED + TARGETS);
  const tab = await awsTab(`${HOST}/ec2/home?region=eu-west-2&case=popup-early-keys`, '222233334444', 'acme-staging', 'Operator');
  // The worker is kept busy for 2 s (as configuring thousands of targets would keep it): the rows
  // come after every key.
  const worker = await extensionWorker(browser.context);
  const busy = worker.evaluate(() => {
    const end = performance.now() + 2_000;
    while (performance.now() < end);
  });
  const popup = await openPopup(browser, tab, { until: (s) => s.focused === 'filter' });
  try {
    await popup.type('Staging ADM');
    assert.equal((await popup.read()).ready, false, 'typed before the rows came');
    const state = await popup.waitFor((s) => s.shownFor === 'Staging ADM', { what: 'the typed query answered' });
    assert.deepEqual(labelsOf(state), [STAGING_ADMIN]);
    assert.equal(state.filter, 'Staging ADM');
    assert.ok(state.rows[0].selected, 'Enter would switch to it');
  } finally {
    await popup.close();
    await busy;
  }
});

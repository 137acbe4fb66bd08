// Switching AWS roles from the popup, with AWS's sign-in hosts served locally so that every request
// is seen: the classic switch posts AWS's own form with the console's CSRF token (read from the
// page's main world, which the toolbar click's activeTab grant allows), multi-session asks the
// session endpoint and opens its answer in a new tab, and without a token the prefilled
// switch-role page opens. Admin in prod is confirmed inside the popup first.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { consolePage } from './fixture-pages.mjs';
import { launchBrowser, waitForBanner } from './harness.mjs';
import { SEED, TARGETS, openPopup, resetBrowser, saveConfig } from './popup-page.mjs';

let browser;
let signIn; // requests to the sign-in hosts, and how to answer the next ones
before(async () => {
  browser = await launchBrowser();
  signIn = { requests: [], answer: null };
  const record = async (route) => {
    const request = route.request();
    signIn.requests.push({
      url: request.url(),
      method: request.method(),
      navigation: request.isNavigationRequest(),
      headers: await request.allHeaders(),
      body: request.postData(),
    });
    if (request.method() === 'POST' && new URL(request.url()).pathname.endsWith('/v1/switchrole')) {
      const origin = request.headers().origin;
      return route.fulfill({
        contentType: 'application/json',
        headers: { 'access-control-allow-origin': origin, 'access-control-allow-credentials': 'true' },
        body: JSON.stringify(signIn.answer),
      });
    }
    return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>Switch Role</title><h1>Switch Role</h1>' });
  };
  for (const hosts of ['https://signin.aws.amazon.com/**', 'https://*.signin.aws.amazon.com/**', 'https://signin.amazonaws-us-gov.com/**']) {
    await browser.context.route(hosts, record);
  }
});
after(() => browser?.close());
beforeEach(async () => {
  await resetBrowser(browser);
  signIn.requests.length = 0;
  await saveConfig(browser, SEED + TARGETS);
});

const EC2 = 'https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2#Instances:';
const STAGING_ADMIN = "acme-staging Admin, for the release team's change window on Thursdays";

const ACME_DEV = { accountId: '333344445555', accountAlias: 'acme-dev', sessionARN: 'arn:aws:sts::333344445555:assumed-role/Operator/jane' };

/** The meta tag of the acme-dev Operator tab under multi-session, with the sign-in endpoint it names. */
const multiSession = (signInEndpoint) => ({ ...ACME_DEV, prismModeEnabled: true, signInEndpoint, sessionDifferentiator: 'abcd1234' });

/** An AWS console tab of acme-dev, Operator; `csrf` is the token its main world gives. */
async function devConsole(url, { csrf, signals = {} } = {}) {
  const all = { awsSessionData: ACME_DEV, awsNavAccountId: '3333-4444-5555', awsNavUser: 'Operator/jane', ...signals };
  browser.fixtures.set(url, consolePage({ url, signals: all, csrf }));
  const page = await browser.context.newPage();
  await page.goto(url);
  await waitForBanner(page, (b) => b.environment === 'dev', { what: 'the acme-dev banner' });
  return page;
}

/** Opens the popup on `tab`, filters to one row with `query` and presses Enter. */
async function switchWith(tab, query) {
  const popup = await openPopup(browser, tab);
  await popup.type(query);
  await popup.waitFor((s) => s.shownFor === query && s.rows.length === 1, { what: `one row for '${query}'` });
  await popup.press('Enter');
  return popup;
}

const waitForRequest = async (accept, what) => {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const found = signIn.requests.find(accept);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no ${what}; requests: ${JSON.stringify(signIn.requests.map((r) => [r.method, r.url]))}`);
    await sleep(25);
  }
};

test("classic switch: AWS's form is posted top-level with the console's CSRF token and exactly its fields", async () => {
  await browser.context.addCookies([{ name: 'aws-signin-session', value: 'signed-in', domain: 'signin.aws.amazon.com', path: '/', secure: true }]);
  const tab = await devConsole(EC2, { csrf: 'tok-123' });
  const popup = await switchWith(tab, 'staging thursdays');
  await popup.closed;
  const post = await waitForRequest((r) => r.method === 'POST', 'switch-role POST');
  assert.equal(post.url, 'https://signin.aws.amazon.com/switchrole');
  assert.ok(post.navigation, 'a top-level navigation of the console tab');
  assert.match(post.headers['content-type'], /^application\/x-www-form-urlencoded/);
  assert.match(post.headers.cookie ?? '', /aws-signin-session=signed-in/, "AWS's sign-in cookies go with it");
  assert.deepEqual([...new URLSearchParams(post.body)], [
    ['action', 'switchFromBasis'],
    ['src', 'nav'],
    ['mfaNeeded', '0'],
    ['csrf', 'tok-123'],
    ['account', '222233334444'],
    ['roleName', 'Admin'],
    ['displayName', STAGING_ADMIN.slice(0, 64)],
    ['color', 'ffb000'],
    // AWS's own form sends the console URL already percent-encoded in this field.
    ['redirect_uri', encodeURIComponent(EC2)],
  ]);
  assert.equal(STAGING_ADMIN.slice(0, 64).length, 64);
  await tab.waitForURL('https://signin.aws.amazon.com/switchrole');
  assert.equal(browser.context.pages().length, 2, 'no new tab');
});

test('Admin in prod is confirmed in the popup (Esc cancels, Enter confirms); without a CSRF token the prefilled switch-role page opens', async () => {
  const url = 'https://eu-west-2.console.aws.amazon.com/s3/buckets?region=eu-west-2';
  const tab = await devConsole(url);
  const popup = await switchWith(tab, 'acme-prod admin');
  const asked = await popup.waitFor((s) => s.confirm !== null, { what: 'the confirmation' });
  assert.equal(asked.confirm, 'Switch to Admin in prod? It is admin access in production.');
  assert.equal(asked.focused, 'confirm-yes');
  await popup.press('Escape');
  const cancelled = await popup.waitFor((s) => s.confirm === null, { what: 'the confirmation to go' });
  assert.equal(cancelled.focused, 'filter');
  await sleep(300);
  assert.deepEqual(signIn.requests, [], 'nothing sent after Esc');
  assert.equal(tab.url(), url);

  await popup.press('Enter');
  await popup.waitFor((s) => s.confirm !== null, { what: 'the confirmation again' });
  // Enter right after the confirmation opened is ignored (a double Enter): a deliberate one later.
  await sleep(600);
  await popup.press('Enter');
  const get = await waitForRequest((r) => r.method === 'GET', 'the prefilled page');
  const prefilled = new URL(get.url);
  assert.equal(prefilled.origin + prefilled.pathname, 'https://signin.aws.amazon.com/switchrole');
  assert.deepEqual(Object.fromEntries(prefilled.searchParams), {
    account: '111122223333',
    accountId: '111122223333',
    roleName: 'Admin',
    displayName: 'acme-prod admin',
    redirect_uri: url,
  });
  assert.ok(get.navigation);
  await tab.waitForURL(get.url);
  assert.equal(signIn.requests.filter((r) => r.method === 'POST').length, 0, 'no POST without a token');
});

test('a double Enter on the prod Admin row stays on the confirmation and switches nothing', async () => {
  const url = 'https://eu-west-2.console.aws.amazon.com/s3/buckets?region=eu-west-2&double-enter';
  const tab = await devConsole(url);
  const popup = await switchWith(tab, 'acme-prod admin');
  await popup.press('Enter');
  await sleep(300);
  const state = await popup.read();
  assert.equal(state.confirm, 'Switch to Admin in prod? It is admin access in production.', 'still asking');
  assert.equal(state.focused, 'confirm-yes');
  assert.deepEqual(signIn.requests, [], 'nothing sent');
  assert.equal(tab.url(), url);
});

test('multi-session: the session endpoint is asked from the console page, its destination opens in a new tab; an empty one is refused in the popup', async () => {
  const url = 'https://333344445555-abcd1234.eu-west-2.console.aws.amazon.com/s3/buckets?region=eu-west-2';
  const awsSessionData = multiSession('eu-west-2.signin.aws.amazon.com');
  await browser.context.addCookies([{ name: 'aws-signin-session', value: 'multi', domain: 'eu-west-2.signin.aws.amazon.com', path: '/', secure: true }]);
  const tab = await devConsole(url, { csrf: 'tok-123', signals: { awsSessionData } });

  const destination = 'https://eu-west-2.console.aws.amazon.com/s3/buckets?region=eu-west-2&login_hint=abc';
  signIn.answer = { destination };
  const [opened] = await Promise.all([browser.context.waitForEvent('page'), switchWith(tab, 'operator acme-prod')]);
  await opened.waitForURL(destination);
  assert.equal(tab.url(), url, 'the console tab stays');
  const post = await waitForRequest((r) => r.method === 'POST', 'the session switch');
  assert.equal(post.url, 'https://eu-west-2.signin.aws.amazon.com/sessions/abcd1234/v1/switchrole');
  assert.equal(post.navigation, false);
  assert.equal(post.headers['x-csrf-protection'], '1');
  assert.equal(post.headers['content-type'], 'application/json');
  assert.equal(post.headers.origin, 'https://333344445555-abcd1234.eu-west-2.console.aws.amazon.com', "from the console page's origin");
  assert.match(post.headers.cookie ?? '', /aws-signin-session=multi/, 'with credentials');
  assert.deepEqual(JSON.parse(post.body), {
    account: '111122223333',
    roleName: 'Operator',
    displayName: 'Operator @ 111122223333',
    color: '',
    redirectUri: 'https://eu-west-2.console.aws.amazon.com/s3/buckets?region=eu-west-2',
  });
  await opened.close();

  signIn.answer = { destination: '' };
  const pages = browser.context.pages().length;
  const popup = await switchWith(tab, 'operator acme-prod');
  const refused = await popup.waitFor((s) => s.statusKind === 'error', { what: 'the refusal' });
  assert.equal(refused.status, 'This session may not switch to that role.');
  assert.equal(browser.context.pages().length, pages, 'no new tab');
  await popup.close();
});

test("multi-session: a meta tag naming a foreign signInEndpoint gets no request there; AWS's own switch-role form is posted instead", async () => {
  const url = 'https://333344445555-abcd1234.eu-west-2.console.aws.amazon.com/s3/buckets?region=eu-west-2&foreign';
  const foreign = [];
  await browser.context.route('https://evil.example/**', (route) => {
    foreign.push(route.request().url());
    return route.fulfill({ contentType: 'application/json', body: JSON.stringify({ destination: 'https://evil.example/phish' }) });
  });
  const awsSessionData = multiSession('evil.example');
  const tab = await devConsole(url, { csrf: 'tok-123', signals: { awsSessionData } });
  const popup = await switchWith(tab, 'operator acme-prod');
  await popup.closed;
  const post = await waitForRequest((r) => r.method === 'POST', "AWS's switch-role form");
  assert.equal(post.url, 'https://signin.aws.amazon.com/switchrole');
  assert.deepEqual(foreign, [], 'nothing sent to the foreign endpoint');
  await browser.context.unroute('https://evil.example/**');
});

test('multi-session: an answer whose destination is not an AWS console or sign-in page is not opened', async () => {
  const url = 'https://333344445555-abcd1234.eu-west-2.console.aws.amazon.com/s3/buckets?region=eu-west-2&bad-answer';
  const awsSessionData = multiSession('eu-west-2.signin.aws.amazon.com');
  const tab = await devConsole(url, { csrf: 'tok-123', signals: { awsSessionData } });
  signIn.answer = { destination: 'https://signin.aws.amazon.com.evil.example/phish' };
  const pages = browser.context.pages().length;
  const popup = await switchWith(tab, 'operator acme-prod');
  const refused = await popup.waitFor((s) => s.statusKind === 'error', { what: 'the refusal' });
  assert.equal(refused.status, 'The AWS sign-in service answered with an unexpected link.');
  assert.equal(browser.context.pages().length, pages, 'no new tab');
  await popup.close();
});

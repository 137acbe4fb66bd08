// The extension must not be visible to the console's server or exploitable by the console's page:
// no CSP violation (reported to the site), no page string parsed as HTML.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { consolePage } from './fixture-pages.mjs';
import { fixtureRow, launchBrowser, matchesExpectation, serveCase, waitForBanner } from './harness.mjs';

// CSP reports are sent asynchronously after the violation.
const REPORT_WAIT_MS = 1_000;

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

/**
 * Opens `url` and gathers every trace of a CSP violation: the page's securitypolicyviolation events
 * (listener installed by the devtools protocol before any page script, so the page's CSP does not
 * block it), reports sent to the site, and console messages (where an isolated-world content
 * script's own CSP trouble shows up).
 */
async function openWatchingCsp(url) {
  const page = await browser.context.newPage();
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (event) => {
      window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}`);
    });
  });
  const consoleMessages = [];
  page.on('console', (message) => consoleMessages.push(message.text()));
  const reportsBefore = browser.fixtures.cspReports.length;
  await page.goto(url);
  return {
    page,
    async traces() {
      await sleep(REPORT_WAIT_MS);
      return {
        events: await page.evaluate(() => window.__cspViolations),
        reports: browser.fixtures.cspReports.slice(reportsBefore).map((r) => r.body),
        // Firefox writes "Content-Security-Policy:" and names a content script's origin moz-extension.
        console: consoleMessages.filter((text) => /chrome-extension|moz-extension|Content[ -]Security[ -]Policy/i.test(text)),
      };
    },
  };
}

test('the CSP watchers see a violation the page itself causes (control)', async () => {
  const row = fixtureRow('aws.json', 'aws-strict-csp');
  const url = 'https://eu-west-2.console.aws.amazon.com/ec2/home?control';
  const html = consolePage({ signals: row.signals }).replace('</head>', '<style>main { color: red; }</style>\n</head>');
  browser.fixtures.set(url, html, { csp: row.serve.csp });
  const { page, traces } = await openWatchingCsp(url);
  try {
    const seen = await traces();
    assert.equal(seen.events.length, 1, `page event: ${JSON.stringify(seen)}`);
    assert.equal(seen.reports.length, 1, `report to the site: ${JSON.stringify(seen)}`);
    assert.equal(seen.console.length, 1, `console message: ${JSON.stringify(seen)}`);
  } finally {
    await page.close();
  }
});

// The aws-strict-csp row under its own policy, and the other consoles' pages under the same one. On
// the Azure page the banner also moves the fixed top bar (banner.js), through CSSOM as well.
const STRICT_CSP = "default-src 'self'; script-src 'self'; style-src 'self'";
for (const [table, name] of [
  ['aws.json', 'aws-strict-csp'],
  // Danger mode too: striped banner, overlay, guard, title prefix (no favicon: see tab-cues.test.mjs).
  ['aws.json', 'aws-prod-admin'],
  ['azure.json', 'azure-dev-resource-group'],
  ['gcp.json', 'gcp-seed-prod-project'],
  ['aiven.json', 'aiven-prod'],
]) {
  test(`on a strict-CSP ${name} page the banner appears and the extension causes no CSP violation`, async () => {
    const row = fixtureRow(table, name);
    await browser.context.clearCookies();
    await serveCase(browser, { ...row, serve: { csp: row.serve?.csp ?? STRICT_CSP } });
    const { page, traces } = await openWatchingCsp(row.url);
    try {
      await waitForBanner(page, matchesExpectation(row.expect));
      assert.deepEqual(await traces(), { events: [], reports: [], console: [] });
    } finally {
      await page.close();
    }
  });
}

test('an alias containing HTML is shown as text and never runs', async () => {
  const row = fixtureRow('aws.json', 'aws-alias-with-html');
  await browser.context.clearCookies();
  await serveCase(browser, row);
  const page = await browser.context.newPage();
  try {
    await page.goto(row.url);
    const banner = await waitForBanner(page, matchesExpectation(row.expect));
    assert.ok(banner.text.includes(row.signals.awsSessionData.accountAlias), banner.text);
    assert.equal(banner.images, 0, 'no element parsed from the alias');
    // onerror of a parsed <img src=x> would have fired by now
    await sleep(300);
    assert.equal(await page.evaluate(() => window.__pwned), undefined);
  } finally {
    await page.close();
  }
});

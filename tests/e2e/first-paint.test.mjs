// The banner's first state is its final one: the first evaluation waits for the head (where AWS's
// deciding meta tag is), and a page whose worker was stopped paints the verdict the worker kept for
// exactly its URL and signals (extension/worker/verdicts.js), which the worker's answer then confirms.
// Every state of the banner host is recorded from the page's first script on.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { consolePage } from './fixture-pages.mjs';
import { CHROMIUM_ONLY, ENGINE, extensionWorker, fixtureRow, launchBrowser, matchesExpectation, serveCase, stopWorker, waitFor, waitForBanner } from './harness.mjs';

const STAGING_ADMIN = fixtureRow('aws.json', 'aws-staging-admin');
const PROD_OPERATOR = fixtureRow('aws.json', 'aws-prod-operator');
const DEV_OPERATOR = fixtureRow('aws.json', 'aws-dev-operator');

/** Records each environment the banner host shows (null while there is none), from the first script on. */
function recordBannerStates(context) {
  return context.addInitScript(() => {
    const states = (globalThis.__bannerStates = []);
    const read = () => {
      const environment = document.getElementById('redline-banner')?.getAttribute('data-environment') || null;
      if (states.at(-1) !== environment) states.push(environment);
    };
    new MutationObserver(read).observe(document, { subtree: true, childList: true, attributes: true });
  });
}

const statesOf = (page) => page.evaluate(() => globalThis.__bannerStates.filter((state) => state !== null));

/** The generation and the entry of verdicts kept for `url` ({generation, answers: [[signals, verdict]]}), as the worker sees them. */
async function keptFor(browser, url) {
  const worker = await extensionWorker(browser.context);
  const key = `verdict:${url}`;
  const found = await worker.evaluate((keys) => chrome.storage.session.get(keys), [key, 'verdicts:generation']);
  return { key, generation: found['verdicts:generation'], entry: found[key] };
}

const setSession = async (browser, items) => (await extensionWorker(browser.context)).evaluate((i) => chrome.storage.session.set(i), items);

test('a meta tag behind a slow head script: the first banner painted is already the final one', async () => {
  const browser = await launchBrowser();
  try {
    await recordBannerStates(browser.context);
    // The head's first script holds the parser for 80 ms (well within HEAD_WAIT_MS, even on a loaded machine), before the meta tag that decides the environment (no cookie says anything before it).
    await browser.context.route('**/static/slow-head.js', async (route) => {
      await sleep(80);
      await route.fulfill({ contentType: 'text/javascript', body: '/* slow */' });
    });
    await serveCase(browser, STAGING_ADMIN);
    const html = consolePage(STAGING_ADMIN).replace('<head>\n', '<head>\n<script src="/static/slow-head.js"></script>\n');
    browser.fixtures.set(STAGING_ADMIN.url, html);
    const page = await browser.context.newPage();
    for (let load = 0; load < 3; load++) {
      await page.goto(STAGING_ADMIN.url);
      await waitForBanner(page, matchesExpectation(STAGING_ADMIN.expect));
      await sleep(300); // late navbar signals re-evaluate; they must not change the state
      assert.deepEqual(await statesOf(page), ['staging'], `load ${load}: the banner's states`);
    }
  } finally {
    await browser.close();
  }
});

test('a stopped worker: the page paints the kept verdict for its URL and signals at once, and the answer confirms or replaces it', { skip: ENGINE === 'firefox' && CHROMIUM_ONLY.worker }, async () => {
  const browser = await launchBrowser();
  try {
    await recordBannerStates(browser.context);
    await serveCase(browser, PROD_OPERATOR);
    const page = await browser.context.newPage();
    await page.goto(PROD_OPERATOR.url);
    await waitForBanner(page, matchesExpectation(PROD_OPERATOR.expect));
    const kept = await waitFor(
      page,
      () => keptFor(browser, PROD_OPERATOR.url),
      (found) => found.entry?.answers.some(([, verdict]) => verdict.environment.kind === 'prod'),
      { what: 'the verdict kept for the page' },
    );

    // Kept verdicts that say staging where the core says prod: painted first only if one is read
    // from storage before the worker answers, and replaced by the answer.
    const staging = (generation) => ({
      [kept.key]: {
        generation,
        answers: kept.entry.answers.map(([signals, verdict]) => [signals, { ...verdict, environment: { ...verdict.environment, kind: 'staging' } }]),
      },
    });
    await setSession(browser, staging(kept.generation));
    await stopWorker(browser);
    await page.goto(PROD_OPERATOR.url);
    await waitForBanner(page, matchesExpectation(PROD_OPERATOR.expect));
    assert.deepEqual(await statesOf(page), ['staging', 'prod'], 'the kept verdict first, then the worker’s answer');

    // The same entries under an older configuration generation are void: never painted.
    await setSession(browser, staging(kept.generation - 1));
    await stopWorker(browser);
    await page.goto(PROD_OPERATOR.url);
    await waitForBanner(page, matchesExpectation(PROD_OPERATOR.expect));
    assert.deepEqual(await statesOf(page), ['prod'], 'a verdict of an older configuration is not painted');
  } finally {
    await browser.close();
  }
});

test('a restarted worker puts the compiled configuration of the stored text back in force, and answers from it', { skip: ENGINE === 'firefox' && CHROMIUM_ONLY.worker }, async () => {
  const browser = await launchBrowser();
  try {
    await serveCase(browser, DEV_OPERATOR);
    const page = await browser.context.newPage();
    // A text with more than ASCII in it, which the worker hands the core as UTF-8 bytes.
    const text = '# Équipe plateforme — prod ✓\n[[aws.accounts]]\nid = "333333333333"\nenvironment = "prod"\n';
    await browser.worker.evaluate((config) => chrome.storage.local.set({ config: { text: config, savedAt: new Date().toISOString() } }), text);
    await page.goto(DEV_OPERATOR.url);
    await waitForBanner(page, (banner) => banner?.environment === 'prod', { what: 'the page under the saved text' });
    await waitFor(
      page,
      async () => (await extensionWorker(browser.context)).evaluate(async () => Boolean(await (await caches.open('redline')).match('https://redline.invalid/compiled-configuration'))),
      (kept) => kept,
      { what: 'the compiled configuration kept' },
    );

    await stopWorker(browser);
    // A reload: the URL has a fragment, so going to it again would not load the page again.
    await page.reload();
    await waitForBanner(page, (banner) => banner?.environment === 'prod', { what: 'the page after the restart' });
    // Playwright lists the restarted worker in place of the stopped one.
    const firstVerdict = await waitFor(
      page,
      () => extensionWorker(browser.context).then((worker) => worker.evaluate(() => performance.getEntriesByName('redline:first-verdict').map((measure) => measure.detail))),
      (details) => details.length === 1,
      { what: "the restarted worker's first answer" },
    );
    assert.deepEqual(firstVerdict, [{ restored: true }], 'restored from the compiled configuration, not configured from the text again');
  } finally {
    await browser.close();
  }
});

test('a new configuration voids every kept verdict', async () => {
  const browser = await launchBrowser();
  try {
    await serveCase(browser, DEV_OPERATOR);
    const page = await browser.context.newPage();
    await page.goto(DEV_OPERATOR.url);
    await waitForBanner(page, matchesExpectation(DEV_OPERATOR.expect));
    const before = await waitFor(page, () => keptFor(browser, DEV_OPERATOR.url), (found) => found.entry !== undefined, {
      what: 'the verdict kept for the page',
    });
    // A configuration that makes the same page prod: no page may paint the dev it kept.
    const text = '[[aws.accounts]]\nid = "333333333333"\nenvironment = "prod"\n';
    await browser.worker.evaluate((config) => chrome.storage.local.set({ config: { text: config, savedAt: new Date().toISOString() } }), text);
    // The generation changes first (no page paints an old entry after that), then old entries go.
    await waitFor(
      page,
      () => keptFor(browser, DEV_OPERATOR.url),
      (found) => found.generation === before.generation + 1 && (found.entry === undefined || found.entry.generation === found.generation),
      { what: 'a new generation of kept verdicts, and no entry of the old one' },
    );
    await waitForBanner(page, (banner) => banner?.environment === 'prod', { what: 'the page re-evaluated under the new configuration' });
  } finally {
    await browser.close();
  }
});

test('a page whose signals are near their limits gets its verdict, and none is kept for it (session storage stays bounded)', async () => {
  const browser = await launchBrowser();
  try {
    const long = (word) => `${word} `.repeat(Math.floor(3_900 / (word.length + 1)));
    // The navbar comes after load, as on the consoles: the head's question is always asked first
    // (were the navbar parsed with the head, the first question would hold its long texts already).
    const signals = { ...DEV_OPERATOR.signals, awsNavUser: long('Operator/jane'), awsNavUserTitle: long('acme-dev') };
    const row = { ...DEV_OPERATOR, signals, serve: { ...DEV_OPERATOR.serve, lateMs: 200 } };
    await serveCase(browser, row);
    const page = await browser.context.newPage();
    await page.goto(row.url);
    await waitForBanner(page, (banner) => banner?.environment === 'dev', { what: 'the dev banner' });
    await sleep(1_000); // the late navbar, its question, and the worker keeping verdicts after it answers
    // The head's question (the meta tag and the cookie) is kept; the one with the long navbar is not.
    const questions = (await keptFor(browser, row.url)).entry?.answers.map(([question]) => question) ?? [];
    assert.ok(questions.length > 0, 'the head’s question is kept');
    assert.ok(
      questions.every((question) => question.length < 2_000 && !question.includes('awsNavUser')),
      `no question over 8 KB is kept: ${questions.map((q) => q.length)}`,
    );
  } finally {
    await browser.close();
  }
});

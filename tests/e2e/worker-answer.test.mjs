// A late or failed answer from the service worker must not leave "could not evaluate" on the page for
// good: the content script paints a late answer and asks again after an error or a timeout. The
// worker is made slow or failing for the requests of a page's first second (the page asks more than
// once as it loads) in a patched copy of dist/redline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, fixtureRow, launchBrowser, matchesExpectation, serveCase, waitForBanner } from './harness.mjs';

const PROD_ADMIN = fixtureRow('aws.json', 'aws-prod-admin');
const UNEVALUATED = (banner) => banner.environment === 'unknown' && banner.text.includes('could not evaluate');

/** A copy of dist/redline whose worker runs `early` (JS) first in each evaluate of the first second after the first. */
async function withPatchedWorker(early, body) {
  const dir = await mkdtemp(join(tmpdir(), 'redline-dist-'));
  try {
    await cp(DIST, dir, { recursive: true });
    const file = join(dir, 'extension/worker/service-worker.js');
    const original = await readFile(file, 'utf8');
    const head = 'async function evaluate({ url, signals }) {\n';
    assert.ok(original.includes(head), 'the worker still has the evaluate function this test patches');
    const patched = original.replace(head, `let firstAt;\n${head}  firstAt ??= Date.now();\n  if (Date.now() - firstAt < 1_000) {\n    ${early}\n  }\n`);
    await writeFile(file, patched);
    const browser = await launchBrowser({ dist: dir });
    try {
      await body(browser);
    } finally {
      await browser.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function open(browser) {
  await serveCase(browser, PROD_ADMIN);
  const page = await browser.context.newPage();
  await page.goto(PROD_ADMIN.url);
  return page;
}

test('a first answer later than the timeout: "could not evaluate" meanwhile, then the verdict without any page change', () =>
  withPatchedWorker('await new Promise((resolve) => setTimeout(resolve, 6_000));', async (browser) => {
    const page = await open(browser);
    await waitForBanner(page, UNEVALUATED, { timeout: 7_000, what: 'the "could not evaluate" banner after the timeout' });
    await waitForBanner(page, matchesExpectation(PROD_ADMIN.expect), { timeout: 4_000, what: 'the prod Admin danger banner' });
  }));

test('a first answer that is an error: asked again, the verdict follows without any page change', () =>
  withPatchedWorker("return { reply: { error: 'simulated failure' }, given: null };", async (browser) => {
    const page = await open(browser);
    await waitForBanner(page, UNEVALUATED, { what: 'the "could not evaluate" banner after the error' });
    await waitForBanner(page, matchesExpectation(PROD_ADMIN.expect), { timeout: 3_000, what: 'the prod Admin danger banner' });
  }));

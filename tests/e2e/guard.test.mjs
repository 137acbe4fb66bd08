// The destructive-action guard: in danger mode with a guard (prod Admin), a click on a control whose
// visible label has a guarded verb as a whole word asks for the environment's name first, in the
// top frame and in console frames (same-origin and Azure React blade hosts). Elsewhere it never asks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { consolePage, userInfoCookie } from './fixture-pages.mjs';
import { ENGINE, acknowledgeDanger, clickUi, fillUi, fixtureRow, launchBrowser, matchesExpectation, readUi, waitForBanner } from './harness.mjs';

const PROD_ADMIN = fixtureRow('aws.json', 'aws-prod-admin');
const DEV = fixtureRow('aws.json', 'aws-dev-operator');
const HOST = 'https://eu-west-2.console.aws.amazon.com';
const SAME_ORIGIN_FRAME = `${HOST}/frames/blade.html`;
const REACT_BLADE = 'https://afd-v2.reactblade.portal.azure.net/ReactView/index.html?blade=delete';

// The page's own buttons; /static/probe.js counts what reaches the page's handlers.
const CONTROLS = `<div class="controls">
<button type="button" data-probe id="terminate">Terminate instance</button>
<button type="button" data-probe id="describe">Describe</button>
<a href="#deleted" data-probe id="deleted">Deleted items</a>
<input type="button" data-probe id="stop" value="Stop">
<div role="button" tabindex="0" data-probe id="role-delete"><span>Delete</span></div>
<button type="button" data-probe id="aria-only" aria-label="Delete">Options</button>
<div role="menu"><div role="menuitem" tabindex="-1" data-probe id="menu-delete">Delete</div></div>
<button type="button" data-probe id="camel-delete">DeleteBucket</button>
<button type="button" data-probe id="snake-stop">stop_all</button>
<button type="button" data-probe id="undelete">Undelete</button>
<form data-probe id="delete-form"><input type="text" id="delete-name" aria-label="Name"> <button type="submit">Delete</button></form>
</div>`;

const FRAME_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>blade</title>
<script src="/static/probe.js" defer></script></head>
<body><button type="button" data-probe id="frame-delete">Delete</button> <button type="button" data-probe id="frame-refresh">Refresh</button></body></html>`;

// A confirmed click must not run twice; an unconfirmed one would have run by then.
const SETTLE_MS = 300;

let browser;
before(async () => {
  browser = await launchBrowser();
  browser.fixtures.set(SAME_ORIGIN_FRAME, FRAME_PAGE);
  browser.fixtures.set(REACT_BLADE, FRAME_PAGE);
});
after(() => browser?.close());

const acknowledged = new Set();

/** `fn(arg)` where the worker's code runs: Chromium's service worker, Firefox's event page. */
const inBackground = (fn, arg) => (ENGINE === 'firefox' ? browser.context.extension.inBackground(fn, arg) : browser.worker.evaluate(fn, arg));

/** A console page of `row` with the controls and both frames; the overlay acknowledged if any. */
async function openWithControls(row, path) {
  const url = `${HOST}${path}`;
  browser.fixtures.set(url, consolePage({ url, signals: row.signals, controls: CONTROLS, frames: [SAME_ORIGIN_FRAME, REACT_BLADE] }));
  await browser.context.clearCookies();
  const cookie = userInfoCookie(row.signals, url);
  if (cookie) await browser.context.addCookies([cookie]);
  const page = await browser.context.newPage();
  await page.goto(url);
  await waitForBanner(page, matchesExpectation(row.expect));
  // Asked once per account in this browser: the first test's page acknowledges for the others.
  if (row.expect.severity === 'danger' && !acknowledged.has(row.name)) {
    await acknowledgeDanger(page);
    acknowledged.add(row.name);
  }
  return page;
}

const clicks = (frame, id) => frame.evaluate((id) => Number(document.getElementById(id).dataset.clicks ?? 0), id);
const guardOpen = (frame) => frame.evaluate(() => Boolean(document.getElementById('redline-guard')?.isConnected));
const frameOf = (page, url) => page.frames().find((f) => f.url() === url);
// The question is a closed shadow root: read and pressed the way a person does (harness.mjs).
const question = (frame) => readUi(frame, 'redline-guard', (root) => root.querySelector('p').textContent);
const confirmDisabled = (frame) => readUi(frame, 'redline-guard', (root) => root.querySelector('[data-redline="confirm"]').disabled);
const cancelQuestion = (frame) => clickUi(frame, 'redline-guard', '[data-redline="cancel"]');

async function confirmWith(frame, text) {
  await fillUi(frame, 'redline-guard', 'input', text);
  await clickUi(frame, 'redline-guard', '[data-redline="confirm"]');
}

test('prod Admin: a destructive click asks for "prod"; the right word runs it once, cancel drops it', async () => {
  const page = await openWithControls(PROD_ADMIN, '/ec2/home?region=eu-west-2&guard=top');
  try {
    await page.click('#terminate');
    assert.ok(await guardOpen(page), 'the question is shown');
    assert.match(await question(page), /Terminate instance.*Type prod/);
    assert.equal(await clicks(page, 'terminate'), 0, "the page's handler did not run");
    // The wrong word does not go through.
    await fillUi(page, 'redline-guard', 'input', 'Prod ');
    assert.ok(await confirmDisabled(page));
    await confirmWith(page, 'prod');
    await sleep(SETTLE_MS);
    assert.equal(await guardOpen(page), false);
    assert.equal(await clicks(page, 'terminate'), 1, 'run exactly once');

    await page.click('#terminate');
    assert.ok(await guardOpen(page));
    await cancelQuestion(page);
    await sleep(SETTLE_MS);
    assert.equal(await guardOpen(page), false);
    assert.equal(await clicks(page, 'terminate'), 1, 'cancel drops the click');

    // Escape cancels too; an input[type=button]'s value is its label.
    await page.click('#stop');
    assert.ok(await guardOpen(page));
    await page.keyboard.press('Escape');
    await sleep(SETTLE_MS);
    assert.equal(await clicks(page, 'stop'), 0);
  } finally {
    await page.close();
  }
});

test("prod Admin: the guard holds from the first painted danger banner, before the worker's records and push", async () => {
  // Acknowledged first, so that no overlay stands between the click and the page.
  (await openWithControls(PROD_ADMIN, '/ec2/home?region=eu-west-2&guard=early-ack')).close();
  // The worker's tab records (and the push to every frame that follows them) held back 3 s.
  await inBackground(() => {
    const session = (globalThis.browser ?? chrome).storage.session;
    const set = session.set;
    session.set = async (items) => {
      if (Object.keys(items).some((key) => key.startsWith('tab:'))) await new Promise((resolve) => setTimeout(resolve, 3_000));
      return set.call(session, items);
    };
    globalThis.redlineTestRestore = () => {
      session.set = set;
    };
  });
  const page = await openWithControls(PROD_ADMIN, '/ec2/home?region=eu-west-2&guard=early');
  try {
    await page.click('#terminate');
    assert.ok(await guardOpen(page), 'the question is shown as soon as the banner says danger');
    assert.equal(await clicks(page, 'terminate'), 0, "the page's handler did not run");
    await cancelQuestion(page);
    // Reloaded: the worker's word about the page before (its record removed as it left) comes
    // after the new page's banner, and does not let the click through.
    await page.reload();
    await waitForBanner(page, matchesExpectation(PROD_ADMIN.expect));
    await page.click('#terminate');
    assert.ok(await guardOpen(page), 'the question is shown on the reloaded page');
    assert.equal(await clicks(page, 'terminate'), 0, "the reloaded page's handler did not run");
    await cancelQuestion(page);
  } finally {
    await inBackground(() => globalThis.redlineTestRestore());
    await page.close();
  }
});

test('prod Admin: keyboard activation is guarded too (Enter on a button, Enter on a [role=button])', async () => {
  const page = await openWithControls(PROD_ADMIN, '/ec2/home?region=eu-west-2&guard=keys');
  try {
    await page.focus('#terminate');
    await page.keyboard.press('Enter');
    assert.ok(await guardOpen(page), 'Enter on a button asks');
    await page.keyboard.type('prod');
    await page.keyboard.press('Enter');
    await sleep(SETTLE_MS);
    assert.equal(await clicks(page, 'terminate'), 1);

    await page.focus('#role-delete');
    await page.keyboard.press('Enter');
    assert.ok(await guardOpen(page), 'Enter on a [role=button] asks');
    assert.equal(await clicks(page, 'role-delete'), 0);
    await page.keyboard.type('prod');
    await page.keyboard.press('Enter');
    await sleep(SETTLE_MS);
    assert.equal(await clicks(page, 'role-delete'), 1);
  } finally {
    await page.close();
  }
});

test('prod Admin: a [role=menuitem] asks, by click and by Enter; Escape closes the question', async () => {
  const page = await openWithControls(PROD_ADMIN, '/ec2/home?region=eu-west-2&guard=menuitem');
  try {
    await page.click('#menu-delete');
    assert.ok(await guardOpen(page), 'a click on the menu item asks');
    await page.keyboard.press('Escape');
    assert.equal(await guardOpen(page), false, 'Escape closed the question');
    await page.focus('#menu-delete');
    await page.keyboard.press('Enter');
    assert.ok(await guardOpen(page), 'Enter on the menu item asks');
    await page.keyboard.press('Escape');
    assert.equal(await guardOpen(page), false, 'Escape closed the question again');
    await sleep(SETTLE_MS);
    assert.equal(await clicks(page, 'menu-delete'), 0, 'nothing reached the page');
  } finally {
    await page.close();
  }
});

test('prod Admin: a form submitted by Enter in its only field asks when its submit button says "Delete"', async () => {
  const page = await openWithControls(PROD_ADMIN, '/ec2/home?region=eu-west-2&guard=form');
  const submits = () => page.evaluate(() => Number(document.getElementById('delete-form').dataset.submits ?? 0));
  try {
    await page.focus('#delete-name');
    await page.keyboard.type('old-bucket');
    await page.keyboard.press('Enter');
    assert.ok(await guardOpen(page), 'the submission asks');
    assert.match(await question(page), /“Delete” in prod/);
    assert.equal(await submits(), 0, "the page's handler did not run");
    await page.keyboard.type('prod');
    await page.keyboard.press('Enter');
    await sleep(SETTLE_MS);
    assert.equal(await submits(), 1, 'confirmed: submitted once');
    // Submitted by the page's own script (a key handler calling requestSubmit()): asks as well.
    await page.evaluate(() => document.getElementById('delete-form').requestSubmit());
    assert.ok(await guardOpen(page), 'requestSubmit() asks');
    await page.keyboard.press('Escape');
    await sleep(SETTLE_MS);
    assert.equal(await submits(), 1, 'cancelled: not submitted');
  } finally {
    await page.close();
  }
});

test('prod Admin: labels without a guarded whole word ("Describe", "Deleted items", an aria-label only) never ask', async () => {
  const page = await openWithControls(PROD_ADMIN, '/ec2/home?region=eu-west-2&guard=calm-labels');
  try {
    for (const id of ['describe', 'deleted', 'aria-only']) {
      await page.click(`#${id}`);
      assert.equal(await guardOpen(page), false, `${id} asked`);
      assert.equal(await clicks(page, id), 1, `${id} ran`);
    }
  } finally {
    await page.close();
  }
});

test("prod Admin: labels are split as the core splits names: \"DeleteBucket\" and \"stop_all\" ask, \"Undelete\" does not", async () => {
  const page = await openWithControls(PROD_ADMIN, '/ec2/home?region=eu-west-2&guard=tokens');
  try {
    for (const id of ['camel-delete', 'snake-stop']) {
      await page.click(`#${id}`);
      assert.ok(await guardOpen(page), `${id} asks`);
      await cancelQuestion(page);
      await sleep(SETTLE_MS);
      assert.equal(await clicks(page, id), 0, `${id} was held`);
    }
    await page.click('#undelete');
    assert.equal(await guardOpen(page), false, 'Undelete asked');
    assert.equal(await clicks(page, 'undelete'), 1);
  } finally {
    await page.close();
  }
});

test("the guard's pattern, applied in the browser as guard.js applies it, holds what the core holds (tests/fixtures/danger/guard.json)", async () => {
  const root = new URL('../..', import.meta.url);
  const { initSync, Redline } = await import(new URL('dist/redline/pkg/redline.js', root));
  initSync({ module: readFileSync(new URL('dist/redline/pkg/redline_bg.wasm', root)) });
  const engine = new Redline();
  const seed = readFileSync(new URL('src/config/seed.toml', root), 'utf8');
  const { cases } = JSON.parse(readFileSync(new URL('tests/fixtures/danger/guard.json', root), 'utf8'));
  const signals = JSON.stringify(Object.fromEntries(Object.entries(PROD_ADMIN.signals).map(([k, v]) => [k, typeof v === 'string' ? v : k === 'awsUserInfo' ? encodeURIComponent(JSON.stringify(v)) : JSON.stringify(v)])));
  const rows = cases.map((row) => {
    const text = row.verbs ? `${seed}\n[danger]\nverbs = ${JSON.stringify(row.verbs)}\n` : seed;
    assert.equal(JSON.parse(engine.configure(text)).applied, true);
    return { ...row, pattern: JSON.parse(engine.evaluate(PROD_ADMIN.url, signals)).danger.guard.pattern };
  });
  const page = await browser.context.newPage();
  try {
    const got = await page.evaluate((rows) => rows.map(({ pattern, label }) => new RegExp(pattern, 'u').test(label)), rows);
    rows.forEach((row, i) => assert.equal(got[i], row.guarded, `${JSON.stringify(row.label)}: ${row.reason}`));
  } finally {
    await page.close();
  }
});

for (const [name, url] of [
  ['a same-origin frame', SAME_ORIGIN_FRAME],
  ['an Azure React blade frame', REACT_BLADE],
]) {
  test(`prod Admin: the guard asks inside ${name}`, async () => {
    const page = await openWithControls(PROD_ADMIN, `/ec2/home?region=eu-west-2&guard=${encodeURIComponent(url)}`);
    try {
      const frame = frameOf(page, url);
      assert.ok(frame, `frame ${url} loaded`);
      await frame.click('#frame-delete');
      assert.ok(await guardOpen(frame), 'the question is shown in the frame');
      assert.equal(await clicks(frame, 'frame-delete'), 0);
      await confirmWith(frame, 'prod');
      await sleep(SETTLE_MS);
      assert.equal(await clicks(frame, 'frame-delete'), 1);
      await frame.click('#frame-delete');
      await cancelQuestion(frame);
      await sleep(SETTLE_MS);
      assert.equal(await clicks(frame, 'frame-delete'), 1, 'cancel drops it');
      await frame.click('#frame-refresh');
      assert.equal(await clicks(frame, 'frame-refresh'), 1, 'a calm label runs at once');
    } finally {
      await page.close();
    }
  });
}

test('dev console: destructive clicks run without asking, top frame and frames', async () => {
  const page = await openWithControls(DEV, '/ec2/home?region=eu-west-2&guard=dev');
  try {
    // Let the frames hear the tab's verdict as well.
    await sleep(SETTLE_MS);
    await page.click('#terminate');
    await page.click('#stop');
    assert.equal(await guardOpen(page), false);
    assert.deepEqual([await clicks(page, 'terminate'), await clicks(page, 'stop')], [1, 1]);
    for (const url of [SAME_ORIGIN_FRAME, REACT_BLADE]) {
      const frame = frameOf(page, url);
      await frame.click('#frame-delete');
      assert.equal(await guardOpen(frame), false);
      assert.equal(await clicks(frame, 'frame-delete'), 1);
    }
  } finally {
    await page.close();
  }
});

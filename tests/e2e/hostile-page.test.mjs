// The page cannot edit or press redline's UI (issue 9, point 6). A console page in danger (AWS prod
// Admin) whose own main-world script attacks the banner and the danger overlay with everything a
// page script can reach: their shadow roots, their hosts' attributes, inline styles, place and
// children, stylesheets aimed at the hosts and at <html> and <body>, editing, hit testing, the
// caret, and synthetic pointer, mouse and key events and click() on every element. Through the
// DevTools protocol (which sees the closed shadow roots the way a person's eyes do) the banner still
// says PROD and Admin, both are still visible, and the overlay still waits; the real keyboard and
// mouse still acknowledge it. Even a page given the nodes inside (a leak, simulated by handing them
// to the page's world through the DevTools protocol) cannot acknowledge or answer with synthetic
// events, and what it changes there is undone within a frame.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { consolePage, userInfoCookie } from './fixture-pages.mjs';
import {
  acknowledgeDanger,
  exposeShadowRoot,
  fillUi,
  fixtureRow,
  launchBrowser,
  matchesExpectation,
  OVERLAY_ARM_MS,
  readBanner,
  readOverlay,
  readUi,
  uiBox,
  waitFor,
  waitForBanner,
} from './harness.mjs';

const PROD_ADMIN = fixtureRow('aws.json', 'aws-prod-admin');
const HOST = 'https://eu-west-2.console.aws.amazon.com';
const OURS = ['redline-banner', 'redline-overlay'];

/** Another prod account's Admin session: the acknowledgement is per account and browser session. */
const prodAdmin = (accountId, alias, path) => ({
  url: `${HOST}${path}`,
  signals: { awsSessionData: { accountId, accountAlias: alias, sessionARN: `arn:aws:sts::${accountId}:assumed-role/Admin/jane` } },
  expect: { ...PROD_ADMIN.expect, account: accountId, text: ['PROD', 'Admin', alias] },
});

// What the page's own script writes wherever it can.
const FAKE = 'DEV · READ-ONLY · all fine';

// Rules of the page aimed at redline's hosts (by id, and as the <div>s under <html> they are), their
// pseudo-elements, and their ancestors.
const HOSTILE_CSS = `
#redline-banner, #redline-overlay, html > div, [data-severity] {
  display: none !important; visibility: hidden !important; opacity: 0 !important;
  transform: translateY(-200%) !important; clip-path: inset(50%) !important; pointer-events: none !important;
  animation: redline-gone 1ms forwards !important; transition: all 1000s !important; height: 0 !important;
}
@keyframes redline-gone { to { opacity: 0; visibility: hidden; } }
@layer hostile { #redline-banner, #redline-overlay { display: none !important; } }
#redline-banner::before, #redline-banner::after, #redline-overlay::before, #redline-overlay::after {
  content: "${FAKE}" !important; display: block !important; position: fixed !important; inset: 0 !important;
  z-index: 2147483647 !important; background: #1e7e34 !important; color: #fff !important;
}
#redline-banner::first-line, #redline-overlay::first-line { color: transparent !important; font-size: 0 !important; }
html, body { visibility: hidden !important; }
body { display: none !important; }
`;

// The page's own script, in its main world, before anything else on the page runs. window.hostile
// records what it could reach; attack() runs every attack once and resolves at the next animation
// frame (after the page's task and its microtasks, before that frame is painted) with what the
// page then sees of the hosts; with data-every it attacks that often on its own.
const HOSTILE_SCRIPT = String.raw`
(() => {
  const FAKE = ${JSON.stringify(FAKE)};
  const IDS = ${JSON.stringify(OURS)};
  const seen = (window.hostile = { shadowRoots: [], attachShadow: [], captured: [], reached: [], whileTampered: [] });

  // The page's own attachShadow, forcing roots open and keeping them, and custom elements under
  // the names redline's hosts had: neither may hand the page a root of redline's.
  const attachShadow = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attachShadow.call(this, { ...init, mode: 'open' });
    seen.captured.push(this.id || this.tagName);
    return root;
  };
  for (const name of ['redline-banner', 'redline-overlay', 'redline-guard']) {
    customElements.define(name, class extends HTMLElement {
      constructor() {
        super();
        seen.captured.push(name);
      }
    });
  }

  const ours = () => IDS.map((id) => document.getElementById(id)).filter(Boolean);
  const insideOurs = (node) => node && node.getRootNode() !== document && ours().includes(node.getRootNode().host);

  /** Rewrites, empties and presses whatever node it is given. */
  function tamper(node) {
    if (!node) return;
    if (insideOurs(node)) seen.reached.push(node.nodeName);
    if (node.nodeType === Node.TEXT_NODE) node.data = FAKE;
    if (node.nodeType === Node.ELEMENT_NODE && !['HTML', 'HEAD', 'BODY', 'SCRIPT', 'STYLE'].includes(node.tagName)) {
      node.textContent = FAKE;
      press(node);
    }
  }

  const pointer = (type, x, y) =>
    new (type.startsWith('pointer') ? PointerEvent : MouseEvent)(type, { bubbles: true, composed: true, cancelable: true, clientX: x, clientY: y, button: 0 });

  /** Synthetic pointer, mouse and key events and click() on target. */
  function press(target, x = innerWidth / 2, y = innerHeight / 2) {
    for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) target.dispatchEvent(pointer(type, x, y));
    for (const key of ['Enter', ' ', 'Tab', 'Escape']) {
      for (const type of ['keydown', 'keypress', 'keyup']) target.dispatchEvent(new KeyboardEvent(type, { key, bubbles: true, composed: true, cancelable: true }));
    }
    target.click?.();
  }

  function attackHost(host) {
    seen.shadowRoots.push(host.shadowRoot === null ? null : 'open');
    // Any root the page could reach, it rewrites.
    if (host.shadowRoot) for (const node of host.shadowRoot.querySelectorAll('*')) tamper(node);
    try {
      host.attachShadow({ mode: 'open' });
      seen.attachShadow.push('attached');
    } catch (error) {
      seen.attachShadow.push(error.name);
    }
    host.textContent = FAKE;
    host.append(document.createElement('span'));
    host.dataset.environment = 'dev';
    host.dataset.privilege = 'readonly';
    host.dataset.severity = 'info';
    delete host.dataset.provider;
    host.title = FAKE;
    host.hidden = true;
    host.inert = true;
    host.className = 'gone';
    host.setAttribute('dir', 'rtl');
    host.setAttribute('popover', 'manual');
    try {
      host.showPopover();
    } catch {}
    host.style.cssText = 'display: none !important; visibility: hidden !important; opacity: 0 !important';
    // Read in the same task, before redline can have undone anything: the host's own style holds.
    const style = getComputedStyle(host);
    seen.whileTampered.push([style.display, style.visibility, style.opacity].join(' '));
    press(host);
    document.body.append(host);
    host.remove();
  }

  /** Hit testing, the caret and editing give the page the host at most, never what is inside it. */
  function reachInside(host) {
    const box = host.getBoundingClientRect();
    const x = box.left + box.width / 2;
    const y = box.top + Math.min(box.height / 2, 20);
    for (const element of document.elementsFromPoint(x, y)) {
      if (element !== document.documentElement && element !== document.body) tamper(element);
    }
    const range = document.caretRangeFromPoint?.(x, y);
    tamper(range?.startContainer);
    tamper(document.caretPositionFromPoint?.(x, y)?.offsetNode);
    document.designMode = 'on';
    const selection = getSelection();
    selection.removeAllRanges();
    const around = document.createRange();
    around.selectNode(host);
    selection.addRange(around);
    document.execCommand('insertText', false, FAKE);
    selection.selectAllChildren(host);
    document.execCommand('delete');
    selection.removeAllRanges();
    document.designMode = 'off';
  }

  function rewriteTexts() {
    const walker = document.createTreeWalker(document, NodeFilter.SHOW_TEXT);
    const texts = [];
    while (walker.nextNode()) if (!['SCRIPT', 'STYLE', 'TITLE'].includes(walker.currentNode.parentNode.nodeName)) texts.push(walker.currentNode);
    for (const text of texts) tamper(text);
  }

  let style = null;
  function addStyle() {
    style ??= document.createElement('style');
    style.textContent = ${JSON.stringify(HOSTILE_CSS)};
    document.head.append(style);
  }

  /** Every attack once; what the page sees of the hosts at the next frame. */
  window.attack = () => {
    addStyle();
    const hosts = ours();
    for (const host of hosts) reachInside(host);
    rewriteTexts();
    for (const element of document.querySelectorAll('*')) press(element);
    press(document);
    press(window);
    press(document.activeElement);
    for (const host of hosts) attackHost(host);
    return new Promise((resolve) =>
      requestAnimationFrame(() =>
        resolve(
          hosts.map((host) => ({
            id: host.id,
            inHtml: host.parentNode === document.documentElement,
            attributes: Object.fromEntries([...host.attributes].map((a) => [a.name, a.value])),
            children: host.childNodes.length,
          })),
        ),
      ),
    );
  };

  // The page also looks at every event on its way, for nodes of redline's to tamper with.
  for (const type of ['pointerdown', 'mousedown', 'click', 'keydown', 'focusin']) {
    addEventListener(type, (event) => event.composedPath().forEach((node) => insideOurs(node) && tamper(node)), true);
  }
  const every = Number(document.currentScript.dataset.every ?? 0);
  if (every > 0) setInterval(() => ours().length > 0 && window.attack(), every);
})();
`;

/** `row`'s console page with the hostile script in its <head>, attacking every `every` ms (0: only when told). */
function hostilePage(row, { every = 0, controls } = {}) {
  const script = `<script data-every="${every}">${HOSTILE_SCRIPT}</script>`;
  return consolePage({ url: row.url, signals: row.signals, controls }).replace('<head>', `<head>\n${script}`);
}

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());

async function open(row, options) {
  browser.fixtures.set(row.url, hostilePage(row, options));
  await browser.context.clearCookies();
  const cookie = userInfoCookie(row.signals, row.url);
  if (cookie) await browser.context.addCookies([cookie]);
  const page = await browser.context.newPage();
  await page.goto(row.url);
  await waitForBanner(page, matchesExpectation(row.expect), { what: `the ${row.expect.text.join(' ')} banner` });
  await waitFor(page, readOverlay, (o) => o?.focused, { what: 'the overlay, focused' });
  return page;
}

/** Whether `row`'s account is acknowledged in this browser session, as the service worker keeps it. */
const acknowledged = (row) =>
  browser.worker.evaluate(async (key) => key in (await chrome.storage.session.get(key)), `ack:aws:${row.expect.account}`);

/**
 * Waits until the worker has stored `row`'s acknowledgement: the overlay goes at the press, and the
 * worker's write follows (in Firefox under the page's attacks, seen taking longer than one read).
 */
const assertAcknowledged = (page, row, what) =>
  waitFor(page, () => acknowledged(row), (stored) => stored === true, { what: `${what}: the acknowledgement stored by the worker` });

/** How redline's host `#id` looks to a person: its box, the styles that decide whether it shows, what is on top at its middle. */
const looks = (page, id) =>
  readUi(page, id, (root, host) => {
    const box = host.getBoundingClientRect();
    const style = getComputedStyle(host);
    const before = getComputedStyle(host, '::before');
    const middle = document.elementsFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return {
      width: box.width,
      height: box.height,
      top: box.top,
      display: style.display,
      visibility: style.visibility,
      opacity: style.opacity,
      transform: style.transform,
      clipPath: style.clipPath,
      pointerEvents: style.pointerEvents,
      before: before.content,
      hit: middle.includes(host),
      attributes: Object.fromEntries([...host.attributes].map((a) => [a.name, a.value])),
    };
  });

/** The banner is hit at its middle: neither hidden nor made click-through. */
async function assertBannerHit(page, what) {
  assert.ok((await looks(page, 'redline-banner')).hit, `${what}: #redline-banner is hit at its middle`);
}

/** The banner and the overlay are there, visible, saying PROD and Admin, and the overlay still waits. */
async function assertIntact(page, row, what) {
  const banner = await readBanner(page);
  assert.ok(matchesExpectation(row.expect)(banner), `${what}: banner ${JSON.stringify(banner)}`);
  assert.ok(!banner.text.includes(FAKE), `${what}: the page's text in the banner: ${banner.text}`);
  assert.match(banner.text, /PRODUCTION · ADMIN/, what);
  for (const id of OURS) {
    const host = await looks(page, id);
    assert.ok(host.width > 0 && host.height > 0, `${what}: #${id} has a box: ${JSON.stringify(host)}`);
    assert.deepEqual(
      [host.display, host.visibility, host.opacity, host.transform, host.clipPath, host.pointerEvents, host.before],
      ['block', 'visible', '1', 'none', 'none', 'auto', 'none'],
      `${what}: #${id} styles`,
    );
    // Under the overlay, a modal dialog, the banner is inert, and hit testing passes over inert
    // elements: it is hit once the overlay is acknowledged (assertBannerHit).
    if (id === 'redline-overlay') assert.ok(host.hit, `${what}: #${id} is hit at its middle`);
  }
  const overlay = await readOverlay(page);
  assert.ok(overlay?.visible, `${what}: the overlay covers the page: ${JSON.stringify(overlay)}`);
  assert.match(overlay.text, /I need Admin in production/, what);
  assert.equal(await acknowledged(row), false, `${what}: not acknowledged`);
}

test("a page's main-world script cannot reach, rewrite, hide or press the banner and the overlay; the real keyboard acknowledges", async () => {
  const page = await open(PROD_ADMIN, { every: 50 });
  try {
    const before = Object.fromEntries(await Promise.all(OURS.map(async (id) => [id, (await looks(page, id)).attributes])));
    const atNextFrame = await page.evaluate(() => window.attack());
    const seen = await page.evaluate(() => window.hostile);
    // Both hosts attacked, by this call and the ones every 50 ms before it.
    const all = (list, value) => list.length >= 2 && list.every((item) => item === value);
    const distinct = (list) => [...new Set(list)].join(' | ');
    assert.ok(all(seen.shadowRoots, null), `host.shadowRoot: ${distinct(seen.shadowRoots)}`);
    assert.ok(all(seen.attachShadow, 'NotSupportedError'), `attachShadow: ${distinct(seen.attachShadow)}`);
    assert.ok(all(seen.whileTampered, 'block visible 1'), `the host's display, visibility and opacity under the page's inline style: ${distinct(seen.whileTampered)}`);
    assert.deepEqual(seen.captured, [], "no root of redline's went through the page's attachShadow or custom elements");
    assert.deepEqual(seen.reached, [], 'no node inside reached');
    // Within a frame: in place, the same attributes, no children of the page's.
    for (const host of atNextFrame) {
      assert.deepEqual(host, { id: host.id, inHtml: true, attributes: before[host.id], children: 0 }, `#${host.id} at the next frame`);
    }
    await assertIntact(page, PROD_ADMIN, 'after the attacks');
    // Still under attack every 50 ms, for longer than the overlay takes to arm.
    await sleep(OVERLAY_ARM_MS);
    await assertIntact(page, PROD_ADMIN, 'under continued attack');
    await acknowledgeDanger(page);
    await assertAcknowledged(page, PROD_ADMIN, 'the real Enter');
    await assertBannerHit(page, 'acknowledged, under continued attack');
  } finally {
    await page.close();
  }
});

test('under the same attacks the real mouse acknowledges', async () => {
  const row = prodAdmin('444455556666', 'payments-prod', '/rds/home?region=eu-west-2');
  const page = await open(row, { every: 50 });
  try {
    await page.evaluate(() => window.attack());
    await assertIntact(page, row, 'after the attacks');
    await sleep(OVERLAY_ARM_MS);
    const button = await uiBox(page, 'redline-overlay', '[data-redline="acknowledge"]');
    await page.mouse.click(button.x + button.width / 2, button.y + button.height / 2);
    await waitFor(page, readOverlay, (o) => o === null, { what: 'the overlay to go' });
    await assertAcknowledged(page, row, 'the real click');
  } finally {
    await page.close();
  }
});

// The closed shadow root of redline's `#id`, handed to the page's main world (harness.mjs).
const handToPage = exposeShadowRoot;

test('a page holding the nodes inside cannot acknowledge with synthetic input, follow the links, or change what they say for longer than a frame', async () => {
  const row = prodAdmin('777788889999', 'search-prod', '/ec2/home?region=eu-west-2&leak');
  const page = await open(row);
  try {
    await handToPage(page, 'redline-overlay', 'overlayRoot');
    await handToPage(page, 'redline-banner', 'bannerRoot');
    await page.route('https://signin.aws.amazon.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><p>switched</p>' }));
    // Long past the overlay's arming time, so that only isTrusted stands in the way.
    await sleep(OVERLAY_ARM_MS);
    const atNextFrame = await page.evaluate(async () => {
      const overlay = window.overlayRoot;
      const banner = window.bannerRoot;
      const acknowledge = overlay.querySelector('[data-redline="acknowledge"]');
      acknowledge.focus();
      for (const type of ['pointerdown', 'mousedown', 'pointerup', 'mouseup', 'click']) {
        acknowledge.dispatchEvent(new (type.startsWith('pointer') ? PointerEvent : MouseEvent)(type, { bubbles: true, composed: true, cancelable: true }));
      }
      for (const key of ['Enter', ' ']) {
        for (const type of ['keydown', 'keypress', 'keyup']) acknowledge.dispatchEvent(new KeyboardEvent(type, { key, bubbles: true, composed: true, cancelable: true }));
      }
      acknowledge.click();
      overlay.querySelector('[data-redline="readonly"]').click();
      banner.querySelector('[data-redline="readonly"]').click();
      // Changes of every kind inside: text, a text node's data, an inline style, an attribute, removals, an addition.
      overlay.querySelector('h1').textContent = 'All fine';
      banner.querySelector('[data-redline="headline"]').firstChild.data = 'DEV';
      banner.querySelector('[data-redline="label"]').textContent = 'DEV · READ-ONLY';
      banner.querySelector('[data-redline="danger"]').style.display = 'none';
      banner.querySelector('[data-redline="counter"]').hidden = true;
      acknowledge.remove();
      overlay.append(Object.assign(document.createElement('p'), { textContent: 'All fine' }));
      await new Promise((resolve) => requestAnimationFrame(resolve));
      return {
        overlay: overlay.textContent,
        acknowledge: overlay.querySelector('[data-redline="acknowledge"]')?.textContent ?? null,
        banner: banner.textContent,
        strip: banner.querySelector('[data-redline="danger"]').style.display,
        counterHidden: banner.querySelector('[data-redline="counter"]').hidden,
      };
    });
    assert.ok(!atNextFrame.overlay.includes('All fine'), `overlay at the next frame: ${atNextFrame.overlay}`);
    assert.match(atNextFrame.overlay, /PRODUCTION · ADMIN/);
    assert.equal(atNextFrame.acknowledge, 'I need Admin in production');
    assert.match(atNextFrame.banner, /^PRODUCTION · ADMINAWS · PROD · Admin\/jane · search-prod/, `banner at the next frame: ${atNextFrame.banner}`);
    assert.deepEqual([atNextFrame.strip, atNextFrame.counterHidden], ['flex', false], 'the strip and its counter shown at the next frame');
    await sleep(300);
    assert.equal(page.url(), row.url, 'no link followed');
    await assertIntact(page, row, 'after synthetic input and changes inside');
    // The overlay built again has the focus on its button: the real keyboard acknowledges.
    await acknowledgeDanger(page);
    await assertAcknowledged(page, row, 'the real Enter');
    await assertBannerHit(page, 'acknowledged, after changes inside');
  } finally {
    await page.close();
  }
});

// The page's own buttons; /static/probe.js counts the clicks that reach the page's handlers.
const CONTROLS = '<div class="controls"><button type="button" data-probe id="terminate">Terminate instance</button></div>';
const clicks = (page) => page.evaluate(() => Number(document.getElementById('terminate').dataset.clicks ?? 0));
const guardOpen = (page) => page.evaluate(() => Boolean(document.getElementById('redline-guard')?.isConnected));
const question = (page) => readUi(page, 'redline-guard', (root) => ({ text: root.querySelector('p').textContent, typed: root.querySelector('input').value }));

test("the guard's question takes no synthetic answer, even from a page holding its nodes; the real one goes through", async () => {
  const row = prodAdmin('222233334444', 'ledger-prod', '/ec2/home?region=eu-west-2&guard');
  const page = await open(row, { controls: CONTROLS });
  try {
    await acknowledgeDanger(page);
    // A click the page's own script makes on its own control is the page's business.
    await page.evaluate(() => document.getElementById('terminate').click());
    assert.equal(await guardOpen(page), false, "the page's own click() asked");
    assert.equal(await clicks(page), 1);

    await page.click('#terminate');
    assert.ok(await guardOpen(page), 'a real click asks');
    assert.match((await question(page)).text, /Terminate instance.*Type prod/);
    await handToPage(page, 'redline-guard', 'guardRoot');
    await page.evaluate(() => {
      const root = window.guardRoot;
      const input = root.querySelector('input');
      input.focus();
      input.value = 'prod';
      input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true, data: 'prod' }));
      const confirm = root.querySelector('[data-redline="confirm"]');
      confirm.click();
      for (const type of ['keydown', 'keypress', 'keyup']) {
        input.dispatchEvent(new KeyboardEvent(type, { key: 'Enter', bubbles: true, composed: true, cancelable: true }));
        document.dispatchEvent(new KeyboardEvent(type, { key: 'Escape', bubbles: true, composed: true, cancelable: true }));
      }
      root.querySelector('[data-redline="cancel"]').click();
      document.getElementById('redline-guard')?.click();
    });
    assert.ok(await guardOpen(page), 'the question is still open');
    assert.equal(await clicks(page), 1, 'no synthetic answer went through');
    // A change inside asks the question afresh, within a frame, without what the page typed.
    const afresh = await page.evaluate(async () => {
      const before = document.getElementById('redline-guard');
      window.guardRoot.querySelector('p').textContent = 'Nothing to see: press Confirm';
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const now = document.getElementById('redline-guard');
      return { replaced: now !== before && !before.isConnected, open: Boolean(now?.isConnected) };
    });
    assert.deepEqual(afresh, { replaced: true, open: true }, 'asked afresh within a frame');
    assert.deepEqual(await question(page), { text: '“Terminate instance” in prod. Type prod to go ahead.', typed: '' });
    assert.equal(await clicks(page), 1);

    await fillUi(page, 'redline-guard', 'input', 'prod');
    await page.keyboard.press('Enter');
    await waitFor(page, clicks, (n) => n === 2, { what: 'the confirmed click to run' });
    assert.equal(await guardOpen(page), false);
  } finally {
    await page.close();
  }
});

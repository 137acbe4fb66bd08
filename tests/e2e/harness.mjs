// Launches Chromium (or Firefox ESR: REDLINE_BROWSER=firefox, drivers/firefox.mjs) with the built
// extension (dist/redline) and serves fixture pages under the real console host names. Shared by the
// e2e tests, scripts/demo.mjs and scripts/bench-e2e.mjs.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from 'playwright-core';
import { consolePage, serveFixtures, userInfoCookie } from './fixture-pages.mjs';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const DIST = resolve(process.env.REDLINE_DIST ?? join(ROOT, 'dist/redline'));
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/**
 * The browser the e2e tests drive: `chromium` (default) or `firefox` (REDLINE_BROWSER). A test that
 * needs what only Chromium offers (the DevTools protocol) skips itself under Firefox, saying why.
 */
export const ENGINE = process.env.REDLINE_BROWSER || 'chromium';
if (ENGINE !== 'chromium' && ENGINE !== 'firefox') throw new Error(`REDLINE_BROWSER=${ENGINE}: expected chromium or firefox`);

// Loaded only when asked for, so that a Chromium run never loads selenium-webdriver.
const firefoxDriver = () => import('./drivers/firefox.mjs');

/** Why a Chromium-only facility cannot serve a Firefox test; for `test(name, { skip: ... })`. */
export const CHROMIUM_ONLY = {
  contentScript:
    "Firefox's WebDriver BiDi lists no content-script realm (script.getRealms gives the page's window and the tests' own sandboxes only), so a test cannot run code in the content script's world",
  worker:
    'Firefox implements no storage.session.setAccessLevel, so its content scripts cannot read the verdicts kept for a page: with the event page stopped, a page waits for it to start again rather than paint a kept verdict at once',
  popup:
    "the toolbar popup is no WebDriver BiDi browsing context in Firefox: the driver opens it with browser.action.openPopup() (no click on the toolbar button, so no activeTab grant) and reaches it through browser.extension.getViews, with script-dispatched keys rather than real ones; and the popup's filter.focus() at load is lost in headless Firefox (focus stays on <body>, most of the time), so typed keys do not reach the filter",
  oneProcess:
    "Firefox runs the background, the extension's tabs and the popup on one thread of one extension process: a test cannot keep the background busy while the popup goes on taking keys",
  hitTest:
    "Firefox has no hit test that sees inert elements (DevTools' DOM.getNodeForLocation is Chromium's; Firefox's elementFromPoint and elementsFromPoint pass over a page's popover drawn above a modal dialog), so drawnOnTop cannot tell what a person sees on top",
};

/** Why a Firefox-only facility has no Chromium counterpart; for `test(name, { skip: ... })`. */
export const FIREFOX_ONLY = {
  originControls:
    "Chromium has no pref that withholds an unpacked extension's host permissions at install (Firefox: extensions.originControls.grantByDefault)",
};

/** Chromium derives an unpacked extension's id from the manifest key: sha256 of the DER, a–p. */
export function extensionIdFromKey(base64Key) {
  const hex = createHash('sha256').update(Buffer.from(base64Key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((digit) => String.fromCharCode(97 + parseInt(digit, 16))).join('');
}

export const EXTENSION_ID = extensionIdFromKey(JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')).key);

/** Firefox draws a random moz-extension host per install; drivers/firefox.mjs fixes this one by a pref before install. */
export const FIREFOX_EXTENSION_UUID = '5f3c1e2a-7b4d-4e8f-9a6b-2d0c1e5f7a90';

/** Where the extension's files are served in the engine under test. */
export const EXTENSION_BASE = ENGINE === 'firefox' ? `moz-extension://${FIREFOX_EXTENSION_UUID}/` : `chrome-extension://${EXTENSION_ID}/`;

export function loadFixtureTable(name) {
  return JSON.parse(readFileSync(join(ROOT, 'tests/fixtures', name), 'utf8')).cases;
}

/** The names of every fixture table (tests/fixtures/*.json), sorted. */
export const fixtureTables = () =>
  readdirSync(join(ROOT, 'tests/fixtures'))
    .filter((name) => name.endsWith('.json'))
    .sort();

/**
 * Chromium with the extension loaded, fixture routing installed and the service worker running.
 * `headed: true` opens real windows (needs a display); `dist` loads another build (a test's patched copy);
 * `firefoxPrefs` are set in Firefox's profile before the extension is installed (Chromium ignores them).
 */
// `colorScheme`: 'light' or 'dark' for every page, as the browser's own setting would give it.
// `keepWelcome`: leave open the welcome tab that installing redline opens; otherwise it is closed
// once it has opened, so that a test starts with its own tabs only.
export async function launchBrowser({ keepWelcome = false, ...options } = {}) {
  const browser = await launchEngine(options);
  const dist = options.dist ?? DIST;
  if (keepWelcome || !existsSync(join(dist, 'extension/welcome/welcome.html'))) return browser;
  await closeWelcome(browser);
  return browser;
}

/** The tab the welcome page opened in when redline was installed. */
export async function welcomeTab(browser, timeout = 30_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const welcome = browser.context.pages().find((page) => page.url().includes('/extension/welcome/welcome.html'));
    if (welcome) return welcome;
    if (Date.now() > deadline) throw new Error(`installing redline opened no welcome tab within ${timeout} ms`);
    await sleep(25);
  }
}

// The extension closes it when the driver does not list it (Firefox may open it before the
// driver watches for tabs); a busy machine may take many seconds to start the background. A
// browser that opened none goes on: welcome.test.mjs is the test that it opens.
async function closeWelcome(browser, timeout = 15_000) {
  const worker = await extensionWorker(browser.context);
  const deadline = Date.now() + timeout;
  for (;;) {
    const listed = browser.context.pages().find((page) => page.url().includes('/extension/welcome/welcome.html'));
    if (listed) return listed.close();
    const closed = await worker
      .evaluate(async () => {
        const api = globalThis.browser ?? chrome;
        const welcome = (await api.tabs.query({})).filter((tab) => tab.url?.includes('/extension/welcome/welcome.html'));
        await Promise.all(welcome.map((tab) => api.tabs.remove(tab.id)));
        return welcome.length;
      })
      .catch(() => 0);
    if (closed > 0 || Date.now() > deadline) return;
    await sleep(100);
  }
}

async function launchEngine({ headed = false, viewport = { width: 1280, height: 720 }, dist = DIST, firefoxPrefs = {}, colorScheme = 'light' } = {}) {
  if (!existsSync(join(dist, 'pkg/redline_bg.wasm'))) {
    throw new Error(`${join(dist, 'pkg/redline_bg.wasm')} does not exist: run make build first`);
  }
  if (ENGINE === 'firefox') {
    // 0 is dark and 1 light, for pages and for the add-on's own pages alike.
    const scheme = { 'layout.css.prefers-color-scheme.content-override': colorScheme === 'dark' ? 0 : 1, 'ui.systemUsesDarkTheme': colorScheme === 'dark' ? 1 : 0 };
    return (await firefoxDriver()).launchFirefox({ headed, viewport, dist, prefs: { ...scheme, ...firefoxPrefs } });
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} does not exist: run scripts/setup.sh`);
  const profile = await mkdtemp(join(tmpdir(), 'redline-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: false,
    viewport,
    colorScheme,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [
      ...(headed ? [] : ['--headless=new']),
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      // Chromium otherwise keeps calling Google hosts, which this network refuses.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // Lets the tests click the toolbar button through the devtools protocol (Extensions.triggerAction),
      // which grants activeTab as a real click does (popup-page.mjs).
      '--enable-unsafe-extension-debugging',
      `--disable-extensions-except=${dist}`,
      `--load-extension=${dist}`,
    ],
  });
  try {
    const fixtures = await serveFixtures(context);
    const worker = await extensionWorker(context);
    return {
      context,
      fixtures,
      worker,
      async close() {
        await context.close();
        await rm(profile, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await context.close();
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}

/** The extension's service worker, started if need be (it stops when idle). */
export async function extensionWorker(context, timeout = 10_000) {
  // Firefox: an extension page, which reaches the same storage (see drivers/firefox.mjs).
  if (ENGINE === 'firefox') return context.extension;
  const prefix = `chrome-extension://${EXTENSION_ID}/`;
  const running = context.serviceWorkers().find((w) => w.url().startsWith(prefix));
  if (running) return running;
  return context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(prefix), timeout });
}

/**
 * Stops the extension's service worker, as Chromium does after 30 s without an event, and resolves
 * once it has stopped (devtools protocol); the next event starts it afresh. Firefox: suspends the
 * event page (drivers/firefox.mjs).
 */
export async function stopWorker(browser, timeout = 10_000) {
  if (ENGINE === 'firefox') return (await firefoxDriver()).stopBackgroundFirefox(browser, timeout);
  const cdp = await browser.context.newCDPSession(browser.context.pages()[0]);
  try {
    let status = null;
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions) if (version.scriptURL.startsWith(`chrome-extension://${EXTENSION_ID}/`)) status = version.runningStatus;
    });
    await cdp.send('ServiceWorker.enable');
    const deadline = Date.now() + timeout;
    // A worker still starting, or busy with an event, can let the request pass (seen once in a full
    // run on a loaded machine: still running after 10 s): it is asked again every second.
    let asked = 0;
    while (status !== 'stopped') {
      if (Date.now() > deadline) throw new Error(`the service worker did not stop within ${timeout} ms (${status})`);
      if (Date.now() - asked >= 1_000) {
        asked = Date.now();
        await cdp.send('ServiceWorker.stopAllWorkers');
      }
      await sleep(10);
    }
  } finally {
    await cdp.detach();
  }
}

/** Serves a fixture case's page at its URL and sets its cookie: everything a console would expose. */
export async function serveCase(browser, { url, title, signals = {}, serve = {} }) {
  browser.fixtures.set(url, consolePage({ url, title, signals, lateMs: serve.lateMs }), { csp: serve.csp });
  const cookie = userInfoCookie(signals, url);
  if (cookie) await browser.context.addCookies([cookie]);
}

// ---- redline's own UI, seen the way a person sees it ------------------------------------------
// The banner, the danger overlay and the guard's question are CLOSED shadow roots: neither the
// page's scripts nor page.evaluate nor Playwright's locators reach inside. The tests read them
// through the DevTools protocol, which pierces them the way a person's eyes do, in a world of the
// tests' own (what a hostile page does to its own globals and prototypes cannot lie to it there).

const EYES = 'redline-test-eyes';
const sessions = new WeakMap(); // Frame → its DevTools session (a promise)

/** The DevTools session that reaches `frame`'s document: its own for a frame in another process. */
function sessionFor(frame) {
  let session = sessions.get(frame);
  if (!session) {
    const page = frame.page();
    session = frame.parentFrame()
      ? page.context().newCDPSession(frame).catch(() => sessionFor(page.mainFrame()))
      : page.context().newCDPSession(page);
    sessions.set(frame, session);
  }
  return session;
}

/** The frame tree node of `frame` in `tree` (a session's tree starts at its own top frame). */
function findFrame(tree, frame) {
  if (!frame.parentFrame() || tree.frame.parentId !== undefined) return tree.frame;
  const url = (node) => node.frame.url + (node.frame.urlFragment ?? '');
  const search = (node) => (url(node) === frame.url() ? node.frame : (node.childFrames ?? []).map(search).find(Boolean));
  const found = search(tree);
  if (!found) throw new Error(`no frame ${frame.url()} in the DevTools frame tree`);
  return found;
}

const targetFrame = (target) => ('mainFrame' in target ? target.mainFrame() : target);

/**
 * Runs `read(root, host, arg)` on redline's element `#id` in `target`'s document (a page or a
 * frame) and its closed shadow root, and returns what it returns (JSON values); null when there is
 * no such element. `read` runs in the browser, in the tests' own world.
 */
export async function readUi(target, id, read, arg) {
  if (ENGINE === 'firefox') return (await firefoxDriver()).readUiFirefox(target, id, read, arg);
  const frame = targetFrame(target);
  const { cdp, executionContextId } = await eyes(frame);
  const objectGroup = EYES;
  try {
    const { result: host } = await cdp.send('Runtime.evaluate', {
      expression: `document.getElementById(${JSON.stringify(id)})`,
      contextId: executionContextId,
      objectGroup,
    });
    if (host.subtype === 'null') return null;
    const { node } = await cdp.send('DOM.describeNode', { objectId: host.objectId, pierce: true });
    const shadow = node.shadowRoots?.[0];
    if (!shadow) throw new Error(`#${id} has no shadow root`);
    const { object: root } = await cdp.send('DOM.resolveNode', { backendNodeId: shadow.backendNodeId, executionContextId, objectGroup });
    const { result, exceptionDetails } = await cdp.send('Runtime.callFunctionOn', {
      objectId: root.objectId,
      functionDeclaration: `function (host, arg) { return (${read})(this, host, arg); }`,
      arguments: [{ objectId: host.objectId }, arg === undefined ? {} : { value: arg }],
      returnByValue: true,
      awaitPromise: true,
    });
    if (exceptionDetails) throw new Error(`reading #${id}: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  } finally {
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup }).catch(() => {});
  }
}

/** `frame`'s DevTools session and the tests' own world in it. */
async function eyes(frame) {
  const cdp = await sessionFor(frame);
  const { frameTree } = await cdp.send('Page.getFrameTree');
  const { executionContextId } = await cdp.send('Page.createIsolatedWorld', { frameId: findFrame(frameTree, frame).id, worldName: EYES });
  return { cdp, executionContextId };
}

/**
 * What a person sees on top at the middle of the element `selector` inside redline's `#id`, in
 * `page`'s top frame: `{ ours, seen }`, whether that is part of `#id`, and a description of it.
 * Asked of the browser's hit testing through the DevTools protocol (DOM.getNodeForLocation), which
 * pierces shadow roots, and which does not pass over inert elements (document.elementFromPoint
 * does): a page's element drawn over a modal dialog of redline's is inert, yet seen.
 */
export async function drawnOnTop(page, id, selector) {
  if (ENGINE === 'firefox') throw new Error(`drawnOnTop: ${CHROMIUM_ONLY.hitTest}`);
  const { x, y, width, height } = await uiBox(page, id, selector);
  const { cdp, executionContextId } = await eyes(page.mainFrame());
  await cdp.send('DOM.getDocument', { depth: 0 });
  const { backendNodeId } = await cdp.send('DOM.getNodeForLocation', {
    x: Math.round(x + width / 2),
    y: Math.round(y + height / 2),
    ignorePointerEventsNone: true,
  });
  const objectGroup = EYES;
  try {
    const { object: node } = await cdp.send('DOM.resolveNode', { backendNodeId, executionContextId, objectGroup });
    const { result: host } = await cdp.send('Runtime.evaluate', {
      expression: `document.getElementById(${JSON.stringify(id)})`,
      contextId: executionContextId,
      objectGroup,
    });
    const { result } = await cdp.send('Runtime.callFunctionOn', {
      objectId: node.objectId,
      functionDeclaration: `function (host) {
        let ours = false;
        for (let at = this; at && !ours; at = at.parentNode ?? at.host) ours = at === host;
        const element = this.nodeType === Node.ELEMENT_NODE ? this : this.parentElement;
        return { ours, seen: element.localName + (element.id ? '#' + element.id : '') };
      }`,
      arguments: [{ objectId: host.objectId }],
      returnByValue: true,
    });
    return result.value;
  } finally {
    await cdp.send('Runtime.releaseObjectGroup', { objectGroup }).catch(() => {});
  }
}

/** Where `frame`'s viewport starts, in the page's viewport. */
async function frameOrigin(frame) {
  if (!frame.parentFrame()) return { x: 0, y: 0 };
  const iframe = await frame.frameElement();
  // boundingBox() is the iframe's border box in the page's viewport; its content starts inside.
  const [box, inset] = await Promise.all([
    iframe.boundingBox(),
    iframe.evaluate((element) => {
      const style = getComputedStyle(element);
      return {
        x: parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft),
        y: parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop),
      };
    }),
  ]);
  return { x: box.x + inset.x, y: box.y + inset.y };
}

/** The box of the element matching `selector` inside redline's `#id`, in the page's viewport. */
export async function uiBox(target, id, selector) {
  const frame = targetFrame(target);
  const rect = await readUi(frame, id, (root, host, selector) => {
    const element = root.querySelector(selector);
    if (!element) return null;
    const { x, y, width, height } = element.getBoundingClientRect();
    return { x, y, width, height };
  }, selector);
  if (!rect) throw new Error(`no ${selector} in #${id}`);
  const origin = await frameOrigin(frame);
  return { ...rect, x: rect.x + origin.x, y: rect.y + origin.y };
}

/** Clicks, with the real mouse, the middle of the element matching `selector` inside redline's `#id`. */
export async function clickUi(target, id, selector) {
  const box = await uiBox(target, id, selector);
  await targetFrame(target).page().mouse.click(box.x + box.width / 2, box.y + box.height / 2);
}

/** Clicks the text field matching `selector` inside redline's `#id` and types `text` over what it held, with the real keyboard. */
export async function fillUi(target, id, selector, text) {
  await clickUi(target, id, selector);
  const { keyboard } = targetFrame(target).page();
  await keyboard.press('ControlOrMeta+A');
  await keyboard.press('Backspace');
  await keyboard.type(text);
}

/**
 * Hands the closed shadow root of redline's `#id` to the page's main world as window[name]: a leak
 * no known API gives, made through the DevTools protocol (Chromium) or BiDi (Firefox), to test what
 * stands behind closing.
 */
export async function exposeShadowRoot(page, id, name) {
  if (ENGINE === 'firefox') return (await firefoxDriver()).exposeShadowRootFirefox(page, id, name);
  const cdp = await page.context().newCDPSession(page);
  try {
    const { result: host } = await cdp.send('Runtime.evaluate', { expression: `document.getElementById(${JSON.stringify(id)})` });
    const { node } = await cdp.send('DOM.describeNode', { objectId: host.objectId, pierce: true });
    const { object: root } = await cdp.send('DOM.resolveNode', { backendNodeId: node.shadowRoots[0].backendNodeId });
    await cdp.send('Runtime.callFunctionOn', {
      objectId: root.objectId,
      functionDeclaration: 'function (name) { window[name] = this; }',
      arguments: [{ value: name }],
    });
  } finally {
    await cdp.detach();
  }
}

/** What a person sees of the banner, or null. Runs in the browser. */
function bannerAsSeen(root, banner) {
  const rect = banner.getBoundingClientRect();
  return {
    provider: banner.dataset.provider ?? null,
    environment: banner.dataset.environment ?? null,
    privilege: banner.dataset.privilege ?? null,
    severity: banner.dataset.severity ?? null,
    conflict: banner.hasAttribute('data-conflict'),
    text: root.textContent,
    // The banner's label (provider, environment, role, account) without the danger strip's extras.
    label: root.querySelector('[data-redline="label"]')?.textContent ?? null,
    title: banner.title,
    height: rect.height,
    top: rect.top,
    images: root.querySelectorAll('img').length,
  };
}

export const readBanner = (page) => readUi(page, 'redline-banner', bannerAsSeen);

/**
 * Polls the banner until `accept(banner)` holds; throws with the last banner seen after `timeout`.
 * Polled from outside rather than with waitForFunction, which would run page-side code subject to the
 * page's CSP.
 */
export async function waitForBanner(page, accept, { timeout = 5_000, what = 'the expected banner' } = {}) {
  const deadline = Date.now() + timeout;
  let banner;
  for (;;) {
    banner = await readBanner(page);
    if (banner && accept(banner)) return banner;
    if (Date.now() > deadline) break;
    await sleep(25);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}; last banner seen: ${JSON.stringify(banner)}`);
}

/**
 * A predicate for waitForBanner: attributes equal `expect`'s (data-conflict present exactly when
 * `expect.conflict` is true), text contains every `expect.text`.
 */
export function matchesExpectation(expect) {
  return (banner) =>
    ['provider', 'environment', 'privilege', 'severity'].every((key) => banner[key] === expect[key]) &&
    banner.conflict === (expect.conflict === true) &&
    (expect.text ?? []).every((fragment) => banner.text.includes(fragment));
}

export function fixtureRow(table, name) {
  const row = loadFixtureTable(table).find((r) => r.name === name);
  if (!row) throw new Error(`no row ${name} in tests/fixtures/${table}`);
  return row;
}

/** Runs `expression` in the content script's isolated world of `page` (devtools protocol), where RedlineBanner & co. live. */
export async function inContentScript(browser, page, expression) {
  if (ENGINE === 'firefox') throw new Error(`inContentScript: ${CHROMIUM_ONLY.contentScript}`);
  const cdp = await browser.context.newCDPSession(page);
  try {
    const worlds = [];
    cdp.on('Runtime.executionContextCreated', ({ context }) => worlds.push(context));
    const { frameTree } = await cdp.send('Page.getFrameTree');
    await cdp.send('Runtime.enable');
    const world = worlds.find(
      (c) => c.auxData?.type === 'isolated' && c.auxData?.frameId === frameTree.frame.id && c.origin.startsWith(`chrome-extension://${EXTENSION_ID}`),
    );
    if (!world) throw new Error(`no content script world among ${JSON.stringify(worlds)}`);
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', { expression, contextId: world.id, returnByValue: true, awaitPromise: true });
    if (exceptionDetails) throw new Error(JSON.stringify(exceptionDetails));
    return result.value;
  } finally {
    await cdp.detach();
  }
}

/** The danger overlay as a person sees it, or null: its text, and the focused element's text. */
export const readOverlay = (page) =>
  readUi(page, 'redline-overlay', (root, host) => {
    if (!host.isConnected) return null;
    return {
      text: root.textContent,
      button: root.querySelector('[data-redline="acknowledge"]')?.textContent ?? null,
      focused: document.activeElement === host ? (root.activeElement?.textContent ?? null) : null,
      visible: getComputedStyle(host).display !== 'none' && host.getBoundingClientRect().height === innerHeight,
    };
  });

/** Polls until `accept(await read(page))` holds; throws with the last value after `timeout`. */
export async function waitFor(page, read, accept, { timeout = 5_000, what = 'the expected state' } = {}) {
  const deadline = Date.now() + timeout;
  let value;
  for (;;) {
    value = await read(page);
    if (accept(value)) return value;
    if (Date.now() > deadline) break;
    await sleep(25);
  }
  throw new Error(`timed out after ${timeout} ms waiting for ${what}; last seen: ${JSON.stringify(value)}`);
}

/** How long the overlay's button ignores presses after the overlay appears (overlay.js ARM_MS), and a margin. */
export const OVERLAY_ARM_MS = 800 + 100;

/** Waits for the danger overlay and confirms it with the keyboard (focus starts on its button). */
export async function acknowledgeDanger(page) {
  await waitFor(page, readOverlay, (o) => o?.focused, { what: 'the danger overlay with its button focused' });
  await sleep(OVERLAY_ARM_MS);
  await page.keyboard.press('Enter');
  await waitFor(page, readOverlay, (o) => o === null, { what: 'the overlay to go' });
}

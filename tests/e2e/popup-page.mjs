// Opens the toolbar popup the way a click on redline's toolbar button does, and drives it.
// DevTools' Extensions.triggerAction (on the tab's "tab" target, from a browser-level session,
// with --enable-unsafe-extension-debugging) runs the action like a click: the popup opens and
// activeTab is granted for that tab. chrome.action.openPopup() grants nothing. Playwright does not
// attach to the popup (it is no page of the context), so it is driven over the devtools protocol
// through a session of its own (Target.attachToTarget without flatten).
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ENGINE, EXTENSION_BASE, EXTENSION_ID, ROOT, extensionWorker } from './harness.mjs';

export const POPUP_URL = `${EXTENSION_BASE}extension/popup/popup.html`;

// What Input.dispatchKeyEvent needs to press these keys as a keyboard would.
const KEYS = {
  Enter: { code: 'Enter', windowsVirtualKeyCode: 13, text: '\r' },
  Escape: { code: 'Escape', windowsVirtualKeyCode: 27 },
  ArrowDown: { code: 'ArrowDown', windowsVirtualKeyCode: 40 },
  ArrowUp: { code: 'ArrowUp', windowsVirtualKeyCode: 38 },
  PageDown: { code: 'PageDown', windowsVirtualKeyCode: 34 },
  Tab: { code: 'Tab', windowsVirtualKeyCode: 9 },
  Backspace: { code: 'Backspace', windowsVirtualKeyCode: 8 },
};

/** A character typed on a US keyboard. */
function keyOf(char) {
  if (char === ' ') return { key: ' ', code: 'Space', windowsVirtualKeyCode: 32, text: ' ' };
  const upper = char.toUpperCase();
  const code = /[a-z]/i.test(char) ? `Key${upper}` : /\d/.test(char) ? `Digit${char}` : '';
  return { key: char, code, windowsVirtualKeyCode: /[a-z\d]/i.test(char) ? upper.charCodeAt(0) : 0, text: char };
}

/** The popup as a test sees it. Runs inside the popup. */
function readPopupInPage() {
  if (document.documentElement?.dataset.ready !== 'true') return { ready: false, rows: [], focused: document.activeElement?.id ?? null };
  const $ = (id) => document.getElementById(id);
  const rows = [...document.querySelectorAll('#spacer .row')].map((row) => ({
    position: Number(row.dataset.position),
    label: row.querySelector('.label').textContent,
    detail: row.querySelector('.detail').textContent,
    provider: row.dataset.provider,
    severity: row.dataset.severity,
    privilege: row.dataset.privilege,
    current: 'current' in row.dataset,
    open: 'open' in row.dataset,
    mark: row.querySelector('.mark')?.textContent ?? null,
    selected: row.getAttribute('aria-selected') === 'true',
    setSize: Number(row.getAttribute('aria-setsize')),
  }));
  const items = [...document.querySelectorAll('#spacer > *')].map((node) =>
    node.classList.contains('heading') ? { heading: node.textContent, kind: node.className.replace(/.*kind-/, '') } : { row: Number(node.dataset.position) },
  );
  const confirm = $('confirm');
  return {
    ready: true,
    rows,
    items,
    status: $('status').textContent,
    statusKind: $('status').dataset.kind ?? null,
    empty: $('empty').hidden ? null : $('empty').textContent,
    // The notice that the console sites are withheld, with its button.
    access: $('access').hidden ? null : $('access').textContent.trim(),
    filter: $('filter').value,
    // The query the rows shown answer (the last typed one once its answer came).
    shownFor: $('list').dataset.query ?? '',
    focused: document.activeElement?.id ?? null,
    activeDescendant: $('filter').getAttribute('aria-activedescendant'),
    confirm: confirm.hidden ? null : $('confirm-text').textContent,
    listHeight: $('list').clientHeight,
    scrollHeight: $('list').scrollHeight,
  };
}

class Popup {
  constructor(cdp, sessionId, targetId) {
    Object.assign(this, { cdp, sessionId, targetId, sequence: 0, waiting: new Map(), isClosed: false });
    this.onMessage = ({ sessionId: from, message }) => {
      if (from !== this.sessionId) return;
      const { id, result, error } = JSON.parse(message);
      const waiter = this.waiting.get(id);
      if (!waiter) return;
      this.waiting.delete(id);
      if (error) waiter.reject(new Error(`${error.message} ${error.data ?? ''}`));
      else waiter.resolve(result);
    };
    this.closed = new Promise((resolve) => {
      this.onDetached = ({ sessionId: from }) => {
        if (from !== this.sessionId) return;
        this.isClosed = true;
        for (const waiter of this.waiting.values()) waiter.reject(new Error(`the popup closed before answering ${waiter.method}`));
        resolve();
      };
    });
    cdp.on('Target.receivedMessageFromTarget', this.onMessage);
    cdp.on('Target.detachedFromTarget', this.onDetached);
  }

  /** Sends a devtools command to the popup; rejects when it does not answer within `timeout`. */
  send(method, params = {}, timeout = 10_000) {
    const id = ++this.sequence;
    let timer;
    const answer = new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, method });
      timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`the popup did not answer ${method} within ${timeout} ms`));
      }, timeout);
    });
    this.cdp
      .send('Target.sendMessageToTarget', { sessionId: this.sessionId, message: JSON.stringify({ id, method, params }) })
      .catch((error) => this.waiting.get(id)?.reject(error));
    return answer.finally(() => clearTimeout(timer));
  }

  /** Runs `fn(arg)` in the popup; its (JSON) value. */
  async evaluate(fn, arg) {
    const { result, exceptionDetails } = await this.send('Runtime.evaluate', {
      expression: `(${fn})(${JSON.stringify(arg)})`,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(`in the popup: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value;
  }

  read() {
    return this.evaluate(readPopupInPage);
  }

  /** Polls the popup until `accept(state)` holds; throws with the last state after `timeout`. */
  async waitFor(accept, { timeout = 5_000, what = 'the expected popup' } = {}) {
    const deadline = Date.now() + timeout;
    let state;
    for (;;) {
      state = await this.read();
      if (accept(state)) return state;
      if (Date.now() > deadline) break;
      await sleep(25);
    }
    throw new Error(`timed out after ${timeout} ms waiting for ${what}; last seen: ${JSON.stringify({ ...state, rows: state.rows.slice(0, 12) })}`);
  }

  /** Presses a key; the popup may close on it (Enter switches, Esc closes). */
  async press(name) {
    const key = { key: name, ...KEYS[name] };
    const unlessClosed = (error) => {
      if (!this.isClosed) throw error;
    };
    await this.send('Input.dispatchKeyEvent', { type: key.text ? 'keyDown' : 'rawKeyDown', ...key }).catch(unlessClosed);
    if (!this.isClosed) await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key, text: undefined }).catch(unlessClosed);
  }

  /** Types `text` one key at a time (keydown, input, keyup per character). */
  async type(text) {
    for (const char of text) {
      const key = keyOf(char);
      await this.send('Input.dispatchKeyEvent', { type: 'keyDown', ...key });
      await this.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key, text: undefined });
    }
  }

  async screenshot(path) {
    const { data } = await this.send('Page.captureScreenshot', { format: 'png' });
    await writeFile(path, Buffer.from(data, 'base64'));
  }

  async close() {
    this.cdp.off('Target.receivedMessageFromTarget', this.onMessage);
    this.cdp.off('Target.detachedFromTarget', this.onDetached);
    if (!this.isClosed) await this.cdp.send('Target.closeTarget', { targetId: this.targetId }).catch(() => {});
    await this.cdp.detach().catch(() => {});
  }
}

/**
 * Clicks redline's toolbar button for `page`'s tab (made the active tab first, as a click on the
 * button of its window would find it) and resolves to its popup, ready (or as soon as `until`
 * holds for what it shows).
 */
export async function openPopup(browser, page, { timeout = 10_000, until = (state) => state.ready } = {}) {
  if (ENGINE === 'firefox') return (await import('./drivers/firefox.mjs')).openPopupFirefox(browser, page, { timeout, until, readPopup: readPopupInPage });
  await page.bringToFront();
  const cdp = await browser.context.browser().newBrowserCDPSession();
  try {
    // The default filter leaves "tab" targets out.
    const { targetInfos } = await cdp.send('Target.getTargets', { filter: [{}] });
    const tabs = targetInfos.filter((t) => t.type === 'tab' && t.url === page.url());
    if (tabs.length !== 1) throw new Error(`${tabs.length} tabs show ${page.url()}: give each test page its own URL`);
    const before = new Set(targetInfos.filter((t) => t.url === POPUP_URL).map((t) => t.targetId));
    await cdp.send('Extensions.triggerAction', { id: EXTENSION_ID, targetId: tabs[0].targetId });
    const deadline = Date.now() + timeout;
    let popup;
    while (!popup) {
      if (Date.now() > deadline) throw new Error(`no popup within ${timeout} ms`);
      const { targetInfos: now } = await cdp.send('Target.getTargets');
      popup = now.find((t) => t.type === 'page' && t.url === POPUP_URL && !before.has(t.targetId));
      if (!popup) await sleep(20);
    }
    const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: popup.targetId, flatten: false });
    const driver = new Popup(cdp, sessionId, popup.targetId);
    await driver.waitFor(until, { timeout, what: 'the popup to open' });
    return driver;
  } catch (error) {
    await cdp.detach().catch(() => {});
    throw error;
  }
}

/**
 * Saves `text` as the user's configuration, as the options page does, and returns once the worker
 * has heard of it: its own storage listener, registered first, has started configuring, and every
 * later request (the popup's) waits for that.
 */
export async function saveConfig(browser, text) {
  const worker = await extensionWorker(browser.context);
  await worker.evaluate(async (saved) => {
    const heard = new Promise((resolve) => {
      chrome.storage.onChanged.addListener(function listener(changes, area) {
        if (area !== 'local' || !('config' in changes)) return;
        chrome.storage.onChanged.removeListener(listener);
        resolve();
      });
    });
    await chrome.storage.local.set({ config: { text: saved, savedAt: new Date().toISOString() } });
    await heard;
  }, text);
}

/** The bundled seed configuration (the options page's starting text). */
export const SEED = readFileSync(join(ROOT, 'src/config/seed.toml'), 'utf8');

/**
 * Switch targets across the four consoles, as a team might configure them: three AWS accounts
 * with a read-only and an admin role each, an Identity Center permission set, two Google Cloud
 * projects, two Azure targets and three Aiven projects. Appended to the seed.
 */
export const TARGETS = `
[[aws.accounts]]
id = "111122223333"
label = "acme-prod"
environment = "prod"

[[aws.accounts]]
id = "222233334444"
label = "acme-staging"
environment = "staging"

[[aws.accounts]]
id = "333344445555"
label = "acme-dev"
environment = "dev"

[[targets]]
provider = "aws"
account = "333344445555"
role = "Operator"

[[targets]]
provider = "aws"
account = "333344445555"
role = "Admin"

[[targets]]
provider = "aws"
account = "222233334444"
role = "Operator"

[[targets]]
provider = "aws"
label = "acme-staging Admin, for the release team's change window on Thursdays"
account = "222233334444"
role = "Admin"
colour = "#FFB000"

[[targets]]
provider = "aws"
account = "111122223333"
role = "Operator"
region = "eu-west-2"

[[targets]]
provider = "aws"
label = "acme-prod admin"
account = "111122223333"
role = "Admin"
colour = "#B3261E"

[[targets]]
provider = "aws"
label = "acme-data ReadOnlyAccess"
account = "444455556666"
role = "ReadOnlyAccess"
portal = "https://d-1234567890.awsapps.com/start"
environment = "staging"

[[targets]]
provider = "gcp"
project = "paas-development-210707"

[[targets]]
provider = "gcp"
project = "govuk-paas"

[[targets]]
provider = "azure"
label = "GDS Prod London"
tenant = "digital.cabinet-office.gov.uk"
app = "6f1c2a9e-58c1-4d5e-9b7a-2c3d4e5f6a7b"
environment = "prod"

[[targets]]
provider = "azure"
label = "Contoso directory roles"
tenant = "contoso.onmicrosoft.com"
role = "Contributor"
environment = "dev"

[[targets]]
provider = "aiven"
project = "dev"

[[targets]]
provider = "aiven"
project = "staging"

[[targets]]
provider = "aiven"
project = "prod"
`;

/** Every item of the popup's list, top to bottom, read by scrolling it a view at a time (it lays out only what is in view). */
export function readAllItems(popup) {
  return popup.evaluate(async () => {
    const list = document.getElementById('list');
    const frame = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    const seen = new Map();
    for (let top = 0; ; top += list.clientHeight) {
      list.scrollTop = top;
      await frame();
      for (const node of document.querySelectorAll('#spacer > *')) {
        const item = node.classList.contains('heading')
          ? { heading: node.textContent, kind: node.className.replace(/.*kind-/, '') }
          : { row: Number(node.dataset.position), label: node.querySelector('.label').textContent, privilege: node.dataset.privilege, provider: node.dataset.provider };
        seen.set(parseFloat(node.style.top), item);
      }
      if (top + list.clientHeight >= list.scrollHeight) break;
    }
    list.scrollTop = 0;
    await frame();
    return [...seen.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
  });
}

/**
 * Empties local, sync and session storage (the seed is in force again, nothing learned, no tab
 * records), clears cookies and closes every tab but a blank one.
 */
export async function resetBrowser(browser) {
  const worker = await extensionWorker(browser.context);
  await worker.evaluate(async () => {
    await Promise.all([chrome.storage.local.clear(), chrome.storage.sync.clear()]);
  });
  const blank = await browser.context.newPage();
  for (const page of browser.context.pages()) if (page !== blank) await page.close();
  await worker.evaluate(() => chrome.storage.session.clear());
  await browser.context.clearCookies();
}

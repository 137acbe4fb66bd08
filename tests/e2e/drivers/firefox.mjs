// Headless Firefox ESR with the built extension, driven through geckodriver and WebDriver BiDi, behind
// the small part of Playwright's API that the e2e tests use (harness.mjs picks it with
// REDLINE_BROWSER=firefox). Fixture pages are served under the real console host names: Firefox
// sends every request to a local proxy, which hands each CONNECT tunnel to an in-process HTTPS
// server with a throw-away self-signed certificate (acceptInsecureCerts), so that even Google's
// HSTS-preloaded hosts load without touching DNS or the network.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Builder } from 'selenium-webdriver';
import firefox from 'selenium-webdriver/firefox.js';
import { fixtureRouter } from '../fixture-pages.mjs';
import { FIREFOX_EXTENSION_UUID } from '../harness.mjs';

export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
// Where scripts/setup.sh's `cargo install` puts it, which need not be on PATH.
export const GECKODRIVER =
  process.env.GECKODRIVER ?? [join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin/geckodriver')].find(existsSync) ?? 'geckodriver';
export const GECKO_ID = 'redline@redline.dev';
const EXTENSION_BASE = `moz-extension://${FIREFOX_EXTENSION_UUID}/`;

/** A key and certificate for any host name; Firefox is told to accept it, so no name need match. */
async function throwAwayCertificate() {
  const dir = await mkdtemp(join(tmpdir(), 'redline-ff-cert-'));
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=redline-fixtures'], { stdio: 'ignore' });
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The proxy Firefox is pointed at, and the HTTPS server behind it. Every request, the page's and
 * Firefox's own background polls alike, is answered by `router` (404 for what is not a fixture), so
 * nothing leaves the machine. `statuses` keeps the last status served per URL, for page.goto.
 */
async function startFixtureServer(router) {
  const statuses = new Map();
  // page.route's handlers, newest first as Playwright tries them: { pattern, matches(url), handler, page }.
  const routes = [];
  const answer = (scheme) => (request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', async () => {
      // Through a proxy a plain-http request carries its absolute URL; inside a tunnel only the path.
      const url = /^https?:\/\//.test(request.url) ? request.url : `${scheme}://${request.headers.host}${request.url}`;
      const body = chunks.length ? Buffer.concat(chunks).toString('utf8') : null;
      let reply = null;
      // Playwright answers a routed request's CORS preflight itself, allowing it, and hands the
      // handler only the request proper: so does this server.
      const preflight = request.method === 'OPTIONS' && request.headers['access-control-request-method'];
      if (preflight && routes.some((r) => r.matches(url))) {
        reply = {
          status: 204,
          headers: {
            'access-control-allow-origin': request.headers.origin || '*',
            'access-control-allow-methods': request.headers['access-control-request-method'],
            'access-control-allow-credentials': 'true',
            ...(request.headers['access-control-request-headers'] ? { 'access-control-allow-headers': request.headers['access-control-request-headers'] } : {}),
          },
        };
      }
      for (const route of reply ? [] : routes.filter((r) => r.matches(url))) {
        reply = await new Promise((resolve) => {
          route.handler({
            request: () => ({
              url: () => url,
              method: () => request.method,
              postData: () => body,
              headers: () => ({ ...request.headers }),
              // Nothing is held back from the proxy, cookies included, which Playwright keeps for allHeaders.
              allHeaders: async () => ({ ...request.headers }),
              // The proxy sees no browsing context: Firefox marks a document's own request as a
              // navigation (Sec-Fetch-Mode, sent to every https URL), a page's fetch as cors or no-cors.
              isNavigationRequest: () => request.headers['sec-fetch-mode'] === 'navigate',
            }),
            fulfill: async ({ status = 200, contentType, headers, body: replyBody } = {}) => resolve({ status, contentType, headers, body: replyBody }),
            continue: async () => resolve(null),
            fallback: async () => resolve(null),
            abort: async () => resolve({ status: 502, body: '' }),
          });
        });
        if (reply) break;
      }
      reply ??= router.respond(url, body);
      statuses.set(url, reply.status);
      const headers = { ...(reply.headers ?? {}), 'cache-control': 'no-store' };
      if (reply.contentType) headers['content-type'] = reply.contentType;
      response.writeHead(reply.status, headers);
      response.end(reply.body ?? '');
    });
  };
  const tls = createHttpsServer(await throwAwayCertificate(), answer('https'));
  const proxy = createHttpServer(answer('http'));
  proxy.on('connect', (request, socket, head) => {
    socket.on('error', () => {});
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    tls.emit('connection', socket);
  });
  await new Promise((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: proxy.address().port,
    statuses,
    routes,
    close() {
      proxy.closeAllConnections?.();
      tls.closeAllConnections?.();
      return Promise.all([new Promise((resolve) => proxy.close(resolve)), new Promise((resolve) => tls.close(resolve))]);
    },
  };
}

// ---- BiDi values ------------------------------------------------------------------------------

/** A JSON-like value as a BiDi LocalValue (what script.callFunction takes as an argument). */
export function toLocalValue(value) {
  if (value === undefined) return { type: 'undefined' };
  if (value === null) return { type: 'null' };
  switch (typeof value) {
    case 'string':
      return { type: 'string', value };
    case 'boolean':
      return { type: 'boolean', value };
    case 'bigint':
      return { type: 'bigint', value: String(value) };
    case 'number':
      if (Object.is(value, -0)) return { type: 'number', value: '-0' };
      return { type: 'number', value: Number.isFinite(value) ? value : String(value) };
  }
  if (Array.isArray(value)) return { type: 'array', value: value.map(toLocalValue) };
  if (value instanceof Date) return { type: 'date', value: value.toISOString() };
  if (value instanceof RegExp) return { type: 'regexp', value: { pattern: value.source, flags: value.flags } };
  if (typeof value === 'object') return { type: 'object', value: Object.entries(value).map(([k, v]) => [k, toLocalValue(v)]) };
  throw new TypeError(`cannot pass a ${typeof value} to the browser`);
}

/** A BiDi RemoteValue as a plain value; what has no plain form (nodes, functions…) becomes a description. */
export function fromRemoteValue(remote) {
  switch (remote.type) {
    case 'undefined':
      return undefined;
    case 'null':
      return null;
    case 'string':
    case 'boolean':
      return remote.value;
    case 'number':
      return typeof remote.value === 'number' ? remote.value : Number(remote.value);
    case 'bigint':
      return BigInt(remote.value);
    case 'array':
    case 'set':
      return (remote.value ?? []).map(fromRemoteValue);
    case 'object':
    case 'map':
      return Object.fromEntries((remote.value ?? []).map(([k, v]) => [typeof k === 'string' ? k : fromRemoteValue(k), fromRemoteValue(v)]));
    case 'date':
      return new Date(remote.value);
    case 'regexp':
      return new RegExp(remote.value.pattern, remote.value.flags);
    case 'window':
      return { type: 'window', context: remote.value?.context };
    default:
      return { type: remote.type, ...(remote.sharedId ? { sharedId: remote.sharedId } : {}) };
  }
}

/** One BiDi command over selenium's socket; throws the browser's error with the command's name. */
async function command(bidi, method, params) {
  const reply = await bidi.send({ method, params });
  if (reply.type === 'error' || reply.error) throw new Error(`${method}: ${reply.error}: ${reply.message}`);
  return reply.result;
}

/** A script.evaluate/callFunction result's value, or its exception as an Error. */
function scriptValue(result, what) {
  if (result.type === 'exception') {
    const details = result.exceptionDetails;
    throw new Error(`${what}: ${details.text ?? fromRemoteValue(details.exception)}`);
  }
  return fromRemoteValue(result.result);
}

// ---- the browser ------------------------------------------------------------------------------

/** Playwright's cookie shape → BiDi's partial cookie. A url alone scopes it as Playwright does: its host, its directory. */
function toBidiCookie({ name, value, url, domain, path, secure, httpOnly, sameSite, expires }) {
  const at = url === undefined ? null : new URL(url);
  const cookie = {
    name,
    value: { type: 'string', value },
    domain: domain ?? at.hostname,
    path: path ?? (at ? at.pathname.slice(0, at.pathname.lastIndexOf('/') + 1) || '/' : '/'),
    secure: secure ?? at?.protocol === 'https:',
  };
  if (httpOnly !== undefined) cookie.httpOnly = httpOnly;
  if (sameSite !== undefined) cookie.sameSite = sameSite.toLowerCase();
  if (expires !== undefined && expires > 0) cookie.expiry = Math.floor(expires);
  return cookie;
}

/**
 * Firefox with the extension installed and fixture serving in place, shaped like harness.mjs's
 * launchBrowser result: `{ engine, context, fixtures, worker, close }`. `prefs` are set in the
 * profile before the extension is installed (e.g. extensions.originControls.grantByDefault).
 */
export async function launchFirefox({ headed = false, viewport = { width: 1280, height: 720 }, dist, prefs: extraPrefs = {} }) {
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} does not exist: run scripts/setup.sh`);
  const router = fixtureRouter();
  const server = await startFixtureServer(router);
  // Downloads go here rather than to ~/Downloads, and go with the browser, as Playwright's do.
  const downloads = await mkdtemp(join(tmpdir(), 'redline-ff-downloads-'));
  let driver;
  try {
    const options = new firefox.Options().setBinary(FIREFOX).enableBidi().setAcceptInsecureCerts(true);
    if (!headed) options.addArguments('-headless');
    const prefs = {
      'network.proxy.type': 1,
      'network.proxy.http': '127.0.0.1',
      'network.proxy.http_port': server.port,
      'network.proxy.ssl': '127.0.0.1',
      'network.proxy.ssl_port': server.port,
      'network.proxy.no_proxies_on': '',
      'network.proxy.allow_hijacking_localhost': true,
      // DNS goes through the proxy too (never the machine's resolver) and DoH stays off.
      'network.proxy.socks_remote_dns': true,
      'network.trr.mode': 5,
      // Firefox's own traffic: fewer background polls to answer 404.
      'app.update.enabled': false,
      'browser.safebrowsing.malware.enabled': false,
      'browser.safebrowsing.phishing.enabled': false,
      'extensions.update.enabled': false,
      'datareporting.policy.dataSubmissionEnabled': false,
      'toolkit.telemetry.enabled': false,
      // The extension's pages at known URLs (harness.mjs EXTENSION_BASE).
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_EXTENSION_UUID }),
      'browser.download.folderList': 2,
      'browser.download.dir': downloads,
      ...extraPrefs,
    };
    for (const [name, value] of Object.entries(prefs)) options.setPreference(name, value);
    driver = await new Builder()
      .forBrowser('firefox')
      .setFirefoxOptions(options)
      // Without it BiDi refuses to navigate a tab to a moz-extension: URL (isWebdriverSafeNavigationURL
      // admits http(s), data, about:blank only), and the extension's pages are what many tests open.
      .setFirefoxService(new firefox.ServiceBuilder(GECKODRIVER).addArguments('--allow-system-access'))
      .build();
    const bidi = await driver.getBidi();
    await installExtension(driver, bidi, dist);
    const context = await browserContext(driver, bidi, server, viewport);
    return {
      engine: 'firefox',
      driver,
      bidi,
      context,
      fixtures: { cspReports: router.cspReports, set: router.set },
      // An event page, not a service worker: what tests ask of the worker (its storage) is asked of
      // an extension page instead.
      worker: context.extension,
      async close() {
        await driver.quit().catch(() => {});
        await server.close();
        await rm(downloads, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await driver?.quit().catch(() => {});
    await server.close();
    await rm(downloads, { recursive: true, force: true });
    throw error;
  }
}

/** Installs `dist` as a temporary add-on: BiDi's webExtension.install, else geckodriver's own command (zips it). */
async function installExtension(driver, bidi, dist) {
  try {
    await command(bidi, 'webExtension.install', { extensionData: { type: 'path', path: dist } });
  } catch (error) {
    if (!/unknown command|unsupported operation/i.test(error.message)) throw new Error(`Firefox refused the extension in ${dist}: ${error.message}`);
    await driver.installAddon(dist, true);
  }
}

// WebDriver's codes for the keys Playwright names (input.performActions key actions).
const KEY_CODES = {
  Backspace: '\uE003', Tab: '\uE004', Enter: '\uE007', Shift: '\uE008', Control: '\uE009', Alt: '\uE00A',
  Escape: '\uE00C', Space: ' ', PageUp: '\uE00E', PageDown: '\uE00F', End: '\uE010', Home: '\uE011',
  ArrowLeft: '\uE012', ArrowUp: '\uE013', ArrowRight: '\uE014', ArrowDown: '\uE015', Delete: '\uE017', Meta: '\uE03D',
  // Playwright's portable modifier; these machines are Linux.
  ControlOrMeta: '\uE009',
};
const keyCode = (name) => {
  if (KEY_CODES[name] !== undefined) return KEY_CODES[name];
  if ([...name].length === 1) return name;
  throw new Error(`keyboard: no WebDriver code for the key "${name}"`);
};

/** A Playwright URL pattern (glob string, RegExp or predicate) as a predicate of a URL string. */
function urlMatcher(pattern) {
  if (typeof pattern === 'function') return (url) => pattern(new URL(url));
  if (pattern instanceof RegExp) return (url) => pattern.test(url);
  const source = pattern.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\u0000/g, '.*');
  const glob = new RegExp(`^${source}$`);
  return (url) => url === pattern || glob.test(url);
}

/** Polls `check` (async, a value or undefined) until it gives a value; throws `what` after `timeout`. */
async function poll(check, { timeout = 30_000, what }) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(25);
  }
}

/**
 * The default user context (profile) of the session, behind Playwright's BrowserContext subset.
 * `extension` stands in for Chromium's service worker where tests only reach the extension's
 * storage: its `evaluate` runs in a tab showing one of the extension's own files as text, a
 * document with the extension's principal and APIs where none of its scripts run.
 */
async function browserContext(driver, bidi, server, viewport) {
  // Navigation id → the document's response status, from the network events.
  const navigationStatus = new Map();
  bidi.on('network.responseCompleted', ({ navigation, response }) => {
    if (navigation) navigationStatus.set(navigation, response.status);
  });
  // Every browsing context of the pages' tabs (top-level and frames) → its Frame.
  const frames = new Map();
  const pages = [];
  const track = (method, handle) => bidi.on(method, handle);
  // Tabs the driver did not open (the extension's tabs.create, a page's window.open) become pages of
  // the context, as Playwright's do, announced to waitForEvent('page').
  const pageWaiters = [];
  const created = new Set(); // contexts this driver creates: newPage's tabs and the extension tab
  // Their create commands not yet answered: on a busy machine the answer can trail the event by
  // more than the wait below, and the extension tab became a page (closed by the next reset).
  const creating = new Set();
  const create = async (params) => {
    const answer = command(bidi, 'browsingContext.create', params);
    creating.add(answer);
    try {
      const { context } = await answer;
      created.add(context);
      return context;
    } finally {
      creating.delete(answer);
    }
  };
  const destroyedTabs = new Set();
  track('browsingContext.contextCreated', ({ context, parent, url }) => {
    const parentFrame = parent ? frames.get(parent) : null;
    if (parentFrame && !frames.has(context)) frames.set(context, firefoxFrame(bidi, context, parentFrame.page(), parentFrame, url));
    if (parent) return;
    // newPage learns its context from the command's answer, which may come after this event.
    setTimeout(async () => {
      await Promise.allSettled([...creating]);
      if (created.has(context) || frames.has(context) || destroyedTabs.has(context)) return;
      const page = firefoxPage(shared, context);
      if (url) page.mainFrame().setUrl(url);
      pages.push(page);
      // Where it has got to meanwhile (navigations before the page existed were not followed).
      command(bidi, 'browsingContext.getTree', { root: context, maxDepth: 0 })
        .then(({ contexts }) => contexts[0] && page.mainFrame().setUrl(contexts[0].url), () => {})
        .then(() => {
          for (const waiter of pageWaiters.splice(0)) waiter(page);
        });
    }, 100);
  });
  track('browsingContext.contextDestroyed', ({ context }) => {
    // A tab closed by the browser or the extension (window.close, tabs.remove) is no page any more.
    if (!frames.get(context)?.parentFrame()) destroyedTabs.add(context);
    const gone = pages.findIndex((page) => page.bidiContext === context);
    if (gone >= 0) pages[gone].closedByBrowser();
    for (const [id, frame] of frames) {
      for (let at = frame; at; at = at.parentFrame()) if (at.bidiContext === context && frame.parentFrame()) frames.delete(id);
    }
  });
  // In-page navigations (pushState, replaceState, fragments) move the URL as documents do.
  for (const method of ['browsingContext.navigationCommitted', 'browsingContext.historyUpdated', 'browsingContext.fragmentNavigated', 'browsingContext.load']) {
    track(method, ({ context, url }) => frames.get(context)?.setUrl(url));
  }
  // Page errors and console messages, for page.on('pageerror' | 'console').
  track('log.entryAdded', (entry) => {
    const frame = frames.get(entry.source?.context);
    if (frame) frame.page().emit(entry);
  });
  const downloads = [];
  track('browsingContext.downloadWillBegin', (params) => {
    const frame = frames.get(params.context);
    if (frame) frame.page().download(params);
  });
  track('browsingContext.downloadEnd', (params) => {
    for (const listener of downloads.splice(0)) listener(params);
  });
  await command(bidi, 'session.subscribe', {
    events: [
      'network.responseCompleted',
      'browsingContext.contextCreated',
      'browsingContext.contextDestroyed',
      'browsingContext.navigationCommitted',
      'browsingContext.historyUpdated',
      'browsingContext.fragmentNavigated',
      'browsingContext.load',
      'browsingContext.downloadWillBegin',
      'browsingContext.downloadEnd',
      'log.entryAdded',
    ],
  });
  // `front`: the context of the selected tab, as far as this driver moved it.
  const shared = { driver, bidi, server, viewport, navigationStatus, frames, pages, downloads, front: null };

  let extensionTab = null;
  const extension = {
    async evaluate(fn, arg) {
      if (!extensionTab) {
        const context = await create({ type: 'tab', background: true });
        await command(bidi, 'browsingContext.navigate', { context, url: `${EXTENSION_BASE}extension/managed-schema.json`, wait: 'complete' });
        extensionTab = context;
      }
      const result = await command(bidi, 'script.callFunction', {
        functionDeclaration: String(fn),
        arguments: [toLocalValue(arg)],
        target: { context: extensionTab },
        awaitPromise: true,
        resultOwnership: 'none',
      });
      return scriptValue(result, 'extension page evaluate');
    },
    /**
     * `fn(arg)` with the event page's window as its global scope (a `with` block, as in the popup):
     * what a test sets on the worker's globals, or on its storage object, is set where the
     * background's code sees it. runtime.getBackgroundPage() starts a suspended event page.
     */
    inBackground(fn, arg) {
      return extension.evaluate(
        `async (arg) => {
          const view = await browser.runtime.getBackgroundPage();
          if (!view) throw new Error('no background page');
          let value;
          with (view) { value = await (${fn})(arg); }
          return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
        }`,
        arg,
      );
    },
  };

  return {
    extension,
    pages: () => [...pages],
    async newPage() {
      const context = await create({ type: 'tab' });
      if (viewport) await command(bidi, 'browsingContext.setViewport', { context, viewport });
      const page = firefoxPage(shared, context);
      shared.front = context;
      pages.push(page);
      return page;
    },
    /** Playwright's context.waitForEvent('page'): the next tab opened other than by newPage. */
    waitForEvent(event, { predicate = () => true, timeout = 30_000 } = {}) {
      if (event !== 'page') throw new Error(`context.waitForEvent: no '${event}' event in the Firefox driver`);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms waiting for a new page`)), timeout);
        const waiter = (page) => {
          if (!predicate(page)) return void pageWaiters.push(waiter);
          clearTimeout(timer);
          resolve(page);
        };
        pageWaiters.push(waiter);
      });
    },
    async clearCookies() {
      await command(bidi, 'storage.deleteCookies', {});
    },
    /** Runs in the main world of every document of every tab from now on, before its own scripts. */
    async addInitScript(fn, arg) {
      const source = typeof fn === 'function' ? `(${fn})(${JSON.stringify(arg)})` : String(fn);
      await command(bidi, 'script.addPreloadScript', { functionDeclaration: `() => { ${source}; }` });
    },
    async route(pattern, handler) {
      server.routes.unshift({ pattern, matches: urlMatcher(pattern), handler, page: null });
    },
    async unroute(pattern, handler) {
      for (let i = server.routes.length - 1; i >= 0; i--) {
        const route = server.routes[i];
        if (route.page === null && route.pattern === pattern && (!handler || route.handler === handler)) server.routes.splice(i, 1);
      }
    },
    async addCookies(cookies) {
      for (const cookie of cookies) await command(bidi, 'storage.setCookie', { cookie: toBidiCookie(cookie) });
    },
  };
}

/**
 * The elements a locator stands for, in document order: a CSS selector, or `{ role, name }` as
 * getByRole takes it (implicit roles of buttons and links; a name matched as Playwright does by
 * default, a case-insensitive substring of aria-label or the text). Runs in the browser.
 */
function queryAll(selector) {
  if (typeof selector === 'string') return [...document.querySelectorAll(selector)];
  const implicit = { button: 'button, input[type=button], input[type=submit], input[type=reset]', link: 'a[href]' }[selector.role];
  const candidates = document.querySelectorAll(implicit ? `${implicit}, [role="${selector.role}"]` : `[role="${selector.role}"]`);
  const name = (element) => (element.getAttribute('aria-label') ?? element.value ?? element.textContent ?? '').trim();
  return [...candidates].filter((element) => selector.name === undefined || name(element).toLowerCase().includes(selector.name.toLowerCase()));
}

const describeSelector = (selector) => (typeof selector === 'string' ? selector : `role ${JSON.stringify(selector)}`);

// Helpers that run in the tests' own sandbox of a document, as Playwright's utility world does:
// what a page does to its globals cannot change what they see.
const UTILITY = 'redline-test-utility';

/** One browsing context (a tab's top document or a frame), behind Playwright's Frame subset. */
function firefoxFrame(bidi, context, page, parent, url = 'about:blank') {
  let current = url;
  const call = async (functionDeclaration, args, { sandbox, what, serialize } = {}) => {
    const result = await command(bidi, 'script.callFunction', {
      functionDeclaration,
      arguments: args,
      target: sandbox ? { context, sandbox } : { context },
      awaitPromise: true,
      resultOwnership: 'none',
      ...(serialize ? { serializationOptions: serialize } : {}),
    });
    if (serialize) {
      if (result.type === 'exception') scriptValue(result, what);
      return result.result;
    }
    return scriptValue(result, what);
  };
  /** `fn(element, arg)` on the `index`th match of `selector` (-1: the last), once there is one. */
  const onElement = (selector, index, fn, arg, { world = UTILITY, timeout } = {}) =>
    poll(
      async () => {
        const found = await call(
          `(selector, index, arg) => {
             const all = (${queryAll})(selector);
             const element = index < 0 ? all[all.length + index] : all[index];
             return element ? { value: (${fn})(element, arg) } : undefined;
           }`,
          [toLocalValue(selector), toLocalValue(index), toLocalValue(arg)],
          { sandbox: world === 'main' ? undefined : world, what: describeSelector(selector) },
        );
        return found;
      },
      { timeout, what: `an element matching ${describeSelector(selector)}` },
    ).then((found) => found.value);
  const frame = {
    bidi,
    bidiContext: context,
    url: () => current,
    setUrl(url) {
      current = url;
    },
    page: () => page,
    parentFrame: () => parent,
    isDetached: () => false,
    call,
    onElement,
    async evaluate(fn, arg) {
      return call(typeof fn === 'function' ? String(fn) : `() => (${fn})`, [toLocalValue(arg)], { what: 'evaluate' });
    },
    /** The <iframe> showing this frame, in its parent: found by the browsing context of its contentWindow. */
    async frameElement() {
      if (!parent) throw new Error('the main frame has no frame element');
      const windows = await parent.call('() => [...document.querySelectorAll("iframe, frame")].map((f) => f.contentWindow)', [], { sandbox: UTILITY, what: 'frames' });
      const index = windows.findIndex((w) => w?.context === context);
      if (index < 0) throw new Error(`no frame element shows ${current}`);
      const onFrameElement = (fn, arg) => parent.call(`(index, arg) => (${fn})(document.querySelectorAll("iframe, frame")[index], arg)`, [toLocalValue(index), toLocalValue(arg)], { what: 'frame element' });
      return {
        async boundingBox() {
          const [rect, origin] = await Promise.all([
            onFrameElement((element) => {
              const { x, y, width, height } = element.getBoundingClientRect();
              return { x, y, width, height };
            }),
            parent.origin(),
          ]);
          return { ...rect, x: rect.x + origin.x, y: rect.y + origin.y };
        },
        evaluate: onFrameElement,
      };
    },
    /** Where this frame's viewport starts in the tab's viewport. */
    async origin() {
      if (!parent) return { x: 0, y: 0 };
      const element = await frame.frameElement();
      const [box, inset] = await Promise.all([
        element.boundingBox(),
        element.evaluate((e) => {
          const style = getComputedStyle(e);
          return { x: parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft), y: parseFloat(style.borderTopWidth) + parseFloat(style.paddingTop) };
        }),
      ]);
      return { x: box.x + inset.x, y: box.y + inset.y };
    },
  };
  Object.assign(frame, selectorMethods(frame));
  return frame;
}

/**
 * Playwright's selector methods (CSS selectors only) on `frame`; a page has its main frame's. Reads
 * run in the tests' own sandbox, $eval and $$eval in the main world, as Playwright's do.
 */
function selectorMethods(frame) {
  const on = (selector, fn, arg, options) => frame.onElement(selector, 0, fn, arg, options);
  const methods = {
    locator: (selector) => firefoxLocator(frame, selector),
    getByRole: (role, { name } = {}) => firefoxLocator(frame, { role, name }),
    async waitForSelector(selector, { state = 'visible', timeout = 30_000 } = {}) {
      await poll(
        async () =>
          (await frame.call(
            `(selector, state) => {
               const element = document.querySelector(selector);
               const rect = element?.getBoundingClientRect();
               const visible = !!element && rect.width > 0 && rect.height > 0 && getComputedStyle(element).visibility === 'visible';
               return { attached: !!element, detached: !element, visible, hidden: !visible }[state];
             }`,
            [toLocalValue(selector), toLocalValue(state)],
            { sandbox: UTILITY, what: selector },
          ))
            ? true
            : undefined,
        { timeout, what: `${selector} to be ${state}` },
      );
    },
    async waitForFunction(fn, arg, { timeout = 30_000 } = {}) {
      return poll(async () => (await frame.evaluate(fn, arg)) || undefined, { timeout, what: `${fn} to hold` });
    },
    textContent: (selector) => methods.locator(selector).textContent(),
    innerText: (selector) => methods.locator(selector).innerText(),
    getAttribute: (selector, name) => methods.locator(selector).getAttribute(name),
    inputValue: (selector) => methods.locator(selector).inputValue(),
    isDisabled: (selector) => methods.locator(selector).isDisabled(),
    isVisible: (selector) => methods.locator(selector).isVisible(),
    isHidden: async (selector) => !(await methods.locator(selector).isVisible()),
    $eval: (selector, fn, arg) => on(selector, fn, arg, { world: 'main' }),
    $$eval: (selector, fn, arg) =>
      frame.call(`(selector, arg) => (${fn})([...document.querySelectorAll(selector)], arg)`, [toLocalValue(selector), toLocalValue(arg)], { what: selector }),
    async focus(selector) {
      await on(selector, (element) => element.focus());
      frame.page().mouse.focusedFrame(frame);
    },
    click: (selector, options) => methods.clickElement(selector, 0, options),
    /** Scrolls the element into view if need be and clicks its middle with the mouse, as Playwright's click does. */
    async clickElement(selector, index, options) {
      const box = await frame.onElement(selector, index, (element) => {
        const inView = (r) => r.top >= 0 && r.left >= 0 && r.bottom <= innerHeight && r.right <= innerWidth;
        if (!inView(element.getBoundingClientRect())) element.scrollIntoView({ block: 'center', inline: 'center' });
        const { x, y, width, height } = element.getBoundingClientRect();
        return { x, y, width, height };
      });
      const origin = await frame.origin();
      await frame.page().mouse.click(origin.x + box.x + box.width / 2, origin.y + box.y + box.height / 2, options);
    },
    check: (selector) => methods.setChecked(selector, true),
    uncheck: (selector) => methods.setChecked(selector, false),
    isChecked: (selector) => on(selector, (element) => element.checked),
    /** Playwright's check and uncheck: a click, only when the box is not in that state already. */
    async setChecked(selector, checked) {
      if ((await methods.isChecked(selector)) === checked) return;
      await methods.click(selector);
      if ((await methods.isChecked(selector)) !== checked) throw new Error(`clicking ${selector} did not make it ${checked ? 'checked' : 'unchecked'}`);
    },
    /** Playwright's fill: focus, select what the field holds, insert the text (an input event). */
    async fill(selector, value) {
      await on(
        selector,
        (element, value) => {
          element.focus();
          element.select?.();
          if (value === '') document.execCommand('delete');
          else document.execCommand('insertText', false, value);
        },
        value,
      );
    },
    async selectOption(selector, value) {
      return on(
        selector,
        (select, value) => {
          const option = [...select.options].find((o) => o.value === value || o.label === value);
          if (!option) throw new Error(`no option ${value}`);
          select.value = option.value;
          select.dispatchEvent(new Event('input', { bubbles: true }));
          select.dispatchEvent(new Event('change', { bubbles: true }));
          return [option.value];
        },
        value,
      );
    },
    async setInputFiles(selector, files) {
      const element = await poll(
        async () => {
          const node = await frame.call('(selector) => document.querySelector(selector)', [toLocalValue(selector)], { what: selector, serialize: { maxDomDepth: 0 } });
          return node.type === 'null' ? undefined : node;
        },
        { what: selector },
      );
      await command(frame.bidi, 'input.setFiles', { context: frame.bidiContext, element: { sharedId: element.sharedId }, files: [files].flat() });
    },
  };
  return methods;
}

/** `selector`'s `index`th element, behind Playwright's Locator subset (no strictness). */
function firefoxLocator(frame, selector, index = 0) {
  const on = (fn, arg) => frame.onElement(selector, index, fn, arg);
  return {
    first: () => firefoxLocator(frame, selector, 0),
    last: () => firefoxLocator(frame, selector, -1),
    nth: (n) => firefoxLocator(frame, selector, n),
    count: () => frame.call(`(selector) => (${queryAll})(selector).length`, [toLocalValue(selector)], { sandbox: UTILITY, what: String(selector) }),
    allTextContents: () => frame.call(`(selector) => (${queryAll})(selector).map((e) => e.textContent)`, [toLocalValue(selector)], { sandbox: UTILITY, what: String(selector) }),
    getAttribute: (name) => on((element, name) => element.getAttribute(name), name),
    textContent: () => on((element) => element.textContent),
    innerText: () => on((element) => element.innerText),
    inputValue: () => on((element) => element.value),
    isDisabled: () => on((element) => element.disabled === true),
    isVisible: () => frame.call(`(selector, index) => { const all = (${queryAll})(selector); const e = index < 0 ? all[all.length + index] : all[index]; if (!e) return false; const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility === 'visible'; }`, [toLocalValue(selector), toLocalValue(index)], { sandbox: UTILITY, what: selector }),
    boundingBox: () =>
      on((element) => {
        const { x, y, width, height } = element.getBoundingClientRect();
        return { x, y, width, height };
      }),
    click: (options) => frame.clickElement(selector, index, options),
    evaluate: (fn, arg) => frame.onElement(selector, index, fn, arg, { world: 'main' }),
  };
}

/**
 * One tab, behind Playwright's Page subset: navigation (goto, reload, goBack, waitForURL; url()
 * follows in-page navigations through BiDi's events), evaluation in the main world, selectors
 * (CSS only) as Playwright's page methods and locators take them, mouse and keyboard through
 * input.performActions, frames, page errors, routes, downloads.
 */
function firefoxPage(shared, context) {
  const { driver, bidi, server, navigationStatus, frames, pages, downloads } = shared;
  const listeners = new Map();
  const emit = (event, value) => {
    for (const listener of listeners.get(event) ?? []) listener(value);
  };
  let mouse = { x: 0, y: 0 };
  let closed = false;
  // Firefox hit-tests and delivers input in the selected tab only; Playwright's pages all act as if
  // in front, so input to a page brings its tab to the front first.
  const perform = async (actions, target = context) => {
    if (shared.front !== context) await page.bringToFront();
    await command(bidi, 'input.performActions', { context: target, actions });
  };
  // Actions on the tab's context reach its own process only: neither a click nor a key reaches a
  // frame in another process (Fission). So the mouse is routed, as the browser would, to the frame
  // drawn at the point (in that frame's coordinates), and keys go to the frame last clicked or
  // focused, where the focus is.
  let keyTarget = context;
  const keys = (actions) => perform([{ type: 'key', id: 'keyboard', actions }], frames.has(keyTarget) ? keyTarget : context);
  const pointer = (actions, target) => perform([{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions }], target);
  /** The frame drawn at (x, y) of the tab's viewport, and the point in its own viewport. */
  const frameAt = async (x, y) => {
    let frame = frames.get(context);
    let local = { x, y };
    if (page.frames().length === 1) return { frame, ...local };
    for (;;) {
      const hit = await frame.call(
        `(x, y) => { const e = document.elementFromPoint(x, y); return e?.localName === 'iframe' || e?.localName === 'frame' ? e.contentWindow : null; }`,
        [toLocalValue(local.x), toLocalValue(local.y)],
        { sandbox: UTILITY, what: 'the frame at a point' },
      );
      const child = hit?.context && frames.get(hit.context);
      if (!child) return { frame, ...local };
      const origin = await child.origin();
      frame = child;
      local = { x: x - origin.x, y: y - origin.y };
    }
  };

  const keyboard = {
    async press(combo) {
      // "Shift+Tab", "ControlOrMeta+A", "+" alone.
      const parts = combo === '+' ? ['+'] : combo.split('+');
      const codes = parts.map(keyCode);
      await keys([...codes.map((value) => ({ type: 'keyDown', value })), ...codes.reverse().map((value) => ({ type: 'keyUp', value }))]);
    },
    async down(key) {
      await keys([{ type: 'keyDown', value: keyCode(key) }]);
    },
    async up(key) {
      await keys([{ type: 'keyUp', value: keyCode(key) }]);
    },
    async type(text) {
      await keys([...text].flatMap((value) => [{ type: 'keyDown', value }, { type: 'keyUp', value }]));
    },
    // Playwright's insertText: an input event, no key events.
    async insertText(text) {
      await page.mainFrame().call('(text) => { document.execCommand("insertText", false, text); }', [toLocalValue(text)], { what: 'insertText' });
    },
  };

  const mouseApi = {
    async move(x, y) {
      mouse = { x: Math.round(x), y: Math.round(y) };
      await pointer([{ type: 'pointerMove', x: mouse.x, y: mouse.y, origin: 'viewport' }]);
    },
    async click(x, y, { button = 'left', clickCount = 1 } = {}) {
      mouse = { x: Math.round(x), y: Math.round(y) };
      const which = { left: 0, middle: 1, right: 2 }[button];
      const presses = Array.from({ length: clickCount }, () => [
        { type: 'pointerDown', button: which },
        { type: 'pointerUp', button: which },
      ]).flat();
      const at = await frameAt(x, y);
      keyTarget = at.frame.bidiContext;
      await pointer([{ type: 'pointerMove', x: Math.round(at.x), y: Math.round(at.y), origin: 'viewport' }, ...presses], at.frame.bidiContext);
    },
    async wheel(deltaX, deltaY) {
      await perform([{ type: 'wheel', id: 'wheel', actions: [{ type: 'scroll', x: mouse.x, y: mouse.y, origin: 'viewport', deltaX: Math.round(deltaX), deltaY: Math.round(deltaY) }] }]);
    },
    /** Where keys go from now on: the frame that took the focus. */
    focusedFrame(frame) {
      keyTarget = frame.bidiContext;
    },
  };

  const page = {
    bidi,
    bidiContext: context,
    keyboard,
    mouse: mouseApi,
    mainFrame: () => frames.get(context),
    frames: () => [...frames.values()].filter((frame) => frame.page() === page),
    url: () => page.mainFrame().url(),
    isClosed: () => closed,
    on(event, listener) {
      if (!listeners.has(event)) listeners.set(event, []);
      listeners.get(event).push(listener);
      return page;
    },
    off(event, listener) {
      listeners.set(event, (listeners.get(event) ?? []).filter((l) => l !== listener));
      return page;
    },
    emit(entry) {
      // Firefox logs what the browser itself reports (a CSP violation…) as a "javascript" entry
      // without a stack; Chromium, and so the tests, count those as console errors.
      if (entry.type === 'javascript' && !entry.stackTrace) emit('console', { type: () => 'error', text: () => entry.text ?? '' });
      else if (entry.type === 'javascript') emit('pageerror', { message: entry.text, toString: () => entry.text });
      else if (entry.type === 'console') emit('console', { type: () => (entry.method === 'warn' ? 'warning' : entry.method), text: () => entry.text ?? '' });
    },
    download(params) {
      const ended = new Promise((resolve) => downloads.push(resolve));
      emit('download', {
        url: () => params.url,
        suggestedFilename: () => params.suggestedFilename,
        async path() {
          const end = await ended;
          if (end.status !== 'complete' || !end.filepath) throw new Error(`download ${params.url}: ${end.status}, no file path`);
          return end.filepath;
        },
      });
    },
    waitForEvent(event, { predicate = () => true, timeout = 30_000 } = {}) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          page.off(event, listener);
          reject(new Error(`timed out after ${timeout} ms waiting for the page's ${event} event`));
        }, timeout);
        const listener = (value) => {
          if (!predicate(value)) return;
          clearTimeout(timer);
          page.off(event, listener);
          resolve(value);
        };
        page.on(event, listener);
      });
    },
    async goto(url) {
      const { navigation, url: landed } = await command(bidi, 'browsingContext.navigate', { context, url, wait: 'complete' });
      page.mainFrame().setUrl(landed ?? url);
      // The network event can trail the command's answer by a moment; the server's record stands in.
      const deadline = Date.now() + 500;
      while (!navigationStatus.has(navigation) && Date.now() < deadline) await sleep(10);
      const status = navigationStatus.get(navigation) ?? server.statuses.get(new URL(url).href.replace(/#.*$/, '')) ?? 0;
      navigationStatus.delete(navigation);
      return { status: () => status, url: () => page.url() };
    },
    async reload() {
      await command(bidi, 'browsingContext.reload', { context, wait: 'complete' });
    },
    async goBack() {
      const before = page.url();
      await command(bidi, 'browsingContext.traverseHistory', { context, delta: -1 });
      // Resolves once the URL has moved (a fragment or history entry of the same document included).
      await poll(async () => (page.url() !== before ? true : undefined), { timeout: 5_000, what: 'the URL to change on going back' }).catch(() => {});
    },
    async setViewportSize(viewport) {
      await command(bidi, 'browsingContext.setViewport', { context, viewport });
    },
    async bringToFront() {
      await command(bidi, 'browsingContext.activate', { context });
      shared.front = context;
    },
    async waitForURL(pattern, { timeout = 30_000 } = {}) {
      const matches = urlMatcher(pattern);
      await poll(async () => (matches(page.url()) ? true : undefined), { timeout, what: `the URL to match ${pattern} (at ${page.url()})` });
      await poll(
        async () => ((await page.mainFrame().call('() => document.readyState', [], { sandbox: UTILITY, what: 'readyState' }).catch(() => 'loading')) === 'complete' ? true : undefined),
        { timeout, what: `${page.url()} to load` },
      );
    },
    async title() {
      return page.mainFrame().call('() => document.title', [], { sandbox: UTILITY, what: 'title' });
    },
    evaluate: (fn, arg) => page.mainFrame().evaluate(fn, arg),
    /** Runs in the main world of every document this tab loads from now on, before its own scripts. */
    async addInitScript(fn, arg) {
      const source = typeof fn === 'function' ? `(${fn})(${JSON.stringify(arg)})` : String(fn);
      await command(bidi, 'script.addPreloadScript', { functionDeclaration: `() => { ${source}; }`, contexts: [context] });
    },
    /** Firefox has no per-page media emulation over BiDi: the browser-wide pref stands in (tests start a browser each). */
    async emulateMedia({ reducedMotion } = {}) {
      if (reducedMotion === undefined) return;
      await driver.setContext('chrome');
      try {
        await driver.executeScript(
          `const [value] = arguments;
           if (value === null) Services.prefs.clearUserPref('ui.prefersReducedMotion');
           else Services.prefs.setIntPref('ui.prefersReducedMotion', value);`,
          reducedMotion === null ? null : reducedMotion === 'reduce' ? 1 : 0,
        );
      } finally {
        await driver.setContext('content');
      }
    },
    /** Answered by the fixture server, which sees no tab: a route holds for every tab until this one closes. */
    async route(pattern, handler) {
      server.routes.unshift({ pattern, matches: urlMatcher(pattern), handler, page });
    },
    closedByBrowser() {
      if (closed) return;
      closed = true;
      pages.splice(pages.indexOf(page), 1);
      for (let i = server.routes.length - 1; i >= 0; i--) if (server.routes[i].page === page) server.routes.splice(i, 1);
      emit('close', page);
    },
    async close() {
      if (closed) return;
      closed = true;
      pages.splice(pages.indexOf(page), 1);
      for (let i = server.routes.length - 1; i >= 0; i--) if (server.routes[i].page === page) server.routes.splice(i, 1);
      // The browser may have closed the tab itself a moment ago (its contextDestroyed event not yet
      // read here): the tab is gone either way, which is what closing asks for.
      await command(bidi, 'browsingContext.close', { context }).catch((error) => {
        if (!/no such frame/.test(error.message)) throw error;
      });
      for (const [id, frame] of frames) if (frame.page() === page) frames.delete(id);
    },
  };
  const main = firefoxFrame(bidi, context, page, null);
  frames.set(context, main);
  for (const [name, method] of Object.entries(selectorMethods(main))) page[name] = method;
  return page;
}

/**
 * harness.mjs stopWorker for Firefox: the event page is suspended as Firefox suspends it after a
 * while without events (the Extension's own terminateBackground, which about:debugging's Terminate
 * button calls), from the browser's privileged scope; the next event starts it afresh.
 */
export async function stopBackgroundFirefox(browser, timeout = 10_000) {
  const { driver } = browser;
  await driver.setContext('chrome');
  try {
    await driver.manage().setTimeouts({ script: timeout });
    const state = await driver.executeAsyncScript(
      `const [id, done] = arguments;
       const { extension } = WebExtensionPolicy.getByID(id);
       extension.terminateBackground({ disableResetIdleForTest: true }).then(
         () => done(String(extension.backgroundState)),
         (error) => done('failed: ' + error),
       );`,
      GECKO_ID,
    );
    if (state !== 'stopped') throw new Error(`the event page did not stop (${state})`);
  } finally {
    await driver.setContext('content');
  }
}

// ---- redline's own UI -------------------------------------------------------------------------
// Read in a sandbox of the tests' own (a separate realm that sees the DOM through Xray wrappers,
// so what a page does to its globals and prototypes cannot lie to it). Closed shadow roots are out
// of any script's reach; BiDi's serializer hands them over as node references, which a later call
// receives as arguments.

const EYES = 'redline-test-eyes';

/**
 * harness.mjs exposeShadowRoot for a Firefox page: BiDi hands out a closed shadow root as a node
 * reference, which a call in the page's main world receives as an argument like any node.
 */
export async function exposeShadowRootFirefox(page, id, name) {
  const { bidi } = page;
  const found = await command(bidi, 'script.callFunction', {
    functionDeclaration: '(id) => document.getElementById(id)',
    arguments: [{ type: 'string', value: id }],
    target: { context: page.bidiContext, sandbox: EYES },
    awaitPromise: false,
    serializationOptions: { maxDomDepth: 0, includeShadowTree: 'all' },
  });
  const root = found.result?.value?.shadowRoot;
  if (!root?.sharedId) throw new Error(`#${id} has no shadow root`);
  scriptValue(
    await command(bidi, 'script.callFunction', {
      functionDeclaration: '(root, name) => { window[name] = root; }',
      arguments: [{ sharedId: root.sharedId }, { type: 'string', value: name }],
      target: { context: page.bidiContext },
      awaitPromise: false,
      resultOwnership: 'none',
    }),
    `handing #${id}'s shadow root to the page`,
  );
}

/** harness.mjs readUi for a Firefox page: `read(root, host, arg)` on `#id` and its closed shadow root. */
export async function readUiFirefox(page, id, read, arg) {
  const { bidi } = page;
  const target = { context: page.bidiContext, sandbox: EYES };
  const found = await command(bidi, 'script.callFunction', {
    functionDeclaration: '(id) => document.getElementById(id)',
    arguments: [{ type: 'string', value: id }],
    target,
    awaitPromise: false,
    serializationOptions: { maxDomDepth: 0, includeShadowTree: 'all' },
  });
  if (found.type === 'exception') return scriptValue(found, `reading #${id}`);
  const host = found.result;
  if (host.type === 'null') return null;
  const root = host.value?.shadowRoot;
  if (!root?.sharedId) throw new Error(`#${id} has no shadow root`);
  const result = await command(bidi, 'script.callFunction', {
    functionDeclaration: `(root, host, arg) => (${read})(root, host, arg)`,
    arguments: [{ sharedId: root.sharedId }, { sharedId: host.sharedId }, toLocalValue(arg)],
    target,
    awaitPromise: true,
    resultOwnership: 'none',
  });
  return scriptValue(result, `reading #${id}`);
}

// ---- the toolbar popup ------------------------------------------------------------------------
// browser.action.openPopup(), called in the extension tab (a privileged moz-extension document),
// opens the popup for the window's selected tab. The popup is no BiDi browsing context, but it
// lives in the extension's process with the extension tab, which reaches its window through
// browser.extension.getViews({ type: 'popup' }): the tests' functions run there with the popup's
// window as their global scope (a `with` block, in code BiDi evaluates, which the extension's
// CSP does not govern). Keys are the events the popup's handlers see: keydown and keyup on the
// focused element, dispatched from script (not trusted), text inserted as the key's default action
// would (execCommand insertText: beforeinput and input), and Enter or Space on a button clicks it.

/** `fn(arg)` in the open popup, its value as JSON; `fn` is a function or its source. */
function inPopup(extension, fn, arg) {
  return extension.evaluate(
    `async (arg) => {
      const view = browser.extension.getViews({ type: 'popup' })[0];
      if (!view) throw new Error('no popup is open');
      let value;
      with (view) { value = await (${fn})(arg); }
      return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
    }`,
    arg,
  );
}

/** A key as the popup's handlers see it. Runs in the popup. */
function pressInPopup({ key, code, keyCode, text }) {
  const target = document.activeElement ?? document.body;
  const init = { key, code, keyCode, which: keyCode, bubbles: true, cancelable: true, composed: true, view: window };
  const editable = target.localName === 'input' || target.localName === 'textarea';
  if (target.dispatchEvent(new KeyboardEvent('keydown', init))) {
    if (editable && text) document.execCommand('insertText', false, text);
    else if (editable && key === 'Backspace') document.execCommand('delete');
    else if (editable && key === 'Delete') document.execCommand('forwardDelete');
    else if (target.localName === 'button' && key === 'Enter') target.click();
  }
  if (window.closed) return;
  const up = target.dispatchEvent(new KeyboardEvent('keyup', init));
  if (up && target.localName === 'button' && key === ' ' && !window.closed) target.click();
}

const POPUP_KEYS = {
  Enter: { code: 'Enter', keyCode: 13 },
  Escape: { code: 'Escape', keyCode: 27 },
  ArrowDown: { code: 'ArrowDown', keyCode: 40 },
  ArrowUp: { code: 'ArrowUp', keyCode: 38 },
  PageDown: { code: 'PageDown', keyCode: 34 },
  PageUp: { code: 'PageUp', keyCode: 33 },
  Tab: { code: 'Tab', keyCode: 9 },
  Backspace: { code: 'Backspace', keyCode: 8 },
  Delete: { code: 'Delete', keyCode: 46 },
};

/** A character typed on a US keyboard. */
function popupKeyOf(char) {
  if (char === ' ') return { key: ' ', code: 'Space', keyCode: 32, text: ' ' };
  const upper = char.toUpperCase();
  const code = /[a-z]/i.test(char) ? `Key${upper}` : /\d/.test(char) ? `Digit${char}` : '';
  return { key: char, code, keyCode: /[a-z\d]/i.test(char) ? upper.charCodeAt(0) : 0, text: char };
}

const popupOpen = (extension) => extension.evaluate(() => browser.extension.getViews({ type: 'popup' }).length > 0);

/** popup-page.mjs's Popup for Firefox: read, waitFor, press, type, evaluate, closed, close. */
class FirefoxPopup {
  constructor(extension, readPopup) {
    Object.assign(this, { extension, readPopup, isClosed: false, watching: true });
    this.closed = (async () => {
      while (this.watching) {
        if (!(await popupOpen(extension).catch(() => true))) break;
        await sleep(50);
      }
      this.isClosed = true;
    })();
  }

  async evaluate(fn, arg) {
    try {
      return await inPopup(this.extension, fn, arg);
    } catch (error) {
      throw new Error(`in the popup: ${error.message}`);
    }
  }

  read() {
    return this.evaluate(this.readPopup);
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
    const key = { key: name, ...POPUP_KEYS[name] };
    if (!POPUP_KEYS[name]) throw new Error(`popup.press: no key "${name}"`);
    await this.evaluate(pressInPopup, key).catch((error) => {
      if (!this.isClosed && !/no popup is open|dead object/.test(error.message)) throw error;
    });
  }

  /** Types `text` one key at a time (keydown, input, keyup per character). */
  async type(text) {
    for (const char of text) await this.evaluate(pressInPopup, popupKeyOf(char));
  }

  async screenshot() {
    throw new Error('popup.screenshot: the Firefox popup is no BiDi browsing context, which browsingContext.captureScreenshot needs');
  }

  async close() {
    if (!this.isClosed) await this.evaluate(() => window.close()).catch(() => {});
    const deadline = Date.now() + 2_000;
    while (!this.isClosed && Date.now() < deadline) await sleep(25);
    this.watching = false;
  }
}

/**
 * popup-page.mjs openPopup for Firefox: `page`'s tab brought to the front (the popup's
 * tabs.query({ active, currentWindow }) finds it), browser.action.openPopup() from the extension
 * tab, and the popup once `until(readPopup())` holds.
 */
export async function openPopupFirefox(browser, page, { timeout = 10_000, until, readPopup }) {
  const { extension } = browser.context;
  // A popup left open (by a test that failed before closing it) would be the one found: a click on
  // the toolbar button closes an open popup too.
  await extension.evaluate(() => {
    for (const view of browser.extension.getViews({ type: 'popup' })) view.close();
  });
  await poll(async () => ((await popupOpen(extension)) ? undefined : true), { timeout, what: 'the previous popup to close' });
  await page.bringToFront();
  await extension.evaluate(() => browser.action.openPopup());
  await poll(async () => ((await popupOpen(extension)) ? true : undefined), { timeout, what: 'the popup to open' });
  const popup = new FirefoxPopup(extension, readPopup);
  await popup.waitFor(until, { timeout, what: 'the popup to open' });
  // A person types into the popup once it is shown, which gives its window the focus; its page can
  // be loaded, and even ready, a moment before Firefox shows the panel (on a busy machine).
  await poll(async () => ((await popup.evaluate(() => document.hasFocus())) ? true : undefined), { timeout, what: 'the popup to be shown, with the focus' });
  return popup;
}

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

export const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';
// Where scripts/setup.sh's `cargo install` puts it, which need not be on PATH.
export const GECKODRIVER =
  process.env.GECKODRIVER ?? [join(process.env.CARGO_HOME ?? join(homedir(), '.cargo'), 'bin/geckodriver')].find(existsSync) ?? 'geckodriver';
export const GECKO_ID = 'redline@redline.dev';

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
  const answer = (scheme) => (request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      // Through a proxy a plain-http request carries its absolute URL; inside a tunnel only the path.
      const url = /^https?:\/\//.test(request.url) ? request.url : `${scheme}://${request.headers.host}${request.url}`;
      const body = chunks.length ? Buffer.concat(chunks).toString('utf8') : null;
      const reply = router.respond(url, body);
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
 * launchBrowser result: `{ engine, context, fixtures, worker: null, close }`.
 */
export async function launchFirefox({ headed = false, viewport = { width: 1280, height: 720 }, dist }) {
  if (!existsSync(FIREFOX)) throw new Error(`${FIREFOX} does not exist: run scripts/setup.sh`);
  const router = fixtureRouter();
  const server = await startFixtureServer(router);
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
    };
    for (const [name, value] of Object.entries(prefs)) options.setPreference(name, value);
    driver = await new Builder()
      .forBrowser('firefox')
      .setFirefoxOptions(options)
      .setFirefoxService(new firefox.ServiceBuilder(GECKODRIVER))
      .build();
    const bidi = await driver.getBidi();
    await installExtension(driver, bidi, dist);
    const context = await browserContext(bidi, server, viewport);
    return {
      engine: 'firefox',
      driver,
      bidi,
      context,
      fixtures: { cspReports: router.cspReports, set: router.set },
      // An event page, not a service worker: nothing for a test to hold on to.
      worker: null,
      async close() {
        await driver.quit().catch(() => {});
        await server.close();
      },
    };
  } catch (error) {
    await driver?.quit().catch(() => {});
    await server.close();
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

/** The default user context (profile) of the session, behind Playwright's BrowserContext subset. */
async function browserContext(bidi, server, viewport) {
  // Navigation id → the document's response status, from the network events.
  const navigationStatus = new Map();
  bidi.on('network.responseCompleted', ({ navigation, response }) => {
    if (navigation) navigationStatus.set(navigation, response.status);
  });
  await command(bidi, 'session.subscribe', { events: ['network.responseCompleted'] });
  const pages = [];
  return {
    pages: () => [...pages],
    async newPage() {
      const { context } = await command(bidi, 'browsingContext.create', { type: 'tab' });
      if (viewport) await command(bidi, 'browsingContext.setViewport', { context, viewport });
      const page = firefoxPage(bidi, context, server, navigationStatus, () => pages.splice(pages.indexOf(page), 1));
      pages.push(page);
      return page;
    },
    async clearCookies() {
      await command(bidi, 'storage.deleteCookies', {});
    },
    async addCookies(cookies) {
      for (const cookie of cookies) await command(bidi, 'storage.setCookie', { cookie: toBidiCookie(cookie) });
    },
  };
}

/** One tab, behind Playwright's Page subset: goto, evaluate (main world), url, close. */
function firefoxPage(bidi, context, server, navigationStatus, forget) {
  let current = 'about:blank';
  return {
    bidi,
    bidiContext: context,
    url: () => current,
    async goto(url) {
      const { navigation, url: landed } = await command(bidi, 'browsingContext.navigate', { context, url, wait: 'complete' });
      current = landed ?? url;
      // The network event can trail the command's answer by a moment; the server's record stands in.
      const deadline = Date.now() + 500;
      while (!navigationStatus.has(navigation) && Date.now() < deadline) await sleep(10);
      const status = navigationStatus.get(navigation) ?? server.statuses.get(new URL(url).href.replace(/#.*$/, '')) ?? 0;
      navigationStatus.delete(navigation);
      return { status: () => status, url: () => current };
    },
    async evaluate(fn, arg) {
      const result = await command(bidi, 'script.callFunction', {
        functionDeclaration: String(fn),
        arguments: [toLocalValue(arg)],
        target: { context },
        awaitPromise: true,
        resultOwnership: 'none',
      });
      return scriptValue(result, 'page.evaluate');
    },
    async close() {
      forget();
      await command(bidi, 'browsingContext.close', { context });
    },
  };
}

// ---- redline's own UI -------------------------------------------------------------------------
// Read in a sandbox of the tests' own (a separate realm that sees the DOM through Xray wrappers,
// so what a page does to its globals and prototypes cannot lie to it). Closed shadow roots are out
// of any script's reach; BiDi's serializer hands them over as node references, which a later call
// receives as arguments.

const EYES = 'redline-test-eyes';

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

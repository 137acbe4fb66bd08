// The only place the wasm core runs for content scripts: a console page's CSP blocks wasm
// compilation in a content script and reports the attempt to the console's server.
import init, { Redline } from '../pkg/redline.js';
import { readManagedCache, readManagedText, readUserText, touchesConfiguration } from './storage.js';
import { toolbarTitle, withTabState } from './tab-state.js';

const ext = globalThis.browser ?? chrome;

// Started once per worker life, the wasm and the stored texts side by side; a message that woke a
// cold worker awaits the same promise, which settles once the configuration is in force.
const engine = init({ module_or_path: ext.runtime.getURL('pkg/redline_bg.wasm') }).then(() => new Redline());
let configured = null; // the last configuration change: {applied, user, managed, notices, ...}
let inForce = { user: undefined, managed: undefined };
// The organisation's text. storage.managed answers only once Chromium's policy service is up, about
// 5 s after the browser starts (with or without a policy): a banner cannot wait that long, so the
// text last read from policy stands in until the real one arrives, then every tab is re-evaluated.
let managedText = readManagedCache().catch(() => undefined);
let configReady = Promise.all([engine, readTexts()])
  .then(([redline, texts]) => configure(redline, texts))
  // The seed stays in force; evaluate still reports a wasm that failed to load.
  .catch((error) => console.warn('redline: configuring failed', error));
readManagedText().then((text) => {
  managedText = Promise.resolve(text);
  reconfigure();
});

const DEFAULT_TITLE = ext.runtime.getManifest().action.default_title;
// The options page may be in a tab: what tells it from a content script is its URL.
const isExtensionPage = (sender) => sender.id === ext.runtime.id && sender.url?.startsWith(ext.runtime.getURL(''));

// Registered synchronously at top level so the event that starts the worker is delivered to it.
ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (message?.type === 'status' && isExtensionPage(sender)) {
    configReady.then(() => sendResponse({ configured, source: inForce.source ?? 'seed', managed: inForce.managed ?? null }));
    return true;
  }
  if (message?.type !== 'evaluate') return false;
  // The tab's danger clock and acknowledgement go with the verdict (tab-state.js).
  evaluate(message)
    .then((reply) => withTabState(sender, reply))
    .then((reply) => {
      // The page banner first; the badge follows.
      sendResponse(reply);
      // After an error a badge left over from an earlier verdict would be stale: clear it.
      showOnToolbar(sender.tab?.id, reply.verdict ?? null);
    });
  return true;
});

// A saved edit, a policy change or a text synced from another browser: every open console tab
// gets the new verdict at once, without a reload.
ext.storage.onChanged.addListener((changes, area) => {
  if (!touchesConfiguration(changes, area)) return;
  if (area === 'managed') managedText = readManagedText();
  reconfigure();
});

/** Configures from the stored texts after any configuring under way; re-evaluates every tab if they changed. */
function reconfigure() {
  configReady = configReady
    .then(async () => configure(await engine, await readTexts()))
    .then((changed) => changed && reevaluateTabs())
    .catch((error) => console.warn('redline: reconfiguring failed', error));
}

async function readTexts() {
  const [user, managed] = await Promise.all([
    readUserText().catch(() => ({ text: undefined, source: 'seed' })),
    managedText,
  ]);
  return { user: user.text, source: user.source, managed };
}

/**
 * Puts the texts in force; true when they differ from the ones in force. The core takes each text
 * on its own: a broken one leaves its last sound version in force (the seed for the user's after a
 * restart) and the other still applies; the result lists the errors for the options page.
 */
function configure(redline, texts) {
  if (configured && texts.user === inForce.user && texts.managed === inForce.managed) {
    inForce = texts; // the same text, perhaps from elsewhere (sync once the local copy is gone)
    return false;
  }
  configured = JSON.parse(redline.configure(texts.user, texts.managed));
  if (!configured.applied) console.warn('redline: configuration not applied as stored', configured);
  inForce = texts;
  ext.runtime.sendMessage({ type: 'configured', configured }).catch(() => {});
  return true;
}


async function reevaluateTabs() {
  // Tab ids need no "tabs" permission; tabs without the content script refuse the message.
  const tabs = await ext.tabs.query({});
  await Promise.all(tabs.map((tab) => ext.tabs.sendMessage(tab.id, { type: 'reevaluate' }).catch(() => {})));
}

async function evaluate({ url, signals }) {
  try {
    const redline = await engine;
    await configReady;
    return { verdict: JSON.parse(redline.evaluate(url, JSON.stringify(signals))) };
  } catch (error) {
    return { error: String(error) };
  }
}

async function showOnToolbar(tabId, verdict) {
  if (tabId === undefined) return;
  try {
    if (verdict) {
      await Promise.all([
        ext.action.setBadgeText({ tabId, text: verdict.badge }),
        ext.action.setBadgeBackgroundColor({ tabId, color: verdict.colors.background }),
        ext.action.setBadgeTextColor({ tabId, color: verdict.colors.foreground }),
        ext.action.setTitle({ tabId, title: toolbarTitle(verdict) }),
      ]);
    } else {
      await Promise.all([
        ext.action.setBadgeText({ tabId, text: '' }),
        ext.action.setTitle({ tabId, title: DEFAULT_TITLE }),
      ]);
    }
  } catch (error) {
    // The tab may have closed meanwhile; the page banner still gets its answer.
    console.warn('redline: toolbar update failed', error);
  }
}

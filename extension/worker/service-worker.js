// The only place the wasm core runs for content scripts: a console page's CSP blocks wasm
// compilation in a content script and reports the attempt to the console's server.
import '../shared/messages.js'; // RedlineMessages
import * as glue from '../../pkg/redline.js';
import { CoreStopped, startCore } from '../shared/core.js';
import {
  readCompiled,
  readLearnedText,
  readManagedCache,
  readManagedText,
  readUserText,
  saveLearned,
  touchesConfiguration,
  writeCompiled,
} from '../shared/storage.js';
import { readPage, readPages, useDangerSteps, withTabState } from './tab-state.js';
import { switchTo } from './switching.js';
import { configuration, forgetVerdicts, keepVerdict, openToContentScripts } from './verdicts.js';
import { ext } from '../shared/browser.js';
import { NOTICE, NOTICE_KEY } from '../welcome/notice.js';

openToContentScripts();

// The welcome page on install; after an update only when it has something new users must know
// (notice.js), then at "What's new". Registered at once: the event fires as the worker starts.
// Recorded once the tab is open: a tab that failed to open is opened at the next chance.
ext.runtime.onInstalled.addListener(async ({ reason }) => {
  const installed = reason === 'install';
  if (!installed && reason !== 'update') return;
  if (!installed) {
    const stored = await ext.storage.local.get(NOTICE_KEY).catch(() => null);
    // Unreadable storage tells nothing new: no page, rather than one at every update.
    if (stored === null) return;
    const shown = Number.isInteger(stored[NOTICE_KEY]) ? stored[NOTICE_KEY] : 0;
    if (shown >= NOTICE.id) return;
  }
  await ext.tabs.create({ url: ext.runtime.getURL(`extension/welcome/welcome.html${installed ? '' : '#whats-new'}`) });
  await ext.storage.local.set({ [NOTICE_KEY]: NOTICE.id }).catch(() => {});
});

// Started once per worker life, the wasm and the stored texts side by side; a message that woke a
// cold worker awaits the same promise, which settles once the configuration is in force.
// After a trap the core is started again with the texts last put in force (they configured
// cleanly); the texts that stopped it are set aside and never tried again.
const { learnPortal, dangerSteps } = glue;
const engine = startCore(glue, ext.runtime.getURL('pkg/redline_bg.wasm'), {
  onRestart: (redline) => redline.configure(inForce.user, inForce.managed, inForce.learned),
});
useDangerSteps(async (danger, tab, now) => {
  const core = await engine;
  const { headline, elapsedLabel, reminderText, reminderMinutes, acknowledgeKey } = danger;
  const { since, confirmedAt, acknowledged } = tab;
  return JSON.parse(
    core.run(() => dangerSteps(headline, elapsedLabel, reminderText, reminderMinutes, Boolean(acknowledgeKey), since, confirmedAt ?? undefined, acknowledged ?? undefined, now)),
  );
});
let configured = null; // the last configuration change: {applied, user, managed, notices, ...}
let inForce = { user: undefined, managed: undefined, learned: undefined };
let setAside = null; // the texts that stopped the core: {user, managed, learned}
let restored = false; // whether this worker started from its compiled configuration
// The popup's rows as the core lists them (listForPopup), made just after each configuration
// (listTargetsSoon): at 5,000 targets listing takes the wasm 50 to 250 ms, which a popup cannot spare.
let popupList = null;
// The organisation's text. storage.managed answers only once Chromium's policy service is up, about
// 5 s after the browser starts (with or without a policy): a banner cannot wait that long, so the
// text last read from policy stands in until the real one arrives, then every tab is re-evaluated.
let managedText = readManagedCache().catch(() => undefined);
let configReady = Promise.all([engine.then(compileFirstPaths), readTexts(), readCompiled()])
  .then(([core, texts, compiled]) => {
    const changed = restore(core, texts, compiled) || configure(core, texts);
    listTargetsSoon(core);
    return changed;
  })
  // The seed stays in force; evaluate still reports a wasm that failed to load.
  .catch((error) => console.warn('redline: configuring failed', error));
readManagedText().then((text) => {
  managedText = Promise.resolve(text);
  reconfigure();
});

const DEFAULT_TITLE = ext.runtime.getManifest().action.default_title;
const STOPPED = 'A new configuration stopped redline’s core: it is set aside, and the last sound configuration stays in force. Open the options page to fix it.';
// The options page may be in a tab: what tells it from a content script is its URL.
const isExtensionPage = (sender) => sender.id === ext.runtime.id && sender.url?.startsWith(ext.runtime.getURL(''));

// Registered synchronously at top level so the event that starts the worker is delivered to it.
ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (message?.type === RedlineMessages.STATUS && isExtensionPage(sender)) {
    configReady.then(() => sendResponse({ configured, source: inForce.source ?? 'seed', managed: inForce.managed ?? null }));
    return true;
  }
  // The popup's questions where no MessageChannel reaches the background (browser.js).
  if (Object.hasOwn(POPUP_REQUESTS, message?.type) && isExtensionPage(sender)) {
    answerPopup(message).then(sendResponse);
    return true;
  }
  if (message?.type === RedlineMessages.PORTAL && sender.id === ext.runtime.id && sender.frameId === 0 && sender.url) {
    learn(sender.url, message.signals);
    return false;
  }
  if (message?.type !== RedlineMessages.EVALUATE) return false;
  // How long the first banner of this worker's life waited for it (make bench reads the marks).
  const first = !performance.getEntriesByName('redline:first-evaluate').length;
  if (first) performance.mark('redline:first-evaluate');
  // The tab's danger clock and acknowledgement go with the verdict (tab-state.js).
  evaluate(message)
    .then(async ({ reply, given }) => ({ ...(await withTabState(sender, message, reply)), given }))
    .then(({ reply, recorded, given }) => {
      // The page banner first; the tab's records, the badge and the kept verdict follow.
      sendResponse(reply);
      keepVerdict(message, reply.verdict, given);
      if (first) performance.measure('redline:first-verdict', { start: 'redline:first-evaluate', detail: { restored } });
      // After an error a badge left over from an earlier verdict would be stale: clear it. An
      // answer older than one recorded for the tab meanwhile leaves the newer one's badge.
      recorded.then((newest) => newest && showOnToolbar(sender.tab?.id, reply.verdict ?? null));
    });
  return true;
});

// The popup asks over a MessageChannel to this worker where it can (shared/browser.js).
// Only the extension's own pages are clients of its worker; the origin says so all the same.
self.addEventListener('message', (event) => {
  const [port] = event.ports;
  const { type } = event.data ?? {};
  if (!port || event.origin !== self.location.origin || !Object.hasOwn(POPUP_REQUESTS, type)) return;
  event.waitUntil(answerPopup(event.data).then((reply) => port.postMessage(reply)));
});

/** The answer to a popup's question, once the configuration is in force; `{error}` if it failed. */
function answerPopup(message) {
  return configReady
    .then(async () => POPUP_REQUESTS[message.type](await engine, message))
    .catch((error) => ({ error: String(error) }));
}

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
  const problems = [];
  const [user, managed, learned] = await Promise.all([
    readUserText({ keepSynced: true }).catch((error) => ({ text: undefined, source: 'seed', problems: [String(error)] })),
    managedText,
    readLearnedText(problems).catch(() => undefined),
  ]);
  for (const problem of [...user.problems, ...problems]) console.warn(`redline: ${problem}`);
  // A stored value that cannot be read never puts the seed in place of the configuration in force
  // (after a worker restart, storage.js has fallen back to the last version that reads).
  if (user.text === undefined && user.problems.length > 0 && inForce.user !== undefined) {
    return { user: inForce.user, source: inForce.source, managed, learned };
  }
  return { user: user.text, source: user.source, managed, learned };
}

// What compileFirstPaths evaluates: an AWS page as the content script reports it.
const SAMPLE_PAGE = {
  url: 'https://us-east-1.console.aws.amazon.com/console/home?region=us-east-1',
  signals: JSON.stringify({
    awsSessionData: JSON.stringify({ accountId: '111111111111', sessionARN: 'arn:aws:sts::111111111111:assumed-role/Operator/jane' }),
    awsNavAccountId: '1111-1111-1111',
    awsNavUser: 'Operator/jane @ acme-prod',
  }),
};

/**
 * A new worker's wasm compiles each function at its first call: a restarted worker's first
 * evaluate took 8 ms instead of 1 (scripts/bench-e2e.mjs). Restoring and evaluating once on a
 * scratch engine, while the stored configuration is still being read, compiles what the first
 * banner needs before it asks.
 */
function compileFirstPaths(core) {
  try {
    // Through `run`: a trap here, on the seed, would leave the instance unusable for the engine too.
    core.run(() => {
      const scratch = new glue.Redline();
      try {
        scratch.restore(scratch.snapshot(undefined, undefined, undefined), undefined, undefined, undefined);
        scratch.evaluate(SAMPLE_PAGE.url, SAMPLE_PAGE.signals);
        scratch.free();
      } catch (error) {
        // After a trap its pointer belongs to the instance being replaced: freed later by the
        // garbage collector, it would free whatever the new instance put at that address.
        scratch.__destroy_into_raw();
        throw error;
      }
    });
  } catch (error) {
    // Only ever slower: the engine in use keeps the seed, and the stored texts still follow.
    console.warn('redline: compiling ahead failed', error);
  }
  return core;
}

const encoder = new TextEncoder();

/**
 * After a restart: puts the compiled configuration back in force when it was compiled from exactly
 * these texts (the core checks); true when it did.
 */
function restore(core, texts, compiled) {
  if (!compiled) return false;
  // As UTF-8: the core takes bytes in one copy, where wasm-bindgen copies a string into it one
  // character at a time in JS (865 KB: 4 ms in a warm Node, more in a worker just started).
  const utf8 = (text) => (text === undefined ? undefined : encoder.encode(text));
  if (!core.run((redline) => redline.restore(compiled.bytes, utf8(texts.user), utf8(texts.managed), utf8(texts.learned)))) return false;
  configured = compiled.configured;
  inForce = texts;
  restored = true;
  return true;
}

/**
 * Puts the texts in force; true when they differ from the ones in force. The core takes each text
 * on its own: a broken one leaves its last sound version in force (the seed for the user's after a
 * restart) and the other still applies; the result lists the errors for the options page.
 */
function configure(core, texts) {
  const same = (a, b) => a && a.user === b.user && a.managed === b.managed && a.learned === b.learned;
  if (configured && same(inForce, texts)) {
    inForce = texts; // the same text, perhaps from elsewhere (sync once the local copy is gone)
    return false;
  }
  if (same(setAside, texts)) return false;
  try {
    configured = JSON.parse(core.run((redline) => redline.configure(texts.user, texts.managed, texts.learned)));
  } catch (error) {
    if (!(error instanceof CoreStopped)) throw error;
    setAside = texts;
    configured = { ...configured, applied: false, stopped: STOPPED };
    console.warn('redline: a configuration stopped the core and is set aside', error);
    ext.runtime.sendMessage({ type: RedlineMessages.CONFIGURED, configured }).catch(() => {});
    return true;
  }
  setAside = null;
  popupList = null;
  forgetVerdicts().catch((error) => console.warn('redline: kept verdicts not forgotten', error));
  listTargetsSoon(core);
  if (!configured.applied) console.warn('redline: configuration not applied as stored', configured);
  inForce = texts;
  ext.runtime.sendMessage({ type: RedlineMessages.CONFIGURED, configured }).catch(() => {});
  const bytes = core.run((redline) => redline.snapshot(texts.user, texts.managed, texts.learned));
  writeCompiled(bytes, configured).catch((error) => console.warn('redline: keeping the compiled configuration failed', error));
  return true;
}

/**
 * Lists the popup's rows once the banners waiting on this configuration have their answers: the
 * core lists 5,000 targets in about 20 ms, which neither a banner nor a popup should wait for.
 */
function listTargetsSoon(core) {
  setTimeout(() => {
    try {
      popupList ??= listForPopup(core);
    } catch (error) {
      console.warn('redline: listing the targets failed', error);
    }
  }, 50);
}

/**
 * The popup's rows as the core shapes them for it (PopupList, src/verdict/target.rs), parsed here once per
 * configuration: the JSON of 5,000 rows, each row's own JSON inside it, takes about 6 ms to parse,
 * which the popup then need not spend.
 */
function listForPopup(core) {
  return JSON.parse(core.run((redline) => redline.popupList()));
}

async function reevaluateTabs() {
  // Tab ids need no "tabs" permission; tabs without the content script refuse the message.
  const tabs = await ext.tabs.query({});
  await Promise.all(tabs.map((tab) => ext.tabs.sendMessage(tab.id, { type: RedlineMessages.REEVALUATE }).catch(() => {})));
}

// What the popup asks, answered once the configuration is in force.
const POPUP_REQUESTS = {
  /** Its rows. */
  [RedlineMessages.TARGETS]: (core) => (popupList ??= listForPopup(core)),
  /** Positions of the active tab's identity, and of the identities other console tabs show. */
  async [RedlineMessages.MARKS](core, { tabId }) {
    const { page } = await activePage(tabId);
    const positionsOf = (shown) => [...core.run((redline) => redline.currentTargets(shown.url, JSON.stringify(shown.signals)))];
    const current = page ? positionsOf(page) : [];
    const open = new Set();
    for (const other of await readPages()) if (other.tabId !== tabId) for (const position of positionsOf(other)) open.add(position);
    return { current, open: [...open] };
  },
  /** Positions of the rows matching every word of `query`. */
  // An array, not the core's Uint32Array: runtime messaging carries JSON in Chromium.
  [RedlineMessages.FILTER]: (core, { query }) => ({ positions: [...core.run((redline) => redline.filterTargets(String(query)))] }),
  /** Switches the active tab (or a new one) to the row at `position`. */
  async [RedlineMessages.SWITCH](core, { position, tabId }) {
    const { tab, page } = await activePage(tabId);
    return core.run((redline) => switchTo(redline, position, tab, page));
  },
};

/**
 * The active tab and what its console page last sent, when that is still what the tab shows (the
 * popup's activeTab grant reveals the tab's URL; without it the record is all there is).
 */
async function activePage(tabId) {
  const [tab, page] = await Promise.all([
    Number.isInteger(tabId) ? ext.tabs.get(tabId).catch(() => null) : null,
    Number.isInteger(tabId) ? readPage(tabId) : null,
  ]);
  const current = page && (tab?.url === undefined || tab.url === page.url);
  return { tab, page: current ? page : null };
}

// Portal pages report again as the user opens accounts: one write at a time.
let learning = Promise.resolve();
/** Keeps what an access portal page lists (names and ids) as configuration; storage.onChanged reconfigures. */
function learn(url, signals) {
  learning = learning
    .then(async () => {
      const core = await engine;
      const portal = JSON.parse(core.run(() => learnPortal(url, JSON.stringify(signals ?? {}))));
      const accounts = portal?.accounts.map(({ id, name }) => ({ id, name: name ?? null })) ?? [];
      if (accounts.length > 0) await saveLearned(portal.url, portal.text, accounts);
    })
    .catch((error) => console.warn('redline: learning from the access portal failed', error));
}

async function evaluate({ url, signals }) {
  try {
    const core = await engine;
    await configReady;
    const verdict = JSON.parse(core.run((redline) => redline.evaluate(url, JSON.stringify(signals))));
    // Which configuration gave it, for the verdicts kept for content scripts (verdicts.js).
    return { reply: { verdict }, given: configuration() };
  } catch (error) {
    return { reply: { error: String(error) }, given: null };
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
        ext.action.setTitle({ tabId, title: configured?.stopped ? `${verdict.toolbarTitle}\n⚠ ${STOPPED}` : verdict.toolbarTitle }),
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

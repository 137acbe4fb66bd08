// The only place the wasm core runs for content scripts: a console page's CSP blocks wasm
// compilation in a content script and reports the attempt to the console's server.
import init, { Redline } from '../pkg/redline.js';

const ext = globalThis.browser ?? chrome;

// Started once per worker life; a message that woke a cold worker awaits the same instantiation.
const engineReady = init({ module_or_path: ext.runtime.getURL('pkg/redline_bg.wasm') })
  .then(() => new Redline());

const DEFAULT_TITLE = ext.runtime.getManifest().action.default_title;

// Registered synchronously at top level so the event that starts the worker is delivered to it.
ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  if (message?.type !== 'evaluate') return false;
  evaluate(message).then((reply) => {
    // The page banner first; the badge follows.
    sendResponse(reply);
    // After an error a badge left over from an earlier verdict would be stale: clear it.
    showOnToolbar(sender.tab?.id, reply.verdict ?? null);
  });
  return true;
});

async function evaluate({ url, signals }) {
  try {
    const engine = await engineReady;
    return { verdict: JSON.parse(engine.evaluate(url, JSON.stringify(signals))) };
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
        ext.action.setTitle({ tabId, title: verdict.label }),
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

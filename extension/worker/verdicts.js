// The verdicts the core gave, kept where a content script can read them itself (chrome.storage.session,
// opened to content scripts): a page reads its URL's entry as it starts, and once its head is parsed
// paints the verdict the core gave for exactly its URL and signals under the configuration still in
// force, with no round trip (a stopped worker takes ~100 ms to wake with the wasm); the worker's
// answer then confirms it. Nothing here decides: an entry is the core's answer to the same
// question, never computed elsewhere.
//
//   verdict:<url>        {generation, answers: [[signals, verdict], ...]}  signals as the JSON text
//                        the page sent; a page asks again as late signals come, so a few per URL
//   verdicts:generation  a number, new with every configuration put in force; older entries are void
//
// Session storage only (memory, this browser session).
import { ext } from '../shared/browser.js';

const session = ext.storage.session;
// The same keys as content.js reads (a classic script: it cannot import them).
const ENTRY = 'verdict:';
const GENERATION = 'verdicts:generation';
// Bounded whatever pages send: real questions are under 2 KB, and a page that sends signals up to
// their limits, URL after URL, must not fill session storage (the tab records live there too):
// at most MAX_KEPT × MAX_ANSWERS questions of MAX_QUESTION characters, about 2 MB.
const MAX_KEPT = 64;
const MAX_ANSWERS = 3;
const MAX_QUESTION = 8_192;

let generation = null; // the stored generation, read once per worker life
let configurations = 0; // configurations put in force in this worker's life
let kept = null; // the entries kept, oldest first as far as this worker knows

async function currentGeneration() {
  generation ??= session.get(GENERATION).then((found) => found[GENERATION] ?? 0);
  return generation;
}

async function keptKeys() {
  kept ??= Promise.resolve(session.getKeys?.() ?? session.get(null).then(Object.keys)).then((keys) => keys.filter((key) => key.startsWith(ENTRY)));
  return kept;
}

/** Content scripts may read session storage (Chromium; elsewhere they ask the worker, as before). */
export function openToContentScripts() {
  session.setAccessLevel?.({ accessLevel: 'TRUSTED_AND_UNTRUSTED_CONTEXTS' }).catch((error) => console.warn('redline: session storage not opened to content scripts', error));
}

/** Which configuration is in force, for `keepVerdict`: a verdict of an older one is not kept. */
export const configuration = () => configurations;

/**
 * A new configuration is in force: every verdict kept so far is void. The generation changes first,
 * so that no page paints one meanwhile; then the entries of older generations go.
 */
export async function forgetVerdicts() {
  configurations += 1;
  generation = currentGeneration().then((previous) => previous + 1);
  kept = null;
  const next = await generation;
  await session.set({ [GENERATION]: next });
  const all = await session.get(null);
  const stale = Object.keys(all).filter((key) => key.startsWith(ENTRY) && all[key]?.generation !== next);
  if (stale.length > 0) await session.remove(stale);
}

let writing = Promise.resolve(); // one entry's read and write at a time

/**
 * Keeps the core's verdict for the page `message` describes ({url, signals}), given under
 * configuration `given` (`configuration()` when it was asked).
 */
export function keepVerdict(message, verdict, given) {
  writing = writing.then(() => keep(message, verdict, given)).catch((error) => console.warn('redline: verdict not kept', error));
  return writing;
}

async function keep({ url, signals }, verdict, given) {
  if (!verdict || given !== configurations) return;
  const key = ENTRY + url;
  const question = JSON.stringify(signals ?? {});
  if (url.length + question.length > MAX_QUESTION) return;
  const [keys, current, found] = await Promise.all([keptKeys(), currentGeneration(), session.get(key)]);
  // Checked again with no wait before the write: a new configuration since then voids this verdict,
  // and one that comes later finds the entry when it clears the old ones.
  if (given !== configurations) return;
  const earlier = found[key]?.generation === current ? found[key].answers : [];
  const answers = [...earlier.filter(([asked]) => asked !== question), [question, verdict]].slice(-MAX_ANSWERS);
  const at = keys.indexOf(key);
  if (at >= 0) keys.splice(at, 1);
  keys.push(key);
  const dropped = keys.length > MAX_KEPT ? keys.splice(0, keys.length - MAX_KEPT) : [];
  const written = session.set({ [key]: { generation: current, answers } });
  if (dropped.length > 0) await session.remove(dropped);
  await written;
}

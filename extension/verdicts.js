// The verdicts the core gave, kept where a content script can read them itself (chrome.storage.session,
// opened to content scripts): a page whose worker was stopped (the browser stops it after 30 s idle,
// and waking it with the wasm takes ~100 ms) paints the verdict the core gave for exactly its URL
// and signals under the configuration still in force, at once, and the worker's answer confirms it.
// Nothing here decides: an entry is the core's answer to the same question, never computed elsewhere.
//
//   verdict:<question>   {generation, verdict}  the question: JSON of [url, signals] as the page sent them
//                        (a page asks again as late signals come: each question its own entry)
//   verdicts:generation  a number, new with every configuration put in force; older entries are void
//
// Session storage only (memory, this browser session). At most MAX_KEPT pages are kept.

const ext = globalThis.browser ?? chrome;
const session = ext.storage.session;
export const ENTRY = 'verdict:';
export const GENERATION = 'verdicts:generation';
const MAX_KEPT = 200;

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

/**
 * Keeps the core's verdict for the page `message` describes ({url, signals}), given under
 * configuration `given` (`configuration()` when it was asked).
 */
export async function keepVerdict(message, verdict, given) {
  if (!verdict || given !== configurations) return;
  const key = ENTRY + JSON.stringify([message.url, message.signals]);
  const [keys, current] = await Promise.all([keptKeys(), currentGeneration()]);
  // Checked again with no wait before the write: a new configuration since then voids this verdict,
  // and one that comes later finds the entry when it clears the old ones.
  if (given !== configurations) return;
  const at = keys.indexOf(key);
  if (at >= 0) keys.splice(at, 1);
  keys.push(key);
  const dropped = keys.length > MAX_KEPT ? keys.splice(0, keys.length - MAX_KEPT) : [];
  const written = session.set({ [key]: { generation: current, verdict } });
  if (dropped.length > 0) await session.remove(dropped);
  await written;
}

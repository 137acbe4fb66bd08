// Where the user's configuration text lives. Used by the options page and the service worker.
// Stores and reads text only: whether a text is valid, and what it means, is decided in the wasm.
//
// storage.local  config        {text, savedAt}        the user's configuration in force (fromSync: true
//                                                     on a copy of the synced one, see readUserText)
//                history       [{packed, savedAt}]    the previous saved versions, newest first, each
//                                                     base64(deflate-raw(text)): ten copies of a large
//                                                     configuration would otherwise fill local's 10 MB
//                syncEnabled   boolean                "Sync across browsers" is on in this browser
//                managedCache  {text}                 the organisation's text as last read (see readManagedText)
//                learned       {<portal url>: {text, accounts, learnedAt}}   what each access portal taught (names and ids)
// storage.sync   config        {v, gen, chunks, bytes, textBytes, savedAt}   (meta, written last)
//                config.<gen>.<i>  string            chunk i of base64(deflate-raw(text))
// storage.managed config       string                 the organisation's configuration (policy)

const ext = globalThis.browser ?? chrome;

export const HISTORY_LIMIT = 10;
const LOCAL_CONFIG = 'config';
const LOCAL_HISTORY = 'history';
const LOCAL_SYNC = 'syncEnabled';
const LOCAL_MANAGED_CACHE = 'managedCache';
const LOCAL_LEARNED = 'learned';
const SYNC_META = 'config';
const SYNC_CHUNK_PREFIX = 'config.';
const chunkKey = (gen, index) => `${SYNC_CHUNK_PREFIX}${gen}.${index}`;

// Chromium's documented values, used when the API does not expose them (Firefox).
const sync = ext.storage.sync;
export const SYNC_QUOTA_BYTES = sync?.QUOTA_BYTES ?? 102_400;
export const SYNC_QUOTA_BYTES_PER_ITEM = sync?.QUOTA_BYTES_PER_ITEM ?? 8_192;
export const SYNC_MAX_ITEMS = sync?.MAX_ITEMS ?? 512;

const utf8 = new TextEncoder();
/** What storage.sync counts for an item: its key plus the JSON of its value, in UTF-8 bytes. */
export const itemBytes = (key, value) => utf8.encode(key).length + utf8.encode(JSON.stringify(value)).length;

/** The sync write was refused: the compressed text does not fit. Nothing in sync changed. */
export class SyncTooLarge extends Error {
  constructor(needed, limit, detail = '') {
    super(
      `the configuration needs ${needed.toLocaleString('en-US')} bytes in sync storage, ` +
        `more than its ${limit.toLocaleString('en-US')}${detail}`,
    );
    this.name = 'SyncTooLarge';
    this.needed = needed;
    this.limit = limit;
  }
}

// ---- local ----------------------------------------------------------------------------------

/** The saved configuration in this browser, or null. */
export async function readLocal() {
  const { [LOCAL_CONFIG]: saved } = await ext.storage.local.get(LOCAL_CONFIG);
  return typeof saved?.text === 'string' ? saved : null;
}

export async function readHistory() {
  const { [LOCAL_HISTORY]: history } = await ext.storage.local.get(LOCAL_HISTORY);
  if (!Array.isArray(history)) return [];
  const packed = history.filter((h) => typeof h?.packed === 'string');
  return Promise.all(packed.map(async ({ packed, savedAt }) => ({ text: await inflate(fromBase64(packed)), savedAt })));
}

/**
 * Saves `text` as the configuration in force and pushes the previous saved version into the
 * history, in one write: if it fails (quota), the stored text and history are as they were.
 * `fromSync` marks a copy of the synced text kept by the service worker (see readUserText).
 */
export async function saveLocal(text, savedAt = new Date().toISOString(), { fromSync = false } = {}) {
  const { [LOCAL_CONFIG]: previous, [LOCAL_HISTORY]: history = [] } = await ext.storage.local.get([LOCAL_CONFIG, LOCAL_HISTORY]);
  const kept = Array.isArray(history) ? history.filter((h) => typeof h?.packed === 'string') : [];
  const nextHistory =
    typeof previous?.text === 'string'
      ? [{ packed: toBase64(await deflate(previous.text)), savedAt: previous.savedAt }, ...kept].slice(0, HISTORY_LIMIT)
      : kept;
  const saved = fromSync ? { text, savedAt, fromSync } : { text, savedAt };
  await ext.storage.local.set({ [LOCAL_CONFIG]: saved, [LOCAL_HISTORY]: nextHistory });
  return saved;
}

export async function readSyncEnabled() {
  const { [LOCAL_SYNC]: enabled } = await ext.storage.local.get(LOCAL_SYNC);
  return enabled === true;
}

export const setSyncEnabled = (enabled) => ext.storage.local.set({ [LOCAL_SYNC]: enabled === true });

// ---- sync -----------------------------------------------------------------------------------

async function deflate(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

async function inflate(bytes) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

function toBase64(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The items a text takes in sync storage: chunks under the per-item quota, then the meta item. */
export async function syncItems(text, savedAt) {
  const compressed = await deflate(text);
  const encoded = toBase64(compressed);
  const gen = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const chunks = {};
  let count = 0;
  for (let offset = 0; offset < encoded.length || count === 0; count++) {
    const key = chunkKey(gen, count);
    // Base64 needs no JSON escaping: the value costs its length plus two quotes.
    const room = SYNC_QUOTA_BYTES_PER_ITEM - utf8.encode(key).length - 2;
    chunks[key] = encoded.slice(offset, offset + room);
    offset += room;
  }
  const meta = {
    v: 1,
    gen,
    chunks: count,
    bytes: compressed.length,
    textBytes: utf8.encode(text).length,
    savedAt,
  };
  let needed = itemBytes(SYNC_META, meta);
  for (const [key, value] of Object.entries(chunks)) needed += itemBytes(key, value);
  return { chunks, meta, needed };
}

/** Whether a key belongs to redline's sync items. */
const isOurSyncKey = (key) => key === SYNC_META || key.startsWith(SYNC_CHUNK_PREFIX);

/**
 * Writes `text` to storage.sync so that a reader never sees a mix of two versions: the new chunks
 * go under a new generation, then the meta item (one item, written at once) switches to them,
 * then the old chunks go. When old and new do not fit side by side, the old meta goes first, so a
 * reader sees the old version, none, or the new one. Throws SyncTooLarge (nothing written) when
 * the text cannot fit at all.
 */
export async function writeSync(text, savedAt = new Date().toISOString()) {
  const { chunks, meta, needed } = await syncItems(text, savedAt);
  if (meta.chunks + 1 > SYNC_MAX_ITEMS) {
    throw new SyncTooLarge(needed, SYNC_QUOTA_BYTES, ` (and ${meta.chunks + 1} items, more than its ${SYNC_MAX_ITEMS})`);
  }
  const everything = await sync.get(null);
  let othersBytes = 0;
  const ours = [];
  for (const [key, value] of Object.entries(everything)) {
    if (isOurSyncKey(key)) ours.push(key);
    else othersBytes += itemBytes(key, value);
  }
  if (othersBytes + needed > SYNC_QUOTA_BYTES) {
    throw new SyncTooLarge(needed, SYNC_QUOTA_BYTES - othersBytes);
  }
  const oursBytes = ours.reduce((sum, key) => sum + itemBytes(key, everything[key]), 0);
  if (othersBytes + oursBytes + needed > SYNC_QUOTA_BYTES) {
    // No room for both versions: retire the old one first (meta, then its chunks).
    await sync.remove(SYNC_META);
    await sync.remove(ours.filter((key) => key !== SYNC_META));
  }
  try {
    await sync.set(chunks);
  } catch (error) {
    await sync.remove(Object.keys(chunks)).catch(() => {});
    throw error;
  }
  await sync.set({ [SYNC_META]: meta });
  const stale = Object.keys(await sync.get(null)).filter(
    (key) => key !== SYNC_META && key.startsWith(SYNC_CHUNK_PREFIX) && !(key in chunks),
  );
  if (stale.length > 0) await sync.remove(stale);
  return { ...meta, needed };
}

/** The configuration saved in sync storage ({text, savedAt, ...meta}), or null if none (or incomplete). */
export async function readSync() {
  if (!sync) return null;
  // One read of everything: a snapshot in which the meta and its chunks belong together.
  for (let attempt = 0; attempt < 3; attempt++) {
    const items = await sync.get(null);
    const meta = items[SYNC_META];
    if (!meta || meta.v !== 1 || !Number.isInteger(meta.chunks)) return null;
    const parts = [];
    for (let i = 0; i < meta.chunks; i++) parts.push(items[chunkKey(meta.gen, i)]);
    if (parts.every((part) => typeof part === 'string')) {
      const text = await inflate(fromBase64(parts.join('')));
      if (utf8.encode(text).length === meta.textBytes) return { ...meta, text };
    }
    // A writer retired this version between reads: look again.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return null;
}

/** Removes redline's items from sync storage ("Sync across browsers" turned off). */
export async function clearSync() {
  const keys = Object.keys(await sync.get(null)).filter(isOurSyncKey);
  if (keys.includes(SYNC_META)) await sync.remove(SYNC_META);
  await sync.remove(keys.filter((key) => key !== SYNC_META));
}

export async function syncUsage() {
  const used = await sync.getBytesInUse(null);
  return { used, quota: SYNC_QUOTA_BYTES, left: Math.max(0, SYNC_QUOTA_BYTES - used) };
}

// ---- what is in force -----------------------------------------------------------------------

/**
 * The user's text: the newest of this browser's saved one and, when sync is on here, the one
 * synced from another browser; else undefined (the bundled seed). `source` says which. With
 * `keepSynced` (the service worker) a synced text used here becomes this browser's saved one too.
 */
export async function readUserText({ keepSynced = false } = {}) {
  const [local, syncOn] = await Promise.all([readLocal(), readSyncEnabled()]);
  const synced = !local || syncOn ? await readSync().catch(() => null) : null;
  // A copy kept here by the worker (below) is still the synced text while sync holds it.
  const keptCopy = local?.fromSync === true && synced?.text === local.text;
  if (synced && (!local || synced.savedAt > local.savedAt || keptCopy)) {
    // Turning sync off in another browser deletes the synced copy: this browser must not fall back
    // to an older text or the seed then. The previous saved text goes to the history; sync is on
    // here, as the options page turns it on for a text from sync.
    if (keepSynced && synced.text !== local?.text) {
      await setSyncEnabled(true)
        .then(() => saveLocal(synced.text, synced.savedAt, { fromSync: true }))
        .catch((error) => console.warn('redline: keeping the synced configuration in this browser failed', error));
    }
    return { text: synced.text, savedAt: synced.savedAt, source: 'sync' };
  }
  if (local) return { text: local.text, savedAt: local.savedAt, source: 'local' };
  return { text: undefined, savedAt: null, source: 'seed' };
}

/** A managed `config` value as a text, or undefined: none, empty or not a string. */
export const managedTextOf = (config) => (typeof config === 'string' && config.trim() !== '' ? config : undefined);

/**
 * The organisation's text from policy, or undefined: no policy, an empty one, or an error reading
 * it. At browser start Chromium answers only once its policy service is up: about 5 s here, with or
 * without a policy. Callers that cannot wait use readManagedCache() meanwhile.
 */
export async function readManagedText() {
  try {
    const { config } = (await ext.storage.managed.get('config')) ?? {};
    const text = managedTextOf(config);
    await ext.storage.local.set({ [LOCAL_MANAGED_CACHE]: { text: text ?? null } }).catch(() => {});
    return text;
  } catch {
    return undefined;
  }
}

/** The organisation's text as last read from policy (undefined: none or never read), at once. */
export async function readManagedCache() {
  const { [LOCAL_MANAGED_CACHE]: cached } = await ext.storage.local.get(LOCAL_MANAGED_CACHE);
  return managedTextOf(cached?.text);
}

// ---- learned from access portals ------------------------------------------------------------

async function readLearned() {
  const { [LOCAL_LEARNED]: learned } = await ext.storage.local.get(LOCAL_LEARNED);
  return learned && typeof learned === 'object' ? learned : {};
}

/** What every access portal taught, as one configuration text, or undefined when none did. */
export async function readLearnedText() {
  const texts = Object.values(await readLearned())
    .map((entry) => entry?.text)
    .filter((text) => typeof text === 'string');
  return texts.length > 0 ? texts.join('\n') : undefined;
}

/**
 * Keeps what the portal at `portalUrl` taught in place of what it taught before; false when that
 * is what is stored already (nothing written, so nothing reconfigures).
 */
export async function saveLearned(portalUrl, text, accounts = [], learnedAt = new Date().toISOString()) {
  const learned = await readLearned();
  if (learned[portalUrl]?.text === text) return false;
  await ext.storage.local.set({ [LOCAL_LEARNED]: { ...learned, [portalUrl]: { text, accounts, learnedAt } } });
  return true;
}

/** What each portal taught, for the options page: [{portal, learnedAt, accounts: [{id, name}]}]. */
export async function listLearned() {
  return Object.entries(await readLearned()).map(([portal, entry]) => ({
    portal,
    learnedAt: entry?.learnedAt ?? null,
    accounts: Array.isArray(entry?.accounts) ? entry.accounts : [],
  }));
}

/** Forgets what the portal at `portalUrl` taught; the worker reconfigures on the change. */
export async function forgetLearned(portalUrl) {
  const { [portalUrl]: _forgotten, ...rest } = await readLearned();
  await ext.storage.local.set({ [LOCAL_LEARNED]: rest });
}

/** Whether a storage change touches what the engine is configured from. */
export function touchesConfiguration(changes, area) {
  if (area === 'managed') return true;
  if (area === 'local') return LOCAL_CONFIG in changes || LOCAL_LEARNED in changes;
  if (area === 'sync') return SYNC_META in changes;
  return false;
}

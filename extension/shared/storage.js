// Where the user's configuration text lives. Used by the options page and the service worker.
// Stores and reads text only: whether a text is valid, and what it means, is decided in the wasm.
//
// storage.local  config        {text, savedAt}        the user's configuration in force (fromSync: true
//                                                     on a copy of the synced one, see readUserText)
//                configBackup  {packed, savedAt}      the same text, compressed, written with it: what
//                                                     is read when `config` cannot be
//                history       [{packed, savedAt}]    the previous saved versions, newest first, each
//                                                     base64(deflate-raw(text)): ten copies of a large
//                                                     configuration would otherwise fill local's 10 MB
//                syncEnabled   boolean                "Sync across browsers" is on in this browser
//                managedCache  {text}                 the organisation's text as last read (see readManagedText)
//                learned       {<portal url>: {text, accounts, learnedAt}}   what each access portal taught (names and ids)
// storage.sync   config        {v, gen, chunks, bytes, textBytes, savedAt}   (meta, written last)
//                config.<gen>.<i>  string            chunk i of base64(deflate-raw(text))
// storage.managed config       string                 the organisation's configuration (policy)
//
// Every value read back is checked: storage may hold what another version of redline, another
// browser (sync), a bug or a hand put there. A value that fails its check is reported in the
// caller's `problems` (what is wrong, what is used instead) and is passed over for the last good
// one: a corrupted value never puts the seed in place of a configuration that can still be read.
// Times are compared as the ISO strings redline writes, so a time is good only in that form.
import { ext } from './browser.js';

const local = ext.storage.local;

export const HISTORY_LIMIT = 10;
const LOCAL_CONFIG = 'config';
const LOCAL_BACKUP = 'configBackup';
const LOCAL_HISTORY = 'history';
const LOCAL_SYNC = 'syncEnabled';
const LOCAL_MANAGED_CACHE = 'managedCache';
const LOCAL_LEARNED = 'learned';
const SYNC_META = 'config';
const SYNC_FORMAT = 1;
const SYNC_CHUNK_PREFIX = 'config.';
const chunkKey = (gen, index) => `${SYNC_CHUNK_PREFIX}${gen}.${index}`;
// syncItems writes a base-36 time and four random base-36 digits.
const SYNC_GEN = /^[0-9a-z]{1,32}$/;

// Chromium's documented values, used when the API does not expose them (Firefox).
const sync = ext.storage.sync;
export const SYNC_QUOTA_BYTES = sync?.QUOTA_BYTES ?? 102_400;
export const SYNC_QUOTA_BYTES_PER_ITEM = sync?.QUOTA_BYTES_PER_ITEM ?? 8_192;
export const SYNC_MAX_ITEMS = sync?.MAX_ITEMS ?? 512;
const LOCAL_QUOTA_BYTES = local.QUOTA_BYTES ?? 10_485_760;
// The most chunks a synced version can have: every chunk but the last fills its item (the key, at
// most this long, and the quoted base64), and all of them fit in sync's bytes and items.
const SYNC_CHUNK_KEY_MAX = chunkKey('z'.repeat(32), SYNC_MAX_ITEMS).length;
const SYNC_MAX_CHUNKS = Math.min(
  SYNC_MAX_ITEMS - 1,
  Math.floor(SYNC_QUOTA_BYTES / (SYNC_QUOTA_BYTES_PER_ITEM - SYNC_CHUNK_KEY_MAX - 2)) + 1,
);

const utf8 = new TextEncoder();
const byteLength = (text) => utf8.encode(text).length;
/** What storage.sync counts for an item: its key plus the JSON of its value, in UTF-8 bytes. */
export const itemBytes = (key, value) => byteLength(key) + byteLength(JSON.stringify(value));

// chrome.storage has no transactions. Two options tabs saving at once would each read the same
// saved text and history, and the later write would drop the earlier save from the history (the
// same for what portals taught, and for the chunks of two sync writes, whose clean-ups would delete
// each other's chunks). So every read-modify-write runs under a Web Lock: the options pages and the
// service worker share the extension's origin and so its locks; holders run one at a time in the
// order they asked, and a lock is released when its holder goes (a closed tab, a stopped worker),
// so nothing waits for a writer that is gone. Each write is one storage.set, whole or not at all.
const LOCAL_LOCK = 'redline-storage-local';
const SYNC_LOCK = 'redline-storage-sync';
const withLock = (name, work) => navigator.locks.request(name, () => work());

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

/**
 * Which of its quotas a storage area refused a write for ('bytes', 'item', 'items', 'writes'), or
 * null when the error is another one. Chromium's words vary by version and area: 'QUOTA_BYTES
 * quota exceeded', 'Resource::kQuotaBytesPerItem quota exceeded', 'Session storage quota bytes
 * exceeded', 'This request exceeds the MAX_WRITE_OPERATIONS_PER_MINUTE quota'.
 */
export function quotaExceeded(error) {
  const message = String(error?.message ?? error);
  if (!/quota/i.test(message)) return null;
  if (/PER_ITEM|PerItem/i.test(message)) return 'item';
  if (/MAX_ITEMS|MaxItems/i.test(message)) return 'items';
  if (/WRITE_OPERATIONS/i.test(message)) return 'writes';
  return 'bytes';
}

// ---- reading back ---------------------------------------------------------------------------

const isRecord = (value) => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A stored value's kind, for a message: 'a number', 'a list', 'null'. */
function kindOf(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return isRecord(value) ? 'an object' : `a ${typeof value}`;
}

/** A stored value as a message quotes it, kept short. */
function quote(value) {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** A time as redline writes it (toISOString), else null. */
function isoTime(value) {
  if (typeof value !== 'string') return null;
  const time = Date.parse(value);
  return Number.isFinite(time) && new Date(time).toISOString() === value ? value : null;
}

/** A stored time: null when absent, undefined when present but not a time. */
const storedTime = (value) => (value === undefined || value === null ? null : (isoTime(value) ?? undefined));

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The text of a stored base64(deflate-raw(text)), at most `limit` UTF-8 bytes; throws saying what is wrong. */
async function unpack(packed, limit) {
  if (typeof packed !== 'string') throw new Error(`its text is ${kindOf(packed)}, expected a string`);
  if (!BASE64.test(packed)) throw new Error('its text is not base64');
  return inflate(fromBase64(packed), limit);
}

// ---- local ----------------------------------------------------------------------------------

/**
 * The configuration saved in this browser ({text, savedAt, fromSync?}), or null when none was
 * saved or none can be read. An unreadable `config` falls back to its compressed copy.
 */
export async function readLocal(problems = []) {
  const { [LOCAL_CONFIG]: saved, [LOCAL_BACKUP]: backup } = await local.get([LOCAL_CONFIG, LOCAL_BACKUP]);
  if (saved === undefined && backup === undefined) return null;
  let wrong;
  if (saved === undefined) wrong = 'it is missing';
  else if (!isRecord(saved)) wrong = `it is ${kindOf(saved)}, expected an object`;
  else if (typeof saved.text !== 'string') wrong = `its text is ${kindOf(saved.text)}, expected a string`;
  else {
    const savedAt = storedTime(saved.savedAt);
    if (savedAt === undefined) {
      problems.push(
        `The configuration saved in this browser has no readable save time (${quote(saved.savedAt)}): it is in force, ` +
          'and a version in sync storage counts as newer. Saving it again gives it a time.',
      );
    }
    return { text: saved.text, savedAt: savedAt ?? null, ...(saved.fromSync === true ? { fromSync: true } : {}) };
  }
  try {
    if (!isRecord(backup)) throw new Error(backup === undefined ? 'it is missing' : `it is ${kindOf(backup)}, expected an object`);
    const text = await unpack(backup.packed, LOCAL_QUOTA_BYTES);
    const savedAt = storedTime(backup.savedAt) ?? null;
    problems.push(
      `The configuration saved in this browser cannot be read (${wrong}): its compressed copy, saved at the same time, ` +
        'is in force. Saving writes both again.',
    );
    return { text, savedAt };
  } catch (error) {
    problems.push(`The configuration saved in this browser cannot be read (${wrong}), nor its compressed copy (${error.message}).`);
    return null;
  }
}

/** The history as stored: its entries that are {packed: string}, with a good time or null; the others reported. */
async function storedHistory(problems) {
  const { [LOCAL_HISTORY]: history } = await local.get(LOCAL_HISTORY);
  if (history === undefined) return [];
  if (!Array.isArray(history)) {
    problems.push(`The earlier versions cannot be read (they are ${kindOf(history)}, expected a list): none is shown.`);
    return [];
  }
  if (history.length > HISTORY_LIMIT) {
    problems.push(`There are ${history.length} earlier versions stored, more than ${HISTORY_LIMIT}: the newest ${HISTORY_LIMIT} are shown.`);
  }
  const kept = [];
  for (const [index, entry] of history.slice(0, HISTORY_LIMIT).entries()) {
    const wrong = !isRecord(entry)
      ? `it is ${kindOf(entry)}, expected an object`
      : typeof entry.packed !== 'string'
        ? `its text is ${kindOf(entry.packed)}, expected a string`
        : '';
    if (wrong) {
      problems.push(`Earlier version ${index + 1} cannot be read (${wrong}): it is left out.`);
      continue;
    }
    const savedAt = storedTime(entry.savedAt);
    if (savedAt === undefined) {
      problems.push(`Earlier version ${index + 1} has no readable save time (${quote(entry.savedAt)}): it is listed as saved at an unknown time.`);
    }
    kept.push({ packed: entry.packed, savedAt: savedAt ?? null });
  }
  return kept;
}

/** The previous saved versions that can be read, newest first: [{text, savedAt, packed}]. */
export async function readHistory(problems = []) {
  const versions = [];
  for (const [index, entry] of (await storedHistory(problems)).entries()) {
    try {
      versions.push({ text: await unpack(entry.packed, LOCAL_QUOTA_BYTES), savedAt: entry.savedAt, packed: entry.packed });
    } catch (error) {
      problems.push(`Earlier version ${index + 1} cannot be read (${error.message}): it is left out.`);
    }
  }
  return versions;
}

/**
 * Saves `text` as the configuration in force, with its compressed copy, and pushes the previous
 * saved version into the history, in one write: if it fails (quota), everything stored is as it
 * was. `fromSync` marks a copy of the synced text kept by the service worker (see readUserText).
 */
export function saveLocal(text, savedAt = new Date().toISOString(), { fromSync = false } = {}) {
  return withLock(LOCAL_LOCK, async () => {
    // Entries that cannot be read are not carried on; those that can are, however old their format.
    const [previous, kept] = await Promise.all([readLocal(), storedHistory([])]);
    const history = previous ? [{ packed: toBase64(await deflate(previous.text)), savedAt: previous.savedAt }, ...kept] : kept;
    const saved = fromSync ? { text, savedAt, fromSync } : { text, savedAt };
    await local.set({
      [LOCAL_CONFIG]: saved,
      [LOCAL_BACKUP]: { packed: toBase64(await deflate(text)), savedAt },
      [LOCAL_HISTORY]: history.slice(0, HISTORY_LIMIT),
    });
    return saved;
  });
}

/** Removes one earlier version ({packed, savedAt} as readHistory gave it), to make room. */
export function removeVersion({ packed, savedAt }) {
  return withLock(LOCAL_LOCK, async () => {
    const history = await storedHistory([]);
    const at = history.findIndex((entry) => entry.packed === packed && entry.savedAt === savedAt);
    if (at >= 0) await local.set({ [LOCAL_HISTORY]: history.toSpliced(at, 1) });
  });
}

export async function readSyncEnabled(problems = []) {
  const { [LOCAL_SYNC]: enabled } = await local.get(LOCAL_SYNC);
  if (enabled === undefined || typeof enabled === 'boolean') return enabled === true;
  problems.push(`"Sync across browsers" is stored as ${quote(enabled)}, neither on nor off: it counts as off until you set it.`);
  return false;
}

export const setSyncEnabled = (enabled) => local.set({ [LOCAL_SYNC]: enabled === true });

/** Bytes this browser's storage holds for redline, of its quota. */
export async function localUsage() {
  const used = await local.getBytesInUse(null);
  return { used, quota: LOCAL_QUOTA_BYTES, left: Math.max(0, LOCAL_QUOTA_BYTES - used) };
}

// ---- sync -----------------------------------------------------------------------------------

async function deflate(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The UTF-8 text `bytes` decompress to; throws past `limit` bytes (a stored value may be a bomb) or on bad data. */
async function inflate(bytes, limit) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw')).getReader();
  const parts = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        await reader.cancel();
        throw new RangeError(`it decompresses to more than ${limit.toLocaleString('en-US')} bytes`);
      }
      parts.push(value);
    }
  } catch (error) {
    throw error instanceof RangeError ? error : new Error('it does not decompress');
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(joined);
  } catch {
    throw new Error('it is not UTF-8 text');
  }
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
    const room = SYNC_QUOTA_BYTES_PER_ITEM - byteLength(key) - 2;
    chunks[key] = encoded.slice(offset, offset + room);
    offset += room;
  }
  const meta = {
    v: SYNC_FORMAT,
    gen,
    chunks: count,
    bytes: compressed.length,
    textBytes: byteLength(text),
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
 * then the old chunks go. When old and new do not fit side by side, the old version goes first (a
 * reader sees the old version, none, or the new one), and comes back if the new one is refused.
 * Throws SyncTooLarge (nothing written) when the text cannot fit at all.
 */
export function writeSync(text, savedAt = new Date().toISOString()) {
  return withLock(SYNC_LOCK, async () => {
    const { chunks, meta, needed } = await syncItems(text, savedAt);
    if (meta.chunks + 1 > SYNC_MAX_ITEMS) {
      throw new SyncTooLarge(needed, SYNC_QUOTA_BYTES, ` (and ${meta.chunks + 1} items, more than its ${SYNC_MAX_ITEMS})`);
    }
    const everything = await sync.get(null);
    let othersBytes = 0;
    const ours = {};
    for (const [key, value] of Object.entries(everything)) {
      if (isOurSyncKey(key)) ours[key] = value;
      else othersBytes += itemBytes(key, value);
    }
    if (othersBytes + needed > SYNC_QUOTA_BYTES) {
      throw new SyncTooLarge(needed, SYNC_QUOTA_BYTES - othersBytes);
    }
    const oursBytes = Object.entries(ours).reduce((sum, [key, value]) => sum + itemBytes(key, value), 0);
    const retire = othersBytes + oursBytes + needed > SYNC_QUOTA_BYTES;
    if (retire) {
      // No room for both versions: the old one goes first (meta, then its chunks).
      await sync.remove(SYNC_META);
      await sync.remove(Object.keys(ours).filter((key) => key !== SYNC_META));
    }
    try {
      await sync.set(chunks);
      await sync.set({ [SYNC_META]: meta });
    } catch (error) {
      // Refused (quota, write rate): the new chunks go, and a retired version comes back, chunks
      // first, so that what other browsers had is not lost.
      await sync.remove(Object.keys(chunks)).catch(() => {});
      if (retire) {
        const { [SYNC_META]: oldMeta, ...oldChunks } = ours;
        await sync
          .set(oldChunks)
          .then(() => oldMeta !== undefined && sync.set({ [SYNC_META]: oldMeta }))
          .catch((restoring) => console.warn('redline: the previous synced version could not be put back', restoring));
      }
      throw error;
    }
    const stale = Object.keys(await sync.get(null)).filter(
      (key) => key !== SYNC_META && key.startsWith(SYNC_CHUNK_PREFIX) && !(key in chunks),
    );
    if (stale.length > 0) await sync.remove(stale);
    return { ...meta, needed };
  });
}

/** What is wrong with a stored sync meta item, or ''. */
function syncMetaProblem(meta) {
  if (!isRecord(meta)) return `its index is ${kindOf(meta)}, expected an object`;
  if (meta.v !== SYNC_FORMAT) return `it was written in format ${quote(meta.v)} by another version of redline, which this one (format ${SYNC_FORMAT}) cannot read`;
  if (typeof meta.gen !== 'string' || !SYNC_GEN.test(meta.gen)) return `its generation ${quote(meta.gen)} is not one redline writes`;
  if (!Number.isSafeInteger(meta.chunks) || meta.chunks < 1 || meta.chunks > SYNC_MAX_CHUNKS) {
    return `its index counts ${quote(meta.chunks)} chunks; sync storage holds 1 to ${SYNC_MAX_CHUNKS}`;
  }
  if (!Number.isSafeInteger(meta.bytes) || meta.bytes < 1 || meta.bytes > SYNC_QUOTA_BYTES) {
    return `its index counts ${quote(meta.bytes)} compressed bytes; sync storage holds 1 to ${SYNC_QUOTA_BYTES.toLocaleString('en-US')}`;
  }
  if (!Number.isSafeInteger(meta.textBytes) || meta.textBytes < 0 || meta.textBytes > LOCAL_QUOTA_BYTES) {
    return `its index counts ${quote(meta.textBytes)} bytes of text; redline keeps at most ${LOCAL_QUOTA_BYTES.toLocaleString('en-US')}`;
  }
  if (!isoTime(meta.savedAt)) return `its save time ${quote(meta.savedAt)} is not a time`;
  return '';
}

/** The text a checked meta's chunks hold; throws saying what is wrong. */
async function syncedText(meta, parts) {
  for (const [index, part] of parts.entries()) {
    if (typeof part !== 'string') throw new Error(`chunk ${index + 1} of ${meta.chunks} is ${kindOf(part)}, expected a string`);
  }
  const encoded = parts.join('');
  if (!BASE64.test(encoded)) throw new Error('its chunks are not base64');
  const bytes = fromBase64(encoded);
  if (bytes.length !== meta.bytes) throw new Error(`its chunks hold ${bytes.length} bytes, its index says ${meta.bytes}`);
  const text = await inflate(bytes, meta.textBytes);
  if (byteLength(text) !== meta.textBytes) throw new Error(`its text has ${byteLength(text)} bytes, its index says ${meta.textBytes}`);
  return text;
}

/** The configuration saved in sync storage ({text, savedAt, ...meta}), or null if none (or none that can be read). */
export async function readSync(problems = []) {
  if (!sync) return null;
  const refuse = (why) => {
    problems.push(
      `The configuration in sync storage cannot be read (${why}): this browser does not use it. ` +
        'Saving here with "Sync across browsers" on writes it again.',
    );
    return null;
  };
  let missing = '';
  // One read of everything: a snapshot in which the meta and its chunks belong together.
  for (let attempt = 0; attempt < 3; attempt++) {
    const items = await sync.get(null);
    const meta = items[SYNC_META];
    if (meta === undefined) return null;
    const wrong = syncMetaProblem(meta);
    if (wrong) return refuse(wrong);
    const parts = Array.from({ length: meta.chunks }, (_, i) => items[chunkKey(meta.gen, i)]);
    const absent = parts.indexOf(undefined);
    if (absent < 0) {
      try {
        return { ...meta, text: await syncedText(meta, parts) };
      } catch (error) {
        return refuse(error.message);
      }
    }
    missing = `chunk ${absent + 1} of ${meta.chunks} is missing`;
    // A writer retired this version between reads: look again.
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return refuse(missing);
}

/** Removes redline's items from sync storage ("Sync across browsers" turned off). */
export function clearSync() {
  return withLock(SYNC_LOCK, async () => {
    const keys = Object.keys(await sync.get(null)).filter(isOurSyncKey);
    if (keys.includes(SYNC_META)) await sync.remove(SYNC_META);
    await sync.remove(keys.filter((key) => key !== SYNC_META));
  });
}

export async function syncUsage() {
  const used = await sync.getBytesInUse(null);
  return { used, quota: SYNC_QUOTA_BYTES, left: Math.max(0, SYNC_QUOTA_BYTES - used) };
}

// ---- what is in force -----------------------------------------------------------------------

/**
 * The user's text: the newest of this browser's saved one and, when sync is on here, the one
 * synced from another browser; when neither can be read, the newest earlier version that can;
 * else undefined (the bundled seed). `source` says which ('local', 'sync', 'history', 'seed'),
 * `problems` what could not be read. With `keepSynced` (the service worker) a synced text used
 * here becomes this browser's saved one too.
 */
export async function readUserText({ keepSynced = false } = {}) {
  const problems = [];
  const [local, syncOn] = await Promise.all([readLocal(problems), readSyncEnabled(problems)]);
  const synced =
    !local || syncOn
      ? await readSync(problems).catch((error) => {
          problems.push(`Sync storage cannot be read (${error.message ?? error}): this browser uses its own configuration.`);
          return null;
        })
      : null;
  // A copy kept here by the worker (below) is still the synced text while sync holds it. A local
  // text without a readable time counts as older than any synced one.
  const keptCopy = local?.fromSync === true && synced?.text === local.text;
  if (synced && (!local || synced.savedAt > (local.savedAt ?? '') || keptCopy)) {
    // Turning sync off in another browser deletes the synced copy: this browser must not fall back
    // to an older text or the seed then. The previous saved text goes to the history; sync is on
    // here, as the options page turns it on for a text from sync.
    if (keepSynced && synced.text !== local?.text) {
      await setSyncEnabled(true)
        .then(() => saveLocal(synced.text, synced.savedAt, { fromSync: true }))
        .catch((error) => console.warn('redline: keeping the synced configuration in this browser failed', error));
    }
    return { text: synced.text, savedAt: synced.savedAt, source: 'sync', problems };
  }
  if (local) return { text: local.text, savedAt: local.savedAt, source: 'local', problems };
  const [earlier] = await readHistory(problems);
  if (earlier) {
    if (problems.length > 0) problems.push('The newest earlier version that can be read is in force: save to keep it.');
    return { text: earlier.text, savedAt: earlier.savedAt, source: 'history', problems };
  }
  return { text: undefined, savedAt: null, source: 'seed', problems };
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
    await local.set({ [LOCAL_MANAGED_CACHE]: { text: text ?? null } }).catch(() => {});
    return text;
  } catch {
    return undefined;
  }
}

/** The organisation's text as last read from policy (undefined: none or never read), at once. */
export async function readManagedCache(problems = []) {
  const { [LOCAL_MANAGED_CACHE]: cached } = await local.get(LOCAL_MANAGED_CACHE);
  if (cached === undefined) return undefined;
  if (!isRecord(cached) || (cached.text !== null && typeof cached.text !== 'string')) {
    problems.push(
      `The organisation's configuration as last read cannot be read (${isRecord(cached) ? `its text is ${kindOf(cached.text)}` : `it is ${kindOf(cached)}`}): ` +
        "its rules apply once the browser's policy answers.",
    );
    return undefined;
  }
  return managedTextOf(cached.text);
}

// ---- learned from access portals ------------------------------------------------------------

/** What is wrong with what a portal taught as stored, or ''. */
function learnedProblem(entry) {
  if (!isRecord(entry)) return `it is ${kindOf(entry)}, expected an object`;
  if (typeof entry.text !== 'string') return `its text is ${kindOf(entry.text)}, expected a string`;
  const account = (a) => isRecord(a) && typeof a.id === 'string' && (a.name === null || typeof a.name === 'string');
  if (!Array.isArray(entry.accounts) || !entry.accounts.every(account)) return 'its accounts are not a list of ids and names';
  return '';
}

/** What each portal taught, as stored: the entries that can be read, the others reported. */
async function readLearned(problems = []) {
  const { [LOCAL_LEARNED]: learned } = await local.get(LOCAL_LEARNED);
  if (learned === undefined) return {};
  if (!isRecord(learned)) {
    problems.push(`What access portals taught cannot be read (it is ${kindOf(learned)}, expected an object): it is learned again as you open the portals.`);
    return {};
  }
  const entries = {};
  for (const [portal, entry] of Object.entries(learned)) {
    const wrong = learnedProblem(entry);
    if (wrong) {
      problems.push(`What ${portal} taught cannot be read (${wrong}): it is learned again when you open that portal.`);
      continue;
    }
    const learnedAt = storedTime(entry.learnedAt);
    if (learnedAt === undefined) problems.push(`What ${portal} taught has no readable time (${quote(entry.learnedAt)}): it is listed as learned earlier.`);
    entries[portal] = { text: entry.text, accounts: entry.accounts, learnedAt: learnedAt ?? null };
  }
  return entries;
}

/** What every access portal taught, as one configuration text, or undefined when none did. */
export async function readLearnedText(problems = []) {
  const texts = Object.values(await readLearned(problems)).map((entry) => entry.text);
  return texts.length > 0 ? texts.join('\n') : undefined;
}

/**
 * Keeps what the portal at `portalUrl` taught in place of what it taught before; false when that
 * is what is stored already (nothing written, so nothing reconfigures).
 */
export function saveLearned(portalUrl, text, accounts = [], learnedAt = new Date().toISOString()) {
  return withLock(LOCAL_LOCK, async () => {
    const learned = await readLearned();
    if (learned[portalUrl]?.text === text) return false;
    await local.set({ [LOCAL_LEARNED]: { ...learned, [portalUrl]: { text, accounts, learnedAt } } });
    return true;
  });
}

/** What each portal taught, for the options page: [{portal, learnedAt, accounts: [{id, name}]}]. */
export async function listLearned(problems = []) {
  return Object.entries(await readLearned(problems)).map(([portal, entry]) => ({ portal, learnedAt: entry.learnedAt, accounts: entry.accounts }));
}

/** Forgets what the portal at `portalUrl` taught; the worker reconfigures on the change. */
export function forgetLearned(portalUrl) {
  return withLock(LOCAL_LOCK, async () => {
    const { [portalUrl]: _forgotten, ...rest } = await readLearned();
    await local.set({ [LOCAL_LEARNED]: rest });
  });
}

/** Whether a storage change touches what the engine is configured from. */
export function touchesConfiguration(changes, area) {
  if (area === 'managed') return true;
  if (area === 'local') return LOCAL_CONFIG in changes || LOCAL_LEARNED in changes;
  if (area === 'sync') return SYNC_META in changes;
  return false;
}

// ---- the compiled configuration -------------------------------------------------------------

// The core's snapshot of the configuration in force (bytes it checks itself: its checksum and the
// texts it was compiled from), so that a worker the browser stopped answers its first banner
// without reading 5,000 profiles again. Kept in the Cache API: it stores bytes as they are, and a
// read costs no JSON of a megabyte. Losing it costs only time.
// The Cache API keys entries by http(s) URLs only; this one is never fetched.
const COMPILED = new Request('https://redline.invalid/compiled-configuration');

/** The last snapshot and what configuring said then ({bytes, configured}), or null. */
export async function readCompiled() {
  try {
    const response = await (await caches.open('redline')).match(COMPILED);
    if (!response) return null;
    const configured = JSON.parse(decodeURIComponent(response.headers.get('x-configured') ?? 'null'));
    return { bytes: new Uint8Array(await response.arrayBuffer()), configured };
  } catch {
    return null;
  }
}

/** Keeps the snapshot `bytes` and `configured` (without its diagnostics, which the texts give again). */
export async function writeCompiled(bytes, configured) {
  const summary = JSON.stringify({ ...configured, user: [], managed: [] });
  const response = new Response(bytes, { headers: { 'x-configured': encodeURIComponent(summary) } });
  await (await caches.open('redline')).put(COMPILED, response);
}

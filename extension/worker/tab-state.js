// What the service worker remembers per tab for danger mode and the guard, in chrome.storage.session
// (the browser session only, never on disk; opened to the content scripts for the verdicts kept in
// verdicts.js, but they read nothing of this: they ask by message):
//   tab:<tabId>   {verdict, danger: {identity, since, confirmedAt} | null}  the top document's last verdict
//   ack:<key>     time the user acknowledged danger for verdict.danger.acknowledgeKey
//   page:<tabId>  {url, signals, provider, document}  what the top document last sent, for the popup:
//                 the active tab's identity and how to switch from it, and which identities have
//                 tabs open; `document` says which document it was (see below)
//   left:<tabId>  {danger, leftAt}  the danger of a top document that went away (pagehide): the next
//                 document of the tab within LEAVE_GRACE_MS (a reload, a link to another console
//                 page) in the same danger keeps its clock and reminder; later, the clock restarts
// Every change of tab: or ack: is pushed to the tab's frames as {type: RedlineMessages.TAB_STATE, verdict, tab}
// (tab: the clock, the acknowledgement and the core's steps of danger mode from now on),
// so an acknowledgement in one tab lifts the overlay in every tab of the same account. page: is
// kept apart so that an in-page navigation pushes nothing. tab: and page: go when the top document
// hides (pagehide, sent by the content script) and when the tab closes.
//
// The answer goes first: a verdict without danger needs nothing stored, one with danger needs the
// tab's clock and acknowledgement, which this worker keeps in memory once it has read or written
// them; the records are written after the answer, one tab's changes in order.
//
// Storage that fails never switches protection off. The tab record is written before the popup's
// page record; when session storage refuses it (full), this worker keeps it in memory (`unsaved`),
// tells the tab's frames itself (no storage change will), and answers from it. What is reported
// as acknowledged is only ever what is stored under ack:, so an acknowledgement that failed to save
// is none, and a danger entry that failed to save still shows the overlay and arms the guard.
//
// Answers can come back out of order (a slow evaluation, an in-page navigation meanwhile, the
// previous document's last messages after the next document's first). Each top document names
// itself (a random id, new when restored from the back-forward cache) and numbers its messages.
// Only a message newer than every one recorded for the tab is recorded (tab:, page:, the toolbar)
// or removes the records: a later number from the same document, or a first message from another
// document, which makes the documents before it gone for good. An older message is still answered,
// from the same state (the page ignores it), and changes nothing.

import '../shared/messages.js'; // RedlineMessages
import { ext } from '../shared/browser.js';

const session = ext.storage.session;
const TAB = 'tab:';
const ACK = 'ack:';
const PAGE = 'page:';
const LEFT = 'left:';
const LEAVE_GRACE_MS = 60_000;

const unsaved = new Map(); // tabId → the record session storage refused, in force until one is stored
// What an answer needs without a read: the record this worker made last for each tab (written or
// on its way), and the acknowledgements it has seen stored. Empty after a restart: then one read.
const latest = new Map(); // tabId → {verdict, danger}
const acknowledgedKeys = new Set(); // acknowledgeKey
const order = new Map(); // tabId → {document, sequence, gone: [document]} of the newest message recorded
// Late messages come from the last document or two of a tab; a few more are remembered to be sure.
const GONE_KEPT = 8;

// The core's steps of danger mode for a danger verdict and a tab's clock (set by the service worker,
// which runs the core): async (danger, {since, confirmedAt, acknowledged}, now) → {steps, until}.
let dangerSteps = async () => null;

/** Gives this module the core's danger steps (see dangerSteps). */
export function useDangerSteps(steps) {
  dangerSteps = steps;
}

/**
 * `tab` with the core's steps of danger mode from now on, for the frames to paint. Without them
 * (the core could not give them) a frame shows the danger's label and asks again.
 */
async function withSteps(verdict, tab) {
  if (!tab || !verdict?.danger) return tab;
  try {
    return { ...tab, steps: await dangerSteps(verdict.danger, tab, Date.now()) };
  } catch (error) {
    console.warn('redline: danger steps not made', error);
    return tab;
  }
}

/** Which danger this is: entering another account (or leaving danger) restarts the clock. */
function identityOf(verdict) {
  const danger = verdict?.danger;
  if (!danger) return null;
  return danger.key;
}

/** A stored value, or undefined when absent or when session storage cannot be read (nothing acknowledged, no clock). */
async function read(key) {
  try {
    return (await session.get(key))[key];
  } catch (error) {
    console.warn('redline: session storage not read', error);
    return undefined;
  }
}

/** The tab's record in force: the one storage refused, else the stored one. */
const recordOf = async (tabId) => unsaved.get(tabId) ?? (await read(TAB + tabId));

/** What a frame is told about its tab: the verdict, and the danger clock and acknowledgement. */
async function describe(record) {
  if (!record) return { verdict: null, tab: null };
  const { verdict, danger } = record;
  if (!danger) return { verdict, tab: null };
  const key = verdict.danger.acknowledgeKey;
  const acknowledged = key ? (await read(ACK + key)) !== undefined : null;
  if (acknowledged) acknowledgedKeys.add(key);
  return { verdict, tab: await withSteps(verdict, { since: danger.since, confirmedAt: danger.confirmedAt, acknowledged }) };
}

// One change per tab at a time: a read and write of one record must not interleave with another.
const queues = new Map();
function serially(tabId, work) {
  const next = (queues.get(tabId) ?? Promise.resolve()).then(work, work);
  queues.set(tabId, next.catch(() => {}));
  return next;
}

/** Whether `message` is newer than every message recorded for the tab; if so it becomes the newest. */
function claim(tabId, { document, sequence }) {
  const seen = order.get(tabId);
  if (seen?.gone.includes(document)) return false;
  if (seen?.document === document) {
    if (!(sequence > seen.sequence)) return false;
    seen.sequence = sequence;
    return true;
  }
  order.set(tabId, { document, sequence, gone: seen ? [seen.document, ...seen.gone].slice(0, GONE_KEPT) : [] });
  return true;
}

/** Whether `message` is still the newest recorded for its tab (no newer one came meanwhile). */
function isNewest(tabId, message) {
  const seen = order.get(tabId);
  return seen?.document === message.document && seen.sequence === message.sequence;
}

/**
 * Stores the tab's record. When session storage refuses it, this worker keeps it and tells the
 * tab's frames itself; once a record is stored again, the frames hear that one.
 */
async function storeRecord(tabId, stored, record, left) {
  try {
    if (JSON.stringify(stored) !== JSON.stringify(record)) {
      if (record) await session.set({ [TAB + tabId]: record });
      else await session.remove(TAB + tabId);
    }
  } catch (error) {
    console.warn('redline: tab record not stored; kept by the worker', error);
    unsaved.set(tabId, record);
    await push(tabId, record);
    return;
  }
  if (unsaved.delete(tabId)) await push(tabId, record);
  if (left !== undefined) await session.remove(LEFT + tabId);
}

/**
 * The danger state to answer `verdict` with, read from this worker's memory where it can be (the
 * record it made last for the tab, the acknowledgements it has read or stored), else in one read of
 * session storage. A verdict without danger needs no read at all. Returns the tab's new record too.
 */
async function dangerState(tabId, verdict) {
  const identity = identityOf(verdict);
  if (identity === null) return { record: verdict ? { verdict, danger: null } : undefined, tab: null };
  const key = verdict.danger.acknowledgeKey;
  const wanted = [...(latest.has(tabId) ? [] : [TAB + tabId, LEFT + tabId]), ...(key && !acknowledgedKeys.has(key) ? [ACK + key] : [])];
  const found = wanted.length > 0 ? await session.get(wanted).catch((error) => (console.warn('redline: session storage not read', error), {})) : {};
  if (key && found[ACK + key] !== undefined) acknowledgedKeys.add(key);
  const left = found[LEFT + tabId];
  const previous = latest.has(tabId) ? latest.get(tabId) : (found[TAB + tabId] ?? (left && Date.now() - left.leftAt < LEAVE_GRACE_MS ? left : undefined));
  const danger = previous?.danger?.identity === identity ? previous.danger : { identity, since: Date.now(), confirmedAt: null };
  const tab = { since: danger.since, confirmedAt: danger.confirmedAt, acknowledged: key ? acknowledgedKeys.has(key) : null };
  return { record: { verdict, danger }, tab: await withSteps(verdict, tab) };
}

/**
 * The evaluate reply for `page` (the evaluate message: {url, signals, document, sequence}) with the
 * tab's danger state added as `tab`, ready as soon as that state is known; `recorded` settles once
 * the tab's records are written, true when this answer is the tab's newest (the toolbar shows only
 * that). The banner never waits for the book-keeping; a write that fails leaves the louder state.
 */
export async function withTabState(sender, page, reply) {
  const tabId = sender.tab?.id;
  if (tabId === undefined || sender.frameId !== 0) return { reply: { ...reply, tab: null }, recorded: Promise.resolve(false) };
  const verdict = reply.verdict ?? null;
  // Arrival order decides which message is the tab's newest: an older one is answered, records nothing.
  const newest = claim(tabId, page);
  let state;
  try {
    state = await dangerState(tabId, verdict);
  } catch (error) {
    // Whatever went wrong, the louder state: a danger the overlay asks about.
    console.warn('redline: tab state not read', error);
    const danger = verdict?.danger;
    const tab = danger ? { since: Date.now(), confirmedAt: null, acknowledged: danger.acknowledgeKey ? false : null } : null;
    state = { record: undefined, tab: await withSteps(verdict, tab) };
  }
  if (!newest) return { reply: { ...reply, tab: state.tab }, recorded: Promise.resolve(false) };
  if (state.record) latest.set(tabId, state.record);
  else latest.delete(tabId);
  const recorded = serially(tabId, () => record(tabId, page, state.record))
    .then(() => isNewest(tabId, page))
    .catch((error) => {
      console.warn('redline: tab state not recorded', error);
      return isNewest(tabId, page);
    });
  return { reply: { ...reply, tab: state.tab }, recorded };
}

/** Writes the tab's record, then the popup's page record, unless a newer message came meanwhile. */
async function record(tabId, page, next) {
  if (!isNewest(tabId, page)) return;
  const stored = await read(TAB + tabId);
  const left = stored === undefined && !unsaved.has(tabId) ? await read(LEFT + tabId) : undefined;
  await storeRecord(tabId, stored, next, left);
  // Then what the popup reads: failing to store it costs the popup its marks, never protection.
  const verdict = next?.verdict;
  const shown = verdict ? { url: page.url, signals: page.signals, provider: verdict.provider, document: page.document } : undefined;
  try {
    if (JSON.stringify(await read(PAGE + tabId)) !== JSON.stringify(shown)) {
      if (shown) await session.set({ [PAGE + tabId]: shown });
      else await session.remove(PAGE + tabId);
    }
  } catch (error) {
    console.warn('redline: page record not stored', error);
  }
}

/**
 * The top document hid (another page, the tab closing, the back-forward cache): the tab shows it
 * no more. Its danger stays in left: for a moment, so that a reload keeps the clock. By then the
 * document is no longer the tab's main frame (its frameId is not 0), so what says it is the tab's
 * is that its messages are the ones recorded (in this worker, or in the page record when the
 * worker has restarted since, as it does after 30 s idle): a document never recorded (a
 * prerendered page thrown away) removes nothing.
 */
function leave(tabId, message) {
  return serially(tabId, async () => {
    const recorded = order.get(tabId)?.document ?? (await read(PAGE + tabId))?.document;
    if (recorded !== message.document || !claim(tabId, message)) return;
    const record = await recordOf(tabId);
    unsaved.delete(tabId);
    latest.delete(tabId);
    if (record?.danger) {
      await session
        .set({ [LEFT + tabId]: { danger: record.danger, leftAt: Date.now() } })
        .catch((error) => console.warn('redline: danger clock not kept', error));
    }
    await session.remove([TAB + tabId, PAGE + tabId]);
  });
}

/** What the console page in tab `tabId` last sent ({url, signals, provider}), or null. */
export async function readPage(tabId) {
  return (await read(PAGE + tabId)) ?? null;
}

/** What every console tab last sent: [{tabId, url, signals, provider}]. */
export async function readPages() {
  return Object.entries(await session.get(null))
    .filter(([key]) => key.startsWith(PAGE))
    .map(([key, page]) => ({ tabId: Number(key.slice(PAGE.length)), ...page }));
}

async function push(tabId, record) {
  await ext.tabs.sendMessage(tabId, { type: RedlineMessages.TAB_STATE, ...(await describe(record)) }).catch(() => {});
}

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const tabId = sender.tab?.id;
  if (sender.id !== ext.runtime.id || tabId === undefined) return false;
  if (message?.type === RedlineMessages.TAB_VERDICT) {
    recordOf(tabId).then(describe).then(sendResponse, () => sendResponse(null));
    return true;
  }
  if (message?.type === RedlineMessages.PAGEHIDE) {
    leave(tabId, message).catch((error) => console.warn('redline: tab records not removed', error));
    return false;
  }
  if (message?.type === RedlineMessages.ACKNOWLEDGE && typeof message.key === 'string') {
    serially(tabId, async () => {
      const record = await recordOf(tabId);
      // Only the danger this tab is in can be acknowledged from it.
      if (record?.verdict?.danger?.acknowledgeKey !== message.key) return describe(record);
      await session.set({ [ACK + message.key]: Date.now() }).catch((error) => console.warn('redline: acknowledgement not stored', error));
      // Read back: an acknowledgement that failed to save is none, and the overlay stays.
      return describe(record);
    }).then(sendResponse, () => sendResponse(null));
    return true;
  }
  if (message?.type === RedlineMessages.CONFIRM_REMINDER) {
    serially(tabId, async () => {
      const record = await recordOf(tabId);
      if (!record?.danger) return describe(record);
      const next = { ...record, danger: { ...record.danger, confirmedAt: Date.now() } };
      try {
        await session.set({ [TAB + tabId]: next });
      } catch (error) {
        // Not stored, not confirmed: the reminder stands.
        console.warn('redline: reminder confirmation not stored', error);
        return describe(record);
      }
      unsaved.delete(tabId);
      latest.set(tabId, next);
      return describe(next);
    }).then(sendResponse, () => sendResponse(null));
    return true;
  }
  return false;
});

ext.storage.onChanged.addListener(async (changes, area) => {
  if (area !== 'session') return;
  const acknowledged = new Set();
  for (const [key, { newValue }] of Object.entries(changes)) {
    if (key.startsWith(TAB)) push(Number(key.slice(TAB.length)), newValue);
    else if (key.startsWith(ACK) && newValue === undefined) acknowledgedKeys.delete(key.slice(ACK.length));
    else if (key.startsWith(ACK)) acknowledged.add(key.slice(ACK.length));
  }
  for (const key of acknowledged) acknowledgedKeys.add(key);
  if (acknowledged.size === 0) return;
  for (const [key, record] of Object.entries(await session.get(null))) {
    if (key.startsWith(TAB) && acknowledged.has(record?.verdict?.danger?.acknowledgeKey)) push(Number(key.slice(TAB.length)), record);
  }
  // A record only this worker holds is in no storage change.
  for (const [tabId, record] of unsaved) if (acknowledged.has(record?.verdict?.danger?.acknowledgeKey)) push(tabId, record);
});

ext.tabs.onRemoved.addListener((tabId) => {
  serially(tabId, () => session.remove([TAB + tabId, PAGE + tabId, LEFT + tabId])).finally(() => {
    queues.delete(tabId);
    unsaved.delete(tabId);
    latest.delete(tabId);
    order.delete(tabId);
  });
});

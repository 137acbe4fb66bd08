// What the service worker remembers per tab for danger mode and the guard, in chrome.storage.session
// (the browser session only, never on disk; content scripts cannot reach it: they ask by message):
//   tab:<tabId>  {verdict, danger: {identity, since, confirmedAt} | null}  the top frame's last verdict
//   ack:<key>    time the user acknowledged danger for verdict.danger.acknowledgeKey
//   page:<tabId> {url, signals, provider}  what the top frame last sent, for the popup: the active
//                tab's identity and how to switch from it, and which identities have tabs open
// Every change of tab: or ack: is pushed to the tab's frames as {type: 'tab-state', verdict, tab},
// so an acknowledgement in one tab lifts the overlay in every tab of the same account. page: is
// kept apart so that an in-page navigation pushes nothing.

const ext = globalThis.browser ?? chrome;
const session = ext.storage.session;
const TAB = 'tab:';
const ACK = 'ack:';
const PAGE = 'page:';

/** Which danger this is: entering another account (or leaving danger) restarts the clock. */
function identityOf(verdict) {
  const danger = verdict?.danger;
  if (!danger) return null;
  return danger.key;
}

async function read(key) {
  return (await session.get(key))[key];
}

/** What a frame is told about its tab: the verdict, and the danger clock and acknowledgement. */
async function describe(record) {
  if (!record) return { verdict: null, tab: null };
  const { verdict, danger } = record;
  if (!danger) return { verdict, tab: null };
  const key = verdict.danger.acknowledgeKey;
  const acknowledged = key ? (await read(ACK + key)) !== undefined : null;
  return { verdict, tab: { since: danger.since, confirmedAt: danger.confirmedAt, acknowledged } };
}

// One change per tab at a time: a read and write of one record must not interleave with another.
const queues = new Map();
function serially(tabId, work) {
  const next = (queues.get(tabId) ?? Promise.resolve()).then(work, work);
  queues.set(tabId, next.catch(() => {}));
  return next;
}

/**
 * Records the top frame's verdict and the page it was given for ({url, signals}); resolves to the
 * tab's danger state (or null).
 */
export function recordVerdict(sender, verdict, page) {
  const tabId = sender.tab?.id;
  if (tabId === undefined || sender.frameId !== 0) return Promise.resolve(null);
  return serially(tabId, async () => {
    const shown = verdict ? { url: page.url, signals: page.signals, provider: verdict.provider } : undefined;
    if (JSON.stringify(await read(PAGE + tabId)) !== JSON.stringify(shown)) {
      if (shown) await session.set({ [PAGE + tabId]: shown });
      else await session.remove(PAGE + tabId);
    }
    const previous = await read(TAB + tabId);
    const identity = identityOf(verdict);
    const danger =
      identity === null
        ? null
        : previous?.danger?.identity === identity
          ? previous.danger
          : { identity, since: Date.now(), confirmedAt: null };
    const record = verdict ? { verdict, danger } : undefined;
    if (JSON.stringify(previous) !== JSON.stringify(record)) {
      if (record) await session.set({ [TAB + tabId]: record });
      else await session.remove(TAB + tabId);
    }
    return (await describe(record)).tab;
  });
}

/** The evaluate reply for `page` ({url, signals}) with the tab's danger state added as `tab`. */
export async function withTabState(sender, page, reply) {
  try {
    return { ...reply, tab: await recordVerdict(sender, reply.verdict ?? null, page) };
  } catch (error) {
    console.warn('redline: tab state not recorded', error);
    return reply;
  }
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

/** The toolbar title: the whole verdict, not only its label. */
export function toolbarTitle(verdict) {
  return [`${verdict.label} — ${verdict.severity}`, ...verdict.reasons.slice(0, 4)].join('\n');
}

async function push(tabId, record) {
  await ext.tabs.sendMessage(tabId, { type: 'tab-state', ...(await describe(record)) }).catch(() => {});
}

ext.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const tabId = sender.tab?.id;
  if (sender.id !== ext.runtime.id || tabId === undefined) return false;
  if (message?.type === 'tab-verdict') {
    read(TAB + tabId).then(describe).then(sendResponse, () => sendResponse(null));
    return true;
  }
  if (message?.type === 'acknowledge' && typeof message.key === 'string') {
    serially(tabId, async () => {
      const record = await read(TAB + tabId);
      // Only the danger this tab is in can be acknowledged from it.
      if (record?.verdict?.danger?.acknowledgeKey !== message.key) return describe(record);
      await session.set({ [ACK + message.key]: Date.now() });
      return describe(record);
    }).then(sendResponse, () => sendResponse(null));
    return true;
  }
  if (message?.type === 'confirm-reminder') {
    serially(tabId, async () => {
      const record = await read(TAB + tabId);
      if (!record?.danger) return describe(record);
      const next = { ...record, danger: { ...record.danger, confirmedAt: Date.now() } };
      await session.set({ [TAB + tabId]: next });
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
    else if (key.startsWith(ACK)) acknowledged.add(key.slice(ACK.length));
  }
  if (acknowledged.size === 0) return;
  for (const [key, record] of Object.entries(await session.get(null))) {
    if (key.startsWith(TAB) && acknowledged.has(record?.verdict?.danger?.acknowledgeKey)) push(Number(key.slice(TAB.length)), record);
  }
});

ext.tabs.onRemoved.addListener((tabId) => {
  serially(tabId, () => session.remove([TAB + tabId, PAGE + tabId])).finally(() => queues.delete(tabId));
});

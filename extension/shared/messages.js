'use strict';
// Every message redline's scripts send one another, by name: who sends it, who answers, and its
// fields besides `type`. A classic script, so that content scripts (listed first in the manifest)
// and modules (imported for this global) read the same names. Content scripts run it in each of
// their entries; the first run's names stay.
globalThis.RedlineMessages ??= Object.freeze({
  /** Content script → worker: `{url, signals, document, sequence}`; answer `{verdict, tab} | {error}`. */
  EVALUATE: 'evaluate',
  /** Content script → worker, as the page goes: `{document, sequence}`. */
  PAGEHIDE: 'pagehide',
  /** Worker → content scripts, after a configuration change: evaluate again. */
  REEVALUATE: 'reevaluate',
  /** Portal page → worker: `{signals}` (the accounts and roles the access portal lists). */
  PORTAL: 'portal',
  /** Content scripts (danger, guard) → worker: the tab's record; answer `{verdict, tab}`. */
  TAB_VERDICT: 'tab-verdict',
  /** Worker → every frame of a tab: `{verdict, tab}` (the tab's danger clock or acknowledgement changed). */
  TAB_STATE: 'tab-state',
  /** Danger overlay → worker: `{key}`, the danger acknowledged; answer `{verdict, tab}`. */
  ACKNOWLEDGE: 'acknowledge',
  /** Danger reminder → worker: still needed; answer `{verdict, tab}`. */
  CONFIRM_REMINDER: 'confirm-reminder',
  /** Options page → worker: `{configured, source, managed}` in answer. */
  STATUS: 'status',
  /** Worker → extension pages: `{configured}`, the result of a configuration change. */
  CONFIGURED: 'configured',
  /** Popup → worker over a MessageChannel, or runtime messaging where there is none (shared/browser.js): the rows; `{positions}` of `{query}`; the marks of `{tabId}`; `{position, tabId}` to switch. */
  TARGETS: 'targets',
  FILTER: 'filter',
  MARKS: 'marks',
  SWITCH: 'switch',
});

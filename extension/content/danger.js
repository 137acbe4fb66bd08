'use strict';
// Danger mode over time: the elapsed-time counter, the first-entry acknowledgement and the
// reminder. What each moment shows is the core's (tab.steps: a pure function of when this tab
// entered danger, what was confirmed since and the time, which the service worker passes in); this
// file paints each step when its time comes and asks for more when they run out. The tab's clock
// and acknowledgement are the worker's, kept in chrome.storage.session (never persistently) and
// pushed when they change ('tab-state').

const RedlineDanger = (() => {
  const ext = globalThis.browser ?? chrome;
  // Without steps (the worker's answer not yet there, or the core could not give them): asked again.
  const RETRY_MS = 5_000;

  let verdict = null; // the danger verdict painted now, or null
  let tab = null; // {since, confirmedAt, acknowledged, steps: {steps, until}} from the worker
  let confirming = false; // a confirmation is on its way to the worker: its overlay stays down
  let timer = 0;

  /** The same danger as the core names it (`danger.key`, one per account), as the worker's tab records do. */
  const sameDanger = (a, b) => Boolean(a?.danger && b?.danger) && a.danger.key === b.danger.key;

  const ask = (message) => ext.runtime.sendMessage(message).catch(() => null);

  function render() {
    clearTimeout(timer);
    if (!verdict) return;
    const { danger } = verdict;
    const now = Date.now();
    const steps = tab?.steps?.steps ?? [];
    const at = steps.findLastIndex((step) => step.from <= now);
    const step = steps[Math.max(at, 0)];
    if (!step) {
      RedlineBanner.setCounter(danger.elapsedLabel);
      RedlineOverlay.hide();
      timer = setTimeout(refresh, RETRY_MS);
      return;
    }
    RedlineBanner.setCounter(step.counter);
    if (step.overlay && !confirming) {
      const { confirms, heading, detail } = step.overlay;
      RedlineOverlay.show({
        heading,
        text: verdict.label,
        detail,
        confirmText: danger.acknowledgeText,
        confirmed: confirms === 'acknowledge' ? () => confirm({ type: RedlineMessages.ACKNOWLEDGE, key: danger.acknowledgeKey }) : () => confirm({ type: RedlineMessages.CONFIRM_REMINDER }),
        link: danger.readonlySwitch,
        colors: verdict.colors,
      });
    } else {
      RedlineOverlay.hide();
    }
    const next = steps[at + 1];
    if (next) timer = setTimeout(render, Math.max(0, next.from - now));
    else timer = setTimeout(refresh, Math.max(0, tab.steps.until - now));
  }

  /** Asks the worker for this tab's state afresh (the steps ran out, or there were none). */
  function refresh() {
    ask({ type: RedlineMessages.TAB_VERDICT }).then((answer) => {
      if (answer?.tab && sameDanger(verdict, answer.verdict)) accept(answer.tab);
      else if (verdict) {
        clearTimeout(timer);
        timer = setTimeout(refresh, RETRY_MS);
      }
    });
  }

  // Only what the worker stored counts: without its answer (it stopped meanwhile) the state from
  // before the press is back, and with it the overlay.
  async function confirm(message) {
    const asked = tab;
    confirming = true;
    render();
    const answer = await ask(message);
    confirming = false;
    if (verdict) accept(answer?.tab ?? asked);
  }

  function accept(state) {
    tab = state;
    render();
  }

  /** The verdict painted now (null: none, or no danger) and this tab's state as the worker saw it. */
  function update(next, state) {
    if (!next?.danger) {
      verdict = null;
      tab = null;
      clearTimeout(timer);
      RedlineOverlay.hide();
      return;
    }
    const same = sameDanger(verdict, next);
    verdict = next;
    if (state) tab = state;
    else if (!same) {
      tab = null;
      refresh();
    }
    render();
  }

  // The worker's word on this tab changed: acknowledged in another tab of the same account,
  // reminder confirmed, or the stored state otherwise rewritten.
  ext.runtime.onMessage.addListener((message, sender) => {
    if (message?.type !== RedlineMessages.TAB_STATE || sender.id !== ext.runtime.id) return;
    if (message.tab && sameDanger(verdict, message.verdict)) accept(message.tab);
  });

  return { update };
})();

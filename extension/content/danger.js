'use strict';
// Danger mode over time: the elapsed-time counter, the first-entry acknowledgement and the
// reminder. What to say comes from the Verdict (verdict.danger); when this tab entered danger, and
// whether this account was acknowledged in this browser session, from the service worker, which
// keeps both in chrome.storage.session (never persistently) and pushes changes ('tab-state').

const RedlineDanger = (() => {
  const ext = globalThis.browser ?? chrome;
  const MINUTE_MS = 60_000;

  let verdict = null; // the danger verdict painted now, or null
  let tab = null; // {since, confirmedAt, acknowledged} from the worker
  let timer = 0;

  /** The same danger as the core names it (`danger.key`, one per account), as the worker's tab records do. */
  const sameDanger = (a, b) => Boolean(a?.danger && b?.danger) && a.danger.key === b.danger.key;

  const minutesSince = (time) => Math.max(0, Math.floor((Date.now() - time) / MINUTE_MS));

  const ask = (message) => ext.runtime.sendMessage(message).catch(() => null);

  const reminderHeading = (danger, minutes) => `${danger.reminderText} It has been ${minutes} min`;

  function render() {
    clearTimeout(timer);
    if (!verdict) return;
    const { danger } = verdict;
    const since = tab?.since ?? Date.now();
    const minutes = minutesSince(since);
    const remindAt = (tab?.confirmedAt ?? since) + danger.reminderMinutes * MINUTE_MS;
    const reminderDue = tab !== null && danger.reminderMinutes > 0 && Date.now() >= remindAt;
    const link = danger.readonlySwitch;
    const counter = minutes < 1 ? `${danger.elapsedLabel} for less than 1 min` : `${danger.elapsedLabel} for ${minutes} min`;

    if (danger.acknowledgeKey && tab && tab.acknowledged === false) {
      RedlineBanner.setCounter(counter);
      RedlineOverlay.show({
        heading: danger.headline,
        text: verdict.label,
        detail: 'Confirm that you need this before the console can be used. Asked once per account in this browser session.',
        confirmText: danger.acknowledgeText,
        confirmed: () => acknowledge(danger.acknowledgeKey),
        link,
        colors: verdict.colors,
      });
    } else if (reminderDue) {
      const heading = reminderHeading(danger, minutes);
      RedlineBanner.setCounter(heading);
      if (danger.acknowledgeKey) {
        RedlineOverlay.show({
          heading,
          text: verdict.label,
          detail: danger.headline,
          confirmText: danger.acknowledgeText,
          confirmed: confirmReminder,
          link,
          colors: verdict.colors,
        });
      }
    } else {
      RedlineBanner.setCounter(counter);
      RedlineOverlay.hide();
    }
    // Again at the next whole minute or at the reminder, whichever comes first.
    const nextMinute = since + (minutes + 1) * MINUTE_MS;
    const next = reminderDue ? nextMinute : Math.min(nextMinute, remindAt);
    timer = setTimeout(render, Math.max(1_000, next - Date.now() + 50));
  }

  // Only what the worker stored counts: without its answer (it stopped meanwhile) the state from
  // before the press is back, and with it the overlay.
  async function acknowledge(key) {
    const asked = tab;
    if (tab) tab = { ...tab, acknowledged: true };
    render();
    const answer = await ask({ type: RedlineMessages.ACKNOWLEDGE, key });
    if (verdict) accept(answer?.tab ?? asked);
  }

  async function confirmReminder() {
    const asked = tab;
    if (tab) tab = { ...tab, confirmedAt: Date.now() };
    render();
    const answer = await ask({ type: RedlineMessages.CONFIRM_REMINDER });
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
      ask({ type: RedlineMessages.TAB_VERDICT }).then((answer) => {
        if (answer?.tab && sameDanger(verdict, answer.verdict)) accept(answer.tab);
      });
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

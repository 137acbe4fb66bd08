// What differs between the engines redline runs in, in one place. Chromium runs the background as
// a service worker; Firefox runs the same module as an event page, which has no service-worker
// client to post to. Everything else the extension uses is common to both.

export const ext = globalThis.browser ?? chrome;

/**
 * Asks the background for `message` and resolves to its answer. Where the background is a service
 * worker that controls this page (Chromium), over a MessageChannel: it carries the rows of 5,000
 * targets (1.6 MB of text) in about 2 ms, where runtime.sendMessage (JSON both ways) took about 45
 * for 1.3 MB. The question goes at once: awaiting serviceWorker.ready first took 4 to 40 ms, behind
 * the page's first tasks. Elsewhere (Firefox's event page, or a page no worker controls yet) over
 * runtime messaging, which the background answers the same way.
 */
export function askBackground(message, timeoutMs) {
  const controller = globalThis.navigator?.serviceWorker?.controller;
  const channel = controller ? new MessageChannel() : null;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error('no answer from redline’s background')), timeoutMs);
  });
  const settle = () => {
    clearTimeout(timer);
    channel?.port1.close();
  };
  let answer;
  try {
    if (channel) {
      answer = new Promise((resolve) => {
        channel.port1.onmessage = (event) => resolve(event.data);
      });
      controller.postMessage(message, [channel.port2]);
    } else {
      // No listener that answers resolves to undefined, which is no answer.
      answer = ext.runtime.sendMessage(message).then((reply) => reply ?? Promise.reject(new Error('no answer from redline’s background')));
    }
  } catch (error) {
    settle();
    return Promise.reject(error);
  }
  return Promise.race([answer, timeout]).finally(settle);
}

'use strict';
// Keeps redline's own top-level elements (the banner, the danger overlay) as redline painted them:
// a page script that removes or moves one, changes its attributes or inline style, puts children
// into it, or (through some way in that the closed shadow root does not close) changes anything
// inside it, has it undone before the next frame is painted: mutation observer callbacks run at the
// end of the page's task, before rendering. The host's styles need no watching: the shadow root's
// :host rules beat every page rule (RedlineDom.host).

const RedlineKeep = (() => {
  const { attributesOf, restore } = RedlineDom;

  // element → { root, repaint, returned, attributes }: its closed shadow root; repaint() builds its
  // content afresh from the last state painted; returned() is called when it had to be put back;
  // its attributes as redline last left them.
  const kept = new Map();

  let html = null; // the <html> being observed
  let busy = false; // a check or one of redline's own writes is under way
  const observer = new MutationObserver((records) => {
    check(records);
    checkNextFrame();
  });

  /** Observes the kept elements (and the <html> they are in); returns the records not yet taken. */
  function observeAll() {
    const pending = observer.takeRecords();
    observer.disconnect();
    html = null;
    if (kept.size === 0) return pending;
    observer.observe(document, { childList: true });
    html = document.documentElement;
    if (html) observer.observe(html, { childList: true });
    for (const [element, { root }] of kept) {
      observer.observe(element, { attributes: true, childList: true });
      observer.observe(root, { childList: true, characterData: true, attributes: true, subtree: true });
    }
    return pending;
  }

  /**
   * Undoes what the page did: every kept element goes back into <html> with its attributes as
   * redline left them, and one with a change inside (`records`) is built again from its last state.
   */
  function check(records = []) {
    // Between a page's removeChild and appendChild of <html> there is none to return to.
    if (!document.documentElement) return;
    const outer = busy;
    busy = true;
    try {
      // The page replaced <html> itself, taking everything kept with it: watch the new one.
      if (html !== document.documentElement) records = records.concat(observeAll());
      for (const [element, entry] of kept) {
        let changed = false;
        if (element.parentNode !== document.documentElement) {
          document.documentElement.append(element);
          changed = true;
        }
        changed = restore(element, entry.attributes) || changed;
        // Nothing inside the shadow tree is the page's to change: it is painted again, afresh.
        if (records.some(({ target }) => target.getRootNode() === entry.root)) {
          entry.repaint();
          entry.attributes = attributesOf(element);
        }
        if (changed) entry.returned?.();
      }
      // Our own corrections are not the page's changes.
      observer.takeRecords();
    } finally {
      busy = outer;
    }
  }

  // What no record shows (<html> replaced while the observers were being moved) is caught a frame later.
  let framePending = false;
  function checkNextFrame() {
    if (framePending) return;
    framePending = true;
    requestAnimationFrame(() => {
      framePending = false;
      check();
    });
  }

  /**
   * Runs `change`, redline's own change to a kept element or to what is inside it, and takes the
   * result as what the element should be. The page's changes before it are undone first: a listener
   * of ours can run inside the page's task, before the observer has reported them.
   */
  function write(change) {
    // Inside a check (a repaint): the check takes the result.
    if (busy) return change();
    check(observer.takeRecords());
    busy = true;
    try {
      change();
      for (const [element, entry] of kept) entry.attributes = attributesOf(element);
      observer.takeRecords();
    } finally {
      busy = false;
    }
  }

  /**
   * Keeps `element`, whose closed shadow root is `root`, at the end of <html>, as it is now:
   * `repaint()` builds its content again from its last state when anyone but redline changed
   * something inside (it runs within the check, which takes its result); `returned()` is called
   * whenever it had to be put back (taking an element out of the page takes its focus). Its later
   * changes go through write().
   */
  function keep(element, root, { repaint, returned = null }) {
    if (!kept.has(element)) {
      kept.set(element, { root, repaint, returned, attributes: attributesOf(element) });
      check(observeAll());
    }
    write(() => {
      if (element.parentNode !== document.documentElement) document.documentElement.append(element);
    });
  }

  /** Stops keeping `element` and takes it out of the page. */
  function release(element) {
    if (!kept.delete(element)) return;
    check(observeAll());
    element.remove();
  }

  return { keep, write, release };
})();

'use strict';
// Keeps redline's own top-level elements (the banner, the danger overlay) in the page: a page script
// that removes, moves or hides one gets it back before the next frame is painted. Each kept element
// is a direct child of <html> whose inline !important styles (with `all: initial`) beat every page
// rule; only the page changing the element itself can hide it, and that is what is watched.

const RedlineKeep = (() => {
  const kept = new Map(); // element → { property: value } held with !important
  const onReturn = new Map(); // element → called after the element was put back into the page

  const written = new WeakMap(); // element → its style attribute as we last wrote it

  // `styles` starts with `all: initial`, which sets every property inline; anything the page wrote
  // since (display, opacity, transform, clip-path…) shows as a different style text.
  function holdStyles(element, styles) {
    if (written.get(element) === element.style.cssText) return false;
    element.style.cssText = '';
    for (const [name, value] of Object.entries(styles)) element.style.setProperty(name, value, 'important');
    written.set(element, element.style.cssText);
    return true;
  }

  function restore(element, styles) {
    let changed = false;
    if (element.parentNode !== document.documentElement) {
      document.documentElement.append(element);
      changed = true;
    }
    for (const attribute of ['hidden', 'inert', 'popover']) {
      if (element.hasAttribute(attribute)) {
        element.removeAttribute(attribute);
        changed = true;
      }
    }
    changed = holdStyles(element, styles) || changed;
    if (changed) onReturn.get(element)?.();
  }

  function checkAll() {
    // Between a page's removeChild and appendChild of <html> there is none to return to.
    if (!document.documentElement) return;
    for (const [element, styles] of kept) restore(element, styles);
  }

  let framePending = false;
  function checkNextFrame() {
    if (framePending) return;
    framePending = true;
    requestAnimationFrame(() => {
      framePending = false;
      checkAll();
    });
  }

  // Mutation callbacks run before the next paint; the frame check catches what they could not see.
  let root = null; // the <html> being observed
  const observer = new MutationObserver(() => {
    // The page replaced <html> itself, taking everything kept with it: watch the new one.
    if (root !== document.documentElement) observeAll();
    checkAll();
    checkNextFrame();
  });

  function observeAll() {
    observer.disconnect();
    root = null;
    if (kept.size === 0) return;
    observer.observe(document, { childList: true });
    root = document.documentElement;
    if (root) observer.observe(root, { childList: true });
    for (const element of kept.keys()) observer.observe(element, { attributes: true });
  }

  /**
   * Puts `element` (again) at the end of <html> with `styles`, and keeps it there so; `returned` is
   * called whenever it had to be put back (taking an element out of the page takes its focus).
   */
  function keep(element, styles, returned = null) {
    onReturn.set(element, returned);
    const known = kept.has(element);
    if (kept.get(element) !== styles) written.delete(element);
    kept.set(element, styles);
    restore(element, styles);
    // Our own changes are recorded too: drop them, or the observer would answer itself once.
    observer.takeRecords();
    if (!known) observeAll();
  }

  /** Stops keeping `element` and takes it out of the page. */
  function release(element) {
    onReturn.delete(element);
    if (!kept.delete(element)) return;
    observeAll();
    element.remove();
  }

  return { keep, release };
})();

'use strict';
// What the guard's question and the danger overlay share: a host over the whole viewport, a modal
// <dialog> in the browser's top layer holding an alertdialog box, and, while it is open, the
// keyboard and the focus kept inside it. How each is kept as painted is its owner's: the overlay's
// by RedlineKeep, the guard's (in frames, where keep.js does not run) by its own observer. Both
// content-script entries list this file, so in the top frame it runs twice; the second run keeps
// the first.

globalThis.RedlineModal ??= (() => {
  const { element } = RedlineDom;

  // The browser's top layer (modal dialogs, popovers, the fullscreen element) is drawn above every
  // z-index, in the order its elements entered it. What redline asks (the overlay, the guard's
  // question) is a modal <dialog> there, and whatever the page puts there later is followed by
  // redline's dialogs shown again, on top, before the next frame is painted: `raisers` holds what
  // shows each open one again.
  const raisers = new Set();
  let raiseFrame = 0;
  function raiseNextFrame() {
    if (raisers.size === 0 || raiseFrame) return;
    // At the next frame, not now: beforetoggle fires before the page's element enters the top layer.
    raiseFrame = requestAnimationFrame(() => {
      raiseFrame = 0;
      for (const raise of raisers) raise();
    });
  }
  // A page's dialog shown modal or popover shown (by its script or its own invoker button), and an
  // element gone fullscreen. Redline's own dialogs are in closed shadow roots, whose toggle events do
  // not come out.
  addEventListener('beforetoggle', (event) => event.newState === 'open' && raiseNextFrame(), true);
  addEventListener('fullscreenchange', () => document.fullscreenElement && raiseNextFrame(), true);
  // A page's dialog in a shadow root of its own sends no toggle event out; shown modal, it takes the
  // focus, which nothing outside a modal dialog of redline's can otherwise take.
  addEventListener(
    'focusin',
    (event) => raisers.size > 0 && !event.composedPath().some(RedlineDom.isHost) && raiseNextFrame(),
    true,
  );

  const COVER = {
    display: 'block',
    position: 'fixed',
    top: '0',
    left: '0',
    width: '100vw',
    height: '100vh',
    'z-index': '2147483647',
  };
  const stop = (event) => event.stopPropagation();

  return Object.freeze({
    /** A new host `#id` over the whole viewport and its closed shadow root (RedlineDom.host). */
    host(id) {
      const made = RedlineDom.host(id, COVER);
      // Keys pressed inside are not the console's shortcuts.
      for (const type of ['keydown', 'keyup', 'keypress']) made.root.addEventListener(type, stop);
      return made;
    },

    /**
     * `root`'s content, new: a <dialog> that fills the viewport, to be shown with raise(), holding a
     * backdrop (`backdrop` styles) that centres an alertdialog box (`box` styles, `labels` its aria-*
     * attributes). Returns { layer, backdrop, box }, `layer` being the <dialog>. Only redline closes
     * it: Escape and light dismiss do not (closedby="none"; where that is not known, the owner sees
     * its `open` attribute go, a change inside, and shows it again).
     */
    frame(root, { backdrop, box, labels }) {
      const parts = {
        layer: element('dialog', {
          position: 'fixed',
          inset: '0',
          width: '100%',
          height: '100%',
          maxWidth: 'none',
          maxHeight: 'none',
          margin: '0',
          padding: '0',
          border: 'none',
          background: 'transparent',
        }, { closedby: 'none' }),
        backdrop: element('div', {
          boxSizing: 'border-box',
          width: '100%',
          height: '100%',
          display: 'flex',
          alignItems: 'center',
          justifyContent: 'center',
          ...backdrop,
        }),
        box: element('div', {
          boxSizing: 'border-box',
          width: '100%',
          display: 'flex',
          ...box,
        }, { role: 'alertdialog', 'aria-modal': 'true', ...labels }),
      };
      parts.backdrop.append(parts.box);
      parts.layer.append(parts.backdrop);
      root.replaceChildren(parts.layer);
      return parts;
    },

    /**
     * Shows `layer` (from frame(), in the page) modal, last in the top layer: above everything the
     * page has there, the rest of the page inert. The focus stays where it was inside, or goes to
     * the dialog's first control. Its owner runs this inside its own write, since the `open`
     * attribute changes.
     */
    raise(layer) {
      const focused = layer.getRootNode().activeElement;
      // Closing would hand the focus back to the page's element that had it before.
      focused?.blur();
      if (layer.open) layer.close();
      layer.showModal();
      focused?.focus();
    },

    /**
     * Until the function returned is called: `raise()` runs at the next frame whenever the page puts
     * something into the top layer; the user's keys stay inside `host`, Tab cycling through
     * `controls()` (the first of them takes the focus when it leaves); `keys(event)`, if given, sees
     * each of the user's keydowns first and returns whether it took it. Keys a page script makes
     * are not the user's: they move nothing.
     */
    trap({ host, root, controls, raise, keys = null }) {
      const inside = (event) => event.composedPath().includes(host);
      const home = () => controls()[0].focus();
      const onKey = (event) => {
        if (!event.isTrusted || (event.type === 'keydown' && keys?.(event))) return;
        if (!inside(event)) {
          event.preventDefault();
          event.stopImmediatePropagation();
          home();
        } else if (event.key === 'Tab') {
          event.preventDefault();
          event.stopImmediatePropagation();
          if (event.type !== 'keydown') return;
          const list = controls();
          const at = list.indexOf(root.activeElement);
          list[(at + (event.shiftKey ? -1 : 1) + list.length) % list.length].focus();
        }
      };
      const onFocus = (event) => inside(event) || home();
      addEventListener('keydown', onKey, true);
      addEventListener('keyup', onKey, true);
      addEventListener('focusin', onFocus, true);
      raisers.add(raise);
      return () => {
        removeEventListener('keydown', onKey, true);
        removeEventListener('keyup', onKey, true);
        removeEventListener('focusin', onFocus, true);
        raisers.delete(raise);
      };
    },
  });
})();

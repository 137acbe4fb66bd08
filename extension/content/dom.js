'use strict';
// What the scripts painting into console pages share: the banner's scripts in the top frame and the
// guard in every frame. Both content-script entries list this file, so in the top frame it runs
// twice; the second run keeps the first.
//
// The page must not be able to edit or press redline's UI. Each piece of it is a host element with a
// CLOSED shadow root, whose reference lives only in the content script's closures: the page's
// scripts cannot reach the nodes inside (host.shadowRoot is null), and its stylesheets cannot style
// them. The host itself is in the page's DOM, so what the page may do to it is undone by the owner
// (keep.js for the banner and the overlay, guard.js for its question) before the next frame.

globalThis.RedlineDom ??= (() => {
  // Hosts are <div>s: an element with a custom name (`redline-banner`) would be constructed by a
  // custom element the page defined under that name, in the page's world, which could attach its
  // own shadow root first and leave redline none.
  const hosts = new WeakSet();

  /** An element styled through CSSOM (a page's style-src can block <style>, not CSSOM). */
  function element(tag, style, attributes = {}) {
    const made = document.createElement(tag);
    Object.assign(made.style, style);
    for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value);
    return made;
  }

  return Object.freeze({
    FONT: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',

    element,

    /**
     * A new host element `#id` of redline's UI, its closed shadow root, and `hold(styles)`, which
     * sets the host's own styles (`styles` at first). They are `:host` rules with !important in a
     * stylesheet adopted by the shadow root (constructed through CSSOM, which a page's style-src does
     * not block): for !important declarations the shadow tree's context wins over the page's, so no
     * page rule (any specificity, any @layer, an !important style attribute, an animation) can
     * change them. `all: initial` comes first, so that every property the page could use to hide,
     * move, shrink, recolour or make click-through the host (display, visibility inherited from a
     * hidden <html> or <body>, opacity, transform, clip-path, filter, pointer-events…) is held too;
     * the host's ::before and ::after cannot lay page text over ours.
     */
    host(id, styles) {
      const host = document.createElement('div');
      host.id = id;
      hosts.add(host);
      const root = host.attachShadow({ mode: 'closed' });
      const sheet = new CSSStyleSheet();
      const hold = (held) => {
        const declarations = Object.entries({ all: 'initial', direction: 'ltr', ...held })
          .map(([name, value]) => `${name}: ${value} !important;`)
          .join(' ');
        // A dialog's content is its own backdrop.
        sheet.replaceSync(`:host { ${declarations} }
:host::before, :host::after { content: none !important; display: none !important; }
::backdrop { background: none !important; }`);
      };
      hold(styles);
      root.adoptedStyleSheets = [sheet];
      return { host, root, hold };
    },

    /** Whether `node` is the host of a piece of redline's UI (in this frame). */
    isHost: (node) => hosts.has(node),

    /**
     * Sets `element`'s attributes to exactly `attributes` ([name, value] pairs, as redline last left
     * them) and takes away any child the page put into the host (redline's content is all in the
     * shadow tree). Returns whether anything had to change.
     */
    restore(element, attributes) {
      const wanted = new Map(attributes);
      let changed = false;
      for (const { name } of [...element.attributes]) {
        if (!wanted.has(name)) {
          element.removeAttribute(name);
          changed = true;
        }
      }
      for (const [name, value] of wanted) {
        if (element.getAttribute(name) !== value) {
          element.setAttribute(name, value);
          changed = true;
        }
      }
      if (element.hasChildNodes()) {
        element.replaceChildren();
        changed = true;
      }
      return changed;
    },

    /** An element's attributes as [name, value] pairs, for restore(). */
    attributesOf: (element) => [...element.attributes].map(({ name, value }) => [name, value]),

    /**
     * `listener`, run only for the user's own input. An event a page script makes (dispatchEvent,
     * element.click()) has isTrusted false: it is never an acknowledgement or an answer.
     */
    trusted: (listener) => (event) => {
      if (event.isTrusted) listener(event);
    },

    /** A link of redline's that only the user's own click follows (a script's click() would too). */
    userLink(link) {
      link.addEventListener('click', (event) => event.isTrusted || event.preventDefault());
      return link;
    },
  });
})();

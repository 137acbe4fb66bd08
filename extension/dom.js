'use strict';
// What the scripts painting into console pages share: the banner's scripts in the top frame and the
// guard in every frame. Both content-script entries list this file, so in the top frame it runs
// twice; the second run keeps the first.

globalThis.RedlineDom ??= Object.freeze({
  FONT: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',

  /** Styles of a host that covers the whole viewport, set inline with !important: `all: initial`
   *  first, so every page rule for our element loses. */
  COVER: Object.freeze({
    all: 'initial',
    display: 'block',
    position: 'fixed',
    top: '0',
    left: '0',
    width: '100vw',
    height: '100vh',
    'z-index': '2147483647',
  }),

  /** An element styled through CSSOM (a page's style-src can block <style>, not CSSOM). */
  element(tag, style, attributes = {}) {
    const made = document.createElement(tag);
    Object.assign(made.style, style);
    for (const [name, value] of Object.entries(attributes)) made.setAttribute(name, value);
    return made;
  },
});

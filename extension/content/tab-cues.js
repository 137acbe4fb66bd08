'use strict';
// Tab cues from the Verdict: the title prefix (verdict.titlePrefix before the console's own title,
// kept while the console retitles itself) and a favicon with a corner mark in the verdict's colour.
// Both go when the verdict goes, giving the console its own title and icon back.

const RedlineTabCues = (() => {
  const ICON_ID = 'redline-favicon';
  const SIZE = 32;
  const LOAD_TIMEOUT_MS = 3_000;

  let prefix = null;
  let pageTitle = null; // the console's own title
  let written = null; // the title as we last set it
  let colour = null;
  let iconFor = null; // `${colour} ${source}` the current icon was drawn for
  let drawing = 0;

  // ---- title ----------------------------------------------------------------------------------

  function syncTitle() {
    if (prefix === null || !document.head) return;
    const current = document.title;
    // Anything but our own last write is the console's own (new) title.
    if (current !== written) pageTitle = current;
    const wanted = pageTitle ? `${prefix} ${pageTitle}` : prefix;
    written = wanted;
    if (current !== wanted) document.title = wanted;
  }

  function restoreTitle() {
    if (written !== null && document.title === written) document.title = pageTitle ?? '';
    prefix = written = pageTitle = null;
  }

  // ---- favicon --------------------------------------------------------------------------------

  const ourIcon = () => document.getElementById(ICON_ID);
  const pageIcons = () => [...document.querySelectorAll('link[rel~="icon" i]')].filter((link) => link.id !== ICON_ID);

  function pageIconUrl() {
    const link = pageIcons().at(-1);
    return link?.href || new URL('/favicon.ico', location.origin).href;
  }

  function loadImage(url) {
    return new Promise((resolve, reject) => {
      const image = new Image();
      const timer = setTimeout(() => reject(new Error('favicon timeout')), LOAD_TIMEOUT_MS);
      image.onload = () => {
        clearTimeout(timer);
        resolve(image);
      };
      image.onerror = () => {
        clearTimeout(timer);
        reject(new Error('favicon not readable'));
      };
      image.src = url;
    });
  }

  function drawMark(context) {
    const size = SIZE * 0.56;
    const at = SIZE - size;
    context.fillStyle = '#FFFFFF';
    context.fillRect(at - 2, at - 2, size + 2, size + 2);
    context.fillStyle = colour;
    context.fillRect(at, at, size, size);
  }

  /** The console's icon with our mark, or the mark alone when the icon cannot be read. */
  async function badgedIcon(source) {
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = SIZE;
    const context = canvas.getContext('2d');
    try {
      context.drawImage(await loadImage(source), 0, 0, SIZE, SIZE);
      drawMark(context);
      return canvas.toDataURL('image/png'); // throws on a tainted (cross-origin) canvas
    } catch {
      context.clearRect(0, 0, SIZE, SIZE);
      context.fillStyle = '#FFFFFF';
      context.fillRect(0, 0, SIZE, SIZE);
      drawMark(context);
      return canvas.toDataURL('image/png');
    }
  }

  // A favicon is fetched under the page's CSP (img-src), and a blocked one is reported to the
  // console's server, naming the extension: a data: icon is set only where the page has shown that
  // its policy allows data: images, by having loaded one itself. Reading that costs no request.
  const pageLoadsDataImages = () =>
    [...document.images].some((image) => image.currentSrc.startsWith('data:') && image.complete && image.naturalWidth > 0);

  async function syncIcon() {
    if (colour === null || !document.head) return;
    if (!ourIcon() && !pageLoadsDataImages()) return;
    const source = pageIconUrl();
    const wanted = `${colour} ${source}`;
    let link = ourIcon();
    if (iconFor !== wanted) {
      iconFor = wanted;
      const mine = ++drawing;
      const url = await badgedIcon(source);
      if (mine !== drawing || colour === null) return;
      link = ourIcon() ?? Object.assign(document.createElement('link'), { id: ICON_ID, rel: 'icon' });
      link.type = 'image/png';
      link.href = url;
    }
    // Browsers take the last icon declared: ours stays last.
    if (link && (link.parentNode !== document.head || document.head.lastElementChild !== link)) document.head.append(link);
  }

  function restoreIcon() {
    colour = iconFor = null;
    drawing++;
    ourIcon()?.remove();
  }

  // ---- watching the console's own changes -----------------------------------------------------

  const headWatcher = new MutationObserver(() => {
    syncTitle();
    syncIcon();
  });
  let watchedHead = null;

  addEventListener('load', () => syncIcon(), { once: true });

  function watch() {
    if (!document.head) {
      document.addEventListener('DOMContentLoaded', () => prefix !== null && apply(current), { once: true });
      return;
    }
    if (watchedHead === document.head) return;
    watchedHead = document.head;
    headWatcher.observe(document.head, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['href', 'rel'] });
  }

  let current = null;

  /** Shows `verdict`'s cues on the tab. */
  function apply(verdict) {
    current = verdict;
    prefix = verdict.titlePrefix;
    colour = verdict.colors.background;
    watch();
    syncTitle();
    syncIcon();
  }

  /** Gives the console its own title and icon back. */
  function clear() {
    current = null;
    headWatcher.disconnect();
    watchedHead = null;
    restoreTitle();
    restoreIcon();
  }

  return { apply, clear };
})();

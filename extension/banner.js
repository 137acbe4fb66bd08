'use strict';
// Paints the banner from a Verdict. Decides nothing: every word and colour comes from the Verdict.
// Styles go through CSSOM because a page's style-src can block <style> and <link>, not CSSOM.
// Page strings reach the DOM only through textContent and attribute values.

const RedlineBanner = (() => {
  const HEIGHT_PX = 28;
  const HEIGHT = `${HEIGHT_PX}px`;
  // Where the strip is probed for page elements it covers: across its width, near both edges.
  const PROBE_X = [0.01, 0.25, 0.5, 0.75, 0.99];
  const PROBE_Y = [1, HEIGHT_PX - 1];
  // A console renders its top bar within seconds of a load or an in-page navigation (each of which
  // repaints); after that, DOM changes no longer trigger a search for covered elements.
  const WATCH_MS = 15_000;
  // Shown when the worker cannot answer: the tab's identity is then unknown, never assumed.
  const UNEVALUATED = {
    environment: 'unknown',
    privilege: 'unknown',
    severity: 'caution',
    colors: { background: '#FFD54F', foreground: '#000000' },
  };

  let host = null;
  let text = null;
  let savedMarginTop = null;

  function create() {
    host = document.createElement('redline-banner');
    host.id = 'redline-banner';
    host.setAttribute('role', 'status');
    // Inline !important beats the page's own rules for our element, whatever it matches.
    for (const [name, value] of Object.entries({
      all: 'initial',
      display: 'block',
      position: 'fixed',
      top: '0',
      left: '0',
      right: '0',
      height: HEIGHT,
      'z-index': '2147483647',
    })) host.style.setProperty(name, value, 'important');

    text = document.createElement('div');
    Object.assign(text.style, {
      boxSizing: 'border-box',
      height: '100%',
      padding: '0 12px',
      display: 'flex',
      alignItems: 'center',
      font: '600 13px/1 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
      letterSpacing: '0.02em',
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      borderBottom: '1px solid rgba(0, 0, 0, 0.35)',
    });
    host.attachShadow({ mode: 'open' }).append(text);
  }

  // Pushes the page down so the strip never covers the console's own navigation.
  function reserveSpace() {
    const style = document.documentElement.style;
    if (savedMarginTop === null) {
      savedMarginTop = {
        value: style.getPropertyValue('margin-top'),
        priority: style.getPropertyPriority('margin-top'),
      };
    }
    style.setProperty('margin-top', HEIGHT, 'important');
  }

  function releaseSpace() {
    if (savedMarginTop === null) return;
    const style = document.documentElement.style;
    if (savedMarginTop.value) style.setProperty('margin-top', savedMarginTop.value, savedMarginTop.priority);
    else style.removeProperty('margin-top');
    savedMarginTop = null;
  }

  // Fixed and sticky elements ignore the margin on <html>: a console's own top bar pinned at the top
  // would stay under the strip. Each one found there is moved down by the strip's height with an
  // inline !important top, and gets its own inline top back when the banner goes.
  const moved = new Map(); // element → { value, priority } of its inline top before the move, and `applied`
  const isPinned = (element) => /^(fixed|sticky)$/.test(getComputedStyle(element).position);

  /** Pinned elements (or pinned ancestors of elements) under the strip, outermost first. */
  function pinnedUnderStrip() {
    const seen = new Set([host, document.documentElement]);
    const found = [];
    const width = document.documentElement.clientWidth;
    for (const fx of PROBE_X) {
      for (const y of PROBE_Y) {
        for (const hit of document.elementsFromPoint(Math.round(fx * (width - 1)), y)) {
          for (let element = hit; element && !seen.has(element); element = element.parentElement) {
            seen.add(element);
            if (isPinned(element)) found.push(element);
          }
        }
      }
    }
    // Moving a pinned ancestor may already move its descendants out from under the strip.
    return found.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
  }

  function moveDown(element) {
    const style = element.style;
    const entry = moved.get(element);
    // Moved already, and our value still stands: whatever is still under the strip stays there.
    if (entry && style.getPropertyValue('top') === entry.applied && style.getPropertyPriority('top') === 'important') return;
    const top = parseFloat(getComputedStyle(element).top);
    // A sticky element with top: auto never sticks to the top: it is ordinary content scrolled under.
    if (Number.isNaN(top)) return;
    const applied = `${top + HEIGHT_PX}px`;
    moved.set(element, { value: style.getPropertyValue('top'), priority: style.getPropertyPriority('top'), applied });
    style.setProperty('top', applied, 'important');
  }

  function putBack(element) {
    const { value, priority } = moved.get(element);
    moved.delete(element);
    if (value) element.style.setProperty('top', value, priority);
    else element.style.removeProperty('top');
  }

  let checkPending = false;
  function uncoverPinned() {
    checkPending = false;
    if (!host?.isConnected) return;
    // An element the page has since unpinned would be offset by our top: give it its own back.
    for (const element of moved.keys()) if (!element.isConnected || !isPinned(element)) putBack(element);
    for (const element of pinnedUnderStrip()) {
      const { top, bottom } = element.getBoundingClientRect();
      if (top < HEIGHT_PX && bottom > 0) moveDown(element);
    }
  }

  function scheduleUncover() {
    if (checkPending) return;
    checkPending = true;
    requestAnimationFrame(uncoverPinned);
  }

  const pageWatcher = new MutationObserver(scheduleUncover);
  let watchTimer = 0;

  /** Looks for covered elements now, on scroll and resize (sticky ones pin as the page scrolls) and on DOM changes for a while. */
  function watchPinned() {
    uncoverPinned();
    addEventListener('scroll', scheduleUncover, { passive: true });
    addEventListener('resize', scheduleUncover, { passive: true });
    pageWatcher.observe(document.documentElement, { subtree: true, childList: true, attributes: true, attributeFilter: ['class', 'style'] });
    clearTimeout(watchTimer);
    watchTimer = setTimeout(() => pageWatcher.disconnect(), WATCH_MS);
  }

  function unwatchPinned() {
    removeEventListener('scroll', scheduleUncover);
    removeEventListener('resize', scheduleUncover);
    pageWatcher.disconnect();
    clearTimeout(watchTimer);
    for (const element of [...moved.keys()]) putBack(element);
  }

  function paint({ provider, environment, privilege, severity, colors, label, tooltip }) {
    if (!host) create();
    if (provider) host.dataset.provider = provider;
    else delete host.dataset.provider;
    host.dataset.environment = environment;
    host.dataset.privilege = privilege;
    host.dataset.severity = severity;
    host.title = tooltip;
    text.textContent = label;
    text.style.background = colors.background;
    text.style.color = colors.foreground;
    // The page may have replaced the children of <html>; put the banner back.
    if (!host.isConnected) document.documentElement.append(host);
    reserveSpace();
    watchPinned();
  }

  function show(verdict) {
    paint({
      provider: verdict.provider,
      environment: verdict.environment.kind,
      privilege: verdict.privilege,
      severity: verdict.severity,
      colors: verdict.colors,
      label: verdict.label,
      tooltip: verdict.reasons.join('\n'),
    });
  }

  function showUnevaluated(problem) {
    paint({
      ...UNEVALUATED,
      label: 'redline could not evaluate this page: environment and role unknown',
      tooltip: problem,
    });
  }

  function remove() {
    host?.remove();
    releaseSpace();
    unwatchPinned();
  }

  return { show, showUnevaluated, remove };
})();

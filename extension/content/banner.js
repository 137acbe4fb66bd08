'use strict';
// Paints the banner from a Verdict. Decides nothing: every word and colour comes from the Verdict.
// Styles go through CSSOM because a page's style-src can block <style> and <link>, not CSSOM.
// Page strings reach the DOM only through textContent and attribute values. The banner is a closed
// shadow root that the page cannot reach, kept as painted by RedlineKeep.

const RedlineBanner = (() => {
  const CALM_HEIGHT_PX = 28;
  // Danger mode (admin in prod, root): taller, striped, never the same shape as a calm strip.
  const DANGER_HEIGHT_PX = 48;
  let HEIGHT_PX = CALM_HEIGHT_PX;
  const height = () => `${HEIGHT_PX}px`;
  // Where the strip is probed for page elements it covers: across its width, near both edges.
  const PROBE_X = [0.01, 0.25, 0.5, 0.75, 0.99];
  const probeY = () => [1, HEIGHT_PX - 1];
  const { FONT, element, userLink } = RedlineDom;
  // A console renders its top bar within seconds of a load or an in-page navigation (each of which
  // repaints); after that, DOM changes no longer trigger a search for covered elements.
  const WATCH_MS = 15_000;
  // Shown when the worker cannot answer: the tab's identity is then unknown, never assumed.
  const UNEVALUATED = {
    environment: 'unknown',
    privilege: 'unknown',
    severity: 'caution',
    conflict: false,
    colors: { background: '#FFD54F', foreground: '#000000' },
  };

  let host = null;
  let root = null; // closed: only this closure holds it
  let holdHostStyles = null;
  let last = null; // the state painted last, painted again if anything inside is changed
  let text = null; // the calm strip's one line
  let danger = null; // the danger strip's parts, once built
  let counter = ''; // the danger strip's counter text
  let savedMarginTop = null;
  let alerted = false; // a screen reader hears danger once per page, as an alert

  const hostStyles = () => ({
    display: 'block',
    position: 'fixed',
    top: '0',
    left: '0',
    right: '0',
    height: height(),
    'z-index': '2147483647',
  });

  function create() {
    ({ host, root, hold: holdHostStyles } = RedlineDom.host('redline-banner', hostStyles()));
    host.setAttribute('role', 'status');
    text = buildCalm();
  }

  function buildCalm() {
    const line = element('div', {
      boxSizing: 'border-box',
      height: '100%',
      padding: '0 12px',
      display: 'flex',
      alignItems: 'center',
      font: `600 13px/1 ${FONT}`,
      letterSpacing: '0.02em',
      whiteSpace: 'nowrap',
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      borderBottom: '1px solid rgba(0, 0, 0, 0.35)',
    });
    line.dataset.redline = 'label';
    return line;
  }

  /** Builds what is inside the banner afresh and paints the last state into it. */
  function repaint() {
    danger?.pulse?.cancel();
    danger = null;
    text = buildCalm();
    root.replaceChildren();
    paint(last);
  }

  const chip = (extra = {}) => ({
    padding: '3px 8px',
    borderRadius: '3px',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    ...extra,
  });

  function buildDanger() {
    const strip = element('div', {
      position: 'relative',
      boxSizing: 'border-box',
      height: '100%',
      padding: '0 12px 4px',
      display: 'flex',
      alignItems: 'center',
      gap: '12px',
      font: `600 14px/1.2 ${FONT}`,
      overflow: 'hidden',
    });
    strip.dataset.redline = 'danger';
    // Announced once per page: the live region is made on the first danger paint only.
    const announce = element('div', { display: 'flex', alignItems: 'center', gap: '12px', minWidth: '0', flex: '1 1 auto' });
    // Built again after a page changed it: still an alert, heard again since what it said was touched.
    if (alerted) announce.setAttribute('role', 'alert');
    const headline = element('strong', chip({ font: `800 19px/1.1 ${FONT}`, letterSpacing: '0.06em', flex: '0 0 auto' }));
    headline.dataset.redline = 'headline';
    const label = element('span', chip({ minWidth: '0', flex: '0 1 auto' }));
    label.dataset.redline = 'label';
    announce.append(headline, label);
    const count = element('span', chip({ flex: '0 0 auto', fontVariantNumeric: 'tabular-nums' }), { 'aria-live': 'off' });
    count.dataset.redline = 'counter';
    count.textContent = counter;
    const readonly = element('a', chip({
      flex: '0 0 auto',
      cursor: 'pointer',
      textDecoration: 'none',
      border: '2px solid currentColor',
      color: 'inherit',
      font: `700 13px/1.2 ${FONT}`,
    }));
    readonly.dataset.redline = 'readonly';
    readonly.target = '_self';
    userLink(readonly);
    // The pulsing edge; it moves only for users who have not asked for reduced motion.
    const edge = element('div', { position: 'absolute', left: '0', right: '0', bottom: '0', height: '4px' });
    strip.append(announce, count, readonly, edge);
    return { strip, announce, headline, label, counter: count, readonly, edge, pulse: null };
  }

  const motionAllowed = matchMedia('(prefers-reduced-motion: no-preference)');
  function updatePulse() {
    if (!danger) return;
    const wanted = danger.strip.isConnected && motionAllowed.matches;
    if (wanted && !danger.pulse) {
      danger.pulse = danger.edge.animate([{ opacity: 1 }, { opacity: 0.25 }], {
        duration: 900,
        iterations: Infinity,
        direction: 'alternate',
        easing: 'ease-in-out',
      });
    } else if (!wanted && danger.pulse) {
      danger.pulse.cancel();
      danger.pulse = null;
    }
  }
  motionAllowed.addEventListener('change', updatePulse);

  function paintDanger({ colors, label, danger: parts }) {
    danger ??= buildDanger();
    const { background, foreground, stripe } = colors;
    danger.strip.style.background = `repeating-linear-gradient(135deg, ${background} 0 14px, ${stripe} 14px 28px)`;
    danger.strip.style.color = foreground;
    for (const part of [danger.headline, danger.label, danger.counter]) part.style.background = background;
    danger.readonly.style.background = background;
    danger.edge.style.background = foreground;
    if (danger.headline.textContent !== parts.headline) danger.headline.textContent = parts.headline;
    if (danger.label.textContent !== label) danger.label.textContent = label;
    const url = parts.readonlySwitch?.url;
    if (url && /^https:\/\//.test(url)) {
      danger.readonly.href = url;
      danger.readonly.textContent = parts.readonlySwitch.label;
      danger.readonly.style.display = '';
    } else {
      danger.readonly.removeAttribute('href');
      danger.readonly.textContent = '';
      danger.readonly.style.display = 'none';
    }
    if (!alerted) {
      alerted = true;
      danger.announce.setAttribute('role', 'alert');
    }
    if (!danger.strip.isConnected) root.replaceChildren(danger.strip);
    host.removeAttribute('role');
    updatePulse();
  }

  function paintCalm({ colors, label }) {
    text.textContent = label;
    text.style.background = colors.background;
    text.style.color = colors.foreground;
    if (!text.isConnected) root.replaceChildren(text);
    host.setAttribute('role', 'status');
    updatePulse();
  }

  /** The danger strip's elapsed-time text (or its reminder); nothing outside danger mode. */
  function setCounter(value) {
    counter = value;
    if (danger && danger.counter.textContent !== value) RedlineKeep.write(() => (danger.counter.textContent = value));
  }

  // Pushes the page down so the strip never covers the console's own navigation.
  function reserveSpace() {
    const html = document.documentElement;
    const style = html.style;
    // A page that replaced <html> gets the space reserved on the new one, whose margin is kept.
    if (savedMarginTop?.html !== html) {
      savedMarginTop = {
        html,
        value: style.getPropertyValue('margin-top'),
        priority: style.getPropertyPriority('margin-top'),
      };
    }
    style.setProperty('margin-top', height(), 'important');
  }

  function releaseSpace() {
    if (savedMarginTop === null) return;
    const style = savedMarginTop.html.style;
    if (savedMarginTop.value) style.setProperty('margin-top', savedMarginTop.value, savedMarginTop.priority);
    else style.removeProperty('margin-top');
    savedMarginTop = null;
  }

  // Fixed and sticky elements ignore the margin on <html>: a console's own top bar pinned at the top
  // would stay under the strip. Each one found there is moved down by the strip's height with an
  // inline !important top, and gets its own inline top back when the banner goes.
  const moved = new Map(); // element → { value, priority } of its inline top before the move, and `applied`
  const movedElements = () => moved.keys();
  const isPinned = (element) => /^(fixed|sticky)$/.test(getComputedStyle(element).position);

  /** Pinned elements (or pinned ancestors of elements) under the strip, outermost first. */
  function pinnedUnderStrip() {
    const seen = new Set([host, document.documentElement]);
    const found = [];
    const width = document.documentElement.clientWidth;
    for (const fx of PROBE_X) {
      for (const y of probeY()) {
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

  /**
   * Looks for covered elements before the next frame, on scroll and resize (sticky ones pin as the
   * page scrolls) and on DOM changes for a while. Not at once: finding them lays the page out, which
   * on a big page still loading holds the banner's own first frame back by a few hundred ms.
   */
  function watchPinned() {
    scheduleUncover();
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

  function paint(state) {
    last = state;
    const { provider, environment, privilege, severity, conflict, tooltip } = state;
    const heightBefore = HEIGHT_PX;
    HEIGHT_PX = state.danger ? DANGER_HEIGHT_PX : CALM_HEIGHT_PX;
    RedlineKeep.write(() => {
      if (!host) create();
      if (provider) host.dataset.provider = provider;
      else delete host.dataset.provider;
      host.dataset.environment = environment;
      host.dataset.privilege = privilege;
      host.dataset.severity = severity;
      host.toggleAttribute('data-conflict', conflict);
      host.title = tooltip;
      holdHostStyles(hostStyles());
      if (state.danger) paintDanger(state);
      else paintCalm(state);
    });
    // The page may have replaced the children of <html>: the banner comes back.
    RedlineKeep.keep(host, root, { repaint, returned: reserveSpace });
    updatePulse();
    // Elements moved for the other height are moved again.
    if (heightBefore !== HEIGHT_PX) for (const moved of [...movedElements()]) putBack(moved);
    reserveSpace();
    watchPinned();
  }

  /**
   * Builds the strip's elements, not yet in the page: the content script calls it while it waits
   * for what decides the banner, so that painting then only fills them in.
   */
  function prepare() {
    if (!host) create();
    danger ??= buildDanger();
  }

  function show(verdict) {
    paint({
      provider: verdict.provider,
      environment: verdict.environment.kind,
      privilege: verdict.privilege,
      severity: verdict.severity,
      // The core's word that decisive sources disagreed (the louder reading is the one shown).
      conflict: verdict.conflict === true,
      colors: verdict.colors,
      label: verdict.label,
      tooltip: verdict.reasons.join('\n'),
      danger: verdict.danger ?? null,
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
    if (host) RedlineKeep.release(host);
    if (danger?.pulse) {
      danger.pulse.cancel();
      danger.pulse = null;
    }
    releaseSpace();
    unwatchPinned();
  }

  return { prepare, show, showUnevaluated, remove, setCounter, height: () => HEIGHT_PX };
})();

'use strict';
// Paints the banner from a Verdict. Decides nothing: every word and colour comes from the Verdict.
// Styles go through CSSOM because a page's style-src can block <style> and <link>, not CSSOM.
// Page strings reach the DOM only through textContent and attribute values.

const RedlineBanner = (() => {
  const HEIGHT = '28px';
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
  }

  return { show, showUnevaluated, remove };
})();

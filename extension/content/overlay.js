'use strict';
// The danger overlay: covers the whole console until the user confirms with its one button. Used for
// the first entry into danger (acknowledgement) and for the reminder. Paints what it is given;
// decides nothing. Keyboard: focus starts on the button, Tab stays inside, Enter/Space confirm (a
// press begun at least ARM_MS after the overlay appeared). Only the user's own input confirms: the
// shadow root is closed, events a page script makes are ignored, and RedlineKeep keeps it as shown.
// Inside is a modal <dialog> in the browser's top layer, shown again whenever the page puts a dialog,
// popover or fullscreen element there (RedlineModal): nothing of the page's is drawn over it, and
// the console under it is inert.

const RedlineOverlay = (() => {
  const { FONT, element, trusted, userLink } = RedlineDom;

  // A key or click under way when the overlay appears (typing in the console, a held Space) must not
  // confirm what was never read: the button takes only a press begun this long after it appeared.
  const ARM_MS = 800;

  let host = null;
  let root = null; // closed: only this closure holds it
  let parts = null;
  let shown = null; // what show() was last given, shown again if anything inside is changed
  let onConfirm = null;
  let release = null; // while open: lets go of the keyboard, the focus and the top layer
  let shownAt = 0; // performance.now() when the overlay last appeared
  let armed = false; // a fresh press has begun since ARM_MS after that

  /** The overlay's content, new, in the shadow root. */
  function build() {
    const { layer, backdrop, box: dialog } = RedlineModal.frame(root, {
      backdrop: { padding: '24px', font: `400 16px/1.4 ${FONT}` },
      box: {
        maxWidth: '640px',
        padding: '28px 32px',
        borderRadius: '8px',
        border: '4px solid currentColor',
        boxShadow: '0 12px 48px rgba(0, 0, 0, 0.6)',
        flexDirection: 'column',
        gap: '16px',
      },
      labels: { 'aria-labelledby': 'redline-overlay-heading', 'aria-describedby': 'redline-overlay-text' },
    });
    const heading = element('h1', { margin: '0', font: `800 28px/1.15 ${FONT}`, letterSpacing: '0.04em' }, { id: 'redline-overlay-heading' });
    const text = element('p', { margin: '0', font: `500 16px/1.4 ${FONT}` }, { id: 'redline-overlay-text' });
    const detail = element('p', { margin: '0', font: `400 14px/1.4 ${FONT}`, opacity: '0.9' });
    const actions = element('div', { display: 'flex', flexWrap: 'wrap', gap: '12px', alignItems: 'center', marginTop: '8px' });
    const confirm = element('button', {
      font: `700 16px/1.2 ${FONT}`,
      padding: '12px 20px',
      borderRadius: '6px',
      border: '2px solid currentColor',
      background: '#FFFFFF',
      color: '#000000',
      cursor: 'pointer',
    }, { type: 'button' });
    confirm.dataset.redline = 'acknowledge';
    const secondary = element('a', {
      font: `600 15px/1.2 ${FONT}`,
      padding: '10px 4px',
      color: 'inherit',
      cursor: 'pointer',
    });
    secondary.dataset.redline = 'readonly';
    secondary.target = '_self';
    userLink(secondary);
    actions.append(confirm, secondary);
    dialog.append(heading, text, detail, actions);
    const arm = (event) => {
      if (event.type === 'pointerdown' || ((event.key === 'Enter' || event.key === ' ') && !event.repeat)) {
        armed = performance.now() - shownAt >= ARM_MS;
      }
    };
    confirm.addEventListener('keydown', trusted(arm));
    confirm.addEventListener('pointerdown', trusted(arm));
    confirm.addEventListener('click', trusted(() => {
      if (!armed) return;
      const done = onConfirm;
      hide();
      done?.();
    }));
    return { layer, backdrop, dialog, heading, text, detail, confirm, secondary };
  }

  function fill({ heading, text, detail = '', confirmText, link = null, colors }) {
    const { background, foreground } = colors;
    parts.backdrop.style.background = `repeating-linear-gradient(135deg, rgba(0, 0, 0, 0.82) 0 18px, rgba(0, 0, 0, 0.7) 18px 36px)`;
    parts.dialog.style.background = background;
    parts.dialog.style.color = foreground;
    parts.heading.textContent = heading;
    parts.text.textContent = text;
    parts.detail.textContent = detail;
    parts.detail.style.display = detail ? '' : 'none';
    parts.confirm.textContent = confirmText;
    if (link && /^https:\/\//.test(link.url)) {
      parts.secondary.href = link.url;
      parts.secondary.textContent = link.label;
      parts.secondary.style.display = '';
    } else {
      parts.secondary.removeAttribute('href');
      parts.secondary.style.display = 'none';
    }
  }

  /** Builds what is inside the overlay afresh, as last shown; the focus goes back to its button. */
  function repaint() {
    parts = build();
    fill(shown);
    raise();
  }

  /** Shows the dialog (again) on top of the top layer; its button takes the focus unless a control inside has it. */
  const raise = () => RedlineKeep.write(() => RedlineModal.raise(parts.layer));

  // A dialog not yet shown, or whose host was taken out of the page and put back, is not in the top
  // layer; a change to the host's attributes can take the focus: either way, shown again.
  const ensureOnTop = () => (parts.layer.matches(':modal') && root.activeElement) || raise();

  const focusables = () => [parts.confirm, parts.secondary].filter((e) => e.style.display !== 'none');

  /**
   * Shows the overlay (or updates it): `heading`, `text`, `detail`, a confirm button labelled
   * `confirmText` calling `confirmed`, an optional `link` {label, url}, in `colors`.
   */
  function show(options) {
    if (!host) ({ host, root } = RedlineModal.host('redline-overlay'));
    onConfirm = options.confirmed;
    shown = options;
    RedlineKeep.write(() => {
      parts ??= build();
      fill(options);
    });
    RedlineKeep.keep(host, root, { repaint, returned: ensureOnTop });
    if (!release) {
      shownAt = performance.now();
      armed = false;
      release = RedlineModal.trap({ host, root, controls: focusables, raise });
    }
    ensureOnTop();
  }

  function hide() {
    onConfirm = null;
    if (!host) return;
    release?.();
    release = null;
    RedlineKeep.release(host);
  }

  return { show, hide };
})();

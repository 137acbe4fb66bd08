'use strict';
// The destructive-action guard, in every frame of a console tab (Azure blades are iframes). In danger
// mode with verdict.danger.guard, a click (or Enter/Space on an element with a control role such as
// button or menuitem) on a control whose visible label the core's pattern finds a guarded verb in
// (whole tokens, split as the core splits names), or a form submitted with such a button, is held,
// and goes through only once the user types the confirmation word (the environment's name).
// Outside danger mode it never acts.
// The tab's verdict comes from the service worker, which pushes it to every frame when it changes.
// The guard acts on the user's own clicks and keys: a click or key a page script makes on its own
// controls is the page's own business, and the question (a closed shadow root, kept as asked) takes
// its answer only from the user's own input.

(() => {
  const ext = globalThis.browser ?? chrome;
  // Elements given a role act on Enter/Space themselves (menus, listboxes, tabs of console UIs).
  const ROLE_CONTROL = ['button', 'menuitem', 'menuitemradio', 'menuitemcheckbox', 'option', 'tab', 'link']
    .map((role) => `[role="${role}"]`)
    .join(', ');
  const CONTROL = `button, a, input[type="submit"], input[type="button"], ${ROLE_CONTROL}`;
  const { FONT, element, restore, attributesOf, trusted, isHost } = RedlineDom;
  const { raise } = RedlineModal;

  let guard = null; // {confirm, pattern, colors}
  // A confirmed action is being replayed. The replayed click or key is not trusted, so onClick and
  // onKeyDown let it pass anyway; the form submission it may cause is the browser's own event, and
  // must not be held a second time.
  let passing = false;
  let dialog = null; // the open confirmation, or null
  let pushed = false;
  // The guard holds when either of these says danger: the worker's word on the tab (its answer at
  // start, then each push) and, in the top frame, the verdict the banner painted last. Whichever
  // lags (a push about the page before a reload or a Back, a paint still to come) only holds longer.
  let fromWorker = null;
  let fromBanner = null;

  /** The core's pattern; a browser that cannot read it holds every labelled control (louder, never quieter). */
  function patternOf(source) {
    try {
      return new RegExp(source, 'u');
    } catch {
      return /\S/u;
    }
  }

  function setVerdict(verdict) {
    const rule = verdict?.danger?.guard;
    if (rule) {
      // The core's matcher: its verbs as whole tokens, split as the core splits names.
      guard = { confirm: rule.confirm, pattern: patternOf(rule.pattern), colors: verdict.colors };
    } else {
      guard = null;
      dialog?.cancel();
    }
  }

  function holdFor() {
    setVerdict(fromBanner?.danger?.guard ? fromBanner : fromWorker);
  }

  ext.runtime
    .sendMessage({ type: RedlineMessages.TAB_VERDICT })
    .then((answer) => {
      if (pushed) return;
      fromWorker = answer?.verdict ?? null;
      holdFor();
    })
    .catch(() => {});
  ext.runtime.onMessage.addListener((message, sender) => {
    if (message?.type !== RedlineMessages.TAB_STATE || sender.id !== ext.runtime.id) return;
    pushed = true;
    fromWorker = message.verdict ?? null;
    holdFor();
  });

  // In the top frame the banner's script (content.js, the same isolated world) hands over each
  // verdict as it paints it, so that the guard holds from the first frame that shows danger rather
  // than from the worker's push, which follows its storage writes.
  if (window === window.top) {
    globalThis.RedlineGuard = {
      painted(verdict) {
        fromBanner = verdict ?? null;
        holdFor();
      },
    };
  }

  /** The control the event is for, or null (none, or one of redline's own). */
  function controlOf(event) {
    const path = event.composedPath().filter((node) => node instanceof Element);
    if (path.some(isHost)) return null;
    return path.find((node) => node.matches(CONTROL)) ?? null;
  }

  /** What the user reads on the control: its visible text, else its value. Never aria-label. */
  function labelOf(control) {
    if (control instanceof HTMLInputElement) return control.value;
    const text = (control instanceof HTMLElement ? control.innerText : control.textContent)?.trim();
    return text || (typeof control.value === 'string' ? control.value : '');
  }

  /** Holds `event`; `replay` runs it again once confirmed. */
  function hold(event, label, replay) {
    event.preventDefault();
    event.stopImmediatePropagation();
    if (dialog) return; // one question at a time; the page gets nothing meanwhile
    ask(label.replace(/\s+/g, ' ').trim(), () => {
      passing = true;
      try {
        replay();
      } finally {
        passing = false;
      }
    });
  }

  function holdControl(event, control) {
    const replay = event.type === 'keydown' ? keyReplay(event) : clickReplay(event);
    hold(event, labelOf(control), () => control.dispatchEvent(replay()));
  }

  const clickReplay = (event) => () =>
    new MouseEvent('click', {
      bubbles: true,
      cancelable: true,
      composed: true,
      view: window,
      detail: event.detail,
      screenX: event.screenX,
      screenY: event.screenY,
      clientX: event.clientX,
      clientY: event.clientY,
      button: event.button,
      buttons: event.buttons,
      ctrlKey: event.ctrlKey,
      shiftKey: event.shiftKey,
      altKey: event.altKey,
      metaKey: event.metaKey,
    });

  const keyReplay = (event) => () =>
    new KeyboardEvent('keydown', {
      bubbles: true,
      cancelable: true,
      composed: true,
      key: event.key,
      code: event.code,
      ctrlKey: event.ctrlKey,
      shiftKey: event.shiftKey,
      altKey: event.altKey,
      metaKey: event.metaKey,
    });

  function onClick(event) {
    if (!guard || !event.isTrusted) return;
    const control = controlOf(event);
    if (control && guard.pattern.test(labelOf(control))) holdControl(event, control);
  }

  // Native controls turn Enter/Space into a click, which onClick sees; an element given a role
  // acts on the key itself.
  function onKeyDown(event) {
    if (!guard || !event.isTrusted || (event.key !== 'Enter' && event.key !== ' ')) return;
    const control = controlOf(event);
    if (!control || control.matches('button, a, input') || !control.matches(ROLE_CONTROL)) return;
    if (guard.pattern.test(labelOf(control))) holdControl(event, control);
  }

  // A form submitted without a click on its button (Enter in its only field, requestSubmit() from a
  // page's key handler) says what it does with its submit buttons.
  function onSubmit(event) {
    if (passing || !guard) return;
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    const buttons = event.submitter ? [event.submitter] : [...form.elements].filter((e) => e.type === 'submit');
    const label = buttons.map(labelOf).find((text) => guard.pattern.test(text));
    if (label !== undefined) hold(event, label, () => form.requestSubmit(event.submitter));
  }

  addEventListener('click', onClick, true);
  addEventListener('keydown', onKeyDown, true);
  addEventListener('submit', onSubmit, true);

  // ---- the confirmation dialog ----------------------------------------------------------------

  function ask(label, proceed) {
    const { confirm: word, colors } = guard;
    const { host, root } = RedlineModal.host('redline-guard');
    const attributes = attributesOf(host);
    // A modal <dialog> in the browser's top layer, shown again whenever the page puts a dialog,
    // popover or fullscreen element there: a page's own modal (a console's "Delete?" dialog) would
    // otherwise be drawn over the question and leave it inert.
    const { layer, box } = RedlineModal.frame(root, {
      backdrop: { padding: '8px', background: 'rgba(0, 0, 0, 0.6)', font: `400 14px/1.35 ${FONT}`, overflow: 'auto' },
      box: {
        maxWidth: '520px',
        padding: '12px 16px',
        borderRadius: '6px',
        border: '3px solid currentColor',
        background: colors.background,
        color: colors.foreground,
        flexWrap: 'wrap',
        alignItems: 'center',
        gap: '8px',
      },
      labels: { 'aria-labelledby': 'redline-guard-question' },
    });
    const question = element('p', { margin: '0', flex: '1 1 100%', fontWeight: '600' }, { id: 'redline-guard-question' });
    question.textContent = `“${label}” in ${word}. Type ${word} to go ahead.`;
    const input = element('input', {
      font: `600 14px/1.2 ${FONT}`,
      padding: '6px 8px',
      border: '2px solid currentColor',
      borderRadius: '4px',
      background: '#FFFFFF',
      color: '#000000',
      flex: '1 1 120px',
      minWidth: '0',
    }, { type: 'text', autocomplete: 'off', spellcheck: 'false', 'aria-label': `Type ${word} to confirm` });
    const button = (text, name) => {
      const made = element('button', {
        font: `700 14px/1.2 ${FONT}`,
        padding: '6px 12px',
        borderRadius: '4px',
        border: '2px solid currentColor',
        background: '#FFFFFF',
        color: '#000000',
        cursor: 'pointer',
      }, { type: 'button' });
      made.textContent = text;
      made.dataset.redline = name;
      return made;
    };
    const go = button(`Confirm in ${word}`, 'confirm');
    const cancel = button('Cancel', 'cancel');
    box.append(question, input, go, cancel);
    const matches = () => input.value.trim() === word;
    const refresh = () =>
      write(() => {
        go.disabled = !matches();
        go.style.opacity = go.disabled ? '0.55' : '1';
      });

    const close = () => {
      release();
      host.remove();
      observer.disconnect();
      dialog = null;
    };
    const confirm = () => {
      if (!matches()) return;
      close();
      proceed();
    };
    const keys = (event) => {
      // Escape always closes the question, wherever focus is, and is never swallowed: it is how
      // people get out of things.
      if (event.key === 'Escape') {
        close();
        return true;
      }
      if (event.key !== 'Enter' || root.activeElement !== input) return false;
      event.preventDefault();
      confirm();
      return true;
    };
    input.addEventListener('input', refresh);
    go.addEventListener('click', trusted(confirm));
    cancel.addEventListener('click', trusted(close));
    // Like its keys (RedlineModal.host), clicks on the question are not the console's: its handlers
    // do not see it being answered.
    root.addEventListener('click', (event) => event.stopPropagation());

    // The page may not take the question away or change it: the host goes back into <html> with
    // its attributes, and a change inside (nothing there is the page's) asks the question afresh.
    const check = (records) => {
      if (!dialog) return;
      if (records.some(({ target }) => target.getRootNode() === root)) {
        close();
        ask(label, proceed);
        return;
      }
      if (host.parentNode !== document.documentElement) document.documentElement.append(host);
      restore(host, attributes);
      // A host taken out of the page and put back is no longer in the top layer.
      if (!layer.matches(':modal')) raise(layer);
      observer.takeRecords();
    };
    const observer = new MutationObserver(check);
    // Our own change, after the page's changes before it are undone (the listener calling this may
    // run inside the page's task, before the observer has reported them).
    function write(change) {
      check(observer.takeRecords());
      change();
      observer.takeRecords();
    }
    document.documentElement.append(host);
    // The focus goes to the first control inside: the text field.
    raise(layer);
    const release = RedlineModal.trap({
      host,
      root,
      controls: () => [input, go, cancel].filter((e) => !e.disabled),
      raise: () => write(() => raise(layer)),
      keys,
    });
    observer.observe(document.documentElement, { childList: true });
    observer.observe(host, { attributes: true, childList: true });
    observer.observe(root, { childList: true, characterData: true, attributes: true, subtree: true });
    refresh();
    dialog = { cancel: close };
  }
})();

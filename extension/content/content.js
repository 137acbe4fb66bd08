'use strict';
performance.mark('redline:content-start');

// Gathers the page's signals, asks the service worker for a Verdict, paints it.
// Decides nothing: a wrong, stale or missing banner is worse than none, so every change of URL or
// signals is re-evaluated by the core and repainted.
(() => {
  const ext = globalThis.browser ?? chrome;

  // Where each signal lives on a console page. `read` is 'text', 'row' (the text of the labelled
  // row holding the element, the element's own text left out: AWS's account detail menu puts a
  // copy button after each value) or the attribute to read; `last` takes the last match instead of
  // the first (Azure stacks blades left to right, the active one last). What each value means, how
  // far it may be trusted, and when the page has shown all it will (verdict.complete: watching the
  // DOM for late signals stops) are the core's to decide.
  const SIGNAL_SOURCES = [
    { field: 'awsSessionData', selector: 'meta[name="awsc-session-data"]', read: 'content' },
    { field: 'awsRegion', selector: 'meta#awsc-mezz-region, meta[name="awsc-mezz-region"]', read: 'content' },
    { field: 'awsUserInfo', cookie: 'aws-userInfo' },
    { field: 'awsNavAccountId', selector: 'button[data-testid="awsc-copy-accountid"]', read: 'row' },
    { field: 'awsNavPrincipal', selector: 'button[data-testid="awsc-copy-username"]', read: 'row' },
    { field: 'awsNavUser', selector: 'button#nav-usernameMenu, button[data-testid="more-menu__awsc-nav-account-menu-button"]', read: 'text' },
    { field: 'awsNavUserTitle', selector: '[data-testid="awsc-nav-account-menu-button"] [title]', read: 'title' },
    { field: 'awsLegacyLoginAccount', selector: '#awsc-login-display-name-account', read: 'text' },
    { field: 'awsLegacyLoginUser', selector: '#awsc-login-display-name-user', read: 'text' },
    { field: 'awsLegacyRoleAccount', selector: '#awsc-role-display-name-account', read: 'text' },
    { field: 'awsLegacyRoleUser', selector: '#awsc-role-display-name-user', read: 'text' },
    { field: 'azureDirectory', selector: '.fxs-avatarmenu-tenant', read: 'text' },
    { field: 'azureUser', selector: '.fxs-avatarmenu-username', read: 'text' },
    // Part of Azure's generation although it is no top bar: the portal renders blades after its top
    // bar, and on an app blade the title is what names the environment.
    { field: 'azureBladeTitle', selector: '.fxs-blade-title-titleText', read: 'text', last: true },
    { field: 'gcpAccount', selector: 'a[aria-label^="Google Account:"]', read: 'aria-label' },
    { field: 'gcpProjectName', selector: '.cfc-switcher-button-label-text', read: 'text' },
  ];
  // A page can put any amount of text where a signal is read; nothing redline reads is this long
  // (the core's limit, 4 KiB). A longer one is not sent, only named, never cut into another meaning.
  const MAX_SIGNAL_LENGTH = 4_096;

  // Late signals appear within seconds of a load or an in-page navigation.
  const WATCH_MS = 15_000;
  // Without an answer by then, the banner says so rather than keep showing an older verdict.
  const ANSWER_TIMEOUT_MS = 5_000;
  // Fallback where the Navigation API is missing; a string comparison, cheap enough.
  const URL_POLL_MS = 250;
  // The first evaluation waits for the head to be parsed (AWS's deciding meta tags are in it), so
  // that no provisional banner is painted and corrected a moment later. Nothing of the page can be
  // seen before its body starts (the browser keeps the previous page on screen meanwhile), so the
  // wait costs nothing; a head still unparsed after this long (a script in it that hangs) gets a
  // banner from what is there, and a correction once the rest is.
  const HEAD_WAIT_MS = 1_000;
  // What the worker kept of the core's verdicts (verdicts.js writes them): read here, never made.
  const session = ext.storage.session;
  const VERDICT_ENTRY = 'verdict:';
  const VERDICT_GENERATION = 'verdicts:generation';

  function readCookie(name) {
    for (const pair of document.cookie.split('; ')) {
      const split = pair.indexOf('=');
      if (split > 0 && pair.slice(0, split) === name) return pair.slice(split + 1);
    }
    return undefined;
  }

  /**
   * A labelled row beside its copy button: `Account ID: ` then `1234-5678-9012`. A row whose value
   * is missing reads as nothing, so that a label alone never completes the page.
   */
  function rowText(element) {
    const [label, ...values] = [...(element.parentElement?.children ?? [])].filter((child) => child !== element);
    if (values.length === 0) return label?.textContent;
    const value = values.map((child) => child.textContent).join(' ');
    return value.trim() ? `${label.textContent.trim()} ${value.trim()}` : undefined;
  }

  function readSource(source) {
    if (source.cookie) return readCookie(source.cookie);
    const element = source.last ? [...document.querySelectorAll(source.selector)].at(-1) : document.querySelector(source.selector);
    if (!element) return undefined;
    const value = source.read === 'text' ? element.textContent : source.read === 'row' ? rowText(element) : element.getAttribute(source.read);
    return value?.trim();
  }

  function readSignals() {
    const signals = {};
    const oversized = [];
    for (const source of SIGNAL_SOURCES) {
      const value = readSource(source);
      if (value && value.length > MAX_SIGNAL_LENGTH) oversized.push(source.field);
      else if (value) signals[source.field] = value;
    }
    if (oversized.length > 0) signals.oversized = oversized.join(',');
    return signals;
  }

  let sentKey = '';
  let sequence = 0;
  let markedUrl = null;
  // Which document asks, and in what order: the worker records only a tab's newest answer. A page
  // restored from the back-forward cache is a new document to it (the tab showed another meanwhile).
  let documentId = crypto.randomUUID();

  // After an error or a missing answer the same URL and signals are asked again: soon at first (a
  // worker starting up), then every 5 s while the page is shown; a hidden page asks once shown.
  const RETRY_MS = [500, 1_000, 2_000, 4_000, 5_000];
  const retry = { timer: 0, failures: 0 };

  // The same question is asked again only when its time comes: a page that keeps changing while the
  // worker is down or failing does not turn every change into another request (new signals still
  // ask at once).
  function retryLater() {
    clearTimeout(retry.timer);
    const delay = RETRY_MS[Math.min(retry.failures, RETRY_MS.length - 1)];
    retry.failures += 1;
    retry.timer = setTimeout(() => {
      sentKey = '';
      if (retry.failures >= RETRY_MS.length && document.visibilityState === 'hidden') {
        document.addEventListener('visibilitychange', evaluate, { once: true });
      } else {
        evaluate();
      }
    }, delay);
  }

  /**
   * The verdicts the core gave for `url` under the configuration in force, as the worker kept them:
   * a Map from the signals' JSON text to the verdict; empty when there are none (or session storage
   * is closed to content scripts).
   */
  async function readKept(url) {
    const key = VERDICT_ENTRY + url;
    const found = await (session?.get([key, VERDICT_GENERATION]) ?? Promise.resolve({})).catch(() => ({}));
    const entry = found[key];
    return new Map(entry && entry.generation === (found[VERDICT_GENERATION] ?? 0) ? entry.answers : []);
  }
  // Read as the page starts, so that the head's signals find their verdict without another wait.
  const kept = { url: location.href, answers: null };
  const keptRead = readKept(kept.url).then((answers) => (kept.answers = answers));
  RedlineBanner.prepare();

  let started = false; // whether the first evaluation has run (see HEAD_WAIT_MS)

  function evaluate() {
    if (!started) return;
    const url = location.href;
    const signals = readSignals();
    const key = JSON.stringify([url, signals]);
    if (key === sentKey) return;
    sentKey = key;
    const mine = ++sequence;
    let answered = false;
    // The worker's answer takes a round trip (~100 ms when it has to wake): the verdict it kept
    // for this very question is painted at once, and its answer, when it comes, is painted over it.
    const question = JSON.stringify(signals);
    const paintIfKept = (answers) => {
      const verdict = answers.get(question);
      if (verdict && !answered && mine === sequence) paintKept(verdict, url);
    };
    if (url !== kept.url) readKept(url).then(paintIfKept);
    else if (kept.answers) paintIfKept(kept.answers);
    else keptRead.then(paintIfKept);
    // The "could not evaluate" state shows only while the answer is late; a late answer still
    // paints if no newer request was sent meanwhile.
    const late = setTimeout(() => {
      if (mine !== sequence) return;
      paint({ error: 'no answer from the redline service worker' }, url);
      retryLater();
    }, ANSWER_TIMEOUT_MS);
    const failed = (error) => {
      if (mine !== sequence) return;
      paint({ error }, url);
      retryLater();
    };
    ext.runtime.sendMessage({ type: RedlineMessages.EVALUATE, url, signals, document: documentId, sequence: mine }).then(
      (reply) => {
        answered = true;
        clearTimeout(late);
        if (mine !== sequence) return;
        if (!reply || 'error' in reply) return failed(reply?.error ?? 'no answer from the redline service worker');
        retry.failures = 0;
        clearTimeout(retry.timer);
        paint(reply, url);
      },
      (error) => {
        clearTimeout(late);
        failed(String(error));
      },
    );
  }

  /** A kept verdict: the banner and tab cues; the danger overlay waits for the worker, which knows the tab's acknowledgement. */
  function paintKept(verdict, url) {
    stopWatchingIfComplete(verdict);
    RedlineBanner.show(verdict);
    RedlineTabCues.apply(verdict);
    globalThis.RedlineGuard?.painted(verdict);
    markPainted(url);
  }

  function markPainted(url) {
    if (markedUrl !== url) {
      markedUrl = url;
      performance.mark('redline:banner', { detail: { url } });
    }
  }

  // The danger overlay goes on top of the page, which lays the page out: on a big page still loading
  // that takes longer than everything else here. It comes in the frame that first shows the banner
  // (an animation frame runs before it is drawn), so that the banner is not held back for it.
  let dangerFrame = 0;
  function updateDanger(verdict, tab) {
    cancelAnimationFrame(dangerFrame);
    if (verdict?.danger) dangerFrame = requestAnimationFrame(() => RedlineDanger.update(verdict, tab));
    else RedlineDanger.update(verdict ?? null, tab);
  }

  function paint(reply, url) {
    if (!reply || 'error' in reply) {
      RedlineBanner.showUnevaluated(reply?.error ?? 'no answer from the redline service worker');
      // No verdict: no cue may keep saying what an older one said.
      RedlineTabCues.clear();
      updateDanger(null);
    } else if (reply.verdict === null) {
      RedlineBanner.remove();
      RedlineTabCues.clear();
      globalThis.RedlineGuard?.painted(null);
      updateDanger(null);
      return;
    } else {
      stopWatchingIfComplete(reply.verdict);
      RedlineBanner.show(reply.verdict);
      RedlineTabCues.apply(reply.verdict);
      globalThis.RedlineGuard?.painted(reply.verdict);
      // reply.tab: when this tab entered danger, and whether it was acknowledged (the worker's).
      updateDanger(reply.verdict, reply.tab);
    }
    markPainted(url);
  }

  let framePending = false;
  function scheduleEvaluation() {
    if (framePending) return;
    framePending = true;
    const run = () => {
      framePending = false;
      evaluate();
    };
    // Hidden tabs get no animation frames; they still must not keep a stale banner.
    if (document.visibilityState === 'hidden') setTimeout(run, 100);
    else requestAnimationFrame(run);
  }

  const observer = new MutationObserver(scheduleEvaluation);
  const watch = { timer: 0, untilComplete: false };

  function startWatching({ untilComplete }) {
    stopWatching();
    watch.untilComplete = untilComplete;
    observer.observe(document, {
      subtree: true,
      childList: true,
      characterData: true,
      attributes: true,
      attributeFilter: ['content'],
    });
    watch.timer = setTimeout(stopWatching, WATCH_MS);
  }

  function stopWatching() {
    observer.disconnect();
    clearTimeout(watch.timer);
  }

  /** After a load, the page has shown all its top bar shows once the core says so. */
  function stopWatchingIfComplete(verdict) {
    if (watch.untilComplete && verdict.complete) stopWatching();
  }

  let currentUrl = location.href;
  function checkUrl() {
    if (location.href === currentUrl) return;
    currentUrl = location.href;
    // After an in-page navigation the old navbar is still complete: watch the whole window.
    startWatching({ untilComplete: false });
    // Deferred so that DOM changes made in the same task as the navigation are read too.
    scheduleEvaluation();
  }

  if (globalThis.navigation) navigation.addEventListener('currententrychange', checkUrl);
  else setInterval(checkUrl, URL_POLL_MS);
  addEventListener('popstate', checkUrl);
  addEventListener('hashchange', checkUrl);

  /** Runs `start` once the head is parsed: <body> has begun, or the document is parsed, or HEAD_WAIT_MS passed. */
  function afterHead(start) {
    if (document.readyState !== 'loading' || document.body) return start();
    let timer = 0;
    const go = () => {
      if (started) return;
      bodyWatch.disconnect();
      clearTimeout(timer);
      start();
    };
    const bodyWatch = new MutationObserver(() => document.body && go());
    bodyWatch.observe(document, { childList: true, subtree: true });
    timer = setTimeout(go, HEAD_WAIT_MS);
    document.addEventListener('DOMContentLoaded', go, { once: true });
  }

  startWatching({ untilComplete: true });
  afterHead(() => {
    started = true;
    evaluate();
  });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', evaluate, { once: true });

  // Leaving (another page, closing, the back-forward cache): the worker forgets what this tab showed.
  // Restored from the cache: asked again, as a new document.
  addEventListener('pagehide', () => {
    ext.runtime.sendMessage({ type: RedlineMessages.PAGEHIDE, document: documentId, sequence: ++sequence }).catch(() => {});
  });
  addEventListener('pageshow', (event) => {
    if (!event.persisted) return;
    documentId = crypto.randomUUID();
    kept.url = null;
    sentKey = '';
    evaluate();
  });

  // The configuration changed (saved edit, policy, sync): the same URL and signals may now get
  // another verdict, so they are sent again even though unchanged.
  ext.runtime.onMessage.addListener((message, sender) => {
    if (message?.type !== RedlineMessages.REEVALUATE || sender.id !== ext.runtime.id) return;
    kept.url = null; // read when the page started: of the configuration before
    sentKey = '';
    evaluate();
  });
})();

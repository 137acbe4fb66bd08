'use strict';
// On an IAM Identity Center access portal page: gathers the console links the page lists (account
// id and permission set are in the link; the account's name is in the words of its row) and sends
// them to the service worker, where the core learns targets and account names from them
// (learnPortal). Names and ids only: no cookie, token or storage of the portal is read.
(() => {
  const ext = globalThis.browser ?? chrome;
  const LINKS = 'a[href*="account_id="][href*="role_name="], a[data-testid="federation-link"][href*="account_id="]';
  const ROWS = 'li, tr, [role="row"], [role="listitem"]';
  // The portal renders its account list after load, and an account's permission sets only once
  // the user opens it: the page is watched for this long after the load and after each click.
  const WATCH_MS = 15_000;
  // A row's words beyond this are not a name.
  const TEXT_LIMIT = 300;

  const seen = new Map(); // href → {href, text}: every console link this page has shown
  let timer = 0;
  let pending = false;

  /**
   * The words of the link's account row. The current portal lists accounts as a flat treegrid: a
   * role's row (aria-level 2) follows its account's row (aria-level 1), so the account is the
   * nearest level-1 row before it. Elsewhere, the nearest row that holds the account id.
   */
  function rowText(link) {
    const account = /account_id=(\d{12})/.exec(link.href)?.[1];
    let row = link.closest(ROWS);
    if (row?.getAttribute('aria-level') === '2') {
      let previous = row.previousElementSibling;
      while (previous && previous.getAttribute('aria-level') !== '1') previous = previous.previousElementSibling;
      row = previous;
    } else {
      const nearest = row;
      while (row && account && !row.textContent.includes(account)) row = row.parentElement?.closest(ROWS) ?? null;
      row ??= nearest;
    }
    const text = (row ?? link).textContent.replace(/\s+/g, ' ').trim();
    return text.slice(0, TEXT_LIMIT);
  }

  function gather() {
    pending = false;
    const before = seen.size;
    for (const link of document.querySelectorAll(LINKS)) {
      if (!seen.has(link.href)) seen.set(link.href, { href: link.href, text: rowText(link) });
    }
    if (seen.size === before) return;
    // Every link seen so far: an account the user has closed again is still the portal's.
    const signals = { awsPortalLinks: JSON.stringify([...seen.values()]) };
    ext.runtime.sendMessage({ type: RedlineMessages.PORTAL, signals }).catch(() => {});
  }

  function schedule() {
    if (pending) return;
    pending = true;
    setTimeout(gather, 100);
  }

  const observer = new MutationObserver(schedule);
  function watch() {
    observer.observe(document, { childList: true, subtree: true });
    clearTimeout(timer);
    timer = setTimeout(() => observer.disconnect(), WATCH_MS);
  }

  addEventListener('click', watch, { capture: true, passive: true });
  addEventListener('hashchange', watch);
  watch();
  gather();
})();

// Carries out the core's switch plan (Redline.planSwitch) from the service worker. The plan says
// what to send where; this file only reaches the tab to send it. Reaching into a console tab needs
// the "scripting" permission and the "activeTab" grant a toolbar click or the shortcut gives.
import { ext } from '../shared/browser.js';

const NOT_ALLOWED = 'This session may not switch to that role.';

/**
 * Switches to the popup row at `position` from `tab` (the active tab, or null), whose console page
 * last sent `page` ({url, signals, provider}, or null when it is no console). Resolves to
 * {done: true} or {error} for the popup to show.
 */
export async function switchTo(redline, position, tab, page) {
  const url = page?.url ?? tab?.url ?? '';
  const signals = JSON.stringify(page?.signals ?? {});
  let plan = JSON.parse(redline.planSwitch(position, url, signals, undefined));
  if (!plan) return { error: 'That target is no longer configured.' };
  // Where the core says AWS's own form could switch at once, the page's token is read, once.
  if (plan.wantsToken && tab) {
    const csrf = await readCsrf(tab.id);
    if (csrf) plan = JSON.parse(redline.planSwitch(position, url, signals, csrf)) ?? plan;
  }
  try {
    switch (plan.kind) {
      case 'post-form':
        await inTab(tab, submitForm, [plan.url, plan.fields]);
        return { done: true };
      case 'post-json':
        return await switchSession(redline, tab, plan);
      case 'open':
        if (plan.newTab || !tab) await openTab(plan.url, tab);
        else await ext.tabs.update(tab.id, { url: plan.url });
        return { done: true };
      default:
        return { error: `redline does not know how to switch with a '${plan.kind}' plan.` };
    }
  } catch (error) {
    return { error: `The switch failed: ${error.message ?? error}` };
  }
}

/**
 * The token AWS's own role switcher posts, from the page's main world (where the console keeps
 * it), or undefined: then the plan falls back to AWS's prefilled switch-role page. Used for this
 * one request and never stored.
 */
async function readCsrf(tabId) {
  try {
    const [{ result } = {}] = await ext.scripting.executeScript({
      target: { tabId },
      world: 'MAIN',
      func: () => {
        try {
          const token = globalThis.AWSC?.Auth?.getMbtc?.();
          return typeof token === 'string' ? token : null;
        } catch {
          return null;
        }
      },
    });
    return typeof result === 'string' && result !== '' ? result : undefined;
  } catch {
    return undefined; // no activeTab grant for this tab: no token
  }
}

async function inTab(tab, func, args) {
  if (!tab) throw new Error('there is no console tab to switch from');
  const [{ result } = {}] = await ext.scripting.executeScript({ target: { tabId: tab.id }, func, args });
  return result;
}

const openTab = (url, opener) =>
  ext.tabs.create(opener ? { url, index: opener.index + 1, openerTabId: opener.id, windowId: opener.windowId } : { url });

/** AWS multi-session: the console page asks for a sign-in link for the other identity, opened in a new tab. */
async function switchSession(redline, tab, plan) {
  const answer = await inTab(tab, postJson, [plan.url, plan.body]);
  if (answer?.failed) return { error: `The AWS sign-in service did not answer the switch (${answer.failed}).` };
  if (!answer?.destination) return { error: NOT_ALLOWED };
  // Only an AWS console or sign-in page is opened, never whatever else an answer might hold (the core decides).
  if (!redline.isSwitchDestination(answer.destination)) return { error: 'The AWS sign-in service answered with an unexpected link.' };
  await openTab(answer.destination, tab);
  return { done: true };
}

// ---- run inside the console tab (isolated world): no closure, arguments only -------------------

/** Submits the switch as a top-level POST from the console page, so that AWS's cookies go with it. */
function submitForm(url, fields) {
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = url;
  form.hidden = true;
  for (const [name, value] of fields) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.append(input);
  }
  (document.body ?? document.documentElement).append(form);
  form.submit();
}

/** The multi-session switch request, from the console page's origin with its cookies. */
async function postJson(url, body) {
  try {
    const response = await fetch(url, {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json', 'X-CSRF-PROTECTION': '1' },
      body,
    });
    if (!response.ok) return { failed: `HTTP ${response.status}` };
    const answer = await response.json();
    return { destination: typeof answer?.destination === 'string' ? answer.destination : '' };
  } catch (error) {
    return { failed: String(error) };
  }
}

// The toolbar popup: the switch targets the core lists (grouped by environment, prod last), the
// active tab's identity marked, filtered as you type by the core, switched with Enter. It decides
// nothing: rows, order, matches, the confirmation text and the switch itself come from the core in
// the service worker. Only the rows in view are laid out: a configuration may hold 5,000 targets.
import '../shared/messages.js'; // RedlineMessages
import { askBackground, ext } from '../shared/browser.js';

performance.mark('redline:popup-start');

const ROW_PX = 46; // popup.css: .row
const HEADING_PX = 28; // popup.css: .heading
const OVERSCAN = 4; // rows laid out beyond each edge of the view, so scrolling shows no gap
// A cold service worker configures 5,000 targets in well under a second; past this it is broken.
const ANSWER_TIMEOUT_MS = 10_000;

const $ = (id) => document.getElementById(id);
const filter = $('filter');
const list = $('list');
const spacer = $('spacer');

const state = {
  tabId: undefined,
  // The core's rows in display order, as it shapes them for this page (PopupList in
  // src/verdict/target.rs): each row's JSON text, parsed when the row is first drawn (targetAt), and each
  // row's environment as an index into `environments`, which is all the layout needs.
  rows: null, // null until the worker's answer is in
  parsed: [], // the rows parsed so far, by position
  environments: [],
  environmentOf: [],
  search: '', // the rows' search texts, one per line, for the local filter
  current: new Set(), // positions of the active tab's identity
  open: new Set(), // positions of identities other console tabs show
  shown: [], // positions matching the filter
  // What is laid out, in typed arrays (5,000 rows in about a millisecond): each item is a row, as
  // its index in shown, or a heading, as -1 - the index of its group's first row.
  items: new Int32Array(0),
  tops: new Float64Array(1), // the top of each item, then the total height
  rowItem: new Uint32Array(0), // index in items of each shown row
  selected: 0, // index in shown
  asked: 0, // the latest filter asked for
  confirming: null, // the position waiting for confirmation
  confirmOpenedAt: 0, // performance.now() when the confirmation opened
};
let keyStart = null; // when the keystroke being filtered was pressed (for the benchmark's measure)

const ask = (message) => askBackground(message, ANSWER_TIMEOUT_MS);

function setStatus(message, kind = 'info') {
  const status = $('status');
  status.textContent = message;
  status.dataset.kind = kind;
  status.setAttribute('role', kind === 'error' ? 'alert' : 'status');
}

const element = (tag, className, text) => {
  const made = document.createElement(tag);
  made.className = className;
  if (text !== undefined) made.textContent = text;
  return made;
};

/** The row at `position` in the core's list, parsed when first drawn. */
function targetAt(position) {
  state.parsed[position] ??= JSON.parse(state.rows[position]);
  return state.parsed[position];
}

/**
 * Runs `fn` once the frame now being prepared has been painted: a task queued by the frame's
 * animation callback runs after the frame's rendering.
 */
const afterNextPaint = (fn) => requestAnimationFrame(() => setTimeout(fn));

// ---- layout: headings where the environment changes, every row the same height ---------------

function layout() {
  const { shown, environmentOf } = state;
  const items = new Int32Array(shown.length * 2);
  const tops = new Float64Array(shown.length * 2 + 1);
  const rowItem = new Uint32Array(shown.length);
  let count = 0;
  let top = 0;
  let group = null;
  for (let index = 0; index < shown.length; index++) {
    const environment = environmentOf[shown[index]];
    if (environment !== group) {
      group = environment;
      items[count] = -1 - index;
      tops[count++] = top;
      top += HEADING_PX;
    }
    rowItem[index] = count;
    items[count] = index;
    tops[count++] = top;
    top += ROW_PX;
  }
  tops[count] = top;
  Object.assign(state, { items: items.subarray(0, count), tops: tops.subarray(0, count + 1), rowItem });
  spacer.style.height = `${top}px`;
  const empty = $('empty');
  empty.hidden = state.shown.length > 0;
  empty.textContent =
    state.rows.length === 0 ? 'No switch targets yet: add [[targets]] to your configuration.' : 'No target matches.';
}

/** The index of the last item starting at or above `y`. */
function itemAt(y) {
  let low = 0;
  let high = state.items.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (state.tops[middle] <= y) low = middle;
    else high = middle - 1;
  }
  return low;
}

function headingNode(firstIndex) {
  const environment = state.environments[state.environmentOf[state.shown[firstIndex]]];
  const heading = element('div', `heading kind-${environment.kind}`, environment.label);
  heading.setAttribute('role', 'presentation');
  heading.dataset.environment = environment.name;
  return heading;
}

function rowNode(index) {
  const position = state.shown[index];
  const target = targetAt(position);
  const row = element('div', 'row');
  row.id = `row-${position}`;
  row.setAttribute('role', 'option');
  row.setAttribute('aria-selected', String(index === state.selected));
  // Most options are not in the document: say where this one stands in the whole list.
  row.setAttribute('aria-posinset', String(index + 1));
  row.setAttribute('aria-setsize', String(state.shown.length));
  Object.assign(row.dataset, { position, severity: target.severity, privilege: target.privilege, provider: target.provider });
  const main = element('span', 'main');
  main.append(element('span', 'label', target.label), element('span', 'detail', target.detail));
  const marks = element('span', 'marks');
  const words = [target.label, target.detail, target.environment.label, target.privilege];
  if (state.current.has(position)) {
    row.dataset.current = '';
    marks.append(element('span', 'mark current', 'this tab'));
    words.push('the identity of this tab');
  } else if (state.open.has(position)) {
    row.dataset.open = '';
    const mark = marks.appendChild(element('span', 'mark open', 'open in a tab'));
    mark.title = 'A console tab is signed in as this identity: signing in to it again signs that tab out.';
    words.push('open in a tab');
  }
  marks.append(element('span', 'privilege', target.privilege));
  row.append(element('span', 'provider', target.providerName), main, marks);
  row.setAttribute('aria-label', words.filter(Boolean).join(', '));
  return row;
}

/** Lays out the items in view (and a few beyond), nothing else. */
function render() {
  const top = list.scrollTop;
  const bottom = top + list.clientHeight;
  const nodes = [];
  for (let i = Math.max(0, itemAt(top) - OVERSCAN); i < state.items.length && state.tops[i] < bottom + OVERSCAN * ROW_PX; i++) {
    const item = state.items[i];
    const node = item < 0 ? headingNode(-1 - item) : rowNode(item);
    node.style.top = `${state.tops[i]}px`;
    nodes.push(node);
  }
  spacer.replaceChildren(...nodes);
  const selected = state.shown[state.selected];
  if (selected === undefined) filter.removeAttribute('aria-activedescendant');
  else filter.setAttribute('aria-activedescendant', `row-${selected}`);
}

let renderPending = false;
list.addEventListener('scroll', () => {
  if (renderPending) return;
  renderPending = true;
  requestAnimationFrame(() => {
    renderPending = false;
    render();
  });
});

/** Scrolls the selected row into view, with its heading when it is its group's first row. */
function reveal() {
  const item = state.rowItem[state.selected];
  if (item === undefined) return;
  const headed = item > 0 && state.items[item - 1] < 0;
  const top = state.tops[item] - (headed ? HEADING_PX : 0);
  const bottom = state.tops[item] + ROW_PX;
  if (top < list.scrollTop) list.scrollTop = top;
  else if (bottom > list.scrollTop + list.clientHeight) list.scrollTop = bottom - list.clientHeight;
}

function move(by) {
  if (state.shown.length === 0) return;
  state.selected = Math.min(state.shown.length - 1, Math.max(0, state.selected + by));
  reveal();
  render();
}

// ---- filtering: the core's, per keystroke -----------------------------------------------------

function everything() {
  const all = new Uint32Array(state.rows.length);
  for (let position = 0; position < all.length; position++) all[position] = position;
  return all;
}

// The core's filter, in this page: a keystroke then filters without a round trip to the worker
// (through the worker, keystrokes took twice as long on a busy machine). Its JS glue is fetched as
// the popup starts: at 5,000 targets a key typed as soon as the list shows then finds the filter
// ready more often (first keystroke 8 to 10 ms median instead of 11 to 22, list 2 to 3 ms later;
// bench-popup, README). The wasm is compiled once the list has been painted: compiled while the
// rows were on their way, it took the CPU the list needed. Until the filter is ready, the worker
// filters.
let localFilter = null;
const filterGlue = import('../../pkg/redline_pages.js');
filterGlue.catch(() => {}); // its error is reported when the filter is loaded

async function loadLocalFilter() {
  const glue = await filterGlue;
  await glue.default({ module_or_path: ext.runtime.getURL('pkg/redline_pages_bg.wasm') });
  localFilter = new glue.TargetFilter(state.search);
}

async function runFilter(query) {
  if (state.rows === null) return; // typed before the rows came: showRows filters them
  const mine = ++state.asked;
  let reply;
  if (query.trim() === '') reply = { positions: everything() };
  else if (localFilter) reply = { positions: localFilter.filter(query) };
  else reply = await ask({ type: RedlineMessages.FILTER, query }).catch((error) => ({ error: error.message }));
  if (mine !== state.asked) return; // a later keystroke asked already
  if (reply.error) {
    setStatus(`redline could not filter the targets: ${reply.error}`, 'error');
    return;
  }
  state.shown = reply.positions;
  list.dataset.query = query; // what the rows shown answer
  state.selected = 0;
  list.scrollTop = 0;
  layout();
  render();
  if (keyStart !== null) {
    const start = keyStart;
    keyStart = null;
    afterNextPaint(() => performance.measure('redline:keystroke', { start, end: performance.now() }));
  }
}

// ---- switching --------------------------------------------------------------------------------

function choose(position) {
  if (position === undefined) return;
  const { confirm } = targetAt(position);
  if (confirm) openConfirm(position, confirm);
  else switchTo(position);
}

async function switchTo(position) {
  setStatus('Switching…');
  try {
    const reply = await ask({ type: RedlineMessages.SWITCH, position, tabId: state.tabId });
    if (reply?.done) window.close();
    else setStatus(reply?.error ?? 'The switch failed.', 'error');
  } catch (error) {
    setStatus(String(error.message ?? error), 'error');
  }
}

// Enter or Space pressed this soon after the confirmation opened belongs to the keystrokes that
// opened it (a double Enter), not to a decision on what it asks.
const CONFIRM_SETTLE_MS = 500;

function openConfirm(position, text) {
  state.confirming = position;
  state.confirmOpenedAt = performance.now();
  $('confirm-text').textContent = text;
  $('confirm').hidden = false;
  for (const part of [filter.parentElement, list]) part.inert = true;
  $('confirm-yes').focus();
}

function closeConfirm() {
  state.confirming = null;
  $('confirm').hidden = true;
  for (const part of [filter.parentElement, list]) part.inert = false;
  filter.focus();
}

$('confirm-yes').addEventListener('click', () => {
  const position = state.confirming;
  closeConfirm();
  switchTo(position);
});
$('confirm-no').addEventListener('click', closeConfirm);
$('options').addEventListener('click', () => {
  ext.runtime.openOptionsPage();
  window.close();
});
// Loaded only when asked for: the list opens without it.
$('why-open').addEventListener('click', async () => {
  if (state.confirming !== null) closeConfirm();
  const why = await import('./why.js');
  await why.open(state.tabId, [filter.parentElement, list, $('empty'), $('list-keys')]);
});

list.addEventListener('click', (event) => {
  const row = event.target.closest('[data-position]');
  if (row) choose(Number(row.dataset.position));
});

filter.addEventListener('input', () => runFilter(filter.value));

document.addEventListener('keydown', (event) => {
  if (!$('why').hidden) return; // the panel has keys of its own (why.js)
  if (state.confirming !== null) {
    // Enter is the focused button's own, unless held down or too soon; Esc cancels.
    const activates = event.key === 'Enter' || event.key === ' ';
    if (activates && (event.repeat || performance.now() - state.confirmOpenedAt < CONFIRM_SETTLE_MS)) {
      event.preventDefault();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      closeConfirm();
    }
    return;
  }
  const page = Math.max(1, Math.floor(list.clientHeight / ROW_PX) - 1);
  switch (event.key) {
    case 'ArrowDown':
      move(1);
      break;
    case 'ArrowUp':
      move(-1);
      break;
    case 'PageDown':
      move(page);
      break;
    case 'PageUp':
      move(-page);
      break;
    case 'Enter':
      // A focused button's Enter is its own (the footer's); a held Enter switches nothing.
      if (event.target.closest?.('button, input[type="checkbox"]')) return;
      if (event.repeat) break;
      choose(state.shown[state.selected]);
      break;
    case 'Escape':
      if (filter.value === '') window.close();
      else {
        filter.value = '';
        runFilter('');
      }
      break;
    default:
      if (event.key.length === 1 || event.key === 'Backspace' || event.key === 'Delete') keyStart = event.timeStamp;
      return;
  }
  event.preventDefault();
});

// ---- start --------------------------------------------------------------------------------------

/** Draws the worker's answer to 'targets': the core's PopupList. */
function showRows(reply) {
  if (reply?.error) throw new Error(reply.error);
  const { environments, environmentOf, search } = reply;
  // One row per line; no rows is an empty text, not one empty row.
  const rows = environmentOf.length === 0 ? [] : reply.rows.split('\n');
  Object.assign(state, { rows, parsed: new Array(rows.length), environments, environmentOf, search });
  state.shown = everything();
  layout();
  render();
  // Typed while the rows were on their way: filter them now.
  if (filter.value.trim() !== '') runFilter(filter.value);
  afterNextPaint(() => {
    performance.mark('redline:popup-list');
    loadLocalFilter().catch((error) => console.warn('redline: filtering through the worker', error));
  });
}

function showMarks(reply) {
  if (reply?.error) throw new Error(reply.error);
  state.current = new Set(reply.current);
  state.open = new Set(reply.open);
  render();
}

// A user may withhold the console sites from redline (Firefox asks for them per add-on, Chromium
// offers "on click"): no banner is painted then, which must not go unnoticed. Granting needs this
// click, and permissions.request called within it before anything is awaited.
// Every content script's sites: the banner's, the guard's in Azure's blade frames, the access portal's.
const CONSOLE_ORIGINS = [...new Set(ext.runtime.getManifest().content_scripts.flatMap((script) => script.matches))];
const accessChecked = ext.permissions
  .contains({ origins: CONSOLE_ORIGINS })
  .then((granted) => {
    $('access').hidden = granted;
  })
  .catch((error) => console.warn('redline: could not tell whether the console sites are granted', error));
$('grant').addEventListener('click', () => {
  ext.permissions.request({ origins: CONSOLE_ORIGINS }).then(
    (granted) => {
      $('access').hidden = granted;
      if (granted) setStatus('redline may now read the console sites: reload the console tabs that are open.');
      else setStatus('The console sites were not allowed: redline still paints no banner on them.', 'error');
    },
    (error) => setStatus(`redline could not ask for the console sites: ${error.message ?? error}`, 'error'),
  );
});

// The rows are asked for first and drawn as soon as they come; the marks of the active tab's
// identities need the tab's id first, and are drawn when they come. Waiting for both before
// drawing anything kept the list from view 5 to 20 ms longer (the worker reads the tabs' records).
const listed = ask({ type: RedlineMessages.TARGETS });
const marked = ext.tabs.query({ active: true, currentWindow: true }).then(([tab]) => {
  state.tabId = tab?.id;
  return ask({ type: RedlineMessages.MARKS, tabId: state.tabId });
});
marked.catch(() => {}); // not awaited when the rows fail: their error is the one to show
// Keys typed while the rows are on their way go to the filter, which filters once they come.
filter.focus();
// Firefox may show its popup after the page's first tasks and leave the focus on <body>: the filter
// takes it when the popup's window gets it, unless the user has moved it on.
window.addEventListener('focus', () => {
  if (document.activeElement === document.body) filter.focus();
});
let step = 'list the switch targets';
try {
  showRows(await listed);
  step = 'mark the identities console tabs show';
  showMarks(await marked);
} catch (error) {
  setStatus(`redline could not ${step}: ${error.message ?? error}`, 'error');
}
await accessChecked;
document.documentElement.dataset.ready = 'true';

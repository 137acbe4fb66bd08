// The options page: edits, checks, previews, imports, saves and restores the user's configuration.
// Every judgement on a text (errors, warnings, what it means for a banner, what an import converts
// to) comes from the wasm core, loaded here directly (extension pages allow 'wasm-unsafe-eval').
// Strings from texts, imports and verdicts reach the DOM only through textContent and attributes.
// The pages' module: the worker's, plus the importers (scripts/build.sh).
import '../shared/messages.js'; // RedlineMessages
import * as glue from '../../pkg/redline_pages.js';
import { CoreStopped, startCore } from '../shared/core.js';
import * as store from '../shared/storage.js';
import { ext } from '../shared/browser.js';

// After a trap the page's engine starts again on the seed: the preview is for the text in the editor.
const core = await startCore(glue, ext.runtime.getURL('pkg/redline_pages_bg.wasm'));
const { importConfig, seedConfig } = glue;

const $ = (id) => document.getElementById(id);
const editor = $('editor');
const gutter = $('gutter');
const gutterView = gutter.appendChild(document.createElement('div'));
const saveButton = $('save');
const syncBox = $('sync');
const numberFormat = new Intl.NumberFormat('en-US');
const LINE_HEIGHT_PX = 20; // options.css: .editor and .gutter line-height
const MAX_LISTED_DIAGNOSTICS = 200;

// A second engine, private to this page (core.run): the edited text is put in force here, never in
// the worker, until it is saved. Its configure() result is also the live check of the text: one
// parse instead of two matters for big texts.

const state = {
  savedText: undefined, // the text in force for this browser (local, or synced from another browser)
  managedText: undefined,
  // What access portals taught: the preview configures with it, as the worker does.
  learnedText: undefined,
  checkedText: null, // the editor text the diagnostics below belong to
  diagnostics: [],
  errors: 0,
  previewApplied: false,
};

const formatTime = (iso) => (iso ? new Date(iso).toLocaleString('en-GB') : 'an unknown time');
const lineCount = (text) => text.split('\n').length;
const plural = (n, one, many = `${one}s`) => `${numberFormat.format(n)} ${n === 1 ? one : many}`;

/** A function that has `draw` run in the next frame, once however often it is called before. */
function inNextFrame(draw) {
  let frame = 0;
  return () => {
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      draw();
    });
  };
}

function setStatus(element, message, kind = 'info') {
  element.textContent = message;
  element.dataset.kind = kind;
}

// What storage.js could not read back, by what was being read ('user', 'history', 'learned',
// 'managed'): each read replaces its own list.
const storageProblems = new Map();
function showProblems(area, problems) {
  storageProblems.set(area, problems);
  const all = [...new Set([...storageProblems.values()].flat())];
  $('storage-problems').hidden = all.length === 0;
  $('storage-problem-list').replaceChildren(
    ...all.map((problem) => {
      const item = document.createElement('li');
      item.textContent = problem;
      return item;
    }),
  );
}

/** Why a write was refused and what to do about it: a full storage area is the user's to empty. */
function refusal(error, area) {
  const detail = error?.message ?? String(error);
  if (error instanceof store.SyncTooLarge) return detail;
  switch (store.quotaExceeded(error)) {
    case null:
      return detail;
    case 'writes':
      return `sync storage takes only so many writes a minute (${detail}): save again in a minute`;
    default:
      return area === 'local'
        ? `this browser's storage for redline is full (${detail}). Remove earlier versions (below), or forget what access portals taught, then save again`
        : `sync storage is full (${detail}): turn off "Sync across browsers" to keep the configuration in this browser only, or make it smaller`;
  }
}

// ---- checking -------------------------------------------------------------------------------

let checkTimer = 0;
function scheduleCheck() {
  clearTimeout(checkTimer);
  saveButton.disabled = true;
  editor.dataset.state = 'checking';
  // Big texts take the core a while to check: wait longer for the typing to pause.
  checkTimer = setTimeout(runCheck, editor.value.length > 100_000 ? 600 : 200);
}

/** Checks the editor's text now; returns its diagnostics. */
function runCheck() {
  clearTimeout(checkTimer);
  const text = editor.value;
  if (state.checkedText === text) return state.diagnostics;
  let result;
  try {
    result = JSON.parse(core.run((redline) => redline.configure(text, state.managedText, state.learnedText)));
  } catch (error) {
    if (!(error instanceof CoreStopped)) throw error;
    // A text that stops the core is an error at its first line: it cannot be saved.
    const message = 'redline’s core stopped on this text, so it cannot be used; the saved configuration stays in force. Please report it.';
    result = { user: [{ line: 1, column: 1, level: 'error', message }], userApplied: false };
  }
  state.checkedText = text;
  state.diagnostics = result.user;
  state.errors = result.user.filter((d) => d.level === 'error').length;
  // The core applies the user's text even when the organisation's is broken, as in the worker.
  state.previewApplied = result.userApplied;
  renderDiagnostics();
  renderGutter();
  saveButton.disabled = state.errors > 0;
  editor.dataset.state = state.errors > 0 ? 'invalid' : 'valid';
  editor.setAttribute('aria-invalid', String(state.errors > 0));
  updatePreview();
  return state.diagnostics;
}

function renderDiagnostics() {
  const list = $('diagnostics');
  const warnings = state.diagnostics.length - state.errors;
  let summary;
  if (state.errors > 0) {
    summary = `${plural(state.errors, 'error')}${warnings ? `, ${plural(warnings, 'warning')}` : ''}: fix the errors to save. The saved configuration stays in force meanwhile.`;
  } else if (warnings > 0) {
    summary = `No errors, ${plural(warnings, 'warning')}: you can save.`;
  } else {
    summary = 'No problems: ready to save.';
  }
  setStatus($('validity'), summary, state.errors ? 'error' : warnings ? 'warning' : 'ok');
  const items = state.diagnostics.slice(0, MAX_LISTED_DIAGNOSTICS).map((d) => {
    const item = document.createElement('li');
    item.className = d.level;
    const button = document.createElement('button');
    button.type = 'button';
    button.dataset.line = d.line;
    button.dataset.column = d.column;
    const level = document.createElement('strong');
    level.textContent = d.level === 'error' ? '✖ Error' : '⚠ Warning';
    const where = document.createElement('span');
    where.className = 'where';
    where.textContent = ` line ${d.line}, column ${d.column}: `;
    const message = document.createElement('span');
    message.textContent = d.message;
    button.append(level, where, message);
    button.title = `Go to line ${d.line}`;
    button.addEventListener('click', () => goToLine(d.line, d.column));
    item.append(button);
    return item;
  });
  if (state.diagnostics.length > MAX_LISTED_DIAGNOSTICS) {
    const more = document.createElement('li');
    more.textContent = `…and ${numberFormat.format(state.diagnostics.length - MAX_LISTED_DIAGNOSTICS)} more`;
    items.push(more);
  }
  list.replaceChildren(...items);
}

// The gutter shows only the numbers of the lines in view: a 5,000-profile text has 55,000 lines.
let gutterLines = 0;
let marks = new Map(); // line → 'error' | 'warning'

function renderGutter() {
  marks = new Map();
  for (const d of state.diagnostics) {
    if (marks.get(d.line) !== 'error') marks.set(d.line, d.level);
  }
  gutterLines = lineCount(editor.value);
  renderGutterView();
}

const scheduleGutterView = inNextFrame(renderGutterView);

/** Line numbers of the lines in view, the lines with problems marked by a symbol as well as a colour. */
function renderGutterView() {
  const scrollTop = editor.scrollTop;
  const first = Math.max(1, Math.floor(scrollTop / LINE_HEIGHT_PX));
  const last = Math.min(gutterLines, first + Math.ceil(editor.clientHeight / LINE_HEIGHT_PX) + 2);
  const width = String(gutterLines).length;
  const parts = [];
  let plain = '';
  for (let n = first; n <= last; n++) {
    const mark = marks.get(n);
    if (!mark) {
      plain += `  ${String(n).padStart(width)}\n`;
      continue;
    }
    if (plain) parts.push(document.createTextNode(plain));
    plain = '';
    const span = document.createElement('span');
    span.className = `mark-${mark}`;
    span.textContent = `${mark === 'error' ? '✖' : '⚠'} ${String(n).padStart(width)}`;
    span.dataset.line = n;
    parts.push(span, document.createTextNode('\n'));
  }
  if (plain) parts.push(document.createTextNode(plain));
  gutterView.replaceChildren(...parts);
  gutterView.style.transform = `translateY(${(first - 1) * LINE_HEIGHT_PX - scrollTop}px)`;
}

function goToLine(line, column = 1) {
  const text = editor.value;
  let start = 0;
  for (let n = 1; n < line; n++) {
    const next = text.indexOf('\n', start);
    if (next < 0) break;
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  const lineEnd = end < 0 ? text.length : end;
  const caret = Math.min(start + Math.max(0, column - 1), lineEnd);
  editor.focus();
  editor.setSelectionRange(caret, lineEnd);
  editor.scrollTop = Math.max(0, (line - 1) * LINE_HEIGHT_PX - editor.clientHeight / 3);
  renderGutterView();
}

editor.addEventListener('input', () => {
  // The numbers follow the text at once; the marks come with the check.
  const lines = lineCount(editor.value);
  if (lines !== gutterLines) {
    gutterLines = lines;
    scheduleGutterView();
  }
  scheduleCheck();
});
editor.addEventListener('scroll', scheduleGutterView);
new ResizeObserver(scheduleGutterView).observe(editor);

function setEditorText(text) {
  editor.value = text;
  editor.scrollTop = 0;
  runCheck();
}

// ---- saving ---------------------------------------------------------------------------------

saveButton.addEventListener('click', save);

let saves = 0; // saves begun: the newest says its outcome
async function save() {
  const text = editor.value;
  runCheck();
  if (state.errors > 0) {
    setStatus($('save-status'), 'Not saved: the text has errors. The saved configuration is unchanged.', 'error');
    return;
  }
  saveButton.disabled = true;
  setStatus($('save-status'), 'Saving…');
  const thisSave = ++saves;
  let saved;
  try {
    saved = await store.saveLocal(text);
  } catch (error) {
    setStatus($('save-status'), `Not saved: ${refusal(error, 'local')}. The saved configuration is unchanged.`, 'error');
    saveButton.disabled = state.errors > 0;
    await renderLocalUsage();
    return;
  }
  state.savedText = text;
  describeOrigin(`Saved in this browser at ${formatTime(saved.savedAt)}.`);
  let message = `Saved at ${formatTime(saved.savedAt)}. Open console tabs show it now.`;
  let kind = 'ok';
  if (syncBox.checked) {
    try {
      const written = await store.writeSync(text, saved.savedAt);
      message += ` Synced across browsers (${numberFormat.format(written.needed)} bytes in sync storage).`;
    } catch (error) {
      message += ` Not synced: ${refusal(error, 'sync')}. It is saved in this browser only; your other browsers keep the previous version.`;
      kind = 'warning';
    }
  }
  // What could not be read before is written anew now: read again to see what still cannot. The
  // outcome is said once the history and usage below show the save too (and said if they fail).
  try {
    const again = await store.readUserText();
    showProblems('user', again.problems);
    await Promise.all([renderHistory(), renderSyncUsage(), renderLocalUsage()]);
  } finally {
    // A later save, begun meanwhile, says its own outcome.
    if (thisSave === saves) {
      setStatus($('save-status'), message, kind);
      saveButton.disabled = state.errors > 0;
    }
  }
}

$('revert').addEventListener('click', () => {
  setEditorText(state.savedText ?? seedConfig());
  setStatus($('save-status'), 'The editor shows the saved configuration again.');
});

$('export').addEventListener('click', () => {
  const url = URL.createObjectURL(new Blob([editor.value], { type: 'application/toml' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = 'redline.toml';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
});

function describeOrigin(message) {
  $('editor-origin').textContent = message;
}

// ---- history --------------------------------------------------------------------------------

async function renderHistory() {
  const problems = [];
  const history = await store.readHistory(problems);
  showProblems('history', problems);
  $('history-empty').hidden = history.length > 0;
  $('history').replaceChildren(
    ...history.map((version) => {
      const item = document.createElement('li');
      const what = document.createElement('span');
      what.textContent = `Saved ${formatTime(version.savedAt)} · ${plural(lineCount(version.text), 'line')} · ${plural(new TextEncoder().encode(version.text).length, 'byte')} `;
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Restore';
      button.setAttribute('aria-label', `Restore the version saved ${formatTime(version.savedAt)} into the editor`);
      button.addEventListener('click', () => {
        setEditorText(version.text);
        setStatus($('save-status'), `The version saved ${formatTime(version.savedAt)} is in the editor. Save to use it.`);
        editor.focus();
      });
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Remove';
      remove.setAttribute('aria-label', `Remove the version saved ${formatTime(version.savedAt)}`);
      // The list is drawn again from storage's change.
      remove.addEventListener('click', () =>
        store.removeVersion(version).catch((error) => setStatus($('save-status'), `Not removed: ${error.message ?? error}.`, 'error')),
      );
      item.append(what, button, remove);
      return item;
    }),
  );
}

// ---- learned from access portals ------------------------------------------------------------

async function renderLearned() {
  const problems = [];
  const learned = await store.listLearned(problems);
  showProblems('learned', problems);
  $('learned-empty').hidden = learned.length > 0;
  $('learned').replaceChildren(
    ...learned.map(({ portal, learnedAt, accounts }) => {
      const item = document.createElement('li');
      const what = document.createElement('span');
      const names = accounts.map((a) => (a.name ? `${a.name} (${a.id})` : a.id)).join(', ');
      what.textContent = `${portal} · ${learnedAt ? `learned ${formatTime(learnedAt)}` : 'learned earlier'} · ${plural(accounts.length, 'account')}${names ? `: ${names}` : ''} `;
      const button = document.createElement('button');
      button.type = 'button';
      button.textContent = 'Forget';
      button.setAttribute('aria-label', `Forget what ${portal} taught`);
      button.addEventListener('click', () => store.forgetLearned(portal));
      item.append(what, button);
      return item;
    }),
  );
}

// ---- sync -----------------------------------------------------------------------------------

async function renderSyncUsage() {
  try {
    const { used, quota, left } = await store.syncUsage();
    $('sync-usage').textContent = `Sync storage: ${numberFormat.format(used)} of ${numberFormat.format(quota)} bytes used, ${numberFormat.format(left)} left.`;
  } catch {
    $('sync-usage').textContent = 'Sync storage is not available in this browser.';
  }
}

async function renderLocalUsage() {
  const { used, quota, left } = await store.localUsage();
  $('local-usage').textContent = `This browser's storage: ${numberFormat.format(used)} of ${numberFormat.format(quota)} bytes used, ${numberFormat.format(left)} left.`;
}

syncBox.addEventListener('change', async () => {
  const on = syncBox.checked;
  try {
    await store.setSyncEnabled(on);
  } catch (error) {
    syncBox.checked = !on;
    setStatus($('save-status'), `"Sync across browsers" is unchanged: ${refusal(error, 'local')}.`, 'error');
    return;
  }
  if (on) {
    if (state.savedText === undefined) {
      setStatus($('save-status'), 'Sync is on: your configuration goes to sync storage when you save it.');
    } else {
      try {
        const written = await store.writeSync(state.savedText);
        setStatus($('save-status'), `Sync is on: the saved configuration is in sync storage (${numberFormat.format(written.needed)} bytes).`, 'ok');
      } catch (error) {
        setStatus($('save-status'), `Sync is on, but the saved configuration was not synced: ${refusal(error, 'sync')}.`, 'warning');
      }
    }
  } else {
    await store.clearSync().catch(() => {});
    setStatus($('save-status'), 'Sync is off: your configuration is stored in this browser only and was removed from sync storage.');
  }
  await renderSyncUsage();
});

// ---- preview --------------------------------------------------------------------------------

let previewTimer = 0;
for (const id of ['preview-url', 'preview-signals']) {
  $(id).addEventListener('input', () => {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(updatePreview, 150);
  });
}

function updatePreview() {
  const problem = $('preview-problem');
  const banner = $('preview-banner');
  const reasons = $('preview-reasons');
  const notes = [];
  if (state.errors > 0) notes.push('The text in the editor has errors: the preview shows the last valid text.');
  let signals = {};
  const signalsText = $('preview-signals').value.trim();
  if (signalsText) {
    try {
      signals = JSON.parse(signalsText);
      if (signals === null || typeof signals !== 'object' || Array.isArray(signals)) throw new Error('expected a JSON object');
    } catch (error) {
      setStatus(problem, `The page signals are not a JSON object: ${error.message}`, 'error');
      banner.hidden = true;
      reasons.replaceChildren();
      return;
    }
  }
  let verdict;
  try {
    verdict = JSON.parse(core.run((redline) => redline.evaluate($('preview-url').value.trim(), JSON.stringify(signals))));
  } catch (error) {
    setStatus(problem, `No preview: ${error.message ?? error}`, 'error');
    banner.hidden = true;
    reasons.replaceChildren();
    return;
  }
  if (verdict === null) {
    notes.push('Not a cloud console page: redline shows no banner there.');
    setStatus(problem, notes.join(' '), 'warning');
    banner.hidden = true;
    reasons.replaceChildren();
    return;
  }
  setStatus(problem, notes.join(' '), notes.length ? 'warning' : 'ok');
  Object.assign(banner.dataset, {
    provider: verdict.provider ?? '',
    environment: verdict.environment.kind,
    privilege: verdict.privilege,
    severity: verdict.severity,
  });
  banner.textContent = verdict.label;
  banner.title = verdict.reasons.join('\n');
  banner.setAttribute('aria-label', `Banner preview: ${verdict.label} (severity ${verdict.severity})`);
  banner.style.background = verdict.colors.background;
  banner.style.color = verdict.colors.foreground;
  banner.hidden = false;
  reasons.replaceChildren(
    ...verdict.reasons.map((reason) => {
      const item = document.createElement('li');
      item.textContent = reason;
      return item;
    }),
  );
}

// ---- import ---------------------------------------------------------------------------------

let imported = null; // what Add puts in the editor
// The importers' limit on a text, the core's MAX_TEXT_BYTES (src/config/document.rs).
const MAX_IMPORT_BYTES = 2 * 1024 * 1024;
let reportRows = []; // the report shown, which stays when the text changes or is added
const SOURCES = { aesr: 'AWS Extend Switch Roles', 'aws-config': '~/.aws/config' };
const OUTCOMES = { converted: '✔ converted', ignored: '– ignored', refused: '✖ refused' };

// The report of 5,000 profiles has 36,253 rows: only those in view (and a few beyond) are in the
// table, between two spacer rows as high as the rows left out, as the popup lists its targets.
const reportView = $('import-report');
const reportTable = reportView.querySelector('table');
const reportBody = reportTable.tBodies[0];
const REPORT_ROW_PX = 28; // options.css: .report td
const REPORT_OVERSCAN = 10; // rows drawn beyond each edge of the view, so that scrolling shows no gap
let reportDrawnFor = 0; // the height of the box the rows in the table were drawn for

function spacerRow() {
  const row = document.createElement('tr');
  row.className = 'spacer';
  row.setAttribute('aria-hidden', 'true');
  const cell = row.appendChild(document.createElement('td'));
  cell.colSpan = 3;
  return { row, cell };
}
const spacers = [spacerRow(), spacerRow()];

$('import-file').addEventListener('change', async (event) => {
  const [file] = event.target.files;
  if (!file) return;
  const refuse = (why) => {
    event.target.value = '';
    // What was converted before is not the picked file's: nothing stays ready to add.
    imported = null;
    $('import-add').disabled = true;
    reportView.hidden = true;
    setStatus($('import-summary'), `Could not read ${file.name}: ${why}`, 'error');
  };
  // The importers' limit, before the file is read at all (a byte-order mark is no part of the text).
  if (file.size > MAX_IMPORT_BYTES + 3) {
    refuse(`it is ${numberFormat.format(file.size)} bytes, over the limit of ${numberFormat.format(MAX_IMPORT_BYTES)} bytes (2 MiB) an import reads.`);
    return;
  }
  // Read as UTF-8 or refused, as the AWS CLI and redline's command line read files: file.text()
  // would turn each byte that cannot be read into U+FFFD and import what it made of it.
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    refuse(`it is not UTF-8 text (byte ${firstInvalidByte(bytes)} cannot start a character, counting from 0). Save it as UTF-8 and pick it again.`);
    return;
  }
  $('import-text').value = text;
  convert();
});

/**
 * Where the UTF-8 in `bytes` first goes wrong, counting from 0, as redline's command line says it:
 * the first byte of the character that cannot be read. Only run after a decode failed.
 */
function firstInvalidByte(bytes) {
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  let start = 0; // where the character being read began
  let pending = false; // whether the decoder holds the first bytes of a character
  try {
    for (let at = 0; at < bytes.length; at += 1) {
      if (!pending) start = at;
      pending = decoder.decode(bytes.subarray(at, at + 1), { stream: true }) === '';
    }
    decoder.decode(); // a character cut off at the end
  } catch {
    // `start` is where the character that cannot be read began.
  }
  return start;
}
$('import-convert').addEventListener('click', convert);
// The welcome page's import buttons open this page at the import, its format chosen.
const importAsked = new URLSearchParams(location.search).get('import');
if (importAsked && [...$('import-source').options].some((option) => option.value === importAsked)) {
  $('import-source').value = importAsked;
  $('import-heading').scrollIntoView();
  $('import-file').focus();
}

$('import-source').addEventListener('change', () => {
  if ($('import-text').value.trim()) convert();
});
$('import-text').addEventListener('input', () => {
  // Pasted or typed: the text no longer is the picked file's.
  $('import-file').value = '';
  imported = null;
  $('import-add').disabled = true;
});

function convert() {
  const source = $('import-source').value;
  const text = $('import-text').value;
  if (!text.trim()) {
    setStatus($('import-summary'), 'Nothing to convert: pick a file or paste its text.', 'warning');
    reportView.hidden = true;
    return;
  }
  try {
    imported = { ...JSON.parse(core.run(() => importConfig(text, source))), source };
  } catch (error) {
    imported = null;
    setStatus($('import-summary'), `Could not convert: ${error.message ?? error}`, 'error');
    reportView.hidden = true;
    $('import-add').disabled = true;
    return;
  }
  const { converted, ignored, refused } = imported.outcomes;
  setStatus(
    $('import-summary'),
    `${SOURCES[source]}: ${plural(imported.targets, 'switch target')}; ${plural(converted, 'line report')} converted, ${plural(ignored, 'line report')} ignored` +
      (refused > 0 ? `, ${plural(refused, 'line')} refused as unsafe.` : '.') +
      (imported.text.trim() ? ' Review, then add to your configuration.' : ' Nothing to add.'),
    refused > 0 ? 'error' : imported.text.trim() ? 'ok' : 'warning',
  );
  reportRows = imported.report;
  const rows = reportRows.length;
  $('import-caption').textContent = `What became of each line: ${plural(rows, 'row')}`;
  // The header is row 1.
  reportTable.setAttribute('aria-rowcount', String(rows + 1));
  // As high as all its rows before any is drawn, so that the box takes its height first.
  spacers[0].cell.style.height = '0px';
  spacers[1].cell.style.height = `${rows * REPORT_ROW_PX}px`;
  reportBody.replaceChildren(spacers[0].row, spacers[1].row);
  reportView.hidden = false;
  reportView.scrollTop = 0;
  renderReport();
  $('import-add').disabled = !imported.text.trim();
}

/** Puts the report's rows in view (and a few beyond) in the table, and nothing else. */
function renderReport() {
  if (reportView.hidden) return;
  // Where the rows start in the scrolled box: below the caption and the header.
  const rowsTop = reportBody.offsetTop;
  const top = Math.max(0, reportView.scrollTop - rowsTop);
  reportDrawnFor = reportView.clientHeight;
  const first = Math.max(0, Math.floor(top / REPORT_ROW_PX) - REPORT_OVERSCAN);
  const end = Math.min(reportRows.length, Math.ceil((top + reportDrawnFor) / REPORT_ROW_PX) + REPORT_OVERSCAN);
  const rows = [];
  for (let index = first; index < end; index++) {
    const { line, outcome, message } = reportRows[index];
    const row = document.createElement('tr');
    row.className = outcome;
    // Most rows are not in the table: say where this one stands in the whole report.
    row.setAttribute('aria-rowindex', String(index + 2));
    for (const value of [line, OUTCOMES[outcome], message]) {
      const cell = row.appendChild(document.createElement('td'));
      cell.textContent = value;
    }
    // A long message is cut with an ellipsis (options.css): the whole of it on hover.
    row.lastChild.title = message;
    rows.push(row);
  }
  spacers[0].cell.style.height = `${first * REPORT_ROW_PX}px`;
  spacers[1].cell.style.height = `${(reportRows.length - end) * REPORT_ROW_PX}px`;
  reportBody.replaceChildren(spacers[0].row, ...rows, spacers[1].row);
}

const scheduleReport = inNextFrame(renderReport);
reportView.addEventListener('scroll', scheduleReport);
// A box of another height (the window's changed) shows other rows; the report shown anew has
// been drawn for its height already.
new ResizeObserver(() => {
  if (reportView.clientHeight !== reportDrawnFor) scheduleReport();
}).observe(reportView);

$('import-add').addEventListener('click', () => {
  if (!imported?.text.trim()) return;
  const base = editor.value.replace(/\s*$/, '');
  const heading = `# Imported from ${SOURCES[imported.source]} on ${new Date().toISOString().slice(0, 10)}`;
  setEditorText(`${base}${base ? '\n\n' : ''}${heading}\n${imported.text.replace(/\s*$/, '')}\n`);
  const added = imported.targets;
  imported = null;
  $('import-add').disabled = true;
  setStatus($('import-summary'), `Added ${plural(added, 'switch target')} to the editor. Save to use them.`, 'ok');
  goToLine(lineCount(editor.value));
});

// ---- organisation ---------------------------------------------------------------------------

function renderOrganisation() {
  const section = $('organisation');
  section.hidden = state.managedText === undefined;
  $('managed-text').textContent = state.managedText ?? '';
}

function renderNotices(configured) {
  const notices = [...(configured?.stopped ? [configured.stopped] : []), ...(configured?.notices ?? [])];
  $('notices-empty').hidden = notices.length > 0;
  $('notices').replaceChildren(
    ...notices.map((notice) => {
      const item = document.createElement('li');
      item.textContent = notice;
      return item;
    }),
  );
  const managedErrors = (configured?.managed ?? []).filter((d) => d.level === 'error');
  if (managedErrors.length > 0) {
    $('notices').append(
      ...managedErrors.map((d) => {
        const item = document.createElement('li');
        item.className = 'error';
        item.textContent = `✖ The organisation's configuration has an error and is not applied (line ${d.line}, column ${d.column}: ${d.message}). Ask your administrator.`;
        return item;
      }),
    );
    $('notices-empty').hidden = true;
  }
}

async function refreshStatus() {
  try {
    const status = await ext.runtime.sendMessage({ type: RedlineMessages.STATUS });
    renderNotices(status?.configured);
  } catch {
    // The worker is starting; its 'configured' message follows.
  }
}

ext.runtime.onMessage.addListener((message, sender) => {
  if (message?.type === RedlineMessages.CONFIGURED && sender.id === ext.runtime.id) renderNotices(message.configured);
});

ext.storage.onChanged.addListener(async (changes, area) => {
  if (area === 'managed') {
    state.managedText = store.managedTextOf(changes.config?.newValue);
    renderOrganisation();
    state.checkedText = null;
    runCheck();
  } else if (area === 'local') {
    if ('history' in changes) renderHistory();
    if ('learned' in changes) {
      renderLearned();
      state.learnedText = await store.readLearnedText().catch(() => undefined);
      state.checkedText = null;
      runCheck();
    }
    renderLocalUsage();
  } else if (area === 'sync') {
    renderSyncUsage();
  }
});

// ---- start ----------------------------------------------------------------------------------

async function start() {
  // storage.managed can take seconds to answer just after the browser starts: after a moment the
  // text last read stands in, until the real one arrives.
  const managed = store.readManagedText();
  const cacheProblems = [];
  const [user, syncEnabled, learnedText, managedText] = await Promise.all([
    store.readUserText(),
    store.readSyncEnabled(),
    store.readLearnedText().catch(() => undefined),
    Promise.race([managed, new Promise((resolve) => setTimeout(resolve, 300)).then(() => store.readManagedCache(cacheProblems))]),
  ]);
  showProblems('user', user.problems);
  showProblems('managed', cacheProblems);
  state.managedText = managedText;
  state.learnedText = learnedText;
  renderOrganisation();
  managed.then((text) => {
    if (text === state.managedText) return;
    state.managedText = text;
    renderOrganisation();
    state.checkedText = null;
    runCheck();
  });
  let text;
  if (user.source === 'local') {
    text = state.savedText = user.text;
    describeOrigin(`Saved in this browser at ${formatTime(user.savedAt)}.`);
  } else if (user.source === 'sync') {
    text = state.savedText = user.text;
    describeOrigin(`From sync storage: saved in one of your browsers at ${formatTime(user.savedAt)}.`);
    // Sync is on in another browser (or here, with a newer version there): saves here go to sync too.
    await store.setSyncEnabled(true).catch((error) => setStatus($('save-status'), `"Sync across browsers" could not be turned on here: ${refusal(error, 'local')}.`, 'error'));
  } else if (user.source === 'history') {
    text = state.savedText = user.text;
    describeOrigin(`An earlier version, saved at ${formatTime(user.savedAt)}: the one saved after it cannot be read. Save to keep this one.`);
  } else if (user.problems.length > 0) {
    text = seedConfig();
    describeOrigin('Nothing saved in this browser can be read: the editor shows the bundled starting configuration. Open console tabs keep the configuration in force for now; save to keep one.');
  } else {
    text = seedConfig();
    describeOrigin('The bundled starting configuration: not saved yet.');
  }
  syncBox.checked = syncEnabled || user.source === 'sync';
  setEditorText(text);
  await Promise.all([renderHistory(), renderLearned(), renderSyncUsage(), renderLocalUsage(), refreshStatus()]);
  document.documentElement.dataset.ready = 'true';
}

start();

// "Why this banner?" in the popup, loaded when asked for: the active console tab's verdict with
// each reason and its source, the signals read, what would change it, the report to copy, and the
// buttons that add a rule naming the tab's environment. The core decides all of it: the pages'
// module, configured with the same texts as the worker, explains the tab's last record and writes
// the rule (checked by its effect); this page reads the record, shows, copies and saves.
import { ext } from '../shared/browser.js';
import * as store from '../shared/storage.js';

const $ = (id) => document.getElementById(id);

const shown = {
  tabId: undefined,
  page: null, // what the tab's top document last sent: {url, signals}
  texts: null, // {user, managed, learned}
  redline: null,
  glue: null,
  why: null,
  hidden: [], // the popup's parts the panel stands in for, each with whether it was hidden before
};

/** The browser and its version, for the report. */
function browserName() {
  const agent = navigator.userAgent;
  const found = /Firefox\/([\d.]+)/.exec(agent) ?? /Edg\/([\d.]+)/.exec(agent) ?? /Chrom(?:e|ium)\/([\d.]+)/.exec(agent);
  const name = agent.includes('Firefox/') ? 'Firefox' : agent.includes('Edg/') ? 'Edge' : 'Chromium';
  return found ? `${name} ${found[1]}` : name;
}

// The organisation's policy is waited for, however long the browser takes to read it (seconds after
// it starts): a panel without it would explain another verdict than the banner's.
async function readTexts() {
  const [user, managed, learned] = await Promise.all([
    store.readUserText(),
    store.readManagedText(),
    store.readLearnedText().catch(() => undefined),
  ]);
  return { user: user.text, managed, learned };
}

function list(id, items) {
  const into = $(id);
  into.replaceChildren(
    ...items.map((text) => {
      const item = document.createElement('li');
      item.textContent = text;
      return item;
    }),
  );
}

function setStatus(message, kind = 'info') {
  const status = $('why-status');
  status.textContent = message;
  status.dataset.kind = kind;
}

function renderReport() {
  const { page, redline } = shown;
  $('why-report').textContent = redline.whyReport(page.url, JSON.stringify(page.signals ?? {}), ext.runtime.getManifest().version, browserName(), $('why-ids').checked);
}

/** Explains the tab under the texts in force, and draws it. */
async function render() {
  const { glue, page } = shown;
  shown.texts = await readTexts();
  shown.redline?.free();
  shown.redline = new glue.Redline();
  shown.redline.configure(shown.texts.user, shown.texts.managed, shown.texts.learned);
  const why = JSON.parse(shown.redline.why(page.url, JSON.stringify(page.signals ?? {})));
  shown.why = why;
  if (!why) {
    shown.why = null;
    $('why-banner').textContent = 'This tab is not a console page redline knows.';
    for (const id of ['why-verdict', 'why-reasons', 'why-signals', 'why-changes', 'why-report']) $(id).replaceChildren();
    $('why-fix').hidden = $('why-fix-refused').hidden = true;
    return;
  }
  const { verdict, fix } = why;
  $('why-banner').textContent = verdict.label;
  $('why-verdict').textContent = `Environment ${verdict.environment.name}, privilege ${verdict.privilege}, severity ${verdict.severity}${verdict.conflict ? '; the signals disagree, so the louder reading is shown' : ''}.`;
  list('why-reasons', verdict.reasons);
  list('why-signals', why.signals.length ? why.signals.map((s) => `${s.name}: ${s.value}`) : ['none']);
  list('why-changes', why.changes);
  $('why-fix').hidden = !fix || Boolean(fix.refused);
  $('why-fix-refused').hidden = !fix?.refused;
  $('why-fix-refused').textContent = fix?.refused ? `The wrong-banner buttons are off: ${fix.refused}.` : '';
  if (fix && !fix.refused) {
    $('why-fix-question').textContent = `Wrong banner? This ${fix.noun} (${fix.value}) is:`;
    $('why-fix-choices').replaceChildren(
      ...fix.choices.map((environment) => {
        const button = document.createElement('button');
        button.type = 'button';
        button.textContent = environment;
        button.dataset.environment = environment;
        button.setAttribute('aria-pressed', String(environment === verdict.environment.name));
        return button;
      }),
    );
  }
  renderReport();
}

/** Adds the rule naming `environment`, saved as the options page saves (history and sync too). */
async function choose(environment) {
  const { glue, page, why } = shown;
  const buttons = [...$('why-fix-choices').querySelectorAll('button')];
  for (const button of buttons) button.disabled = true;
  try {
    await save(glue, page, why, environment);
  } finally {
    for (const button of buttons) button.disabled = false;
  }
}

async function save(glue, page, why, environment) {
  // Read again: a text saved or synced since the panel opened is the one the rule is added to.
  const texts = await readTexts();
  let text;
  try {
    text = glue.withEnvironmentRule(texts.user, texts.managed, texts.learned, page.url, JSON.stringify(page.signals ?? {}), environment);
  } catch (error) {
    setStatus(`Not added: ${error.message ?? error}.`, 'error');
    return;
  }
  let saved;
  try {
    saved = await store.saveLocal(text);
  } catch (error) {
    setStatus(`Not saved: ${error.message ?? error}. The saved configuration is unchanged.`, 'error');
    return;
  }
  let message = `Saved: ${why.fix.noun} ${why.fix.value} is ${environment}. The banner follows; the earlier text is in the options page's history.`;
  if (await store.readSyncEnabled()) {
    await store.writeSync(text, saved.savedAt).catch((error) => {
      message += ` Not synced: ${error.message ?? error}.`;
    });
  }
  await render();
  setStatus(message, 'ok');
}

function close() {
  $('why').hidden = true;
  for (const [part, wasHidden] of shown.hidden) part.hidden = wasHidden;
  $('why-open').focus();
}

/** Opens the panel for the tab `tabId`, standing in for `hide` (the filter and the list). */
export async function open(tabId, hide) {
  shown.tabId = tabId;
  if ($('why').hidden) shown.hidden = hide.map((part) => [part, part.hidden]);
  for (const part of hide) part.hidden = true;
  $('why').hidden = false;
  setStatus('');
  if (!shown.glue) {
    const glue = await import('../../pkg/redline_pages.js');
    await glue.default({ module_or_path: ext.runtime.getURL('pkg/redline_pages_bg.wasm') });
    shown.glue = glue;
    $('why-back').addEventListener('click', close);
    $('why-ids').addEventListener('change', () => shown.why && renderReport());
    $('why-copy').addEventListener('click', () =>
      navigator.clipboard.writeText($('why-report').textContent).then(
        () => setStatus('The report is on the clipboard.', 'ok'),
        (error) => setStatus(`Not copied (${error.message ?? error}): select the report below and copy it.`, 'error'),
      ),
    );
    $('why-fix-choices').addEventListener('click', (event) => {
      const environment = event.target.closest('button')?.dataset.environment;
      if (environment) choose(environment);
    });
    $('why').addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        // Not on to the popup's own Escape, which would close the popup.
        event.preventDefault();
        event.stopPropagation();
        close();
      }
    });
  }
  const key = `page:${tabId}`;
  shown.page = Number.isInteger(tabId) ? (await ext.storage.session.get(key))[key] ?? null : null;
  if (!shown.page) {
    shown.why = null;
    $('why-banner').textContent = 'This tab shows no console page redline has read.';
    for (const id of ['why-verdict', 'why-reasons', 'why-signals', 'why-changes', 'why-report']) $(id).replaceChildren();
    $('why-fix').hidden = $('why-fix-refused').hidden = true;
    $('why-back').focus();
    // A page that has just loaded: the worker answers it first and records it after.
    const recorded = (changes, area) => {
      if (area !== 'session' || !changes[key]?.newValue) return;
      ext.storage.onChanged.removeListener(recorded);
      if (!$('why').hidden && shown.tabId === tabId) open(tabId, []);
    };
    ext.storage.onChanged.addListener(recorded);
    return;
  }
  await render();
  $('why-back').focus();
}

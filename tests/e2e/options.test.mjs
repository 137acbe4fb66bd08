// The options page: an edit, checked live and saved there, reaches every open console tab at once;
// a broken edit changes nothing; imports become rules; earlier versions can be restored.
import { after, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ROOT, launchBrowser, readBanner, waitForBanner } from './harness.mjs';
import {
  accountRule,
  aesrProfiles,
  editorText,
  openAwsConsole,
  openOptions,
  paste,
  reportInViewInPage,
  resetStorage,
  sameDocument,
  save,
  setEditorText,
  storedConfig,
  inWorker,
} from './options-page.mjs';

let browser;
before(async () => {
  browser = await launchBrowser();
});
after(() => browser?.close());
beforeEach(() => resetStorage(browser));

const unknownOperator = { provider: 'aws', environment: 'unknown', privilege: 'readonly', severity: 'info' };
const is = (expect) => (banner) => Object.entries(expect).every(([key, value]) => banner[key] === value);

test('a rule saved on the options page repaints an already open console tab, without a reload', async () => {
  const tab = await openAwsConsole(browser, { account: '123456789012', alias: 'team-tools', role: 'Operator' });
  await waitForBanner(tab, is(unknownOperator), { what: 'the unknown banner of a neutral alias' });

  const options = await openOptions(browser);
  assert.match(await options.textContent('#editor-origin'), /not saved yet/);
  // Typed at the end of the seed text, as a user would.
  await options.focus('#editor');
  await options.keyboard.press('Control+End');
  await options.keyboard.insertText(accountRule('123456789012', 'prod'));
  const status = await save(options);
  assert.match(status, /^Saved at/);

  const banner = await waitForBanner(tab, is({ ...unknownOperator, environment: 'prod' }), { what: 'the prod banner' });
  assert.match(banner.text, /PROD/);
  assert.ok(await sameDocument(tab), 'the console tab was reloaded');
  assert.ok((await storedConfig(browser)).text.endsWith(accountRule('123456789012', 'prod')));
  assert.deepEqual(options.errors, []);
});

test('an invalid text shows its errors by line, cannot be saved, and changes neither storage nor banners', async () => {
  const options = await openOptions(browser);
  const valid = `${await editorText(options)}${accountRule('123456789012', 'staging')}`;
  await setEditorText(options, valid);
  await save(options);
  const tab = await openAwsConsole(browser, { account: '123456789012', alias: 'team-tools', role: 'Operator' });
  await waitForBanner(tab, is({ ...unknownOperator, environment: 'staging' }), { what: 'the staging banner' });
  const before = await storedConfig(browser);

  // An account id written as a number: an error on the id's line; the rule's header line is fine.
  const broken = `${valid}\n[[aws.accounts]]\nid = 123456789012\nenvironment = "prod"\n`;
  const badLine = broken.split('\n').indexOf('id = 123456789012') + 1;
  await setEditorText(options, broken);
  assert.equal(await options.getAttribute('#editor', 'data-state'), 'invalid');
  assert.ok(await options.isDisabled('#save'), 'Save is enabled for a text with errors');
  assert.match(await options.textContent('#validity'), /1 error.*fix the errors to save/);
  const item = options.locator('#diagnostics li.error button').first();
  assert.equal(Number(await item.getAttribute('data-line')), badLine);
  assert.match(await item.textContent(), new RegExp(`Error line ${badLine}, column \\d+: aws\\.accounts\\[\\d+\\]\\.id: is a number, expected a string`));
  // Clicking the problem puts the caret on its line, which the gutter marks with a symbol, not only a colour.
  await item.click();
  await options.waitForSelector(`#gutter .mark-error[data-line="${badLine}"]`);
  assert.equal(await options.textContent(`#gutter .mark-error[data-line="${badLine}"]`), `✖ ${badLine}`);
  const caret = await options.evaluate(() => {
    const editor = document.getElementById('editor');
    return { focused: document.activeElement === editor, line: editor.value.slice(0, editor.selectionStart).split('\n').length, selected: editor.value.slice(editor.selectionStart, editor.selectionEnd) };
  });
  assert.deepEqual(caret, { focused: true, line: badLine, selected: caret.selected });
  assert.ok('id = 123456789012'.endsWith(caret.selected) && caret.selected.length > 0, caret.selected);

  // Even forced, no save happens; nothing changed anywhere.
  await options.evaluate(() => document.getElementById('save').removeAttribute('disabled'));
  await options.click('#save');
  assert.match(await options.textContent('#save-status'), /Not saved: the text has errors/);
  assert.deepEqual(await storedConfig(browser), before);
  await sleep(300);
  assert.equal((await readBanner(tab)).environment, 'staging');
  assert.deepEqual(options.errors, []);
});

const importFile = (name) => join(ROOT, 'tests/fixtures/import', name);

test('Extend Switch Roles and ~/.aws/config imports, added and saved, decide the banners of open console tabs', async () => {
  const accounts = [
    { account: '111122223333', role: 'Admin', expect: { environment: 'prod', privilege: 'admin', severity: 'danger' } },
    { account: '333344445555', role: 'Operator', expect: { environment: 'dev', privilege: 'readonly', severity: 'info' } },
    {
      account: '222233334444',
      role: 'AWSReservedSSO_ReadOnlyAccess_0123456789abcdef',
      expect: { environment: 'staging', privilege: 'readonly', severity: 'info' },
    },
    {
      account: '555566667777',
      role: 'AWSReservedSSO_PowerUserAccess_0123456789abcdef',
      expect: { environment: 'ci', privilege: 'write', severity: 'info' },
    },
  ];
  const tabs = [];
  for (const row of accounts) {
    const tab = await openAwsConsole(browser, { account: row.account, alias: 'acme-main', role: row.role });
    await waitForBanner(tab, (b) => b.environment === 'unknown', { what: `the unknown banner of ${row.account}` });
    tabs.push(tab);
  }

  const options = await openOptions(browser);
  // Extend Switch Roles: picked as a file.
  await options.selectOption('#import-source', 'aesr');
  await options.setInputFiles('#import-file', importFile('extend-switch-roles.ini'));
  await options.waitForSelector('#import-report:not([hidden])');
  assert.match(await options.textContent('#import-summary'), /AWS Extend Switch Roles: 4 switch targets/);
  const report = await options.$$eval('#import-report tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.ok(report.some(([line, outcome, message]) => line === '21' && /ignored/.test(outcome) && /images are not shown/.test(message)), JSON.stringify(report));
  assert.ok(report.some(([line, outcome, message]) => line === '16' && /converted/.test(outcome) && /colour #FF0000/.test(message)), JSON.stringify(report));
  await options.click('#import-add');
  assert.match(await editorText(options), /# Imported from AWS Extend Switch Roles[^\n]*\n\[\[targets\]\]/);

  // A file that is not UTF-8 is refused, saying where, as the AWS CLI refuses it; the text before stays.
  const picked = await options.inputValue('#import-text');
  const notUtf8 = join(mkdtempSync(join(tmpdir(), 'redline-')), 'latin1.ini');
  writeFileSync(notUtf8, Buffer.from('[profile caf\xe9]\nregion = eu-west-1\n', 'latin1'));
  await options.setInputFiles('#import-file', notUtf8);
  await options.waitForFunction(() => /not UTF-8/.test(document.getElementById('import-summary').textContent));
  assert.match(await options.textContent('#import-summary'), /^Could not read latin1\.ini: it is not UTF-8 text \(byte 12 cannot start a character, counting from 0\)/);
  assert.equal(await options.inputValue('#import-text'), picked);

  // ~/.aws/config: pasted.
  await options.selectOption('#import-source', 'aws-config');
  await options.fill('#import-text', readFileSync(importFile('aws-config.ini'), 'utf8'));
  await options.click('#import-convert');
  await options.waitForFunction(() => /~\/\.aws\/config: 3 switch targets/.test(document.getElementById('import-summary').textContent));
  const cliReport = await options.$$eval('#import-report tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.ok(cliReport.some(([line, outcome, message]) => line === '20' && /ignored/.test(outcome) && /'mfa_serial' is not needed/.test(message)), JSON.stringify(cliReport));
  await options.click('#import-add');
  // Both imports name 111122223333 prod: a warning, which does not block saving.
  await options.waitForSelector('#editor[data-state="valid"]');
  assert.match(await options.textContent('#diagnostics'), /Warning line \d+, column 1: aws\.accounts\[\d+\]: repeats an earlier rule/);
  assert.match(await save(options), /^Saved at/);

  for (const [index, row] of accounts.entries()) {
    await waitForBanner(tabs[index], is({ provider: 'aws', ...row.expect }), { what: `${row.account} as ${row.expect.environment}` });
    assert.ok(await sameDocument(tabs[index]));
  }
  assert.deepEqual(options.errors, []);
});

test('each save keeps the previous version (the last 10), and restoring one puts its text back in the editor', async () => {
  const options = await openOptions(browser);
  const seed = await editorText(options);
  const version = (n) => `${seed}${accountRule(`1000000000${String(n).padStart(2, '0')}`, 'dev')}`;
  await setEditorText(options, version(1));
  await save(options);
  assert.equal(await options.locator('#history li').count(), 0, 'the first save has no earlier version');
  await setEditorText(options, version(2));
  await save(options);
  assert.equal(await options.locator('#history li').count(), 1);

  await options.click('#history li button');
  assert.equal(await editorText(options), version(1));
  assert.match(await options.textContent('#save-status'), /is in the editor\. Save to use it\./);
  // Restoring does not save: the stored text is still the second version.
  assert.equal((await storedConfig(browser)).text, version(2));

  for (let n = 3; n <= 13; n++) {
    await setEditorText(options, version(n));
    await save(options);
  }
  const history = await options.$$eval('#history li', (items) => items.length);
  assert.equal(history, 10);
  // Stored compressed, so ten versions of a large configuration do not fill local storage.
  const stored = await inWorker(browser, async () => (await chrome.storage.local.get('history')).history);
  assert.equal(stored.length, 10);
  assert.ok(stored.every((entry) => typeof entry.packed === 'string' && !('text' in entry)), JSON.stringify(stored[0]).slice(0, 200));
  // Newest first: the one saved before the current (13) is 12.
  await options.click('#history li:first-child button');
  assert.equal(await editorText(options), version(12));
  assert.deepEqual(options.errors, []);
});

test('the banner preview includes what the access portals taught, as the banner does', async () => {
  const portal = 'https://d-1234567890.awsapps.com/start';
  const text = `# Learned from the access portal ${portal} (names and ids only).\n\n[[aws.accounts]]\nid = "123456789012"\nlabel = "Acme Learned"\n`;
  await inWorker(browser, (learned) => chrome.storage.local.set({ learned }), { [portal]: { text, accounts: [{ id: '123456789012', name: 'Acme Learned' }], learnedAt: new Date().toISOString() } });
  const options = await openOptions(browser);
  await options.fill('#preview-url', 'https://eu-west-2.console.aws.amazon.com/console/home');
  const session = { accountId: '123456789012', sessionARN: 'arn:aws:sts::123456789012:assumed-role/Operator/jane' };
  await options.fill('#preview-signals', JSON.stringify({ awsSessionData: JSON.stringify(session) }));
  await options.waitForFunction(() => document.getElementById('preview-banner').textContent.includes('Acme Learned'));
  // Learned while the page is open: the preview follows.
  const later = text.replace('Acme Learned', 'Acme Relearned');
  await inWorker(browser, (learned) => chrome.storage.local.set({ learned }), { [portal]: { text: later, accounts: [{ id: '123456789012', name: 'Acme Relearned' }], learnedAt: new Date().toISOString() } });
  await options.waitForFunction(() => document.getElementById('preview-banner').textContent.includes('Acme Relearned'));
  assert.deepEqual(options.errors, []);
});

test('the banner preview shows what the edited, unsaved text would give, painted like the banner', async () => {
  const options = await openOptions(browser);
  await options.fill('#preview-url', 'https://eu-west-2.console.aws.amazon.com/console/home');
  await options.fill('#preview-signals', JSON.stringify({ awsNavAccountId: '1234-5678-9012', awsNavUser: 'Admin/jane @ team-tools' }));
  await options.waitForFunction(() => document.getElementById('preview-banner').dataset.environment === 'unknown');
  await setEditorText(options, `${await editorText(options)}${accountRule('123456789012', 'prod')}`);
  const banner = await options.$eval('#preview-banner', (el) => ({ ...el.dataset, text: el.textContent, background: getComputedStyle(el).backgroundColor, children: el.children.length }));
  assert.deepEqual(
    { environment: banner.environment, privilege: banner.privilege, severity: banner.severity, provider: banner.provider },
    { environment: 'prod', privilege: 'admin', severity: 'danger', provider: 'aws' },
  );
  assert.match(banner.text, /PROD · Admin\/jane/);
  assert.equal(banner.children, 0, 'text only');
  assert.equal(banner.background, 'rgb(179, 38, 30)');
  // Nothing was saved by previewing.
  assert.equal(await storedConfig(browser), null);

  // Page text never becomes markup.
  await options.fill('#preview-signals', JSON.stringify({ awsNavAccountId: '1234-5678-9012', awsNavUser: 'Admin/jane @ <img src=x onerror=alert(1)>' }));
  await options.waitForFunction(() => document.getElementById('preview-banner').textContent.includes('<img'));
  assert.equal(await options.$$eval('#preview-banner *', (els) => els.length), 0);
  assert.deepEqual(options.errors, []);
});

test('export downloads the editor text as redline.toml', async () => {
  const options = await openOptions(browser);
  const text = `${await editorText(options)}${accountRule('123456789012', 'ci')}`;
  await setEditorText(options, text);
  const [download] = await Promise.all([options.waitForEvent('download'), options.click('#export')]);
  assert.equal(download.suggestedFilename(), 'redline.toml');
  const path = await download.path();
  assert.equal(readFileSync(path, 'utf8'), text);
});

test('a portal that is not an AWS https:// address is refused at its line, in the editor and in an import', async () => {
  const options = await openOptions(browser);
  const seed = await editorText(options);
  const target = (portal) => `\n[[targets]]\nprovider = "aws"\naccount = "111122223333"\nrole = "Operator"\nportal = "${portal}"\n`;
  for (const [portal, why] of [
    ['javascript:alert(1)', /is a javascript: address/],
    ['https://evil.example/start', /is on evil\.example, not an AWS access portal host/],
  ]) {
    const text = seed + target(portal);
    const line = text.split('\n').indexOf(`portal = "${portal}"`) + 1;
    await setEditorText(options, text);
    assert.ok(await options.isDisabled('#save'), `Save is enabled with portal ${portal}`);
    const item = options.locator('#diagnostics li.error button').first();
    assert.equal(Number(await item.getAttribute('data-line')), line);
    assert.match(await item.textContent(), why);
  }
  await options.selectOption('#import-source', 'aws-config');
  await options.fill('#import-text', '[profile evil]\nsso_start_url = javascript:alert(1)\nsso_account_id = 111122223333\nsso_role_name = Admin\n');
  await options.click('#import-convert');
  await options.waitForSelector('#import-report:not([hidden])');
  const report = await options.$$eval('#import-report tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  assert.ok(report.some(([line, outcome, message]) => line === '2' && /refused/.test(outcome) && /javascript: address/.test(message)), JSON.stringify(report));
  assert.match(await options.textContent('#import-summary'), /0 switch targets.*refused as unsafe/);
  assert.ok(await options.isDisabled('#import-add'), 'nothing to add');
  assert.deepEqual(options.errors, []);
});

test('the report of 5,000 imported profiles states its row count and shows the right rows in view at the top, the middle and the end', async () => {
  const count = 5_000;
  const text = aesrProfiles(count);
  const options = await openOptions(browser);
  await options.selectOption('#import-source', 'aesr');
  await paste(options, '#import-text', text);
  await options.click('#import-convert');
  await options.waitForFunction(() => /5,000 switch targets/.test(document.getElementById('import-summary').textContent));
  // The base profile's 3 keys; for each profile its 5 keys and its header twice (the target, and
  // the environment its name gives), and for each prod one (a quarter) its alias.
  const rows = 3 + count * 7 + count / 4;
  assert.equal(await options.textContent('#import-caption'), `What became of each line: ${rows.toLocaleString('en-US')} rows`);
  // What the table must show at each row: the core's report, as the page words outcomes.
  const expected = await options.evaluate(async (value) => {
    const { importConfig } = await import('/pkg/redline_pages.js');
    const words = { converted: '✔ converted', ignored: '– ignored', refused: '✖ refused' };
    return JSON.parse(importConfig(value, 'aesr')).report.map((r) => [String(r.line), words[r.outcome], r.message]);
  }, text);
  assert.equal(expected.length, rows);

  /** The rows in view, checked against the core's: contiguous, no gap, only a screenful in the table. */
  const inView = async (where) => {
    const seen = await options.evaluate(reportInViewInPage);
    assert.equal(seen.rowCount, rows + 1, `${where}: aria-rowcount counts the header too`);
    assert.ok(seen.covered, `${where}: the rows in view leave a gap: ${JSON.stringify(seen.rows.map((row) => row.index))}`);
    assert.ok(seen.drawn < 100, `${where}: ${seen.drawn} rows in the table`);
    for (const [offset, row] of seen.rows.entries()) {
      assert.equal(row.index, seen.rows[0].index + offset, `${where}: rows in order`);
      assert.ok(Math.abs(row.place - row.index) < 0.01, `${where}: row ${row.index} stands at ${row.place}`);
      assert.deepEqual(row.cells, expected[row.index - 2], `${where}: row ${row.index}`);
    }
    return seen.rows.map((row) => row.index);
  };
  // Scrolling draws the rows in the frame after it.
  const settled = () => options.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

  assert.equal((await inView('at the top'))[0], 2);

  await options.evaluate(() => {
    const view = document.getElementById('import-report');
    view.scrollTop = (view.scrollHeight - view.clientHeight) / 2;
  });
  await settled();
  const middle = await inView('in the middle');
  assert.ok(middle.some((index) => Math.abs(index - rows / 2) < 30), `rows ${middle[0]}–${middle.at(-1)} of ${rows} in the middle`);

  // To the end with the keyboard (keyboard scrolling may be animated: wait for the last row).
  await options.focus('#import-report');
  await options.keyboard.press('End');
  await options.waitForFunction(
    (last) => {
      const row = document.querySelector(`#import-report tr[aria-rowindex="${last}"]`);
      const view = document.getElementById('import-report');
      return row && row.getBoundingClientRect().bottom <= view.getBoundingClientRect().bottom;
    },
    rows + 1,
  );
  await settled();
  const end = await inView('at the end');
  assert.equal(end.at(-1), rows + 1);
  const lastLine = text.trimEnd().split('\n').length;
  assert.deepEqual(expected.at(-1), [String(lastLine), '✔ converted', `region → target [team-${count - 1}-prod]`]);
  assert.deepEqual(options.errors, []);
});

// The wasm the service worker loads stays within its budget (the issue: 250,000 B after wasm-opt);
// a size is deterministic, so a test holds it. The options page's module may be larger, but it
// must be the worker's plus the importers, not a second copy of everything by mistake.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = `${root}/dist/redline/pkg`;
const WORKER_BUDGET = 250_000;

test(`the worker's wasm is at most ${WORKER_BUDGET} bytes`, () => {
  const size = statSync(`${pkg}/redline_bg.wasm`).size;
  assert.ok(size <= WORKER_BUDGET, `dist/redline/pkg/redline_bg.wasm is ${size} B, over the budget of ${WORKER_BUDGET} B`);
});

test("only the options page's module has the importers, and the options page loads it", async () => {
  const worker = await import(`${pkg}/redline.js`);
  const pages = await import(`${pkg}/redline_pages.js`);
  assert.equal(worker.importConfig, undefined, 'the worker module should leave the importers out');
  assert.equal(typeof pages.importConfig, 'function');
  pages.initSync({ module: readFileSync(`${pkg}/redline_pages_bg.wasm`) });
  const imported = JSON.parse(pages.importConfig('[dev]\naws_account_id = 111122223333\nrole_name = Operator\n', 'aesr'));
  assert.equal(imported.targets, 1, JSON.stringify(imported));
  const options = readFileSync(`${root}/dist/redline/extension/options/options.js`, 'utf8');
  assert.match(options, /pkg\/redline_pages\.js/);
  assert.match(options, /pkg\/redline_pages_bg\.wasm/);
});

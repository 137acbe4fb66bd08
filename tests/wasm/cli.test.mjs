// One table of inputs through the native command line and through the wasm build the extension
// runs: the same core must give the same answers, byte for byte where both print JSON.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = `${root}/dist/redline/pkg`;
const worker = await import(`${pkg}/redline.js`);
worker.initSync({ module: readFileSync(`${pkg}/redline_bg.wasm`) });
const pages = await import(`${pkg}/redline_pages.js`);
pages.initSync({ module: readFileSync(`${pkg}/redline_pages_bg.wasm`) });

const CLI = join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'debug/redline');
before(() => execFileSync('cargo', ['build', '--quiet', '--bin', 'redline'], { cwd: root, stdio: 'inherit' }));

/** The command's standard output; its exit status must be `status`. */
function cli(args, { input, status = 0 } = {}) {
  const run = spawnSync(CLI, args, { cwd: root, input, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(run.status, status, `redline ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

const fixture = (name) => `tests/fixtures/${name}`;
const text = (name) => readFileSync(join(root, fixture(name)), 'utf8');
const consoleRows = ['aws.json', 'azure.json', 'gcp.json', 'aiven.json'].flatMap((table) =>
  JSON.parse(text(table)).cases.map((row) => ({ ...row, table })),
);
const configurations = readdirSync(join(root, 'tests/fixtures/cli')).filter((name) => name.endsWith('.toml')).map((name) => `cli/${name}`);

/** The fixture convention: an object stands for its JSON text, URL-encoded for the cookie. */
const signalsOf = (row) =>
  JSON.stringify(
    Object.fromEntries(
      Object.entries(row.signals).map(([key, value]) => {
        if (typeof value === 'string') return [key, value];
        const json = JSON.stringify(value);
        return [key, key === 'awsUserInfo' ? encodeURIComponent(json) : json];
      }),
    ),
  );

test('explain prints the verdict the wasm gives, for every console fixture row, under the seed and under each configuration', () => {
  let compared = 0;
  for (const config of [null, 'cli/targets.toml']) {
    const engine = new worker.Redline();
    if (config) assert.ok(JSON.parse(engine.configure(text(config), undefined, undefined)).applied, config);
    for (const row of consoleRows) {
      const signals = signalsOf(row);
      const args = ['explain', row.url, '--signals', signals, '--format', 'json', ...(config ? ['--config', fixture(config)] : [])];
      assert.equal(cli(args).trimEnd(), engine.evaluate(row.url, signals), `${row.table} ${row.name} under ${config ?? 'the seed'}`);
      compared += 1;
    }
  }
  assert.equal(compared, 2 * consoleRows.length);
});

test('check reports what configuring in the wasm reports, at the same lines and columns', () => {
  for (const config of configurations) {
    const engine = new worker.Redline();
    const { user } = JSON.parse(engine.configure(text(config), undefined, undefined));
    const errors = user.some((d) => d.level === 'error');
    const printed = JSON.parse(cli(['check', fixture(config), '--format', 'json'], { status: errors ? 1 : 0 }));
    assert.deepEqual(
      printed.map(({ line, column, level, message }) => JSON.stringify({ line, column, level, message })),
      user.map(({ line, column, level, message }) => JSON.stringify({ line, column, level, message })),
      config,
    );
  }
});

test("targets lists the popup's rows, byte for byte as the popup gets them, and filters as the popup does", () => {
  const config = 'cli/targets.toml';
  const engine = new worker.Redline();
  engine.configure(text(config), undefined, undefined);
  const list = JSON.parse(engine.popupList());
  const rows = list.rows.split('\n');
  const printed = JSON.parse(cli(['targets', fixture(config), '--format', 'json']));
  assert.ok(rows.length >= 3, 'the table has rows to compare');
  assert.deepEqual(printed.map((row) => JSON.stringify(row)), rows);
  for (const query of ['admin', 'prod 1111', 'aiven dev', 'nothing-matches']) {
    const filtered = JSON.parse(cli(['targets', fixture(config), '--filter', query, '--format', 'json']));
    const positions = [...engine.filterTargets(query)];
    assert.deepEqual(filtered.map((row) => JSON.stringify(row)), positions.map((p) => rows[p]), query);
  }
});

test("import prints the options page's conversion of each importer's fixture", () => {
  for (const [source, file, kind] of [['aesr', 'import/extend-switch-roles.ini', 'aesr'], ['aws-config', 'import/aws-config.ini', 'aws-config']]) {
    const converted = JSON.parse(pages.importConfig(text(file), kind));
    assert.equal(cli(['import', source, fixture(file)]), converted.text, file);
  }
});

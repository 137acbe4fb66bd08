// The package both stores take: Mozilla's own linter (web-ext lint, what addons.mozilla.org runs on
// upload) finds no error in the built extension, and the zip holds the extension and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = `${root}/dist/redline`;
const manifest = JSON.parse(readFileSync(`${root}/manifest.json`, 'utf8'));

// Firefox ignores `background.service_worker`, which Chromium needs: the one manifest keeps it
// beside `background.scripts`, and the linter says so.
const EXPECTED_WARNINGS = ['BACKGROUND_SERVICE_WORKER_IGNORED'];

test('web-ext lint finds no error and no warning but the service worker Firefox ignores', () => {
  const run = spawnSync(`${root}/node_modules/.bin/web-ext`, ['lint', '--source-dir', dist, '--output', 'json', '--no-config-discovery'], {
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const start = run.stdout.indexOf('{');
  assert.ok(start >= 0, `web-ext lint printed no report: ${run.stderr}`);
  const report = JSON.parse(run.stdout.slice(start));
  const describe = (messages) => messages.map((m) => `${m.code} ${m.file ?? ''}: ${m.message}`).join('\n');
  assert.deepEqual(report.errors, [], describe(report.errors));
  assert.deepEqual(
    report.warnings.map((m) => m.code),
    EXPECTED_WARNINGS,
    describe(report.warnings),
  );
});

test('the zip holds the manifest, the extension and the core, and its manifest is the source one', () => {
  const zip = `${root}/dist/redline-${manifest.version}.zip`;
  const names = execFileSync('python3', ['-m', 'zipfile', '-l', zip], { encoding: 'utf8' })
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/)[0])
    .filter(Boolean);
  const outside = names.filter((name) => !(name === 'manifest.json' || name.startsWith('extension/') || name.startsWith('pkg/')));
  assert.deepEqual(outside, [], 'nothing but the extension in the package');
  for (const needed of ['manifest.json', 'extension/worker/service-worker.js', 'pkg/redline_bg.wasm', 'pkg/redline_pages_bg.wasm']) {
    assert.ok(names.includes(needed), `${needed} is in the package`);
  }
  const read = 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("manifest.json").decode())';
  const packed = JSON.parse(execFileSync('python3', ['-c', read, zip], { encoding: 'utf8' }));
  assert.deepEqual(packed, manifest);
});

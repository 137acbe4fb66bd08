// The packages the two stores take: Mozilla's own linter (web-ext lint, what addons.mozilla.org runs
// on upload) finds no error in Firefox's, and each zip holds the extension and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const manifest = JSON.parse(readFileSync(`${root}/manifest.json`, 'utf8'));

// Firefox ignores `background.service_worker`, which Chromium needs: the one manifest keeps it
// beside `background.scripts`, and the linter says so.
const EXPECTED_WARNINGS = ['BACKGROUND_SERVICE_WORKER_IGNORED'];

/** The names in a zip, and a file of it as text. */
const namesIn = (zip) =>
  execFileSync('python3', ['-m', 'zipfile', '-l', zip], { encoding: 'utf8' })
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/)[0])
    .filter(Boolean);
const read = (zip, name) =>
  execFileSync('python3', ['-c', 'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())', zip, name], {
    encoding: 'utf8',
  });
const PACKAGES = {
  chromium: `${root}/dist/redline-chromium-${manifest.version}.zip`,
  firefox: `${root}/dist/redline-firefox-${manifest.version}.zip`,
};

test("web-ext lint on the Firefox package finds no error and no warning but the service worker Firefox ignores", () => {
  const unpacked = mkdtempSync(join(tmpdir(), 'redline-firefox-package-'));
  try {
    execFileSync('python3', ['-m', 'zipfile', '-e', PACKAGES.firefox, unpacked]);
    const run = spawnSync(`${root}/node_modules/.bin/web-ext`, ['lint', '--source-dir', unpacked, '--output', 'json', '--no-config-discovery'], {
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
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
});

for (const [engine, zip] of Object.entries(PACKAGES)) {
  test(`the ${engine} package holds the manifest, the extension and the core, and nothing else`, () => {
    const names = namesIn(zip);
    const outside = names.filter((name) => !(name === 'manifest.json' || name.startsWith('extension/') || name.startsWith('pkg/')));
    assert.deepEqual(outside, [], 'nothing but the extension in the package');
    for (const needed of ['manifest.json', 'extension/worker/service-worker.js', 'pkg/redline_bg.wasm', 'pkg/redline_pages_bg.wasm']) {
      assert.ok(names.includes(needed), `${needed} is in the package`);
    }
  });
}

test("both packages' manifest is the source one without Chrome's key, which neither store takes", () => {
  const { key, ...withoutKey } = manifest;
  assert.ok(key, 'the source manifest has a key (for unpacked loads)');
  for (const zip of Object.values(PACKAGES)) assert.deepEqual(JSON.parse(read(zip, 'manifest.json')), withoutKey, zip);
});

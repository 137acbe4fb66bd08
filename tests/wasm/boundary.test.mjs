// The wasm boundary as the extension uses it: the built module, JSON in, JSON out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const { initSync, Redline } = await import(`${root}/dist/redline/pkg/redline.js`);
initSync({ module: readFileSync(`${root}/dist/redline/pkg/redline_bg.wasm`) });
const engine = new Redline();
const table = (name) => JSON.parse(readFileSync(`${root}/tests/fixtures/${name}`, 'utf8')).cases;
const cases = table('aws.json');
const allCases = ['aws.json', 'azure.json', 'gcp.json', 'aiven.json'].flatMap(table);

/** The fixture convention: an object stands for its JSON text, URL-encoded for the cookie. */
function signalsOf(row) {
  return Object.fromEntries(
    Object.entries(row.signals).map(([key, value]) => {
      if (typeof value === 'string') return [key, value];
      const json = JSON.stringify(value);
      return [key, key === 'awsUserInfo' ? encodeURIComponent(json) : json];
    }),
  );
}

test('every fixture of every console gives the same verdict through the wasm as natively', () => {
  for (const row of allCases) {
    const verdict = JSON.parse(engine.evaluate(row.url, JSON.stringify(signalsOf(row))));
    if (row.expect === null) {
      assert.equal(verdict, null, row.name);
      continue;
    }
    const { expect } = row;
    assert.deepEqual(
      [verdict.provider, verdict.environment.kind, verdict.privilege, verdict.severity, verdict.account.id, verdict.principal.role, verdict.conflict],
      [expect.provider, expect.environment, expect.privilege, expect.severity, expect.account, expect.role, expect.conflict ?? false],
      row.name,
    );
    for (const text of expect.text) assert.ok(verdict.label.includes(text), `${row.name}: ${verdict.label} lacks ${text}`);
  }
});

test('a verdict carries every field the extension reads, with the right types', () => {
  const row = cases.find((c) => c.name === 'aws-prod-admin');
  const verdict = JSON.parse(engine.evaluate(row.url, JSON.stringify(signalsOf(row))));
  assert.equal(typeof verdict.label, 'string');
  assert.match(verdict.badge, /^\S{1,4}$/);
  assert.match(verdict.colors.background, /^#[0-9A-F]{6}$/);
  assert.match(verdict.colors.foreground, /^#[0-9A-F]{6}$/);
  assert.ok(Array.isArray(verdict.reasons) && verdict.reasons.length >= 3);
  assert.equal(verdict.principal.kind, 'assumed-role');
  assert.equal(verdict.environment.label, 'PROD');
  assert.equal(verdict.providerName, 'AWS');
});

test('malformed signals are an error that says what is wrong', () => {
  assert.throws(() => engine.evaluate('https://console.aws.amazon.com/', '{"awsNavUser": 3}'), /page signals.*string/);
  assert.throws(() => engine.evaluate('https://console.aws.amazon.com/', 'not json'), /page signals/);
});

test('unknown signal names are ignored, so a newer content script cannot break an older core', () => {
  const verdict = JSON.parse(engine.evaluate('https://console.aws.amazon.com/', '{"someFutureSignal": "x"}'));
  assert.equal(verdict.environment.kind, 'unknown');
});

test('a URL that is not a console gives null', () => {
  assert.equal(engine.evaluate('https://example.com/', '{}'), 'null');
  assert.equal(engine.evaluate('not a url', '{}'), 'null');
});

test("a danger verdict's guard carries the core's pattern and the confirmation word, not the verbs", () => {
  const row = cases.find((c) => c.name === 'aws-prod-admin');
  const { guard } = JSON.parse(engine.evaluate(row.url, JSON.stringify(signalsOf(row)))).danger;
  assert.equal(guard.confirm, 'prod');
  assert.match(guard.pattern, /\(\?i:delete\)/);
  assert.equal(guard.verbs, undefined);
});

test('a snapshot is restored from the UTF-8 of exactly the texts it was taken of, and from nothing else', () => {
  // U+FFFD in the text: bytes that are not UTF-8, read leniently, would read as this very text.
  const user = `${readFileSync(`${root}/src/config/seed.toml`, 'utf8')}\n[[aws.accounts]]\nid = "123456789012"\nenvironment = "prod"\n# é ✓ \uFFFD\n`;
  const configured = new Redline();
  assert.equal(JSON.parse(configured.configure(user, undefined, undefined)).applied, true);
  const bytes = configured.snapshot(user, undefined, undefined);
  const utf8 = (text) => new TextEncoder().encode(text);
  const page = JSON.stringify({ awsNavAccountId: '1234-5678-9012', awsNavUser: 'Operator/jane @ x' });

  const restarted = new Redline();
  assert.equal(restarted.restore(bytes, utf8(`${user} `), undefined, undefined), false, 'another text');
  assert.equal(restarted.restore(bytes, utf8(user), utf8('[aws]'), undefined), false, 'a managed text it was not taken with');
  const valid = utf8(user);
  const replacement = valid.length - 4; // EF BF BD, then the newline
  assert.deepEqual([...valid.subarray(replacement, replacement + 3)], [0xef, 0xbf, 0xbd]);
  const invalid = new Uint8Array([...valid.subarray(0, replacement), 0xff, ...valid.subarray(replacement + 3)]);
  assert.equal(restarted.restore(bytes, invalid, undefined, undefined), false, 'bytes that are not UTF-8');
  assert.equal(JSON.parse(restarted.evaluate('https://console.aws.amazon.com/', page)).environment.kind, 'unknown', 'nothing restored yet');
  assert.equal(restarted.restore(bytes, utf8(user), undefined, undefined), true);
  assert.equal(JSON.parse(restarted.evaluate('https://console.aws.amazon.com/', page)).environment.kind, 'prod');
});

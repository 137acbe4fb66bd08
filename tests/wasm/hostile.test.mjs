// The hostile catalogue through the wasm, whose stack is small enough for a deep text to trap: every
// row is refused (or accepted) with its message, and the engine keeps answering with the
// configuration in force.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SEED = readFileSync(`${root}/src/config/seed.toml`, 'utf8');
const { initSync, Redline } = await import(`${root}/dist/redline/pkg/redline.js`);
initSync({ module: readFileSync(`${root}/dist/redline/pkg/redline_bg.wasm`) });
const { cases } = JSON.parse(readFileSync(`${root}/tests/fixtures/hostile/config.json`, 'utf8'));

const textOf = ({ text, build }) =>
  text ?? build.prefix + Array.from({ length: build.times }, (_, i) => build.repeat.replaceAll('{i}', String(i))).join('') + build.suffix;

const GOOD = `${SEED}\n[[aws.accounts]]\nid = "111122223333"\nenvironment = "prod"\n`;
const SIGNALS = JSON.stringify({ awsSessionData: JSON.stringify({ accountId: '111122223333' }) });

test('every hostile configuration is answered with its message and the engine keeps its configuration', () => {
  const engine = new Redline();
  assert.equal(JSON.parse(engine.configure(GOOD)).applied, true);
  for (const row of cases) {
    const result = JSON.parse(engine.configure(textOf(row)));
    if (row.expect.level === 'ok') {
      assert.equal(result.applied, true, `${row.name}: ${JSON.stringify(result.user[0])}`);
      engine.configure(GOOD);
    } else {
      assert.equal(result.applied, false, row.name);
      const first = result.user.find((d) => d.level === 'error');
      assert.ok(first.message.includes(row.expect.message), `${row.name}: ${first.message}`);
      if (row.expect.line !== undefined) assert.equal(first.line, row.expect.line, row.name);
    }
    const verdict = JSON.parse(engine.evaluate('https://console.aws.amazon.com/', SIGNALS));
    assert.equal(verdict.environment.name, 'prod', `${row.name}: the configuration in force was lost`);
  }
});

// The wasm as the extension runs it: size (raw and gzip), instantiation, evaluate() per call, and
// parse + validate + evaluate of a 5,000-profile configuration.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const SEED = readFileSync(`${root}/src/config/seed.toml`, 'utf8');
const wasm = readFileSync(`${root}/dist/redline/pkg/redline_bg.wasm`);
const glue = readFileSync(`${root}/dist/redline/pkg/redline.js`);
const { initSync, Redline } = await import(`${root}/dist/redline/pkg/redline.js`);

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const summary = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
};

let started = performance.now();
initSync({ module: wasm });
const engine = new Redline();
const instantiateMs = performance.now() - started;

// Every console fixture, as the content script would send it.
const cases = readdirSync(`${root}/tests/fixtures`)
  .filter((name) => name.endsWith('.json'))
  .flatMap((name) => JSON.parse(readFileSync(`${root}/tests/fixtures/${name}`, 'utf8')).cases);
const calls = cases.map((row) => [
  row.url,
  JSON.stringify(
    Object.fromEntries(
      Object.entries(row.signals).map(([k, v]) => [k, typeof v === 'string' ? v : k === 'awsUserInfo' ? encodeURIComponent(JSON.stringify(v)) : JSON.stringify(v)]),
    ),
  ),
]);
// Warm-up first, so the figures are of optimised code, as in a worker that has been running.
for (let round = 0; round < 200; round++) for (const [url, signals] of calls) engine.evaluate(url, signals);
const rounds = 500;
const perCallUs = [];
for (let round = 0; round < rounds; round++) {
  const t0 = performance.now();
  for (const [url, signals] of calls) JSON.parse(engine.evaluate(url, signals));
  perCallUs.push(((performance.now() - t0) * 1000) / calls.length);
}
const evaluateUs = summary(perCallUs);

// 5,000 profiles: an account rule and a switch target each, on top of the seed.
let big = SEED;
for (let i = 0; i < 5000; i++) {
  const account = String(100000000000 + i);
  big += `\n[[aws.accounts]]\nid = "${account}"\nenvironment = "${['dev', 'ci', 'staging', 'prod'][i % 4]}"\n`;
  big += `\n[[targets]]\nprovider = "aws"\nlabel = "team-${i}"\naccount = "${account}"\nrole = "Operator"\nregion = "eu-west-2"\n`;
}
const lastAccount = JSON.stringify({ awsNavAccountId: '1000-0000-4999', awsNavUser: 'Operator/jane @ x' });
const bigRuns = [];
for (let run = 0; run < 30; run++) {
  const fresh = new Redline();
  started = performance.now();
  const result = JSON.parse(fresh.configure(big, undefined, undefined));
  const verdict = JSON.parse(fresh.evaluate('https://console.aws.amazon.com/', lastAccount));
  bigRuns.push(performance.now() - started);
  if (!result.applied || verdict.environment.kind !== 'prod') throw new Error('the 5,000-profile configuration did not apply');
  fresh.free();
}
const big5000 = summary(bigRuns);


// Every page signal at its limit (4 KiB each), the most a page can make one evaluate read.
const atCap = (unit) => unit.repeat(Math.ceil(4096 / unit.length)).slice(0, 4096);
const capped = JSON.stringify({
  awsSessionData: `{"accountId":"111122223333","accountAlias":"${atCap('acme-prod-').slice(0, 4000)}"}`,
  awsRegion: atCap('eu-west-2 '),
  awsUserInfo: atCap('%7B%22arn%22'),
  awsNavAccountId: atCap('Account ID: 1111-2222-3333 '),
  awsNavPrincipal: atCap('Federated user: Admin/jane '),
  awsNavUser: atCap('Admin/jane @ acme-prod-ReadOnlyAccess '),
  awsNavUserTitle: atCap('AWSReservedSSO_Admin_0123456789abcdef/jane '),
  awsLegacyLoginAccount: atCap('acme-prod '),
  awsLegacyLoginUser: atCap('Admin/jane '),
  awsLegacyRoleAccount: atCap('sandbox-dev '),
  awsLegacyRoleUser: atCap('ReadOnly '),
});
for (let i = 0; i < 50; i++) engine.evaluate('https://eu-west-2.console.aws.amazon.com/ec2/home', capped);
const cappedMs = [];
for (let i = 0; i < 200; i++) {
  const t0 = performance.now();
  JSON.parse(engine.evaluate('https://eu-west-2.console.aws.amazon.com/ec2/home', capped));
  cappedMs.push(performance.now() - t0);
}
const cappedEvaluate = summary(cappedMs);

// 40,000 distinct sections, each an error to be located.
const headers = Array.from({ length: 40000 }, (_, i) => `[section${i}]\n`).join('');
const headerRuns = [];
for (let run = 0; run < 5; run++) {
  const fresh = new Redline();
  started = performance.now();
  const result = JSON.parse(fresh.configure(headers, undefined, undefined));
  headerRuns.push(performance.now() - started);
  if (result.applied) throw new Error('40,000 unknown sections were accepted');
  fresh.free();
}
const headers40k = summary(headerRuns);

const gzip = gzipSync(wasm, { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(1)} KiB`;
// Last, since it replaces the module instance the engines above live in. A restarted worker: the 5,000-profile snapshot put back in force and a first evaluate, each time
// in a fresh instance of the module (its code is compiled lazily on first call, as in a new worker).
const snapshotEngine = new Redline();
snapshotEngine.configure(big, undefined, undefined);
const snapshot = snapshotEngine.snapshot(big, undefined, undefined);
const restoreRuns = [];
for (let run = 0; run < 10; run++) {
  initSync({ module: new WebAssembly.Module(wasm) });
  const restarted = new Redline();
  started = performance.now();
  const restored = restarted.restore(snapshot, new TextEncoder().encode(big), undefined, undefined);
  const verdict = JSON.parse(restarted.evaluate('https://console.aws.amazon.com/', lastAccount));
  restoreRuns.push(performance.now() - started);
  if (!restored || verdict.environment.kind !== 'prod') throw new Error('the 5,000-profile snapshot did not restore');
}
const firstRestore = restoreRuns[0];
const restore5000 = summary(restoreRuns);

console.log(`wasm ${wasm.length} B (${kib(wasm.length)}), gzip ${gzip} B (${kib(gzip)}); JS glue ${glue.length} B`);
console.log(`wasm instantiate + engine with the seed configuration: ${instantiateMs.toFixed(2)} ms (Node ${process.version})`);
console.log(`evaluate() in wasm incl. JSON both ways, ${calls.length} fixtures x ${rounds} rounds: median ${evaluateUs.median.toFixed(2)} µs/call, p95 ${evaluateUs.p95.toFixed(2)} µs/call`);
console.log(`5,000 profiles (${big.length} B of text): configure (parse + validate) + evaluate median ${big5000.median.toFixed(1)} ms, p95 ${big5000.p95.toFixed(1)} ms`);
console.log(`5,000 profiles: restore the snapshot (${snapshot.length} B) + evaluate in a fresh instance: first ${firstRestore.toFixed(1)} ms, median ${restore5000.median.toFixed(1)} ms, p95 ${restore5000.p95.toFixed(1)} ms`);
console.log(`evaluate() with every AWS page signal at its 4 KiB limit: median ${cappedEvaluate.median.toFixed(3)} ms, p95 ${cappedEvaluate.p95.toFixed(3)} ms`);
console.log(`40,000 distinct unknown sections (${headers.length} B): configure, every error located, median ${headers40k.median.toFixed(1)} ms, p95 ${headers40k.p95.toFixed(1)} ms`);
console.log(`BENCH_JSON ${JSON.stringify({ wasm_bytes: wasm.length, wasm_gzip_bytes: gzip, instantiate_ms: instantiateMs, wasm_evaluate_us: evaluateUs, config_5000_ms: big5000, config_5000_bytes: big.length, restore_5000_first_ms: firstRestore, restore_5000_ms: restore5000, evaluate_at_cap_ms: cappedEvaluate, headers_40000_ms: headers40k })}`);

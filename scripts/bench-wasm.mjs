// wasm size (raw and gzip) and evaluate() time inside the wasm, as the service worker calls it.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const wasm = readFileSync(`${root}/dist/redline/pkg/redline_bg.wasm`);
const glue = readFileSync(`${root}/dist/redline/pkg/redline.js`);
const { initSync, Redline } = await import(`${root}/dist/redline/pkg/redline.js`);

const started = performance.now();
initSync({ module: wasm });
const engine = new Redline();
const instantiateMs = performance.now() - started;

const { cases } = JSON.parse(readFileSync(`${root}/tests/fixtures/aws.json`, 'utf8'));
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
perCallUs.sort((a, b) => a - b);
const median = perCallUs[Math.floor(rounds / 2)];
const p95 = perCallUs[Math.floor(rounds * 0.95)];

const kb = (n) => `${(n / 1024).toFixed(1)} KiB`;
console.log(`wasm ${wasm.length} B (${kb(wasm.length)}), gzip ${gzipSync(wasm, { level: 9 }).length} B; JS glue ${glue.length} B`);
console.log(`wasm instantiate + engine: ${instantiateMs.toFixed(2)} ms (Node ${process.version})`);
console.log(`evaluate() in wasm incl. JSON both ways, ${calls.length} fixtures x ${rounds} rounds: median ${median.toFixed(2)} µs/call, p95 ${p95.toFixed(2)} µs/call`);
console.log(
  `BENCH_JSON ${JSON.stringify({ wasm_bytes: wasm.length, wasm_gzip_bytes: gzipSync(wasm, { level: 9 }).length, wasm_evaluate_us: { median, p95 } })}`,
);

// The command line as a pipeline runs it (release build, a process per run): `redline check` on a
// 5,000-profile configuration, and `redline explain` for one URL under it and under the seed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
execFileSync('cargo', ['build', '--quiet', '--release', '--bin', 'redline'], { cwd: root, stdio: 'inherit' });
const cli = join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'release/redline');

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
const summary = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  return { median: percentile(sorted, 0.5), p95: percentile(sorted, 0.95) };
};

/** Wall-clock ms of `runs` runs of the command, each checked to exit with `status`. */
function time(args, runs, status = 0) {
  const samples = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    const done = spawnSync(cli, args, { encoding: 'utf8' });
    samples.push(performance.now() - started);
    if (done.status !== status) throw new Error(`redline ${args.join(' ')} exited ${done.status}: ${done.stderr}`);
  }
  return summary(samples);
}

// The same 5,000 profiles as scripts/bench-wasm.mjs: an account rule and a switch target each.
let big = readFileSync(join(root, 'src/config/seed.toml'), 'utf8');
for (let i = 0; i < 5000; i++) {
  const account = String(100000000000 + i);
  big += `\n[[aws.accounts]]\nid = "${account}"\nenvironment = "${['dev', 'ci', 'staging', 'prod'][i % 4]}"\n`;
  big += `\n[[targets]]\nprovider = "aws"\nlabel = "team-${i}"\naccount = "${account}"\nrole = "Operator"\nregion = "eu-west-2"\n`;
}
const dir = mkdtempSync(join(tmpdir(), 'redline-bench-cli-'));
try {
  const file = join(dir, 'profiles.toml');
  writeFileSync(file, big);
  const signals = JSON.stringify({ awsNavAccountId: '1000-0000-4999', awsNavUser: 'Operator/jane @ x' });
  const url = 'https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2';
  const check = time(['check', file], 20);
  const explainSeed = time(['explain', url, '--signals', signals, '--format', 'json'], 50);
  const explainBig = time(['explain', url, '--signals', signals, '--config', file, '--format', 'json'], 20);
  const ms = (s) => `median ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms`;
  console.log(`redline check, 5,000 profiles (${big.length} B): ${ms(check)}`);
  console.log(`redline explain, one URL under the seed: ${ms(explainSeed)}`);
  console.log(`redline explain, one URL under 5,000 profiles: ${ms(explainBig)}`);
  console.log(`BENCH_JSON ${JSON.stringify({ cli_check_5000_ms: check, cli_explain_seed_ms: explainSeed, cli_explain_5000_ms: explainBig })}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

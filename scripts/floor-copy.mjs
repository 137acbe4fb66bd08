// The floor of the kept-verdict design, as an extension to measure: a copy of the built extension
// (dist/redline) whose top-frame content script does nothing but the one thing no such design can
// skip, the `storage.session` read of the kept verdict at document_start, and stamps a bare
// `#redline-banner` with its contract attributes the moment the read answers. No signals are read
// before it (the first answer kept for the URL is taken, whatever the page shows), nothing is
// built ahead, no watchers, no tab cues, no guard hand-over, no question to the worker once a
// verdict is kept. Nothing real can be faster through this channel, so `../shared/perf/latency.mjs`
// run on this copy beside a peer gives the lowest ratio the design allows on that machine.
//
//   node scripts/floor-copy.mjs OUT_DIR      (after `make build`)
//
// A measuring tool, never shipped: the copy decides nothing right outside the harness's fixture.
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BUILT = join(ROOT, 'dist/redline');
const out = process.argv[2];
if (!out) {
  console.error('usage: node scripts/floor-copy.mjs OUT_DIR');
  process.exit(2);
}
if (!existsSync(join(BUILT, 'manifest.json'))) {
  console.error(`floor-copy: ${BUILT}/manifest.json not found: run \`make build\` first`);
  process.exit(1);
}

// The same keys and message as content.js and verdicts.js use.
const FLOOR_SCRIPT = `'use strict';
performance.mark('redline:content-start');
(() => {
  const ext = globalThis.browser ?? chrome;
  const url = location.href;
  const key = 'verdict:' + url;
  function paint(verdict) {
    const host = document.createElement('redline-banner');
    host.id = 'redline-banner';
    host.style.cssText = 'display:block;position:fixed;top:0;left:0;right:0;height:28px;z-index:2147483647;background:' + verdict.colors.background;
    Object.assign(host.dataset, { provider: verdict.provider, environment: verdict.environment.kind, privilege: verdict.privilege, severity: verdict.severity });
    host.textContent = verdict.label;
    document.documentElement.append(host);
    performance.mark('redline:banner');
  }
  ext.storage.session.get(key).then((found) => {
    const answers = found[key]?.answers ?? [];
    if (answers.length > 0) return paint(answers[0][1]);
    // Nothing kept yet (the harness's warm-up load): the worker is asked once, and keeps its answer.
    const ask = () => {
      const signals = {};
      const meta = document.querySelector('meta[name="awsc-session-data"]');
      if (meta) signals.awsSessionData = meta.content.trim();
      ext.runtime.sendMessage({ type: 'evaluate', url, signals, document: crypto.randomUUID(), sequence: 1 })
        .then((reply) => reply?.verdict && paint(reply.verdict));
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ask, { once: true });
    else ask();
  });
})();
`;

const target = resolve(out);
rmSync(target, { recursive: true, force: true });
cpSync(BUILT, target, { recursive: true });
writeFileSync(join(target, 'extension/content/floor.js'), FLOOR_SCRIPT);
const manifest = JSON.parse(readFileSync(join(target, 'manifest.json'), 'utf8'));
const [topFrame] = manifest.content_scripts;
topFrame.js = ['extension/content/floor.js'];
manifest.name = `${manifest.name} (floor copy)`;
writeFileSync(join(target, 'manifest.json'), JSON.stringify(manifest, null, 1));
console.log(`wrote ${target}: load it with ../shared/perf/latency.mjs --a ${target} --a-probe redline`);

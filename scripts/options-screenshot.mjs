// Screenshot of the options page (dist/screenshots/options.png): an imported configuration with a
// warning, the import report and the banner preview. Run after `make build`.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launchBrowser } from '../tests/e2e/harness.mjs';
import { openOptions } from '../tests/e2e/options-page.mjs';

const out = join(ROOT, 'dist/screenshots');
mkdirSync(out, { recursive: true });
const browser = await launchBrowser({ viewport: { width: 1200, height: 900 } });
try {
  const page = await openOptions(browser);
  await page.selectOption('#import-source', 'aesr');
  await page.setInputFiles('#import-file', join(ROOT, 'tests/fixtures/import/extend-switch-roles.ini'));
  await page.click('#import-add');
  await page.fill('#import-text', readFileSync(join(ROOT, 'tests/fixtures/import/aws-config.ini'), 'utf8'));
  await page.selectOption('#import-source', 'aws-config');
  await page.click('#import-add');
  await page.waitForSelector('#editor[data-state="valid"]');
  await page.click('#diagnostics button');
  await page.screenshot({ path: join(out, 'options.png'), fullPage: true });
  console.log(`wrote ${join(out, 'options.png')}`);
} finally {
  await browser.close();
}

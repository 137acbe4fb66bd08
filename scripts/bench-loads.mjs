// What the banner benchmarks share, in either engine: one console load measured from the content
// script's performance marks, and the 5,000-profile configuration.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, fixtureRow, matchesExpectation, waitForBanner } from '../tests/e2e/harness.mjs';

// A URL without a fragment, so that each goto is a full load and not a same-document navigation.
export const ROW = fixtureRow('aws.json', 'aws-prod-operator');

/** Loads ROW in `page` and returns "content script start → banner" and "navigation start → banner". */
export async function measureLoad(page) {
  await page.goto(ROW.url);
  await waitForBanner(page, matchesExpectation(ROW.expect));
  return page.evaluate(() => {
    const mark = (name) => performance.getEntriesByName(name, 'mark')[0].startTime;
    // Mark times are relative to the document's time origin, which is its navigation start.
    const banner = mark('redline:banner');
    return { contentToBanner: banner - mark('redline:content-start'), navigationToBanner: banner };
  });
}

/** The seed organisation's text and 5,000 AWS profiles, an account rule and a target each. */
export function fiveThousandProfiles() {
  let text = readFileSync(join(ROOT, 'src/config/seed.toml'), 'utf8');
  for (let i = 0; i < 5000; i++) {
    const account = String(100000000000 + i);
    text += `\n[[aws.accounts]]\nid = "${account}"\nenvironment = "${['dev', 'ci', 'staging', 'prod'][i % 4]}"\n`;
    text += `\n[[targets]]\nprovider = "aws"\nlabel = "team-${i}"\naccount = "${account}"\nrole = "Operator"\nregion = "eu-west-2"\n`;
  }
  return text;
}

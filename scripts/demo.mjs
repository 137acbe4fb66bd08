// `make run`: the built extension (dist/redline) on bundled demo console pages served under the
// real AWS host names. With a DISPLAY: a Chromium window, one tab per page, until it is closed.
// Without: one screenshot per page in dist/screenshots/.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, launchBrowser, serveCase, waitForBanner } from '../tests/e2e/harness.mjs';

const sessionData = (accountId, alias, role, session = 'jane', extra = {}) => ({
  accountId,
  accountAlias: alias,
  sessionARN: `arn:aws:sts::${accountId}:assumed-role/${role}/${session}`,
  displayName: `${role}/${session} @ ${alias}`,
  ...extra,
});
const dashed = (accountId) => accountId.replace(/(\d{4})(\d{4})(\d{4})/, '$1-$2-$3');
const navbar = (accountId, alias, role, session = 'jane') => ({
  awsNavAccountId: dashed(accountId),
  awsNavUser: `${role}/${session} @ ${alias}`,
});
const assumedRole = (accountId, alias, role, session = 'jane') => ({
  awsSessionData: sessionData(accountId, alias, role, session),
  awsRegion: 'eu-west-2',
  ...navbar(accountId, alias, role, session),
});

const DEMOS = [
  {
    name: 'dev-operator',
    url: 'https://eu-west-2.console.aws.amazon.com/lambda/home?region=eu-west-2#/functions',
    signals: assumedRole('333333333333', 'acme-dev', 'Operator'),
  },
  {
    name: 'staging-admin',
    url: 'https://eu-west-2.console.aws.amazon.com/s3/buckets?region=eu-west-2',
    signals: assumedRole('222222222222', 'acme-staging', 'Admin'),
  },
  {
    name: 'prod-operator',
    url: 'https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2',
    signals: assumedRole('111111111111', 'acme-prod', 'Operator'),
  },
  {
    name: 'prod-admin',
    url: 'https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2#Instances:',
    signals: assumedRole('111111111111', 'acme-prod', 'Admin'),
  },
  {
    name: 'root',
    url: 'https://console.aws.amazon.com/billing/home',
    signals: {
      awsUserInfo: { arn: 'arn:aws:iam::333333333333:root', alias: 'acme-dev', issuer: '', signinType: 'PUBLIC' },
      awsNavAccountId: '3333-3333-3333',
      awsNavUser: 'acme-dev',
    },
  },
  {
    name: 'multi-session',
    url: 'https://111111111111-abcd1234.eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2#',
    signals: {
      awsSessionData: sessionData('111111111111', 'acme-prod', 'Admin', 'jane', {
        prismModeEnabled: true,
        sessionDifferentiator: 'abcd1234',
      }),
      ...navbar('111111111111', 'acme-prod', 'Admin'),
    },
  },
];

const headed = Boolean(process.env.DISPLAY);
const browser = await launchBrowser({ headed });
try {
  const screenshots = join(ROOT, 'dist/screenshots');
  if (!headed) await mkdir(screenshots, { recursive: true });
  for (const demo of DEMOS) {
    await serveCase(browser, { ...demo, title: `${demo.name} · AWS demo` });
    const page = await browser.context.newPage();
    await page.goto(demo.url);
    const banner = await waitForBanner(page, () => true, { what: `a banner on the ${demo.name} demo` });
    if (headed) {
      console.log(`${demo.name}: ${banner.text}`);
    } else {
      const path = join(screenshots, `${demo.name}.png`);
      await page.screenshot({ path });
      await page.close();
      console.log(`${path}  ${banner.text}`);
    }
  }
  if (headed) {
    for (const page of browser.context.pages()) if (page.url() === 'about:blank') await page.close();
    console.log('Close the browser window to end the demo.');
    await new Promise((resolve) => browser.context.on('close', resolve));
  }
} finally {
  await browser.close();
}

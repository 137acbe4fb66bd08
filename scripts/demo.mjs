// `make run`: the built extension (dist/redline) on bundled demo console pages (AWS, Azure, Google
// Cloud, Aiven) served under the real host names. With a DISPLAY: a Chromium window on a throw-away
// profile, the welcome page and one tab per demo page, until it is closed (or Ctrl+C). Without: one
// screenshot per page, dist/screenshots/<console>-<name>.png, and the toolbar popup over a
// configuration of 14 targets across the four consoles (popup.png).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ROOT, acknowledgeDanger, launchBrowser, readOverlay, serveCase, waitFor, waitForBanner } from '../tests/e2e/harness.mjs';
import { SEED, TARGETS, openPopup, saveConfig } from '../tests/e2e/popup-page.mjs';

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

const AWS_DEMOS = [
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

const AZURE_TENANT = 'digital.cabinet-office.gov.uk';
const AZURE_SIGNALS = { azureDirectory: 'Government Digital Service', azureUser: `jane@${AZURE_TENANT}` };
const GCP_ACCOUNT = { gcpAccount: `Google Account: Jane Doe (jane@${AZURE_TENANT})` };

const DEMOS = [
  ...AWS_DEMOS.map((demo) => ({ ...demo, console: 'aws' })),
  {
    console: 'azure',
    name: 'dev-resource-group',
    url: `https://portal.azure.com/#@${AZURE_TENANT}/resource/subscriptions/0b1f6471-1bf0-4dda-aec3-111111111111/resourceGroups/rg-dev-web/overview`,
    signals: AZURE_SIGNALS,
  },
  {
    console: 'azure',
    name: 'prod-london',
    url: 'https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/6f1c2a9e-58c1-4d5e-9b7a-2c3d4e5f6a7b/isMSAApp~/false',
    signals: { ...AZURE_SIGNALS, azureBladeTitle: 'Prod London' },
  },
  {
    console: 'gcp',
    name: 'govuk-paas',
    url: 'https://console.cloud.google.com/home/dashboard?project=govuk-paas',
    signals: { ...GCP_ACCOUNT, gcpProjectName: 'GOV.UK PaaS' },
  },
  {
    console: 'gcp',
    name: 'paas-development',
    url: 'https://console.cloud.google.com/home/dashboard?project=paas-development-210707',
    signals: { ...GCP_ACCOUNT, gcpProjectName: 'PaaS Development' },
  },
  {
    console: 'aiven',
    name: 'prod',
    url: 'https://console.aiven.io/account/a1f23bcdef4a/project/prod/services',
    signals: {},
  },
  {
    console: 'aiven',
    name: 'dev',
    url: 'https://console.aiven.io/account/a1f23bcdef4a/project/dev/services',
    signals: {},
  },
];

const headed = Boolean(process.env.DISPLAY);
// In a window the welcome page stays, as after a real install.
const browser = await launchBrowser({ headed, keepWelcome: headed });
// The profile is a throw-away one: Ctrl+C removes it too.
process.once('SIGINT', () => browser.close().finally(() => process.exit(130)));
try {
  const screenshots = join(ROOT, 'dist/screenshots');
  if (!headed) await mkdir(screenshots, { recursive: true });
  for (const demo of DEMOS) {
    const file = `${demo.console}-${demo.name}`;
    await serveCase(browser, { ...demo, title: `${file} · redline demo` });
    const page = await browser.context.newPage();
    await page.goto(demo.url);
    const banner = await waitForBanner(page, () => true, { what: `a banner on the ${file} demo` });
    if (headed) {
      console.log(`${file}: ${banner.text}`);
    } else {
      const path = join(screenshots, `${file}.png`);
      await page.screenshot({ path });
      await page.close();
      console.log(`${path}  ${banner.text}`);
    }
  }
  if (!headed) {
    // Danger mode step by step: the first entry's overlay, the banner once acknowledged, root.
    const prodAdmin = {
      url: 'https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2#Instances:',
      signals: assumedRole('444455556666', 'payments-prod', 'Admin'),
      title: 'Instances | EC2 | eu-west-2',
    };
    await serveCase(browser, prodAdmin);
    const page = await browser.context.newPage();
    await page.goto(prodAdmin.url);
    await waitFor(page, readOverlay, (overlay) => overlay?.focused, { what: 'the danger overlay' });
    await page.screenshot({ path: join(screenshots, 'aws-danger-overlay.png') });
    await acknowledgeDanger(page);
    await page.screenshot({ path: join(screenshots, 'aws-danger-acknowledged.png') });
    await browser.context.clearCookies();
    const root = AWS_DEMOS.find((demo) => demo.name === 'root');
    await serveCase(browser, { ...root, title: 'Billing and Cost Management' });
    await page.goto(root.url);
    await acknowledgeDanger(page);
    await page.screenshot({ path: join(screenshots, 'aws-danger-root.png') });
    for (const name of ['overlay', 'acknowledged', 'root']) console.log(join(screenshots, `aws-danger-${name}.png`));
    await page.close();

    // The popup, opened from an acme-staging console tab as a click on the toolbar button opens it.
    await saveConfig(browser, SEED + TARGETS);
    const staging = {
      url: 'https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2#dashboards',
      signals: assumedRole('222233334444', 'acme-staging', 'Operator'),
      title: 'CloudWatch | eu-west-2',
    };
    await serveCase(browser, staging);
    const tab = await browser.context.newPage();
    await tab.goto(staging.url);
    await waitForBanner(tab, (banner) => banner.environment === 'staging', { what: 'the acme-staging banner' });
    const popup = await openPopup(browser, tab);
    // Filtered to one company's accounts: dev, staging and the prod group set apart, in one view.
    await popup.type('acme');
    await popup.waitFor((state) => state.shownFor === 'acme', { what: 'the acme targets' });
    const path = join(screenshots, 'popup.png');
    await popup.screenshot(path);
    await popup.close();
    console.log(path);
  }
  if (headed) {
    for (const page of browser.context.pages()) if (page.url() === 'about:blank') await page.close();
    console.log('The popup is one shortcut away: Alt+Shift+R (or redline\'s toolbar button) on any tab.');
    console.log('Close the browser window, or press Ctrl+C here, to end the demo; its throw-away profile goes with it.');
    await new Promise((resolve) => browser.context.on('close', resolve));
  }
} finally {
  await browser.close();
}

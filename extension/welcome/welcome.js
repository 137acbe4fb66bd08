// The welcome page, opened when redline is installed (and at "What's new" after an update that
// changes what users must know: notice.js). The banners it shows are the core's verdicts on sample
// pages under the configuration in force, and the summary of that configuration is the core's; this
// page reads storage and the manifest, and paints.
import { ext } from '../shared/browser.js';
import * as store from '../shared/storage.js';
import { NOTICE } from './notice.js';

const $ = (id) => document.getElementById(id);

const session = (account, alias, role) =>
  JSON.stringify({ accountId: account, accountAlias: alias, sessionARN: `arn:aws:sts::${account}:assumed-role/${role}/jane` });
// Sample console pages as each console shows them: what redline reads there is what it reads on yours.
const SAMPLES = [
  {
    what: 'AWS: an Admin role in an account whose alias says production',
    url: 'https://eu-west-2.console.aws.amazon.com/ec2/home?region=eu-west-2',
    signals: { awsSessionData: session('444455556666', 'payments-prod', 'Admin') },
  },
  {
    what: 'AWS: the read-only Operator role in a development account',
    url: 'https://eu-west-2.console.aws.amazon.com/lambda/home?region=eu-west-2',
    signals: { awsSessionData: session('333344445555', 'acme-dev', 'Operator') },
  },
  {
    what: 'Microsoft Azure: the Prod London app open in the portal',
    url: 'https://portal.azure.com/#view/Microsoft_AAD_RegisteredApps/ApplicationMenuBlade/~/Overview/appId/6f1c2a9e-58c1-4d5e-9b7a-2c3d4e5f6a7b/isMSAApp~/false',
    signals: { azureDirectory: 'Government Digital Service', azureBladeTitle: 'Prod London' },
  },
  {
    what: 'Google Cloud: a development project',
    url: 'https://console.cloud.google.com/home/dashboard?project=paas-development-210707',
    signals: { gcpProjectName: 'PaaS Development' },
  },
  {
    what: 'Aiven: the prod project',
    url: 'https://console.aiven.io/account/a1f23bcdef4a/project/prod/services',
    signals: {},
  },
];

// One line of why for each permission the manifest asks for; welcome.test.mjs fails on one without.
const WHY = {
  storage: 'keeps your configuration, its last 10 versions and what access portals taught, in this browser (and in your browser account\'s sync storage only if you turn sync on).',
  activeTab: 'lets the popup see the tab you switch from, only when you open the popup.',
  scripting: 'posts AWS\'s own switch-role form in that tab when you switch role.',
};

function item(text) {
  const li = document.createElement('li');
  li.textContent = text;
  return li;
}

async function main() {
  const glue = await import('../../pkg/redline_pages.js');
  await glue.default({ module_or_path: ext.runtime.getURL('pkg/redline_pages_bg.wasm') });
  const [user, learned] = await Promise.all([store.readUserText(), store.readLearnedText().catch(() => undefined)]);
  // The browser may take seconds to read the organisation's policy after it starts, which is when
  // a force-installed redline opens this page: the last copy first, then the policy when it answers.
  const redline = new glue.Redline();
  const show = (managed) => {
    redline.configure(user.text, managed, learned);
    showConfiguration(redline, user, managed);
  };
  const cached = await store.readManagedCache().catch(() => undefined);
  show(cached);
  store.readManagedText().then((managed) => managed !== cached && show(managed));

  const options = (query = '') => ext.tabs.create({ url: ext.runtime.getURL(`extension/options/options.html${query}`) });
  $('import-aesr').addEventListener('click', () => options('?import=aesr'));
  $('import-aws-config').addEventListener('click', () => options('?import=aws-config'));
  $('open-options').addEventListener('click', () => options());

  const commands = await ext.commands.getAll().catch(() => []);
  const shortcut = commands.find((command) => command.name === '_execute_action')?.shortcut;
  const shortcutText = $('shortcut');
  if (shortcut) {
    const key = document.createElement('kbd');
    key.textContent = shortcut;
    shortcutText.append('Press ', key, ' on any page (or click redline\'s toolbar button), type a few letters of an account, alias, project or role, and press Enter.');
  } else {
    shortcutText.textContent = "No shortcut is set: give redline's toolbar button one in your browser's extension shortcuts, or click the button.";
  }

  const manifest = ext.runtime.getManifest();
  const sites = manifest.content_scripts.flatMap((script) => script.matches);
  $('permissions').replaceChildren(
    ...manifest.permissions.map((name) => item(`${name}: ${WHY[name] ?? 'no reason written down (a bug: please report it).'}`)),
    item(`The cloud consoles' sites (${sites.filter((site) => !site.includes('awsapps.com')).length} address patterns: AWS, Azure and its portal's frames, Google Cloud, Aiven), to read their pages and paint the banner on them; and IAM Identity Center access portals (${sites.filter((site) => site.includes('awsapps.com')).length} patterns), to read the accounts they list. No other site.`),
  );

  if (location.hash === '#whats-new') {
    $('whats-new').hidden = false;
    $('whats-new-list').replaceChildren(...NOTICE.whatsNew.map(item));
  }
  document.documentElement.dataset.ready = 'true';
}

/** The sample banners and the summary of the configuration `redline` holds. */
function showConfiguration(redline, user, managed) {
  $('samples').replaceChildren(
    ...SAMPLES.map((sample) => {
      const verdict = JSON.parse(redline.evaluate(sample.url, JSON.stringify(sample.signals)));
      const li = document.createElement('li');
      const banner = document.createElement('div');
      banner.className = 'sample-banner';
      banner.textContent = verdict.label;
      banner.style.background = verdict.colors.background;
      banner.style.color = verdict.colors.foreground;
      banner.dataset.severity = verdict.severity;
      const what = document.createElement('span');
      what.className = 'sample-what';
      what.textContent = sample.what;
      li.append(banner, what);
      return li;
    }),
  );

  $('configuration-source').textContent = managed
    ? "Your organisation's configuration is in force, over yours:"
    : user.text
      ? 'Your saved configuration is in force:'
      : "redline's bundled defaults are in force until you save your own:";
  $('configuration-summary').replaceChildren(...JSON.parse(redline.summary()).map(item));
}

main().catch((error) => {
  document.body.prepend(Object.assign(document.createElement('p'), { className: 'problem', textContent: `redline could not show this page: ${error.message ?? error}` }));
});

// Console-like pages that expose redline's signals the way the real consoles (AWS, Azure, Google
// Cloud, Aiven) do, served under the real host names through Playwright's request routing (Chromium) or a local
// proxy and HTTPS server (Firefox, drivers/firefox.mjs). Shared by the e2e tests, the demo and
// the benchmark. Pages carry no inline script or style so that they work under a strict CSP.

/** A fixture value given as an object stands for its JSON text. */
export const signalText = (value) => (typeof value === 'string' ? value : JSON.stringify(value));

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The aws-userInfo cookie as AWS sets it: the JSON text, URL-encoded. */
export function userInfoCookieValue(value) {
  return typeof value === 'string' ? value : encodeURIComponent(JSON.stringify(value));
}

/** For context.addCookies; path "/" as the console sets it (a url alone would scope it to the URL's directory). */
export function userInfoCookie(signals, url) {
  if (signals.awsUserInfo === undefined) return null;
  const { hostname } = new URL(url);
  return { name: 'aws-userInfo', value: userInfoCookieValue(signals.awsUserInfo), domain: hostname, path: '/', secure: true };
}

function headSignals(signals) {
  const tags = [];
  if (signals.awsSessionData !== undefined) {
    tags.push(`<meta name="awsc-session-data" content="${escapeHtml(signalText(signals.awsSessionData))}">`);
  }
  if (signals.awsRegion !== undefined) {
    tags.push(`<meta id="awsc-mezz-region" content="${escapeHtml(signals.awsRegion)}">`);
  }
  return tags.join('\n');
}

/** `Account ID: 1234-…` → [label, value]; a value given alone gets the console's label. */
function labelled(text, label) {
  const at = text.indexOf(':');
  return at < 0 ? [label, text] : [text.slice(0, at + 1) + ' ', text.slice(at + 1).trim()];
}

/**
 * AWS: the navbar, current and legacy generations. The current one as captured from the live page
 * (shared/reference/consoles.md, CORRECTED): the account menu button (its text, and a `title` on
 * its label), and the account detail menu, hidden until opened, whose labelled rows hold each value
 * in the span before a copy button.
 */
function awsNavbar(signals) {
  const parts = [];
  if (signals.awsNavUser !== undefined || signals.awsNavUserTitle !== undefined) {
    const user = signals.awsNavUser ?? '';
    const title = signals.awsNavUserTitle === undefined ? '' : ` title="${escapeHtml(signals.awsNavUserTitle)}"`;
    parts.push(
      `<button id="nav-usernameMenu" class="user" data-testid="more-menu__awsc-nav-account-menu-button" aria-label="${escapeHtml(user)}">` +
        `<span data-testid="awsc-nav-account-menu-button"><span${title}>${escapeHtml(user)}</span></span></button>`,
    );
  }
  const rows = [
    ['awsNavAccountId', 'Account ID: ', 'awsc-copy-accountid'],
    ['awsNavPrincipal', 'Federated user: ', 'awsc-copy-username'],
  ].filter(([field]) => signals[field] !== undefined);
  if (rows.length > 0) {
    const row = ([field, label, testid]) => {
      const [name, value] = labelled(signals[field], label);
      return `<div><span>${escapeHtml(name)}</span><span>${escapeHtml(value)}</span><button data-testid="${testid}">Copy</button></div>`;
    };
    parts.push(`<div class="account" data-testid="account-detail-menu" hidden><div>${rows.map(row).join('')}</div></div>`);
  }
  const legacy = [
    ['awsLegacyLoginAccount', 'awsc-login-display-name-account'],
    ['awsLegacyLoginUser', 'awsc-login-display-name-user'],
    ['awsLegacyRoleAccount', 'awsc-role-display-name-account'],
    ['awsLegacyRoleUser', 'awsc-role-display-name-user'],
  ].filter(([field]) => signals[field] !== undefined);
  if (legacy.length > 0) {
    parts.push(
      `<div class="legacy">${legacy.map(([field, id]) => `<span id="${id}">${escapeHtml(signals[field])}</span>`).join(' ')}</div>`,
    );
  }
  return parts.join('\n');
}

/** Azure: the avatar menu of the top bar. */
function azureAvatar(signals) {
  const parts = [];
  if (signals.azureUser !== undefined) parts.push(`<div class="fxs-avatarmenu-username">${escapeHtml(signals.azureUser)}</div>`);
  if (signals.azureDirectory !== undefined) parts.push(`<div class="fxs-avatarmenu-tenant">${escapeHtml(signals.azureDirectory)}</div>`);
  return parts.join('\n');
}

/**
 * Azure: the open blades. With a title, a parent blade is open to its left (the portal stacks them),
 * so the title is the last of two; without, the active blade's heading is not the blade title.
 */
function azureBlades(signals) {
  const title = signals.azureBladeTitle;
  const blade = (heading, body, extra = '') =>
    `<section class="fxs-blade${extra}"><header class="fxs-blade-header">${heading}</header>${body}</section>`;
  const rows = '<table><thead><tr><th>Name</th><th>Type</th><th>Location</th></tr></thead><tbody>' +
    '<tr><td>paas-web</td><td>App Service</td><td>UK South</td></tr>' +
    '<tr><td>paas-db</td><td>Azure Database for PostgreSQL</td><td>UK South</td></tr>' +
    '<tr><td>paas-kv</td><td>Key vault</td><td>UK South</td></tr></tbody></table>';
  if (title === undefined) return blade('<h2 class="blade-heading">Overview</h2>', rows);
  return (
    blade('<h2 class="fxs-blade-title-titleText">App registrations</h2>', '<p class="muted">All applications</p>', ' fxs-blade-collapsed') +
    blade(`<h2 class="fxs-blade-title-titleText">${escapeHtml(title)}</h2>`, rows)
  );
}

/** Google Cloud: the project picker's label. */
function gcpProject(signals) {
  if (signals.gcpProjectName === undefined) return '<span class="project-placeholder">Project</span>';
  return `<span class="cfc-switcher-button-label-text">${escapeHtml(signals.gcpProjectName)}</span>`;
}

/** Google Cloud: the account button (aria-label as Google writes it, an initial as its face). */
function gcpAccount(signals) {
  if (signals.gcpAccount === undefined) return '';
  const initial = signals.gcpAccount.replace(/^Google Account:\s*/, '').charAt(0);
  return `<a class="avatar" href="https://accounts.google.com/SignOutOptions" aria-label="${escapeHtml(signals.gcpAccount)}">${escapeHtml(initial)}</a>`;
}

/**
 * Each console's page shell. `slots` maps an element id to the part of the page that shows
 * signals: late.js and spa.js replace those elements' contents; `late` is the slot a console
 * renders after its first paint. `body` lays the slots out around a console-like view.
 */
const SHELLS = {
  aws: {
    title: 'AWS Management Console',
    slots: (signals) => ({ 'fixture-navbar': awsNavbar(signals) }),
    late: 'fixture-navbar',
    body: (slot, extra) => `<header data-testid="awsc-nav-header" id="console-nav">
<span class="logo">aws</span>
<span class="services">Services</span>
<input class="search" placeholder="Search" aria-label="Search">
<span class="spacer"></span>
${slot('fixture-navbar')}
</header>
<main>
<nav class="crumbs">EC2 › Instances</nav>
<h1>Instances <span class="count">(3)</span></h1>
${extra}
<table>
<thead><tr><th>Name</th><th>Instance ID</th><th>State</th><th>Type</th><th>Zone</th></tr></thead>
<tbody>
<tr><td>web-1</td><td>i-0a1b2c3d4e5f60718</td><td>Running</td><td>t3.medium</td><td>a</td></tr>
<tr><td>web-2</td><td>i-0f9e8d7c6b5a40312</td><td>Running</td><td>t3.medium</td><td>b</td></tr>
<tr><td>batch</td><td>i-05a4b3c2d1e0f9876</td><td>Stopped</td><td>m6i.large</td><td>c</td></tr>
</tbody>
</table>
</main>`,
  },
  // The portal is a full-window app whose top bar is fixed at the top of the viewport.
  azure: {
    title: 'Microsoft Azure',
    slots: (signals) => ({ 'fixture-avatar': azureAvatar(signals), 'fixture-blades': azureBlades(signals) }),
    late: 'fixture-blades',
    body: (slot, extra) => `<header class="fxs-topbar" id="console-nav">
<span class="logo">Microsoft Azure</span>
<input class="search" placeholder="Search resources, services, and docs (G+/)" aria-label="Search">
<span class="spacer"></span>
<button id="fixture-topbar-settings" type="button">Settings</button>
${slot('fixture-avatar', 'fxs-avatarmenu')}
</header>
<div class="fxs-journey">
<nav class="crumbs">Home ›</nav>
${extra}
${slot('fixture-blades', 'fxs-blades')}
</div>`,
  },
  // Its top bar is sticky: it pins to the top of the viewport once the page scrolls.
  gcp: {
    title: 'Google Cloud console',
    slots: (signals) => ({ 'fixture-project': gcpProject(signals), 'fixture-account': gcpAccount(signals) }),
    late: 'fixture-project',
    body: (slot, extra) => `<header class="cfc-platform-bar" id="console-nav">
<span class="logo">Google Cloud</span>
<button class="cfc-switcher-button" type="button">${slot('fixture-project', 'switcher', 'span')}</button>
<input class="search" placeholder="Search (/) for resources, docs, products, and more" aria-label="Search">
<span class="spacer"></span>
${slot('fixture-account', 'account')}
</header>
<main>
<h1>Dashboard</h1>
${extra}
<div class="cards">
<section class="card"><h2>Project info</h2><p>Project number 123456789012</p></section>
<section class="card"><h2>Compute Engine</h2><p>CPU (%): 4.2</p></section>
<section class="card"><h2>APIs</h2><p>Requests (requests/sec)</p></section>
</div>
</main>`,
  },
  aiven: {
    title: 'Aiven Console',
    slots: () => ({}),
    body: (slot, extra) => `<header id="console-nav" class="aiven-bar">
<span class="logo">aiven</span>
<span class="spacer"></span>
<span class="org">Organisation</span>
</header>
<div class="aiven-layout">
<nav class="aiven-side"><a>Services</a><a>Integration endpoints</a><a>VPCs</a><a>Members</a><a>Settings</a></nav>
<main>
<h1>Services</h1>
${extra}
<table>
<thead><tr><th>Service</th><th>Type</th><th>Plan</th><th>Cloud</th><th>Status</th></tr></thead>
<tbody>
<tr><td>pg-123</td><td>PostgreSQL</td><td>Business-4</td><td>google-europe-west2</td><td>Running</td></tr>
<tr><td>os-1</td><td>OpenSearch</td><td>Startup-8</td><td>google-europe-west2</td><td>Running</td></tr>
</tbody>
</table>
</main>
</div>`,
  },
};

/** The shell that looks like the console at `url`'s host (AWS for any other host). */
function shellFor(url) {
  const host = url === undefined ? '' : new URL(url).hostname;
  if (/(^|\.)(portal\.azure\.(com|us|cn|net)|entra\.microsoft\.com)$/.test(host)) return SHELLS.azure;
  if (/^console\.(cloud\.google(\.com)?|developers\.google\.com)$/.test(host)) return SHELLS.gcp;
  if (host === 'console.aiven.io') return SHELLS.aiven;
  return SHELLS.aws;
}

/** One <template data-slot> per slot: what late.js and spa.js put into the page. */
const slotTemplates = (slots) =>
  Object.entries(slots)
    .map(([id, html]) => `<template data-slot="${id}">${html}</template>`)
    .join('');

/**
 * One console page, looking like the console at `url` (AWS by default).
 * - `signals`: fixture signals (see tests/fixtures/*.json); awsUserInfo is a cookie, set by the caller.
 * - `lateMs`: the console's late part (AWS navbar, Azure blades, Google project label) appears that long
 *   after load (/static/late.js).
 * - `next`: signals an in-page navigation switches to when #fixture-navigate is clicked
 *   (/static/spa.js): `{ signals, url }` navigates with history.pushState (`replace: true`:
 *   history.replaceState), `{ signals, hash }` by assigning location.hash.
 * - `frames`: URLs of iframes embedded in the view.
 * - `favicon`: the page's own icon, declared with <link rel="icon"> (e.g. FAVICON).
 * - `dataImage`: the page shows an image from a data: URL, as the real consoles do (their policy
 *   allows data: images; redline badges the favicon only where the page shows that).
 * - `controls`: HTML of buttons and links put into the view; /static/probe.js counts the clicks on
 *   each element with a data-probe attribute in its data-clicks attribute (Enter/Space on an
 *   element with a role count too), and the submissions of such a form in data-submits, as a
 *   console's own handlers would act on them.
 * - `csrf`: the AWS console's switch-role token, given by the page's main world as AWS's own
 *   script does (`AWSC.Auth.getMbtc()`, /static/awsc.js).
 */
export function consolePage({ url, title, signals = {}, lateMs, next, frames = [], favicon, controls, dataImage = false, csrf } = {}) {
  const shell = shellFor(url);
  const slots = shell.slots(signals);
  const lateSlot = lateMs === undefined ? undefined : shell.late;
  const slot = (id, className = '', tag = 'div') =>
    `<${tag} id="${id}"${className && ` class="${className}"`}>${id === lateSlot ? '' : slots[id]}</${tag}>`;
  const scripts = [];
  if (lateMs !== undefined) scripts.push('/static/late.js');
  if (next) scripts.push('/static/spa.js');
  if (controls !== undefined) scripts.push('/static/probe.js');
  const extra = [
    next ? '<button id="fixture-navigate" type="button">Open another view</button>' : '',
    controls ?? '',
    dataImage ? `<img class="fixture-data-image" alt="" width="16" height="16" src="${DATA_IMAGE}">` : '',
    ...frames.map((src) => `<iframe class="fixture-frame" src="${escapeHtml(src)}" title="blade"></iframe>`),
  ].join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title ?? shell.title)}</title>
${headSignals(signals)}
<link rel="stylesheet" href="/static/console.css">
${favicon === undefined ? '' : `<link rel="icon" href="${escapeHtml(favicon)}">`}
${scripts.map((src) => `<script src="${src}" defer></script>`).join('\n')}
${csrf === undefined ? '' : `<script src="/static/awsc.js" data-token="${escapeHtml(csrf)}"></script>`}
</head>
<body class="${Object.keys(SHELLS).find((name) => SHELLS[name] === shell)}">
${shell.body(slot, extra)}
${lateSlot === undefined ? '' : `<template id="fixture-late" data-delay-ms="${lateMs}">${slotTemplates({ [lateSlot]: slots[lateSlot] })}</template>`}
${next ? nextTemplate(next, shell) : ''}
</body>
</html>
`;
}

function nextTemplate({ signals, url, hash, replace = false }, shell) {
  const attributes = [
    url === undefined ? '' : ` data-url="${escapeHtml(url)}"`,
    replace ? ' data-replace' : '',
    hash === undefined ? '' : ` data-hash="${escapeHtml(hash)}"`,
    signals.awsSessionData === undefined ? '' : ` data-session-data="${escapeHtml(signalText(signals.awsSessionData))}"`,
    signals.awsUserInfo === undefined ? '' : ` data-user-info="${escapeHtml(userInfoCookieValue(signals.awsUserInfo))}"`,
  ].join('');
  return `<template id="fixture-next"${attributes}>${slotTemplates(shell.slots(signals))}</template>`;
}

/**
 * An IAM Identity Center access portal page: `accounts` ([{id, name, email, roles}]) rendered as
 * the current portal does (shared/reference/consoles.md, CORRECTED): a flat treegrid, one level-1
 * row per account followed by one level-2 row per permission set with its console link, `lateMs`
 * after load (/static/late.js), as the portal's single-page app renders them. `layout: 'list'`
 * renders the older nested list instead, each account a list item holding its links.
 */
export function portalPage({ url, accounts, lateMs = 0, layout = 'treegrid' }) {
  const { origin } = new URL(url);
  const link = (id, role) => `${origin}/start/#/console?account_id=${id}&role_name=${encodeURIComponent(role)}`;
  const treegrid = () =>
    accounts
      .map(
        ({ id, name, email, roles }) =>
          `<tr role="row" aria-level="1"><td><button type="button" class="account-name">${escapeHtml(name ?? '')}</button> <span class="account-id">${id} | ${escapeHtml(email)}</span></td></tr>\n` +
          roles
            .map(
              (role) =>
                `<tr role="row" aria-level="2"><td><a data-testid="federation-link" href="${escapeHtml(link(id, role))}" target="_blank">${escapeHtml(role)}</a> <a href="#/creds">Access keys</a></td></tr>`,
            )
            .join('\n'),
      )
      .join('\n');
  const list = () =>
    accounts
      .map(
        ({ id, name, email, roles }) => `<li class="account"><button type="button" class="account-name">${escapeHtml(name ?? '')}</button>
<span class="account-id">#${id} | ${escapeHtml(email)}</span>
<ul class="roles">${roles.map((role) => `<li><a href="${escapeHtml(link(id, role))}" target="_blank">${escapeHtml(role)}</a> | <a href="#/creds">Access keys</a></li>`).join('')}</ul></li>`,
      )
      .join('\n');
  const [container, rows] =
    layout === 'list' ? ['<ul id="fixture-accounts" class="accounts"></ul>', list()] : ['<table role="treegrid"><tbody id="fixture-accounts"></tbody></table>', treegrid()];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>AWS access portal</title>
<script src="/static/late.js" defer></script>
</head>
<body>
<h1>AWS access portal</h1>
<div role="tabpanel">${container}</div>
<template id="fixture-late" data-delay-ms="${lateMs}"><template data-slot="fixture-accounts">${rows}</template></template>
</body>
</html>
`;
}

const DATA_IMAGE = 'data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%2216%22 height=%2216%22%3E%3Ccircle cx=%228%22 cy=%228%22 r=%228%22 fill=%22%23ff9900%22/%3E%3C/svg%3E';

/** A console's own favicon, served by serveFixtures (same origin as every fixture page). */
export const FAVICON = '/static/favicon.svg';

const STATIC_FILES = {
  '/static/favicon.svg': {
    type: 'image/svg+xml',
    body: '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#232f3e"/><path d="M6 20q10 6 20 0" stroke="#ff9900" stroke-width="3" fill="none"/></svg>',
  },
  '/static/awsc.js': {
    type: 'text/javascript',
    body: `
const token = document.currentScript.dataset.token;
window.AWSC = { Auth: { getMbtc: () => token } };
`,
  },
  '/static/probe.js': {
    type: 'text/javascript',
    body: `
const count = (element, name) => { element.dataset[name] = String(Number(element.dataset[name] ?? 0) + 1); };
document.addEventListener('click', (event) => {
  const element = event.target.closest('[data-probe]');
  if (element) count(element, 'clicks');
});
document.addEventListener('keydown', (event) => {
  const element = event.target.closest('[role][data-probe]');
  if (element && (event.key === 'Enter' || event.key === ' ')) count(element, 'clicks');
});
// A console's form handler: counts the submission, stays on the page.
document.addEventListener('submit', (event) => {
  event.preventDefault();
  if (event.target.matches('[data-probe]')) count(event.target, 'submits');
});
`,
  },
  '/static/console.css': {
    type: 'text/css',
    body: `
body { margin: 0; }
#console-nav { display: flex; align-items: center; gap: 16px; padding: 0 16px; }
#console-nav .spacer { flex: 1; }
#console-nav button { background: none; border: 0; color: inherit; font: inherit; cursor: pointer; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 8px; }
.fixture-frame { display: block; width: 100%; height: 120px; border: 1px solid #c8c6c4; margin: 8px 0; }

html:has(body.aws) { background: #f2f3f3; }
.aws { font: 14px/1.4 "Amazon Ember", "Helvetica Neue", Roboto, Arial, sans-serif; color: #16191f; }
.aws #console-nav { height: 40px; background: #232f3e; color: #fff; }
.aws #console-nav .logo { font-weight: 700; font-size: 18px; color: #ff9900; }
.aws #console-nav .search { width: 320px; padding: 4px 8px; border: 1px solid #687078; border-radius: 4px; background: #0f1b2a; color: #fff; }
.aws #fixture-navbar { display: flex; align-items: center; gap: 12px; }
.aws #console-nav .legacy span { margin-left: 8px; }
.aws main { margin: 16px; padding: 16px 20px; background: #fff; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
.aws .crumbs { color: #0972d3; font-size: 13px; }
.aws h1 { font-size: 20px; margin: 8px 0 16px; }
.aws h1 .count { color: #5f6b7a; font-weight: 400; }
.aws th, .aws td { border-bottom: 1px solid #e9ebed; }
.aws th { background: #fafafa; }

.azure { font: 13px/1.4 "Segoe UI", "Segoe UI Web (West European)", Roboto, Arial, sans-serif; color: #323130; background: #faf9f8; }
.azure #console-nav { position: fixed; top: 0; left: 0; right: 0; height: 40px; background: #0078d4; color: #fff; z-index: 10; }
.azure #console-nav .logo { font-size: 15px; font-weight: 600; }
.azure #console-nav .search { width: 420px; padding: 5px 8px; border: 0; border-radius: 2px; background: #fff; }
.azure .fxs-avatarmenu { text-align: right; line-height: 1.2; }
.azure .fxs-avatarmenu-username { font-size: 12px; }
.azure .fxs-avatarmenu-tenant { font-size: 10px; text-transform: uppercase; opacity: .85; }
.azure .fxs-journey { padding: 48px 16px 16px; }
.azure .crumbs { color: #0078d4; margin-bottom: 8px; }
.azure .fxs-blades { display: flex; gap: 8px; align-items: flex-start; }
.azure .fxs-blade { flex: 1; background: #fff; box-shadow: 0 1.6px 3.6px rgba(0,0,0,.13); padding: 12px 20px; }
.azure .fxs-blade-collapsed { flex: 0 0 220px; color: #605e5c; }
.azure .fxs-blade-header h2 { font-size: 20px; font-weight: 600; margin: 0 0 12px; }
.azure th, .azure td { border-bottom: 1px solid #edebe9; }

.gcp { font: 14px/1.45 Roboto, "Google Sans", Arial, sans-serif; color: #202124; background: #f8f9fa; }
.gcp #console-nav { position: sticky; top: 0; z-index: 10; height: 48px; background: #fff; border-bottom: 1px solid #dadce0; }
.gcp #console-nav .logo { font-size: 18px; color: #5f6368; }
.gcp .cfc-switcher-button { border: 1px solid #dadce0 !important; border-radius: 4px; padding: 6px 10px !important; }
.gcp .project-placeholder { color: #5f6368; }
.gcp #console-nav .search { width: 420px; padding: 8px 12px; border: 0; border-radius: 8px; background: #f1f3f4; }
.gcp .avatar { display: inline-flex; align-items: center; justify-content: center; width: 32px; height: 32px; border-radius: 50%; background: #1a73e8; color: #fff; text-decoration: none; }
.gcp main { padding: 16px 24px; }
.gcp h1 { font-size: 22px; font-weight: 400; }
.gcp .cards { display: flex; gap: 16px; }
.gcp .card { flex: 1; background: #fff; border: 1px solid #dadce0; border-radius: 8px; padding: 8px 16px; }
.gcp .card h2 { font-size: 16px; font-weight: 500; }

.aiven { font: 14px/1.5 Inter, "Helvetica Neue", Arial, sans-serif; color: #3a3a44; background: #f7f7fa; }
.aiven #console-nav { height: 56px; background: #fff; border-bottom: 1px solid #e1e1e3; }
.aiven #console-nav .logo { font-weight: 800; font-size: 20px; color: #ff5200; }
.aiven .aiven-layout { display: flex; }
.aiven .aiven-side { display: flex; flex-direction: column; gap: 4px; width: 200px; padding: 16px; }
.aiven .aiven-side a { padding: 6px 10px; border-radius: 6px; color: #3a3a44; }
.aiven .aiven-side a:first-child { background: #ececf0; font-weight: 600; }
.aiven main { flex: 1; margin: 16px; padding: 16px 20px; background: #fff; border-radius: 8px; border: 1px solid #e1e1e3; }
.aiven h1 { font-size: 22px; margin: 0 0 12px; }
.aiven th, .aiven td { border-bottom: 1px solid #e1e1e3; }
`,
  },
  '/static/late.js': {
    type: 'text/javascript',
    body: `
const late = document.getElementById('fixture-late');
setTimeout(() => {
  for (const part of late.content.querySelectorAll('template[data-slot]')) {
    document.getElementById(part.dataset.slot).replaceChildren(part.content.cloneNode(true));
  }
}, Number(late.dataset.delayMs));
`,
  },
  '/static/spa.js': {
    type: 'text/javascript',
    body: `
document.getElementById('fixture-navigate').addEventListener('click', () => {
  const next = document.getElementById('fixture-next');
  if (next.dataset.userInfo !== undefined) document.cookie = 'aws-userInfo=' + next.dataset.userInfo + '; path=/';
  const sessionData = document.querySelector('meta[name="awsc-session-data"]');
  if (next.dataset.sessionData !== undefined) {
    const meta = sessionData ?? document.head.appendChild(document.createElement('meta'));
    meta.name = 'awsc-session-data';
    meta.content = next.dataset.sessionData;
  } else {
    sessionData?.remove();
  }
  for (const part of next.content.querySelectorAll('template[data-slot]')) {
    document.getElementById(part.dataset.slot).replaceChildren(part.content.cloneNode(true));
  }
  if (next.dataset.url !== undefined) {
    if (next.dataset.replace !== undefined) history.replaceState({}, '', next.dataset.url);
    else history.pushState({}, '', next.dataset.url);
  }
  if (next.dataset.hash !== undefined) location.hash = next.dataset.hash;
});
`,
  },
};

// Browsers send neither the fragment nor user-info ("https://a@b/") to the server.
function pageKey(url) {
  return `${url.origin}${url.pathname}${url.search}`;
}

/**
 * The fixture server's state and its answer to one request, whatever carries the request: registered
 * pages by URL (without the fragment), the static files above on any host, CSP violation reports
 * (recorded), 404 otherwise. `respond` gives `{ status, contentType, headers, body }`.
 */
export function fixtureRouter() {
  const pages = new Map();
  const cspReports = [];
  return {
    cspReports,
    /** Serves `html` at `url` (fragment ignored), with `csp` as Content-Security-Policy if given. */
    set(url, html, { csp } = {}) {
      pages.set(pageKey(new URL(url)), { html, csp });
    },
    respond(requestUrl, postData) {
      const url = new URL(requestUrl);
      if (url.pathname === '/csp-report') {
        cspReports.push({ url: requestUrl, body: postData });
        return { status: 204 };
      }
      const file = STATIC_FILES[url.pathname];
      if (file) return { status: 200, contentType: file.type, body: file.body };
      const page = pages.get(pageKey(url));
      if (!page) return { status: 404, contentType: 'text/plain', body: 'not a fixture' };
      const headers = page.csp ? { 'content-security-policy': `${page.csp}; report-uri /csp-report` } : {};
      return { status: 200, contentType: 'text/html; charset=utf-8', headers, body: page.html };
    },
  };
}

/** Serves the fixture pages (fixtureRouter) for every http(s) URL of a Playwright context. */
export async function serveFixtures(context) {
  const router = fixtureRouter();
  await context.route(
    (url) => url.protocol === 'https:' || url.protocol === 'http:',
    (route) => {
      const request = route.request();
      const { status, contentType, headers, body } = router.respond(request.url(), request.postData());
      return route.fulfill({ status, contentType, headers, body });
    },
  );
  return { cspReports: router.cspReports, set: router.set };
}

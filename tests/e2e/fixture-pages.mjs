// Console-like pages that expose redline's signals the way the real AWS console does, served under
// the real host names through Playwright's request routing. Shared by the e2e tests, the demo and
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

/** The account and user parts of the navbar, current and legacy generations. */
function navbarSignals(signals) {
  const parts = [];
  if (signals.awsNavAccountId !== undefined) {
    parts.push(
      `<div class="account" data-testid="account-detail-menu"><span>${escapeHtml(signals.awsNavAccountId)}</span>` +
        `<button data-testid="awsc-copy-accountid">Copy</button></div>`,
    );
  }
  if (signals.awsNavUser !== undefined) {
    parts.push(`<button id="nav-usernameMenu" class="user">${escapeHtml(signals.awsNavUser)}</button>`);
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

/**
 * One console page.
 * - `signals`: fixture signals (see tests/fixtures/aws.json); awsUserInfo is a cookie, set by the caller.
 * - `lateMs`: the navbar's account and user parts appear that long after load (/static/late.js).
 * - `next`: signals an in-page navigation switches to when #fixture-navigate is clicked
 *   (/static/spa.js): `{ signals, url }` navigates with history.pushState, `{ signals, hash }` by
 *   assigning location.hash.
 */
export function consolePage({ title = 'AWS Management Console', signals = {}, lateMs, next } = {}) {
  const navbar = navbarSignals(signals);
  const scripts = [];
  if (lateMs !== undefined) scripts.push('/static/late.js');
  if (next) scripts.push('/static/spa.js');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
${headSignals(signals)}
<link rel="stylesheet" href="/static/console.css">
${scripts.map((src) => `<script src="${src}" defer></script>`).join('\n')}
</head>
<body>
<header data-testid="awsc-nav-header" id="console-nav">
<span class="logo">aws</span>
<span class="services">Services</span>
<input class="search" placeholder="Search" aria-label="Search">
<span class="spacer"></span>
<div id="fixture-navbar">${lateMs === undefined ? navbar : ''}</div>
</header>
<main>
<nav class="crumbs">EC2 › Instances</nav>
<h1>Instances <span class="count">(3)</span></h1>
${next ? '<button id="fixture-navigate" type="button">Open another view</button>' : ''}
<table>
<thead><tr><th>Name</th><th>Instance ID</th><th>State</th><th>Type</th><th>Zone</th></tr></thead>
<tbody>
<tr><td>web-1</td><td>i-0a1b2c3d4e5f60718</td><td>Running</td><td>t3.medium</td><td>a</td></tr>
<tr><td>web-2</td><td>i-0f9e8d7c6b5a40312</td><td>Running</td><td>t3.medium</td><td>b</td></tr>
<tr><td>batch</td><td>i-05a4b3c2d1e0f9876</td><td>Stopped</td><td>m6i.large</td><td>c</td></tr>
</tbody>
</table>
</main>
${lateMs === undefined ? '' : `<template id="fixture-late" data-delay-ms="${lateMs}">${navbar}</template>`}
${next ? nextTemplate(next) : ''}
</body>
</html>
`;
}

function nextTemplate({ signals, url, hash }) {
  const attributes = [
    url === undefined ? '' : ` data-url="${escapeHtml(url)}"`,
    hash === undefined ? '' : ` data-hash="${escapeHtml(hash)}"`,
    signals.awsSessionData === undefined ? '' : ` data-session-data="${escapeHtml(signalText(signals.awsSessionData))}"`,
    signals.awsUserInfo === undefined ? '' : ` data-user-info="${escapeHtml(userInfoCookieValue(signals.awsUserInfo))}"`,
  ].join('');
  return `<template id="fixture-next"${attributes}>${navbarSignals(signals)}</template>`;
}

const STATIC_FILES = {
  '/static/console.css': {
    type: 'text/css',
    body: `
html { background: #f2f3f3; }
body { margin: 0; font: 14px/1.4 "Amazon Ember", "Helvetica Neue", Roboto, Arial, sans-serif; color: #16191f; }
#console-nav { display: flex; align-items: center; gap: 16px; height: 40px; padding: 0 16px; background: #232f3e; color: #fff; }
#console-nav .logo { font-weight: 700; font-size: 18px; color: #ff9900; }
#console-nav .search { width: 320px; padding: 4px 8px; border: 1px solid #687078; border-radius: 4px; background: #0f1b2a; color: #fff; }
#console-nav .spacer { flex: 1; }
#fixture-navbar { display: flex; align-items: center; gap: 12px; }
#console-nav button { background: none; border: 0; color: #fff; font: inherit; cursor: pointer; }
#console-nav .legacy span { margin-left: 8px; }
main { margin: 16px; padding: 16px 20px; background: #fff; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
.crumbs { color: #0972d3; font-size: 13px; }
h1 { font-size: 20px; margin: 8px 0 16px; }
h1 .count { color: #5f6b7a; font-weight: 400; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 8px; border-bottom: 1px solid #e9ebed; }
th { background: #fafafa; }
`,
  },
  '/static/late.js': {
    type: 'text/javascript',
    body: `
const late = document.getElementById('fixture-late');
setTimeout(() => {
  document.getElementById('fixture-navbar').append(late.content.cloneNode(true));
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
  document.getElementById('fixture-navbar').replaceChildren(next.content.cloneNode(true));
  if (next.dataset.url !== undefined) history.pushState({}, '', next.dataset.url);
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
 * Serves fixture pages for every http(s) URL of the context: registered pages by URL (without the
 * fragment), the static files above on any host, CSP violation reports (recorded), 404 otherwise.
 */
export async function serveFixtures(context) {
  const pages = new Map();
  const cspReports = [];
  await context.route(
    (url) => url.protocol === 'https:' || url.protocol === 'http:',
    async (route) => {
      const request = route.request();
      const url = new URL(request.url());
      if (url.pathname === '/csp-report') {
        cspReports.push({ url: request.url(), body: request.postData() });
        return route.fulfill({ status: 204 });
      }
      const file = STATIC_FILES[url.pathname];
      if (file) return route.fulfill({ contentType: file.type, body: file.body });
      const page = pages.get(pageKey(url));
      if (!page) return route.fulfill({ status: 404, contentType: 'text/plain', body: 'not a fixture' });
      const headers = page.csp ? { 'content-security-policy': `${page.csp}; report-uri /csp-report` } : {};
      return route.fulfill({ contentType: 'text/html; charset=utf-8', headers, body: page.html });
    },
  );
  return {
    cspReports,
    /** Serves `html` at `url` (fragment ignored), with `csp` as Content-Security-Policy if given. */
    set(url, html, { csp } = {}) {
      pages.set(pageKey(new URL(url)), { html, csp });
    },
  };
}

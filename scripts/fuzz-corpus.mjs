#!/usr/bin/env node
// Writes the seed corpora of the fuzz targets, fuzz/corpus/<target>/, from the fixture tables:
// console rows (tests/fixtures/*.json), configuration texts (tests/fixtures/config/invalid.json,
// src/config/seed.toml), import files (tests/fixtures/import/*.ini). Each target reads its bytes as
// src/fuzzing.rs says; the structured targets start from a fixture row named by the first two
// bytes (little-endian), the rest zero meaning "as the row is". Seeds are named by their content's
// hash, so running this again adds nothing twice and keeps what the fuzzer found.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path) => readFileSync(join(root, path), 'utf8');

const seeds = new Map();
const add = (target, data) => {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data);
  if (!seeds.has(target)) seeds.set(target, new Map());
  seeds.get(target).set(createHash('sha1').update(bytes).digest('hex'), bytes);
};

// Console rows, in the order src/fuzzing.rs reads them (fixture_rows).
const rows = ['aws', 'azure', 'gcp', 'aiven'].flatMap((name) => JSON.parse(read(`tests/fixtures/${name}.json`)).cases);
// The signals as the content script sends them (tests/support/fixtures.rs: Case::signals).
const signalsOf = (row) =>
  Object.fromEntries(
    Object.entries(row.signals).map(([key, value]) => [
      key,
      typeof value === 'string' ? value : key === 'awsUserInfo' ? encodeURIComponent(JSON.stringify(value)) : JSON.stringify(value),
    ]),
  );

const seed = read('src/config/seed.toml');
const invalid = JSON.parse(read('tests/fixtures/config/invalid.json')).cases.map((c) => c.text);
const ini = readdirSync(join(root, 'tests/fixtures/import')).filter((f) => f.endsWith('.ini')).map((f) => read(`tests/fixtures/import/${f}`));
const portalText = [
  '# Learned from the access portal https://d-1234567890.awsapps.com/start (names and ids only).',
  '',
  '[[aws.accounts]]',
  'id = "111122223333"',
  'label = "Acme Prod"',
  '',
  '[[targets]]',
  'provider = "aws"',
  'label = "Acme Prod · ReadOnlyAccess"',
  'account = "111122223333"',
  'role = "ReadOnlyAccess"',
  'portal = "https://d-1234567890.awsapps.com/start"',
  '',
].join('\n');
const userTargets = `${seed}
[[targets]]
provider = "aws"
account = "111111111111"
role = "Admin"
region = "eu-west-2"

[[targets]]
provider = "gcp"
project = "govuk-paas"

[[targets]]
provider = "azure"
tenant = "contoso.onmicrosoft.com"
app = "00000000-0000-0000-0000-000000000001"

[[targets]]
provider = "aiven"
project = "acme-prod"
`;
const managed = `[[aws.accounts]]
id = "111111111111"
environment = "prod"
locked = true
`;

for (const text of [seed, userTargets, managed, portalText, ...invalid]) add('config', text);

// configure: a flag byte (bit 0 user, 1 managed, 2 learned, 3 a second user text), then the texts.
const configure = (flags, ...texts) => add('configure', Buffer.concat([Buffer.from([flags]), Buffer.from(texts.join('\0'))]));
configure(0);
configure(1, userTargets);
configure(3, userTargets, managed);
configure(7, userTargets, managed, portalText);
configure(4, portalText);
for (const text of invalid) configure(9, text, userTargets);

for (const text of ini) {
  add('import_esr', text);
  add('import_cli', text);
}

for (const row of rows) {
  const signals = signalsOf(row);
  add('signals_json', JSON.stringify(signals));
  add('detect', row.url);
  if (row.url.includes('.aws') || row.url.includes('amazonaws')) {
    const fields = ['awsSessionData', 'awsUserInfo', 'awsNavAccountId', 'awsNavPrincipal', 'awsNavUser', 'awsNavUserTitle',
      'awsLegacyLoginAccount', 'awsLegacyLoginUser', 'awsLegacyRoleAccount', 'awsLegacyRoleUser', 'awsRegion'];
    add('aws_signals', [row.url, ...fields.map((f) => signals[f] ?? '')].join('\0'));
  }
}
for (const url of [
  'https://d-1234567890.awsapps.com/start/#/?tab=accounts',
  'https://start.us-gov-home.awsapps.com/directory/d-9067/#/',
  'https://eu-west-2.signin.aws.amazon.com/oauth?x=1',
  'https://111122223333-ab12cd34.eu-west-2.console.aws.amazon.com/console/home?login_hint=x',
  'https://console.aws.amazon.com@evil.example/',
]) add('detect', url);

// Structured targets: the first two bytes pick the fixture row.
for (let i = 0; i < rows.length; i++) {
  add('evaluate', [i & 255, i >> 8]);
  add('plan', [i & 255, i >> 8]);
}
for (let i = 0; i < 4; i++) add('portal', [0, 0, 0, 0, i]);

let total = 0;
for (const [target, byHash] of seeds) {
  const dir = join(root, 'fuzz/corpus', target);
  mkdirSync(dir, { recursive: true });
  for (const [hash, bytes] of byHash) writeFileSync(join(dir, `seed-${hash}`), bytes);
  total += byHash.size;
}
console.log(`fuzz-corpus: ${total} seeds for ${seeds.size} targets in fuzz/corpus/`);

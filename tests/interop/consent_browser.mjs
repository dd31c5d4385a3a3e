// Drives civicpub's sign-in and consent page in Debian's Chromium (never a downloaded browser)
// with the pinned playwright-core, and checks each page with the pinned axe-core for WCAG 2.1
// A and AA violations. Run by test_consent_browser.py:
//
//   node consent_browser.mjs AUTHORIZE_URL LOGIN PASSWORD ACT_AS
//
// Prints one JSON line: {"pages": {name: [violations]}, "code": "<the out-of-band code>"}.
// Steps: the page as the app opens it; a wrong password (the page again, with its error); the
// right password with "Act as" filled in, which shows the out-of-band code page.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const WCAG21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const [authorizeUrl, login, password, actAs] = process.argv.slice(2);

async function audit(page) {
  // Injected through the DevTools protocol: the page's Content-Security-Policy allows no scripts.
  await page.evaluate(axeSource);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), WCAG21_AA);
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.html),
  }));
}

async function signIn(page, secret) {
  await page.getByLabel('E-mail address or username').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(secret);
  await page.getByLabel(/^Act as/).fill(actAs);
  await Promise.all([
    page.waitForLoadState('load'),
    page.getByRole('button', { name: 'Sign in and allow' }).click(),
  ]);
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  // Root in a container has no user namespaces for Chromium's sandbox.
  args: ['--no-sandbox'],
  timeout: 60000,
});
try {
  const page = await browser.newPage({ bypassCSP: false });
  page.setDefaultTimeout(30000);
  const pages = {};
  const opened = await page.goto(authorizeUrl);
  if (opened.status() !== 200) throw new Error(`authorize page: HTTP ${opened.status()}`);
  pages.login_and_consent = await audit(page);

  await signIn(page, password + ' wrong');
  if (!(await page.getByRole('alert').isVisible())) throw new Error('no error shown');
  pages.login_error = await audit(page);

  await signIn(page, password);
  const code = (await page.locator('#code').textContent()).trim();
  pages.out_of_band_code = await audit(page);
  console.log(JSON.stringify({ pages, code }));
} finally {
  await browser.close();
}

// A fixture that starts the real `moim-server` binary with the sample portal on a
// free loopback port and a temporary SQLite database, and stops it after the test.
const base = require('@playwright/test');
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { freePort, waitFor } = require('../cluster');

const binary = path.resolve(__dirname, '../../target/debug/moim-server');
const DEMO_PASSWORD = 'moim-demo-2026';


// Starts the server binary; `stop()` ends it. Options: the port, a data directory
// (shared by two servers in turn), a built app to serve instead of target/site,
// and whether the sample portal's admins and CMs need a second factor to act
// (they do in production; the stories of other specs sign them in many times a
// minute, which one authenticator app's codes, each good once, cannot follow).
// `host` names the address the pages are opened at (and the server's public
// address): `localhost` for passkeys, which browsers refuse at an IP address.
async function startServer({ port, dir, siteDir, staffSecondFactor = false, host = '127.0.0.1' } = {}) {
  dir = dir || fs.mkdtempSync(path.join(os.tmpdir(), 'moim-e2e-'));
  port = port || await freePort();
  const local = `http://127.0.0.1:${port}`;
  const url = `http://${host}:${port}`;
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  // The mail worker looks every second, so a test reading the outbox's .eml files
  // waits a moment, not ten.
  const env = { ...process.env, DATABASE_URL: `sqlite://${dir}/moim.db`, MOIM_DATA_DIR: path.join(dir, 'data'), MOIM_MAIL_EVERY: '1', RUST_LOG: 'warn' };
  if (siteDir) env.MOIM_SITE_DIR = siteDir;
  if (!staffSecondFactor) env.MOIM_STAFF_WITHOUT_SECOND_FACTOR = 'true';
  if (host !== '127.0.0.1') env.MOIM_PUBLIC_URL = url;
  const child = spawn(binary, ['serve', '--demo', '--listen', `127.0.0.1:${port}`], { env, stdio: ['ignore', log, log] });
  await waitFor(`${local}/api/health`, child, 'the server', { within: 30_000, every: 150 });
  // SIGTERM stops it cleanly: requests in flight finish, then exit 0 (within
  // its 20 s grace and a little more; after that it is killed and that fails).
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const exited = new Promise(r => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
    const late = setTimeout(() => child.kill('SIGKILL'), 25_000);
    await exited;
    clearTimeout(late);
    if (child.exitCode !== 0) throw new Error(`the server did not stop cleanly on SIGTERM: ${child.exitCode ?? child.signalCode}`);
  };
  return { url, dir, port, stop };
}

const test = base.test.extend({
  // Tests that provoke 4xx answers on purpose set this: Chrome logs each as an error.
  allowHttpErrors: [false, { option: true }],
  // Tests that make the server answer 500 on purpose (see actions.spec.js) set this.
  allowServerErrors: [false, { option: true }],
  // Tests that take the network away on purpose set this: Chrome logs each failed load
  // (ERR_FAILED when the service worker could not answer a request from its cache).
  allowOffline: [false, { option: true }],
  // Specs about the second factor of admins and CMs set this (see startServer).
  staffSecondFactor: [false, { option: true }],
  // The host the pages are opened at (see startServer).
  host: ['127.0.0.1', { option: true }],
  // The test's own server. Its pages are closed before it stops, so a request still
  // under way when the test ends is not cut off and reported as a console error.
  server: async ({ context, staffSecondFactor, host }, use, testInfo) => {
    const server = await startServer({ staffSecondFactor, host });
    try {
      await use({ url: server.url, dir: server.dir });
    } finally {
      await Promise.all(context.pages().map((p) => p.close()));
      await server.stop();
      // A failed test shows what the server said (a 500's cause is only there):
      // the directory goes with the test.
      if (testInfo.status !== testInfo.expectedStatus) {
        const log = fs.readFileSync(path.join(server.dir, 'server.log'), 'utf8');
        await testInfo.attach('server.log', { body: log, contentType: 'text/plain' });
        process.stderr.write(`--- server.log of "${testInfo.title}" (last 60 lines)\n${log.split('\n').slice(-60).join('\n')}\n`);
      }
      fs.rmSync(server.dir, { recursive: true, force: true });
    }
  },
  // Fail on any page error or console error (a broken wasm start shows up here).
  page: async ({ page, allowHttpErrors, allowServerErrors, allowOffline }, use) => {
    const problems = [];
    page.on('pageerror', e => problems.push(`pageerror: ${e.message}`));
    page.on('console', m => {
      if (m.type() !== 'error') return;
      if (allowHttpErrors && /status of 4\d\d/.test(m.text())) return;
      if (allowServerErrors && /status of 5\d\d/.test(m.text())) return;
      if (allowOffline && /ERR_INTERNET_DISCONNECTED|net::ERR_FAILED|Failed to fetch/.test(m.text())) return;
      problems.push(`console: ${m.text()}`);
    });
    await use(page);
    base.expect(problems, 'no errors in the browser console').toEqual([]);
  },
});

// Signs in through the form and waits until the app has left the sign-in page, so a
// click that follows never races the redirect that signing in starts.
async function signIn(page, url, email, password = DEMO_PASSWORD) {
  await page.goto(`${url}/signin`);
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(password);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await base.expect(page.getByRole('button', { name: '로그아웃' })).toBeVisible();
  await page.waitForURL(u => !u.pathname.startsWith('/signin'));
}

async function signOut(page) {
  await page.getByRole('button', { name: '로그아웃' }).click();
  await base.expect(page.getByRole('banner').getByRole('link', { name: '로그인', exact: true })).toBeVisible();
}

async function noHorizontalScroll(page) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  base.expect(scroll, 'no horizontal scrolling').toBeLessThanOrEqual(width);
}

// The newest mail in the server's outbox directory (data/mail/*.eml, written by
// its mail worker) whose text matches `re`.
async function mailMatching(dir, re) {
  const mailDir = path.join(dir, 'data', 'mail');
  let found = null;
  await base.expect.poll(() => {
    const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter(f => f.endsWith('.eml')).sort() : [];
    found = files.map(f => fs.readFileSync(path.join(mailDir, f), 'utf8')).reverse().find(m => re.test(m)) || null;
    return found !== null;
  }, { timeout: 15_000 }).toBe(true);
  return found;
}

// Opens the verification link mailed to `email` (as the person does after signing
// up): it signs them in.
async function verifyFromMail(page, server, email) {
  const escaped = email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const mail = await mailMatching(server.dir, new RegExp(`<${escaped}>[\\s\\S]*verify-email#token=`));
  const token = mail.match(/verify-email#token=([0-9a-f]{64})/)[1];
  await page.goto(`${server.url}/verify-email#token=${token}`);
}

// A valid business registration number (check digit computed), unique per run.
function businessNumber() {
  const w = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  const d = String(300000000 + Math.floor(Math.random() * 600000000)).split('').map(Number);
  const sum = d.reduce((s, x, i) => s + x * w[i], 0) + Math.floor((d[8] * 5) / 10);
  const s = d.join('') + ((10 - (sum % 10)) % 10);
  return `${s.slice(0, 3)}-${s.slice(3, 5)}-${s.slice(5)}`;
}

// Signs up through the form as the first person of a new firm in the Changwon
// complex, and waits for "check your mail".
async function signUpFirm(page, url, { email, password, name, firm }) {
  await page.goto(`${url}/signup`);
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(password);
  await page.getByLabel('이름').fill(name);
  await page.getByLabel('사업자등록번호').fill(businessNumber());
  await page.getByLabel('기관명').fill(`${firm} ${Math.floor(Math.random() * 1e6)}`);
  await page.getByLabel('산업단지').selectOption({ label: '창원국가산업단지' });
  await page.getByLabel('임직원 수').fill('9');
  await page.getByLabel('주요 업종').fill('정밀 가공');
  await page.getByLabel('[필수] 개인정보 수집·이용에 동의합니다').check();
  await page.getByRole('button', { name: '가입하기' }).click();
  await base.expect(page.getByTestId('signup-sent')).toContainText(email);
}

/** Moves an activity's times (and a 수출상담회's setup) `days` into the past, in the
 * server's SQLite file (each timestamp keeps its written form): what a test would
 * otherwise wait for in real time. */
function moveBack(dir, id, days) {
  const script = `
import json, re, sqlite3, sys
from datetime import datetime, timedelta
db, aid, days = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def back(t):
    d = datetime.fromisoformat(t.replace('Z', '+00:00')) - timedelta(days=days)
    out = d.isoformat(sep='T' if 'T' in t else ' ')
    return out.replace('+00:00', 'Z') if t.endswith('Z') else out
c = sqlite3.connect(db)
starts, ends, deadline, setup = c.execute('SELECT starts_at, ends_at, deadline, matchmaking FROM activities WHERE id = ?', (aid,)).fetchone()
s = json.loads(setup) if setup else None
if s:
    for x in s['sessions']:
        x['starts_at'], x['ends_at'] = back(x['starts_at']), back(x['ends_at'])
    s['booking_opens_at'], s['booking_closes_at'] = back(s['booking_opens_at']), back(s['booking_closes_at'])
c.execute('UPDATE activities SET starts_at = ?, ends_at = ?, deadline = ?, matchmaking = ? WHERE id = ?',
          (back(starts), back(ends), back(deadline), json.dumps(s) if s else None, aid))
c.commit()
`;
  execFileSync('python3', ['-c', script, path.join(dir, 'moim.db'), String(id), String(days)]);
}

module.exports = {
  moveBack,
  test, expect: base.expect, DEMO_PASSWORD, signIn, signOut, noHorizontalScroll, startServer,
  mailMatching, verifyFromMail, businessNumber, signUpFirm, binary,
};

// A second factor, as a person sets it up on the security page: scan (or type)
// the app's key, prove it with a code, keep the recovery codes; then signing in
// asks for a code from the app, and a recovery code works once.
const crypto = require('crypto');
const { test, expect, signIn, signOut, verifyFromMail, mailMatching, signUpFirm, DEMO_PASSWORD } = require('./server');

// A wrong code answers 422, which Chrome logs; admins and CMs need a second
// factor here, as in production.
test.use({ allowHttpErrors: true, staffSecondFactor: true });

// RFC 6238: the six digits an authenticator app shows for `key` (base32),
// `offset` seconds from now.
function totp(key, offset = 0) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of key.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const secret = Buffer.from(bits.match(/.{8}/g).map(b => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor((Date.now() / 1000 + offset) / 30)));
  const mac = crypto.createHmac('sha1', secret).update(counter).digest();
  const at = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(at) & 0x7fffffff) % 1e6).padStart(6, '0');
}

// Adds an authenticator app on the security page (the password asked for);
// returns its key and the recovery codes' list.
async function addApp(page, url, password) {
  await page.goto(`${url}/me/security`);
  await page.getByLabel('비밀번호 확인').fill(password);
  await page.getByRole('button', { name: '인증 앱 등록하기' }).click();
  const key = (await page.getByTestId('totp-key').textContent()).replace(/\s/g, '');
  await page.getByLabel('앱에 표시된 6자리 코드').fill(totp(key));
  await page.getByRole('button', { name: '확인하고 켜기' }).click();
  const codes = page.getByTestId('recovery-codes').getByRole('listitem');
  await expect(codes).toHaveCount(10);
  return { key, codes };
}

async function firstStep(page, url, email, password) {
  await page.goto(`${url}/signin`);
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill(password);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await expect(page.getByRole('heading', { name: '2단계 인증' })).toBeVisible();
}

test('a person adds an authenticator app, signs in with its code, and once with a recovery code', async ({ page, server }) => {
  const { url } = server;
  const email = `han.${Date.now()}@dubeon.example`;
  const password = '두 번 잠그는 금고 문 2026';
  await signUpFirm(page, url, { email, password, name: '한두번', firm: '두번정공' });
  await verifyFromMail(page, server, email);
  await expect(page.getByRole('heading', { name: '내 정보' })).toBeVisible();

  // The security page: the password first, then the QR code and its key.
  await page.goto(`${url}/me/security`);
  await expect(page.getByRole('heading', { name: '2단계 인증' })).toBeVisible();
  await page.getByLabel('비밀번호 확인').fill('not my password');
  await page.getByRole('button', { name: '인증 앱 등록하기' }).click();
  await expect(page.getByText('현재 비밀번호가 맞지 않습니다.')).toBeVisible();
  await page.getByLabel('비밀번호 확인').fill(password);
  await page.getByRole('button', { name: '인증 앱 등록하기' }).click();
  await expect(page.getByRole('img', { name: '인증 앱에 등록할 QR 코드' })).toBeVisible();
  const key = (await page.getByTestId('totp-key').textContent()).replace(/\s/g, '');
  expect(key).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel('앱에 표시된 6자리 코드').fill('000000');
  await page.getByRole('button', { name: '확인하고 켜기' }).click();
  await expect(page.getByText('코드가 맞지 않거나 이미 쓴 코드입니다.')).toBeVisible();
  await page.getByLabel('앱에 표시된 6자리 코드').fill(totp(key));
  await page.getByRole('button', { name: '확인하고 켜기' }).click();

  // Ten recovery codes, shown once; then the status.
  const codes = page.getByTestId('recovery-codes').getByRole('listitem');
  await expect(codes).toHaveCount(10);
  const recovery = (await codes.first().textContent()).trim();
  expect(recovery).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);
  await expect(page.getByRole('link', { name: '파일로 저장' })).toHaveAttribute('download', 'moim-recovery-codes.txt');
  await page.getByRole('button', { name: '보관했습니다' }).click();
  await expect(page.getByTestId('factor-status')).toContainText('10');
  const notice = await mailMatching(server.dir, /two-step sign-in is on/);
  expect(notice).toContain(email);

  // Signing in now asks for the app's code (the next one: the first was used).
  await signOut(page);
  await firstStep(page, url, email, password);
  await page.getByLabel('인증 코드').fill(totp(key, 30));
  await page.getByRole('button', { name: '확인', exact: true }).click();
  await expect(page.getByRole('button', { name: '로그아웃' })).toBeVisible();

  // A recovery code stands in for the phone, once.
  await signOut(page);
  await firstStep(page, url, email, password);
  await page.getByRole('button', { name: '복구 코드 사용하기' }).click();
  await page.getByLabel('복구 코드').fill(recovery.toLowerCase());
  await page.getByRole('button', { name: '확인', exact: true }).click();
  await expect(page.getByRole('button', { name: '로그아웃' })).toBeVisible();
  await page.goto(`${url}/me/security`);
  await expect(page.getByTestId('factor-status')).toContainText('9');
  await signOut(page);
  await firstStep(page, url, email, password);
  await page.getByRole('button', { name: '복구 코드 사용하기' }).click();
  await page.getByLabel('복구 코드').fill(recovery);
  await page.getByRole('button', { name: '확인', exact: true }).click();
  await expect(page.getByText('코드가 맞지 않거나 이미 쓴 코드입니다.')).toBeVisible();
});

test('an admin without a second factor is told so everywhere and uses no power until they add one', async ({ page, server }) => {
  const { url } = server;
  await signIn(page, url, 'admin@moim.example');
  const notice = page.getByRole('status').filter({ hasText: '관리자와 CM은 2단계 인증을 등록해야' });
  await expect(notice).toBeVisible();
  await page.goto(`${url}/admin`);
  await expect(page.getByText('2단계 인증을 등록한 뒤에 할 수 있습니다', { exact: false }).first()).toBeVisible();

  await notice.getByRole('link', { name: '인증 앱 등록하기' }).click();
  await expect(page).toHaveURL(/\/me\/security#second-factor$/);
  await addApp(page, url, DEMO_PASSWORD);
  await page.getByRole('button', { name: '보관했습니다' }).click();
  await expect(notice).toHaveCount(0);
  await page.goto(`${url}/admin`);
  await expect(page.getByRole('heading', { name: '관리' }).first()).toBeVisible();
  await expect(page.getByText('2단계 인증을 등록한 뒤에 할 수 있습니다', { exact: false })).toHaveCount(0);
});

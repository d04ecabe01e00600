// Passkeys, in Chromium with its virtual authenticator (the DevTools protocol's
// WebAuthn domain: a platform authenticator that keeps passkeys and verifies
// its user): an agency admin, who needs a second factor to use their powers,
// adds one on the security page, then signs in with it alone, and takes the
// second step of a password sign-in with it. Browsers refuse passkeys at an
// IP address, so the pages are opened at localhost.
const { test, expect, signOut, mailMatching, DEMO_PASSWORD } = require('./server');

// A refused passkey answers 422, which Chrome logs.
test.use({ staffSecondFactor: true, host: 'localhost', allowHttpErrors: true });

test('an admin adds a passkey and signs in with it, with and without the password', async ({ page, server }) => {
  const { url } = server;
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });

  await page.goto(`${url}/signin`);
  await page.getByLabel('이메일').fill('admin@moim.example');
  await page.getByLabel('비밀번호').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await expect(page.getByRole('button', { name: '로그아웃' })).toBeVisible();
  await expect(page.getByText('2단계 인증을 등록해야')).toBeVisible();

  // The security page: the passkey panel asks for a name and the password.
  await page.goto(`${url}/me/security`);
  await expect(page.getByRole('heading', { name: '패스키' })).toBeVisible();
  await expect(page.getByText('등록된 패스키가 없습니다.')).toBeVisible();
  await page.getByLabel('패스키 이름').fill('관리자 노트북');
  await page.getByLabel('비밀번호 (패스키 확인)').fill('not the password');
  await page.getByRole('button', { name: '이 기기로 패스키 추가' }).click();
  await expect(page.getByText('현재 비밀번호가 맞지 않습니다.')).toBeVisible();
  await page.getByLabel('비밀번호 (패스키 확인)').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '이 기기로 패스키 추가' }).click();

  // The admin's first second factor: ten recovery codes, shown once.
  await expect(page.getByTestId('recovery-codes').getByRole('listitem')).toHaveCount(10);
  await page.getByRole('button', { name: '보관했습니다' }).click();
  await expect(page.getByTestId('passkeys')).toContainText('관리자 노트북');
  await expect(page.getByTestId('passkeys')).toContainText('아직 없음');
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials).toHaveLength(1);
  expect(credentials[0].isResidentCredential).toBe(true);
  await mailMatching(server.dir, /a passkey was added/);
  await page.locator('#passkeys').screenshot({ path: test.info().outputPath('security-passkeys.png') });

  // Signing in with the passkey alone: no email, no password.
  await signOut(page);
  await page.goto(`${url}/signin`);
  // A person who does not confirm on the device is told, and can try again.
  await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
  await page.getByRole('button', { name: '패스키로 로그인' }).click();
  await expect(page.getByText('패스키 확인이 취소되었거나')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('signin-passkey.png') });
  await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
  await page.getByRole('button', { name: '패스키로 로그인' }).click();
  await expect(page.getByRole('button', { name: '로그아웃' })).toBeVisible();
  await page.waitForURL(u => !u.pathname.startsWith('/signin'));

  // The admin's powers work: the passkey is their second factor.
  await page.goto(`${url}/admin`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expect(page.getByText('2단계 인증을 등록해야')).toHaveCount(0);

  // A password sign-in asks for the second step, which the passkey takes.
  await signOut(page);
  await page.goto(`${url}/signin`);
  await page.getByLabel('이메일').fill('admin@moim.example');
  await page.getByLabel('비밀번호').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await expect(page.getByRole('heading', { name: '2단계 인증' })).toBeVisible();
  await page.getByRole('button', { name: '패스키로 확인' }).click();
  await expect(page.getByRole('button', { name: '로그아웃' })).toBeVisible();

  // The passkey's last use shows; removing it takes the password.
  await page.goto(`${url}/me/security`);
  await expect(page.getByTestId('passkeys')).not.toContainText('아직 없음');
  const passkeys = page.getByTestId('passkeys');
  const toggle = passkeys.getByRole('button', { name: '관리자 노트북 삭제' });
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await passkeys.getByLabel('비밀번호 (삭제 확인)').fill('not-the-password');
  await passkeys.getByRole('button', { name: '패스키 삭제' }).click();
  await expect(passkeys.getByText('현재 비밀번호가 맞지 않습니다.')).toBeVisible();
  await passkeys.getByLabel('비밀번호 (삭제 확인)').fill(DEMO_PASSWORD);
  await passkeys.getByRole('button', { name: '패스키 삭제' }).click();
  await expect(page.getByText('패스키를 삭제했습니다.')).toBeVisible();
  await expect(page.getByText('등록된 패스키가 없습니다.')).toBeVisible();
  await mailMatching(server.dir, /a passkey was removed/);
});

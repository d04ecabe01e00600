// Getting back in: a forgotten password reset from the mail the outbox writes
// (data/mail/*.eml), and the security page (change the password, sign other
// browsers out).
const fs = require('fs');
const path = require('path');
const { test, expect, signIn, DEMO_PASSWORD, mailMatching } = require('./server');

// Refused passwords and wrong current ones answer 422, which Chrome logs.
test.use({ allowHttpErrors: true });

const EMAIL = 'kim.minsu@hanbit.example';

test('a forgotten password is reset from the mail, and every old session ends', async ({ page, server, browser }) => {
  // Signed in elsewhere beforehand: that browser is signed out by the reset.
  const other = await browser.newContext();
  const elsewhere = await other.newPage();
  await signIn(elsewhere, server.url, EMAIL);

  await page.goto(`${server.url}/signin`);
  await page.getByLabel('이메일').fill(EMAIL);
  await page.getByRole('link', { name: '비밀번호를 잊으셨나요?' }).click();
  await expect(page.getByRole('heading', { name: '비밀번호 재설정' })).toBeVisible();
  await expect(page).toHaveURL(/\/forgot-password\?email=/);
  await expect(page.getByLabel('이메일')).toHaveValue(EMAIL);
  await page.getByRole('button', { name: '재설정 링크 받기' }).click();
  await expect(page.getByTestId('reset-sent')).toContainText(EMAIL);

  const mail = await mailMatching(server.dir, /reset-password#token=/);
  expect(mail).toContain(`<${EMAIL}>`);
  const token = mail.match(/reset-password#token=([0-9a-f]{64})/)[1];
  await page.goto(`${server.url}/reset-password#token=${token}`);
  await expect(page.getByRole('heading', { name: '새 비밀번호 정하기' })).toBeVisible();
  await expect(page.getByText(EMAIL)).toBeVisible();

  // Too easy a password is refused with the reason, on the field.
  await page.getByLabel('새 비밀번호').fill('qwertyuiop12');
  await page.getByRole('button', { name: '비밀번호 바꾸기' }).click();
  await expect(page.getByLabel('새 비밀번호')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('흔히 쓰는 비밀번호이거나 그와 비슷합니다.', { exact: false })).toBeVisible();

  const fresh = '봄날 오후 금형 공장 산책';
  await page.getByLabel('새 비밀번호').fill(fresh);
  await page.getByRole('button', { name: '비밀번호 바꾸기' }).click();
  await expect(page.getByTestId('reset-done')).toBeVisible();

  await elsewhere.goto(`${server.url}/me`);
  await expect(elsewhere.getByRole('link', { name: '로그인', exact: true }).first()).toBeVisible();
  await other.close();

  // The old password is gone, the new one works.
  await page.getByTestId('reset-done').getByRole('link', { name: '로그인' }).click();
  await page.getByLabel('이메일').fill(EMAIL);
  await page.getByLabel('비밀번호').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await expect(page.getByText('이메일 또는 비밀번호가')).toBeVisible();
  await signIn(page, server.url, EMAIL, fresh);

  // The link worked once.
  await page.goto(`${server.url}/reset-password#token=${token}`);
  await expect(page.getByTestId('dead-link')).toBeVisible();
  await expect(page.getByRole('link', { name: '새 링크 받기' })).toHaveAttribute('href', '/forgot-password');
});

test('the security page changes the password and signs other browsers out', async ({ page, server, browser }) => {
  const other = await browser.newContext();
  const elsewhere = await other.newPage();
  await signIn(elsewhere, server.url, EMAIL);
  await signIn(page, server.url, EMAIL);

  await page.goto(`${server.url}/me`);
  await page.getByRole('link', { name: '이메일, 비밀번호, 로그인된 기기' }).click();
  await expect(page.getByRole('heading', { name: '계정 보안' })).toBeVisible();
  // One page module draws both addresses: the address bar still follows.
  await expect(page).toHaveURL(/\/me\/security$/);
  const sessions = page.getByTestId('sessions').getByRole('listitem');
  await expect(sessions).toHaveCount(2);
  await expect(sessions.filter({ hasText: '이 기기' })).toHaveCount(1);
  await expect(sessions.first()).toContainText('Chrome');

  // Sign the other browser out from here.
  await sessions.filter({ hasNotText: '이 기기' }).getByRole('button', { name: '로그아웃' }).click();
  await expect(sessions).toHaveCount(1);
  await elsewhere.goto(`${server.url}/me`);
  await expect(elsewhere.getByRole('link', { name: '로그인', exact: true }).first()).toBeVisible();
  await other.close();

  // The current password is asked for.
  await page.getByLabel('현재 비밀번호').fill('not my password');
  await page.getByLabel('새 비밀번호').fill('가을 저녁 정밀 가공 라인');
  await page.getByRole('button', { name: '비밀번호 바꾸기' }).click();
  await expect(page.getByText('현재 비밀번호가 맞지 않습니다.')).toBeVisible();
  await page.getByLabel('현재 비밀번호').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '비밀번호 바꾸기' }).click();
  await expect(page.getByText('비밀번호를 바꿨습니다. 다른 기기는 모두 로그아웃되었습니다.')).toBeVisible();
  await expect(page.getByLabel('현재 비밀번호')).toHaveValue('');

  // Still signed in here, and the owner is told by mail.
  await page.reload();
  await expect(page.getByRole('heading', { name: '계정 보안' })).toBeVisible();
  const notice = await mailMatching(server.dir, /password of your Moim account was changed/);
  expect(notice).toContain(`<${EMAIL}>`);
});

test('an admin suspends an account, whose owner is told why, and lets them back', async ({ page, server, browser }) => {
  await signIn(page, server.url, 'admin@moim.example');
  await page.goto(`${server.url}/admin`);
  await page.getByLabel('이름 또는 이메일').fill('kim.minsu');
  await page.getByRole('button', { name: '찾기' }).click();
  const person = page.getByTestId('people').getByRole('listitem').filter({ hasText: EMAIL });
  await person.getByRole('button', { name: '계정 정지' }).click();
  await person.getByLabel('정지 사유').fill('광고성 게시물 반복 등록');
  await person.getByRole('button', { name: '정지하기' }).click();
  await expect(page.getByText('계정을 정지했습니다.')).toBeVisible();
  await expect(person.getByText('정지됨')).toBeVisible();
  await expect(page.getByText('계정 정지', { exact: true }).first()).toBeVisible(); // in the audit trail

  const other = await browser.newContext();
  const owner = await other.newPage();
  await owner.goto(`${server.url}/signin`);
  await owner.getByLabel('이메일').fill(EMAIL);
  await owner.getByLabel('비밀번호').fill(DEMO_PASSWORD);
  await owner.getByRole('button', { name: '로그인', exact: true }).click();
  await expect(owner.getByText('관리자가 이 계정의 이용을 정지했습니다. 사유: 광고성 게시물 반복 등록')).toBeVisible();

  await person.getByRole('button', { name: '정지 해제' }).click();
  await expect(page.getByText('정지를 해제했습니다.')).toBeVisible();
  await signIn(owner, server.url, EMAIL);
  await other.close();
});

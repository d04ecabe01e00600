// Email that belongs to the person: until the link mailed at sign-up is opened
// the person reads but does not act, and every page says so with the way to a
// new link; an account moves to a new address once that one's link is opened.
const { test, expect, signIn, verifyFromMail, mailMatching, signUpFirm } = require('./server');

// A refused action answers 403, which Chrome logs.
test.use({ allowHttpErrors: true });

test('an unverified person is told, gets a new link, and verifies; then moves to a new address', async ({ page, server }) => {
  const email = `choi.${Date.now()}@byeol.example`;
  const password = '별빛 가공 공장 아침 2026';
  await signUpFirm(page, server.url, { email, password, name: '최별', firm: '별빛정밀' });

  // Signed in without the link: every page says so, and acting is refused with why.
  await signIn(page, server.url, email, password);
  await expect(page.getByRole('status').filter({ hasText: '이메일 인증 전입니다' })).toBeVisible();
  await page.goto(`${server.url}/consortia/2`);
  await page.getByLabel('신청 사유').fill('사출 금형 냉각 채널 개선을 함께 연구하고 싶습니다.');
  await page.getByRole('button', { name: '신청하기' }).click();
  await expect(page.getByText('이메일 인증을 마친 뒤에 할 수 있습니다.', { exact: false })).toBeVisible();

  // A new link from the security page, and the mail's link verifies the address.
  await page.getByRole('link', { name: '인증 메일 다시 받기' }).click();
  await expect(page.getByRole('heading', { name: '이메일 주소' })).toBeVisible();
  await expect(page.getByText('인증 전', { exact: true })).toBeVisible();
  await page.getByRole('button', { name: '인증 메일 다시 받기' }).click();
  await expect(page.getByText('인증 메일을 다시 보냈습니다.')).toBeVisible();
  await verifyFromMail(page, server, email);
  await expect(page.getByRole('heading', { name: '내 정보' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '이메일 인증 전입니다' })).toHaveCount(0);

  // Moving to a new address: its link, then the old address is told.
  const moved = `choi.new.${Date.now()}@byeol.example`;
  await page.goto(`${server.url}/me/security`);
  await expect(page.getByText('인증됨', { exact: true })).toBeVisible();
  await page.getByLabel('새 이메일 주소').fill(moved);
  await page.getByLabel('비밀번호 (본인 확인)').fill(password);
  await page.getByRole('button', { name: '주소 바꾸기' }).click();
  await expect(page.getByTestId('email-change-sent')).toContainText(moved);
  await verifyFromMail(page, server, moved);
  await expect(page.getByTestId('verified-new-address')).toBeVisible();
  const notice = await mailMatching(server.dir, new RegExp(`<${email.replace(/\./g, '\\.')}>[\\s\\S]*sign-in address of your Moim account was changed`));
  expect(notice).toContain(email);
  await page.getByRole('link', { name: '내 정보' }).last().click();
  await expect(page.getByText(moved)).toBeVisible();
});

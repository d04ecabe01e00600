// 회원 탈퇴: a member downloads their data, closes their account from the
// security page, and what they wrote stays under "탈퇴한 회원".
const fs = require('fs');
const { test, expect, signIn, DEMO_PASSWORD } = require('./server');

// A wrong password answers 422, which Chrome logs.
test.use({ allowHttpErrors: true });

const EMAIL = 'prof.ahn@dongnam.example';
const COMMENT = '탈퇴 전에 남기는 의견: 시험 정화는 여전히 가능합니다.';

test('a member downloads their data, closes the account, and their comment stays unnamed', async ({ page, server }) => {
  await signIn(page, server.url, EMAIL);
  await page.goto(`${server.url}/ideas/1`);
  await page.getByLabel('댓글 쓰기').fill(COMMENT);
  // The comment shows at once; the data is downloaded once the server has it.
  await Promise.all([
    page.waitForResponse(r => /\/api\/ideas\/\d+\/comments$/.test(r.url()) && r.request().method() === 'POST' && r.ok()),
    page.getByRole('button', { name: '등록' }).click(),
  ]);
  await expect(page.getByText(COMMENT)).toBeVisible();

  await page.goto(`${server.url}/me/security`);
  const panel = page.getByRole('region', { name: '회원 탈퇴' });
  await expect(panel).toBeVisible();
  // The data first: a JSON file with the person in it.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    panel.getByRole('link', { name: '탈퇴 전에 내 정보 내려받기 (JSON)' }).click(),
  ]);
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(data.person.email).toBe(EMAIL);
  expect(JSON.stringify(data.tables['idea_comments.author_id'])).toContain(COMMENT);

  // Neither the box unticked nor a wrong password closes anything.
  await panel.getByLabel('비밀번호 (탈퇴 확인)').fill('not my password');
  await panel.getByRole('button', { name: '회원 탈퇴' }).click();
  await expect(panel.getByText('탈퇴하려면 확인란에 표시하세요.')).toBeVisible();
  await panel.getByLabel(/탈퇴를 되돌릴 수 없음을 압니다/).check();
  await panel.getByRole('button', { name: '회원 탈퇴' }).click();
  await expect(panel.getByLabel('비밀번호 (탈퇴 확인)')).toHaveAttribute('aria-invalid', 'true');

  await panel.getByLabel('비밀번호 (탈퇴 확인)').fill(DEMO_PASSWORD);
  await panel.getByRole('button', { name: '회원 탈퇴' }).click();
  await expect(page.getByTestId('account-closed')).toBeVisible();
  await expect(page.getByRole('banner').getByRole('link', { name: '로그인', exact: true })).toBeVisible();

  // The comment stays, under "탈퇴한 회원".
  await page.goto(`${server.url}/ideas/1`);
  const comment = page.locator('.comment').filter({ hasText: COMMENT });
  await expect(comment).toBeVisible();
  await expect(comment.getByText('탈퇴한 회원')).toBeVisible();
  await expect(page.getByText('안재훈')).toHaveCount(0);

  // Nobody signs in to it again.
  await page.goto(`${server.url}/signin`);
  await page.getByLabel('이메일').fill(EMAIL);
  await page.getByLabel('비밀번호').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await expect(page.getByText('이메일 또는 비밀번호가')).toBeVisible();
});

test('the only admin is told why they cannot leave, and stays signed in', async ({ page, server }) => {
  await signIn(page, server.url, 'admin@moim.example');
  await page.goto(`${server.url}/me/security`);
  const panel = page.getByRole('region', { name: '회원 탈퇴' });
  await panel.getByLabel('비밀번호 (탈퇴 확인)').fill(DEMO_PASSWORD);
  await panel.getByLabel(/탈퇴를 되돌릴 수 없음을 압니다/).check();
  await panel.getByRole('button', { name: '회원 탈퇴' }).click();
  await expect(panel.getByRole('alert').filter({ hasText: '유일한 관리자는 탈퇴할 수 없습니다.' })).toBeVisible();
  await expect(page.getByRole('button', { name: '로그아웃' })).toBeVisible();
});

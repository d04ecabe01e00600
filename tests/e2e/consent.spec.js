// Consent to the collection and use of personal information: asked at sign-up,
// the required box and the optional one apart and neither ticked; asked again of
// someone who has not agreed to the policy in force, before they act; the
// optional one withdrawn on the security page.
const { execFileSync } = require('child_process');
const path = require('path');
const { test, expect, signIn, businessNumber, binary } = require('./server');

// A refused action answers 403, which Chrome logs.
test.use({ allowHttpErrors: true });

test('sign-up asks each consent on its own and refuses without the required one', async ({ page, server }) => {
  await page.goto(`${server.url}/signup`);
  const required = page.getByLabel('[필수] 개인정보 수집·이용에 동의합니다');
  const optional = page.getByLabel('[선택] 지원사업·행사 소식 메일을 받겠습니다');
  await expect(required).not.toBeChecked();
  await expect(optional).not.toBeChecked();
  await expect(page.getByRole('table').getByText('이메일, 비밀번호(해시로만 보관), 이름')).toBeVisible();
  await page.getByLabel('이메일').fill(`yoon.${Date.now()}@dongui.example`);
  await page.getByLabel('비밀번호').fill('동의 없이 가입 시도 2026');
  await page.getByLabel('이름').fill('윤동의');
  await page.getByLabel('사업자등록번호').fill(businessNumber());
  await page.getByLabel('기관명').fill(`동의정밀 ${Math.floor(Math.random() * 1e6)}`);
  await page.getByLabel('산업단지').selectOption({ label: '창원국가산업단지' });
  await page.getByLabel('임직원 수').fill('7');
  await page.getByLabel('주요 업종').fill('정밀 가공');
  await page.getByRole('button', { name: '가입하기' }).click();
  await expect(required).toBeFocused();
  await expect(required).toHaveAttribute('aria-invalid', 'true');
  await required.check();
  await page.getByRole('button', { name: '가입하기' }).click();
  await expect(page.getByTestId('signup-sent')).toBeVisible();

  // The full policy, with its date.
  await page.goto(`${server.url}/privacy`);
  await expect(page.getByRole('heading', { name: '개인정보 처리방침', level: 1 })).toBeVisible();
  await expect(page.getByText(/^시행일 \d{4}-\d{2}-\d{2}$/)).toBeVisible();
});

test('someone who has not agreed to the policy in force agrees before acting, and withdraws the optional consent', async ({ page, server }) => {
  // An admin made on the command line has agreed to nothing yet.
  execFileSync(binary, ['create-admin', '--email', 'new.admin@kicox.example', '--name', '신관리'], {
    env: { ...process.env, DATABASE_URL: `sqlite://${server.dir}/moim.db`, MOIM_ADMIN_PASSWORD: '새 관리자 비밀 문장 2026', RUST_LOG: 'warn' },
  });
  await page.goto(`${server.url}/signin?next=/ideas`);
  await page.getByLabel('이메일').fill('new.admin@kicox.example');
  await page.getByLabel('비밀번호').fill('새 관리자 비밀 문장 2026');
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await expect(page).toHaveURL(/\/privacy\?next=/);
  await expect(page.getByRole('heading', { name: '개인정보 처리방침에 동의해 주세요' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: '개인정보 처리방침에 아직 동의하지' })).toBeVisible();
  await page.getByRole('button', { name: '동의하고 계속하기' }).click();
  await expect(page.getByLabel('[필수] 개인정보 수집·이용에 동의합니다')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('[필수] 개인정보 수집·이용에 동의합니다').check();
  await page.getByLabel('[선택] 지원사업·행사 소식 메일을 받겠습니다').check();
  await page.getByRole('button', { name: '동의하고 계속하기' }).click();
  await expect(page).toHaveURL(/\/ideas$/);
  await expect(page.getByRole('status').filter({ hasText: '개인정보 처리방침에 아직 동의하지' })).toHaveCount(0);

  // The record, and the optional consent withdrawn with one tick.
  await page.goto(`${server.url}/me/security`);
  await expect(page.getByTestId('privacy-consent')).toContainText('동의');
  const news = page.getByLabel('[선택] 지원사업·행사 소식 메일 받기');
  await expect(news).toBeChecked();
  await news.uncheck();
  await expect(page.getByText('저장했습니다.')).toBeVisible();
  await page.getByText('동의 기록', { exact: true }).click();
  await expect(page.getByTestId('consent-history').getByRole('listitem')).toHaveCount(3);
  await expect(page.getByTestId('consent-history').getByRole('listitem').first()).toContainText('소식 메일');
  await expect(page.getByTestId('consent-history').getByRole('listitem').first()).toContainText('철회');
});

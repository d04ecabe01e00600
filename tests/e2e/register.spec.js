// Issue 11's register of organisations: a firm registered twice (a colleague who
// did not find it typed another business number) is found by the admin,
// corrected, and merged into the record that stays; the audit trail keeps why.
const { test, expect, signIn, noHorizontalScroll, mailMatching } = require('./server');
const fs = require('fs');
const path = require('path');

// The policy in force, as sign-up must consent to it.
const POLICY = fs.readFileSync(path.resolve(__dirname, '../../core/src/privacy.rs'), 'utf8')
  .match(/PRIVACY_POLICY_VERSION: &str = "([^"]+)"/)[1];

// A valid business registration number from nine digits (its check digit added).
function businessNumber(nine) {
  const d = String(nine).padStart(9, '0').split('').map(Number);
  const w = [1, 3, 7, 1, 3, 7, 1, 3, 5];
  let sum = d.reduce((s, x, i) => s + x * w[i], 0) + Math.floor(d[8] * 5 / 10);
  return d.join('') + ((10 - sum % 10) % 10);
}

test('an admin corrects a firm registered twice and merges it into the record that stays', async ({ page, server }) => {
  const { url } = server;
  const signup = await fetch(`${url}/api/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      email: 'park@hanbit-dup.example', password: 'a long phrase for the duplicate', name: '박지훈',
      organisation: { mode: 'new', kind: 'firm', name: '한빛 정밀', business_no: businessNumber(613_570_021), complex_id: 1, headcount: 20, industry: '공작기계 부품' },
      consents: { policy_version: POLICY, privacy: true, news_mail: false },
    }),
  });
  expect(signup.status).toBeLessThan(300);

  await signIn(page, url, 'admin@moim.example');
  await page.goto(`${url}/admin`);
  await page.getByLabel('기관명 또는 사업자등록번호').fill('한빛');
  await page.getByRole('button', { name: '기관 검색' }).click();
  const orgs = page.getByTestId('orgs');
  await expect(orgs.getByRole('listitem')).toHaveCount(2);
  const dup = orgs.getByRole('listitem').filter({ hasText: '한빛 정밀' });
  await expect(dup).toContainText('구성원 1명 · 협의체 0곳 · 과제 0건');

  // The correction: sign-up's rules, and a reason.
  await dup.getByRole('button', { name: '정보 수정' }).click();
  await expect(dup.getByLabel('기관명')).toHaveValue('한빛 정밀');
  await dup.getByLabel('임직원 수').fill('25');
  await dup.getByRole('button', { name: '수정 저장' }).click();
  await expect(dup.getByText('필수 입력 항목입니다.')).toBeVisible();
  await dup.getByLabel('수정 사유').fill('임직원 수 정정 (대표 통화)');
  await dup.getByRole('button', { name: '수정 저장' }).click();
  await expect(page.getByText('한빛 정밀: 기관 정보를 고쳤습니다.')).toBeVisible();
  await expect(page.getByText('기관 정보 수정', { exact: true }).first()).toBeVisible(); // in the audit trail

  // The merge says what moves, into which record, and asks why.
  await dup.getByRole('button', { name: '다른 기록에 병합' }).click();
  await expect(dup.getByText('되돌릴 수 없습니다')).toBeVisible();
  await dup.getByLabel('남길 기록').selectOption({ label: (await dup.getByLabel('남길 기록').locator('option', { hasText: '한빛정밀(주)' }).textContent()).trim() });
  await dup.getByLabel('병합 사유').fill('같은 회사 중복 등록 (대표 확인)');
  await noHorizontalScroll(page);
  await page.screenshot({ path: test.info().outputPath('merge.png'), fullPage: false });
  await dup.getByRole('button', { name: '병합하기' }).click();
  await expect(page.getByText('병합했습니다: 구성원 1명, 협의체 0곳, 과제 0건을 옮겼습니다.')).toBeVisible();
  await expect(orgs.getByRole('listitem')).toHaveCount(1);
  await expect(orgs).toContainText('한빛정밀(주)');
  await expect(orgs).toContainText('구성원 ');
  await expect(page.getByText('기관 병합', { exact: true }).first()).toBeVisible();
  await expect(page.getByText(/한빛 정밀 \(#\d+, 613-57-00213\): 같은 회사 중복 등록/)).toBeVisible();
});

test('an admin imports the register of members from a file, and an invited person sets a password', async ({ page, server }) => {
  const { url } = server;
  const tag = Date.now().toString(36);
  const firm = `가람정밀${tag}`;
  const email = `oh.${tag}@garam.example`;
  const no = businessNumber(700_000_000 + (Date.now() % 99_999_999));
  const header = '기관명,기관유형,사업자등록번호,산업단지,협의체,이름,이메일,부서';
  const bad = `${header}\n${firm},기업,${no},창원,창원 공작기계 미니클러스터,오가람,${email},생산팀\n${firm},기업,${no},창원,없는 협의체,,,\n`;
  const good = `\uFEFF${header}\n${firm},기업,${no},창원,창원 공작기계 미니클러스터,오가람,${email},생산팀\n`;

  await signIn(page, url, 'admin@moim.example');
  await page.goto(`${url}/admin`);
  const panel = page.getByRole('region', { name: '회원 일괄 등록' });
  await expect(panel.getByRole('button', { name: '가져오기' })).toBeDisabled();

  // A problem is named by line and column, and nothing can be imported.
  await panel.getByLabel('명부 파일').setInputFiles({ name: '명부.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await panel.getByRole('button', { name: '확인하기' }).click();
  const problems = panel.getByTestId('import-problems');
  await expect(problems.getByRole('row')).toHaveCount(2);
  await expect(problems.getByRole('row').nth(1)).toContainText('3협의체그런 협의체가 없습니다없는 협의체');
  await expect(panel.getByRole('button', { name: '가져오기' })).toBeDisabled();

  // The file put right: checked, then imported.
  await panel.getByLabel('명부 파일').setInputFiles({ name: '명부.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await panel.getByRole('button', { name: '확인하기' }).click();
  await expect(panel.getByTestId('import-summary')).toContainText('문제가 없습니다');
  await expect(panel.getByTestId('import-counts')).toContainText('기관: 새로 1, 이미 있음 0');
  await noHorizontalScroll(page);
  await panel.screenshot({ path: test.info().outputPath('import.png') });
  await panel.getByRole('button', { name: '가져오기' }).click();
  await expect(panel.getByTestId('import-summary')).toHaveText('가져왔습니다.');
  await expect(panel.getByTestId('import-counts')).toContainText('회원 (초대 메일): 새로 1, 이미 있음 0');
  await expect(page.getByText('기관·회원 일괄 등록', { exact: true }).first()).toBeVisible(); // in the audit trail

  // The invitation: a link to set a password, then the person is in, with
  // their organisation.
  const escaped = email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const mail = await mailMatching(server.dir, new RegExp(`<${escaped}>[\\s\\S]*reset-password#token=`));
  expect(mail).toContain('register of members');
  const token = mail.match(/reset-password#token=([0-9a-f]{64})/)[1];
  await page.context().clearCookies();
  await page.goto(`${url}/reset-password#token=${token}`);
  await page.getByLabel('새 비밀번호').fill('가람 정밀 초대 받은 날');
  await page.getByRole('button', { name: '비밀번호 바꾸기' }).click();
  await expect(page.getByTestId('reset-done')).toBeVisible();
  const signin = await fetch(`${url}/api/auth/signin`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: '가람 정밀 초대 받은 날' }),
  });
  expect(signin.status).toBe(200);
  expect((await signin.json()).organisation.name).toBe(firm);
});

// 설문·성과조사: the CM of 창원 builds a survey for their consortium (a yes/no,
// a number asked only after a yes, a 1–5 scale); a firm's representative
// answers it, loses the connection mid-way (the draft is kept on the device
// and saved once back online), reloads, finishes and submits; the CM sees the
// response rate and downloads the answers as CSV with the Korean intact.
const fs = require('fs');
const { execFileSync } = require('child_process');
const { test, expect, signIn, signOut, noHorizontalScroll } = require('./server');
const AxeBuilder = require('@axe-core/playwright').default;

async function noViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}

// The connection is taken away on purpose.
// (and the unconfirmed implausible figures are refused with a 422 on purpose).
test.use({ allowOffline: true, allowHttpErrors: true });

test('a CM surveys their firms, a firm answers through a lost connection, the CM reads the results', async ({ page, server }) => {
  const coop = '올해 대학·연구소와 협력했습니까?';
  await signIn(page, server.url, 'cm.changwon@moim.example');
  await page.goto(`${server.url}/cockpit`);
  await page.getByRole('link', { name: /설문·성과조사 만들기/ }).click();
  await page.getByRole('link', { name: '새 설문 만들기' }).click();
  await expect(page.getByRole('heading', { name: '새 설문', level: 1 })).toBeVisible();
  await page.getByRole('textbox', { name: '제목', exact: true }).fill('2026 산학연 협력 조사');
  await page.getByRole('checkbox', { name: /창원/ }).first().check();
  await page.getByRole('textbox', { name: '구역 제목' }).fill('협력 현황');
  const questions = page.locator('.question-editor');
  await questions.nth(0).getByRole('textbox', { name: '질문 1' }).fill(coop);
  await page.getByRole('button', { name: '+ 질문 추가' }).click();
  await questions.nth(1).getByRole('textbox', { name: '질문 2' }).fill('협력 과제 수');
  await questions.nth(1).getByLabel('유형').selectOption('number');
  await questions.nth(1).getByLabel(/단위/).fill('건');
  await questions.nth(1).getByLabel('필수').check();
  await questions.nth(1).getByLabel('표시 조건').selectOption({ label: `${coop.slice(0, 30)} = 예` });
  await page.getByRole('button', { name: '+ 질문 추가' }).click();
  await questions.nth(2).getByRole('textbox', { name: '질문 3' }).fill('협의체 활동 만족도');
  await questions.nth(2).getByLabel('유형').selectOption('scale');
  await noViolations(page);
  await noHorizontalScroll(page);
  await page.getByRole('button', { name: '설문 만들기' }).click();
  await expect(page.getByRole('heading', { name: '2026 산학연 협력 조사', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: '응답 현황·결과' })).toBeVisible();
  const surveyUrl = page.url();
  await signOut(page);

  // The firm's representative answers from the list of their surveys.
  await signIn(page, server.url, 'kim.minsu@hanbit.example');
  await page.goto(`${server.url}/me`);
  await page.getByRole('link', { name: '설문·성과조사 응답' }).click();
  await page.getByRole('link', { name: '2026 산학연 협력 조사' }).click();
  await expect(page.getByText(/을\(를\) 대표해 응답합니다/)).toBeVisible();
  // The count is asked only after a yes.
  await expect(page.getByLabel('협력 과제 수 (건)')).toHaveCount(0);
  await page.getByRole('group', { name: coop }).getByLabel('예', { exact: true }).check();
  await page.getByLabel('협력 과제 수 (건)').fill('3');
  await expect(page.getByRole('status').filter({ hasText: '임시 저장됨' })).toBeVisible();
  await noViolations(page);
  await noHorizontalScroll(page);

  // The connection goes: the answer is kept on the device, and saved once back.
  await page.context().setOffline(true);
  await page.getByRole('group', { name: '협의체 활동 만족도' }).getByLabel('4', { exact: true }).check();
  await expect(page.getByText('이 기기에 저장했습니다. 연결되면 서버에 저장합니다.')).toBeVisible();
  await page.context().setOffline(false);
  await expect(page.getByRole('status').filter({ hasText: '임시 저장됨' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('group', { name: '협의체 활동 만족도' }).getByLabel('4', { exact: true })).toBeChecked();
  await expect(page.getByLabel('협력 과제 수 (건)')).toHaveValue('3');
  await page.getByRole('button', { name: '제출', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('제출했습니다');
  await signOut(page);

  // The CM sees who has answered and what, and downloads the answers.
  await signIn(page, server.url, 'cm.changwon@moim.example');
  await page.goto(surveyUrl);
  await page.getByRole('link', { name: '응답 현황·결과' }).click();
  await expect(page.getByRole('heading', { name: '응답 현황·결과', level: 1 })).toBeVisible();
  await expect(page.locator('.counts')).toContainText('제출 / 대상');
  // The response rate, and by consortium who has not answered yet (for the
  // CM to chase): 한빛정밀 has, 대성금형 has not.
  await expect(page.locator('.counts')).toContainText(/응답률\s*\d+%/);
  await expect(page.locator('.counts')).toContainText(/1 \/ [2-9]/);
  const chase = page.locator('table.roster tbody tr').filter({ hasText: '창원 공작기계 미니클러스터' });
  await expect(chase).toContainText('대성금형');
  await expect(chase).not.toContainText('한빛정밀');
  const byQuestion = page.locator('.question-result');
  await expect(byQuestion.nth(0)).toContainText('1 (100%)');
  await expect(byQuestion.nth(1)).toContainText('평균 3');
  await noViolations(page);
  await noHorizontalScroll(page);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '응답 내려받기 (CSV)' }).click(),
  ]);
  const csv = fs.readFileSync(await download.path(), 'utf8');
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const lines = csv.slice(1).trim().split('\r\n');
  expect(lines[0]).toContain(`${coop},협력 과제 수 (건),협의체 활동 만족도`);
  expect(lines).toHaveLength(2);
  expect(lines[1]).toMatch(/^한빛정밀\(주\),.*,예,3,4$/);

  // The same as an Excel workbook: its sheet carries the Korean intact and
  // the numbers as numbers.
  const [workbook] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '응답 내려받기 (엑셀)' }).click(),
  ]);
  expect(workbook.suggestedFilename()).toMatch(/\.xlsx$/);
  const sheet = execFileSync('python3', ['-c',
    'import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode("utf-8"))',
    await workbook.path()]).toString('utf8');
  expect(sheet).toContain('한빛정밀(주)');
  expect(sheet).toContain(coop);
  expect(sheet).toMatch(/<c r="D2"[^>]*><v>3<\/v><\/c>/);
});

// 연간 성과조사: the CM starts from the built-in template; the firm finds its
// figures already filled in from its record, answers the rest and submits; a
// sales figure twenty times the kept one is kept only once confirmed.
test('a CM sends the yearly survey and a firm answers from its kept figures', async ({ page, server }) => {
  const year = new Date(Date.now() + 9 * 3600 * 1000).getUTCFullYear() - 1;
  const title = `${year}년 창원 성과조사`;
  await signIn(page, server.url, 'cm.changwon@moim.example');
  await page.goto(`${server.url}/surveys/new`);
  await page.getByRole('button', { name: '연간 성과조사 양식으로 시작' }).click();
  await expect(page.getByRole('textbox', { name: '제목', exact: true })).toHaveValue(`${year}년 연간 성과조사`);
  await page.getByRole('textbox', { name: '제목', exact: true }).fill(title);
  await expect(page.getByLabel('실적 연도 (제출하면 기업 성과 현황에 기록)')).toHaveValue(String(year));
  await expect(page.locator('.question-editor').first().getByLabel('기업 실적에 기록 (연간 성과조사)')).toHaveValue('sales');
  await noViolations(page);
  await noHorizontalScroll(page);
  await page.getByRole('button', { name: '설문 만들기' }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
  const surveyUrl = page.url();
  await signOut(page);

  await signIn(page, server.url, 'kim.minsu@hanbit.example');
  await page.goto(surveyUrl);
  await expect(page.getByTestId('figures-note')).toContainText(`제출하면 ${year}년 실적이 기업 성과 현황에 기록됩니다`);
  const sales = page.getByLabel(new RegExp(`${year}년 매출액`));
  await expect(sales).not.toHaveValue('');
  await page.getByRole('group', { name: /모임 밖에서 대학·연구기관과/ }).getByLabel('아니요', { exact: true }).check();
  await page.getByRole('group', { name: /협의체 활동에 얼마나 만족/ }).getByLabel('5 (매우 만족)').check();
  await noViolations(page);
  // Twenty times the kept sales: named on the question, kept only once confirmed.
  const kept = Number(await sales.inputValue());
  await sales.fill(String(kept * 20));
  await page.getByRole('button', { name: '제출', exact: true }).click();
  await expect(page.getByText('평소와 크게 다른 값입니다. 확인란을 선택하고 저장하세요.')).toBeVisible();
  await expect(page.getByRole('status')).not.toContainText('제출했습니다');
  await noViolations(page);
  await page.getByLabel('평소와 크게 다른 실적이 맞습니다. 이대로 제출합니다.').check();
  await page.getByRole('button', { name: '제출', exact: true }).click();
  await expect(page.getByRole('status')).toContainText('제출했습니다');
  const record = await (await page.request.get(`${server.url}/api/orgs/${(await (await page.request.get(`${server.url}/api/auth/session`)).json()).organisation.id}/figures`)).json();
  expect(record.years.find(y => y.year === year).figures.sales).toBe(kept * 20);
});

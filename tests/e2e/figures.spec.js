// 기업 성과 현황: a firm's representative enters two years of figures from the
// account page (last year's value shown beside each field; a tenfold jump is
// warned of, refused until confirmed, then kept) and a certification; the CM of
// the firm's consortium reads them but has no form.
const { test, expect, signIn, signOut, noHorizontalScroll } = require('./server');
const AxeBuilder = require('@axe-core/playwright').default;

async function noViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}

// The unconfirmed tenfold jump is refused with a 422 on purpose.
test.use({ allowHttpErrors: true });

test('a firm enters its yearly figures and its CM reads them', async ({ page, server }) => {
  const year = new Date(Date.now() + 9 * 3600 * 1000).getUTCFullYear() - 1;
  await signIn(page, server.url, 'kim.minsu@hanbit.example');
  await page.goto(`${server.url}/me`);
  await page.getByRole('link', { name: /기업 성과 현황/ }).click();
  await expect(page.getByRole('heading', { name: '기업 성과 현황', level: 1 })).toBeVisible();
  const figuresUrl = page.url();

  // The year before last first.
  await page.getByLabel('연도', { exact: true }).selectOption(String(year - 1));
  await page.getByLabel('매출액 (백만원)').fill('5,000');
  await page.getByLabel('수출액 (백만원)').fill('1200');
  await page.getByLabel('연구개발비 (백만원)').fill('300');
  await page.getByLabel('상시근로자 수 (명)').fill('40');
  await page.getByLabel('연구개발 인력 (명)').fill('5');
  await page.getByRole('button', { name: '저장', exact: true }).click();
  await expect(page.getByText(`${year - 1}년 실적을 저장했습니다.`)).toBeVisible();
  await expect(page.getByTestId('figure-years')).toContainText('5,000');

  // Last year: the values of the year before are beside the fields, and ten
  // times the sales is warned of.
  await page.getByLabel('연도', { exact: true }).selectOption(String(year));
  await expect(page.getByTestId('last-sales')).toHaveText('작년 5,000 백만원');
  await page.getByLabel('매출액 (백만원)').fill('56000');
  await page.getByLabel('수출액 (백만원)').fill('1500');
  await expect(page.getByTestId('figure-warnings')).toContainText('매출액: 작년의 10배 이상');
  await noViolations(page);
  await page.getByRole('button', { name: '저장', exact: true }).click();
  await expect(page.getByText('평소와 크게 다른 값입니다. 확인란을 선택하고 저장하세요.')).toBeVisible();
  await page.getByLabel('확인했습니다. 이 값이 맞습니다.').check();
  await page.getByRole('button', { name: '저장', exact: true }).click();
  await expect(page.getByText(`${year}년 실적을 저장했습니다.`)).toBeVisible();
  // The newest year first (the sample portal has the years before too).
  const rows = page.getByTestId('figure-years').locator('tbody tr');
  await expect(rows.first()).toContainText('56,000');
  await expect(rows.nth(1)).toContainText('5,000');

  // A certification: one dated before the founding is named on its row and
  // nothing is kept until the dates agree.
  await page.getByLabel('이노비즈').check();
  await page.locator('#cert-innobiz-on').fill('2024-03-01');
  await page.getByLabel('설립일', { exact: true }).fill('2024-06-01');
  await page.getByRole('button', { name: '인증 현황 저장' }).click();
  await expect(page.getByTestId('cert-innobiz-error')).toHaveText('설립일보다 앞선 날짜입니다.');
  await page.getByLabel('설립일', { exact: true }).fill('2010-05-01');
  await page.getByRole('button', { name: '인증 현황 저장' }).click();
  await expect(page.getByText('인증 현황을 저장했습니다.')).toBeVisible();
  await expect(page.getByTestId('cert-innobiz-error')).toBeEmpty();
  await noHorizontalScroll(page);
  await signOut(page);

  // The CM of 한빛정밀's consortium reads them; no form.
  await signIn(page, server.url, 'cm.changwon@moim.example');
  await page.goto(figuresUrl);
  await expect(page.getByRole('heading', { name: '기업 성과 현황', level: 1 })).toBeVisible();
  await expect(page.getByTestId('figure-years').locator('tbody tr').first()).toContainText('56,000');
  await expect(page.getByTestId('certifications')).toContainText('인증일 2024-03-01');
  await expect(page.getByTestId('founded-on')).toHaveText('설립일 2010-05-01');
  await expect(page.getByRole('button', { name: '저장', exact: true })).toHaveCount(0);
  await noViolations(page);
});

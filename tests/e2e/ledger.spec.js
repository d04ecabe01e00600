// 회비·기부금 장부: the CM of the self-sustaining cluster opens this year's
// books from the consortium page — sets the fees by class of member, issues
// the invoices, records a payment and a waiver (its reason required), and a
// donation — and reads last year's books, which the sample portal keeps.
const { test, expect, signIn, noHorizontalScroll } = require('./server');
const AxeBuilder = require('@axe-core/playwright').default;

async function noViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}

test('the CM of a self-sustaining cluster keeps its fees and donations', async ({ page, server }) => {
  const url = server.url;
  const today = new Date(Date.now() + 9 * 3600 * 1000).toISOString().slice(0, 10);
  const year = Number(today.slice(0, 4));
  await signIn(page, url, 'cm.west@moim.example');
  await page.goto(`${url}/consortia/27`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('제주 바이오 자생 클러스터');
  await page.getByRole('link', { name: '회비·기부금 장부' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('회비·기부금 장부');

  // No fees are set for this year: the form is open. Firms pay nothing
  // here; the university and the agency do.
  const schedule = page.getByTestId('schedule');
  await expect(schedule.getByRole('heading')).toHaveText(`${year}년 회비 기준`);
  await schedule.getByLabel('납부 기한').fill(`${year}-12-31`);
  await schedule.getByLabel('대학').fill('100');
  await schedule.getByLabel('지원기관').fill('50');
  await noViolations(page);
  await noHorizontalScroll(page);
  await schedule.getByRole('button', { name: '회비 기준 저장' }).click();
  await expect(schedule).toContainText(`납부 기한 ${year}-12-31`);
  await expect(schedule).toContainText('대학100만원');

  // Issued to the two members whose class pays.
  await page.getByRole('button', { name: `2개 기관에 ${year}년 청구서 발행` }).click();
  const invoices = page.getByTestId('invoices');
  await expect(invoices.getByRole('listitem')).toHaveCount(2);
  await expect(page.getByTestId('ledger-unpaid')).toHaveText('150만원');

  // A payment on today; a waiver needs its reason.
  await invoices.getByRole('button', { name: '납부 기록: 원주보건과학대학교' }).click();
  await invoices.getByRole('button', { name: '저장' }).click();
  await expect(invoices.getByRole('listitem').filter({ hasText: '원주보건과학대학교' })).toContainText(`납부 ${today}`);
  await expect(page.getByTestId('ledger-paid')).toHaveText('100만원');
  await invoices.getByRole('button', { name: '납부 기록: 지역산업진흥원(샘플)' }).click();
  await invoices.getByLabel('상태').selectOption('waived');
  await invoices.getByLabel('면제 사유').fill('운영위원회 결정');
  await invoices.getByRole('button', { name: '저장' }).click();
  await expect(invoices.getByRole('listitem').filter({ hasText: '지역산업진흥원' })).toContainText('면제');
  await expect(page.getByTestId('ledger-unpaid')).toHaveText('0만원');

  // A donation, then the year's income.
  await page.getByLabel('기부자').fill('제주테크노파크');
  await page.getByLabel('금액 (만원)').fill('300');
  await page.getByRole('button', { name: '기부금 기록' }).click();
  await expect(page.getByTestId('donations')).toContainText('제주테크노파크');
  await expect(page.getByTestId('ledger-income')).toHaveText('400만원');
  await expect(page.getByTestId('ledger-csv')).toHaveAttribute('href', new RegExp(`ledger\\.csv\\?year=${year}$`));
  await noViolations(page);
  await noHorizontalScroll(page);

  // Last year's books, as the sample portal keeps them.
  await page.getByRole('link', { name: `‹ ${year - 1}` }).click();
  await expect(page.getByTestId('schedule').getByRole('heading')).toHaveText(`${year - 1}년 회비 기준`);
  await expect(page.getByTestId('donations')).toContainText('제주바이오산업협회(샘플)');
  await expect(page.getByTestId('ledger-income')).toHaveText('600만원');
});

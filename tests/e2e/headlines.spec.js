// The headline numbers (성과 지표): the admin uploads industry averages (a dry
// run first) and reads the programme's baseline year next to the current one
// on the sample portal — cooperation from 33.3% of the 15 sample firms to
// 80.0%, growth against the industries' averages, by size band and consortium
// — and downloads them as CSV; a CM of three firms sees "n < 5" instead.
const fs = require('fs');
const { test, expect, signIn, signOut, noHorizontalScroll } = require('./server');
const AxeBuilder = require('@axe-core/playwright').default;

async function noViolations(page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  expect(results.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`)).toEqual([]);
}

test('an admin uploads industry averages and reads the headline numbers; a CM sees small groups withheld', async ({ page, server }) => {
  const current = new Date(Date.now() + 9 * 3600 * 1000).getUTCFullYear() - 1;
  const baseline = current - 1;
  await signIn(page, server.url, 'admin@moim.example');
  await page.goto(`${server.url}/admin`);
  const panel = page.locator('#averages');
  await expect(panel.getByTestId('averages-kept')).toHaveText(`보관 중: ${current}년 10개 업종 · ${baseline}년 10개 업종`);

  // A file with a mistake is refused line by line, nothing changed.
  const bad = `\ufeff산업분류,연도,매출증가율,수출증가율,고용증가율\n29,${current},3.4,많이,0.5\n`;
  await panel.getByLabel('업종 평균 파일').setInputFiles({ name: '업종평균.csv', mimeType: 'text/csv', buffer: Buffer.from(bad) });
  await panel.getByRole('button', { name: '확인하기' }).click();
  await expect(panel.getByTestId('averages-summary')).toContainText('문제가 있어 아무것도 바꾸지 않았습니다');
  await expect(panel.getByTestId('import-problems')).toContainText('숫자가 아닙니다');
  await expect(panel.getByRole('button', { name: '올리기' })).toBeDisabled();

  // The corrected file replaces the current year's averages only.
  const good = `\ufeff산업분류,연도,매출증가율,수출증가율,고용증가율\n29,${current},3.4,4.1,0.5\n30,${current},2.9,3.8,0.4\n`;
  await panel.getByLabel('업종 평균 파일').setInputFiles({ name: '업종평균.csv', mimeType: 'text/csv', buffer: Buffer.from(good) });
  await panel.getByRole('button', { name: '확인하기' }).click();
  await expect(panel.getByTestId('averages-summary')).toContainText(`문제가 없습니다. 올리기를 누르면 ${current}년 값이 바뀝니다 (2줄).`);
  await panel.getByRole('button', { name: '올리기' }).click();
  await expect(panel.getByTestId('averages-summary')).toContainText(`${current}년 업종 평균을 바꿨습니다`);
  await expect(panel.getByTestId('averages-kept')).toHaveText(`보관 중: ${current}년 2개 업종 · ${baseline}년 10개 업종`);
  await noHorizontalScroll(page);

  // The cockpit: last year against the year before, for the whole programme.
  await page.goto(`${server.url}/cockpit`);
  const table = page.getByTestId('headline-table');
  await expect(table.locator('caption')).toHaveText(`${baseline}년 대비 ${current}년 성과 지표`);
  await expect(page.getByTestId('hl-firms')).toContainText('15');
  const share = page.getByTestId('hl-share');
  await expect(share).toContainText('33.3%');
  await expect(share).toContainText('80.0%');
  await expect(share).toContainText('+46.7%p');
  await expect(page.getByTestId('hl-sales')).toContainText('업종');
  await expect(page.getByTestId('hl-bands')).toContainText('소기업 (50명 이하)');
  await expect(page.getByTestId('hl-consortia')).toContainText('창원 공작기계 미니클러스터');
  await noHorizontalScroll(page);
  await noViolations(page);
  await page.getByTestId('hl-share').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/hl-${page.viewportSize().width}.png`, fullPage: false });
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('csv-headlines').click(),
  ]);
  const csv = fs.readFileSync(await download.path());
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = csv.toString('utf8');
  expect(text).toContain('전체 (all),협력 참여율 % (share cooperating),33.3,15,80,15');
  expect(text).toContain('소기업 (50명 이하)');

  // The records behind a figure: the firms it rests on, those cooperating
  // first, each leading to its own figures.
  await share.getByRole('link', { name: '15곳' }).last().click();
  await expect(page.getByRole('heading', { name: '성과 지표의 근거 기업', level: 1 })).toBeVisible();
  await expect(page.getByTestId('firms-scope')).toContainText(`${current}년에 셈한 기업`);
  await expect(page.getByTestId('firms-total')).toHaveText('기업 15곳 중 1–15');
  const firms = page.getByTestId('firms-table').locator('tbody tr');
  await expect(firms).toHaveCount(15);
  await expect(firms.first()).toContainText(/\d+건/);
  await expect(firms.last()).toContainText('없음');
  await noHorizontalScroll(page);
  await noViolations(page);
  await page.screenshot({ path: `/tmp/hl-firms-${page.viewportSize().width}.png`, fullPage: true });
  await page.getByRole('link', { name: '혁신형 중소기업' }).click();
  await expect(page).toHaveURL(/figure=innovative/);
  await expect(page.getByRole('link', { name: '혁신형 중소기업' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('firms-scope')).toContainText('혁신형 중소기업');
  await expect(firms.first()).toContainText('인증');
  const name = (await firms.first().locator('th a').textContent()).trim();
  await firms.first().locator('th a').click();
  await expect(page.getByRole('heading', { name: '기업 성과 현황', level: 1 })).toBeVisible();
  await expect(page.getByText(name).first()).toBeVisible();
  await page.goto(`${server.url}/cockpit`);

  // Another pair of years, and one industry only, through the address.
  await page.getByLabel('기준년', { exact: true }).selectOption(String(current - 2));
  await expect(table.locator('caption')).toHaveText(`${current - 2}년 대비 ${current}년 성과 지표`);
  await expect(page).toHaveURL(new RegExp(`baseline=${current - 2}`));
  await signOut(page);

  // A CM of the three 창원 firms: every figure rests on fewer than five.
  await signIn(page, server.url, 'cm.changwon@moim.example');
  await page.goto(`${server.url}/cockpit`);
  await expect(page.getByTestId('hl-firms')).toContainText('3');
  await expect(page.getByTestId('hl-share')).toContainText('n < 5');
  await expect(page.getByTestId('hl-share')).not.toContainText('%');
  await noViolations(page);
  // Their own three firms' records are theirs to read.
  await page.getByTestId('hl-share').getByRole('link', { name: '3곳' }).last().click();
  await expect(page.getByTestId('firms-total')).toHaveText('기업 3곳 중 1–3');
  await expect(page.getByTestId('firms-table').locator('tbody tr')).toHaveCount(3);
});

// Issue 14's partners abroad on a 360 px phone: an admin registers a cluster
// body (a bad web address refused on its field first), records an MOU (an end
// before the signing refused) and attaches the signed PDF; a CM names the
// partner as co-organiser of a forum; the forum's page links to the partner,
// whose page lists the forum and shows the CM the contact; a visitor sees the
// register and the page without the contact and without the document.
const { test, expect, signIn, signOut, noHorizontalScroll } = require('./server');

test.skip(({ isMobile }) => !isMobile, 'the partners story is told on the phone');
// A name registered twice: a 409 the form words.
test.use({ allowHttpErrors: true });

/** `YYYY-MM-DDTHH:MM` in Korea time, `days` from now at 14:00. */
function kstDay(days) {
  const t = new Date(Date.now() + 9 * 3600e3 + days * 864e5);
  return `${t.toISOString().slice(0, 10)}T14:00`;
}

/** `YYYY-MM-DD` in Korea time, `days` from today. */
function kstDate(days) {
  return new Date(Date.now() + 9 * 3600e3 + days * 864e5).toISOString().slice(0, 10);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');

test('an admin keeps a partner, a CM names it on an event, everyone reads it', async ({ page, server }) => {
  test.setTimeout(180_000);
  const url = server.url;

  // The register holds the sample partners.
  await page.goto(`${url}/partners`);
  await expect(page.getByRole('heading', { level: 1, name: '해외 협력기관' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'TCI 네트워크' })).toBeVisible();
  await page.getByLabel('국가').selectOption({ label: '미국' });
  await expect(page.getByRole('status')).toHaveText('1곳');
  await expect(page).toHaveURL(/country=US/);
  await noHorizontalScroll(page);

  // An admin registers one.
  await signIn(page, url, 'admin@moim.example');
  await page.goto(`${url}/partners`);
  await page.getByRole('link', { name: '협력기관 등록' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '해외 협력기관 등록' })).toBeVisible();
  await page.getByLabel('기관명 (원어)').fill('Cluster Excellence Denmark');
  await page.getByLabel('기관명 (한글)').fill('덴마크 클러스터 엑설런스');
  await page.getByLabel('국가').selectOption({ label: '덴마크' });
  await page.getByLabel('웹사이트').fill('ftp://clusterexcellencedenmark.dk');
  await page.getByLabel('이름').fill('Mette Hansen');
  await page.getByLabel('이메일').fill('mette@ced.example');
  await page.getByRole('button', { name: '등록' }).click();
  await expect(page.getByLabel('웹사이트')).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('웹사이트').fill('https://clusterexcellencedenmark.dk');
  await page.getByRole('button', { name: '등록' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '덴마크 클러스터 엑설런스' })).toBeVisible();
  const partnerUrl = page.url();
  await expect(page.getByTestId('contact')).toContainText('mette@ced.example');

  // An MOU, its end before its signing refused, then its signed document.
  await page.getByRole('button', { name: '협약 추가' }).click();
  await page.getByLabel('협약명').fill('클러스터 교류 업무협약');
  const [signed, before, ends] = [kstDate(-30), kstDate(-31), kstDate(3 * 365)];
  await page.getByLabel('체결일').fill(signed);
  await page.getByLabel(/^만료일/).fill(before);
  await page.getByRole('button', { name: '협약 저장' }).click();
  await expect(page.getByLabel(/^만료일/)).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel(/^만료일/).fill(ends);
  await page.getByRole('button', { name: '협약 저장' }).click();
  const mou = page.getByTestId('agreement').filter({ hasText: '클러스터 교류 업무협약' });
  await expect(mou.getByText('유효', { exact: true })).toBeVisible();
  await expect(mou.getByText(`체결 ${signed} · 만료 ${ends}`)).toBeVisible();
  await mou.getByLabel('협약서 첨부 (PDF·이미지)').setInputFiles({ name: 'CED MOU.pdf', mimeType: 'application/pdf', buffer: PDF });
  await expect(mou.getByRole('link', { name: /협약서: CED MOU.pdf \(PDF, 1 KB\)/ })).toBeVisible();
  // The same body twice is refused in words of its own.
  await page.goto(`${url}/partners/new`);
  await page.getByLabel('기관명 (원어)').fill('cluster excellence denmark');
  await page.getByLabel('기관명 (한글)').fill('덴마크');
  await page.getByLabel('국가').selectOption({ label: '덴마크' });
  await page.getByRole('button', { name: '등록' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '같은 이름의 협력기관이 이미 등록되어 있습니다.' })).toBeVisible();
  await page.goto(partnerUrl);
  await noHorizontalScroll(page);
  await signOut(page);

  // A CM names it as the co-organiser of a forum.
  await signIn(page, url, 'cm.changwon@moim.example');
  await page.goto(`${url}/activities/new`);
  await page.getByRole('checkbox', { name: '창원 공작기계 미니클러스터' }).check();
  await page.getByLabel('종류').selectOption({ label: '포럼' });
  await page.getByLabel('제목').fill('한-덴마크 클러스터 포럼');
  await page.getByLabel('시작 (한국 시간)').fill(kstDay(20));
  await page.getByLabel(/^종료/).fill(kstDay(20).replace('T14', 'T17'));
  await page.getByLabel('장소 (주소)').fill('창원컨벤션센터 1층');
  await page.getByLabel('기관 찾기').fill('덴마크');
  await page.getByRole('button', { name: '+ 덴마크 클러스터 엑설런스 (덴마크)' }).click();
  await expect(page.getByRole('button', { name: '덴마크 클러스터 엑설런스 빼기' })).toBeVisible();
  await page.getByRole('button', { name: '활동 만들기' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '한-덴마크 클러스터 포럼' })).toBeVisible();
  await page.getByTestId('co-organisers').getByRole('link', { name: '덴마크 클러스터 엑설런스' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '덴마크 클러스터 엑설런스' })).toBeVisible();
  await expect(page.getByTestId('partner-events').getByRole('link', { name: '한-덴마크 클러스터 포럼' })).toBeVisible();
  await expect(page.getByTestId('contact')).toContainText('Mette Hansen');
  // A CM reads the register; only admins keep it.
  await expect(page.getByRole('link', { name: '정보 수정' })).toHaveCount(0);
  await signOut(page);

  // A visitor: the page without the contact, the document behind signing in; in English too.
  await page.goto(partnerUrl);
  await expect(page.getByRole('heading', { level: 1, name: '덴마크 클러스터 엑설런스' })).toBeVisible();
  await expect(page.getByTestId('contact')).toHaveCount(0);
  await expect(page.getByText('협약서는 로그인하면 내려받을 수 있습니다.')).toBeVisible();
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cluster Excellence Denmark' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Events co-organised' })).toBeVisible();
  await expect(page.getByText(`Signed ${signed} · ends ${ends}`)).toBeVisible();
  await noHorizontalScroll(page);
});

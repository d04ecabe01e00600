// Issue 3's story: a firm member posts a confidential problem; an expert from its
// match list is invited, accepts the statement, asks a question and sends a
// proposal; the firm accepts; the CM moves it to completed; the history shows every
// step. At 1280 px and on a 360 px touch phone.
const { test, expect, signIn, signOut, noHorizontalScroll } = require('./server');

// A 1×1 PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

test('a confidential problem goes from posting to a completed collaboration', async ({ page, server }) => {
  const { url } = server;
  const title = `금형 냉각 채널 막힘으로 사이클 타임 증가 ${Date.now() % 100000}`;

  // The firm writes the problem; the draft saves itself, similar problems show.
  await signIn(page, url, 'kim.minsu@hanbit.example');
  await page.getByRole('link', { name: '애로과제', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: '애로과제' })).toBeVisible();
  await page.getByRole('link', { name: '애로과제 등록' }).click();
  await page.locator('#consortium_id').selectOption({ label: '창원 공작기계 미니클러스터' });
  await page.getByLabel('과제 제목').fill(title);
  await expect(page.getByRole('region', { name: '비슷한 과제' })).toContainText('사출 금형 냉각 불균일로 인한 휨 불량');
  await page.getByLabel('공개 요약').fill('사출 금형의 냉각 채널이 스케일로 막혀 사이클 타임이 길어졌습니다. 세척과 재설계 방안을 찾습니다.');
  await page.getByLabel('상세 내용 (비공개)').fill('금형 번호 E2E-42, 냉각수 경도 높음.');
  await expect(page.getByRole('radio', { name: /비밀유지 서약 후 공개/ })).toBeChecked();
  await page.getByLabel('금형', { exact: true }).check();
  await page.getByLabel('키워드').fill('금형 냉각, 컨포멀 냉각');
  await page.getByLabel('공동 기술개발').check();
  await expect(page.getByRole('status').filter({ hasText: '임시 저장됨' })).toBeVisible();
  await expect(page).toHaveURL(/\/problems\/\d+\/edit$/);
  await page.locator('#attachment').setInputFiles({ name: '냉각도면.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByText('냉각도면.png')).toBeVisible();
  await noHorizontalScroll(page);
  await page.getByRole('button', { name: '과제 게시' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const problemUrl = page.url();
  await expect(page.getByTestId('details')).toContainText('E2E-42');

  // The match list explains itself; the firm invites the first expert.
  const experts = page.getByTestId('experts');
  await expect(experts).toContainText('안재훈 교수');
  await expect(experts).toContainText("'금형 냉각' 일치");
  await page.getByRole('button', { name: '안재훈 교수 초대' }).click();
  await expect(experts.getByText('초대함').first()).toBeVisible();
  await noHorizontalScroll(page);
  await signOut(page);

  // The expert is told, accepts the statement, reads, asks and proposes.
  await signIn(page, url, 'prof.ahn@dongnam.example');
  await page.goto(`${url}/notifications`);
  await page.getByRole('link', { name: new RegExp(`전문가로 초대했습니다`) }).first().click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  await expect(page.getByTestId('details')).toHaveCount(0);
  await page.getByRole('button', { name: '동의하고 상세 내용 보기' }).click();
  await expect(page.getByTestId('details')).toContainText('E2E-42');
  await page.getByLabel('질문', { exact: true }).fill('냉각수 수질 분석 자료가 있습니까?');
  await page.getByRole('button', { name: '질문 등록' }).click();
  await expect(page.getByTestId('thread')).toContainText('냉각수 수질 분석 자료가 있습니까?');
  await page.getByLabel('해결 방법').fill('초음파 세척으로 스케일을 제거하고, 3D 프린팅 컨포멀 냉각 인서트로 재설계해 시험 사출로 검증합니다.');
  await page.getByLabel('기간(개월)').fill('4');
  await page.getByLabel('예상 비용(만 원)').fill('2500');
  await page.getByRole('button', { name: '제안서 보내기' }).click();
  await expect(page.getByText('검토 중')).toBeVisible();
  await noHorizontalScroll(page);
  await signOut(page);

  // The firm accepts the proposal.
  await signIn(page, url, 'kim.minsu@hanbit.example');
  await page.goto(problemUrl);
  // Who read the details: a record the firm opens (its module loads then).
  await page.getByRole('heading', { name: '상세 내용 열람 기록' }).click();
  await expect(page.getByTestId('readers')).toContainText('안재훈 교수');
  await page.getByRole('button', { name: '이 제안 채택' }).click();
  await expect(page.getByRole('heading', { name: '협력 진행' })).toBeVisible();
  await signOut(page);

  // The CM moves it along to completed.
  await signIn(page, url, 'cm.changwon@moim.example');
  await page.goto(problemUrl);
  await page.getByRole('button', { name: '진행 중(으)로' }).click();
  // The pipeline redraws after each move: type the next note only once it has.
  await expect(page.locator('.stepper li[aria-current="step"]')).toContainText('진행 중');
  await page.getByLabel('단계 메모 (선택)').fill('시험 사출 완료');
  await page.getByRole('button', { name: '완료(으)로' }).click();
  await expect(page.locator('.stepper li[aria-current="step"]')).toContainText('완료');
  await page.getByRole('heading', { name: '과제 이력' }).click();
  const history = page.getByTestId('history');
  for (const step of ['과제 게시', '전문가 초대: 안재훈 교수', '비밀유지 서약 동의', '질문 등록', '제안서 접수', '제안 채택', '단계 변경: 진행 중', '단계 변경: 완료 — 시험 사출 완료']) {
    await expect(history).toContainText(step);
  }
  await noHorizontalScroll(page);
});

test('search finds Korean compounds and one-syllable terms; private details stay hidden', async ({ page, server }) => {
  const { url } = server;
  await page.goto(`${url}/problems`);
  await page.getByLabel('과제 검색').fill('열');
  await page.getByRole('button', { name: '검색', exact: true }).click();
  const list = page.getByTestId('problems');
  await expect(list).toContainText('열처리 후 기어 균열 원인 분석');
  await expect(list).not.toContainText('CNC');
  await page.getByLabel('과제 검색').fill('냉각');
  await page.getByRole('button', { name: '검색', exact: true }).click();
  await expect(list).toContainText('사출 금형 냉각 불균일로 인한 휨 불량');
  await noHorizontalScroll(page);
  // Signed out, an NDA problem shows its summary and a lock, never the details.
  await page.getByRole('link', { name: '사출 금형 냉각 불균일로 인한 휨 불량' }).click();
  await expect(page.locator('.locked')).toBeVisible();
  await expect(page.getByText('HB-2231')).toHaveCount(0);
});

// 기업 규모 and 산업분류 filter the problem list and the consortium list (the
// sample firms have figures and KSIC divisions); a division that is not two
// digits is named at the field and changes nothing. On a 360 px phone.
test('the problem and consortium lists filter by firm size and industry', async ({ page, server }) => {
  await page.setViewportSize({ width: 360, height: 780 });
  const api = async path => (await (await page.request.get(`${server.url}${path}`)).json()).total;
  const all = await api('/api/problems');
  const small = await api('/api/problems?band=small');
  expect(await api('/api/problems?band=medium')).toBe(0);
  await page.goto(`${server.url}/problems`);
  const count = page.locator('.result-count');
  await expect(count).toHaveText(new RegExp(`^${all}건`));
  // The sample's open problems are all small firms'.
  await page.getByLabel('기업 규모').selectOption('medium');
  await expect(page).toHaveURL(/band=medium/);
  await expect(count).toHaveText(/^0건/);
  await expect(page.getByText('조건에 맞는 과제가 없습니다.')).toBeVisible();
  await page.getByLabel('기업 규모').selectOption('small');
  await expect(page).toHaveURL(/band=small/);
  await expect(count).toHaveText(new RegExp(`^${small}건`));

  // A bad division: the field says so and the list stays.
  const ksic = page.getByLabel('산업분류(KSIC 2자리)');
  await ksic.fill('2a');
  await ksic.press('Enter');
  await expect(ksic).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByRole('alert')).toHaveText('두 자리 숫자로 입력하세요 (예: 29).');
  await expect(page).not.toHaveURL(/ksic=/);
  // A good one applies with the form, beside the band.
  const both = await api('/api/problems?band=small&ksic=29');
  await ksic.fill('29');
  await ksic.press('Enter');
  await expect(page).toHaveURL(/band=small/);
  await expect(page).toHaveURL(/ksic=29/);
  await expect(ksic).toHaveAttribute('aria-invalid', 'false');
  await expect(count).toHaveText(new RegExp(`^${both}건`));
  await noHorizontalScroll(page);

  // The consortium list: consortia with a member firm of the band and division.
  const consortia = await api('/api/consortia?ksic=29');
  const allConsortia = await api('/api/consortia');
  expect(consortia).toBeGreaterThan(0);
  expect(consortia).toBeLessThan(allConsortia);
  await page.goto(`${server.url}/consortia`);
  await page.getByLabel('산업분류(KSIC 2자리)').fill('29');
  await page.getByLabel('산업분류(KSIC 2자리)').press('Enter');
  await expect(page).toHaveURL(/ksic=29/);
  await expect(page.locator('.result-count')).toHaveText(new RegExp(`^${consortia}개 협의체`));
  const mediumFirms = await api('/api/consortia?ksic=29&band=medium');
  expect(mediumFirms).toBeGreaterThan(0);
  expect(mediumFirms).toBeLessThan(consortia);
  await page.getByLabel('기업 규모').selectOption('medium');
  await expect(page).toHaveURL(/band=medium/);
  await expect(page).toHaveURL(/ksic=29/);
  await expect(page.locator('.result-count')).toHaveText(new RegExp(`^${mediumFirms}개 협의체`));
  await noHorizontalScroll(page);
});

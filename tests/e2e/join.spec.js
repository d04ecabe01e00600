// The foundation's story, as people would do it: a firm member signs up, asks to
// join a consortium, its CM approves, and the member sees the notification and
// the updated member list. Runs at desktop width and on a 360 px phone.
const { test, expect, signIn, signOut, noHorizontalScroll, verifyFromMail, businessNumber } = require('./server');

test('a firm member joins a consortium and is told of the CM\'s approval', async ({ page, server }) => {
  const { url } = server;
  const email = `lee.${Date.now()}@saebyeok.example`;
  const firm = `새벽금형 ${Math.floor(Math.random() * 1e6)}`;

  // Sign up as a member of a new firm in the Changwon complex.
  await page.goto(`${url}/signup`);
  await expect(page.getByRole('heading', { name: '회원가입' })).toBeVisible();
  await noHorizontalScroll(page);
  await page.getByLabel('이메일').fill(email);
  await page.getByLabel('비밀번호').fill('짧음');
  await page.getByLabel('이름').focus();
  await expect(page.getByText('8자 이상 입력해 주세요.')).toBeVisible(); // core's rule, live
  await page.getByLabel('비밀번호').fill('새벽 금형 냉각 2026');
  await page.getByLabel('이름').fill('이서연');
  await page.getByLabel('사업자등록번호').fill('123-45-67890');
  await page.getByLabel('기관명').focus();
  await expect(page.getByText('올바른 사업자등록번호가 아닙니다')).toBeVisible();
  await page.getByLabel('사업자등록번호').fill(businessNumber());
  await page.getByLabel('기관명').fill(firm);
  await page.getByLabel('산업단지').selectOption({ label: '창원국가산업단지' });
  await page.getByLabel('임직원 수').fill('38');
  await page.getByLabel('주요 업종').fill('사출 금형');
  await page.getByLabel('[필수] 개인정보 수집·이용에 동의합니다').check();
  await page.getByRole('button', { name: '가입하기' }).click();
  // A mail verifies the address; its link signs the person in.
  await expect(page.getByTestId('signup-sent')).toContainText(email);
  await verifyFromMail(page, server, email);
  await expect(page.getByRole('heading', { name: '내 정보' })).toBeVisible();
  await expect(page.getByText(firm)).toBeVisible();
  await expect(page.getByText('기관 대표자')).toBeVisible();

  // Find the consortium and ask to join.
  await page.getByRole('link', { name: '협의체 찾기' }).click();
  await page.getByLabel('협의체 검색').fill('금형');
  await page.getByRole('button', { name: '검색', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: '개 협의체' })).toContainText('2개 협의체');
  await noHorizontalScroll(page);
  await page.getByRole('link', { name: '창원 금형 미니클러스터' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '창원 금형 미니클러스터' })).toBeVisible();
  await expect(page.getByText('회원 기관 목록은 협의체 회원과 CM에게만 공개됩니다.')).toBeVisible();
  await page.getByRole('button', { name: '신청하기' }).click();
  await expect(page.getByText('필수 입력 항목입니다.')).toBeVisible();
  await expect(page.getByLabel('신청 사유'), 'focus moves to the field to fix').toBeFocused();
  await page.getByLabel('신청 사유').fill('가입 희망');
  await expect(page.getByText('10자 이상 입력해 주세요.')).toBeVisible();
  await page.getByLabel('신청 사유').fill('사출 금형 냉각 채널 개선을 함께 연구하고 싶습니다.');
  await page.getByRole('button', { name: '신청하기' }).click();
  await expect(page.getByText('가입 신청이 CM의 결정을 기다리고 있습니다.')).toBeVisible();
  await noHorizontalScroll(page);
  const consortiumUrl = page.url();
  await signOut(page);

  // The CM sees the request (and the bell) and approves it.
  await signIn(page, url, 'cm.changwon@moim.example');
  await expect(page.getByTestId('unread-count')).toBeVisible();
  await page.goto(consortiumUrl);
  const request = page.getByTestId('requests').getByRole('listitem').filter({ hasText: firm });
  await expect(request).toContainText('사출 금형 냉각 채널 개선');
  await request.getByRole('button', { name: '승인' }).click();
  await expect(request).toContainText('승인');
  await expect(page.getByTestId('member-list')).toContainText(firm);
  await noHorizontalScroll(page);
  await signOut(page);

  // The member is told, and sees the member list with their firm in it.
  await signIn(page, url, email, '새벽 금형 냉각 2026');
  await expect(page.getByTestId('unread-count')).toHaveText('1');
  await page.getByRole('link', { name: /알림 1 건 읽지 않음/ }).click();
  await expect(page.getByRole('heading', { name: '알림', exact: true })).toBeVisible();
  const note = page.getByTestId('notifications').getByRole('link', { name: '창원 금형 미니클러스터 가입이 승인되었습니다.' });
  await expect(note).toBeVisible();
  await noHorizontalScroll(page);
  await note.click();
  await expect(page.getByRole('heading', { level: 1, name: '창원 금형 미니클러스터' })).toBeVisible();
  await expect(page.getByText('우리 기관은 이 협의체의 회원입니다.')).toBeVisible();
  await expect(page.getByTestId('member-list')).toContainText(firm);
  await expect(page.getByTestId('unread-count')).toHaveCount(0);
});

test('the language can be switched to English and is remembered', async ({ page, server }) => {
  await page.goto(server.url);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('우리 산업단지의 협의체를 찾아 함께하세요');
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Find and join the consortia of your industrial complex');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Find consortia' })).toBeVisible();
  await page.getByRole('button', { name: '한국어로 보기' }).click();
  await expect(page.getByRole('navigation').getByRole('link', { name: '협의체 찾기' })).toBeVisible();
});

test('a deep link loads the app with its filters', async ({ page, server }) => {
  await page.goto(`${server.url}/consortia?region=dongnam&kind=mini_cluster`);
  await expect(page.getByLabel('광역경제권')).toHaveValue('dongnam');
  await expect(page.getByLabel('유형')).toHaveValue('mini_cluster');
  await expect(page.getByRole('status').filter({ hasText: '개 협의체' })).toContainText('8개 협의체');
  await expect(page.getByRole('link', { name: '창원 금형 미니클러스터' })).toBeVisible();
  await expect(page.getByRole('link', { name: '오창 반도체 미니클러스터' })).toHaveCount(0);
});

test.describe('wrong password', () => {
  test.use({ allowHttpErrors: true });
  test('a wrong sign-in says so', async ({ page, server }) => {
  await page.goto(`${server.url}/signin`);
  await page.getByLabel('이메일').fill('cm.changwon@moim.example');
  await page.getByLabel('비밀번호').fill('wrong password');
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await expect(page.getByRole('alert').filter({ hasText: '이메일 또는 비밀번호가 맞지 않습니다.' })).toBeVisible();
  });
});

// `?next=` only ever leads to a page of this site: a backslash, a tab or two
// slashes would make the browser leave for another one (issue 11).
test('signing in never leads to another site', async ({ page, server }) => {
  for (const next of ['/%5Cevil.example/x', '/%09/evil.example/y', '/%5C%5Cevil.example/z', '//evil.example/w', 'https://evil.example/v']) {
    await page.goto(`${server.url}/signin?next=${next}`);
    await page.getByLabel('이메일').fill('cm.changwon@moim.example');
    await page.getByLabel('비밀번호').fill('moim-demo-2026');
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await page.waitForURL((u) => !u.pathname.startsWith('/signin'));
    expect(new URL(page.url()).origin, next).toBe(server.url);
    expect(new URL(page.url()).pathname, next).toBe('/');
    await page.getByRole('button', { name: '로그아웃' }).click();
    await expect(page.getByRole('link', { name: '로그인', exact: true })).toBeVisible();
  }
  // A path of this site is kept.
  await page.goto(`${server.url}/signin?next=/ideas`);
  await page.getByLabel('이메일').fill('cm.changwon@moim.example');
  await page.getByLabel('비밀번호').fill('moim-demo-2026');
  await page.getByRole('button', { name: '로그인', exact: true }).click();
  await page.waitForURL((u) => u.pathname === '/ideas');
});

test.describe('a guessable password', () => {
  test.use({ allowHttpErrors: true });
  test('is refused at sign-up with the reason, and a strong one goes through', async ({ page, server }) => {
    await page.goto(`${server.url}/signup`);
    await page.getByLabel('이메일').fill(`weak.${Date.now()}@saebyeok.example`);
    await page.getByLabel('비밀번호').fill('aaaaaaaa');
    await page.getByLabel('이름').fill('이서연');
    await page.getByLabel('사업자등록번호').fill(businessNumber());
    await page.getByLabel('기관명').fill(`새벽정밀 ${Math.floor(Math.random() * 1e6)}`);
    await page.getByLabel('산업단지').selectOption({ label: '창원국가산업단지' });
    await page.getByLabel('임직원 수').fill('12');
    await page.getByLabel('주요 업종').fill('정밀 가공');
    await page.getByLabel('[필수] 개인정보 수집·이용에 동의합니다').check();
    await page.getByRole('button', { name: '가입하기' }).click();
    await expect(page.getByText('같은 글자나 묶음의 반복은 쉽게 추측됩니다.', { exact: false })).toBeVisible();
    await expect(page.getByLabel('비밀번호'), 'focus moves to the field to fix').toBeFocused();
    await page.getByLabel('비밀번호').fill('정밀 가공 새벽 바다 2026');
    await page.getByLabel('[필수] 개인정보 수집·이용에 동의합니다').check();
    await page.getByRole('button', { name: '가입하기' }).click();
    await expect(page.getByTestId('signup-sent')).toBeVisible();
  });
});

// Automated accessibility checks (axe-core, WCAG 2.1 A/AA) on the main pages.
const { test, expect, signIn } = require('./server');
const AxeBuilder = require('@axe-core/playwright').default;

const pages = [
  ['home', '/', '우리 산업단지의 협의체를 찾아 함께하세요'],
  ['consortia', '/consortia', '협의체 찾기'],
  ['consortium', '/consortia/2', '창원 금형 미니클러스터'],
  ['sign-in', '/signin', '로그인'],
  ['sign-up', '/signup', '회원가입'],
  ['forgotten password', '/forgot-password', '비밀번호 재설정'],
  ['reset without a link', '/reset-password', '새 비밀번호 정하기'],
  ['partner register', '/partners', '해외 협력기관'],
];

for (const [name, path, heading] of pages) {
  test(`${name} has no WCAG A/AA violations`, async ({ page, server }) => {
    await page.goto(server.url + path);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const summary = results.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`);
    expect(summary).toEqual([]);
  });
}

// The problem pages, as the firm that owns them sees them (editor, matching, history);
// the idea board as a member and as the CM who moderates it.
const kim = 'kim.minsu@hanbit.example';
const signedIn = [
  ['problem list', '/problems', '애로과제', kim],
  ['problem page', '/problems/1', '사출 금형 냉각 불균일로 인한 휨 불량', kim],
  ['problem editor', '/problems/new', '애로과제 등록', kim],
  ['collaborations', '/collaborations', '내 협력', kim],
  ['idea feed', '/ideas', '아이디어', kim],
  ['idea page', '/ideas/3', '절삭유를 협의체가 공동 구매하면 비용이 줄어듭니다', kim],
  ['idea page for its CM', '/ideas/3', '절삭유를 협의체가 공동 구매하면 비용이 줄어듭니다', 'cm.changwon@moim.example'],
  ['idea editor', '/ideas/new', '아이디어 쓰기', kim],
  ['activity schedule', '/activities', '네트워킹 활동', kim],
  ['activity month', '/activities?month=2026-12', '네트워킹 활동', kim],
  ['activity page for its CM', '/activities/5', '금형 냉각 기술 세미나', 'cm.changwon@moim.example'],
  ['activity form', '/activities/new', '활동 만들기', 'cm.changwon@moim.example'],
  ['KPI cockpit', '/cockpit', '성과 현황', 'cm.changwon@moim.example'],
  ['notifications and their settings', '/notifications', '알림', kim],
  ['account security', '/me/security', '계정 보안', kim],
  ['partner page for an admin', '/partners/1', 'TCI 네트워크', 'admin@moim.example'],
  ['partner form', '/partners/1/edit', '협력기관 정보 수정', 'admin@moim.example'],
];

for (const [name, path, heading, who] of signedIn) {
  test(`${name} has no WCAG A/AA violations`, async ({ page, server }) => {
    await signIn(page, server.url, who);
    await page.goto(server.url + path);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await page.waitForLoadState('networkidle');
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const summary = results.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`);
    expect(summary).toEqual([]);
  });
}

// Automated accessibility checks (axe-core, WCAG 2.1 A/AA) on the main pages.
const { test, expect, signIn } = require('./server');
const AxeBuilder = require('@axe-core/playwright').default;

const pages = [
  ['home', '/', '우리 산업단지의 협의체를 찾아 함께하세요'],
  ['consortia', '/consortia', '협의체 찾기'],
  ['consortium', '/consortia/2', '창원 금형 미니클러스터'],
  ['sign-in', '/signin', '로그인'],
  ['sign-up', '/signup', '회원가입'],
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

// The problem pages, as the firm that owns them sees them (editor, matching, history).
const signedIn = [
  ['problem list', '/problems', '애로과제'],
  ['problem page', '/problems/1', '사출 금형 냉각 불균일로 인한 휨 불량'],
  ['problem editor', '/problems/new', '애로과제 등록'],
  ['collaborations', '/collaborations', '내 협력'],
];

for (const [name, path, heading] of signedIn) {
  test(`${name} has no WCAG A/AA violations`, async ({ page, server }) => {
    await signIn(page, server.url, 'kim.minsu@hanbit.example');
    await page.goto(server.url + path);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await page.waitForLoadState('networkidle');
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
    const summary = results.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`);
    expect(summary).toEqual([]);
  });
}

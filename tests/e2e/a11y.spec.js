// Automated accessibility checks (axe-core, WCAG 2.1 A/AA) on the main pages.
const { test, expect } = require('./server');
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

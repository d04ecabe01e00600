// A failed action is never silent: for each kind of form and button — a form of
// fields (sign-in), a form with a text area (asking to join a consortium), a toggle
// button (공감), an action button (registering for an activity) and a select that
// saves itself (how one is notified) — the server answering 500 and the network
// being off each show their own message on the page, and the page stays usable:
// once the server answers again, the same action goes through.
const { test, expect, signIn } = require('./server');

// The service worker stays out of the way, so the routes below meet the page's own
// requests (Playwright's routing does not see requests a service worker makes).
test.use({ serviceWorkers: 'block', allowServerErrors: true, allowOffline: true });

const SERVER = '서버에 문제가 생겼습니다. 잠시 후 다시 시도해 주세요.';
const NETWORK = '서버에 연결할 수 없습니다. 인터넷 연결을 확인하고 다시 시도해 주세요.';

// Makes the next calls to `pattern` fail as `how` ('500' or 'offline') until the
// returned function is called.
async function fail(page, pattern, how) {
  const handler = (route) => (how === '500'
    ? route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":"internal"}' })
    : route.abort('internetdisconnected'));
  await page.route(pattern, handler);
  return () => page.unroute(pattern, handler);
}

const alert = (page, text) => page.getByRole('alert').filter({ hasText: text });

for (const how of ['500', 'offline']) {
  const message = how === '500' ? SERVER : NETWORK;

  test(`signing in when ${how}: the form says so and works again`, async ({ page, server }) => {
    await page.goto(`${server.url}/signin`);
    await page.getByLabel('이메일').fill('kim.minsu@hanbit.example');
    await page.getByLabel('비밀번호').fill('moim-demo-2026');
    const restore = await fail(page, '**/api/auth/signin', how);
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await expect(alert(page, message)).toBeVisible();
    await expect(page, 'still on the sign-in page').toHaveURL(/\/signin/);
    await restore();
    await page.getByRole('button', { name: '로그인', exact: true }).click();
    await expect(page.getByRole('button', { name: '로그아웃' })).toBeVisible();
  });

  test(`asking to join a consortium when ${how}: the motivation is kept and the error shown`, async ({ page, server }) => {
    // 미래재활기술 (원주) is not a member of 창원's 금형 mini-cluster.
    await signIn(page, server.url, 'choi.eunji@mirae.example');
    await page.goto(`${server.url}/consortia/2`);
    const motivation = '사출 금형 냉각 채널 개선을 함께 연구하고 싶습니다.';
    await page.getByLabel('신청 사유').fill(motivation);
    const restore = await fail(page, '**/api/consortia/2/requests', how);
    await page.getByRole('button', { name: '신청하기' }).click();
    await expect(alert(page, message)).toBeVisible();
    await expect(page.getByLabel('신청 사유')).toHaveValue(motivation);
    await restore();
    await page.getByRole('button', { name: '신청하기' }).click();
    await expect(page.getByText('가입 신청이 CM의 결정을 기다리고 있습니다.')).toBeVisible();
  });

  test(`공감 when ${how}: the count stays and the error is shown`, async ({ page, server }) => {
    await signIn(page, server.url, 'kim.minsu@hanbit.example');
    await page.goto(`${server.url}/ideas/1`);
    const vote = page.getByRole('button', { name: /^공감 \d+$/ });
    const before = await vote.textContent();
    const pressed = await vote.getAttribute('aria-pressed');
    const restore = await fail(page, '**/api/ideas/1/vote', how);
    await vote.click();
    await expect(alert(page, message)).toBeVisible();
    await expect(vote).toHaveText(before);
    await expect(vote).toHaveAttribute('aria-pressed', pressed);
    await restore();
    await vote.click();
    await expect(vote).toHaveAttribute('aria-pressed', pressed === 'true' ? 'false' : 'true');
    await expect(alert(page, message)).toHaveCount(0);
  });

  test(`registering for an activity when ${how}: nothing changes but the error`, async ({ page, server }) => {
    await signIn(page, server.url, 'park.junho@sejin.example');
    await page.goto(`${server.url}/activities/5`);
    const button = page.locator('.register-box').getByRole('button');
    await expect(button).toBeVisible();
    const label = await button.textContent();
    const restore = await fail(page, '**/api/activities/5/registration', how);
    await button.click();
    await expect(alert(page, message)).toBeVisible();
    await expect(button).toHaveText(label);
    await expect(button).toBeEnabled();
    await restore();
    await button.click();
    await expect(button).not.toHaveText(label);
  });

  test(`a notification setting when ${how}: "saved" is not claimed and the choice goes back`, async ({ page, server }) => {
    await signIn(page, server.url, 'kim.minsu@hanbit.example');
    await page.goto(`${server.url}/notifications`);
    const select = page.locator('.pref-list select').first();
    await expect(select).toBeVisible();
    const stored = await select.inputValue();
    const restore = await fail(page, '**/api/notifications/preferences**', how);
    await select.selectOption({ label: '받지 않음' });
    await expect(alert(page, message)).toBeVisible();
    await expect(page.getByText('저장했습니다.')).toHaveCount(0);
    await expect(select, 'back to what the server has').toHaveValue(stored);
    await restore();
    await select.selectOption({ label: '앱 + 하루 한 번 모아서' });
    await expect(page.getByText('저장했습니다.')).toBeVisible();
    await expect(alert(page, message)).toHaveCount(0);
  });
}

// Issue 4's story on a 360 px touch phone: a member posts an idea with a photo, a
// second member gives it a 공감 (a double tap is one) and comments, the author
// replies, the CM adopts it; then, offline, an idea is written, the page reloaded,
// the connection comes back and the idea is posted exactly once.
const { test, expect, signIn, signOut, noHorizontalScroll } = require('./server');

// A 2×2 PNG (a real image the browser can decode and scale).
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGNQzfsCRAwQCgAnlgYdk83UOgAAAABJRU5ErkJggg==', 'base64');

test.use({ allowOffline: true });
test.skip(({ isMobile }) => !isMobile, 'the idea board story is told on the phone');

test('an idea goes from a photo on the phone to adopted, and one written offline is posted once', async ({ page, context, server }) => {
  const url = server.url;
  const title = '금형 냉각수 공동 재활용 설비';

  // The author writes it, with a photo; a file that is not a photo is refused, text kept.
  await signIn(page, url, 'kim.minsu@hanbit.example');
  await page.goto(`${url}/ideas`);
  await page.getByRole('link', { name: '아이디어 쓰기' }).click();
  await page.getByLabel('제목').fill(title);
  await page.getByLabel('내용').fill('회원사 냉각수를 모아 한 설비에서 정화하면 물값과 폐수 처리비가 함께 줄어듭니다.');
  await page.getByLabel('태그').fill('냉각수, 공동설비');
  await page.getByLabel('공개 범위').selectOption({ label: '창원 공작기계 미니클러스터 회원만' });
  await page.getByLabel('앨범에서 고르기').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a photo') });
  await expect(page.getByRole('alert').filter({ hasText: '사진(이미지) 파일만' })).toBeVisible();
  await expect(page.getByLabel('제목')).toHaveValue(title);
  await page.getByLabel('앨범에서 고르기').setInputFiles({ name: 'line.png', mimeType: 'image/png', buffer: PNG });
  await expect(page.getByRole('img', { name: '첨부 사진 1' })).toBeVisible();
  await expect(page.getByRole('group', { name: /사진 1\/4/ })).toBeVisible();
  await noHorizontalScroll(page);
  // A double tap on "post" is one idea.
  await page.getByRole('button', { name: '올리기' }).dblclick();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const ideaUrl = page.url();
  await expect(page.getByRole('img', { name: '사진 1' })).toBeVisible();
  await expect(page.getByTestId('idea-stage')).toHaveText('새 아이디어');
  await signOut(page);

  // A second member of the consortium: one 공감 for a double tap, and a comment.
  await signIn(page, url, 'prof.ahn@dongnam.example');
  await page.goto(ideaUrl);
  const vote = page.getByRole('button', { name: /^공감 \d+$/ });
  await vote.dblclick();
  await expect(vote).toHaveAttribute('aria-pressed', 'true');
  await expect(vote).toHaveText('공감 1');
  await page.reload();
  await expect(page.getByRole('button', { name: '공감 1' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByLabel('댓글 쓰기').fill('저희 연구실 여과 장비로 시험 정화를 해 볼 수 있습니다.');
  await page.getByRole('button', { name: '등록' }).click();
  await expect(page.getByText('저희 연구실 여과 장비로 시험 정화를 해 볼 수 있습니다.')).toBeVisible();
  await expect(page.getByRole('heading', { name: '댓글 1' })).toBeVisible();
  await signOut(page);

  // The author hears of it, and replies: the answer is marked as the author's.
  await signIn(page, url, 'kim.minsu@hanbit.example');
  await page.getByRole('link', { name: /알림 \d+ 건 읽지 않음/ }).click();
  await page.getByRole('link', { name: `안재훈 교수 님이 아이디어 '${title}'에 댓글을 남겼습니다.` }).click();
  await page.getByRole('button', { name: '답글' }).first().click();
  await page.getByLabel('답글 쓰기').fill('좋습니다. 시료를 다음 주에 보내겠습니다.');
  await page.getByRole('button', { name: '등록' }).first().click();
  const reply = page.locator('.replies .comment').filter({ hasText: '시료를 다음 주에 보내겠습니다.' });
  await expect(reply).toBeVisible();
  await expect(reply.getByText('작성자')).toBeVisible();
  await signOut(page);

  // The consortium's CM adopts it, with a note kept in the history.
  await signIn(page, url, 'cm.changwon@moim.example');
  await page.goto(ideaUrl);
  await page.getByLabel('단계', { exact: true }).selectOption({ label: '채택' });
  await page.getByLabel(/메모/).fill('다음 분기 공동 설비 사업으로 추진합니다.');
  await page.getByRole('button', { name: '단계 바꾸기' }).click();
  await expect(page.getByTestId('idea-stage')).toHaveText('채택');
  await page.getByText('진행 기록').click();
  await expect(page.getByText('“다음 분기 공동 설비 사업으로 추진합니다.”')).toBeVisible();

  // Offline: the app shell and the last feed come from the device; a new idea waits
  // there, survives a reload, and is posted once when the connection returns.
  await page.goto(`${url}/ideas`);
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload(); // now under the service worker, which keeps this feed
  await expect(page.getByRole('link', { name: title })).toBeVisible();
  // Offline only once the worker has kept who is signed in and this feed: a fact
  // to wait on, not a time.
  const kept = (p) => page.evaluate(async (key) => {
    const hit = await (await caches.open('moim-data')).match(key);
    return hit ? hit.text() : null;
  }, p);
  await expect.poll(() => kept('/api/auth/session')).toContain('cm.changwon@moim.example');
  await expect.poll(() => kept('/api/ideas')).toContain(title);
  await context.setOffline(true);
  const offlineTitle = '오프라인에서 쓴 안전 교육 아이디어';
  await page.getByRole('link', { name: '아이디어 쓰기' }).click();
  await expect(page.getByRole('status').filter({ hasText: '오프라인입니다' })).toBeVisible();
  await page.getByLabel('제목').fill(offlineTitle);
  await page.getByLabel('내용').fill('현장 안전 교육을 협의체가 함께 열면 강사비를 나눌 수 있습니다.');
  await page.getByRole('button', { name: '올리기' }).click();
  const pending = page.getByTestId('pending-idea').filter({ hasText: offlineTitle });
  await expect(pending).toBeVisible();
  await expect(pending).toContainText('전송 대기');
  await page.reload();
  await expect(page.getByTestId('pending-idea').filter({ hasText: offlineTitle })).toBeVisible();
  await expect(page.getByRole('link', { name: title })).toBeVisible(); // the last feed seen
  await context.setOffline(false);
  await expect(page.getByTestId('pending-idea')).toHaveCount(0);
  await expect(page.getByRole('link', { name: offlineTitle })).toHaveCount(1);
  const found = await page.evaluate(async (t) => (await (await fetch('/api/ideas?q=' + encodeURIComponent(t))).json()).items.length, offlineTitle);
  expect(found).toBe(1);
  await noHorizontalScroll(page);
});

// Issue 5's story on a 360 px phone: the CM schedules a company visit with two
// places; three members register (the third waits), one cancels and the third is
// promoted and told; two check in with the code the CM shows; the cockpit counts
// the visit's attendance and exports it as CSV with a BOM.
const fs = require('fs');
const { test, expect, signIn, signOut, noHorizontalScroll, mailMatching, moveBack } = require('./server');

test.skip(({ isMobile }) => !isMobile, 'the activity story is told on the phone');
// The wrong check-in code is answered 422 on purpose; the browser logs that.
test.use({ allowHttpErrors: true });

/** `YYYY-MM-DDTHH:MM` in Korea time, `minutes` from now. */
function kst(minutes) {
  return new Date(Date.now() + 9 * 3600e3 + minutes * 60e3).toISOString().slice(0, 16);
}

async function heldCount(page, url) {
  await page.goto(`${url}/cockpit`);
  const tile = page.getByTestId('kpi-Activities held');
  await expect(tile).toBeVisible();
  return Number((await tile.textContent()).replace(/,/g, ''));
}

test('a company visit fills, moves its waiting list, checks people in, and counts in the cockpit', async ({ page, server }) => {
  // The visit starts three minutes from now (check-in opens an hour before); the
  // cockpit counts it once it has begun (moved ten minutes back, not waited for).
  test.setTimeout(180_000);
  const url = server.url;
  const title = '한빛정밀 5축 가공 라인 견학';

  await signIn(page, url, 'cm.changwon@moim.example');
  const heldBefore = await heldCount(page, url);
  await page.goto(`${url}/activities`);
  await page.getByRole('link', { name: '활동 만들기' }).click();
  await page.getByRole('checkbox', { name: '창원 공작기계 미니클러스터' }).check();
  await page.getByLabel('종류').selectOption({ label: '기업방문' });
  await page.getByLabel('제목').fill(title);
  await page.getByLabel('내용').fill('5축 가공 라인과 자동 측정 설비를 둘러봅니다.');
  await page.getByLabel('시작 (한국 시간)').fill(kst(3));
  await page.getByLabel(/^종료/).fill(kst(123));
  await page.getByLabel('장소 (주소)').fill('경남 창원시 성산구 공단로 100');
  await page.getByLabel('정원 (비우면 제한 없음)').fill('2');
  await noHorizontalScroll(page);
  await page.getByRole('button', { name: '활동 만들기' }).click();
  await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
  const activityUrl = page.url();
  await expect(page.getByTestId('seats')).toHaveText('정원 2명 중 0명 신청');
  await signOut(page);

  // Three members register; the third goes on the waiting list. A company
  // visit's address shows once one has a place.
  for (const email of ['kim.minsu@hanbit.example', 'lee.jiyoung@daesung.example']) {
    await signIn(page, url, email);
    await page.goto(activityUrl);
    await expect(page.getByText('주소는 참가가 확정되면 보입니다.')).toBeVisible();
    await expect(page.getByText('공단로 100')).toHaveCount(0);
    await page.getByRole('button', { name: '참가 신청' }).click();
    await expect(page.getByText('참가가 확정되었습니다.')).toBeVisible();
    await expect(page.getByText('경남 창원시 성산구 공단로 100')).toBeVisible();
    await signOut(page);
  }
  await signIn(page, url, 'park.junho@sejin.example');
  await page.goto(activityUrl);
  await expect(page.getByTestId('seats')).toHaveText('정원 2명 중 2명 신청');
  await page.getByRole('button', { name: '대기 신청' }).click();
  await expect(page.getByText(/대기 1번입니다/)).toBeVisible();
  await signOut(page);

  // One cancels: the first in line gets the place.
  await signIn(page, url, 'lee.jiyoung@daesung.example');
  await page.goto(activityUrl);
  await page.getByRole('button', { name: '신청 취소' }).click();
  // Park took the place at once: the visit is full again.
  await expect(page.getByRole('button', { name: '대기 신청' })).toBeVisible();
  await signOut(page);
  await signIn(page, url, 'park.junho@sejin.example');
  await page.getByRole('link', { name: /알림 \d+ 건 읽지 않음/ }).click();
  await page.getByRole('link', { name: `자리가 나서 '${title}' 참가가 확정되었습니다.` }).click();
  await expect(page.getByText('참가가 확정되었습니다.')).toBeVisible();
  await signOut(page);

  // The CM shows the check-in code and its QR code.
  await signIn(page, url, 'cm.changwon@moim.example');
  await page.goto(activityUrl);
  await page.getByRole('button', { name: '출석 코드 띄우기' }).click();
  const code = (await page.getByTestId('checkin-code').textContent()).trim();
  expect(code).toMatch(/^\d{6}$/);
  await expect(page.getByRole('img', { name: '출석 확인 페이지로 가는 QR 코드' })).toBeVisible();
  await signOut(page);

  // Kim follows the QR code's link (the code comes filled in); Park types it,
  // after a wrong try that records nothing.
  await signIn(page, url, 'kim.minsu@hanbit.example');
  await page.goto(`${activityUrl}/check-in?code=${code}`);
  await expect(page.getByLabel('화면에 보이는 출석 코드 6자리')).toHaveValue(code);
  await page.getByRole('button', { name: '출석하기' }).click();
  await expect(page.getByText('출석이 확인되었습니다.')).toBeVisible();
  await signOut(page);
  await signIn(page, url, 'park.junho@sejin.example');
  await page.goto(activityUrl);
  await page.getByRole('link', { name: '출석 확인하기' }).click();
  const wrong = code === '000000' ? '111111' : '000000';
  await page.getByLabel('화면에 보이는 출석 코드 6자리').fill(wrong);
  await page.getByRole('button', { name: '출석하기' }).click();
  await expect(page.getByRole('alert').filter({ hasText: '코드가 맞지 않습니다' })).toBeVisible();
  await page.getByLabel('화면에 보이는 출석 코드 6자리').fill(code);
  await page.getByRole('button', { name: '출석하기' }).click();
  await expect(page.getByText('출석이 확인되었습니다.')).toBeVisible();
  await noHorizontalScroll(page);
  await signOut(page);

  // The CM's list agrees; once the visit has begun the cockpit counts it.
  await signIn(page, url, 'cm.changwon@moim.example');
  await page.goto(activityUrl);
  await expect(page.getByTestId('attendance')).toHaveText('참가 확정 2명 중 2명 출석');
  // The organiser's list as a file, and printed as a sign-in sheet: the list
  // alone, with a signature column.
  const [list] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '명단 CSV 내려받기' }).click(),
  ]);
  const listCsv = fs.readFileSync(await list.path());
  expect([...listCsv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(listCsv.toString('utf8')).toMatch(/김민수,한빛정밀[^\r]*,참가 확정 \(registered\),,[^,]*,[^,]+,코드 \(code\)/);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('columnheader', { name: '서명' })).toBeVisible();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeHidden();
  await page.emulateMedia({ media: 'screen' });
  await expect(page.getByRole('columnheader', { name: '서명' })).toBeHidden();
  await expect.poll(() => heldCount(page, url)).toBe(heldBefore);
  moveBack(server.dir, Number(activityUrl.split('/').pop()), 10 / (24 * 60));
  await expect.poll(() => heldCount(page, url)).toBe(heldBefore + 1);
  const rate = (await page.getByTestId('kpi-Attendance rate').textContent()).trim();
  expect(rate).toMatch(/^\d+(\.\d)?%$/);
  await noHorizontalScroll(page);

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('csv-summary').click(),
  ]);
  const csv = fs.readFileSync(await download.path());
  expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  expect(csv.toString('utf8')).toContain(`참석률 % (attendance rate),${rate.replace('%', '')}`);
});

test('an open event asks for the attendee category and shows its programme', async ({ page, server }) => {
  // The sample results meeting (성과보고회) is open to everyone signed in and has
  // eight guest categories, each capped.
  await signIn(page, server.url, 'kwon.mira@moldtec.example');
  await page.goto(`${server.url}/activities/7`);
  await expect(page.getByRole('heading', { level: 1, name: '산업단지 혁신클러스터 성과보고회' })).toBeVisible();
  await expect(page.getByText('공개 행사')).toBeVisible();
  await expect(page.getByRole('heading', { name: '프로그램' })).toBeVisible();
  await expect(page.getByText('미니클러스터 우수사례 발표')).toBeVisible();
  await expect(page.getByTestId('categories')).toContainText('미니클러스터 회원 3/90');
  // Registering without a category is stopped on the page; with one it goes through.
  await page.getByRole('button', { name: '참가 신청' }).click();
  await expect(page.getByText('참가 구분을 골라 주세요.')).toBeVisible();
  await expect(page.getByLabel('참가 구분')).toBeFocused();
  await page.getByLabel('참가 구분').selectOption({ label: '언론 (남은 자리 10)' });
  // It asks two registration questions; the required one must be answered.
  const lunch = page.getByRole('group', { name: /오찬에 참석하십니까/ });
  await expect(page.getByRole('group', { name: /가장 관심 있는 순서/ })).toBeVisible();
  await noHorizontalScroll(page);
  await page.getByRole('button', { name: '참가 신청' }).click();
  await expect(lunch.getByLabel('예')).toBeFocused();
  await expect(lunch).toHaveAttribute('aria-invalid', 'true');
  await lunch.getByLabel('예').check();
  await page.getByRole('group', { name: /가장 관심 있는 순서/ }).getByLabel('네트워킹').check();
  await page.getByRole('button', { name: '참가 신청' }).click();
  await expect(page.getByText('참가가 확정되었습니다.')).toBeVisible();
  await expect(page.getByTestId('categories')).toContainText('언론 1/10');
  await expect(page.getByText('내 참가 구분')).toBeVisible();
});

test('a guest from abroad registers in English without an account, confirms from the mail, and is on the list', async ({ page, server }) => {
  // The sample results meeting takes guests without an account too.
  await page.goto(`${server.url}/activities/7`);
  await page.getByRole('button', { name: 'Switch to English' }).click();
  await expect(page.getByRole('heading', { level: 1, name: '산업단지 혁신클러스터 성과보고회' })).toBeVisible();
  await page.getByText('Register without an account (guest)').click();
  // Sent empty: every missing answer is said at its field, and nothing is sent.
  await page.getByRole('button', { name: 'Mail me the link' }).click();
  await expect(page.getByRole('textbox', { name: 'Name' })).toBeFocused();
  await page.getByRole('textbox', { name: 'Name' }).fill('Jane Buyer');
  await page.getByRole('textbox', { name: 'Organisation' }).fill('Acme Trading Co.');
  await page.getByRole('textbox', { name: 'Email' }).fill('jane@acme.example');
  await page.getByLabel('Phone (optional)').fill('+1 415 555 0100');
  await page.getByLabel('Attending as').selectOption({ label: '해외 바이어' });
  await page.getByRole('group', { name: /오찬에 참석하십니까/ }).getByLabel('No').check();
  await page.getByLabel(/I agree that my name/).check();
  await noHorizontalScroll(page);
  await page.getByRole('button', { name: 'Mail me the link' }).click();
  await expect(page.getByText('We sent you a mail.')).toBeVisible();
  // The mailed link confirms on opening: a place, the category, the kept address.
  const mail = await mailMatching(server.dir, /<jane@acme\.example>[\s\S]*#guest=/);
  const token = mail.match(/#guest=([0-9a-f]{64})/)[1];
  await page.goto('about:blank'); // the mail opens a new page, not a jump within this one
  await page.goto(`${server.url}/activities/7#guest=${token}`);
  const panel = page.getByTestId('guest-panel');
  await expect(panel).toContainText('You have a place.');
  await expect(panel).toContainText('Jane Buyer · Acme Trading Co.');
  await expect(panel).toContainText('해외 바이어');
  await expect(panel).toContainText('오찬에 참석하십니까?아니요');
  await expect(page.getByTestId('categories')).toContainText('해외 바이어 1/');
  await noHorizontalScroll(page);
  // The CM finds the guest on the list, badged, with how to reach them.
  await page.getByRole('button', { name: '한국어로 보기' }).click();
  await signIn(page, server.url, 'cm.changwon@moim.example');
  await page.goto(`${server.url}/activities/7`);
  const row = page.locator('.roster tr', { hasText: 'Jane Buyer' });
  await expect(row).toContainText('jane@acme.example');
  await expect(row.locator('.badge-guest')).toBeVisible();
});

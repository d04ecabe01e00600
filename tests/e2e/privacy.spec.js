// One's own data: "내 정보 내려받기" on the account page downloads everything Moim
// keeps about the person as a JSON file.
const fs = require('fs');
const { test, expect, signIn } = require('./server');

test('a member downloads their data from the account page', async ({ page, server }) => {
  await signIn(page, server.url, 'kim.minsu@hanbit.example');
  await page.goto(`${server.url}/me`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '내 정보 내려받기 (JSON)' }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^moim-\d+-\d{8}\.json$/);
  const data = JSON.parse(fs.readFileSync(await download.path(), 'utf8'));
  expect(data.person.email).toBe('kim.minsu@hanbit.example');
  expect(data.tables['users.id'][0].name).toBe('김민수');
  expect(data.tables['sessions.user_id'].length).toBeGreaterThan(0);
  expect(JSON.stringify(data)).not.toContain('password_hash');
});

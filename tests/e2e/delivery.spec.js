// How the app reaches the browser (issue 10): every key route in one wave (the
// HTML names every file the route needs and carries its first API answers, so
// nothing waits for a wasm module to learn that it needs another), and a new
// build replacing an old one never leaves a page mixing the two.
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');
const { test, expect, signIn, startServer } = require('./server');
const routes = require('./routes');

const SITE = path.resolve(__dirname, '../../target/site');
const buildOf = (url) => /\/b\/([0-9a-z]+)\//.exec(url)?.[1];

// What the service worker kept for `path` (the session, a feed, an idea).
const kept = (page, path) => page.evaluate(async (p) => !!(await (await caches.open('moim-data')).match(p)), path);

test.describe('one wave', () => {
  test.use({ serviceWorkers: 'block' });
  for (const r of routes) {
    const label = r.who ? `${r.path} signed in` : r.path;
    test(`${label}: everything it needs is named in its HTML`, async ({ page, server }) => {
      if (r.who) await signIn(page, server.url, r.who);
      const requests = [];
      page.on('request', (req) => requests.push(new URL(req.url()).pathname + new URL(req.url()).search));
      // The HTML as it arrived, before the app took its answers out of it.
      let html = '';
      page.on('response', async (res) => {
        if (res.request().resourceType() === 'document') html = await res.text().catch(() => '');
      });
      await page.goto(server.url + r.path);
      await expect(page.getByRole('heading', { level: 1, name: r.heading }).first()).toBeVisible();
      await page.waitForLoadState('networkidle');
      const hinted = new Set();
      for (const m of html.matchAll(/<(?:link|script)\b[^>]*?\b(?:href|src)="([^"]+)"/g)) hinted.add(m[1].replaceAll('&amp;', '&'));
      const answered = [...html.matchAll(/data-api="([^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
      expect(answered.length, 'the page carries its first API answers').toBeGreaterThan(1);
      // Every file of the build the page asked for was named by the HTML...
      const late = requests.filter((u) => u.startsWith('/b/') && !hinted.has(u));
      expect(late, 'files found only once a module ran').toEqual([]);
      // ...every module the HTML named was used, and no answer was asked for again.
      const packs = [...hinted].filter((u) => u.endsWith('.pack'));
      expect(packs.length, 'the route names its module').toBeGreaterThan(0);
      for (const p of packs) expect(requests, `${p} is fetched`).toContain(p);
      const again = requests.filter((u) => answered.includes(u));
      expect(again, 'answers the page already had').toEqual([]);
      expect(new Set(requests.map(buildOf).filter(Boolean)).size, 'one build').toBe(1);
    });
  }
});

// A copy of the built app under another version: what a new build looks like to
// the browser (every address of the build changes with it).
function anotherBuild() {
  const manifest = JSON.parse(fs.readFileSync(path.join(SITE, 'site.json'), 'utf8'));
  const next = manifest.version.slice(0, -1) + (manifest.version.endsWith('0') ? '1' : '0');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'moim-site-'));
  fs.cpSync(SITE, dir, { recursive: true });
  fs.renameSync(path.join(dir, 'b', manifest.version), path.join(dir, 'b', next));
  const swap = (rel) => {
    const p = path.join(dir, rel);
    const text = fs.readFileSync(p, 'utf8').replaceAll(manifest.version, next);
    fs.writeFileSync(p, text);
    if (fs.existsSync(p + '.br')) fs.writeFileSync(p + '.br', zlib.brotliCompressSync(Buffer.from(text)));
    if (fs.existsSync(p + '.gz')) fs.writeFileSync(p + '.gz', zlib.gzipSync(Buffer.from(text)));
  };
  swap('site.json');
  swap('sw.js');
  swap(`b/${next}/index.html`);
  return { dir, old: manifest.version, next };
}

test('a new build replaces an old one: deep links work, no page mixes the two', async ({ browser }) => {
  test.setTimeout(120_000);
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'moim-e2e-'));
  const a = fs.mkdtempSync(path.join(os.tmpdir(), 'moim-site-'));
  fs.cpSync(SITE, a, { recursive: true });
  const b = anotherBuild();
  let server = await startServer({ dir: data, siteDir: a });
  const { url, port } = server;
  const context = await browser.newContext();
  // Per page and per document: the builds its files came from.
  const seen = new Map();
  const watch = (page) => {
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) seen.set(page, [...(seen.get(page) || []), new Set()]); });
    page.on('request', (req) => {
      const v = buildOf(req.url());
      const docs = seen.get(page);
      if (v && docs && docs.length) docs[docs.length - 1].add(v);
    });
  };
  try {
    const first = await context.newPage();
    watch(first);
    await first.goto(`${url}/ideas`);
    await first.evaluate(() => navigator.serviceWorker.ready);
    await first.reload();
    await expect.poll(() => first.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true);
    // A deep link under the installed worker, online and offline.
    await first.goto(`${url}/ideas/1`);
    await expect(first.getByRole('heading', { level: 1 })).toBeVisible();
    // Offline once the worker has kept what the page came with (a fact, not a wait).
    await expect.poll(() => kept(first, '/api/ideas/1')).toBe(true);
    await expect.poll(() => kept(first, '/api/auth/session')).toBe(true);
    await context.setOffline(true);
    await first.goto(`${url}/ideas/1`);
    await expect(first.getByRole('heading', { level: 1 })).toBeVisible();
    await context.setOffline(false);

    // The new build replaces the old on the same address and database.
    await server.stop();
    server = await startServer({ port, dir: data, siteDir: b.dir });

    // The old page moves to a page whose module it does not have yet: its build's
    // file is gone, so it reloads into the new build rather than mix them.
    await first.getByRole('navigation', { name: '주 메뉴' }).getByRole('link', { name: '활동' }).click();
    await expect(first.getByRole('heading', { level: 1, name: '네트워킹 활동' })).toBeVisible();
    await expect.poll(() => first.evaluate(() => document.documentElement.dataset.build)).toBe(`/b/${b.next}/`);

    // A new tab's deep link is the new build throughout.
    const second = await context.newPage();
    watch(second);
    await second.goto(`${url}/ideas/1`);
    await expect(second.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await second.evaluate(() => document.documentElement.dataset.build)).toBe(`/b/${b.next}/`);

    for (const [, docs] of seen) {
      for (const builds of docs) expect(builds.size, `one build per page: ${[...builds]}`).toBeLessThanOrEqual(1);
    }
  } finally {
    await context.close();
    await server.stop();
    for (const d of [data, a, b.dir]) fs.rmSync(d, { recursive: true, force: true });
  }
});

// Issue 12: two instances that share nothing but one PostgreSQL database and one
// S3-compatible object store, behind HAProxy (Debian's package; round-robin, no
// sticky sessions, health-checked on /api/ready). A member signs in, posts an idea
// with a photo, reads it back from both instances and registers for an activity;
// then 1,500 mails fall due at once and each is written once, by whichever of the
// two mail workers claimed it.
// Needs MOIM_TEST_POSTGRES and MOIM_TEST_S3 (`.ci/run` provides both; with
// CI=true their absence fails the test).
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');
const { test, expect, signIn, binary } = require('./server');

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGNQzfsCRAwQCgAnlgYdk83UOgAAAABJRU5ErkJggg==', 'base64');

test.skip(({ isMobile }) => isMobile, 'the cluster is checked once, at desktop width');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

async function waitFor(url, child, what) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try { if ((await fetch(url)).ok) return; } catch (_) { /* not up yet */ }
    await new Promise(r => setTimeout(r, 200));
  }
  throw new Error(`${what} did not answer ${url} in time`);
}

// Stops a child with SIGTERM and waits for it (SIGKILL after 25 s); its exit code.
async function stop(child) {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  const exited = new Promise(r => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
  const late = setTimeout(() => child.kill('SIGKILL'), 25_000);
  await exited;
  clearTimeout(late);
  return child.exitCode ?? child.signalCode;
}

function haproxy() {
  for (const p of ['/usr/sbin/haproxy', '/usr/bin/haproxy']) if (fs.existsSync(p)) return p;
  return null;
}

test('two instances behind a load balancer share sessions, files and mail', async ({ page }) => {
  test.setTimeout(180_000);
  const pg = process.env.MOIM_TEST_POSTGRES;
  const s3 = process.env.MOIM_TEST_S3;
  const lb = haproxy();
  if (!pg || !s3 || !lb) {
    const missing = [!pg && 'MOIM_TEST_POSTGRES', !s3 && 'MOIM_TEST_S3', !lb && 'haproxy'].filter(Boolean).join(', ');
    expect(process.env.CI, `the cluster test needs ${missing}`).not.toBe('true');
    test.skip(true, `needs ${missing} (bash .ci/run provides them)`);
  }

  // A fresh database on the test server and a fresh prefix in the test bucket.
  const dbName = `moim_cluster_${process.pid}_${Date.now()}`;
  execFileSync('psql', [pg, '-qtAc', `CREATE DATABASE ${dbName}`]);
  const dbUrl = new URL(pg);
  dbUrl.pathname = `/${dbName}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'moim-cluster-'));
  const [portOne, portTwo, portLb] = await Promise.all([freePort(), freePort(), freePort()]);
  const front = `http://127.0.0.1:${portLb}`;
  const children = [];
  const servers = {};
  const start = (name, port, extra) => {
    const log = fs.openSync(path.join(dir, `${name}.log`), 'a');
    const env = {
      ...process.env,
      DATABASE_URL: dbUrl.toString(),
      MOIM_DATA_DIR: path.join(dir, name),
      MOIM_FILES: `s3://moim-test/${dbName}`,
      AWS_ENDPOINT: s3, AWS_ALLOW_HTTP: 'true', AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'moim-test', AWS_SECRET_ACCESS_KEY: 'moim-test',
      MOIM_MAIL_EVERY: '1', MOIM_STAFF_WITHOUT_SECOND_FACTOR: 'true', RUST_LOG: 'warn',
    };
    const child = spawn(binary, ['serve', ...extra, '--listen', `127.0.0.1:${port}`, '--trust-proxy', '--public-url', front], { env, stdio: ['ignore', log, log] });
    children.push(child);
    servers[name] = child;
    return waitFor(`http://127.0.0.1:${port}/api/ready`, child, `instance ${name}`);
  };
  try {
    // The sample portal is loaded once, by the first instance; the second starts on it.
    await start('one', portOne, ['--demo']);
    await start('two', portTwo, []);
    fs.writeFileSync(path.join(dir, 'haproxy.cfg'), [
      'global', '  maxconn 256',
      'defaults', '  mode http', '  option forwardfor', '  timeout connect 2s', '  timeout client 30s', '  timeout server 30s',
      'frontend web', `  bind 127.0.0.1:${portLb}`, '  default_backend moim',
      'backend moim', '  balance roundrobin', '  option httpchk GET /api/ready',
      '  http-response set-header X-Served-By %[srv_name]',
      `  server one 127.0.0.1:${portOne} check inter 1s fall 2 rise 1`,
      `  server two 127.0.0.1:${portTwo} check inter 1s fall 2 rise 1`, '',
    ].join('\n'));
    const balancer = spawn(lb, ['-db', '-f', path.join(dir, 'haproxy.cfg')], { stdio: ['ignore', fs.openSync(path.join(dir, 'haproxy.log'), 'a'), fs.openSync(path.join(dir, 'haproxy.log'), 'a')] });
    children.push(balancer);
    await waitFor(`${front}/api/ready`, balancer, 'haproxy');

    // Which instance answered each API request.
    const servedBy = new Set();
    page.on('response', r => { if (r.url().includes('/api/')) { const s = r.headers()['x-served-by']; if (s) servedBy.add(s); } });

    // Signed in once; every later request, on either instance, carries that session.
    await signIn(page, front, 'park.junho@sejin.example');
    const title = '두 인스턴스에서 함께 보는 현장 사진';
    await page.goto(`${front}/ideas`);
    await page.getByRole('link', { name: '아이디어 쓰기' }).click();
    await page.getByLabel('제목').fill(title);
    await page.getByLabel('내용').fill('한 인스턴스가 받은 사진을 다른 인스턴스도 객체 저장소에서 읽습니다.');
    await page.getByLabel('앨범에서 고르기').setInputFiles({ name: 'line.png', mimeType: 'image/png', buffer: PNG });
    await expect(page.getByRole('img', { name: '첨부 사진 1' })).toBeVisible();
    await page.getByRole('button', { name: '올리기' }).click();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();
    const photo = page.getByRole('img', { name: '사진 1' });
    await expect(photo).toBeVisible();
    await expect.poll(() => photo.evaluate(img => img.complete && img.naturalWidth)).toBeGreaterThan(0);
    // The photo read through each instance: the same bytes from the shared store.
    const src = await photo.getAttribute('src');
    const reads = [];
    for (let i = 0; i < 4; i++) {
      const r = await page.request.get(new URL(src, front).toString());
      expect(r.status()).toBe(200);
      reads.push({ by: r.headers()['x-served-by'], body: (await r.body()).toString('base64') });
    }
    expect(new Set(reads.map(r => r.by))).toEqual(new Set(['one', 'two']));
    expect(new Set(reads.map(r => r.body)).size).toBe(1);
    // Read again after a reload (the feed and the page through both instances).
    await page.reload();
    await expect(page.getByRole('heading', { level: 1, name: title })).toBeVisible();

    // Registering for an activity of the member's consortium.
    await page.goto(`${front}/activities`);
    await page.getByRole('link', { name: '금형 냉각 기술 세미나' }).first().click();
    await page.getByRole('button', { name: '참가 신청' }).click();
    await expect(page.getByText('참가가 확정되었습니다.')).toBeVisible();
    expect([...servedBy].sort()).toEqual(['one', 'two']);

    // Every mail of the outbox, once, with both workers running: a burst of 1,500
    // notification mails (copies of those the story made) is due at once, and
    // each worker claims rows under a lease; what one took the other must not send.
    const psql = sql => execFileSync('psql', [dbUrl.toString(), '-qtAc', sql]).toString().trim();
    await expect.poll(() => psql("SELECT count(*) FROM mail_outbox WHERE status <> 'sent'"), { timeout: 30_000 }).toBe('0');
    psql(`INSERT INTO mail_outbox (user_id, notification_id, digest, status, attempts, due_at, created_at)
          SELECT o.user_id, o.notification_id, false, 'pending', 0, now(), now()
          FROM mail_outbox o, generate_series(1, 1500) g
          WHERE o.id = (SELECT min(id) FROM mail_outbox WHERE notification_id IS NOT NULL AND NOT digest)`);
    await expect.poll(() => psql("SELECT count(*) FROM mail_outbox WHERE status <> 'sent'"), { timeout: 30_000 }).toBe('0');
    const sent = Number(psql("SELECT count(*) FROM mail_outbox WHERE status = 'sent'"));
    expect(sent).toBeGreaterThan(0);
    const ids = [];
    const perInstance = {};
    for (const name of ['one', 'two']) {
      const mailDir = path.join(dir, name, 'mail');
      const files = fs.existsSync(mailDir) ? fs.readdirSync(mailDir).filter(f => f.endsWith('.eml')) : [];
      perInstance[name] = files.length;
      for (const f of files) {
        const m = /^Message-ID: <(outbox-\d+)@/mi.exec(fs.readFileSync(path.join(mailDir, f), 'utf8'));
        if (m) ids.push(m[1]);
      }
    }
    test.info().annotations.push({ type: 'outbox mail written', description: JSON.stringify(perInstance) });
    expect(ids.length, `outbox mails written per instance: ${JSON.stringify(perInstance)}`).toBe(sent);
    expect(new Set(ids).size, 'no outbox mail written twice').toBe(ids.length);
    // Both workers took part (1,500 mails take each more than the second between rounds).
    expect(perInstance.one, 'the first instance sent some').toBeGreaterThan(0);
    expect(perInstance.two, 'the second instance sent some').toBeGreaterThan(0);
  } catch (e) {
    for (const f of fs.readdirSync(dir).filter(f => f.endsWith('.log'))) {
      process.stderr.write(`--- ${f} (last 40 lines)\n${fs.readFileSync(path.join(dir, f), 'utf8').split('\n').slice(-40).join('\n')}\n`);
    }
    throw e;
  } finally {
    await Promise.all(page.context().pages().map(p => p.close()));
    const codes = {};
    for (const [name, child] of Object.entries(servers)) codes[name] = await stop(child);
    for (const child of children) if (!Object.values(servers).includes(child)) await stop(child);
    try { execFileSync('psql', [pg, '-qtAc', `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`]); } catch (_) { /* best effort */ }
    fs.rmSync(dir, { recursive: true, force: true });
    expect(codes, 'both instances stop cleanly on SIGTERM').toEqual({ one: 0, two: 0 });
  }
});

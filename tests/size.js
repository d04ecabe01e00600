// The phone-speed budgets, in bytes (deterministic, so a CI check): what a first
// visit to every key route downloads before it can paint (its "first wave": the
// HTML with the route's first API answers in it, and every file the HTML names —
// stylesheets, scripts, the main module and the route's module pack), as the
// server sends it (brotli), and the main module on its own. Fails when a budget is
// exceeded. Runs against a server given by URL, or starts the debug server.
//   node tests/size.js [http://127.0.0.1:8080]
'use strict';
const http = require('http');
const net = require('net');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');
const routes = require('./e2e/routes');

// The main module's budget (what every first visit downloads, whatever the route);
// each key route's first wave has its own (`wave` in e2e/routes.js).
const MAIN_BUDGET = 110 * 1024;

function get(url, headers = {}) {
  return new Promise((resolve, reject) => {
    http.get(url, { headers: { 'accept-encoding': 'br', ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

function post(url, body) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const req = http.request(u, { method: 'POST', headers: { 'content-type': 'application/json', origin: u.origin } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

// The files a page names that it needs to paint (not the icons or web manifest,
// which the browser fetches when idle).
function named(html) {
  const urls = [];
  for (const m of html.matchAll(/<link\b([^>]*)>/g)) {
    const rel = /rel="([^"]+)"/.exec(m[1])?.[1];
    const href = /href="([^"]+)"/.exec(m[1])?.[1];
    if (href && ['stylesheet', 'preload', 'modulepreload'].includes(rel)) urls.push(href.replaceAll('&amp;', '&'));
  }
  for (const m of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) urls.push(m[1]);
  return [...new Set(urls)];
}

async function measure(base) {
  const signedIn = {};
  const failures = [];
  const kb = (n) => (n / 1024).toFixed(1);
  console.log('| route | requests | first wave (KB, brotli) | budget (KB) | of which the page and its answers |');
  console.log('| --- | ---: | ---: | ---: | ---: |');
  let main = 0;
  for (const r of routes) {
    const headers = {};
    if (r.who) {
      if (!signedIn[r.who]) {
        const h = await post(`${base}/api/auth/signin`, { email: r.who, password: 'moim-demo-2026' });
        signedIn[r.who] = (h['set-cookie'] || []).map((c) => c.split(';')[0]).join('; ');
      }
      headers.cookie = signedIn[r.who];
    }
    const page = await get(base + r.path, headers);
    if (page.status !== 200) failures.push(`${r.path}: the page answered ${page.status}`);
    const html = require('zlib').brotliDecompressSync(page.body).toString();
    let total = page.body.length;
    const files = named(html);
    for (const f of files) {
      const res = await get(base + f);
      if (res.status !== 200) failures.push(`${r.path}: ${f} answered ${res.status}`);
      if (res.headers['content-encoding'] !== 'br') failures.push(`${r.path}: ${f} was not sent compressed`);
      total += res.body.length;
      if (f.endsWith('/main_bg.wasm')) main = res.body.length;
    }
    if (!files.some((f) => f.endsWith('.pack'))) failures.push(`${r.path}: the page names no module pack`);
    if (!/<script type="application\/json" data-api=/.test(html)) failures.push(`${r.path}: the page carries no API answer`);
    const label = r.who ? `\`${r.path}\` (signed in)` : `\`${r.path}\``;
    console.log(`| ${label} | ${files.length + 1} | ${kb(total)} | ${r.wave} | ${kb(page.body.length)} |`);
    if (total > r.wave * 1024) failures.push(`${r.path}: first wave ${kb(total)} KB is over its ${r.wave} KB budget`);
  }
  if (!main) failures.push('no page named the main module (main_bg.wasm): nothing to measure');
  console.log(`\nmain module (main_bg.wasm): ${kb(main)} KB brotli (budget ${kb(MAIN_BUDGET)} KB)`);
  if (main > MAIN_BUDGET) failures.push(`the main module, ${kb(main)} KB, is over its ${kb(MAIN_BUDGET)} KB budget`);
  return failures;
}

async function withServer(run) {
  const binary = path.resolve(__dirname, '../target/debug/moim-server');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'moim-size-'));
  const port = await new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port: p } = srv.address(); srv.close(() => resolve(p)); });
    srv.on('error', reject);
  });
  const child = spawn(binary, ['serve', '--demo', '--listen', `127.0.0.1:${port}`], {
    env: { ...process.env, DATABASE_URL: `sqlite://${dir}/moim.db`, MOIM_DATA_DIR: path.join(dir, 'data'), RUST_LOG: 'warn' },
    stdio: 'inherit',
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    for (let i = 0; ; i++) {
      try { if ((await get(`${base}/api/health`)).status === 200) break; } catch (_) { /* not up yet */ }
      if (i > 200) throw new Error('the server did not start');
      await new Promise((r) => setTimeout(r, 150));
    }
    return await run(base);
  } finally {
    child.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

(async () => {
  const failures = process.argv[2] ? await measure(process.argv[2]) : await withServer(measure);
  if (failures.length) {
    console.error('\nsize budgets:\n  ' + failures.join('\n  '));
    process.exit(1);
  }
  console.log('size budgets: every key route within its first-wave budget');
})().catch((e) => { console.error(e); process.exit(1); });

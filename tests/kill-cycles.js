// Benchmark (issue 12): the release server killed with SIGKILL at a random moment
// while people post, then started again, N times. Eight clients post ideas (one in
// four with a photo), each with its own idempotency key, as the app's outbox does;
// a write whose answer never came (the process died under it) is sent again after
// the restart with the same key. At the end: every acknowledged write is there,
// none twice, every photo row has its file, and the database passes its integrity
// check (SQLite's PRAGMA integrity_check; on PostgreSQL, amcheck's pg_amcheck over
// every table and index). Loopback only, bounded by the number of cycles.
//   node tests/kill-cycles.js [--cycles 100] [--backend sqlite|postgres]
// PostgreSQL: a fresh database on MOIM_TEST_POSTGRES's server, dropped at the end.
// MOIM_BENCH_SERVER names the binary (default: the release build).
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { freePort, stopChild, waitFor } = require('./cluster');

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : dflt; };
const cycles = Number(opt('cycles', 100));
const backend = opt('backend', 'sqlite');
const binary = process.env.MOIM_BENCH_SERVER || path.resolve(__dirname, '../target/release/moim-server');
const WRITERS = 8;
const TITLE = '강제 종료 시험';

// A small JPEG (SOI, a comment segment of `n` bytes, EOI): what the server checks
// is the signature; it strips metadata and stores the rest.
function jpeg(n) {
  const body = Buffer.alloc(n, 0x41);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(Math.min(n + 2, 0xffff));
  return Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xfe]), len, body.subarray(0, Math.min(n, 0xfffd)), Buffer.from([0xff, 0xd9])]);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'moim-kill-'));
  let databaseUrl;
  let sql;
  let dropDb = () => {};
  if (backend === 'postgres') {
    const base = process.env.MOIM_TEST_POSTGRES || 'postgres://postgres@127.0.0.1:5432/test';
    const name = `moim_kill_${process.pid}_${Date.now()}`;
    execFileSync('psql', [base, '-qtAc', `CREATE DATABASE ${name}`]);
    const url = new URL(base);
    url.pathname = `/${name}`;
    databaseUrl = url.toString();
    sql = q => execFileSync('psql', [databaseUrl, '-qtAc', q], { maxBuffer: 1 << 28 }).toString().trim();
    dropDb = () => execFileSync('psql', [base, '-qtAc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
  } else if (backend === 'sqlite') {
    const file = path.join(dir, 'moim.db');
    databaseUrl = `sqlite://${file}`;
    sql = q => execFileSync('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print("\\n".join("|".join(str(v) for v in r) for r in c.execute(sys.argv[2])))', file, q], { maxBuffer: 1 << 28 }).toString().trim();
  } else {
    throw new Error(`--backend sqlite or postgres, not ${backend}`);
  }
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const env = { ...process.env, DATABASE_URL: databaseUrl, MOIM_DATA_DIR: dir, RUST_LOG: 'error', MOIM_STAFF_WITHOUT_SECOND_FACTOR: 'true' };
  const log = fs.openSync(path.join(dir, 'server.log'), 'a');
  let child = null;
  const start = async (demo) => {
    child = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`, ...(demo ? ['--demo'] : [])], { env, stdio: ['ignore', log, log] });
    const t0 = performance.now();
    await waitFor(`${origin}/api/ready`, child, 'the server', { every: 20 });
    return performance.now() - t0;
  };

  const keys = new Map(); // key -> 'acked' | 'unknown'
  let sent = 0;
  const resent = { committed: 0, not_committed: 0 };
  const restarts = [];
  let cookie;
  let csrf;

  const post = async (key, photo) => {
    const idea = { title: `${TITLE} ${key}`, body: '공정 중에 서버가 멈춰도 글은 한 번만 남아야 합니다.', tags: [], idempotency_key: key };
    let res;
    if (photo) {
      const form = new FormData();
      form.append('idea', JSON.stringify(idea));
      form.append('photo', new Blob([jpeg(20_000 + (key.length * 997) % 40_000)]), 'IMG_0001.jpg');
      res = await fetch(`${origin}/api/ideas`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf }, body: form });
    } else {
      res = await fetch(`${origin}/api/ideas`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' }, body: JSON.stringify(idea) });
    }
    await res.arrayBuffer();
    return res.status;
  };
  const photoOf = key => Number(key.split('-').pop()) % 4 === 0;

  // Sends again every write whose answer was lost: each must now be acknowledged.
  const resend = async () => {
    for (const [key, state] of keys) {
      if (state !== 'unknown') continue;
      const status = await post(key, photoOf(key));
      if (status !== 201 && status !== 200) throw new Error(`re-sent ${key}: ${status}`);
      keys.set(key, 'acked');
      // 200: the write had been committed before the kill, its answer lost;
      // 201: it had not, and is made now.
      resent[status === 200 ? 'committed' : 'not_committed'] += 1;
    }
  };

  try {
    await start(true);
    const signin = await fetch(`${origin}/api/auth/signin`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'kim.minsu@hanbit.example', password: 'moim-demo-2026' }),
    });
    if (!signin.ok) throw new Error(`sign-in: ${signin.status}`);
    cookie = signin.headers.get('set-cookie').split(';')[0];
    csrf = (await signin.json()).csrf_token;

    for (let cycle = 1; cycle <= cycles; cycle += 1) {
      await resend();
      let dead = false;
      const writer = async (w) => {
        for (let i = 1; !dead; i += 1) {
          const key = `k${cycle}-${w}-${i}`;
          keys.set(key, 'unknown');
          sent += 1;
          try {
            const status = await post(key, photoOf(key));
            if (status === 201 || status === 200) keys.set(key, 'acked');
            else if (!dead) throw new Error(`${key}: ${status}`);
          } catch (e) {
            if (!dead) throw e;
          }
        }
      };
      const writing = Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
      await new Promise(r => setTimeout(r, 100 + Math.random() * 1400));
      dead = true;
      child.kill('SIGKILL');
      await new Promise(r => (child.exitCode !== null || child.signalCode !== null ? r() : child.once('exit', r)));
      await writing;
      restarts.push(await start(false));
      if (cycle % 10 === 0) process.stdout.write(`  ${cycle} cycles, ${sent} writes sent\n`);
    }
    await resend();
    const code = await stopChild(child);
    if (code !== 0) throw new Error(`the last server exited with ${code}`);

    // What the database holds.
    const rows = sql(`SELECT title, count(*) FROM ideas WHERE title LIKE '${TITLE} %' GROUP BY title`)
      .split('\n').filter(Boolean).map(l => l.split('|'));
    const held = new Map(rows.map(([t, n]) => [t.slice(TITLE.length + 1), Number(n)]));
    const acked = [...keys].filter(([, s]) => s === 'acked').map(([k]) => k);
    const lost = acked.filter(k => !held.has(k));
    const twice = [...held].filter(([, n]) => n > 1).map(([k]) => k);
    const extra = [...held.keys()].filter(k => !keys.has(k));
    const photoKeys = sql(`SELECT p.storage_key FROM idea_photos p JOIN ideas i ON i.id = p.idea_id WHERE i.title LIKE '${TITLE} %'`)
      .split('\n').filter(Boolean);
    const missingFiles = photoKeys.filter(k => !fs.existsSync(path.join(dir, 'attachments', k.slice(0, 2), k)));
    let integrity;
    let integrity_detail;
    if (backend === 'sqlite') {
      integrity = sql('PRAGMA integrity_check');
    } else {
      // amcheck: every B-tree index checked against its table, every table's
      // pages read (verify_heapam lists what it finds corrupt).
      sql('CREATE EXTENSION IF NOT EXISTS amcheck');
      try {
        const indexes = sql(`SELECT count(bt_index_check(c.oid, true)) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          JOIN pg_am am ON am.oid = c.relam JOIN pg_namespace n ON n.oid = c.relnamespace WHERE am.amname = 'btree' AND n.nspname = 'public'`);
        const corrupt = sql(`SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, verify_heapam(c.oid)
          WHERE c.relkind = 'r' AND n.nspname = 'public'`);
        integrity = corrupt === '0' ? 'ok' : `verify_heapam: ${corrupt} corrupt tuples`;
        integrity_detail = `${indexes} B-tree indexes checked`;
      } catch (e) {
        integrity = `amcheck: ${e.stderr || e.message}`.trim();
      }
    }
    restarts.sort((a, b) => a - b);
    const median = restarts[Math.floor(restarts.length / 2)];
    const report = {
      backend, cycles, writes_sent: sent, acknowledged: acked.length, answer_lost_then_resent: resent,
      lost: lost.length, duplicates: twice.length, unexpected: extra.length,
      photos: photoKeys.length, photo_files_missing: missingFiles.length, integrity, ...(integrity_detail ? { integrity_detail } : {}),
      restart_to_ready_ms: { median: Math.round(median), max: Math.round(restarts[restarts.length - 1]) },
    };
    console.log(JSON.stringify(report, null, 2));
    if (lost.length || twice.length || extra.length || missingFiles.length || integrity !== 'ok') {
      console.error({ lost: lost.slice(0, 10), twice: twice.slice(0, 10), extra: extra.slice(0, 10), missingFiles: missingFiles.slice(0, 10) });
      process.exitCode = 1;
    }
  } catch (e) {
    process.stderr.write(`${e.stack}\n--- server log (last 40 lines)\n${fs.readFileSync(path.join(dir, 'server.log'), 'utf8').split('\n').slice(-40).join('\n')}\n`);
    process.exitCode = 1;
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    try { dropDb(); } catch (_) { /* best effort */ }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();

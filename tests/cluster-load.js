// Load through the balancer (issue 12): two instances on one PostgreSQL and one
// object store behind HAProxy (./cluster.js), `connections` clients for `seconds`,
// reads and writes mixed (4 in 5 reads: the feed, the consortia list, an idea; 1
// in 5 posts an idea). With --kill, the first instance is killed with SIGKILL half
// way: the balancer's health check takes it out, and the run checks that every
// write that was acknowledged is in the database and that errors came only from
// requests in flight on the killed instance. With --single the same clients go
// straight to the first instance (no balancer, the second idle): one instance
// against two on the same database. Bounded in time, loopback only.
//   node tests/cluster-load.js [--seconds 60] [--connections 64] [--kill | --single]
// Needs MOIM_TEST_POSTGRES, MOIM_TEST_S3 and haproxy (.ci/bench-cluster sets them
// up); MOIM_BENCH_SERVER names the binary (default: the release build).
const path = require('path');
const { startCluster, missing } = require('./cluster');

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(`--${name}`); return i >= 0 ? Number(args[i + 1]) : dflt; };
const seconds = opt('seconds', 60);
const connections = opt('connections', 64);
const kill = args.includes('--kill');
const single = args.includes('--single');
const binary = process.env.MOIM_BENCH_SERVER || path.resolve(__dirname, '../target/release/moim-server');

function pct(sorted, p) {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main() {
  const lacking = missing();
  if (lacking.length) throw new Error(`needs ${lacking.join(', ')} (bash .ci/bench-cluster sets them up)`);
  const cluster = await startCluster({ binary, log: 'error', mailEvery: '10' });
  const front = single ? `http://127.0.0.1:${cluster.servers.one.port}` : cluster.front;
  let failed = false;
  try {
    const signin = await fetch(`${front}/api/auth/signin`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'kim.minsu@hanbit.example', password: 'moim-demo-2026' }),
    });
    if (!signin.ok) throw new Error(`sign-in: ${signin.status}`);
    const cookie = signin.headers.get('set-cookie').split(';')[0];
    const { csrf_token: csrf } = await signin.json();
    const seed = await (await fetch(`${front}/api/ideas`, { headers: { cookie } })).json();
    const known = seed.items.map(i => i.id);

    const started = Date.now();
    const end = started + seconds * 1000;
    const killAt = started + (seconds * 1000) / 2;
    let killedAt = null;
    const lat = { read: [], write: [] };
    const errors = [];
    const acked = [];
    const served = {};
    let n = 0;
    if (kill) {
      setTimeout(() => { killedAt = Date.now(); cluster.servers.one.child.kill('SIGKILL'); }, killAt - started);
    }
    const client = async (c) => {
      let i = 0;
      while (Date.now() < end) {
        i += 1;
        const write = (i + c) % 5 === 0;
        const t0 = performance.now();
        let res;
        let kind;
        try {
          if (write) {
            kind = 'write';
            const key = `load-${c}-${i}`;
            res = await fetch(`${front}/api/ideas`, {
              method: 'POST',
              headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
              body: JSON.stringify({ title: `부하 시험 아이디어 ${c}-${i}`, body: '두 인스턴스에 나뉘어 들어가는 글입니다.', tags: [], idempotency_key: key }),
            });
            const body = await res.json().catch(() => null);
            if (res.status === 201 || res.status === 200) { acked.push(body.id); known.push(body.id); }
          } else {
            kind = 'read';
            const which = i % 3;
            const url = which === 0 ? '/api/ideas' : which === 1 ? '/api/consortia' : `/api/ideas/${known[(i * 7 + c) % known.length]}`;
            res = await fetch(front + url, { headers: { cookie } });
            await res.arrayBuffer();
          }
          const by = res.headers.get('x-served-by') || (single ? 'one' : 'balancer');
          served[by] = (served[by] || 0) + 1;
          if (res.status >= 400) errors.push({ at: Date.now(), status: res.status, kind, by });
        } catch (e) {
          errors.push({ at: Date.now(), status: e.cause?.code || e.message, kind });
        }
        lat[kind].push(performance.now() - t0);
        n += 1;
      }
    };
    await Promise.all(Array.from({ length: connections }, (_, c) => client(c)));
    const took = (Date.now() - started) / 1000;

    // Every acknowledged write is in the database.
    let present = 0;
    for (let i = 0; i < acked.length; i += 1000) {
      const ids = acked.slice(i, i + 1000).join(',');
      present += Number(cluster.psql(`SELECT count(*) FROM ideas WHERE id IN (${ids})`));
    }
    const all = [...lat.read, ...lat.write].sort((a, b) => a - b);
    const r = lat.read.sort((a, b) => a - b);
    const w = lat.write.sort((a, b) => a - b);
    const f = x => `${x.toFixed(1)} ms`;
    const byStatus = {};
    for (const e of errors) byStatus[e.status] = (byStatus[e.status] || 0) + 1;
    const window = killedAt && errors.length
      ? `${((Math.min(...errors.map(e => e.at)) - killedAt) / 1000).toFixed(2)} s to ${((Math.max(...errors.map(e => e.at)) - killedAt) / 1000).toFixed(2)} s after the kill`
      : 'none';
    console.log(JSON.stringify({
      target: single ? 'one instance, directly' : 'two instances behind HAProxy', kill,
      connections, seconds: took, requests: n, 'req/s': Math.round(n / took),
      p50: f(pct(all, 50)), p99: f(pct(all, 99)),
      read: { n: r.length, p50: f(pct(r, 50)), p99: f(pct(r, 99)) },
      write: { n: w.length, p50: f(pct(w, 50)), p99: f(pct(w, 99)) },
      served, errors: byStatus, errorWindow: window,
      acknowledgedWrites: acked.length, lost: acked.length - present,
    }, null, 2));
    if (acked.length !== present) { console.error('LOST acknowledged writes'); failed = true; }
    if (!kill && errors.length) { console.error('errors without a fault'); failed = true; }
    if (kill && errors.some(e => e.at < killedAt)) { console.error('errors before the kill'); failed = true; }
  } finally {
    await cluster.stop();
  }
  if (failed) process.exit(1);
}

main().catch(e => { console.error(e); process.exit(1); });

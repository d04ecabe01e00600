// Two Moim instances on one PostgreSQL database and one S3-compatible object store,
// behind HAProxy (round-robin, no sticky sessions, health-checked on /api/ready, every
// answer tagged `X-Served-By: one|two`). Used by e2e/cluster.spec.js and by the load
// benchmark (cluster-load.js). Needs a PostgreSQL URL (a fresh database is made on
// its server and dropped by `stop()`), an S3 endpoint with the bucket `moim-test`
// (.ci/s3-server) and Debian's haproxy (.ci/setup --browser).
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
    srv.on('error', reject);
  });
}

// Waits until `url` answers 2xx (polling every `every` ms, for at most `within`
// ms); fails at once when `child` (called `what`) exits meanwhile.
async function waitFor(url, child, what, { within = 60_000, every = 200 } = {}) {
  const deadline = Date.now() + within;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    try { if ((await fetch(url)).ok) return; } catch (_) { /* not up yet */ }
    await new Promise(r => setTimeout(r, every));
  }
  throw new Error(`${what} did not answer ${url} within ${within / 1000} s`);
}

// Stops a child with SIGTERM and waits for it (SIGKILL after 25 s); its exit code.
async function stopChild(child) {
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

// What the cluster needs and does not have (names of variables or programs).
function missing() {
  return [!process.env.MOIM_TEST_POSTGRES && 'MOIM_TEST_POSTGRES', !process.env.MOIM_TEST_S3 && 'MOIM_TEST_S3', !haproxy() && 'haproxy'].filter(Boolean);
}

// Starts the cluster: the first instance loads the sample portal, then the second
// starts on the same database, then the balancer. `log` names the instances' log level.
async function startCluster({ binary, pg = process.env.MOIM_TEST_POSTGRES, s3 = process.env.MOIM_TEST_S3, log = 'warn', mailEvery = '1' }) {
  const dbName = `moim_cluster_${process.pid}_${Date.now()}`;
  execFileSync('psql', [pg, '-qtAc', `CREATE DATABASE ${dbName}`]);
  const dbUrl = new URL(pg);
  dbUrl.pathname = `/${dbName}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'moim-cluster-'));
  const [portOne, portTwo, portLb] = await Promise.all([freePort(), freePort(), freePort()]);
  const front = `http://127.0.0.1:${portLb}`;
  const servers = {};
  let balancer = null;
  const psql = sql => execFileSync('psql', [dbUrl.toString(), '-qtAc', sql]).toString().trim();

  const start = async (name, port, extra) => {
    const out = fs.openSync(path.join(dir, `${name}.log`), 'a');
    const env = {
      ...process.env,
      DATABASE_URL: dbUrl.toString(),
      MOIM_DATA_DIR: path.join(dir, name),
      MOIM_FILES: `s3://moim-test/${dbName}`,
      AWS_ENDPOINT: s3, AWS_ALLOW_HTTP: 'true', AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'moim-test', AWS_SECRET_ACCESS_KEY: 'moim-test',
      MOIM_MAIL_EVERY: mailEvery, MOIM_STAFF_WITHOUT_SECOND_FACTOR: 'true', RUST_LOG: log,
    };
    const child = spawn(binary, ['serve', ...extra, '--listen', `127.0.0.1:${port}`, '--trust-proxy', '--public-url', front], { env, stdio: ['ignore', out, out] });
    servers[name] = { child, port, mailDir: path.join(dir, name, 'mail') };
    await waitFor(`http://127.0.0.1:${port}/api/ready`, child, `instance ${name}`);
  };

  const stop = async () => {
    const codes = {};
    for (const [name, s] of Object.entries(servers)) codes[name] = await stopChild(s.child);
    if (balancer) await stopChild(balancer);
    try { execFileSync('psql', [pg, '-qtAc', `DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`]); } catch (_) { /* best effort */ }
    fs.rmSync(dir, { recursive: true, force: true });
    return codes;
  };

  const logs = () => fs.readdirSync(dir).filter(f => f.endsWith('.log'))
    .map(f => `--- ${f} (last 40 lines)\n${fs.readFileSync(path.join(dir, f), 'utf8').split('\n').slice(-40).join('\n')}`).join('\n');

  try {
    await start('one', portOne, ['--demo']);
    await start('two', portTwo, []);
    const cfg = path.join(dir, 'haproxy.cfg');
    fs.writeFileSync(cfg, [
      'global', '  maxconn 512',
      // A check may take a while on a busy machine (it reaches the database and the
      // store); three failed in a row take a server out.
      'defaults', '  mode http', '  option forwardfor', '  timeout connect 2s', '  timeout client 30s', '  timeout server 30s', '  timeout check 5s',
      // A request that failed to connect goes to the other server.
      '  retries 2', '  option redispatch',
      'frontend web', `  bind 127.0.0.1:${portLb}`, '  default_backend moim',
      'backend moim', '  balance roundrobin', '  option httpchk GET /api/ready',
      '  http-response set-header X-Served-By %[srv_name]',
      `  server one 127.0.0.1:${portOne} check inter 1s fall 3 rise 1`,
      `  server two 127.0.0.1:${portTwo} check inter 1s fall 3 rise 1`, '',
    ].join('\n'));
    const out = fs.openSync(path.join(dir, 'haproxy.log'), 'a');
    balancer = spawn(haproxy(), ['-db', '-f', cfg], { stdio: ['ignore', out, out] });
    await waitFor(`${front}/api/ready`, balancer, 'haproxy');
  } catch (e) {
    process.stderr.write(logs() + '\n');
    await stop();
    throw e;
  }
  return { front, dir, dbUrl: dbUrl.toString(), servers, psql, stop, logs };
}

module.exports = { startCluster, missing, stopChild, freePort, waitFor };

// Moim's service worker: the app shell and the idea board from the cache (so the
// portal opens without a connection), the last idea feeds and pages seen, who is
// signed in on this device, and photos. VERSION and PRECACHE are written by
// .ci/build-app: the build's version and the files kept on install.
const VERSION = 'dev';
const PRECACHE = [];
const BASE = '/b/' + VERSION + '/';
const SHELL = 'moim-shell-' + VERSION;
const DATA = 'moim-data';
// A marker in DATA: when someone last signed in or out on this device. An answer
// made before that belongs to the previous person and is not kept.
const AUTH_CHANGED = '/__moim/auth-changed';

self.addEventListener('install', (event) => {
  // No skipWaiting: a page keeps the build it started with until it is closed, so
  // it never mixes two builds' files (each build has its own addresses, too).
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('moim-shell-') && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// Every change to DATA runs after the ones asked for before it: a sign-in's
// clearing can never overtake, or be overtaken by, the storing of an answer.
let queue = Promise.resolve();
function serial(task) {
  queue = queue.then(task, task);
  return queue;
}

async function changedAt(cache) {
  const marker = await cache.match(AUTH_CHANGED);
  return marker ? Number(await marker.text()) : 0;
}

// Keeps `response` for `key` unless someone signed in or out since `since`.
function keep(key, response, since) {
  return serial(async () => {
    const cache = await caches.open(DATA);
    if ((await changedAt(cache)) <= since) await cache.put(key, response);
  });
}

const json = (body) => new Response(body, { headers: { 'content-type': 'application/json' } });

// Someone signs in, signs up, signs out or closes their account: what was kept
// belongs to the previous person. After a sign-in its answer is the session.
const AUTH_CHANGE = /^\/api\/(auth\/(signin|signup|signout)|me\/close)$/;
async function authChange(request) {
  const response = await fetch(request);
  const path = new URL(request.url).pathname;
  // An account not closed (a wrong password, a refusal) is still signed in.
  if (path.endsWith('/close') && !response.ok) return response;
  const ended = /\/(signout|close)$/.test(path);
  const body = response.ok && !ended ? await response.clone().text() : null;
  await serial(async () => {
    await caches.delete(DATA);
    const cache = await caches.open(DATA);
    await cache.put(AUTH_CHANGED, new Response(String(Date.now())));
    if (body !== null) await cache.put('/api/auth/session', json(body));
  });
  return response;
}

// The network first; what it last answered when it cannot.
async function networkFirst(request) {
  const since = Date.now();
  try {
    const response = await fetch(request);
    if (response.ok) await keep(request, response.clone(), since);
    return response;
  } catch (err) {
    const cached = await (await caches.open(DATA)).match(request);
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirst(request, cacheName) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

// What an offline person needs again: who they are, the idea feeds and pages.
const REMEMBERED = /^\/api\/(auth\/session|ideas(\/\d+|\/consortia)?$)/;
const PHOTO = /^\/api\/ideas\/\d+\/photos\/\d+$/;

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method !== 'GET') {
    if (AUTH_CHANGE.test(url.pathname)) event.respondWith(authChange(request));
    return;
  }
  if (url.pathname.startsWith('/api/')) {
    if (PHOTO.test(url.pathname)) event.respondWith(cacheFirst(request, DATA));
    else if (REMEMBERED.test(url.pathname)) event.respondWith(networkFirst(request));
    return;
  }
  if (request.mode === 'navigate') {
    // Every page is the shell with the page's answers in it; offline, the shell
    // alone (the app then asks this worker for what it kept).
    event.respondWith(fetch(request).catch(() => caches.match(BASE + 'index.html', { cacheName: SHELL })));
    return;
  }
  if (url.pathname.startsWith(BASE)) event.respondWith(cacheFirst(request, SHELL));
});

// A page tells what the server answered inside it, and when it was asked for.
self.addEventListener('message', (event) => {
  const { remember, at } = event.data || {};
  if (!Array.isArray(remember)) return;
  event.waitUntil(Promise.all(remember
    .filter((a) => a.status === 200 && REMEMBERED.test(new URL(a.path, self.location.origin).pathname))
    .map((a) => keep(a.path, json(a.body), at || 0))));
});

// Moim's service worker: the app shell from the cache (so the portal opens
// without a connection), the last idea feeds and pages seen, and their photos.
// VERSION and PRECACHE are written by .ci/build-app from the built files.
const VERSION = 'dev';
const PRECACHE = ['/'];
const SHELL = 'moim-shell-' + VERSION;
const DATA = 'moim-data';

self.addEventListener('install', (event) => {
  // No skipWaiting: a page keeps the files it started with until it is closed, so
  // its lazily loaded parts always match its main module.
  event.waitUntil(caches.open(SHELL).then((c) => c.addAll(PRECACHE)));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('moim-shell-') && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The network first; what it last answered when it cannot.
async function networkFirst(request, cacheName) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(request, response.clone());
    return response;
  } catch (err) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw err;
  }
}

async function cacheFirst(request, cacheName) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) cache.put(request, response.clone());
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
    // Another person may sign in on this device next: forget what was remembered.
    if (/^\/api\/auth\/(signin|signup|signout)$/.test(url.pathname)) event.waitUntil(caches.delete(DATA));
    return;
  }
  if (url.pathname.startsWith('/api/')) {
    if (PHOTO.test(url.pathname)) event.respondWith(cacheFirst(request, DATA));
    else if (REMEMBERED.test(url.pathname)) event.respondWith(networkFirst(request, DATA));
    return;
  }
  if (request.mode === 'navigate') {
    // Every app route is index.html.
    event.respondWith(fetch(request).catch(() => caches.match('/', { cacheName: SHELL })));
    return;
  }
  event.respondWith(cacheFirst(request, SHELL));
});

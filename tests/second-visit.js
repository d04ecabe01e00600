// Benchmark: the second visit. The installed app (its service worker warm, its
// files and the last feed kept on the device) is opened again on a phone's screen
// with the CPU slowed 4x through the DevTools protocol; the time from the
// navigation's start until the feed's first idea (its title, a real item of the
// feed) is on the screen, online (over a slow-4G-like link: 150 ms, 1.6 Mbit/s)
// and offline. The median of several openings each. Not a CI check: a benchmark
// (`.ci/bench-second-visit` builds and starts the release server).
//   node tests/second-visit.js http://127.0.0.1:18191 [runs]
'use strict';
const { chromium } = require('@playwright/test');

const base = process.argv[2];
const runs = Number(process.argv[3] || 5);
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Recorded by the page itself: when the frame that shows the feed's first title
// has been painted (the task after the next animation frame).
function watchFeed() {
  let found = false;
  const seen = () => {
    const a = document.querySelector('.idea-card .card-title a');
    if (!found && a && a.textContent.trim()) {
      found = true;
      requestAnimationFrame(() => setTimeout(() => { window.__feedAt = performance.now(); }));
    }
    return found;
  };
  new MutationObserver((_, obs) => { if (seen()) obs.disconnect(); })
    .observe(document, { childList: true, subtree: true });
}

async function open(context, online) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  if (online) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8,
    });
  }
  await page.goto(`${base}/ideas`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__feedAt, null, { timeout: 30_000, polling: 50 });
  const at = await page.evaluate(() => window.__feedAt);
  const controlled = await page.evaluate(() => !!navigator.serviceWorker.controller);
  await page.close();
  if (!controlled) throw new Error('the page was not under the service worker');
  return at;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

(async () => {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ARGS });
  const context = await browser.newContext({
    viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'ko-KR',
  });
  await context.addInitScript(watchFeed);
  try {
    // The first visit installs the app; the second, under its worker, keeps the feed.
    const page = await context.newPage();
    await page.goto(`${base}/ideas`);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await page.waitForFunction(() => window.__feedAt && navigator.serviceWorker.controller);
    await page.waitForFunction(async () => !!(await (await caches.open('moim-data')).match('/api/ideas')));
    await page.close();

    const result = {};
    for (const [name, online] of [['online', true], ['offline', false]]) {
      await context.setOffline(!online);
      const times = [];
      for (let i = 0; i < runs; i++) times.push(await open(context, online));
      result[name] = times;
    }
    console.log('| second visit, feed content (4x CPU, 360 px) | median | runs |');
    console.log('| --- | ---: | --- |');
    for (const [name, times] of Object.entries(result)) {
      const s = (ms) => (ms / 1000).toFixed(2);
      console.log(`| ${name} | ${s(median(times))} s | ${times.map(s).join(', ')} |`);
    }
  } finally {
    await browser.close();
  }
})().catch((e) => { console.error(e); process.exit(1); });

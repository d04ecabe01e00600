// Starts the app. Kept out of index.html so the CSP needs no inline script.
import init, { run } from './main.js';
import { warm, yieldToMain } from './__wasm_split.js';

// The modules of this page, named in the HTML by the server: fetched and compiled
// now, while the main module is, rather than once the main module asks for them.
for (const link of document.querySelectorAll('link[data-module]')) warm(link.dataset.module, link.getAttribute('href'));

// The API answers the page came with (read before the app takes them).
const answers = [...document.querySelectorAll('script[data-api]')]
  .map((s) => ({ path: s.dataset.api, status: Number(s.dataset.status), body: s.textContent }));

// The main module is compiled and instantiated, then the app starts in a task
// of its own.
init().then(yieldToMain).then(run);

// Installable and usable offline (see sw.js): registered once the page is up; the
// answers the page came with are kept by it as if they had been fetched.
if ('serviceWorker' in navigator) {
  addEventListener('load', () => navigator.serviceWorker.register('/sw.js').catch(() => {}));
  navigator.serviceWorker.ready.then((reg) => reg.active?.postMessage({ remember: answers, at: performance.timeOrigin })).catch(() => {});
}

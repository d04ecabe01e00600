// Starts the wasm app. Kept out of index.html so the CSP needs no inline script.
import init from '/main.js';
init({ module_or_path: '/main_bg.wasm' });
// Installable and usable offline (see sw.js); registered once the app is up.
if ('serviceWorker' in navigator) {
  addEventListener('load', () => navigator.serviceWorker.register('/sw.js').catch(() => {}));
}

// Starts the wasm app. Kept out of index.html so the CSP needs no inline script.
import init from '/main.js';
init({ module_or_path: '/main_bg.wasm' });

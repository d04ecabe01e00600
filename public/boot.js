// Starts the wasm app. Kept out of index.html so the CSP needs no inline script.
import init from '/moim_app.js';
init({ module_or_path: '/moim_app_bg.wasm' });

// Starts the wasm app. Kept out of index.html so the CSP needs no inline script.
// On the idea board (most often opened on a phone, often from the home screen) the
// browser is told at once what the page will need: the board's wasm chunks (the list
// is written by .ci/build-app), its stylesheet and the first feed page, so they load
// alongside the main module instead of after it.
const IDEAS = [];
if (location.pathname.startsWith('/ideas')) {
  const hint = (href, as) => {
    const l = document.createElement('link');
    l.rel = 'preload'; l.href = href; l.as = as;
    if (as === 'fetch') l.crossOrigin = 'anonymous';
    document.head.append(l);
  };
  hint('/ideas.css', 'style');
  for (const f of IDEAS) hint('/' + f, 'fetch');
  if (location.pathname === '/ideas' && !location.search) hint('/api/ideas', 'fetch');
}
import('/main.js').then((m) => m.default({ module_or_path: '/main_bg.wasm' }));
// Installable and usable offline (see sw.js); registered once the app is up.
if ('serviceWorker' in navigator) {
  addEventListener('load', () => navigator.serviceWorker.register('/sw.js').catch(() => {}));
}

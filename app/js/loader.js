// Loads the app's split modules: the pages (Leptos lazy routes) and the parts of
// pages behind `#[lazy]`, cut out of the main module by .ci/split. It stands in
// for the splitter's own loader so that a module arrives as one pack (the
// module, merged from every chunk of the splitter it needs, after the modules of
// statics it shares with other pages, in one file) and so that the packs the
// page's HTML names are fetched and compiled while the main module starts. A
// part is instantiated once, whichever pack brought it.
//
// A module talks to the others only through the main module's memory and its
// table of functions, so a pack's parts can be compiled in any order and are
// all instantiated before the page that asked for them runs.
import { initSync } from './main.js';

// Written by .ci/build-app: each split module's pack, relative to this file.
const PACKS = {};
// Written by .ci/build-app: each panel module and the page module it is drawn
// inside; the panel's pack leaves out what the page's pack has.
const WITHIN = {};

// The pack a first visit's HTML named for a module together with another (a
// page with a signed-in person's panel, merged into one module): loading either
// loads that pack.
const via = {};

const compiled = new Map(); // part id → Promise<WebAssembly.Module>
const instances = new Map(); // part id → Promise<WebAssembly.Instance>
const packs = new Map(); // pack file → Promise<part ids>

let main;
const imports = () => ({ __wasm_split: (main ??= initSync(undefined, undefined)) });

// A pack: u32 count, then (u32 id, u32 length) per part, then the parts.
function unpack(buf) {
  const view = new DataView(buf);
  const n = view.getUint32(0, true);
  let offset = 4 + n * 8;
  const ids = [];
  for (let i = 0; i < n; i++) {
    const id = view.getUint32(4 + i * 8, true);
    const len = view.getUint32(8 + i * 8, true);
    if (!compiled.has(id)) compiled.set(id, WebAssembly.compile(new Uint8Array(buf, offset, len)));
    ids.push(id);
    offset += len;
  }
  return ids;
}

function fetchPack(file) {
  let pack = packs.get(file);
  if (!pack) {
    pack = fetchPatiently(new URL(file, import.meta.url)).then((r) => r.arrayBuffer()).then(unpack);
    pack.catch(() => packs.delete(file));
    packs.set(file, pack);
  }
  return pack;
}

/// Starts fetching and compiling what the page is about to need: one module's
/// pack, or (`modules` naming two, with the pack's address) a pack that is both.
export function warm(modules, href) {
  const names = modules.split(' ');
  let file = PACKS[names[0]];
  if (names.length > 1) {
    file = new URL(href, location.href).href;
    for (const n of names) via[n] = file;
  }
  if (file) fetchPack(file).catch(() => {});
}

// Lets the browser paint and handle input before the next piece of start-up work,
// so no single task keeps a phone busy for long.
export const yieldToMain = () => (globalThis.scheduler?.yield
  ? scheduler.yield()
  : new Promise((resolve) => setTimeout(resolve, 0)));

async function load(name) {
  const file = via[name] ?? PACKS[name];
  const parent = WITHIN[name];
  // Already there: the page draws its panel (unless one pack brings both).
  if (parent && !(via[name] && via[name] === via[parent])) await load(parent);
  if (!file) return; // the splitter found nothing to put in it (or the page had it all)
  const ids = await fetchPack(file);
  await yieldToMain();
  await Promise.all(ids.map((id) => {
    let instance = instances.get(id);
    if (!instance) {
      instance = compiled.get(id).then((m) => WebAssembly.instantiate(m, imports()));
      instances.set(id, instance);
    }
    return instance;
  }));
  await yieldToMain();
}

// A pack that cannot be fetched is asked for again: when the connection is back,
// or after a pause that doubles up to 30 s. A 404 means another build now serves
// this address: the page reloads (once) to start on it, rather than mix the two.
async function fetchPatiently(url) {
  for (let attempt = 0; ; attempt++) {
    let response = null;
    try {
      response = await fetch(url);
    } catch (_) { /* offline, or the connection dropped */ }
    if (response && response.ok) {
      notice(false);
      return response;
    }
    if (response && response.status === 404) {
      const key = 'moim.reloaded-for';
      if (sessionStorage.getItem(key) !== url.pathname) {
        sessionStorage.setItem(key, url.pathname);
        location.reload();
      }
    }
    notice(true);
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, Math.min(30000, 1000 * 2 ** attempt));
      addEventListener('online', () => { clearTimeout(timer); resolve(); }, { once: true });
    });
  }
}

function notice(show) {
  let el = document.getElementById('load-notice');
  if (!show) return el?.remove();
  if (el) return;
  el = document.createElement('p');
  el.id = 'load-notice';
  el.setAttribute('role', 'status');
  el.textContent = document.documentElement.lang === 'en'
    ? 'Waiting for the connection: this page goes on loading once it is back.'
    : '연결을 기다리는 중입니다. 연결되면 이 화면을 이어서 불러옵니다.';
  document.body.append(el);
}

// The main module calls one of these per split module (written by .ci/build-app):
// it passes a callback from its table, called once the module is there.
function loader(name) {
  let loading;
  return async (callback, data) => {
    let ok = false;
    try {
      await (loading ??= load(name).catch((e) => { loading = undefined; throw e; }));
      ok = true;
    } catch (e) {
      console.error('loading', name, e);
    } finally {
      imports().__wasm_split.__indirect_function_table.get(callback)(data, ok);
    }
  };
}

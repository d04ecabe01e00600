// Assembles the built app into target/site from the split, bound and optimised
// wasm (.ci/build-app runs it last):
//   b/<version>/   every file of this build: main.js and main_bg.wasm, the loader
//                  (__wasm_split.js), one pack per split module (p/*.pack: its
//                  merged module, after the modules of statics it shares with
//                  others, which the loader instantiates once; .ci/split),
//                  the stylesheets, boot.js and index.html (the page template,
//                  also the offline shell)
//   sw.js, manifest.webmanifest, icons   at the root, as browsers look for them
//   site.json      the manifest the server reads: the version, each module's
//                  pack by page name, and every file's size raw and compressed
// Everything comes from what the tools wrote (split.json from .ci/split, the
// wasm files' own import sections), never from reading generated JavaScript.
//   node .ci/site.js <split dir> <output dir> [--release]
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const crypto = require('crypto');

const [splitDir, out, mode] = process.argv.slice(2);
const release = mode === '--release';
const root = path.resolve(__dirname, '..');
const fail = (msg) => { console.error(`site: ${msg}`); process.exit(1); };

// Page name of a split module: `ideas_route_2525…` → `ideas_route` (Leptos names
// a `#[lazy]` function's module after the function, plus a hash of the call site).
const pageName = (module) => module.replace(/^__/, '').replace(/(_view)?_\d+$/, '');

async function main() {
  const split = JSON.parse(fs.readFileSync(path.join(splitDir, 'split.json'), 'utf8'));
  const modules = Object.entries(split.modules).sort(([a], [b]) => a.localeCompare(b));

  // The main module imports one loader per split module; every one must exist.
  const mainWasm = fs.readFileSync(path.join(splitDir, 'main_bg.wasm'));
  const wanted = WebAssembly.Module.imports(new WebAssembly.Module(mainWasm))
    .filter((i) => i.module === './__wasm_split.js').map((i) => i.name);
  const loaders = new Set(modules.map(([name]) => `__wasm_split_load_${name}`));
  const missing = wanted.filter((n) => !loaders.has(n));
  if (missing.length) fail(`the main module asks for loaders nobody wrote: ${missing.join(', ')}`);

  // Packs: a part id per file, a pack per module. A panel drawn inside a page
  // (split.json's `within`, from core::routes) leaves out the parts the page's
  // pack has (its merged module already leaves out the page's code): the loader
  // has loaded the page first, and a page opened with its panel named in the
  // HTML downloads each part once.
  const within = split.within || {};
  const partsOf = Object.fromEntries(modules.map(([name, parts]) => [pageName(name), parts]));
  const nameOf = Object.fromEntries(modules.map(([name]) => [pageName(name), name]));
  const files = new Map(); // wasm file → id
  const build = new Map(); // path inside b/<version>/ → contents
  const packOf = {}; // module → pack path
  const parentOf = {}; // panel module → page module
  const manifestModules = {};
  for (const [name, all] of modules) {
    const page = pageName(name);
    if (manifestModules[page]) fail(`two split modules are both called ${page}`);
    let parts = all;
    const parent = within[page];
    if (parent) {
      // What every module it is drawn inside brings (a CM's panel inside a
      // signed-in person's, inside the page).
      const had = new Set();
      for (let p = parent, hops = 0; p && hops < 8; p = within[p], hops++) {
        if (!partsOf[p]) fail(`${page} is drawn inside ${p}, which the build does not have`);
        for (const f of partsOf[p]) had.add(f);
      }
      parts = all.filter((f) => !had.has(f));
      parentOf[name] = nameOf[parent];
    }
    let pack = null;
    if (parts.length) {
      pack = `p/${page}.pack`;
      build.set(pack, packed(parts));
      packOf[name] = pack;
    }
    manifestModules[page] = { name, pack };
  }
  // A page with a signed-in person's panel as one module (.ci/split): the
  // server names its pack, for both, on a first visit that needs both.
  const combined = {};
  for (const [key, c] of Object.entries(split.combined || {}).sort()) {
    if (c.modules.length !== 2 || !c.files.length) fail(`combined module ${key} is incomplete`);
    const pack = `p/${key.replace('+', '-with-')}.pack`;
    build.set(pack, packed(c.files));
    combined[key] = { pack, modules: c.modules };
  }

  // A pack: u32 count, then (u32 part id, u32 length) per part, then the parts.
  function packed(parts) {
    for (const f of parts) if (!files.has(f)) files.set(f, files.size);
    const bodies = parts.map((f) => fs.readFileSync(path.join(splitDir, f)));
    const head = Buffer.alloc(4 + parts.length * 8);
    head.writeUInt32LE(parts.length, 0);
    parts.forEach((f, i) => {
      head.writeUInt32LE(files.get(f), 4 + i * 8);
      head.writeUInt32LE(bodies[i].length, 8 + i * 8);
    });
    return Buffer.concat([head, ...bodies]);
  }

  const loader = fs.readFileSync(path.join(root, 'app/js/loader.js'), 'utf8')
    .replace(/^const PACKS = \{\};$/m, () => `const PACKS = ${JSON.stringify(packOf)};`)
    .replace(/^const WITHIN = \{\};$/m, () => `const WITHIN = ${JSON.stringify(parentOf)};`);
  const exportsJs = modules.map(([name]) => `export const __wasm_split_load_${name} = loader(${JSON.stringify(name)});`).join('\n');
  build.set('__wasm_split.js', loader + '\n' + exportsJs + '\n');
  build.set('main.js', fs.readFileSync(path.join(splitDir, 'main.js')));
  build.set('main_bg.wasm', mainWasm);

  // public/: the root files where browsers look for them, the rest in the build.
  const ROOT = new Set(['sw.js', 'manifest.webmanifest', 'icon.svg', 'icons']);
  const rootFiles = new Map();
  const walk = (dir, rel) => {
    for (const f of fs.readdirSync(dir).sort()) {
      const p = path.join(dir, f), r = rel ? `${rel}/${f}` : f;
      if (fs.statSync(p).isDirectory()) walk(p, r);
      else (ROOT.has(r.split('/')[0]) ? rootFiles : build).set(r, fs.readFileSync(p));
    }
  };
  walk(path.join(root, 'public'), '');

  if (release) {
    const { minify } = require(path.join(root, 'tests/node_modules/terser'));
    for (const f of ['main.js', '__wasm_split.js', 'boot.js']) {
      const r = await minify(build.get(f).toString(), { module: true, compress: true, mangle: true });
      build.set(f, Buffer.from(r.code));
    }
  }
  for (const [f, data] of build) if (f.endsWith('.css')) build.set(f, Buffer.from(minifyCss(data.toString())));

  // The version: a hash of every file of the build, so any change gives new addresses.
  const hash = crypto.createHash('sha256');
  for (const f of [...build.keys()].sort()) hash.update(f).update(build.get(f));
  const version = hash.digest('hex').slice(0, 12);
  const base = `/b/${version}/`;
  build.set('index.html', Buffer.from(build.get('index.html').toString().replaceAll('%BASE%', base)));

  // The service worker keeps the shell, every stylesheet and the idea board (the
  // part of Moim used offline: the feed, an idea with a signed-in person's tools,
  // for comments are written offline too, the composer and the outbox's sender);
  // other pages are kept as they are first visited.
  const OFFLINE = ['ideas_route', 'idea_route', 'idea_tools', 'idea_edit_route', 'deliver'];
  const precache = ['index.html', 'main.js', 'main_bg.wasm', '__wasm_split.js', 'boot.js',
    ...[...build.keys()].filter((f) => f.endsWith('.css')).sort(),
    ...OFFLINE.map((p) => manifestModules[p]?.pack).filter(Boolean)].map((f) => base + f);
  // Its two constants are written into our own source before it is minified.
  const swSource = rootFiles.get('sw.js').toString();
  const swBuilt = swSource
    .replace(/^const VERSION = '[^']*';$/m, () => `const VERSION = ${JSON.stringify(version)};`)
    .replace(/^const PRECACHE = \[\];$/m, () => `const PRECACHE = ${JSON.stringify(precache)};`);
  if (swBuilt.includes("const VERSION = 'dev'") || swBuilt.includes('const PRECACHE = [];')) fail('sw.js: VERSION or PRECACHE not found');
  rootFiles.set('sw.js', Buffer.from(release
    ? (await require(path.join(root, 'tests/node_modules/terser')).minify(swBuilt, { compress: true, mangle: true })).code
    : swBuilt));

  // Write, with brotli and gzip copies of everything that compresses.
  fs.rmSync(out, { recursive: true, force: true });
  const sizes = {};
  const write = (rel, data) => {
    const p = path.join(out, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, data);
    const entry = { raw: data.length };
    if (/\.(wasm|pack|js|css|html|svg|json|webmanifest)$/.test(rel)) {
      const br = zlib.brotliCompressSync(data, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } });
      fs.writeFileSync(p + '.br', br);
      fs.writeFileSync(p + '.gz', zlib.gzipSync(data, { level: 9 }));
      entry.br = br.length;
    }
    sizes[rel] = entry;
  };
  for (const [f, data] of build) write(`b/${version}/${f}`, data);
  for (const [f, data] of rootFiles) write(f, data);
  const manifest = {
    version,
    base,
    shell: ['main.js', '__wasm_split.js', 'boot.js', 'main_bg.wasm', 'style.css'],
    modules: manifestModules,
    combined,
    sizes,
  };
  fs.writeFileSync(path.join(out, 'site.json'), JSON.stringify(manifest, null, 1));
  const packs = Object.values(manifestModules).filter((m) => m.pack).length;
  console.log(`site: build ${version}: ${modules.length} split modules in ${packs} packs from ${files.size} parts`);
}

// Comments and layout spaces out; spaces before ":" stay (".a :focus" is a selector).
function minifyCss(css) {
  return css.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1').replace(/:\s+/g, ':').replace(/;}/g, '}').trim();
}

main().catch((e) => fail(e.stack || String(e)));

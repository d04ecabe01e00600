// wasm-opt -Oz on many modules in a few processes: binaryen's own JS build (npm
// `binaryen`, as `wasm-opt` is; Debian's binaryen 108 breaks the module), loaded
// once per worker instead of once per file, the files shared out over the cores.
//   node .ci/wasm-opt.mjs <file.wasm>...
import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';
import { readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';

if (isMainThread) {
  const files = process.argv.slice(2).map((f) => [f, readFileSync(f).length]).sort((a, b) => b[1] - a[1]);
  const n = Math.max(1, Math.min(availableParallelism(), files.length));
  const shares = Array.from({ length: n }, () => []);
  // Largest first, each to the least loaded worker.
  const load = new Array(n).fill(0);
  for (const [f, size] of files) {
    const i = load.indexOf(Math.min(...load));
    shares[i].push(f);
    load[i] += size;
  }
  await Promise.all(shares.map((share) => new Promise((resolve, reject) => {
    const w = new Worker(new URL(import.meta.url), { workerData: share });
    w.on('error', reject);
    w.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`wasm-opt worker exited with ${code}`))));
  })));
} else {
  const binaryen = (await import(new URL('../tests/node_modules/binaryen/index.js', import.meta.url))).default;
  const F = binaryen.Features;
  binaryen.setOptimizeLevel(2);
  binaryen.setShrinkLevel(2); // -Oz
  // For profiling only: keep the functions' names (a larger module).
  if (process.env.MOIM_WASM_NAMES) binaryen.setDebugInfo(true);
  for (const file of workerData) {
    const m = binaryen.readBinary(readFileSync(file));
    m.setFeatures(F.MVP | F.BulkMemory | F.BulkMemoryOpt | F.NontrappingFPToInt | F.SignExt | F.MutableGlobals);
    if (file.endsWith("/main_bg.wasm")) dropUnusedExports(binaryen, m);
    m.optimize();
    // Functions sorted by name: instances of one generic function sit side by
    // side, which brotli compresses better (about 1%).
    m.runPasses(['reorder-functions-by-name']);
    writeFileSync(file, m.emitBinary());
    m.dispose();
  }
  parentPort?.postMessage('done');
}

// Leptos links its server functions' client (server_fn), which links wasm-streams,
// whose #[wasm_bindgen] classes (a JS stream over a Rust one) are exports of the
// main module: exports are kept, and so was all their code (13 KB), though Moim
// has no server functions and never builds such a stream. Without the exports
// the optimiser drops the code; main.js still defines the classes, unused. If
// they are gone (Leptos changed), this says so rather than silently doing nothing.
function dropUnusedExports(binaryen, m) {
  const names = [];
  for (let i = 0; i < m.getNumExports(); i++) names.push(binaryen.getExportInfo(m.getExportByIndex(i)).name);
  const dead = names.filter((n) => /^(__wbg_)?intounderlying(byte)?(source|sink)_/.test(n));
  if (!dead.length) throw new Error('main_bg.wasm: no wasm-streams exports to drop: update .ci/wasm-opt.mjs');
  for (const n of dead) m.removeExport(n);
}

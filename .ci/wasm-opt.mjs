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
    m.optimize();
    writeFileSync(file, m.emitBinary());
    m.dispose();
  }
  parentPort?.postMessage('done');
}

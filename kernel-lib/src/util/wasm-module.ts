import * as fs from "node:fs";
import * as path from "node:path";

const cache = new Map<string, WebAssembly.Module>();

/**
 * The compiled WebAssembly module `<dir>/<name>.wasm`, read and compiled synchronously (once per
 * file; later calls return the same module). The `.wasm` files are built from the `.wat` text
 * beside them by `scripts/build-wasm.cjs` (part of `npm run build`); a kernel's loader passes its
 * own `__dirname`, which works from both `src/` (tests) and `dist/` (notebooks, CLI).
 */
export function loadWasmModule(dir: string, name: string): WebAssembly.Module {
  const file = path.join(dir, `${name}.wasm`);
  const cached = cache.get(file);
  if (cached) return cached;
  if (!fs.existsSync(file)) {
    throw new Error(`kernel-lib: the WebAssembly module ${file} is missing (it is compiled from ${name}.wat); ` + "run `npm run build`");
  }
  const module = new WebAssembly.Module(fs.readFileSync(file));
  cache.set(file, module);
  return module;
}

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { loadWasmModule } from "../../../kernel-lib/src/util/wasm-module";

// A tiny module in WebAssembly text, compiled the way scripts/build-wasm.cjs compiles src/**/*.wat.
const WAT = `(module
  (memory (export "memory") 1 1 shared)
  ;; adds two f32x4 vectors lane by lane
  (func (export "add4") (param $a i32) (param $b i32) (param $out i32)
    (v128.store (local.get $out) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))))`;

async function compile(text: string): Promise<Uint8Array> {
  const wabt = await (await import("wabt")).default();
  const mod = wabt.parseWat("test.wat", text, { simd: true, threads: true, bulk_memory: true });
  try {
    return mod.toBinary({}).buffer;
  } finally {
    mod.destroy();
  }
}

describe("loadWasmModule", () => {
  it("reads <dir>/<name>.wasm and compiles it once", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wasm-module-"));
    fs.writeFileSync(path.join(dir, "add.wasm"), await compile(WAT));
    const module = loadWasmModule(dir, "add");
    expect(loadWasmModule(dir, "add")).toBe(module);
    const instance = new WebAssembly.Instance(module);
    const { add4, memory } = instance.exports as { add4: (a: number, b: number, o: number) => void; memory: WebAssembly.Memory };
    const f = new Float32Array(memory.buffer, 0, 12);
    f.set([1, 2, 3, 4, 10, 20, 30, 40]);
    add4(0, 16, 32);
    expect(Array.from(f.subarray(8, 12))).toEqual([11, 22, 33, 44]);
  });

  it("names the missing file and says how to build it", () => {
    expect(() => loadWasmModule("/nowhere", "missing-kernels")).toThrow(/missing-kernels\.wasm.*npm run build/s);
  });
});

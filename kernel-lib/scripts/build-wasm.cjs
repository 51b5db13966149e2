#!/usr/bin/env node
// Compiles every WebAssembly text file (`src/**/*.wat`) of kernel-lib into a binary module
// (`.wasm`) written beside it and at the same relative path under `dist/`, so that both the
// sources (unit tests import src/ directly) and the built package can load it at run time.
//
// The kernels use 128-bit SIMD, shared memory with atomics (tfjs-backend-wasm's heap is a
// SharedArrayBuffer when it runs with threads), bulk memory (memory.copy / memory.fill) and relaxed
// SIMD (`f32x4.relaxed_madd`: one fused multiply-add where the processor has one; Node ≥ 22);
// those features are enabled for every file.
//
// A kernel that works on the wasm backend's memory imports it as `(import "env" "memory" (memory 1))`.
// An imported memory must match the one given exactly, shared or not, and the backend's memory is
// shared in its threaded build only: for such a file a second module `<name>.shared.wasm` is
// written too, the same text with that import declared `(memory 1 65536 shared)`.
//
// Usage: node scripts/build-wasm.cjs [--quiet]
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const srcDir = path.join(root, "src");
const distDir = path.join(root, "dist");
const quiet = process.argv.includes("--quiet");

const FEATURES = {
  simd: true,
  threads: true,
  bulk_memory: true,
  mutable_globals: true,
  sign_extension: true,
  sat_float_to_int: true,
  multi_value: true,
  relaxed_simd: true,
};

function findWat(dir) {
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...findWat(full));
    else if (entry.isFile() && entry.name.endsWith(".wat")) out.push(full);
  }
  return out.sort();
}

const HEAP_IMPORT = '(import "env" "memory" (memory 1))';
const SHARED_HEAP_IMPORT = '(import "env" "memory" (memory 1 65536 shared))';

/** The binary of one WebAssembly text; `label` names it in errors. */
function compile(wabt, label, text) {
  let module;
  try {
    module = wabt.parseWat(label, text, FEATURES);
    module.resolveNames();
    module.validate(FEATURES);
    return module.toBinary({ log: false, write_debug_names: true }).buffer;
  } catch (err) {
    throw new Error(`kernel-lib: cannot compile src/${label}:\n${err.message}`);
  } finally {
    if (module) module.destroy();
  }
}

function write(rel, binary) {
  for (const outFile of [path.join(srcDir, rel), path.join(distDir, rel)]) {
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(outFile, binary);
  }
  if (!quiet) console.log(`wasm: ${rel} (${binary.length} bytes)`);
}

async function main() {
  const files = findWat(srcDir);
  if (files.length === 0) return;
  let wabtFactory;
  try {
    wabtFactory = require("wabt");
  } catch (err) {
    throw new Error(`kernel-lib: the WebAssembly text compiler 'wabt' is not installed (${err.message}); ` + "run `npm install` at the repository root");
  }
  const wabt = await wabtFactory();
  for (const file of files) {
    const rel = path.relative(srcDir, file);
    const text = fs.readFileSync(file, "utf8");
    const base = rel.replace(/\.wat$/, "");
    write(`${base}.wasm`, compile(wabt, rel, text));
    if (text.includes(HEAP_IMPORT)) {
      write(`${base}.shared.wasm`, compile(wabt, rel, text.replace(HEAP_IMPORT, SHARED_HEAP_IMPORT)));
    }
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});

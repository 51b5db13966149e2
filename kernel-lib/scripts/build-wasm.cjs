#!/usr/bin/env node
// Compiles every WebAssembly text file (`src/**/*.wat`) of kernel-lib into a binary module
// (`.wasm`) written beside it and at the same relative path under `dist/`, so that both the
// sources (unit tests import src/ directly) and the built package can load it at run time.
//
// The kernels use 128-bit SIMD, shared memory with atomics (tfjs-backend-wasm's heap is a
// SharedArrayBuffer when it runs with threads) and bulk memory (memory.copy / memory.fill);
// those features are enabled for every file. Usage: node scripts/build-wasm.cjs [--quiet]
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

async function main() {
  const files = findWat(srcDir);
  if (files.length === 0) return;
  let wabtFactory;
  try {
    wabtFactory = require("wabt");
  } catch (err) {
    throw new Error(
      `kernel-lib: the WebAssembly text compiler 'wabt' is not installed (${err.message}); ` +
        "run `npm install` at the repository root",
    );
  }
  const wabt = await wabtFactory();
  for (const file of files) {
    const rel = path.relative(srcDir, file);
    const text = fs.readFileSync(file, "utf8");
    let binary;
    let module;
    try {
      module = wabt.parseWat(rel, text, FEATURES);
      module.resolveNames();
      module.validate(FEATURES);
      binary = module.toBinary({ log: false, write_debug_names: true }).buffer;
    } catch (err) {
      throw new Error(`kernel-lib: cannot compile ${path.join("src", rel)}:\n${err.message}`);
    } finally {
      if (module) module.destroy();
    }
    const wasmRel = rel.replace(/\.wat$/, ".wasm");
    for (const outFile of [path.join(srcDir, wasmRel), path.join(distDir, wasmRel)]) {
      fs.mkdirSync(path.dirname(outFile), { recursive: true });
      fs.writeFileSync(outFile, binary);
    }
    if (!quiet) console.log(`wasm: src/${rel} -> ${wasmRel} (${binary.length} bytes)`);
  }
}

main().catch((err) => {
  console.error(err.message);
  process.exit(1);
});

#!/usr/bin/env node
// `npm test` (after the build): the end-to-end tests and the unit tests as two vitest runs side by
// side. The e2e run streams its report; the unit run (one worker) is reported in one block when
// both are done, so the reports never interleave. Arguments are
// passed to both runs (e.g. `npm test -- -t "04-"`); the exit code is non-zero if either failed.
// Two runs, not one: in one run vitest starts the second project's files only when the first
// project's files have all been handed to a worker.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const vitest = join(root, "node_modules", "vitest", "vitest.mjs");
const args = process.argv.slice(2);

function run(project, extra, stream) {
  const child = spawn(process.execPath, [vitest, "run", "--project", project, ...extra, ...args], {
    cwd: root,
    stdio: stream ? "inherit" : ["ignore", "pipe", "pipe"],
  });
  const chunks = [];
  if (!stream) {
    child.stdout.on("data", (d) => chunks.push(d));
    child.stderr.on("data", (d) => chunks.push(d));
  }
  const done = new Promise((resolve) => child.on("close", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
  return { child, done, output: () => Buffer.concat(chunks).toString() };
}

const e2e = run("e2e", [], true);
const unit = run("unit", ["--maxWorkers=1"], false);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    e2e.child.kill(signal);
    unit.child.kill(signal);
  });
}
const [e2eCode, unitCode] = await Promise.all([e2e.done, unit.done]);
process.stdout.write(`\n── unit tests (run beside the end-to-end tests) ──\n${unit.output()}`);
if (e2eCode !== 0 || unitCode !== 0) console.error(`npm test: end-to-end tests exited ${e2eCode}, unit tests ${unitCode}`);
process.exit(e2eCode !== 0 ? e2eCode : unitCode);

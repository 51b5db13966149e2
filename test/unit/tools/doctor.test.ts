import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Finder } from "../../../tools/src/cli/jupyter-finder";
import { checkJupyter, checkKernelRegistered, checkNode, checkResources, doctorCommand, formatResult, type DoctorContext } from "../../../tools/src/cli/doctor";

function fakeFinder(exes: Record<string, string> = {}): Finder {
  return { which: (n) => exes[n] ?? null, hasPythonModule: () => false, pythons: () => [] };
}

function ctxFor(root: string, finder = fakeFinder()): DoctorContext {
  return { root, finder, nodeVersion: "22.3.0", env: {}, noSmoke: true };
}

afterEach(() => vi.restoreAllMocks());

const GiB = 1024 ** 3;

describe("doctor checks", () => {
  it("Node: fails before 20 naming the fix, warns on odd lines", () => {
    expect(checkNode("18.19.0")).toMatchObject({ status: "fail", fix: expect.stringContaining("nvm install 22") });
    expect(checkNode("23.1.0").status).toBe("warn");
    expect(checkNode("20.19.0")).toMatchObject({ status: "warn", detail: expect.stringContaining("end of life") });
    expect(checkNode("22.3.0").status).toBe("ok");
  });

  it("Jupyter: names the front end, or fails with the install commands", () => {
    expect(checkJupyter(fakeFinder({ "jupyter-lab": "/b/jupyter-lab" }))).toMatchObject({ status: "ok", detail: expect.stringContaining("JupyterLab") });
    expect(checkJupyter(fakeFinder({ "jupyter-notebook": "/b/jn" })).detail).toContain("Jupyter Notebook");
    const miss = checkJupyter(fakeFinder());
    expect(miss.status).toBe("fail");
    expect(miss.fix).toContain("pip install jupyterlab");
    expect(miss.fix).toContain("apt-get install jupyter-notebook");
  });

  it("kernel: fails when unregistered or pointing at moved files, naming kernel install", () => {
    const root = mkdtempSync(join(tmpdir(), "doctor-"));
    const none = checkKernelRegistered(ctxFor(root));
    expect(none.status).toBe("fail");
    expect(none.fix).toContain("npx llm-lessons kernel install");
    const dir = join(root, ".jupyter", "kernels", "llm-lessons");
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, "kernel.json"),
      JSON.stringify({ argv: ["/nowhere/node", "/nowhere/tslab"], display_name: "TypeScript (llm-lessons)", language: "typescript" }),
    );
    const moved = checkKernelRegistered(ctxFor(root));
    expect(moved).toMatchObject({ status: "fail", detail: expect.stringContaining("/nowhere/node") });
    writeFileSync(join(dir, "kernel.json"), JSON.stringify({ argv: [process.execPath], display_name: "TypeScript (llm-lessons)", language: "typescript" }));
    expect(checkKernelRegistered(ctxFor(root)).status).toBe("ok");
  });

  it("disk and memory: fail when too little, warn when tight", () => {
    const [d1, m1] = checkResources("/", { freeDisk: 0.5 * GiB, freeMem: 0.5 * GiB, totalMem: 4 * GiB });
    expect([d1.status, m1.status]).toEqual(["fail", "fail"]);
    const [d2, m2] = checkResources("/", { freeDisk: 2 * GiB, freeMem: 1 * GiB, totalMem: 4 * GiB });
    expect([d2.status, m2.status]).toEqual(["warn", "warn"]);
    const [d3, m3] = checkResources("/", { freeDisk: 20 * GiB, freeMem: 8 * GiB, totalMem: 16 * GiB });
    expect([d3.status, m3.status]).toEqual(["ok", "ok"]);
  });

  it("exits 1 with every fix printed when a learner could not start; --json lists the checks", async () => {
    const root = mkdtempSync(join(tmpdir(), "doctor-"));
    let out = "";
    vi.spyOn(process.stdout, "write").mockImplementation((s: string | Uint8Array) => {
      out += String(s);
      return true;
    });
    expect(await doctorCommand({}, ctxFor(root))).toBe(1);
    expect(out).toContain("✗ Jupyter front end");
    expect(out).toContain("fix: npx llm-lessons kernel install");
    expect(out).toContain("NOT ready");
    out = "";
    expect(await doctorCommand({ json: true }, ctxFor(root))).toBe(1);
    const json = JSON.parse(out);
    expect(json.ok).toBe(false);
    expect(json.checks.find((c: { id: string }) => c.id === "jupyter").status).toBe("fail");
    expect(formatResult({ id: "x", name: "n", status: "warn", detail: "d", fix: "f" })).toBe("! n: d\n    fix: f");
  });
});

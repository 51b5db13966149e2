import { existsSync, mkdtempSync, readFileSync, statSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { makeConnectionInfo, writeConnectionFile } from "../../../tools/src/runner/connection";
import { KERNEL_DISPLAY_NAME, installKernel, loadKernelSpec, makeKernelSpec, projectRoot, userJupyterDataDir } from "../../../tools/src/runner/kernelspec";

const root = join(__dirname, "..", "..", "..");

describe("kernelspec", () => {
  it("finds the project root and builds an argv of absolute paths", () => {
    expect(projectRoot()).toBe(root);
    const spec = makeKernelSpec();
    expect(spec.display_name).toBe(KERNEL_DISPLAY_NAME);
    expect(spec.language).toBe("typescript");
    expect(spec.argv[0]).toBe(process.execPath);
    expect(spec.argv[1]).toBe(join(root, "node_modules", "tslab", "bin", "tslab"));
    expect(spec.argv.slice(2)).toEqual(["kernel", "--config-path", "{connection_file}"]);
  });

  it("installs into the project and, with user, into the user's data dir", () => {
    const data = mkdtempSync(join(tmpdir(), "jupyter-data-"));
    const r = installKernel({ user: true, env: { JUPYTER_DATA_DIR: data } });
    expect(r.projectDir).toBe(join(root, ".jupyter", "kernels", "llm-lessons"));
    expect(r.userDir).toBe(join(data, "kernels", "llm-lessons"));
    for (const dir of [r.projectDir, r.userDir!]) {
      const spec = JSON.parse(readFileSync(join(dir, "kernel.json"), "utf8"));
      expect(spec.display_name).toBe("TypeScript (llm-lessons)");
      expect(spec.argv[1]).toMatch(/node_modules\/tslab\/bin\/tslab$/);
    }
    expect(loadKernelSpec().argv).toEqual(r.spec.argv);
  });

  it("follows jupyter_core's rules for the user data dir", () => {
    expect(userJupyterDataDir({ JUPYTER_DATA_DIR: "/x/y" }, "linux")).toBe("/x/y");
    expect(userJupyterDataDir({ HOME: "/home/u" }, "linux")).toBe("/home/u/.local/share/jupyter");
    expect(userJupyterDataDir({ HOME: "/home/u", XDG_DATA_HOME: "/xdg" }, "linux")).toBe("/xdg/jupyter");
    expect(userJupyterDataDir({ HOME: "/Users/u" }, "darwin")).toBe("/Users/u/Library/Jupyter");
  });
});

describe("connection file", () => {
  it("has five distinct ports on 127.0.0.1, a 256-bit key, and is private", async () => {
    const info = await makeConnectionInfo();
    const ports = [info.shell_port, info.iopub_port, info.stdin_port, info.control_port, info.hb_port];
    expect(new Set(ports).size).toBe(5);
    for (const p of ports) expect(p).toBeGreaterThan(0);
    expect(info.ip).toBe("127.0.0.1");
    expect(info.key).toMatch(/^[0-9a-f]{64}$/);
    expect(info.signature_scheme).toBe("hmac-sha256");
    const file = join(mkdtempSync(join(tmpdir(), "conn-")), "c.json");
    writeConnectionFile(file, info);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(info);
    expect(statSync(file).mode & 0o077).toBe(0);
    expect(existsSync(file)).toBe(true);
  });
});

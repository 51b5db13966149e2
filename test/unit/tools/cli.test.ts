import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { main } from "../../../tools/src/cli";
import { BENCHMARKS, BenchError, formatBench, loadBench } from "../../../tools/src/cli/bench";
import { INSTALL_HELP, Finder, findJupyter } from "../../../tools/src/cli/jupyter-finder";
import { cleanErrorText } from "../../../tools/src/cli/run";
import { JupyterMissingError, jupyterPathWith, startCommand, startJupyter } from "../../../tools/src/cli/start";

function fakeFinder(exes: Record<string, string>, modules: Record<string, string[]> = {}): Finder {
  return {
    which: (name) => exes[name] ?? null,
    hasPythonModule: (py, mod) => (modules[py] ?? []).includes(mod),
    pythons: () => Object.keys(modules),
  };
}

function captureStderr(): { text: () => string } {
  let buf = "";
  vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => {
    buf += String(s);
    return true;
  });
  return { text: () => buf };
}

afterEach(() => vi.restoreAllMocks());

describe("findJupyter", () => {
  it("prefers JupyterLab, then the classic Notebook, then Python modules", () => {
    expect(findJupyter(fakeFinder({ "jupyter-lab": "/b/jupyter-lab", "jupyter-notebook": "/b/jn" }))?.command).toBe("/b/jupyter-lab");
    expect(findJupyter(fakeFinder({ "jupyter-lab": "/b/jupyter-lab", "jupyter-notebook": "/b/jn" }), { classic: true })?.command).toBe("/b/jn");
    const viaPy = findJupyter(fakeFinder({}, { "/py": ["notebook"] }));
    expect(viaPy).toMatchObject({ kind: "notebook", command: "/py", args: ["-m", "notebook"] });
    expect(findJupyter(fakeFinder({ "jupyter-notebook": "/b/jn" }, { "/py": ["jupyterlab"] }))).toMatchObject({ kind: "lab", args: ["-m", "jupyterlab"] });
  });

  it("returns null when there is no Jupyter", () => {
    expect(findJupyter(fakeFinder({}, { "/py": ["numpy"] }))).toBeNull();
  });
});

describe("start without Jupyter", () => {
  it("prints pip, apt and conda instructions on stderr and exits 2", async () => {
    const err = captureStderr();
    const code = await startCommand({ finder: fakeFinder({}), noBrowser: true });
    expect(code).toBe(2);
    expect(err.text()).toContain("pip install jupyterlab");
    expect(err.text()).toContain("apt-get install jupyter-notebook");
    expect(err.text()).toContain("conda install -c conda-forge jupyterlab");
    await expect(startJupyter({ finder: fakeFinder({}) })).rejects.toBeInstanceOf(JupyterMissingError);
    expect(INSTALL_HELP).toMatch(/VS Code/);
  });

  it("puts the project's .jupyter first on JUPYTER_PATH", () => {
    expect(jupyterPathWith("/p/.jupyter", "/a:/p/.jupyter")).toBe("/p/.jupyter:/a");
    expect(jupyterPathWith("/p/.jupyter", undefined)).toBe("/p/.jupyter");
  });
});

describe("bench loader", () => {
  it("maps the documented names to modules", () => {
    expect(BENCHMARKS).toEqual({ bpe: "text", word2vec: "word2vec", attention: "attention", gpt: "gpt", scaling: "scaling", bow: "bow", backends: "tf" });
  });

  it("lists known names for an unknown one and explains a missing module", () => {
    expect(() => loadBench("nope")).toThrow(/unknown benchmark "nope"; known benchmarks: bpe, word2vec/);
    const missing = (id: string): never => {
      throw Object.assign(new Error(`Cannot find module '${id}'`), { code: "MODULE_NOT_FOUND" });
    };
    expect(() => loadBench("gpt", missing)).toThrow(new BenchError("benchmark gpt is not available: tools/src/bench/gpt.ts does not exist in this build"));
    const fake = async () => ({ name: "bow", figures: {}, notes: [] });
    expect(loadBench("bow", (id) => (id === "../bench/bow" ? { bench: fake } : {}))).toBe(fake);
  });

  it("formats figures as a table", () => {
    const text = formatBench({ name: "w2v", figures: { words_per_s: 171000, loss: 0.123456, peer: "gensim" }, notes: ["loaded machine"] });
    expect(text).toContain("words_per_s  171,000");
    expect(text).toContain("loss         0.1235");
    expect(text).toContain("note: loaded machine");
  });
});

describe("cleanErrorText", () => {
  it("drops tslab's and node's frames but keeps the user's", () => {
    const raw =
      "Error: boom\n    at evalmachine.<anonymous>:3:7\n    at sigintHandlersWrap (node:vm:280:12)\n    at Object.execute (/x/node_modules/tslab/dist/executor.js:160:38)\n";
    expect(cleanErrorText(raw)).toBe("Error: boom\n    at evalmachine.<anonymous>:3:7");
  });
});

describe("main (argument errors, no kernel started)", () => {
  const dir = mkdtempSync(join(tmpdir(), "cli-test-"));
  const nb = join(dir, "n.ipynb");
  writeFileSync(
    nb,
    JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        {
          id: "p",
          cell_type: "code",
          metadata: { tags: ["parameters"] },
          source: 'let seed = 1; // s\nlet mode = "fast"; // m\n',
          outputs: [],
          execution_count: null,
        },
      ],
    }),
  );

  it("exits 2 on an unknown parameter, listing the known ones", async () => {
    const err = captureStderr();
    expect(await main(["node", "llm-lessons", "run", nb, "-p", "sed=3", "--out", dir])).toBe(2);
    expect(err.text()).toContain('unknown parameter "sed" for n.ipynb; known parameters: seed, mode');
  });

  it("exits 2 on a value the lesson does not allow, before any kernel starts, naming the field, the value and what is allowed", async () => {
    const lesson = join(dir, "04-mini-gpt.ipynb");
    writeFileSync(lesson, readFileSync(nb, "utf8").replace("let seed = 1; // s", "let learningRate: number | null = null; // lr"));
    const err = captureStderr();
    expect(await main(["node", "llm-lessons", "run", lesson, "-p", "learningRate=50", "--out", dir])).toBe(2);
    expect(await main(["node", "llm-lessons", "sweep", lesson, "-p", "learningRate=1e-3,50", "--out", join(dir, "sweep")])).toBe(2);
    expect(err.text()).toContain("04-mini-gpt.ipynb: parameter learningRate = 50 is not allowed: it must be a number, > 0, ≤ 10");
    expect(err.text().match(/learningRate = 50 is not allowed/g)).toHaveLength(2);
  });

  it("prints a notebook's parameters with `params` and `run --help-params`, by path or by a lesson's name", async () => {
    const out = vi.spyOn(process.stdout, "write").mockImplementation(() => true);
    try {
      expect(await main(["node", "llm-lessons", "params", "04-mini-gpt"])).toBe(0);
      expect(await main(["node", "llm-lessons", "run", nb, "--help-params"])).toBe(0);
      const text = out.mock.calls.map((c) => String(c[0])).join("");
      expect(text).toMatch(/\nlearningRate\s+number\s+a number, > 0, ≤ 10\s+fast 0.003, workshop 0.003, full 0.001; shape "gpu": 0.001\s+peak learning rate/);
      expect(text).toContain("parameters of n.ipynb (set with -p name=value):");
    } finally {
      out.mockRestore();
    }
  });

  it("exits 2 on a bad --timeout, a missing notebook, an unknown command and an unknown benchmark", async () => {
    const err = captureStderr();
    expect(await main(["node", "llm-lessons", "run", nb, "--timeout", "0"])).toBe(2);
    expect(await main(["node", "llm-lessons", "run", join(dir, "missing.ipynb")])).toBe(2);
    expect(await main(["node", "llm-lessons", "frobnicate"])).toBe(2);
    expect(await main(["node", "llm-lessons", "bench", "nope"])).toBe(2);
    expect(err.text()).toMatch(/--timeout must be a number of seconds > 0, got "0"/);
    expect(err.text()).toMatch(/cannot read notebook .*missing.ipynb/);
    expect(err.text()).toMatch(/unknown command 'frobnicate'/);
  });
});

describe("pathFinder", () => {
  it("finds nothing on a PATH without Jupyter, so start exits 2", async () => {
    const { pathFinder } = await import("../../../tools/src/cli/jupyter-finder");
    const empty = mkdtempSync(join(tmpdir(), "empty-path-"));
    const finder = pathFinder(empty, []);
    expect(finder.which("jupyter-notebook")).toBeNull();
    expect(finder.pythons()).toEqual([]);
    const err = captureStderr();
    expect(await startCommand({ finder, noBrowser: true })).toBe(2);
    expect(err.text()).toContain("Jupyter is not installed");
  });

  it("finds an executable on the given PATH", async () => {
    const { pathFinder } = await import("../../../tools/src/cli/jupyter-finder");
    const dir = mkdtempSync(join(tmpdir(), "fake-path-"));
    writeFileSync(join(dir, "jupyter-notebook"), "#!/bin/sh\n", { mode: 0o755 });
    writeFileSync(join(dir, "jupyter-lab"), "not executable", { mode: 0o644 });
    const found = findJupyter(pathFinder(dir, []));
    expect(found).toMatchObject({ kind: "notebook", command: join(dir, "jupyter-notebook") });
  });
});

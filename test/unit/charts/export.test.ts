import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { barChart } from "../../../kernel-lib/src/charts/builders";
import { findChromium, saveHtml, savePng } from "../../../kernel-lib/src/charts/export";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "charts-export-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const saved = process.env.LLM_LESSONS_CHROMIUM;
afterEach(() => {
  if (saved === undefined) delete process.env.LLM_LESSONS_CHROMIUM;
  else process.env.LLM_LESSONS_CHROMIUM = saved;
});

const fig = barChart(["a", "b"], [1, 2], { title: "Saved" });

describe("saveHtml", () => {
  it("writes a standalone page with plotly.js inlined once, creating folders", () => {
    const file = path.join(tmp, "deep/er/chart.html");
    saveHtml(fig, file);
    const html = fs.readFileSync(file, "utf8");
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html.split("plotly.js v3").length - 1).toBe(1);
    expect(html).toContain('"title":{"text":"Saved"');
    expect(html).not.toMatch(/<script[^>]+src=/); // nothing fetched from the network
  });
});

describe("savePng without Chromium", () => {
  it("says where it looked and how to install it", async () => {
    process.env.LLM_LESSONS_CHROMIUM = "/nonexistent/chromium";
    expect(() => findChromium()).toThrow("LLM_LESSONS_CHROMIUM is set to /nonexistent/chromium, but no file exists there");
    await expect(savePng(fig, path.join(tmp, "x.png"))).rejects.toThrow("no file exists there");
    expect(fs.existsSync(path.join(tmp, "x.png"))).toBe(false);
  });
  it("rejects a malformed figure before starting a browser", async () => {
    await expect(savePng({} as never, path.join(tmp, "y.png"))).rejects.toThrow("figure must be an object with a `data` array of traces");
  });
});

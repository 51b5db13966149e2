import { describe, expect, it } from "vitest";
import { formatDuration, formatRate, formatValue, Throttle } from "../../../kernel-lib/src/charts/format";
import { liveChart, thin } from "../../../kernel-lib/src/charts/live";
import { progressBar, progressHtml, progressText } from "../../../kernel-lib/src/charts/progress";
import { PLOTLY_MIME, resetPlotlyState } from "../../../kernel-lib/src/charts/show";
import { withFakeKernel } from "./fake-kernel";

describe("formatters", () => {
  it("format durations, rates and values", () => {
    expect([formatDuration(7.4), formatDuration(725), formatDuration(3723), formatDuration(NaN)]).toEqual(["0:07", "12:05", "1:02:03", "?"]);
    expect([formatRate(12.345), formatRate(0.25), formatRate(123456), formatRate(0)]).toEqual(["12.3 it/s", "4.00 s/it", "123,456 it/s", "? it/s"]);
    expect([formatValue(2.3456789), formatValue(42), formatValue("x")]).toEqual(["2.346", "42", "x"]);
  });
  it("Throttle lets one call through per interval", () => {
    let t = 0;
    const th = new Throttle(200, () => t);
    const seen: boolean[] = [];
    for (t = 0; t <= 1000; t += 50) seen.push(th.ready());
    expect(seen.filter(Boolean)).toHaveLength(6); // 0, 200, 400, 600, 800, 1000
  });
});

describe("progressText / progressHtml", () => {
  const state = { label: "train", count: 50, total: 100, elapsedSeconds: 4, info: { loss: 2.31 }, finished: false };
  it("shows count/total, percent, rate, elapsed, ETA and info", () => {
    expect(progressText(state, 10)).toBe("train [#####.....] 50/100 50% 12.5 it/s 0:04<0:04 loss=2.310");
    expect(progressText({ ...state, count: 100, finished: true }, 10)).toBe("train [##########] 100/100 100% 25.0 it/s 0:04 total loss=2.310");
    expect(progressText({ ...state, finished: true }, 10)).toContain("(stopped early)");
    const html = progressHtml(state);
    expect(html).toContain("50/100 (50%)");
    expect(html).toContain("ETA 0:04");
    expect(html).toContain("<b>loss</b>=2.310");
  });
});

describe("progressBar in a kernel", () => {
  it("updates one output in place, at most every everyMs, and always draws the end", () => {
    let t = 0;
    const sent = withFakeKernel((sent) => {
      const bar = progressBar(1000, "loop", { everyMs: 200, now: () => t });
      for (let i = 0; i < 1000; i++) {
        t += 1; // 1 ms per step: 1 s in all
        bar.tick(1, { loss: 1 / (i + 1) });
      }
      bar.done();
      bar.tick(); // ignored after done
      return sent;
    });
    const ids = new Set(sent.map((s) => s.displayId));
    expect(ids.size).toBe(1);
    expect(sent[0].update).toBe(false);
    expect(sent.slice(1).every((s) => s.update)).toBe(true);
    expect(sent.length).toBeGreaterThanOrEqual(6);
    expect(sent.length).toBeLessThanOrEqual(8); // initial + ≤ 5/s for 1 s + final
    const last = String(sent[sent.length - 1].data["text/plain"]);
    expect(last).toContain("1000/1000 100%");
    expect(last).toContain("total");
  });
  it("rejects a bad total", () => {
    expect(() => progressBar(-1, "x")).toThrow("progressBar: total must be an integer >= 0, got -1");
  });
});

describe("progressBar outside a kernel", () => {
  it("writes a line every 10% and a final line", () => {
    const lines: string[] = [];
    const bar = progressBar(100, "job", { write: (l) => lines.push(l), now: () => 0 });
    for (let i = 0; i < 100; i++) bar.tick();
    bar.done();
    expect(lines).toHaveLength(10); // 10%, …, 90% and the final line
    expect(lines[0]).toContain("10/100");
    expect(lines[9]).toContain("100/100");
  });
});

describe("liveChart", () => {
  it("redraws one output in place, throttled, with the final points after done()", () => {
    resetPlotlyState();
    let t = 0;
    const sent = withFakeKernel((sent) => {
      const live = liveChart({ series: ["train", "valid"], title: "Loss", everyMs: 100, now: () => t });
      for (let i = 1; i <= 100; i++) {
        t += 10;
        live.push("train", i, 1 / i);
        if (i % 10 === 0) live.push("valid", i, 1.1 / i);
      }
      live.push("train", 101, NaN); // skipped, not thrown
      live.done();
      return sent;
    });
    const chartOutputs = sent.filter((s) => s.data[PLOTLY_MIME] !== undefined);
    expect(sent[0].data["text/html"]).toContain("plotly.js v3"); // library first, as its own output
    expect(new Set(chartOutputs.map((s) => s.displayId)).size).toBe(1);
    expect(chartOutputs.length).toBeLessThanOrEqual(12); // 1 s at ≤ 10/s + final
    const final = chartOutputs[chartOutputs.length - 1].data[PLOTLY_MIME] as { data: { name: string; x: number[] }[] };
    expect(final.data.map((d) => [d.name, d.x.length])).toEqual([
      ["train", 100],
      ["valid", 10],
    ]);
  });
  it("names unknown series", () => {
    const live = liveChart({ series: ["a"] });
    expect(() => live.push("b", 1, 1)).toThrow('liveChart: unknown series "b"; known series: a');
  });
  it("thin keeps every k-th point and the last", () => {
    const x = Array.from({ length: 10 }, (_, i) => i);
    expect(thin(x, x, 4).x).toEqual([0, 3, 6, 9]);
    expect(thin(x, x, 3).x).toEqual([0, 4, 8, 9]);
  });
});

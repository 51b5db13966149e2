import { describe, expect, it } from "vitest";
import { barChart, heatmap, lineChart, logLogFit, logSpace, scatterChart } from "../../../kernel-lib/src/charts/builders";
import { figureSummary } from "../../../kernel-lib/src/charts/figure";
import { PALETTE } from "../../../kernel-lib/src/charts/theme";

// biome-ignore lint/suspicious/noExplicitAny: Plotly layouts and traces, probed field by field by the assertions
type T = Record<string, any>;
const layoutOf = (f: { layout?: object }) => f.layout as T;
const traces = (f: { data: object[] }) => f.data as T[];

describe("lineChart", () => {
  const fig = lineChart(
    [
      { name: "train", x: [1, 2, 3], y: [3, 2, 1.5] },
      { name: "valid", x: [1, 2, 3], y: [3.2, 2.4, 2.1] },
    ],
    { title: "Loss", xTitle: "step", yTitle: "loss", logY: true },
  );
  it("makes one line trace per series with the data and palette colours", () => {
    expect(traces(fig).map((t) => [t.type, t.mode, t.name])).toEqual([
      ["scatter", "lines", "train"],
      ["scatter", "lines", "valid"],
    ]);
    expect(traces(fig)[1].y).toEqual([3.2, 2.4, 2.1]);
    expect(traces(fig)[0].line.color).toBe(PALETTE[0]);
    expect(traces(fig)[1].line.color).toBe(PALETTE[1]);
  });
  it("sets titles and axis types", () => {
    const l = layoutOf(fig);
    expect(l.title.text).toBe("Loss");
    expect(l.xaxis.title.text).toBe("step");
    expect(l.yaxis.title.text).toBe("loss");
    expect(l.xaxis.type).toBe("linear");
    expect(l.yaxis.type).toBe("log");
    expect(l.colorway).toEqual(PALETTE);
    expect(l.showlegend).toBe(true);
  });
  it("is plain JSON (survives a JSON round trip)", () => {
    expect(JSON.parse(JSON.stringify(fig))).toEqual(fig);
  });
  it("rejects mismatched lengths, NaN and non-positive values on log axes, naming the series", () => {
    expect(() => lineChart([{ name: "a", x: [1, 2], y: [1] }])).toThrow('series "a": x has 2 values but y has 1');
    expect(() => lineChart([{ name: "b", x: [1, 2], y: [1, NaN] }])).toThrow('series "b": y[1] must be a finite number, got NaN');
    expect(() => lineChart([{ name: "c", x: [1, 2], y: [1, 0] }], { logY: true })).toThrow(
      /series "c": y\[1\] = 0, but a log y axis \(logY\) needs values > 0/,
    );
  });
  it("rejects an absurd size", () => {
    expect(() => lineChart([], { height: 0 })).toThrow("height must be a number of pixels >= 50, got 0");
  });
});

describe("scatterChart", () => {
  it("puts labels in hover text and optionally on the points", () => {
    const fig = scatterChart([{ name: "words", x: [0, 1], y: [1, 0], labels: ["king", "queen"] }], { showLabels: true });
    const t = traces(fig)[0];
    expect(t.mode).toBe("markers+text");
    expect(t.text).toEqual(["king", "queen"]);
    expect(t.hovertemplate).toContain("%{text}");
    expect(scatterChart([{ x: [0], y: [0], labels: ["a"] }]).data[0]).toMatchObject({ mode: "markers" });
  });
  it("maps numeric colours to a scale and category colours to the palette", () => {
    const num = traces(scatterChart([{ x: [0, 1], y: [0, 1], color: [0.5, 2] }]))[0];
    expect(num.marker.color).toEqual([0.5, 2]);
    expect(num.marker.colorscale).toBe("Viridis");
    const cat = traces(scatterChart([{ x: [0, 1, 2], y: [0, 1, 2], color: ["noun", "verb", "noun"] }]))[0];
    expect(cat.marker.color).toEqual([PALETTE[0], PALETTE[1], PALETTE[0]]);
  });
  it("rejects labels of the wrong length", () => {
    expect(() => scatterChart([{ name: "w", x: [0, 1], y: [0, 1], labels: ["a"] }])).toThrow('series "w": labels has 1 entries but there are 2 points');
  });
});

describe("barChart", () => {
  it("accepts a plain number array as one series", () => {
    const fig = barChart(["a", "b"], [3, 4], { title: "Counts" });
    expect(traces(fig)).toHaveLength(1);
    expect(traces(fig)[0]).toMatchObject({ type: "bar", x: ["a", "b"], y: [3, 4] });
    expect(layoutOf(fig).xaxis.type).toBe("category");
  });
  it("groups several series and supports horizontal bars", () => {
    const fig = barChart(
      ["a", "b"],
      [
        { name: "x", values: [1, 2] },
        { name: "y", values: [3, 4] },
      ],
      { horizontal: true },
    );
    expect(layoutOf(fig).barmode).toBe("group");
    expect(traces(fig)[1]).toMatchObject({ orientation: "h", x: [3, 4], y: ["a", "b"] });
    expect(layoutOf(fig).yaxis.type).toBe("category");
  });
  it("checks the number of values", () => {
    expect(() => barChart(["a", "b", "c"], [1, 2])).toThrow("values has 2 entries but there are 3 categories");
  });
});

describe("heatmap", () => {
  it("draws a matrix with row 0 on top and labelled ticks", () => {
    const fig = heatmap(
      [
        [1, 0],
        [0.25, 0.75],
      ],
      { x: ["the", "the"], y: ["a", "b"], zmin: 0, zmax: 1, title: "Attention" },
    );
    const t = traces(fig)[0];
    expect(t.type).toBe("heatmap");
    expect(t.z).toEqual([
      [1, 0],
      [0.25, 0.75],
    ]);
    expect(t.x).toEqual([0, 1]);
    expect([t.zmin, t.zmax]).toEqual([0, 1]);
    expect(layoutOf(fig).xaxis.ticktext).toEqual(["the", "the"]);
    expect(layoutOf(fig).yaxis.autorange).toBe("reversed");
    expect(t.customdata[1][0]).toEqual(["b", "the"]);
  });
  it("writes values in the cells with `annotate`, or given text", () => {
    const t = traces(heatmap([[0.123, 1]], { annotate: 2 }))[0];
    expect(t.text).toEqual([["0.12", "1.00"]]);
    expect(t.texttemplate).toBe("%{text}");
    expect(traces(heatmap([[1]], { text: [["x"]] }))[0].text).toEqual([["x"]]);
  });
  it("rejects ragged rows and wrong label counts", () => {
    expect(() => heatmap([[1, 2], [3]])).toThrow("heatmap: z[1] has 1 values but z[0] has 2");
    expect(() => heatmap([[1, 2]], { x: ["a"] })).toThrow("heatmap: x has 1 labels but z has 2 columns");
    expect(() => heatmap([[1, 2]], { text: [["a"]] })).toThrow("text must have the shape of z (1 × 2)");
  });
});

describe("logLogFit", () => {
  it("puts points and dashed fit lines on log axes over the points' x range", () => {
    const fig = logLogFit([{ name: "runs", x: [10, 100, 1000], y: [5, 2.5, 1.25] }], [{ name: "5·x^-0.3", f: (x) => 10 * Math.pow(x, -0.3) }], { samples: 20 });
    const l = layoutOf(fig);
    expect(l.xaxis.type).toBe("log");
    expect(l.yaxis.type).toBe("log");
    const [pts, fit] = traces(fig);
    expect(pts.mode).toBe("markers");
    expect(fit.mode).toBe("lines");
    expect(fit.line.dash).toBe("dash");
    expect(fit.x).toHaveLength(20);
    expect(fit.x[0]).toBeCloseTo(10, 10);
    expect(fit.x[19]).toBeCloseTo(1000, 8);
    expect(fit.y[0]).toBeCloseTo(10 * Math.pow(10, -0.3), 10);
  });
  it("rejects fits that leave the positive reals", () => {
    expect(() => logLogFit([{ name: "p", x: [1, 2], y: [1, 2] }], [{ name: "bad", f: (x) => 1 - x }])).toThrow(/fit "bad" gives 0 at x = 1.000/);
  });
  it("logSpace spans the range geometrically", () => {
    expect(logSpace(1, 100, 3).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([1, 10, 100]);
    expect(() => logSpace(0, 1, 3)).toThrow("logSpace needs lo > 0");
  });
});

describe("figureSummary", () => {
  it("names the title, kinds, traces and points", () => {
    const fig = lineChart([{ name: "loss", x: [1, 2, 3], y: [1, 2, 3] }], { title: "Training" });
    expect(figureSummary(fig)).toBe("[chart] Training — scatter, 1 trace, 3 points: loss");
    expect(
      figureSummary(
        heatmap(
          [
            [1, 2, 3],
            [4, 5, 6],
          ],
          { title: "H" },
        ),
      ),
    ).toBe("[chart] H — heatmap, 1 trace, 6 points");
  });
});

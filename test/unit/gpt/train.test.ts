import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { getBatch, prepareCharData } from "../../../kernel-lib/src/gpt/data";
import { createGpt, Gpt } from "../../../kernel-lib/src/gpt/model";
import { AdamW, clipByGlobalNorm, clippedStep, learningRateAt } from "../../../kernel-lib/src/gpt/optim";
import { trainWithProgress } from "../../../kernel-lib/src/gpt/live";
import { interruptSignal } from "../../../kernel-lib/src/runtime/interrupt";
import { resolveTrainConfig, Trainer } from "../../../kernel-lib/src/gpt/train";
import { makeRng } from "../../../kernel-lib/src/util/random";
import { tinyText, useWasm } from "./backend";

beforeAll(useWasm);

const data = prepareCharData(tinyText());
const cfg = { vocabSize: data.tokenizer.vocabSize, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16 };
const tcfg = { maxIters: 30, batchSize: 4, learningRate: 3e-3, evalInterval: 10, evalIters: 2, seed: 5 };

describe("data", () => {
  it("char vocab round-trips and batches are shifted windows", () => {
    expect(data.tokenizer.decode(data.tokenizer.encode("the cat"))).toBe("the cat");
    expect(data.tokenizer.encode("ζ")).toEqual([0]); // <unk>
    const b = getBatch(data.train, 3, 8, makeRng(1));
    for (let r = 0; r < 3; r++) for (let t = 0; t < 7; t++) expect(b.y[r * 8 + t]).toBe(b.x[r * 8 + t + 1]);
    expect(() => getBatch(new Int32Array(5), 1, 8, makeRng(1))).toThrow(/blockSize 8 needs at least 9 tokens/);
  });
});

describe("optimizer pieces", () => {
  it("AdamW's first step moves each weight by lr·sign(g) plus decoupled decay", () => {
    const w = tf.variable(tf.tensor2d([[1, -2]]));
    const b = tf.variable(tf.tensor1d([3]));
    const opt = new AdamW(
      [
        { name: "w", variable: w, decay: true },
        { name: "b", variable: b, decay: false },
      ],
      { weightDecay: 0.5 },
    );
    opt.apply([tf.tensor2d([[0.1, -4]]), tf.tensor1d([2])], 0.1);
    // m̂ = g, v̂ = g², so the Adam step is lr·g/|g| = ±0.1; w also shrinks by lr·λ·w = 5 %.
    const wv = w.dataSync();
    expect(wv[0]).toBeCloseTo(1 * 0.95 - 0.1, 5);
    expect(wv[1]).toBeCloseTo(-2 * 0.95 + 0.1, 5);
    expect(b.dataSync()[0]).toBeCloseTo(3 - 0.1, 5); // no decay on biases
    opt.dispose();
  });
  it("global-norm clipping scales all gradients together", () => {
    const { grads, norm } = clipByGlobalNorm([tf.tensor1d([3, 0]), tf.tensor1d([4])], 1);
    expect(norm.dataSync()[0]).toBeCloseTo(5, 5);
    expect(Array.from(grads[0].dataSync()).map((v) => +v.toFixed(4))).toEqual([0.6, 0]);
    expect(grads[1].dataSync()[0]).toBeCloseTo(0.8, 4);
    const small = clipByGlobalNorm([tf.tensor1d([0.3])], 1);
    expect(small.grads[0].dataSync()[0]).toBeCloseTo(0.3, 6);
  });
  it("a clipped step (one sum of squares, the coefficient inside AdamW) moves the weights as clipByGlobalNorm and apply do", () => {
    const start = [tf.tensor2d([[1, -2, 0.5]]), tf.tensor1d([3, 0.25])];
    const target = [tf.tensor2d([[4, 1, -3]]), tf.tensor1d([-2, 6])];
    const run = (fused: boolean, maxNorm: number) => {
      const vars = start.map((t) => tf.variable(t.clone()));
      const opt = new AdamW(vars.map((variable, i) => ({ name: `p${i}`, variable, decay: i === 0 })));
      const lossFn = () => tf.addN(vars.map((v, i) => tf.sum(tf.square(tf.sub(v, target[i]))))) as tf.Scalar;
      let gradNorm = 0;
      for (let step = 0; step < 3; step++) {
        if (fused) gradNorm = clippedStep(opt, vars, lossFn, 0.1, maxNorm).gradNorm;
        else {
          const { value, grads } = tf.variableGrads(lossFn, vars);
          const clipped = clipByGlobalNorm(
            vars.map((v) => grads[v.name]),
            maxNorm,
          );
          gradNorm = clipped.norm.dataSync()[0];
          opt.apply(clipped.grads, 0.1);
          tf.dispose([value, ...Object.values(grads), ...clipped.grads, clipped.norm]);
        }
      }
      const weights = vars.map((v) => Array.from(v.dataSync()));
      opt.dispose();
      tf.dispose(vars);
      return { weights, gradNorm };
    };
    for (const maxNorm of [1, 0]) {
      const [fused, plain] = [run(true, maxNorm), run(false, maxNorm)];
      expect(fused.gradNorm).toBeCloseTo(plain.gradNorm, 4);
      fused.weights.flat().forEach((w, i) => expect(w).toBeCloseTo(plain.weights.flat()[i], 5));
    }
    tf.dispose([...start, ...target]);
  });
  it("warmup + cosine schedule", () => {
    const s = { learningRate: 1, minLr: 0.1, warmupIters: 10, decayIters: 110 };
    expect(learningRateAt(0, s)).toBeCloseTo(1 / 11);
    expect(learningRateAt(10, s)).toBeCloseTo(1);
    expect(learningRateAt(60, s)).toBeCloseTo(0.55);
    expect(learningRateAt(110, s)).toBeCloseTo(0.1);
    expect(learningRateAt(500, s)).toBeCloseTo(0.1);
  });
});

describe("training", () => {
  it("validates hyperparameters with the field's name", () => {
    expect(() => resolveTrainConfig({ ...tcfg, learningRate: -1 })).toThrow(/learningRate must be a number > 0 \(and ≤ 10\), got -1/);
    expect(() => resolveTrainConfig({ ...tcfg, batchSize: 0 })).toThrow(/batchSize must be an integer >= 1, got 0/);
    expect(() => resolveTrainConfig({ ...tcfg, minLr: 1 })).toThrow(/minLr must be/);
    const m = createGpt({ ...cfg, blockSize: 400 });
    expect(() => new Trainer(m, data, tcfg)).toThrow(/blockSize=400 needs at least 401 tokens in the val split/);
    m.dispose();
  });

  const run = async (seed: number, iters = 30): Promise<{ losses: number[]; model: Gpt; t: Trainer }> => {
    const model = createGpt(cfg, { seed: 1 });
    const t = new Trainer(model, data, { ...tcfg, seed, maxIters: iters });
    const r = await t.run();
    return { losses: r.losses, model, t };
  };

  it("learns, and the same seed gives the same losses", async () => {
    const a = await run(5);
    const b = await run(5);
    const c = await run(6);
    expect(b.losses).toEqual(a.losses);
    expect(c.losses).not.toEqual(a.losses);
    expect(a.losses[0]).toBeGreaterThan(Math.log(cfg.vocabSize) - 0.3);
    expect(a.losses[29]).toBeLessThan(a.losses[0] - 0.3);
    expect(a.t.evals.map((e) => e.step)).toEqual([0, 10, 20, 30]);
    for (const x of [a, b, c]) {
      x.t.dispose();
      x.model.dispose();
    }
  });

  it("keeps tf.memory().numTensors flat over 100 steps (with dropout)", async () => {
    const model = createGpt({ ...cfg, dropout: 0.1 }, { seed: 1 });
    const t = new Trainer(model, data, { ...tcfg, maxIters: 110, evalInterval: 50 });
    await t.run({ until: 10 });
    const before = tf.memory().numTensors;
    await t.run({ until: 110 });
    expect(tf.memory().numTensors).toBe(before);
    t.dispose();
    model.dispose();
  });

  it("stops on a NaN loss, names the step and keeps the last good weights", async () => {
    const model = createGpt(cfg, { seed: 1 });
    const t = new Trainer(model, data, tcfg);
    await t.run({ until: 4 });
    const good = Array.from(model.param("transformer.wte.weight").dataSync());
    const realLoss = model.loss.bind(model);
    model.loss = (...args: Parameters<Gpt["loss"]>) => tf.tidy(() => tf.mul(realLoss(...args), NaN) as tf.Scalar);
    const r = await t.run();
    expect(r.reason).toBe("nan");
    expect(r.message).toMatch(/loss became NaN\/Inf at step 5; .*kept the weights of step 4/);
    expect(Array.from(model.param("transformer.wte.weight").dataSync())).toEqual(good);
    t.dispose();
    model.dispose();
  });

  it("an aborted signal ends the run after the current step with a usable model", async () => {
    const model = createGpt(cfg, { seed: 1 });
    const t = new Trainer(model, data, tcfg);
    const stop = new AbortController();
    const r = await t.run({
      signal: stop.signal,
      onStep: (s) => {
        if (s.step === 7) stop.abort();
      },
    });
    expect(r.reason).toBe("stopped");
    expect(r.step).toBe(7);
    expect(r.message).toMatch(/stopped at step 7/);
    expect(Number.isFinite(model.loss(data.val.slice(0, 16), data.val.slice(1, 17), 1, 16).dataSync()[0])).toBe(true);
    t.dispose();
    model.dispose();
  });

  it("a signal aborted before the run trains no step, and the checkpoint callback still runs", async () => {
    const model = createGpt(cfg, { seed: 1 });
    const t = new Trainer(model, data, tcfg);
    let saved = 0;
    const r = await t.run({
      signal: AbortSignal.abort(),
      onCheckpoint: () => {
        saved++;
      },
    });
    expect(r.reason).toBe("stopped");
    expect(r.step).toBe(0);
    expect(saved).toBe(1);
    t.dispose();
    model.dispose();
  });

  it("trainWithProgress stops on its signal, and on the interrupt signal", async () => {
    const model = createGpt(cfg, { seed: 1 });
    const t = new Trainer(model, data, tcfg);
    const r = await trainWithProgress(t, { chart: false, signal: AbortSignal.abort() });
    expect(r.reason).toBe("stopped");
    expect(r.step).toBe(0);
    t.dispose();
    model.dispose();

    const before = process.listenerCount("SIGINT");
    const stop = interruptSignal();
    expect(stop.signal.aborted).toBe(false);
    expect(process.listenerCount("SIGINT")).toBe(before + 1);
    const onInt = process.listeners("SIGINT").at(-1) as () => void;
    onInt();
    expect(stop.signal.aborted).toBe(true);
    stop.release();
    expect(process.listenerCount("SIGINT")).toBe(before);
  });
});

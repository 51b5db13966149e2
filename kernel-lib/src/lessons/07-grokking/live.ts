/**
 * The chart layer of a grokking run: train and validation accuracy on a log-step axis, drawn live
 * while `trainGrok` runs, with a progress bar; the notebook's Interrupt stops the run cleanly.
 */
import { liveChart } from "../../charts/live";
import { progressBar } from "../../charts/progress";
import { safeUi } from "../../gpt/live";
import { interruptSignal } from "../../runtime/interrupt";
import type { ModularSplit } from "../../grokking/data";
import type { ModMlpParams } from "../../grokking/mlp";
import { type GrokModel, type GrokRun, type GrokTrainOptions, trainGrok } from "../../grokking/train";

/** `trainGrok` with a live accuracy chart (log steps) and a progress bar titled `title`. */
export async function trainGrokLive(w: ModMlpParams | GrokModel, split: ModularSplit, o: GrokTrainOptions, title: string): Promise<GrokRun> {
  const chart = liveChart({ series: ["train accuracy", "val accuracy"], title, xTitle: "step (log)", yTitle: "accuracy", logX: true, everyMs: 700 });
  const bar = progressBar(o.steps, title);
  const stop = interruptSignal();
  let last = 0;
  try {
    return await trainGrok(w, split, {
      ...o,
      signal: o.signal ? AbortSignal.any([stop.signal, o.signal]) : stop.signal,
      onEval: (e) => {
        if (e.step >= 1) {
          safeUi(() => chart.push("train accuracy", e.step, e.trainAcc));
          safeUi(() => chart.push("val accuracy", e.step, e.valAcc));
        }
        safeUi(() => bar.tick(e.step - last, { train: e.trainAcc.toFixed(3), val: e.valAcc.toFixed(3), "‖w‖": e.weightNorm.toFixed(1) }));
        last = e.step;
        o.onEval?.(e);
      },
    });
  } finally {
    stop.release();
    safeUi(() => bar.done());
    safeUi(() => chart.done());
  }
}

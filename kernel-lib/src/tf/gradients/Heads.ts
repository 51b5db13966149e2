import * as tf from "@tensorflow/tfjs";
import { HEADS_TO_ROWS, ROWS_TO_HEADS } from "../ops/names";

/** Gradient of `RowsToHeads`: the parts' gradients moved back into rows (`HeadsToRows`). */
export const rowsToHeadsGrad: tf.GradConfig = {
  kernelName: ROWS_TO_HEADS,
  gradFunc: (dy: tf.Tensor | tf.Tensor[], _saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const inputs: tf.NamedTensorMap = {};
    (Array.isArray(dy) ? dy : [dy]).forEach((t, p) => (inputs[`p${p}`] = t));
    return { x: () => tf.engine().runKernel(HEADS_TO_ROWS, inputs, attrs) as tf.Tensor };
  },
};

/** Gradient of `HeadsToRows`: the rows' gradient cut back into heads (`RowsToHeads`). */
export const headsToRowsGrad: tf.GradConfig = {
  kernelName: HEADS_TO_ROWS,
  gradFunc: (dy: tf.Tensor | tf.Tensor[], _saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
    const parts = tf.engine().runKernel(ROWS_TO_HEADS, { x: dy as tf.Tensor }, attrs) as unknown as tf.Tensor[];
    const out: Record<string, () => tf.Tensor> = {};
    parts.forEach((g, p) => (out[`p${p}`] = () => g));
    return out;
  },
};

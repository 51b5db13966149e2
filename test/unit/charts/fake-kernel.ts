// Pretend to be inside tslab: capture what would be sent to the front end as display_data.
import { resetPlotlyState } from "../../../kernel-lib/src/charts/show";
import { tslabJupyter } from "../../../kernel-lib/src/internals/tslab";

const jupyter = tslabJupyter() as unknown as { lastWriteDisplayData: unknown };

export interface Sent {
  data: Record<string, unknown>;
  displayId?: string;
  update: boolean;
}

/** Runs `fn` as in a fresh kernel (plotly.js not yet sent: any earlier test's kernel was another one). */
export function withFakeKernel<T>(fn: (sent: Sent[]) => T): T {
  resetPlotlyState();
  const sent: Sent[] = [];
  const before = jupyter.lastWriteDisplayData;
  jupyter.lastWriteDisplayData = (msg: { data: Record<string, unknown>; transient: { display_id?: string } }, update: boolean) => {
    sent.push({ data: msg.data, displayId: msg.transient.display_id, update });
  };
  try {
    return fn(sent);
  } finally {
    jupyter.lastWriteDisplayData = before;
  }
}

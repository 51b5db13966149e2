/**
 * An AbortSignal that aborts on Ctrl-C / the notebook's interrupt (SIGINT), so a training loop ends
 * between two steps with a usable model. Call `release()` when done.
 */
export function interruptSignal(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onInt = () => controller.abort();
  process.on("SIGINT", onInt);
  return { signal: controller.signal, release: () => process.removeListener("SIGINT", onInt) };
}

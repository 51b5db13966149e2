/** How the backend resolver, the WebGPU probe and the BLAS loader read a failed `require`. */

/** The first line of an error's message (Node appends the require stack below it). */
export function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0].trim();
}

/** Whether `e` says that the package `pkg` itself is not installed (not one of its own imports). */
export function isMissing(e: unknown, pkg: string): boolean {
  const err = e as { code?: string; message?: string };
  return err?.code === "MODULE_NOT_FOUND" && (err.message ?? "").includes(`'${pkg}'`);
}

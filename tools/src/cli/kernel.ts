/** `llm-lessons kernel install [--user]`: write the kernelspec (project-local, optionally per-user too). */
import { KERNEL_DISPLAY_NAME, installKernel } from "../runner/kernelspec";

/** Install and report where; returns the exit code. */
export function kernelInstallCommand(options: { user?: boolean; quiet?: boolean }): number {
  const r = installKernel({ user: options.user });
  if (!options.quiet || r.userDir) {
    process.stdout.write(`Installed the "${KERNEL_DISPLAY_NAME}" kernel in ${r.projectDir}\n`);
  }
  if (r.userDir) {
    process.stdout.write(
      `Also installed it for your user in ${r.userDir}\n` + `(VS Code and any Jupyter started outside \`npm start\` now list "${KERNEL_DISPLAY_NAME}").\n`,
    );
  } else if (!options.quiet) {
    process.stdout.write("`npm start` uses it; for VS Code run `npx llm-lessons kernel install --user`.\n");
  }
  return 0;
}

/**
 * Notebook parameters. Each lesson's `parameters` cell declares its hyperparameters, e.g.
 *
 *     let mode = "workshop";           // "fast" | "workshop" | "full"
 *     let nLayer: number | null = null; // blocks; null = the mode's preset
 *
 * and the next cell resolves them: a value set explicitly (in the cell or with `-p` on the
 * command line) always wins; `null` takes the preset of the chosen mode.
 */
export const MODES = ["fast", "workshop", "full"] as const;
export type Mode = (typeof MODES)[number];

export type Presets<P> = Record<Mode, P>;
export type Given<P> = { [K in keyof P]?: P[K] | null | undefined };

export interface ResolveOptions {
  /** Print one line with the resolved values (default true). */
  print?: boolean;
}

export function assertMode(mode: unknown): Mode {
  if (typeof mode !== "string" || !(MODES as readonly string[]).includes(mode)) {
    throw new RangeError(`mode must be one of ${MODES.map((m) => `"${m}"`).join(", ")}, got ${JSON.stringify(mode)}`);
  }
  return mode as Mode;
}

/** Fill every unset parameter from the preset of `mode`; explicit values win. */
export function resolveParams<P extends object>(
  mode: unknown,
  given: Given<P>,
  presets: Presets<P>,
  options: ResolveOptions = {},
): P & { mode: Mode } {
  const m = assertMode(mode);
  const preset = presets[m];
  const known = new Set(Object.keys(preset));
  for (const key of Object.keys(given)) {
    if (!known.has(key)) {
      throw new RangeError(`unknown parameter "${key}"; known parameters: ${[...known].join(", ")}`);
    }
  }
  const out: Record<string, unknown> = { mode: m };
  const parts: string[] = [];
  for (const key of Object.keys(preset) as (keyof P & string)[]) {
    const value = given[key];
    const explicit = value !== null && value !== undefined;
    out[key] = explicit ? value : preset[key];
    parts.push(`${key}=${JSON.stringify(out[key])}${explicit ? "*" : ""}`);
  }
  if (options.print ?? true) {
    console.log(`mode "${m}": ${parts.join(", ")}   (* = set explicitly, others from the mode)`);
  }
  return out as P & { mode: Mode };
}

/**
 * The names declared in a `parameters` cell source, in order: every `let NAME` / `const NAME` /
 * `var NAME` at the start of a line. Used by the runner to reject unknown `-p` names.
 */
export function parameterNames(cellSource: string): string[] {
  const names: string[] = [];
  const re = /^\s*(?:let|var|const)\s+([A-Za-z_$][\w$]*)/gm;
  let match: RegExpExecArray | null;
  while ((match = re.exec(cellSource)) !== null) names.push(match[1]);
  return names;
}

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

/** What one parameter may be. Every bound is inclusive. */
export interface FieldRule {
  /** "integer" is a number without a fractional part. */
  type?: "number" | "integer" | "string" | "boolean";
  min?: number;
  max?: number;
  /** Must be > 0. */
  positive?: boolean;
  /** The allowed values (compared with ===). */
  oneOf?: readonly unknown[];
  /** May also be null (after the preset is applied). */
  nullable?: boolean;
  /** Any other condition: return what is allowed (e.g. "a path to an existing file"), or null when the value is fine. */
  check?: (value: unknown) => string | null;
}

/** A condition on several parameters, e.g. `nEmbd % nHead === 0`. */
export interface CrossCheck<P> {
  /** The parameters involved (named in the message with their values). */
  fields: readonly (keyof P & string)[];
  /** True when the combination is fine. */
  test: (params: P & { mode: Mode }) => boolean;
  /** What is allowed, e.g. "nEmbd must be a multiple of nHead". */
  message: string;
}

/** Rules for `resolveParams`: per field, and across fields. */
export interface ParamRules<P> {
  fields?: { [K in keyof P]?: FieldRule };
  checks?: readonly CrossCheck<P>[];
}

/** A parameter value that is not allowed; the message names the field, its value and what is allowed. */
export class ParamValueError extends RangeError {
  override name = "ParamValueError";
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly allowed: string,
    message: string,
  ) {
    super(message);
  }
}

function show(v: unknown): string {
  return v === undefined ? "undefined" : JSON.stringify(v);
}

function typeName(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "array" : typeof v;
}

/** What `rule` allows, in words; null when `value` satisfies it. */
export function fieldProblem(value: unknown, rule: FieldRule): string | null {
  if (value === null && rule.nullable) return null;
  const parts: string[] = [];
  if (rule.type === "integer") parts.push("a whole number");
  else if (rule.type) parts.push(`a ${rule.type}`);
  if (rule.positive) parts.push("> 0");
  if (rule.min !== undefined) parts.push(`≥ ${rule.min}`);
  if (rule.max !== undefined) parts.push(`≤ ${rule.max}`);
  const allowed = rule.oneOf ? `one of ${rule.oneOf.map(show).join(", ")}` : parts.join(", ") + (rule.nullable ? ", or null" : "");
  if (rule.oneOf && !rule.oneOf.some((o) => o === value)) return allowed;
  const numeric = rule.type === "number" || rule.type === "integer" || rule.min !== undefined || rule.max !== undefined || rule.positive;
  if (rule.type === "string" && typeof value !== "string") return allowed;
  if (rule.type === "boolean" && typeof value !== "boolean") return allowed;
  if (numeric) {
    if (typeof value !== "number" || !Number.isFinite(value)) return allowed;
    if (rule.type === "integer" && !Number.isInteger(value)) return allowed;
    if (rule.positive && !(value > 0)) return allowed;
    if (rule.min !== undefined && value < rule.min) return allowed;
    if (rule.max !== undefined && value > rule.max) return allowed;
  }
  return rule.check ? rule.check(value) : null;
}

/**
 * Fill every unset parameter from the preset of `mode`; explicit values win. A value given
 * explicitly must have the type of the presets' value (a number where the presets hold numbers);
 * `rules` then checks each resolved value and the cross-field conditions. Every violation throws a
 * ParamValueError naming the field, its value and what is allowed, before any work starts.
 */
export function resolveParams<P extends object>(
  mode: unknown,
  given: Given<P>,
  presets: Presets<P>,
  options: ResolveOptions = {},
  rules: ParamRules<P> = {},
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
  const origin = (explicit: boolean): string => (explicit ? "" : ` (from the "${m}" preset)`);
  for (const key of Object.keys(preset) as (keyof P & string)[]) {
    const value = given[key];
    const explicit = value !== null && value !== undefined;
    if (explicit) {
      const types = new Set(
        MODES.map((mm) => presets[mm]?.[key])
          .filter((v) => v !== null && v !== undefined)
          .map(typeName),
      );
      if (types.size > 0 && !types.has(typeName(value))) {
        const want = [...types].join(" or ");
        throw new ParamValueError(
          key,
          value,
          `a ${want}`,
          `parameter ${key} = ${show(value)} is a ${typeName(value)}; it must be a ${want} (like the presets' ${show(preset[key])})`,
        );
      }
    }
    out[key] = explicit ? value : preset[key];
    const rule = rules.fields?.[key];
    const problem = rule ? fieldProblem(out[key], rule) : null;
    if (problem !== null) {
      throw new ParamValueError(key, out[key], problem, `parameter ${key} = ${show(out[key])}${origin(explicit)} is not allowed: it must be ${problem}`);
    }
    parts.push(`${key}=${JSON.stringify(out[key])}${explicit ? "*" : ""}`);
  }
  const resolved = out as P & { mode: Mode };
  for (const c of rules.checks ?? []) {
    if (!c.test(resolved)) {
      const values = c.fields.map((f) => `${f} = ${show(out[f])}`).join(", ");
      throw new ParamValueError(c.fields[0] ?? "", out[c.fields[0]], c.message, `parameters ${values} are not allowed together: ${c.message}`);
    }
  }
  if (options.print ?? true) {
    console.log(`mode "${m}": ${parts.join(", ")}   (* = set explicitly, others from the mode)`);
  }
  return resolved;
}

/**
 * The names declared in a `parameters` cell source, in order: every `let NAME` / `const NAME` /
 * `var NAME` at the start of a line. Used by the runner to reject unknown `-p` names.
 */
export function parameterNames(cellSource: string): string[] {
  const names: string[] = [];
  const re = /^\s*(?:let|var|const)\s+([A-Za-z_$][\w$]*)/gm;
  for (let match = re.exec(cellSource); match !== null; match = re.exec(cellSource)) names.push(match[1]);
  return names;
}

/** A cross-field check: `field` must be a multiple of `of` (e.g. nEmbd of nHead, so that heads split the width evenly). */
export function multipleOf<P>(field: keyof P & string, of: keyof P & string): CrossCheck<P> {
  return {
    fields: [field, of],
    test: (p) => {
      const a = (p as Record<string, unknown>)[field];
      const b = (p as Record<string, unknown>)[of];
      return typeof a === "number" && typeof b === "number" && b !== 0 && a % b === 0;
    },
    message: `${field} must be a multiple of ${of}`,
  };
}

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
/**
 * What a notebook passes to a declaration: like Given, but a field whose values are some strings
 * (`"cpu" | "gpu"`) takes any string, as the parameters cell declares it (`let shape: string | null`):
 * the declaration checks the value when it resolves.
 */
export type GivenLoose<P> = { [K in keyof P]?: (P[K] extends string ? string : P[K]) | null | undefined };

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
 * Fill every unset parameter from the preset of `mode`; explicit values win. With a declaration
 * (`defineParams`) as third argument, its defaults, rules and checks are used (and `options.context`
 * reaches its computed defaults); otherwise the presets and `rules` given. A value given
 * explicitly must have the type of the presets' value (a number where the presets hold numbers);
 * `rules` then checks each resolved value and the cross-field conditions. Every violation throws a
 * ParamValueError naming the field, its value and what is allowed, before any work starts.
 */
export function resolveParams<P extends object, C>(
  mode: unknown,
  given: GivenLoose<P>,
  declaration: ParamDeclaration<P, C>,
  options?: DeclResolveOptions<C>,
): P & { mode: Mode };
export function resolveParams<P extends object>(
  mode: unknown,
  given: Given<P>,
  presets: Presets<P>,
  options?: ResolveOptions,
  rules?: ParamRules<P>,
): P & { mode: Mode };
export function resolveParams<P extends object>(
  mode: unknown,
  given: Given<P> | GivenLoose<P>,
  table: Presets<P> | ParamDeclaration<P>,
  options: ResolveOptions = {},
  rules: ParamRules<P> = {},
): P & { mode: Mode } {
  if (isParamDeclaration(table)) return (table as ParamDeclaration<P>).resolve(mode, given as GivenLoose<P>, options);
  const presets = table as Presets<P>;
  given = given as Given<P>;
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

// ---------------------------------------------------------------------------------------------
// One declaration per parameter: a lesson declares each parameter once — its type, allowed range,
// default per mode and help text — and everything else is derived from that declaration: the
// presets and rules `resolveParams` applies, the check of one `-p name=value` before a run, and
// the help table `llm-lessons params NOTEBOOK` prints. The notebook's `parameters` cell is the only
// other place a parameter appears (a test checks that the two agree).
// ---------------------------------------------------------------------------------------------

/** What a computed default sees: the mode, the values resolved so far (earlier fields), and the caller's context. */
export interface DefaultContext<C = unknown> {
  mode: Mode;
  /** Values of the fields declared before this one (given explicitly or from their defaults). */
  params: Record<string, unknown>;
  /** What the notebook passed as `context` (e.g. lesson 04's backend); undefined where there is none (the CLI). */
  context: C | undefined;
}

/** A parameter's default: one value for every mode, a value per mode, or computed (see DefaultContext). */
export type ParamDefault<T> = T | { readonly [M in Mode]: T } | ((c: DefaultContext<never>) => T);

/** The declaration of one parameter. */
export interface ParamSpec<T = unknown> extends FieldRule {
  type: "number" | "integer" | "string" | "boolean";
  default: ParamDefault<T>;
  /** One line: what the parameter does. The notebook's comment on the parameter starts with it. */
  help: string;
  /** The default in words, where it is computed (e.g. `"gpu" in full mode on a GPU, else "cpu"`). */
  defaultText?: string;
  /**
   * A per-mode setting that is not a notebook parameter: it has no line in the parameters cell and
   * `-p` cannot set it; the mode alone picks it (it is still checked and listed in the help).
   */
  fixed?: boolean;
}

/** The value type a spec declares: its `oneOf` values, else string/boolean/number; `nullable` adds null. */
export type SpecValue<S> =
  | (S extends { oneOf: readonly (infer U)[] } ? U : S extends { type: "string" } ? string : S extends { type: "boolean" } ? boolean : number)
  | (S extends { nullable: true } ? null : never);

/** The resolved parameters of a declaration (without `mode`). */
export type ParamsOf<D> = { -readonly [K in keyof D]: SpecValue<D[K]> };

/** Options of `defineParams`. */
export interface DefineOptions<P> {
  /** Conditions across several parameters, checked after every field. */
  checks?: readonly CrossCheck<P>[];
}

/** Options of resolving with a declaration. */
export interface DeclResolveOptions<C = unknown> extends ResolveOptions {
  /** Passed to computed defaults (e.g. lesson 04's backend, which picks the model shape). */
  context?: C;
}

const DECL = Symbol.for("llm-lessons.param-declaration");

/** A lesson's parameters, declared once; see `defineParams`. */
export interface ParamDeclaration<P extends object = Record<string, unknown>, C = unknown> {
  readonly [DECL]: true;
  /** Every field's spec, in declaration order. */
  readonly specs: { readonly [K in keyof P]: ParamSpec };
  /** The notebook parameters (the lines of the parameters cell, after `mode`), in order. */
  readonly names: readonly (keyof P & string)[];
  /** The per-mode settings that are not notebook parameters. */
  readonly fixedNames: readonly (keyof P & string)[];
  /** The cross-field checks. */
  readonly checks: readonly CrossCheck<P>[];
  /** The rules `resolveParams` applies, derived from the specs. */
  readonly rules: ParamRules<P>;
  /** The presets of every mode: each field's default, given values (e.g. a model shape) and context applied. */
  presets(options?: { given?: Given<P>; context?: C }): Presets<P>;
  /** Resolve: every unset parameter from its default for `mode`; each value and combination checked. */
  resolve(mode: unknown, given: GivenLoose<P>, options?: DeclResolveOptions<C>): P & { mode: Mode };
  /**
   * Check one value given for `name` (as with `-p name=value`) against its declaration: throws a
   * RangeError for a name that is not a parameter, a ParamValueError naming the field, the value
   * and what is allowed otherwise. `null` (= the mode's default) is always allowed; so is any
   * valid `mode`.
   */
  validate(name: string, value: unknown): void;
  /**
   * Check the values given for a run before it starts: each with `validate`, and every cross-field
   * check whose fields are all given (the others depend on defaults the run picks).
   */
  validateGiven(given: Record<string, unknown>): void;
  /** What `name` may be, in words ("a whole number, ≥ 1, ≤ 24"). */
  allowed(name: keyof P & string): string;
  /** The default of `name` in words: `3`, `fast 2, workshop 4, full 4`, or the spec's defaultText. */
  defaultText(name: keyof P & string): string;
  /** The comment the parameters cell writes after `let name = value;`: the help, then what null means. */
  cellComment(name: keyof P & string, nullInCell: boolean): string;
  /** The help table: name, type, what is allowed, default per mode, help; then the fixed settings. */
  help(title?: string): string;
}

/** True for a value made by `defineParams`. */
export function isParamDeclaration(x: unknown): x is ParamDeclaration<object> {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[DECL] === true;
}

function isPerMode(d: unknown): d is Record<Mode, unknown> {
  return typeof d === "object" && d !== null && !Array.isArray(d) && MODES.every((m) => m in (d as object)) && Object.keys(d).length === MODES.length;
}

/** What a spec allows, in words: its type and range, or its values; for a string with its own check, what the check says of "". */
function allowedText(spec: ParamSpec): string {
  const own = spec.type === "string" && spec.check ? spec.check("") : null;
  if (own !== null) return own;
  const probe = fieldProblem(Symbol("none") as unknown, { ...spec, check: undefined, nullable: false });
  return probe ?? "any value";
}

/** A default value for the help and the cell comments: JSON, small numbers as written in code (2.5e-5, not 0.000025). */
function valueText(v: unknown): string {
  if (typeof v === "number" && v !== 0 && Math.abs(v) < 1e-3) return v.toExponential();
  return v === undefined ? "undefined" : JSON.stringify(v);
}

/**
 * Declare a lesson's parameters once. Each field gives its type, range (`min`, `max`, `positive`,
 * `oneOf`, `check`), default (one value, one per mode, or computed from the mode, the fields before
 * it and a context), and a one-line help; `fixed` marks a per-mode setting that is no notebook
 * parameter. `options.checks` adds conditions across fields (e.g. `multipleOf("nEmbd", "nHead")`).
 *
 *     export const GROK_PARAMS = defineParams({
 *       learningRate: { type: "number", positive: true, max: 1, default: 3e-2, help: "AdamW learning rate" },
 *       steps: { type: "integer", min: 1, default: { fast: 600, workshop: 1600, full: 4000 }, help: "full-batch steps" },
 *     });
 *     const P = resolveParams(mode, { learningRate: learningRate, steps: steps }, GROK_PARAMS);
 */
export function defineParams<const D extends Record<string, ParamSpec>, C = unknown>(
  specs: D,
  options: DefineOptions<ParamsOf<D>> = {},
): ParamDeclaration<ParamsOf<D>, C> {
  type P = ParamsOf<D>;
  type K = keyof P & string;
  const all = Object.keys(specs) as K[];
  for (const name of all) {
    const s = specs[name] as ParamSpec;
    if (!s.help || /\n/.test(s.help)) throw new Error(`parameter ${name}: help must be one line`);
    if (typeof s.default === "function" && !s.defaultText) throw new Error(`parameter ${name}: a computed default needs a defaultText`);
  }
  const checks = options.checks ?? [];
  for (const c of checks) {
    for (const f of c.fields) if (!(f in specs)) throw new Error(`cross-field check "${c.message}" names an undeclared field ${f}`);
  }
  const names = all.filter((n) => !(specs[n] as ParamSpec).fixed);
  const fixedNames = all.filter((n) => (specs[n] as ParamSpec).fixed);
  const fields: Record<string, FieldRule> = {};
  for (const n of all) {
    const { default: _d, help: _h, defaultText: _t, fixed: _f, ...rule } = specs[n] as ParamSpec;
    fields[n] = rule;
  }
  const rules = { fields, checks } as ParamRules<P>;

  const defaultOf = (name: K, mode: Mode, params: Record<string, unknown>, context: C | undefined): unknown => {
    const d = (specs[name] as ParamSpec).default;
    if (typeof d === "function") return (d as (c: DefaultContext<C>) => unknown)({ mode, params, context });
    return isPerMode(d) ? d[mode] : d;
  };
  const presetOf = (mode: Mode, given: Given<P>, context: C | undefined): P => {
    const out: Record<string, unknown> = {};
    const seen: Record<string, unknown> = {}; // what the computed defaults after a field see: its given value, else its default
    for (const n of all) {
      out[n] = defaultOf(n, mode, { ...seen }, context);
      const g = given[n];
      seen[n] = g === null || g === undefined ? out[n] : g;
    }
    return out as P;
  };
  const validate = (name: string, value: unknown): void => {
    if (name === "mode") {
      assertMode(value);
      return;
    }
    if (!names.includes(name as K)) {
      const why = fixedNames.includes(name as K) ? ` (${name} is fixed by the mode)` : "";
      throw new RangeError(`unknown parameter "${name}"${why}; known parameters: ${["mode", ...names].join(", ")}`);
    }
    if (value === null || value === undefined) return;
    const problem = fieldProblem(value, fields[name]);
    if (problem !== null) throw new ParamValueError(name, value, problem, `parameter ${name} = ${show(value)} is not allowed: it must be ${problem}`);
  };
  const defaultText = (name: K): string => {
    const s = specs[name] as ParamSpec;
    if (s.defaultText) return s.defaultText;
    const d = s.default;
    if (isPerMode(d)) {
      const vals = MODES.map((m) => valueText(d[m]));
      return vals.every((v) => v === vals[0]) ? vals[0] : MODES.map((m, i) => `${m} ${vals[i]}`).join(", ");
    }
    return valueText(d);
  };
  const decl: ParamDeclaration<P, C> = {
    [DECL]: true,
    specs: specs as unknown as ParamDeclaration<P, C>["specs"],
    names,
    fixedNames,
    checks,
    rules,
    presets(o = {}) {
      const out = {} as Presets<P>;
      for (const m of MODES) out[m] = presetOf(m, o.given ?? {}, o.context);
      return out;
    },
    resolve(mode, given, o = {}) {
      const m = assertMode(mode);
      for (const key of Object.keys(given)) {
        if (fixedNames.includes(key as K)) throw new RangeError(`parameter "${key}" is fixed by the mode; known parameters: ${names.join(", ")}`);
      }
      const presets = { [m]: presetOf(m, given as Given<P>, o.context) } as unknown as Presets<P>;
      for (const key of Object.keys(given) as K[]) {
        const v = given[key];
        if (v !== null && v !== undefined && fields[key]) {
          const problem = fieldProblem(v, fields[key]);
          if (problem !== null) throw new ParamValueError(key, v, problem, `parameter ${key} = ${show(v)} is not allowed: it must be ${problem}`);
        }
      }
      return resolveParams(m, given as Given<P>, presets, o, rules);
    },
    validate,
    validateGiven(given) {
      for (const [name, value] of Object.entries(given)) validate(name, value);
      for (const c of checks) {
        if (!c.fields.every((f) => given[f] !== null && given[f] !== undefined)) continue;
        if (!c.test(given as unknown as P & { mode: Mode })) {
          const values = c.fields.map((f) => `${f} = ${show(given[f])}`).join(", ");
          throw new ParamValueError(c.fields[0] ?? "", given[c.fields[0]], c.message, `parameters ${values} are not allowed together: ${c.message}`);
        }
      }
    },
    allowed: (name) => allowedText(specs[name] as ParamSpec),
    defaultText,
    cellComment(name, nullInCell) {
      const help = (specs[name] as ParamSpec).help;
      return nullInCell ? `${help}; null = the mode's preset (${defaultText(name)})` : help;
    },
    help(title) {
      const row = (n: K): string[] => {
        const s = specs[n] as ParamSpec;
        return [n, s.type, allowedText(s) + (s.nullable ? ", or null" : ""), defaultText(n), s.help];
      };
      const table = (rows: string[][]): string[] => {
        const head = ["name", "type", "allowed", "default", "help"];
        const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
        const line = (r: string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
        return [line(head), ...rows.map(line)];
      };
      const out: string[] = [];
      if (title) out.push(title, "");
      out.push(
        ...table([
          ["mode", "string", `one of ${MODES.map((m) => `"${m}"`).join(", ")}`, '"workshop"', "picks every default below; a value set explicitly always wins"],
          ...names.map(row),
        ]),
      );
      if (checks.length > 0) out.push("", "together:", ...checks.map((c) => `  ${c.message}`));
      if (fixedNames.length > 0) out.push("", "fixed by the mode (not parameters of the notebook):", ...table(fixedNames.map(row)).map((l) => `  ${l}`));
      out.push("", "null (the default of most) takes the mode's value; set one with -p name=value.");
      return out.join("\n");
    },
  };
  return decl;
}

/** The parameters a declaration resolves to (without `mode`): `DeclaredParams<typeof GPT_PARAMS>`. */
export type DeclaredParams<T> = T extends ParamDeclaration<infer P, infer _C> ? P : never;

/** The parameters of notebooks/00-setup.ipynb, declared once (see defineParams). */
import { type DeclaredParams, defineParams } from "../../runtime/params";

/** A corpus name or a path: not empty. */
export const corpusCheck = (v: unknown): string | null => (v === "" ? `"sotu", "brown" or a path to a text file` : null);

export const SETUP_PARAMS = defineParams({
  seed: { type: "integer", default: 1, help: "random seed of the tensor demo" },
  steps: { type: "integer", min: 1, default: { fast: 40, workshop: 150, full: 600 }, help: "steps of the demo loop" },
  corpus: {
    type: "string",
    check: corpusCheck,
    default: "sotu",
    help: '"sotu", "brown" or a path to your own text file: the text whose statistics we show',
  },
});

/** Parameters of the setup notebook. */
export type SetupParams = DeclaredParams<typeof SETUP_PARAMS>;
/** The setup notebook's presets (derived from SETUP_PARAMS): only the length of the demo loop changes with the mode. */
export const SETUP_PRESETS = SETUP_PARAMS.presets();
/** What each setup parameter may be (derived from SETUP_PARAMS). */
export const SETUP_RULES = SETUP_PARAMS.rules;

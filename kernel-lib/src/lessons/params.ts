/**
 * Every notebook's parameter declaration by notebook name ("04-mini-gpt" for notebooks/04-mini-gpt.ipynb).
 * The command line reads it (`kernel-lib/lessons/params`) to check `-p name=value` and print the
 * help before any kernel starts, so this module and what it imports load no tfjs. Each lesson
 * declares its parameters in its params.ts — lesson 04 in its lesson.ts, beside the model shapes
 * its defaults depend on.
 */
import type { ParamDeclaration } from "../runtime/params";
import { SETUP_PARAMS } from "./00-setup/params";
import { TOKENS_PARAMS } from "./00-tokens/params";
import { NGRAMS_PARAMS } from "./00-ngrams/params";
import { BOW_PARAMS } from "./01-bag-of-words/params";
import { WORD2VEC_PARAMS } from "./02-word2vec/params";
import { ATTENTION_PARAMS } from "./03-attention/params";
import { GPT_PARAMS } from "./04-mini-gpt/lesson";
import { SCALING_PARAMS } from "./05-scaling-laws/params";
import { PT_PARAMS } from "./06-post-training/params";
import { GROK_PARAMS } from "./07-grokking/params";

/** The declaration of each notebook's parameters, by the notebook's name. */
export const LESSON_PARAMS: Readonly<Record<string, ParamDeclaration<object>>> = {
  "00-setup": SETUP_PARAMS,
  "00-tokens": TOKENS_PARAMS,
  "00-ngrams": NGRAMS_PARAMS,
  "01-bag-of-words": BOW_PARAMS,
  "02-word2vec": WORD2VEC_PARAMS,
  "03-attention": ATTENTION_PARAMS,
  "04-mini-gpt": GPT_PARAMS,
  "05-scaling-laws": SCALING_PARAMS,
  "06-post-training": PT_PARAMS,
  "07-grokking": GROK_PARAMS,
} as Readonly<Record<string, ParamDeclaration<object>>>;

/** The declaration for a notebook (a name, or a path such as notebooks/04-mini-gpt.ipynb); undefined for a notebook that has none. */
export function lessonParams(notebook: string): ParamDeclaration<object> | undefined {
  const name = notebook
    .replace(/\\/g, "/")
    .replace(/^.*\//, "")
    .replace(/\.ipynb$/, "");
  return Object.hasOwn(LESSON_PARAMS, name) ? LESSON_PARAMS[name] : undefined;
}

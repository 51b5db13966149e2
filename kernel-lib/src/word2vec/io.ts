/**
 * Save and load vectors in the word2vec text format (word2vec.c's `-binary 0`, gensim's
 * `save_word2vec_format(binary=False)`): a header "vocabSize dim", then one line per word:
 * the word and its dim numbers separated by single spaces. Files written here load in gensim
 * (`KeyedVectors.load_word2vec_format(path)`) and files gensim writes load here.
 */
import * as fs from "node:fs";
import { WordVectors } from "./model";

/** The model in word2vec text format; `digits` decimals per number (default 6, as word2vec.c). */
export function toWord2VecText(model: WordVectors, digits = 6): string {
  const d = model.dim;
  const lines = [`${model.vocab.length} ${d}`];
  for (let i = 0; i < model.vocab.length; i++) {
    const w = model.vocab[i];
    if (/\s/.test(w) || w === "") throw new RangeError(`word "${w}" contains whitespace; the word2vec text format cannot store it`);
    const parts = new Array<string>(d);
    for (let j = 0; j < d; j++) parts[j] = model.vectors[i * d + j].toFixed(digits);
    lines.push(`${w} ${parts.join(" ")}`);
  }
  return lines.join("\n") + "\n";
}

/** Parse word2vec text format; errors name the line. */
export function parseWord2VecText(text: string): WordVectors {
  const lines = text.split(/\r?\n/);
  const header = lines[0]?.trim().split(/\s+/) ?? [];
  const n = Number(header[0]);
  const dim = Number(header[1]);
  if (header.length !== 2 || !Number.isInteger(n) || n < 0 || !Number.isInteger(dim) || dim < 1) {
    throw new RangeError(`word2vec text: line 1 must be "vocabSize dim", got "${lines[0] ?? ""}"`);
  }
  const vocab: string[] = [];
  const vectors = new Float32Array(n * dim);
  let row = 0;
  for (let li = 1; li < lines.length && row < n; li++) {
    const line = lines[li].trimEnd();
    if (line === "") continue;
    const f = line.split(" ");
    if (f.length !== dim + 1) throw new RangeError(`word2vec text: line ${li + 1} has ${f.length - 1} numbers, expected dim = ${dim}`);
    vocab.push(f[0]);
    for (let j = 0; j < dim; j++) {
      const v = Number(f[j + 1]);
      if (!Number.isFinite(v)) throw new RangeError(`word2vec text: line ${li + 1}, value ${j + 1} is "${f[j + 1]}", not a number`);
      vectors[row * dim + j] = v;
    }
    row++;
  }
  if (row !== n) throw new RangeError(`word2vec text: header says ${n} words, found ${row}`);
  return new WordVectors(vocab, dim, vectors);
}

/** Write the model to `path` in word2vec text format. */
export function saveWord2VecText(model: WordVectors, path: string, digits = 6): void {
  fs.writeFileSync(path, toWord2VecText(model, digits), "utf8");
}

/** Load vectors from a word2vec text file (e.g. written by gensim). */
export function loadWord2VecText(path: string): WordVectors {
  if (!fs.existsSync(path)) throw new Error(`word2vec text: file not found: ${path}`);
  return parseWord2VecText(fs.readFileSync(path, "utf8"));
}

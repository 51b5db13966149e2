#!/usr/bin/env python3
"""gensim skip-gram with negative sampling, run as a peer of kernel-lib's trainSkipGram.

Reads a corpus file (one sentence per line, tokens separated by spaces), trains with the given
settings and prints one JSON line: timings (wall and CPU seconds), words per second, and, when
asked, evaluation results on a questions-words file and a word-pair file, plus nearest
neighbours. Optionally writes the vectors in the word2vec text format.

Run with Debian's interpreter: /usr/bin/python3 scripts/peers/gensim_word2vec.py CORPUS [options]
If gensim is missing it prints {"available": false, "reason": ...} and exits 0.
"""
import argparse
import json
import sys
import time


def main() -> int:
    p = argparse.ArgumentParser()
    p.add_argument("corpus")
    p.add_argument("--dim", type=int, default=100)
    p.add_argument("--window", type=int, default=5)
    p.add_argument("--negative", type=int, default=5)
    p.add_argument("--sample", type=float, default=1e-3)
    p.add_argument("--min-count", type=int, default=5)
    p.add_argument("--epochs", type=int, default=1)
    p.add_argument("--alpha", type=float, default=0.025)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--analogies", help="questions-words file")
    p.add_argument("--pairs", help="word-pair similarity file (w1 w2 score)")
    p.add_argument("--neighbours", default="", help="comma-separated words")
    p.add_argument("--save", help="write vectors in word2vec text format here")
    a = p.parse_args()
    try:
        import gensim
        from gensim.models import Word2Vec
    except Exception as e:  # noqa: BLE001
        print(json.dumps({"available": False, "reason": f"gensim not importable: {e}"}))
        return 0
    with open(a.corpus, encoding="utf-8") as f:
        sentences = [line.split() for line in f if line.strip()]
    words = sum(len(s) for s in sentences)
    model = Word2Vec(vector_size=a.dim, window=a.window, negative=a.negative, sample=a.sample,
                     min_count=a.min_count, sg=1, hs=0, workers=a.workers, seed=a.seed,
                     alpha=a.alpha, min_alpha=a.alpha * 1e-4)
    model.build_vocab(sentences)
    w0, c0 = time.perf_counter(), time.process_time()
    # total_words: alpha decays with the words trained, as in word2vec.c and kernel-lib. Given
    # total_examples instead, gensim decays it with the sentences trained; SOTU's sentences get
    # shorter over the years, so that schedule hands out ~15 % more learning rate per word.
    effective, raw = model.train(sentences, total_words=words, epochs=a.epochs)
    wall, cpu = time.perf_counter() - w0, time.process_time() - c0
    kv = model.wv
    out = {
        "available": True, "gensim": gensim.__version__, "wall_s": wall, "cpu_s": cpu,
        "corpus_words": words, "raw_words": raw, "effective_words": effective,
        "words_per_s": raw / wall, "effective_words_per_s": effective / wall,
        "vocab": len(kv.index_to_key),
    }
    if a.analogies:
        score, sections = kv.evaluate_word_analogies(a.analogies, restrict_vocab=300000, case_insensitive=False)
        total = sum(len(s["correct"]) + len(s["incorrect"]) for s in sections if s["section"] != "Total accuracy")
        out["analogy_accuracy"] = score
        out["analogy_questions"] = total
    if a.pairs:
        pearson, spearman, oov = kv.evaluate_word_pairs(a.pairs, delimiter="\t", case_insensitive=False)
        out["pairs_spearman"] = float(spearman[0])
        out["pairs_pearson"] = float(pearson[0])
        out["pairs_oov_percent"] = float(oov)
    if a.neighbours:
        out["neighbours"] = {w: [[n, float(s)] for n, s in kv.most_similar(w, topn=8)]
                             for w in a.neighbours.split(",") if w in kv.key_to_index}
    if a.save:
        kv.save_word2vec_format(a.save, binary=False)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())

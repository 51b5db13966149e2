;; The SGNS inner loop (fast-loop.ts) in WebAssembly: one call trains one subsampled sentence, with
;; the vector arithmetic four float32 lanes at a time (f32x4).
;;
;; `trainSentence` does what fast-loop.ts's JavaScript loop does for one sentence, in the same
;; order and with the same random stream: for each word, shrink the window (one draw), and for
;; each context word in it predict the word (label 1) and `negative` words drawn from the
;; unigram^0.75 alias tables (label 0; a draw of the word itself is skipped), σ and the loss from
;; the tables, then add the summed gradient to the context word's input vector. Running the whole
;; sentence here, rather than one call per vector operation, saves the crossings between
;; JavaScript and WebAssembly (≈ 13 per pair) and lets a context word's predictions be reordered
;; where that changes no result (see `trainSentence`).
;;
;; Every pointer is a byte offset into the one shared memory (setup.ts lays it out): the matrices
;; syn0 (input vectors) and syn1 (output vectors), the alias tables, the σ and -log σ tables, and
;; each thread's own scratch (the gradient `neu`, the lists `rows` and `gs`, the sentence). `n` is a vector length in
;; floats, a multiple of 4. A row of n floats starting at `p` ends at p + 4·n.
;;
;; Compiled to simd.wasm by scripts/build-wasm.cjs; loaded by simd.ts.
(module
  ;; The memory is the caller's (setup.ts), shared with the worker threads (Hogwild).
  (import "env" "memory" (memory 1 65536 shared))

  ;; Set once per instance (each worker thread has its own) by `configure`.
  (global $syn0 (mut i32) (i32.const 0))      ;; first row of the input vectors
  (global $syn1 (mut i32) (i32.const 0))      ;; first row of the output vectors
  (global $prob (mut i32) (i32.const 0))      ;; alias tables: f32 keep-probability per slot
  (global $alias (mut i32) (i32.const 0))     ;;   and i32 alias per slot
  (global $nAlias (mut f64) (f64.const 0))    ;; number of slots (the vocabulary size)
  (global $sigmoid (mut i32) (i32.const 0))   ;; f32 σ(x) on EXP_TABLE_SIZE points of [-MAX_EXP, MAX_EXP)
  (global $lossTable (mut i32) (i32.const 0)) ;; f32 -log σ(x) on the same points
  (global $tableLast (mut i32) (i32.const 0)) ;; EXP_TABLE_SIZE - 1
  (global $maxExp (mut f64) (f64.const 0))    ;; MAX_EXP
  (global $expScale (mut f64) (f64.const 0))  ;; EXP_TABLE_SIZE / MAX_EXP / 2
  (global $neu (mut i32) (i32.const 0))       ;; this thread's gradient scratch (dim floats, zero)
  (global $rows (mut i32) (i32.const 0))      ;; this thread's list of a context's output rows (i32 each)
  (global $gs (mut i32) (i32.const 0))        ;;   and of their gradient scales (f32x4 each, g in all lanes)
  (global $dim (mut i32) (i32.const 0))       ;; floats per row
  (global $rowBytes (mut i32) (i32.const 0))  ;; bytes per row
  (global $window (mut i32) (i32.const 0))
  (global $negative (mut i32) (i32.const 0))

  ;; What `trainSentence` adds up until `takeLoss`: the summed loss and the number of predictions.
  (global $lossSum (mut f64) (f64.const 0))
  (global $lossN (mut f64) (f64.const 0))

  (func (export "configure")
    (param $syn0 i32) (param $syn1 i32) (param $prob i32) (param $alias i32) (param $nAlias i32)
    (param $sigmoid i32) (param $lossTable i32) (param $tableSize i32) (param $maxExp f64)
    (param $neu i32) (param $rows i32) (param $gs i32) (param $dim i32) (param $window i32) (param $negative i32)
    (global.set $syn0 (local.get $syn0))
    (global.set $syn1 (local.get $syn1))
    (global.set $prob (local.get $prob))
    (global.set $alias (local.get $alias))
    (global.set $nAlias (f64.convert_i32_u (local.get $nAlias)))
    (global.set $sigmoid (local.get $sigmoid))
    (global.set $lossTable (local.get $lossTable))
    (global.set $tableLast (i32.sub (local.get $tableSize) (i32.const 1)))
    (global.set $maxExp (local.get $maxExp))
    ;; the same double as JavaScript's EXP_TABLE_SIZE / MAX_EXP / 2
    (global.set $expScale
      (f64.div (f64.div (f64.convert_i32_u (local.get $tableSize)) (local.get $maxExp)) (f64.const 2)))
    (global.set $neu (local.get $neu))
    (global.set $rows (local.get $rows))
    (global.set $gs (local.get $gs))
    (global.set $dim (local.get $dim))
    (global.set $rowBytes (i32.shl (local.get $dim) (i32.const 2)))
    (global.set $window (local.get $window))
    (global.set $negative (local.get $negative)))

  ;; The summed loss since the last call (and the count of predictions in `lossCount`), then zero.
  (func (export "takeLoss") (result f64)
    (local $s f64)
    (local.set $s (global.get $lossSum))
    (global.set $lossSum (f64.const 0))
    (local.get $s))
  (func (export "takeLossCount") (result f64)
    (local $s f64)
    (local.set $s (global.get $lossN))
    (global.set $lossN (f64.const 0))
    (local.get $s))

  ;; syn0[in] · syn1[out] over n floats: four accumulators of four lanes over 16 floats a step, so
  ;; that the additions of one step do not wait on each other; then 4 floats a step for the rest.
  (func $dot (export "dot") (param $in i32) (param $out i32) (param $n i32) (result f32)
    (local $end i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $end (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 2))))
    (block $done16
      (loop $next16
        (br_if $done16 (i32.lt_u (i32.sub (local.get $end) (local.get $in)) (i32.const 64)))
        (local.set $a0 (f32x4.add (local.get $a0)
          (f32x4.mul (v128.load align=4 (local.get $in)) (v128.load align=4 (local.get $out)))))
        (local.set $a1 (f32x4.add (local.get $a1)
          (f32x4.mul (v128.load offset=16 align=4 (local.get $in)) (v128.load offset=16 align=4 (local.get $out)))))
        (local.set $a2 (f32x4.add (local.get $a2)
          (f32x4.mul (v128.load offset=32 align=4 (local.get $in)) (v128.load offset=32 align=4 (local.get $out)))))
        (local.set $a3 (f32x4.add (local.get $a3)
          (f32x4.mul (v128.load offset=48 align=4 (local.get $in)) (v128.load offset=48 align=4 (local.get $out)))))
        (local.set $in (i32.add (local.get $in) (i32.const 64)))
        (local.set $out (i32.add (local.get $out) (i32.const 64)))
        (br $next16)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
        (local.set $a0 (f32x4.add (local.get $a0)
          (f32x4.mul (v128.load align=4 (local.get $in)) (v128.load align=4 (local.get $out)))))
        (local.set $in (i32.add (local.get $in) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $next)))
    ;; the accumulators' sum, then its lanes' sum, left to right
    (local.set $a0 (f32x4.add (f32x4.add (local.get $a0) (local.get $a1)) (f32x4.add (local.get $a2) (local.get $a3))))
    (f32.add
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $a0)) (f32x4.extract_lane 1 (local.get $a0)))
        (f32x4.extract_lane 2 (local.get $a0)))
      (f32x4.extract_lane 3 (local.get $a0))))

  ;; One prediction's update, with gradient scale g:
  ;;   neu += g · syn1[out]          (the input vector's gradient, accumulated)
  ;;   syn1[out] += g · syn0[in]     (uses syn1[out] from before this update)
  ;; 8 floats a step, then 4 for the rest.
  (func $update (export "update") (param $in i32) (param $out i32) (param $neu i32) (param $n i32) (param $g f32)
    (local $end i32)
    (local $g4 v128)  ;; g in all four lanes
    (local $old v128) ;; syn1[out] before the update
    (local $old2 v128)
    (local.set $g4 (f32x4.splat (local.get $g)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done8
      (loop $next8
        (br_if $done8 (i32.lt_u (i32.sub (local.get $end) (local.get $out)) (i32.const 32)))
        (local.set $old (v128.load align=4 (local.get $out)))
        (local.set $old2 (v128.load offset=16 align=4 (local.get $out)))
        ;; neu += g · old
        (v128.store align=4 (local.get $neu)
          (f32x4.add (v128.load align=4 (local.get $neu)) (f32x4.mul (local.get $g4) (local.get $old))))
        (v128.store offset=16 align=4 (local.get $neu)
          (f32x4.add (v128.load offset=16 align=4 (local.get $neu)) (f32x4.mul (local.get $g4) (local.get $old2))))
        ;; syn1[out] = old + g · syn0[in]
        (v128.store align=4 (local.get $out)
          (f32x4.add (local.get $old) (f32x4.mul (local.get $g4) (v128.load align=4 (local.get $in)))))
        (v128.store offset=16 align=4 (local.get $out)
          (f32x4.add (local.get $old2) (f32x4.mul (local.get $g4) (v128.load offset=16 align=4 (local.get $in)))))
        (local.set $in (i32.add (local.get $in) (i32.const 32)))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (local.set $neu (i32.add (local.get $neu) (i32.const 32)))
        (br $next8)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $old (v128.load align=4 (local.get $out)))
        (v128.store align=4 (local.get $neu)
          (f32x4.add (v128.load align=4 (local.get $neu)) (f32x4.mul (local.get $g4) (local.get $old))))
        (v128.store align=4 (local.get $out)
          (f32x4.add (local.get $old) (f32x4.mul (local.get $g4) (v128.load align=4 (local.get $in)))))
        (local.set $in (i32.add (local.get $in) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $neu (i32.add (local.get $neu) (i32.const 16)))
        (br $next))))

  ;; syn0[in] += neu; neu = 0 (the input vector is updated once all its predictions are done).
  (func $addClear (export "addClear") (param $in i32) (param $neu i32) (param $n i32)
    (local $end i32)
    (local $zero v128) ;; locals start at zero
    (local.set $end (i32.add (local.get $neu) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $neu) (local.get $end)))
        (v128.store align=4 (local.get $in)
          (f32x4.add (v128.load align=4 (local.get $in)) (v128.load align=4 (local.get $neu))))
        (v128.store align=4 (local.get $neu) (local.get $zero))
        (local.set $in (i32.add (local.get $in) (i32.const 16)))
        (local.set $neu (i32.add (local.get $neu) (i32.const 16)))
        (br $next))))

  ;; One prediction: input row `in` (syn0) against output row `out` (syn1) with label 1 or 0, at
  ;; learning rate alpha. Returns the gradient scale g: σ from the table (0 or 1 beyond ±MAX_EXP);
  ;; adds the loss -log σ(±f) from the loss table (the mirrored index for a negative).
  (func $gradient (param $in i32) (param $out i32) (param $label f64) (param $alpha f64) (result f64)
    (local $f f64)
    (local $g f64)
    (local $idx i32)
    (local.set $f (f64.promote_f32 (call $dot (local.get $in) (local.get $out) (global.get $dim))))
    (global.set $lossN (f64.add (global.get $lossN) (f64.const 1)))
    (if (f64.ge (local.get $f) (global.get $maxExp))
      (then
        (if (f64.eq (local.get $label) (f64.const 0))
          (then (global.set $lossSum (f64.add (global.get $lossSum) (local.get $f)))))
        (return (f64.mul (f64.sub (local.get $label) (f64.const 1)) (local.get $alpha)))))
    (if (f64.le (local.get $f) (f64.neg (global.get $maxExp)))
      (then
        (if (f64.eq (local.get $label) (f64.const 1))
          (then (global.set $lossSum (f64.sub (global.get $lossSum) (local.get $f)))))
        (return (f64.mul (local.get $label) (local.get $alpha)))))
    (local.set $idx
      (i32.trunc_f64_s (f64.mul (f64.add (local.get $f) (global.get $maxExp)) (global.get $expScale))))
    (local.set $g
      (f64.mul
        (f64.sub (local.get $label)
          (f64.promote_f32 (f32.load (i32.add (global.get $sigmoid) (i32.shl (local.get $idx) (i32.const 2))))))
        (local.get $alpha)))
    ;; -log σ(f) for the positive, -log σ(-f) for a negative (mirror index)
    (if (f64.eq (local.get $label) (f64.const 0))
      (then (local.set $idx (i32.sub (global.get $tableLast) (local.get $idx)))))
    (global.set $lossSum
      (f64.add (global.get $lossSum)
        (f64.promote_f32 (f32.load (i32.add (global.get $lossTable) (i32.shl (local.get $idx) (i32.const 2)))))))
    (local.get $g))

  ;; The updates of one context word's predictions in one pass over the row, for the m output rows
  ;; in the `rows` list with their scales in `gs` (rows all different):
  ;;   for each output row o, in list order:  neu += g·o;  o += g·syn0[in]
  ;;   then syn0[in] += neu
  ;; — `update` for each row then `addClear`, the same arithmetic in the same order, but with the
  ;; gradient kept in registers 16 floats at a time and syn0[in] read once.
  (func $updateRows (param $in i32) (param $m i32)
    (local $k i32)    ;; byte offset within the rows
    (local $left i32) ;; bytes left
    (local $e i32)    ;; list position (bytes into `rows`)
    (local $end i32)  ;; end of the list
    (local $out i32)
    (local $g v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) ;; syn0[in] before the update
    (local $n0 v128) (local $n1 v128) (local $n2 v128) (local $n3 v128) ;; its gradient
    (local $o v128)
    (local.set $left (global.get $rowBytes))
    (local.set $end (i32.add (global.get $rows) (i32.shl (local.get $m) (i32.const 2))))
    ;; 16 floats a step
    (block $done16
      (loop $next16
        (br_if $done16 (i32.lt_u (local.get $left) (i32.const 64)))
        (local.set $s0 (v128.load align=4 (i32.add (local.get $in) (local.get $k))))
        (local.set $s1 (v128.load offset=16 align=4 (i32.add (local.get $in) (local.get $k))))
        (local.set $s2 (v128.load offset=32 align=4 (i32.add (local.get $in) (local.get $k))))
        (local.set $s3 (v128.load offset=48 align=4 (i32.add (local.get $in) (local.get $k))))
        (local.set $n0 (v128.const i32x4 0 0 0 0))
        (local.set $n1 (v128.const i32x4 0 0 0 0))
        (local.set $n2 (v128.const i32x4 0 0 0 0))
        (local.set $n3 (v128.const i32x4 0 0 0 0))
        (local.set $e (global.get $rows))
        (block $rowsDone
          (loop $nextRow
            (br_if $rowsDone (i32.ge_u (local.get $e) (local.get $end)))
            (local.set $out (i32.add (i32.load (local.get $e)) (local.get $k)))
            (local.set $g
              (v128.load (i32.add (global.get $gs) (i32.shl (i32.sub (local.get $e) (global.get $rows)) (i32.const 2)))))
            (local.set $o (v128.load align=4 (local.get $out)))
            (local.set $n0 (f32x4.add (local.get $n0) (f32x4.mul (local.get $g) (local.get $o))))
            (v128.store align=4 (local.get $out) (f32x4.add (local.get $o) (f32x4.mul (local.get $g) (local.get $s0))))
            (local.set $o (v128.load offset=16 align=4 (local.get $out)))
            (local.set $n1 (f32x4.add (local.get $n1) (f32x4.mul (local.get $g) (local.get $o))))
            (v128.store offset=16 align=4 (local.get $out) (f32x4.add (local.get $o) (f32x4.mul (local.get $g) (local.get $s1))))
            (local.set $o (v128.load offset=32 align=4 (local.get $out)))
            (local.set $n2 (f32x4.add (local.get $n2) (f32x4.mul (local.get $g) (local.get $o))))
            (v128.store offset=32 align=4 (local.get $out) (f32x4.add (local.get $o) (f32x4.mul (local.get $g) (local.get $s2))))
            (local.set $o (v128.load offset=48 align=4 (local.get $out)))
            (local.set $n3 (f32x4.add (local.get $n3) (f32x4.mul (local.get $g) (local.get $o))))
            (v128.store offset=48 align=4 (local.get $out) (f32x4.add (local.get $o) (f32x4.mul (local.get $g) (local.get $s3))))
            (local.set $e (i32.add (local.get $e) (i32.const 4)))
            (br $nextRow)))
        (v128.store align=4 (i32.add (local.get $in) (local.get $k)) (f32x4.add (local.get $s0) (local.get $n0)))
        (v128.store offset=16 align=4 (i32.add (local.get $in) (local.get $k)) (f32x4.add (local.get $s1) (local.get $n1)))
        (v128.store offset=32 align=4 (i32.add (local.get $in) (local.get $k)) (f32x4.add (local.get $s2) (local.get $n2)))
        (v128.store offset=48 align=4 (i32.add (local.get $in) (local.get $k)) (f32x4.add (local.get $s3) (local.get $n3)))
        (local.set $k (i32.add (local.get $k) (i32.const 64)))
        (local.set $left (i32.sub (local.get $left) (i32.const 64)))
        (br $next16)))
    ;; then 4 floats a step
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $left)))
        (local.set $s0 (v128.load align=4 (i32.add (local.get $in) (local.get $k))))
        (local.set $n0 (v128.const i32x4 0 0 0 0))
        (local.set $e (global.get $rows))
        (block $rowsDone
          (loop $nextRow
            (br_if $rowsDone (i32.ge_u (local.get $e) (local.get $end)))
            (local.set $out (i32.add (i32.load (local.get $e)) (local.get $k)))
            (local.set $g
              (v128.load (i32.add (global.get $gs) (i32.shl (i32.sub (local.get $e) (global.get $rows)) (i32.const 2)))))
            (local.set $o (v128.load align=4 (local.get $out)))
            (local.set $n0 (f32x4.add (local.get $n0) (f32x4.mul (local.get $g) (local.get $o))))
            (v128.store align=4 (local.get $out) (f32x4.add (local.get $o) (f32x4.mul (local.get $g) (local.get $s0))))
            (local.set $e (i32.add (local.get $e) (i32.const 4)))
            (br $nextRow)))
        (v128.store align=4 (i32.add (local.get $in) (local.get $k)) (f32x4.add (local.get $s0) (local.get $n0)))
        (local.set $k (i32.add (local.get $k) (i32.const 16)))
        (local.set $left (i32.sub (local.get $left) (i32.const 16)))
        (br $next))))

  ;; The next state of the 32-bit linear congruential generator (Numerical Recipes constants).
  (func $nextRandom (param $r i32) (result i32)
    (i32.add (i32.mul (local.get $r) (i32.const 1664525)) (i32.const 1013904223)))

  ;; Train on the n word ids at `sent` (a subsampled sentence) at learning rate alpha, starting the
  ;; random stream at state r; returns the state to continue from.
  ;;
  ;; For each context word the output rows are listed first (the word's, then each negative's), and
  ;; their predictions run after the draws: the draws do not depend on the vectors, so the random
  ;; stream is the one word2vec.c's order gives. When the rows are all different the dot products
  ;; of the list do not depend on each other's updates either, so all dot products come first
  ;; (their cache misses overlap) and the updates follow in one pass (`updateRows`). A negative
  ;; drawn twice needs the first update before the second dot product: then the predictions run
  ;; one at a time (`gradient`, `update`, then `addClear`), as word2vec.c runs them.
  (func (export "trainSentence") (param $sent i32) (param $n i32) (param $alpha f64) (param $r i32) (result i32)
    (local $i i32)
    (local $word i32)    ;; the word predicted (label 1)
    (local $b i32)       ;; the window shrinks by b: uniform in 0 … window-1
    (local $c i32)       ;; the context position
    (local $hi i32)
    (local $l1 i32)      ;; the context word's input row
    (local $d i32)       ;; negatives left to draw
    (local $u f64)       ;; a uniform draw in [0, nAlias)
    (local $t i32)       ;; the negative drawn
    (local $row i32)     ;; its output row
    (local $listEnd i32) ;; end of the `rows` list
    (local $e i32)       ;; a position in the list
    (local $kept i32)    ;; end of the rows kept for `updateRows` (those with g ≠ 0)
    (local $twice i32)   ;; 1 when a row is listed twice
    (local $g f64)
    (block $sentenceDone
      (loop $nextWord
        (br_if $sentenceDone (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $word (i32.load (i32.add (local.get $sent) (i32.shl (local.get $i) (i32.const 2)))))
        ;; b = floor(r / 2^32 · window) (exact, as JavaScript's double arithmetic gives it)
        (local.set $r (call $nextRandom (local.get $r)))
        (local.set $b
          (i32.wrap_i64
            (i64.shr_u
              (i64.mul (i64.extend_i32_u (local.get $r)) (i64.extend_i32_u (global.get $window)))
              (i64.const 32))))
        ;; context positions max(0, i - window + b) … min(n - 1, i + window - b)
        (local.set $c (i32.add (i32.sub (local.get $i) (global.get $window)) (local.get $b)))
        (if (i32.lt_s (local.get $c) (i32.const 0)) (then (local.set $c (i32.const 0))))
        (local.set $hi (i32.sub (i32.add (local.get $i) (global.get $window)) (local.get $b)))
        (if (i32.ge_s (local.get $hi) (local.get $n)) (then (local.set $hi (i32.sub (local.get $n) (i32.const 1)))))
        (block $contextsDone
          (loop $nextContext
            (br_if $contextsDone (i32.gt_s (local.get $c) (local.get $hi)))
            (if (i32.ne (local.get $c) (local.get $i))
              (then
                (local.set $l1
                  (i32.add (global.get $syn0)
                    (i32.mul
                      (i32.load (i32.add (local.get $sent) (i32.shl (local.get $c) (i32.const 2))))
                      (global.get $rowBytes))))
                ;; the list: the word itself (label 1), then the negatives (label 0)
                (i32.store (global.get $rows)
                  (i32.add (global.get $syn1) (i32.mul (local.get $word) (global.get $rowBytes))))
                (local.set $listEnd (i32.add (global.get $rows) (i32.const 4)))
                (local.set $twice (i32.const 0))
                (local.set $d (global.get $negative))
                (block $negativesDone
                  (loop $nextNegative
                    (br_if $negativesDone (i32.le_s (local.get $d) (i32.const 0)))
                    (local.set $d (i32.sub (local.get $d) (i32.const 1)))
                    (local.set $r (call $nextRandom (local.get $r)))
                    ;; u = r / 2^32 · nAlias; slot t = floor(u) keeps t with probability prob[t], else alias[t]
                    (local.set $u
                      (f64.mul
                        (f64.mul (f64.convert_i32_u (local.get $r)) (f64.const 0x1p-32))
                        (global.get $nAlias)))
                    (local.set $t (i32.trunc_f64_u (local.get $u)))
                    (if (f64.ge
                          (f64.sub (local.get $u) (f64.convert_i32_u (local.get $t)))
                          (f64.promote_f32 (f32.load (i32.add (global.get $prob) (i32.shl (local.get $t) (i32.const 2))))))
                      (then
                        (local.set $t (i32.load (i32.add (global.get $alias) (i32.shl (local.get $t) (i32.const 2)))))))
                    ;; a draw of the word itself is skipped
                    (if (i32.ne (local.get $t) (local.get $word))
                      (then
                        (local.set $row (i32.add (global.get $syn1) (i32.mul (local.get $t) (global.get $rowBytes))))
                        ;; listed already? (the word's own row cannot be: it is never drawn)
                        (local.set $e (i32.add (global.get $rows) (i32.const 4)))
                        (block $checked
                          (loop $check
                            (br_if $checked (i32.ge_u (local.get $e) (local.get $listEnd)))
                            (if (i32.eq (i32.load (local.get $e)) (local.get $row))
                              (then (local.set $twice (i32.const 1))))
                            (local.set $e (i32.add (local.get $e) (i32.const 4)))
                            (br $check)))
                        (i32.store (local.get $listEnd) (local.get $row))
                        (local.set $listEnd (i32.add (local.get $listEnd) (i32.const 4)))))
                    (br $nextNegative)))
                (local.set $e (global.get $rows))
                (if (local.get $twice)
                  (then
                    ;; one prediction at a time: gradient, update, then the input row
                    (block $oneDone
                      (loop $one
                        (br_if $oneDone (i32.ge_u (local.get $e) (local.get $listEnd)))
                        (local.set $row (i32.load (local.get $e)))
                        (local.set $g
                          (call $gradient (local.get $l1) (local.get $row)
                            (select (f64.const 1) (f64.const 0) (i32.eq (local.get $e) (global.get $rows)))
                            (local.get $alpha)))
                        (if (f64.ne (local.get $g) (f64.const 0))
                          (then
                            (call $update (local.get $l1) (local.get $row) (global.get $neu) (global.get $dim)
                              (f32.demote_f64 (local.get $g)))))
                        (local.set $e (i32.add (local.get $e) (i32.const 4)))
                        (br $one)))
                    (call $addClear (local.get $l1) (global.get $neu) (global.get $dim)))
                  (else
                    ;; all dot products first, keeping the rows whose g ≠ 0 (in order), then the updates
                    (local.set $kept (global.get $rows))
                    (block $allDone
                      (loop $all
                        (br_if $allDone (i32.ge_u (local.get $e) (local.get $listEnd)))
                        (local.set $row (i32.load (local.get $e)))
                        (local.set $g
                          (call $gradient (local.get $l1) (local.get $row)
                            (select (f64.const 1) (f64.const 0) (i32.eq (local.get $e) (global.get $rows)))
                            (local.get $alpha)))
                        (if (f64.ne (local.get $g) (f64.const 0))
                          (then
                            (i32.store (local.get $kept) (local.get $row))
                            (v128.store
                              (i32.add (global.get $gs) (i32.shl (i32.sub (local.get $kept) (global.get $rows)) (i32.const 2)))
                              (f32x4.splat (f32.demote_f64 (local.get $g))))
                            (local.set $kept (i32.add (local.get $kept) (i32.const 4)))))
                        (local.set $e (i32.add (local.get $e) (i32.const 4)))
                        (br $all)))
                    (if (i32.gt_u (local.get $kept) (global.get $rows))
                      (then
                        (call $updateRows (local.get $l1)
                          (i32.shr_u (i32.sub (local.get $kept) (global.get $rows)) (i32.const 2)))))))))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $nextContext)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $nextWord)))
    (local.get $r)))

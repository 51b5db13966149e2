;; The three vector operations of the SGNS inner loop (fast-loop.ts), four float32 lanes at a time
;; (f32x4). Doing four lanes per instruction is what lets a JavaScript trainer keep pace with
;; gensim's BLAS calls.
;;
;; Every pointer is a byte offset into the one shared memory that holds both matrices (syn0: input
;; vectors, syn1: output vectors) and the gradient scratch `neu`; `n` is the vector length in
;; floats, a multiple of 4. A row of n floats starting at `p` ends at p + 4·n.
;;
;; Compiled to simd.wasm by scripts/build-wasm.cjs; loaded by simd.ts.
(module
  ;; The memory is the caller's (setup.ts), shared with the worker threads (Hogwild).
  (import "env" "memory" (memory 1 65536 shared))

  ;; syn0[in] · syn1[out] over n floats.
  (func (export "dot") (param $in i32) (param $out i32) (param $n i32) (result f32)
    (local $end i32)
    (local $acc v128) ;; four partial sums, one per lane
    (local.set $end (i32.add (local.get $in) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $in) (local.get $end)))
        ;; acc += in[0..4] * out[0..4]
        (local.set $acc
          (f32x4.add
            (local.get $acc)
            (f32x4.mul (v128.load align=4 (local.get $in)) (v128.load align=4 (local.get $out)))))
        (local.set $in (i32.add (local.get $in) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $next)))
    ;; the lanes' sum, left to right
    (f32.add
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
        (f32x4.extract_lane 2 (local.get $acc)))
      (f32x4.extract_lane 3 (local.get $acc))))

  ;; One prediction's update, with gradient scale g:
  ;;   neu += g · syn1[out]          (the input vector's gradient, accumulated)
  ;;   syn1[out] += g · syn0[in]     (uses syn1[out] from before this update)
  (func (export "update") (param $in i32) (param $out i32) (param $neu i32) (param $n i32) (param $g f32)
    (local $end i32)
    (local $g4 v128)  ;; g in all four lanes
    (local $old v128) ;; syn1[out] before the update
    (local.set $g4 (f32x4.splat (local.get $g)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $old (v128.load align=4 (local.get $out)))
        ;; neu += g · old
        (v128.store align=4 (local.get $neu)
          (f32x4.add (v128.load align=4 (local.get $neu)) (f32x4.mul (local.get $g4) (local.get $old))))
        ;; syn1[out] = old + g · syn0[in]
        (v128.store align=4 (local.get $out)
          (f32x4.add (local.get $old) (f32x4.mul (local.get $g4) (v128.load align=4 (local.get $in)))))
        (local.set $in (i32.add (local.get $in) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (local.set $neu (i32.add (local.get $neu) (i32.const 16)))
        (br $next))))

  ;; syn0[in] += neu; neu = 0 (the input vector is updated once all its predictions are done).
  (func (export "addClear") (param $in i32) (param $neu i32) (param $n i32)
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
        (br $next)))))

;; Σ x² over n floats, on the wasm backend's own memory: the squared norm that global-norm gradient
;; clipping takes over every gradient of a model (one call per tensor, the sums added in f64).
;;
;; Eight floats a step into two f32x4 partial sums, which go into an f64 total every 512 floats
;; (a partial sum of at most 64 squares per lane keeps float32's rounding small); the last n mod 8
;; floats one by one.
(module
  (import "env" "memory" (memory 1))

  ;; The four lanes of `v` added into `acc`'s two f64 lanes.
  (func $add_wide (param $acc v128) (param $v v128) (result v128)
    (f64x2.add
      (f64x2.add (local.get $acc) (f64x2.promote_low_f32x4 (local.get $v)))
      (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))

  (func (export "sum_of_squares") (param $x i32) (param $n i32) (result f64)
    (local $at i32) (local $end i32) (local $block i32) (local $s0 v128) (local $s1 v128) (local $wide v128) (local $v v128) (local $total f64)
    (local.set $at (local.get $x))
    (local.set $end (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2))))
    (block $done (loop $blocks
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      ;; one block: up to 512 floats (2048 bytes)
      (local.set $block (i32.add (local.get $at) (i32.const 2048)))
      (if (i32.gt_u (local.get $block) (local.get $end)) (then (local.set $block (local.get $end))))
      (local.set $s0 (v128.const i32x4 0 0 0 0))
      (local.set $s1 (v128.const i32x4 0 0 0 0))
      (block $block_done (loop $eights
        (br_if $block_done (i32.ge_u (local.get $at) (local.get $block)))
        (local.set $v (v128.load (local.get $at)))
        (local.set $s0 (f32x4.relaxed_madd (local.get $v) (local.get $v) (local.get $s0)))
        (local.set $v (v128.load offset=16 (local.get $at)))
        (local.set $s1 (f32x4.relaxed_madd (local.get $v) (local.get $v) (local.get $s1)))
        (local.set $at (i32.add (local.get $at) (i32.const 32)))
        (br $eights)))
      (local.set $wide (call $add_wide (call $add_wide (local.get $wide) (local.get $s0)) (local.get $s1)))
      (br $blocks)))
    (local.set $total (f64.add (f64x2.extract_lane 0 (local.get $wide)) (f64x2.extract_lane 1 (local.get $wide))))
    ;; the last n mod 8 floats
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $ones
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      (local.set $total (f64.add (local.get $total)
        (f64.promote_f32 (f32.mul (f32.load (local.get $at)) (f32.load (local.get $at))))))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (br $ones)))
    (local.get $total))
)

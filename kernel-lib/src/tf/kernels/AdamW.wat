;; One AdamW update of a parameter tensor, on the wasm backend's own memory, with the gradient g
;; scaled by gradScale first (global-norm clipping's coefficient, 1 without clipping):
;;
;;   m ← β1·m + (1 − β1)·g        (in place: the optimizer's own moments)
;;   v ← β2·v + (1 − β2)·g²
;;   w_out = w·decay − stepSize · m / (√(v / c2) + eps)
;;
;; with stepSize = lr / c1, c1 = 1 − β1ᵗ and c2 = 1 − β2ᵗ the bias corrections, and
;; decay = 1 − lr·λ (decoupled weight decay; 1 for parameters that do not decay).
;; Four floats at a time, then the last n mod 4 one by one with the same arithmetic.
(module
  (import "env" "memory" (memory 1))

  (func (export "adamw")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32)
    (param $w_out i32) (param $n i32)
    (param $beta1 f32) (param $beta2 f32) (param $one_minus_beta1 f32) (param $one_minus_beta2 f32)
    (param $inv_c2 f32) (param $eps f32) (param $step_size f32) (param $decay f32) (param $grad_scale f32)
    (local $i i32) (local $n4 i32) (local $at i32)
    (local $gj f32) (local $mj f32) (local $vj f32)
    (local $g4 v128) (local $m4 v128) (local $v4 v128)
    (local $beta1_4 v128) (local $beta2_4 v128) (local $a1_4 v128) (local $a2_4 v128)
    (local $inv_c2_4 v128) (local $eps4 v128) (local $step4 v128) (local $decay4 v128) (local $scale4 v128)
    (local.set $beta1_4 (f32x4.splat (local.get $beta1)))
    (local.set $beta2_4 (f32x4.splat (local.get $beta2)))
    (local.set $a1_4 (f32x4.splat (local.get $one_minus_beta1)))
    (local.set $a2_4 (f32x4.splat (local.get $one_minus_beta2)))
    (local.set $inv_c2_4 (f32x4.splat (local.get $inv_c2)))
    (local.set $eps4 (f32x4.splat (local.get $eps)))
    (local.set $step4 (f32x4.splat (local.get $step_size)))
    (local.set $decay4 (f32x4.splat (local.get $decay)))
    (local.set $scale4 (f32x4.splat (local.get $grad_scale)))
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $done (loop $four
      (br_if $done (i32.ge_u (local.get $i) (local.get $n4)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (local.set $g4 (f32x4.mul (v128.load (i32.add (local.get $g) (local.get $at))) (local.get $scale4)))
      ;; the two moments
      (local.set $m4 (f32x4.add
        (f32x4.mul (local.get $beta1_4) (v128.load (i32.add (local.get $m) (local.get $at))))
        (f32x4.mul (local.get $a1_4) (local.get $g4))))
      (local.set $v4 (f32x4.add
        (f32x4.mul (local.get $beta2_4) (v128.load (i32.add (local.get $v) (local.get $at))))
        (f32x4.mul (f32x4.mul (local.get $a2_4) (local.get $g4)) (local.get $g4))))
      (v128.store (i32.add (local.get $m) (local.get $at)) (local.get $m4))
      (v128.store (i32.add (local.get $v) (local.get $at)) (local.get $v4))
      ;; the step
      (v128.store (i32.add (local.get $w_out) (local.get $at))
        (f32x4.sub
          (f32x4.mul (v128.load (i32.add (local.get $w) (local.get $at))) (local.get $decay4))
          (f32x4.div
            (f32x4.mul (local.get $step4) (local.get $m4))
            (f32x4.add (f32x4.sqrt (f32x4.mul (local.get $v4) (local.get $inv_c2_4))) (local.get $eps4)))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $four)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (local.set $gj (f32.mul (f32.load (i32.add (local.get $g) (local.get $at))) (local.get $grad_scale)))
      (local.set $mj (f32.add
        (f32.mul (local.get $beta1) (f32.load (i32.add (local.get $m) (local.get $at))))
        (f32.mul (local.get $one_minus_beta1) (local.get $gj))))
      (local.set $vj (f32.add
        (f32.mul (local.get $beta2) (f32.load (i32.add (local.get $v) (local.get $at))))
        (f32.mul (f32.mul (local.get $one_minus_beta2) (local.get $gj)) (local.get $gj))))
      (f32.store (i32.add (local.get $m) (local.get $at)) (local.get $mj))
      (f32.store (i32.add (local.get $v) (local.get $at)) (local.get $vj))
      (f32.store (i32.add (local.get $w_out) (local.get $at))
        (f32.sub
          (f32.mul (f32.load (i32.add (local.get $w) (local.get $at))) (local.get $decay))
          (f32.div
            (f32.mul (local.get $step_size) (local.get $mj))
            (f32.add (f32.sqrt (f32.mul (local.get $vj) (local.get $inv_c2))) (local.get $eps)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $one))))
)

;; LayerNorm over the last axis, forward and backward, on the wasm backend's own memory.
;; Every pointer is a byte offset into that memory (the tensors' data where the backend keeps it);
;; rows are `dim` floats long. The main loops take four floats at a time (128-bit SIMD), a scalar
;; loop finishes rows whose length is not a multiple of 4.
;;
;;   forward:  mean = Σx / dim,  var = Σ(x − mean)² / dim,  r = 1 / √(var + eps)
;;             x̂ = (x − mean) · r,  y = x̂ · gamma + beta
;;   backward: with g = dy · gamma,
;;             dx = r · (g − mean(g) − x̂ · mean(g · x̂)),  dgamma = Σ_rows dy · x̂,  dbeta = Σ_rows dy
(module
  (import "env" "memory" (memory 1))

  ;; ((l0 + l1) + l2) + l3 of an f32x4
  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add
        (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
        (f32x4.extract_lane 2 (local.get $v)))
      (f32x4.extract_lane 3 (local.get $v))))

  ;; ln_fwd: for each of `rows` rows of x, writes y and the row's mean and r = 1/σ
  ;; (mean and rstd are what the backward pass needs). `has_beta` = 0: no shift.
  (func (export "ln_fwd")
    (param $x i32) (param $gamma i32) (param $beta i32) (param $has_beta i32)
    (param $y i32) (param $mean_out i32) (param $rstd_out i32)
    (param $rows i32) (param $dim i32) (param $eps f32)
    (local $row i32) (local $j i32) (local $dim4 i32)
    (local $xr i32) (local $yr i32)          ;; start of the current row of x and of y
    (local $inv_dim f32) (local $mean f32) (local $r f32) (local $sum f32) (local $d f32) (local $h f32)
    (local $acc v128) (local $mean4 v128) (local $r4 v128) (local $h4 v128)
    (local.set $inv_dim (f32.div (f32.const 1) (f32.convert_i32_u (local.get $dim))))
    (local.set $dim4 (i32.and (local.get $dim) (i32.const -4)))
    (local.set $row (i32.const 0))
    (block $rows_done
      (loop $next_row
        (br_if $rows_done (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $xr (i32.add (local.get $x) (i32.shl (i32.mul (local.get $row) (local.get $dim)) (i32.const 2))))
        (local.set $yr (i32.add (local.get $y) (i32.shl (i32.mul (local.get $row) (local.get $dim)) (i32.const 2))))

        ;; mean = Σx / dim
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $done (loop $sum4
          (br_if $done (i32.ge_u (local.get $j) (local.get $dim4)))
          (local.set $acc (f32x4.add (local.get $acc)
            (v128.load (i32.add (local.get $xr) (i32.shl (local.get $j) (i32.const 2))))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $sum4)))
        (local.set $sum (call $hsum (local.get $acc)))
        (block $done (loop $sum1
          (br_if $done (i32.ge_u (local.get $j) (local.get $dim)))
          (local.set $sum (f32.add (local.get $sum)
            (f32.load (i32.add (local.get $xr) (i32.shl (local.get $j) (i32.const 2))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $sum1)))
        (local.set $mean (f32.mul (local.get $sum) (local.get $inv_dim)))
        (local.set $mean4 (f32x4.splat (local.get $mean)))

        ;; var = Σ(x − mean)² / dim (a second pass: no cancellation when |mean| ≫ σ)
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $done (loop $var4
          (br_if $done (i32.ge_u (local.get $j) (local.get $dim4)))
          (local.set $h4 (f32x4.sub
            (v128.load (i32.add (local.get $xr) (i32.shl (local.get $j) (i32.const 2))))
            (local.get $mean4)))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $h4) (local.get $h4))))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $var4)))
        (local.set $sum (call $hsum (local.get $acc)))
        (block $done (loop $var1
          (br_if $done (i32.ge_u (local.get $j) (local.get $dim)))
          (local.set $d (f32.sub
            (f32.load (i32.add (local.get $xr) (i32.shl (local.get $j) (i32.const 2))))
            (local.get $mean)))
          (local.set $sum (f32.add (local.get $sum) (f32.mul (local.get $d) (local.get $d))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $var1)))

        ;; r = 1 / √(var + eps); keep mean and r for the backward pass
        (local.set $r (f32.div (f32.const 1)
          (f32.sqrt (f32.add (f32.mul (local.get $sum) (local.get $inv_dim)) (local.get $eps)))))
        (local.set $r4 (f32x4.splat (local.get $r)))
        (f32.store (i32.add (local.get $mean_out) (i32.shl (local.get $row) (i32.const 2))) (local.get $mean))
        (f32.store (i32.add (local.get $rstd_out) (i32.shl (local.get $row) (i32.const 2))) (local.get $r))

        ;; y = (x − mean) · r · gamma (+ beta)
        (local.set $j (i32.const 0))
        (block $done (loop $out4
          (br_if $done (i32.ge_u (local.get $j) (local.get $dim4)))
          (local.set $h4 (f32x4.mul
            (f32x4.sub (v128.load (i32.add (local.get $xr) (i32.shl (local.get $j) (i32.const 2)))) (local.get $mean4))
            (local.get $r4)))
          (local.set $h4 (f32x4.mul (local.get $h4)
            (v128.load (i32.add (local.get $gamma) (i32.shl (local.get $j) (i32.const 2))))))
          (if (local.get $has_beta)
            (then (local.set $h4 (f32x4.add (local.get $h4)
              (v128.load (i32.add (local.get $beta) (i32.shl (local.get $j) (i32.const 2))))))))
          (v128.store (i32.add (local.get $yr) (i32.shl (local.get $j) (i32.const 2))) (local.get $h4))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $out4)))
        (block $done (loop $out1
          (br_if $done (i32.ge_u (local.get $j) (local.get $dim)))
          (local.set $h (f32.mul
            (f32.mul
              (f32.sub (f32.load (i32.add (local.get $xr) (i32.shl (local.get $j) (i32.const 2)))) (local.get $mean))
              (local.get $r))
            (f32.load (i32.add (local.get $gamma) (i32.shl (local.get $j) (i32.const 2))))))
          (if (local.get $has_beta)
            (then (local.set $h (f32.add (local.get $h)
              (f32.load (i32.add (local.get $beta) (i32.shl (local.get $j) (i32.const 2))))))))
          (f32.store (i32.add (local.get $yr) (i32.shl (local.get $j) (i32.const 2))) (local.get $h))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $out1)))

        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $next_row))))

  ;; ln_bwd: dx for every row, and dgamma, dbeta summed over the rows (zeroed here first).
  ;; x̂ is recomputed from x and the saved mean and r, exactly as the forward pass computed it.
  (func (export "ln_bwd")
    (param $dy i32) (param $x i32) (param $gamma i32) (param $mean_in i32) (param $rstd_in i32)
    (param $dx i32) (param $dgamma i32) (param $dbeta i32)
    (param $rows i32) (param $dim i32)
    (local $row i32) (local $j i32) (local $dim4 i32) (local $at i32)
    (local $xr i32) (local $dyr i32) (local $dxr i32)
    (local $inv_dim f32) (local $mean f32) (local $r f32) (local $m1 f32) (local $m2 f32)
    (local $d f32) (local $h f32) (local $gd f32)
    (local $mean4 v128) (local $r4 v128) (local $m1_4 v128) (local $m2_4 v128)
    (local $acc1 v128) (local $acc2 v128) (local $d4 v128) (local $h4 v128) (local $gd4 v128)
    (local.set $inv_dim (f32.div (f32.const 1) (f32.convert_i32_u (local.get $dim))))
    (local.set $dim4 (i32.and (local.get $dim) (i32.const -4)))
    (memory.fill (local.get $dgamma) (i32.const 0) (i32.shl (local.get $dim) (i32.const 2)))
    (memory.fill (local.get $dbeta) (i32.const 0) (i32.shl (local.get $dim) (i32.const 2)))
    (local.set $row (i32.const 0))
    (block $rows_done
      (loop $next_row
        (br_if $rows_done (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $at (i32.shl (i32.mul (local.get $row) (local.get $dim)) (i32.const 2)))
        (local.set $xr (i32.add (local.get $x) (local.get $at)))
        (local.set $dyr (i32.add (local.get $dy) (local.get $at)))
        (local.set $dxr (i32.add (local.get $dx) (local.get $at)))
        (local.set $mean (f32.load (i32.add (local.get $mean_in) (i32.shl (local.get $row) (i32.const 2)))))
        (local.set $r (f32.load (i32.add (local.get $rstd_in) (i32.shl (local.get $row) (i32.const 2)))))
        (local.set $mean4 (f32x4.splat (local.get $mean)))
        (local.set $r4 (f32x4.splat (local.get $r)))

        ;; first pass: Σ g and Σ g·x̂ over the row; dgamma += dy·x̂, dbeta += dy
        (local.set $acc1 (v128.const f32x4 0 0 0 0))
        (local.set $acc2 (v128.const f32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $done (loop $sums4
          (br_if $done (i32.ge_u (local.get $j) (local.get $dim4)))
          (local.set $d4 (v128.load (i32.add (local.get $dyr) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $h4 (f32x4.mul
            (f32x4.sub (v128.load (i32.add (local.get $xr) (i32.shl (local.get $j) (i32.const 2)))) (local.get $mean4))
            (local.get $r4)))
          (local.set $gd4 (f32x4.mul (local.get $d4)
            (v128.load (i32.add (local.get $gamma) (i32.shl (local.get $j) (i32.const 2))))))
          (local.set $acc1 (f32x4.add (local.get $acc1) (local.get $gd4)))
          (local.set $acc2 (f32x4.add (local.get $acc2) (f32x4.mul (local.get $gd4) (local.get $h4))))
          (v128.store (i32.add (local.get $dgamma) (i32.shl (local.get $j) (i32.const 2)))
            (f32x4.add (v128.load (i32.add (local.get $dgamma) (i32.shl (local.get $j) (i32.const 2))))
              (f32x4.mul (local.get $d4) (local.get $h4))))
          (v128.store (i32.add (local.get $dbeta) (i32.shl (local.get $j) (i32.const 2)))
            (f32x4.add (v128.load (i32.add (local.get $dbeta) (i32.shl (local.get $j) (i32.const 2))))
              (local.get $d4)))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $sums4)))
        (local.set $m1 (call $hsum (local.get $acc1)))
        (local.set $m2 (call $hsum (local.get $acc2)))
        (block $done (loop $sums1
          (br_if $done (i32.ge_u (local.get $j) (local.get $dim)))
          (local.set $d (f32.load (i32.add (local.get $dyr) (i32.shl (local.get $j) (i32.const 2)))))
          (local.set $h (f32.mul
            (f32.sub (f32.load (i32.add (local.get $xr) (i32.shl (local.get $j) (i32.const 2)))) (local.get $mean))
            (local.get $r)))
          (local.set $gd (f32.mul (local.get $d)
            (f32.load (i32.add (local.get $gamma) (i32.shl (local.get $j) (i32.const 2))))))
          (local.set $m1 (f32.add (local.get $m1) (local.get $gd)))
          (local.set $m2 (f32.add (local.get $m2) (f32.mul (local.get $gd) (local.get $h))))
          (f32.store (i32.add (local.get $dgamma) (i32.shl (local.get $j) (i32.const 2)))
            (f32.add (f32.load (i32.add (local.get $dgamma) (i32.shl (local.get $j) (i32.const 2))))
              (f32.mul (local.get $d) (local.get $h))))
          (f32.store (i32.add (local.get $dbeta) (i32.shl (local.get $j) (i32.const 2)))
            (f32.add (f32.load (i32.add (local.get $dbeta) (i32.shl (local.get $j) (i32.const 2))))
              (local.get $d)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $sums1)))
        ;; the two means
        (local.set $m1 (f32.mul (local.get $m1) (local.get $inv_dim)))
        (local.set $m2 (f32.mul (local.get $m2) (local.get $inv_dim)))
        (local.set $m1_4 (f32x4.splat (local.get $m1)))
        (local.set $m2_4 (f32x4.splat (local.get $m2)))

        ;; second pass: dx = r · (dy·gamma − mean(g) − x̂ · mean(g·x̂))
        (local.set $j (i32.const 0))
        (block $done (loop $dx4
          (br_if $done (i32.ge_u (local.get $j) (local.get $dim4)))
          (local.set $h4 (f32x4.mul
            (f32x4.sub (v128.load (i32.add (local.get $xr) (i32.shl (local.get $j) (i32.const 2)))) (local.get $mean4))
            (local.get $r4)))
          (v128.store (i32.add (local.get $dxr) (i32.shl (local.get $j) (i32.const 2)))
            (f32x4.mul
              (f32x4.sub
                (f32x4.sub
                  (f32x4.mul
                    (v128.load (i32.add (local.get $dyr) (i32.shl (local.get $j) (i32.const 2))))
                    (v128.load (i32.add (local.get $gamma) (i32.shl (local.get $j) (i32.const 2)))))
                  (local.get $m1_4))
                (f32x4.mul (local.get $h4) (local.get $m2_4)))
              (local.get $r4)))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br $dx4)))
        (block $done (loop $dx1
          (br_if $done (i32.ge_u (local.get $j) (local.get $dim)))
          (local.set $h (f32.mul
            (f32.sub (f32.load (i32.add (local.get $xr) (i32.shl (local.get $j) (i32.const 2)))) (local.get $mean))
            (local.get $r)))
          (f32.store (i32.add (local.get $dxr) (i32.shl (local.get $j) (i32.const 2)))
            (f32.mul
              (f32.sub
                (f32.sub
                  (f32.mul
                    (f32.load (i32.add (local.get $dyr) (i32.shl (local.get $j) (i32.const 2))))
                    (f32.load (i32.add (local.get $gamma) (i32.shl (local.get $j) (i32.const 2)))))
                  (local.get $m1))
                (f32.mul (local.get $h) (local.get $m2)))
              (local.get $r)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $dx1)))

        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $next_row))))
)

;; Exact GELU and its derivative, four lanes at a time, on the wasm backend's own memory.
;;
;;   y = x · Φ(x),   dy/dx = Φ(x) + x · φ(x),
;;   Φ(x) = ½ (1 + erf(x/√2)),   φ(x) = e^(−x²/2) / √(2π)
;;
;; erf is Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7):
;;   erf(a) = 1 − t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e^(−a²),  t = 1 / (1 + p·a),  a ≥ 0
;; and its e^(−a²) with a = |x|/√2 is also φ's e^(−x²/2): one exponential per element.
;; The exponential is 2ᵏ · p(r) with k = round(z · log₂e), r = z − k · ln 2 (ln 2 in two parts,
;; so that r stays exact) and p the degree-6 Taylor polynomial (relative error < 3e-7 in f32);
;; 2ᵏ is built from its exponent bits, (k + 127) << 23.
;;
;; The body is written once, inline in the loop (constants in locals, set before it); the last
;; n mod 4 values go through it as one partial vector, loaded and stored lane by lane.
(module
  (import "env" "memory" (memory 1))

  ;; The first `count` (1…3) floats at `ptr` as the low lanes of a vector (the others 0).
  (func $load_partial (param $ptr i32) (param $count i32) (result v128)
    (local $v v128)
    (local.set $v (f32x4.replace_lane 0 (v128.const f32x4 0 0 0 0) (f32.load (local.get $ptr))))
    (if (i32.gt_u (local.get $count) (i32.const 1))
      (then (local.set $v (f32x4.replace_lane 1 (local.get $v) (f32.load offset=4 (local.get $ptr))))))
    (if (i32.gt_u (local.get $count) (i32.const 2))
      (then (local.set $v (f32x4.replace_lane 2 (local.get $v) (f32.load offset=8 (local.get $ptr))))))
    (local.get $v))

  ;; Stores the low `count` (1…3) lanes of `v` at `ptr`.
  (func $store_partial (param $ptr i32) (param $v v128) (param $count i32)
    (f32.store (local.get $ptr) (f32x4.extract_lane 0 (local.get $v)))
    (if (i32.gt_u (local.get $count) (i32.const 1))
      (then (f32.store offset=4 (local.get $ptr) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.gt_u (local.get $count) (i32.const 2))
      (then (f32.store offset=8 (local.get $ptr) (f32x4.extract_lane 2 (local.get $v))))))

  ;; gelu: for n floats at x, writes y = x·Φ(x) and the derivative d = Φ(x) + x·φ(x).
  (func (export "gelu") (param $x i32) (param $y i32) (param $d i32) (param $n i32)
    (local $i i32) (local $at i32) (local $rest i32)
    (local $v v128) (local $a v128) (local $t v128) (local $z v128) (local $k v128) (local $r v128)
    (local $e v128) (local $cdf v128) (local $yv v128) (local $dv v128)
    (local $inv_sqrt2 v128)
    (local $p v128)
    (local $min_z v128)
    (local $log2e v128)
    (local $ln2_hi v128)
    (local $ln2_lo v128)
    (local $e6 v128)
    (local $e5 v128)
    (local $e4 v128)
    (local $e3 v128)
    (local $half v128)
    (local $one v128)
    (local $a5 v128)
    (local $a4 v128)
    (local $a3 v128)
    (local $a2 v128)
    (local $a1 v128)
    (local $inv_sqrt_2pi v128)
    (local $zero v128)
    (local.set $inv_sqrt2 (v128.const f32x4 0.7071067811865476 0.7071067811865476 0.7071067811865476 0.7071067811865476))  ;; 1/√2
    (local.set $p (v128.const f32x4 0.3275911 0.3275911 0.3275911 0.3275911))  ;; A&S p
    (local.set $min_z (v128.const f32x4 -87 -87 -87 -87))  ;; e^z underflows below
    (local.set $log2e (v128.const f32x4 1.4426950408889634 1.4426950408889634 1.4426950408889634 1.4426950408889634))  ;; log₂e
    (local.set $ln2_hi (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125))  ;; ln 2, high part
    (local.set $ln2_lo (v128.const f32x4 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6))  ;; ln 2, low part
    (local.set $e6 (v128.const f32x4 0.001388888888888889 0.001388888888888889 0.001388888888888889 0.001388888888888889))  ;; 1/720
    (local.set $e5 (v128.const f32x4 0.008333333333333333 0.008333333333333333 0.008333333333333333 0.008333333333333333))  ;; 1/120
    (local.set $e4 (v128.const f32x4 0.041666666666666664 0.041666666666666664 0.041666666666666664 0.041666666666666664))  ;; 1/24
    (local.set $e3 (v128.const f32x4 0.16666666666666666 0.16666666666666666 0.16666666666666666 0.16666666666666666))  ;; 1/6
    (local.set $half (v128.const f32x4 0.5 0.5 0.5 0.5))  ;; 1/2
    (local.set $one (v128.const f32x4 1 1 1 1))  ;; 1
    (local.set $a5 (v128.const f32x4 1.061405429 1.061405429 1.061405429 1.061405429))  ;; A&S a5
    (local.set $a4 (v128.const f32x4 -1.453152027 -1.453152027 -1.453152027 -1.453152027))  ;; a4
    (local.set $a3 (v128.const f32x4 1.421413741 1.421413741 1.421413741 1.421413741))  ;; a3
    (local.set $a2 (v128.const f32x4 -0.284496736 -0.284496736 -0.284496736 -0.284496736))  ;; a2
    (local.set $a1 (v128.const f32x4 0.254829592 0.254829592 0.254829592 0.254829592))  ;; a1
    (local.set $inv_sqrt_2pi (v128.const f32x4 0.3989422804014327 0.3989422804014327 0.3989422804014327 0.3989422804014327))  ;; 1/√(2π)
    (local.set $zero (v128.const f32x4 0 0 0 0))  ;; 0
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (local.set $rest (i32.sub (local.get $n) (local.get $i)))
      (if (i32.ge_u (local.get $rest) (i32.const 4))
        (then (local.set $v (v128.load (i32.add (local.get $x) (local.get $at)))))
        (else (local.set $v (call $load_partial (i32.add (local.get $x) (local.get $at)) (local.get $rest)))))
      ;; a = |v| / √2;  t = 1 / (1 + p·a)
      (local.set $a (f32x4.mul (f32x4.abs (local.get $v)) (local.get $inv_sqrt2)))
      (local.set $t (f32x4.div (local.get $one) (f32x4.add (local.get $one) (f32x4.mul (local.get $p) (local.get $a)))))
      ;; z = max(−a², −87) (below −87, e^z is 0 in f32 anyway);  k = round(z · log₂e)
      (local.set $z (f32x4.max (f32x4.neg (f32x4.mul (local.get $a) (local.get $a))) (local.get $min_z)))
      (local.set $k (f32x4.nearest (f32x4.mul (local.get $z) (local.get $log2e))))
      ;; r = z − k·ln 2, ln 2 in two parts
      (local.set $r (f32x4.sub
        (f32x4.sub (local.get $z) (f32x4.mul (local.get $k) (local.get $ln2_hi)))
        (f32x4.mul (local.get $k) (local.get $ln2_lo))))
      ;; e = p(r) · 2ᵏ,  p(r) = 1 + r·(1 + r·(1/2 + r·(1/6 + r·(1/24 + r·(1/120 + r/720))))) by Horner
      (local.set $e (f32x4.add (f32x4.mul (local.get $e6) (local.get $r)) (local.get $e5)))
      (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (local.get $e4)))
      (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (local.get $e3)))
      (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (local.get $half)))
      (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (local.get $one)))
      (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (local.get $one)))
      (local.set $e (f32x4.mul (local.get $e)
        (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
      ;; |erf| = 1 − t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e, the polynomial by Horner in $cdf
      (local.set $cdf (f32x4.add (f32x4.mul (local.get $a5) (local.get $t)) (local.get $a4)))
      (local.set $cdf (f32x4.add (f32x4.mul (local.get $cdf) (local.get $t)) (local.get $a3)))
      (local.set $cdf (f32x4.add (f32x4.mul (local.get $cdf) (local.get $t)) (local.get $a2)))
      (local.set $cdf (f32x4.add (f32x4.mul (local.get $cdf) (local.get $t)) (local.get $a1)))
      (local.set $cdf (f32x4.sub (local.get $one) (f32x4.mul (f32x4.mul (local.get $t) (local.get $cdf)) (local.get $e))))
      ;; Φ = ½ (1 + sign(v)·|erf|)  (the lanes where v < 0 take −|erf|)
      (local.set $cdf (f32x4.mul
        (f32x4.add
          (v128.bitselect (f32x4.neg (local.get $cdf)) (local.get $cdf) (f32x4.lt (local.get $v) (local.get $zero)))
          (local.get $one))
        (local.get $half)))
      ;; y = v·Φ;  d = Φ + v·e/√(2π)
      (local.set $yv (f32x4.mul (local.get $v) (local.get $cdf)))
      (local.set $dv (f32x4.add (local.get $cdf) (f32x4.mul (f32x4.mul (local.get $v) (local.get $e)) (local.get $inv_sqrt_2pi))))
      (if (i32.ge_u (local.get $rest) (i32.const 4))
        (then
          (v128.store (i32.add (local.get $y) (local.get $at)) (local.get $yv))
          (v128.store (i32.add (local.get $d) (local.get $at)) (local.get $dv)))
        (else
          (call $store_partial (i32.add (local.get $y) (local.get $at)) (local.get $yv) (local.get $rest))
          (call $store_partial (i32.add (local.get $d) (local.get $at)) (local.get $dv) (local.get $rest))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $next))))
)

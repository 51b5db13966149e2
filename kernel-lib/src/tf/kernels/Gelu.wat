;; Exact GELU and its derivative, eight floats (two vectors of four lanes) at a time, on the wasm
;; backend's own memory.
;;
;;   y = x · Φ(x),   dy/dx = Φ(x) + x · φ(x),
;;   Φ(x) = ½ (1 + erf(x/√2)),   φ(x) = e^(−x²/2) / √(2π)
;;
;; erf is Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7):
;;   erf(a) = 1 − t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e^(−a²),  t = 1 / (1 + p·a),  a ≥ 0
;; and its e^(−a²) with a = |x|/√2 is also φ's e^(−x²/2): one exponential per element. With the
;; coefficients halved (h_i = a_i / 2), c = t·(h1 + t·(h2 + …))·e^(−a²) = ½ (1 − erf(a)) = Φ(−|x|): Φ(x) is c where
;; x < 0 and 1 − c elsewhere.
;; The exponential is 2ᵏ · p(r) with k = round(z · log₂e), r = z − k · ln 2 (ln 2 in two parts,
;; so that r stays exact) and p the degree-6 Taylor polynomial (relative error < 3e-7 in f32).
;; k is rounded by adding 1.5 · 2²³ (the sum's mantissa then holds k in its low bits), and 2ᵏ is
;; built from those bits: (bits − bits(1.5 · 2²³) + 127) << 23.
;;
;; What makes it fast (≈ 2× the earlier loop, one vector a step with the constants in v128.const):
;; - the constants are locals set before the loop: written where used, a v128.const is rebuilt
;;   on every use;
;; - multiply-adds are `f32x4.relaxed_madd` (one fused instruction where the processor has FMA),
;;   the clamp is `f32x4.pmax` (one instruction; z is never NaN for finite x), and k is rounded
;;   without a float-to-int conversion;
;; - two vectors per step, their statements side by side (suffixes 0 and 1): each vector's
;;   chain of dependent operations is long (two polynomials by Horner), and the processor
;;   overlaps the two chains (≈ 8 % over one vector a step).
;; The last n mod 8 floats go through the same step, loaded and stored lane by lane.
(module
  (import "env" "memory" (memory 1))

  ;; The first `count` floats at `ptr` (all four if count ≥ 4, none if count ≤ 0) as a vector, the other lanes 0.
  (func $load_upto (param $ptr i32) (param $count i32) (result v128)
    (local $v v128)
    (if (i32.ge_s (local.get $count) (i32.const 4)) (then (return (v128.load (local.get $ptr)))))
    (if (i32.gt_s (local.get $count) (i32.const 0))
      (then (local.set $v (f32x4.replace_lane 0 (local.get $v) (f32.load (local.get $ptr))))))
    (if (i32.gt_s (local.get $count) (i32.const 1))
      (then (local.set $v (f32x4.replace_lane 1 (local.get $v) (f32.load offset=4 (local.get $ptr))))))
    (if (i32.gt_s (local.get $count) (i32.const 2))
      (then (local.set $v (f32x4.replace_lane 2 (local.get $v) (f32.load offset=8 (local.get $ptr))))))
    (local.get $v))

  ;; Stores the low `count` lanes of `v` at `ptr` (all four if count ≥ 4, none if count ≤ 0).
  (func $store_upto (param $ptr i32) (param $v v128) (param $count i32)
    (if (i32.ge_s (local.get $count) (i32.const 4)) (then (v128.store (local.get $ptr) (local.get $v)) (return)))
    (if (i32.gt_s (local.get $count) (i32.const 0))
      (then (f32.store (local.get $ptr) (f32x4.extract_lane 0 (local.get $v)))))
    (if (i32.gt_s (local.get $count) (i32.const 1))
      (then (f32.store offset=4 (local.get $ptr) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.gt_s (local.get $count) (i32.const 2))
      (then (f32.store offset=8 (local.get $ptr) (f32x4.extract_lane 2 (local.get $v))))))

  ;; gelu: for n floats at x, writes y = x·Φ(x) and the derivative d = Φ(x) + x·φ(x).
  (func (export "gelu") (param $x i32) (param $y i32) (param $d i32) (param $n i32)
    (local $i i32) (local $at i32) (local $rest i32)
    (local $v0 v128) (local $v1 v128) (local $a0 v128) (local $a1 v128) (local $t0 v128) (local $t1 v128) (local $z0 v128) (local $z1 v128) (local $kr0 v128) (local $kr1 v128) (local $k0 v128) (local $k1 v128) (local $r0 v128) (local $r1 v128) (local $e0 v128) (local $e1 v128) (local $c0 v128) (local $c1 v128) (local $y0 v128) (local $y1 v128) (local $d0 v128) (local $d1 v128)
    (local $inv_sqrt2 v128) (local $one v128) (local $p v128) (local $min_z v128) (local $log2e v128) (local $shifter v128) (local $ln2_hi v128) (local $ln2_lo v128) (local $e6 v128) (local $e5 v128) (local $e4 v128) (local $e3 v128) (local $half v128) (local $bias v128) (local $h5 v128) (local $h4 v128) (local $h3 v128) (local $h2 v128) (local $h1 v128) (local $zero v128) (local $inv_sqrt_2pi v128)
    (local.set $inv_sqrt2 (v128.const f32x4 0.7071067811865476 0.7071067811865476 0.7071067811865476 0.7071067811865476))  ;; 1/√2
    (local.set $one (v128.const f32x4 1 1 1 1))  ;; 1
    (local.set $p (v128.const f32x4 0.3275911 0.3275911 0.3275911 0.3275911))  ;; A&S p
    (local.set $min_z (v128.const f32x4 -87 -87 -87 -87))  ;; e^z underflows below
    (local.set $log2e (v128.const f32x4 1.4426950408889634 1.4426950408889634 1.4426950408889634 1.4426950408889634))  ;; log₂e
    (local.set $shifter (v128.const f32x4 12582912 12582912 12582912 12582912))  ;; 1.5·2²³
    (local.set $ln2_hi (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125))  ;; ln 2, high part
    (local.set $ln2_lo (v128.const f32x4 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6))  ;; ln 2, low part
    (local.set $e6 (v128.const f32x4 0.001388888888888889 0.001388888888888889 0.001388888888888889 0.001388888888888889))  ;; 1/720
    (local.set $e5 (v128.const f32x4 0.008333333333333333 0.008333333333333333 0.008333333333333333 0.008333333333333333))  ;; 1/120
    (local.set $e4 (v128.const f32x4 0.041666666666666664 0.041666666666666664 0.041666666666666664 0.041666666666666664))  ;; 1/24
    (local.set $e3 (v128.const f32x4 0.16666666666666666 0.16666666666666666 0.16666666666666666 0.16666666666666666))  ;; 1/6
    (local.set $half (v128.const f32x4 0.5 0.5 0.5 0.5))  ;; 1/2
    (local.set $bias (v128.const i32x4 0x4B3FFF81 0x4B3FFF81 0x4B3FFF81 0x4B3FFF81))  ;; bits of 1.5·2²³, less 127
    (local.set $h5 (v128.const f32x4 0.5307027145 0.5307027145 0.5307027145 0.5307027145))  ;; a5/2
    (local.set $h4 (v128.const f32x4 -0.7265760135 -0.7265760135 -0.7265760135 -0.7265760135))  ;; a4/2
    (local.set $h3 (v128.const f32x4 0.7107068705 0.7107068705 0.7107068705 0.7107068705))  ;; a3/2
    (local.set $h2 (v128.const f32x4 -0.142248368 -0.142248368 -0.142248368 -0.142248368))  ;; a2/2
    (local.set $h1 (v128.const f32x4 0.127414796 0.127414796 0.127414796 0.127414796))  ;; a1/2
    (local.set $zero (v128.const f32x4 0 0 0 0))  ;; 0
    (local.set $inv_sqrt_2pi (v128.const f32x4 0.3989422804014327 0.3989422804014327 0.3989422804014327 0.3989422804014327))  ;; 1/√(2π)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (local.set $rest (i32.sub (local.get $n) (local.get $i)))
      (if (i32.ge_u (local.get $rest) (i32.const 8))
        (then
          (local.set $v0 (v128.load (i32.add (local.get $x) (local.get $at))))
          (local.set $v1 (v128.load offset=16 (i32.add (local.get $x) (local.get $at)))))
        (else
          (local.set $v0 (call $load_upto (i32.add (local.get $x) (local.get $at)) (local.get $rest)))
          (local.set $v1 (call $load_upto (i32.add (i32.add (local.get $x) (local.get $at)) (i32.const 16)) (i32.sub (local.get $rest) (i32.const 4))))))
      ;; a = |v| / √2;  t = 1 / (1 + p·a)
      (local.set $a0 (f32x4.mul (f32x4.abs (local.get $v0)) (local.get $inv_sqrt2)))
      (local.set $a1 (f32x4.mul (f32x4.abs (local.get $v1)) (local.get $inv_sqrt2)))
      (local.set $t0 (f32x4.div (local.get $one) (f32x4.relaxed_madd (local.get $p) (local.get $a0) (local.get $one))))
      (local.set $t1 (f32x4.div (local.get $one) (f32x4.relaxed_madd (local.get $p) (local.get $a1) (local.get $one))))
      ;; z = max(−a², −87) (below −87, e^z is 0 in f32 anyway);  kr = z·log₂e + 1.5·2²³ rounds to k in its low bits
      (local.set $z0 (f32x4.pmax (f32x4.neg (f32x4.mul (local.get $a0) (local.get $a0))) (local.get $min_z)))
      (local.set $z1 (f32x4.pmax (f32x4.neg (f32x4.mul (local.get $a1) (local.get $a1))) (local.get $min_z)))
      (local.set $kr0 (f32x4.relaxed_madd (local.get $z0) (local.get $log2e) (local.get $shifter)))
      (local.set $kr1 (f32x4.relaxed_madd (local.get $z1) (local.get $log2e) (local.get $shifter)))
      (local.set $k0 (f32x4.sub (local.get $kr0) (local.get $shifter)))
      (local.set $k1 (f32x4.sub (local.get $kr1) (local.get $shifter)))
      ;; r = z − k·ln 2, ln 2 in two parts
      (local.set $r0 (f32x4.sub (f32x4.sub (local.get $z0) (f32x4.mul (local.get $k0) (local.get $ln2_hi))) (f32x4.mul (local.get $k0) (local.get $ln2_lo))))
      (local.set $r1 (f32x4.sub (f32x4.sub (local.get $z1) (f32x4.mul (local.get $k1) (local.get $ln2_hi))) (f32x4.mul (local.get $k1) (local.get $ln2_lo))))
      ;; e = p(r) · 2ᵏ,  p(r) = 1 + r·(1 + r·(1/2 + r·(1/6 + r·(1/24 + r·(1/120 + r/720))))) by Horner
      (local.set $e0 (f32x4.relaxed_madd (local.get $e6) (local.get $r0) (local.get $e5)))
      (local.set $e1 (f32x4.relaxed_madd (local.get $e6) (local.get $r1) (local.get $e5)))
      (local.set $e0 (f32x4.relaxed_madd (local.get $e0) (local.get $r0) (local.get $e4)))
      (local.set $e1 (f32x4.relaxed_madd (local.get $e1) (local.get $r1) (local.get $e4)))
      (local.set $e0 (f32x4.relaxed_madd (local.get $e0) (local.get $r0) (local.get $e3)))
      (local.set $e1 (f32x4.relaxed_madd (local.get $e1) (local.get $r1) (local.get $e3)))
      (local.set $e0 (f32x4.relaxed_madd (local.get $e0) (local.get $r0) (local.get $half)))
      (local.set $e1 (f32x4.relaxed_madd (local.get $e1) (local.get $r1) (local.get $half)))
      (local.set $e0 (f32x4.relaxed_madd (local.get $e0) (local.get $r0) (local.get $one)))
      (local.set $e1 (f32x4.relaxed_madd (local.get $e1) (local.get $r1) (local.get $one)))
      (local.set $e0 (f32x4.relaxed_madd (local.get $e0) (local.get $r0) (local.get $one)))
      (local.set $e1 (f32x4.relaxed_madd (local.get $e1) (local.get $r1) (local.get $one)))
      ;; 2ᵏ = (bits of kr − bits of 1.5·2²³ + 127) << 23
      (local.set $e0 (f32x4.mul (local.get $e0) (i32x4.shl (i32x4.sub (local.get $kr0) (local.get $bias)) (i32.const 23))))
      (local.set $e1 (f32x4.mul (local.get $e1) (i32x4.shl (i32x4.sub (local.get $kr1) (local.get $bias)) (i32.const 23))))
      ;; c = Φ(−|v|) = t·(h1 + t·(h2 + t·(h3 + t·(h4 + t·h5))))·e, by Horner
      (local.set $c0 (f32x4.relaxed_madd (local.get $h5) (local.get $t0) (local.get $h4)))
      (local.set $c1 (f32x4.relaxed_madd (local.get $h5) (local.get $t1) (local.get $h4)))
      (local.set $c0 (f32x4.relaxed_madd (local.get $c0) (local.get $t0) (local.get $h3)))
      (local.set $c1 (f32x4.relaxed_madd (local.get $c1) (local.get $t1) (local.get $h3)))
      (local.set $c0 (f32x4.relaxed_madd (local.get $c0) (local.get $t0) (local.get $h2)))
      (local.set $c1 (f32x4.relaxed_madd (local.get $c1) (local.get $t1) (local.get $h2)))
      (local.set $c0 (f32x4.relaxed_madd (local.get $c0) (local.get $t0) (local.get $h1)))
      (local.set $c1 (f32x4.relaxed_madd (local.get $c1) (local.get $t1) (local.get $h1)))
      (local.set $c0 (f32x4.mul (f32x4.mul (local.get $c0) (local.get $t0)) (local.get $e0)))
      (local.set $c1 (f32x4.mul (f32x4.mul (local.get $c1) (local.get $t1)) (local.get $e1)))
      ;; Φ = c where v < 0, else 1 − c;  y = v·Φ;  d = Φ + v·e/√(2π)
      (local.set $c0 (v128.bitselect (local.get $c0) (f32x4.sub (local.get $one) (local.get $c0)) (f32x4.lt (local.get $v0) (local.get $zero))))
      (local.set $c1 (v128.bitselect (local.get $c1) (f32x4.sub (local.get $one) (local.get $c1)) (f32x4.lt (local.get $v1) (local.get $zero))))
      (local.set $y0 (f32x4.mul (local.get $v0) (local.get $c0)))
      (local.set $y1 (f32x4.mul (local.get $v1) (local.get $c1)))
      (local.set $d0 (f32x4.relaxed_madd (f32x4.mul (local.get $v0) (local.get $e0)) (local.get $inv_sqrt_2pi) (local.get $c0)))
      (local.set $d1 (f32x4.relaxed_madd (f32x4.mul (local.get $v1) (local.get $e1)) (local.get $inv_sqrt_2pi) (local.get $c1)))
      (if (i32.ge_u (local.get $rest) (i32.const 8))
        (then
          (v128.store (i32.add (local.get $y) (local.get $at)) (local.get $y0))
          (v128.store offset=16 (i32.add (local.get $y) (local.get $at)) (local.get $y1))
          (v128.store (i32.add (local.get $d) (local.get $at)) (local.get $d0))
          (v128.store offset=16 (i32.add (local.get $d) (local.get $at)) (local.get $d1)))
        (else
          (call $store_upto (i32.add (local.get $y) (local.get $at)) (local.get $y0) (local.get $rest))
          (call $store_upto (i32.add (i32.add (local.get $y) (local.get $at)) (i32.const 16)) (local.get $y1) (i32.sub (local.get $rest) (i32.const 4)))
          (call $store_upto (i32.add (local.get $d) (local.get $at)) (local.get $d0) (local.get $rest))
          (call $store_upto (i32.add (i32.add (local.get $d) (local.get $at)) (i32.const 16)) (local.get $d1) (i32.sub (local.get $rest) (i32.const 4)))))
      (local.set $i (i32.add (local.get $i) (i32.const 8)))
      (br $next))))
)

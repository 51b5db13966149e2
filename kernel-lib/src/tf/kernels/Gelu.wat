;; Exact GELU and its gradient, four lanes at a time, on the wasm backend's own memory.
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
(module
  (import "env" "memory" (memory 1))

  ;; GELU of four values at once: y = v·Φ(v) and the derivative d = Φ(v) + v·φ(v).
  (func $gelu4 (param $v v128) (result v128 v128)
    (local $a v128) (local $t v128) (local $z v128) (local $k v128) (local $r v128)
    (local $e v128) (local $cdf v128)
    ;; a = |v| / √2;  t = 1 / (1 + p·a)
    (local.set $a (f32x4.mul (f32x4.abs (local.get $v)) (v128.const f32x4 0.7071067811865476 0.7071067811865476 0.7071067811865476 0.7071067811865476)))
    (local.set $t (f32x4.div (v128.const f32x4 1 1 1 1)
      (f32x4.add (v128.const f32x4 1 1 1 1)
        (f32x4.mul (v128.const f32x4 0.3275911 0.3275911 0.3275911 0.3275911) (local.get $a)))))
    ;; z = max(−a², −87) (below −87, e^z is 0 in f32 anyway);  k = round(z · log₂e)
    (local.set $z (f32x4.max (f32x4.neg (f32x4.mul (local.get $a) (local.get $a))) (v128.const f32x4 -87 -87 -87 -87)))
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $z) (v128.const f32x4 1.4426950408889634 1.4426950408889634 1.4426950408889634 1.4426950408889634))))
    ;; r = z − k·ln 2, with ln 2 = 0.693145751953125 + 1.428606765330187e-6
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $z) (f32x4.mul (local.get $k) (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125)))
      (f32x4.mul (local.get $k) (v128.const f32x4 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6))))
    ;; e = p(r) · 2ᵏ,  p(r) = 1 + r·(1 + r·(1/2 + r·(1/6 + r·(1/24 + r·(1/120 + r/720))))) by Horner
    (local.set $e (v128.const f32x4 0.001388888888888889 0.001388888888888889 0.001388888888888889 0.001388888888888889))
    (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (v128.const f32x4 0.008333333333333333 0.008333333333333333 0.008333333333333333 0.008333333333333333)))
    (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (v128.const f32x4 0.041666666666666664 0.041666666666666664 0.041666666666666664 0.041666666666666664)))
    (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (v128.const f32x4 0.16666666666666666 0.16666666666666666 0.16666666666666666 0.16666666666666666)))
    (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
    (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    (local.set $e (f32x4.mul (local.get $e)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
    ;; |erf| = 1 − t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e, the polynomial by Horner in $cdf
    (local.set $cdf (v128.const f32x4 1.061405429 1.061405429 1.061405429 1.061405429))
    (local.set $cdf (f32x4.add (f32x4.mul (local.get $cdf) (local.get $t)) (v128.const f32x4 -1.453152027 -1.453152027 -1.453152027 -1.453152027)))
    (local.set $cdf (f32x4.add (f32x4.mul (local.get $cdf) (local.get $t)) (v128.const f32x4 1.421413741 1.421413741 1.421413741 1.421413741)))
    (local.set $cdf (f32x4.add (f32x4.mul (local.get $cdf) (local.get $t)) (v128.const f32x4 -0.284496736 -0.284496736 -0.284496736 -0.284496736)))
    (local.set $cdf (f32x4.add (f32x4.mul (local.get $cdf) (local.get $t)) (v128.const f32x4 0.254829592 0.254829592 0.254829592 0.254829592)))
    (local.set $cdf (f32x4.sub (v128.const f32x4 1 1 1 1)
      (f32x4.mul (f32x4.mul (local.get $t) (local.get $cdf)) (local.get $e))))
    ;; Φ = ½ (1 + sign(v)·|erf|)  (the lanes where v < 0 take −|erf|)
    (local.set $cdf (f32x4.mul
      (f32x4.add
        (v128.bitselect (f32x4.neg (local.get $cdf)) (local.get $cdf)
          (f32x4.lt (local.get $v) (v128.const f32x4 0 0 0 0)))
        (v128.const f32x4 1 1 1 1))
      (v128.const f32x4 0.5 0.5 0.5 0.5)))
    ;; y = v·Φ;  d = Φ + v·e/√(2π)
    (f32x4.mul (local.get $v) (local.get $cdf))
    (f32x4.add (local.get $cdf)
      (f32x4.mul (f32x4.mul (local.get $v) (local.get $e))
        (v128.const f32x4 0.3989422804014327 0.3989422804014327 0.3989422804014327 0.3989422804014327))))

  ;; gelu_fwd: y[i] = GELU(x[i]) for n floats.
  (func (export "gelu_fwd") (param $x i32) (param $y i32) (param $n i32)
    (local $i i32) (local $n4 i32) (local $at i32) (local $y4 v128) (local $d4 v128)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $done (loop $four
      (br_if $done (i32.ge_u (local.get $i) (local.get $n4)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (call $gelu4 (v128.load (i32.add (local.get $x) (local.get $at))))
      (local.set $d4)
      (local.set $y4)
      (v128.store (i32.add (local.get $y) (local.get $at)) (local.get $y4))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $four)))
    ;; the last n mod 4 values one at a time, through the same arithmetic (lane 0 of a splat)
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (call $gelu4 (f32x4.splat (f32.load (i32.add (local.get $x) (local.get $at)))))
      (local.set $d4)
      (local.set $y4)
      (f32.store (i32.add (local.get $y) (local.get $at)) (f32x4.extract_lane 0 (local.get $y4)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $one))))

  ;; gelu_bwd: dx[i] = dy[i] · GELU'(x[i]) for n floats (the derivative is recomputed from x).
  (func (export "gelu_bwd") (param $dy i32) (param $x i32) (param $dx i32) (param $n i32)
    (local $i i32) (local $n4 i32) (local $at i32) (local $y4 v128) (local $d4 v128)
    (local.set $n4 (i32.and (local.get $n) (i32.const -4)))
    (block $done (loop $four
      (br_if $done (i32.ge_u (local.get $i) (local.get $n4)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (call $gelu4 (v128.load (i32.add (local.get $x) (local.get $at))))
      (local.set $d4)
      (local.set $y4)
      (v128.store (i32.add (local.get $dx) (local.get $at))
        (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $at))) (local.get $d4)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $four)))
    (block $done (loop $one
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $at (i32.shl (local.get $i) (i32.const 2)))
      (call $gelu4 (f32x4.splat (f32.load (i32.add (local.get $x) (local.get $at)))))
      (local.set $d4)
      (local.set $y4)
      (f32.store (i32.add (local.get $dx) (local.get $at))
        (f32.mul (f32.load (i32.add (local.get $dy) (local.get $at))) (f32x4.extract_lane 0 (local.get $d4))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $one))))
)

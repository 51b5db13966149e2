;; Causal self-attention, one kernel per direction, on the wasm backend's own memory.
;;
;; q [B, H, T, D], k and v [B, Hk, T, D] (query head h reads kv head h / (H / Hk)), o [B, H, T, D].
;; For each head and each query row i, over the keys j ≤ i only (the causal mask: no work above
;; the diagonal):
;;
;;   forward    s_j = scale · q_i·k_j,   m_i = max_j s_j,   e_j = exp(s_j − m_i),   l_i = 1 / Σ_j e_j
;;              o_i = l_i · Σ_j e_j v_j                                      (saves m_i and l_i)
;;   backward   p_j = exp(scale · q_i·k_j − m_i) · l_i      (the softmax recomputed, not stored)
;;              dp_j = do_i·v_j,   D_i = Σ_j p_j dp_j,   ds_j = scale · p_j (dp_j − D_i)
;;              dq_i = Σ_j ds_j k_j,   then per key  dk_j += Σ_i ds_ij q_i,   dv_j += Σ_i p_ij do_i
;;
;; D must be a multiple of 4. The products run four lanes at a time: four keys' dot products at
;; once (one load of q feeds four), and weighted sums of rows with thirty-two output floats held
;; in eight registers while the rows stream past; so do the row reductions (max, Σ, D_i) and dS.
;; Scratch: rows `s` and `dp` of T floats (rounded up to a multiple of 4) and, for the backward
;; pass, P and dS of one head ([T, T] each, row-major: each query row is copied in as whole
;; vectors), whose columns weight the key gradients.
;; The exponential is Gelu.wat's: 2ᵏ · p(r), k = round(z · log₂e), r = z − k · ln 2 (ln 2 in two
;; parts), p the degree-6 Taylor polynomial (relative error < 3e-7), z clamped at −87.
(module
  (import "env" "memory" (memory 1))

  ;; Σ a[c]·b[c] over `bytes / 4` floats (a multiple of 4).
  (func $dot (param $a i32) (param $b i32) (param $bytes i32) (result f32)
    (local $c i32) (local $acc v128)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $c) (local.get $bytes)))
      (local.set $acc (f32x4.relaxed_madd (v128.load (i32.add (local.get $a) (local.get $c))) (v128.load (i32.add (local.get $b) (local.get $c))) (local.get $acc)))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $next)))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))

  ;; out[j] = scale · a·r_j for the n rows r_j at `r` (`row` bytes apart), of the `have` rows there.
  ;; Four rows at a time (one load of a feeds four), written inline: a call per four rows is not
  ;; inlined. The last group of four may run past n while it stays within the `have` rows: the
  ;; scores past n land in the scratch row's padding and are never read. What is left (only where
  ;; `have` is not a multiple of 4) goes one by one.
  (func $dots (param $out i32) (param $a i32) (param $r i32) (param $n i32) (param $row i32) (param $bytes i32) (param $scale f32) (param $have i32)
    (local $j i32) (local $c i32) (local $sv v128) (local $av v128) (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $x v128) (local $y v128)
    (local.set $sv (f32x4.splat (local.get $scale)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (br_if $done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $have)))
      (local.set $r0 (i32.add (local.get $r) (i32.mul (local.get $j) (local.get $row))))
      (local.set $r1 (i32.add (local.get $r0) (local.get $row)))
      (local.set $r2 (i32.add (local.get $r1) (local.get $row)))
      (local.set $r3 (i32.add (local.get $r2) (local.get $row)))
      (local.set $s0 (v128.const i32x4 0 0 0 0))
      (local.set $s1 (v128.const i32x4 0 0 0 0))
      (local.set $s2 (v128.const i32x4 0 0 0 0))
      (local.set $s3 (v128.const i32x4 0 0 0 0))
      (local.set $c (i32.const 0))
      (block $row_done (loop $chunk
        (br_if $row_done (i32.ge_u (local.get $c) (local.get $bytes)))
        (local.set $av (v128.load (i32.add (local.get $a) (local.get $c))))
        (local.set $s0 (f32x4.relaxed_madd (local.get $av) (v128.load (i32.add (local.get $r0) (local.get $c))) (local.get $s0)))
        (local.set $s1 (f32x4.relaxed_madd (local.get $av) (v128.load (i32.add (local.get $r1) (local.get $c))) (local.get $s1)))
        (local.set $s2 (f32x4.relaxed_madd (local.get $av) (v128.load (i32.add (local.get $r2) (local.get $c))) (local.get $s2)))
        (local.set $s3 (f32x4.relaxed_madd (local.get $av) (v128.load (i32.add (local.get $r3) (local.get $c))) (local.get $s3)))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $chunk)))
      ;; the four lane sums side by side: pairwise, then across
      (local.set $x (f32x4.add
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s0) (local.get $s1))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s0) (local.get $s1))))
      (local.set $y (f32x4.add
        (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $s2) (local.get $s3))
        (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $s2) (local.get $s3))))
      (v128.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
        (f32x4.mul (local.get $sv) (f32x4.add
          (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $x) (local.get $y))
          (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $x) (local.get $y)))))
      (local.set $j (i32.add (local.get $j) (i32.const 4)))
      (br $next)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
      (f32.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 2)))
        (f32.mul (local.get $scale) (call $dot (local.get $a) (i32.add (local.get $r) (i32.mul (local.get $j) (local.get $row))) (local.get $bytes))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $next))))

  ;; out (+)= Σ_{j<n} w_j · x_j over `bytes / 4` floats, the weights w_j at `w` `ws` bytes apart (a
  ;; row: 4; a column of a row-major matrix: its row length), the rows x_j at `x` `row` bytes apart;
  ;; `add` = 0 overwrites out. Thirty-two output floats at a time (a whole head of 32) stay in
  ;; registers over all rows: one load of each weight feeds eight multiply-adds.
  (func $wsum (param $out i32) (param $w i32) (param $ws i32) (param $n i32) (param $x i32) (param $row i32) (param $bytes i32) (param $add i32)
    (local $c i32) (local $j i32) (local $xp i32) (local $wv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (block $wide_done (loop $wide
      (br_if $wide_done (i32.gt_u (i32.add (local.get $c) (i32.const 128)) (local.get $bytes)))
      (if (local.get $add)
        (then
          (local.set $a0 (v128.load (i32.add (local.get $out) (local.get $c))))
          (local.set $a1 (v128.load offset=16 (i32.add (local.get $out) (local.get $c))))
          (local.set $a2 (v128.load offset=32 (i32.add (local.get $out) (local.get $c))))
          (local.set $a3 (v128.load offset=48 (i32.add (local.get $out) (local.get $c))))
          (local.set $a4 (v128.load offset=64 (i32.add (local.get $out) (local.get $c))))
          (local.set $a5 (v128.load offset=80 (i32.add (local.get $out) (local.get $c))))
          (local.set $a6 (v128.load offset=96 (i32.add (local.get $out) (local.get $c))))
          (local.set $a7 (v128.load offset=112 (i32.add (local.get $out) (local.get $c)))))
        (else
          (local.set $a0 (v128.const i32x4 0 0 0 0))
          (local.set $a1 (v128.const i32x4 0 0 0 0))
          (local.set $a2 (v128.const i32x4 0 0 0 0))
          (local.set $a3 (v128.const i32x4 0 0 0 0))
          (local.set $a4 (v128.const i32x4 0 0 0 0))
          (local.set $a5 (v128.const i32x4 0 0 0 0))
          (local.set $a6 (v128.const i32x4 0 0 0 0))
          (local.set $a7 (v128.const i32x4 0 0 0 0))))
      (local.set $xp (i32.add (local.get $x) (local.get $c)))
      (local.set $j (i32.const 0))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $wv (v128.load32_splat (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $ws)))))
        (local.set $a0 (f32x4.relaxed_madd (local.get $wv) (v128.load (local.get $xp)) (local.get $a0)))
        (local.set $a1 (f32x4.relaxed_madd (local.get $wv) (v128.load offset=16 (local.get $xp)) (local.get $a1)))
        (local.set $a2 (f32x4.relaxed_madd (local.get $wv) (v128.load offset=32 (local.get $xp)) (local.get $a2)))
        (local.set $a3 (f32x4.relaxed_madd (local.get $wv) (v128.load offset=48 (local.get $xp)) (local.get $a3)))
        (local.set $a4 (f32x4.relaxed_madd (local.get $wv) (v128.load offset=64 (local.get $xp)) (local.get $a4)))
        (local.set $a5 (f32x4.relaxed_madd (local.get $wv) (v128.load offset=80 (local.get $xp)) (local.get $a5)))
        (local.set $a6 (f32x4.relaxed_madd (local.get $wv) (v128.load offset=96 (local.get $xp)) (local.get $a6)))
        (local.set $a7 (f32x4.relaxed_madd (local.get $wv) (v128.load offset=112 (local.get $xp)) (local.get $a7)))
        (local.set $xp (i32.add (local.get $xp) (local.get $row)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rows)))
      (v128.store (i32.add (local.get $out) (local.get $c)) (local.get $a0))
      (v128.store offset=16 (i32.add (local.get $out) (local.get $c)) (local.get $a1))
      (v128.store offset=32 (i32.add (local.get $out) (local.get $c)) (local.get $a2))
      (v128.store offset=48 (i32.add (local.get $out) (local.get $c)) (local.get $a3))
      (v128.store offset=64 (i32.add (local.get $out) (local.get $c)) (local.get $a4))
      (v128.store offset=80 (i32.add (local.get $out) (local.get $c)) (local.get $a5))
      (v128.store offset=96 (i32.add (local.get $out) (local.get $c)) (local.get $a6))
      (v128.store offset=112 (i32.add (local.get $out) (local.get $c)) (local.get $a7))
      (local.set $c (i32.add (local.get $c) (i32.const 128)))
      (br $wide)))
    ;; the last D mod 32 floats, four at a time
    (block $narrow_done (loop $narrow
      (br_if $narrow_done (i32.ge_u (local.get $c) (local.get $bytes)))
      (local.set $a0 (if (result v128) (local.get $add)
        (then (v128.load (i32.add (local.get $out) (local.get $c))))
        (else (v128.const i32x4 0 0 0 0))))
      (local.set $xp (i32.add (local.get $x) (local.get $c)))
      (local.set $j (i32.const 0))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $j) (local.get $n)))
        (local.set $a0 (f32x4.relaxed_madd (v128.load32_splat (i32.add (local.get $w) (i32.mul (local.get $j) (local.get $ws)))) (v128.load (local.get $xp)) (local.get $a0)))
        (local.set $xp (i32.add (local.get $xp) (local.get $row)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $rows)))
      (v128.store (i32.add (local.get $out) (local.get $c)) (local.get $a0))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $narrow))))

  ;; x[c] ← x[c] · f over `bytes / 4` floats (a multiple of 4).
  (func $scale_row (param $x i32) (param $bytes i32) (param $f f32)
    (local $c i32) (local $fv v128)
    (local.set $fv (f32x4.splat (local.get $f)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $c) (local.get $bytes)))
      (v128.store (i32.add (local.get $x) (local.get $c)) (f32x4.mul (local.get $fv) (v128.load (i32.add (local.get $x) (local.get $c)))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $next))))

;; s[j] ← exp(s[j] − shift) · factor for j < n, four at a time (up to n rounded up to 4: the
  ;; scratch row is that long; lanes past n are never read). The exponential is written inline
  ;; with its constants in locals set before the loop (a v128.const is rebuilt at every use, and
  ;; a call per vector is not inlined), multiply-adds fused (`f32x4.relaxed_madd`), k rounded by
  ;; adding 1.5·2²³ (the sum's low mantissa bits are then k) instead of a float-to-int conversion.
  ;; Exported: the cross-entropy kernel (CrossEntropy.ts) exponentiates its rows of logits with it.
  (func $exp_row (export "exp_row") (param $s i32) (param $n i32) (param $shift f32) (param $factor f32)
    (local $end i32) (local $at i32) (local $sv v128) (local $fv v128)
    (local $z v128) (local $kr v128) (local $k v128) (local $r v128) (local $e v128)
    (local $min_z v128) (local $log2e v128) (local $shifter v128) (local $ln2_hi v128) (local $ln2_lo v128)
    (local $e6 v128) (local $e5 v128) (local $e4 v128) (local $e3 v128) (local $half v128) (local $one v128) (local $bias v128)
    (local.set $sv (f32x4.splat (local.get $shift)))
    (local.set $fv (f32x4.splat (local.get $factor)))
    (local.set $min_z (v128.const f32x4 -87 -87 -87 -87))  ;; e^z underflows below
    (local.set $log2e (v128.const f32x4 1.4426950408889634 1.4426950408889634 1.4426950408889634 1.4426950408889634))  ;; log₂e
    (local.set $shifter (v128.const f32x4 12582912 12582912 12582912 12582912))  ;; 1.5·2²³
    (local.set $ln2_hi (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125))  ;; ln 2, high part
    (local.set $ln2_lo (v128.const f32x4 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6))  ;; low part
    (local.set $e6 (v128.const f32x4 0.001388888888888889 0.001388888888888889 0.001388888888888889 0.001388888888888889))  ;; 1/720
    (local.set $e5 (v128.const f32x4 0.008333333333333333 0.008333333333333333 0.008333333333333333 0.008333333333333333))  ;; 1/120
    (local.set $e4 (v128.const f32x4 0.041666666666666664 0.041666666666666664 0.041666666666666664 0.041666666666666664))  ;; 1/24
    (local.set $e3 (v128.const f32x4 0.16666666666666666 0.16666666666666666 0.16666666666666666 0.16666666666666666))  ;; 1/6
    (local.set $half (v128.const f32x4 0.5 0.5 0.5 0.5))
    (local.set $one (v128.const f32x4 1 1 1 1))
    (local.set $bias (v128.const i32x4 0x4B3FFF81 0x4B3FFF81 0x4B3FFF81 0x4B3FFF81))  ;; bits of 1.5·2²³, less 127
    (local.set $end (i32.add (local.get $s) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $at (local.get $s))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      ;; z = max(s − shift, −87);  kr = z·log₂e + 1.5·2²³, k = kr − 1.5·2²³;  r = z − k·ln 2
      (local.set $z (f32x4.pmax (f32x4.sub (v128.load (local.get $at)) (local.get $sv)) (local.get $min_z)))
      (local.set $kr (f32x4.relaxed_madd (local.get $z) (local.get $log2e) (local.get $shifter)))
      (local.set $k (f32x4.sub (local.get $kr) (local.get $shifter)))
      (local.set $r (f32x4.sub (f32x4.sub (local.get $z) (f32x4.mul (local.get $k) (local.get $ln2_hi))) (f32x4.mul (local.get $k) (local.get $ln2_lo))))
      ;; p(r) = 1 + r·(1 + r·(1/2 + r·(1/6 + r·(1/24 + r·(1/120 + r/720))))) by Horner
      (local.set $e (f32x4.relaxed_madd (local.get $e6) (local.get $r) (local.get $e5)))
      (local.set $e (f32x4.relaxed_madd (local.get $e) (local.get $r) (local.get $e4)))
      (local.set $e (f32x4.relaxed_madd (local.get $e) (local.get $r) (local.get $e3)))
      (local.set $e (f32x4.relaxed_madd (local.get $e) (local.get $r) (local.get $half)))
      (local.set $e (f32x4.relaxed_madd (local.get $e) (local.get $r) (local.get $one)))
      (local.set $e (f32x4.relaxed_madd (local.get $e) (local.get $r) (local.get $one)))
      ;; · 2ᵏ (its bits: those of kr less those of 1.5·2²³, plus 127, shifted left by 23) · factor
      (v128.store (local.get $at) (f32x4.mul (f32x4.mul (local.get $e)
        (i32x4.shl (i32x4.sub (local.get $kr) (local.get $bias)) (i32.const 23))) (local.get $fv)))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $next))))

  ;; Row reductions over s[j], j < n: four lanes at a time over the whole vectors, the last n mod 4
  ;; one by one (lanes past n, in a scratch row's padding, are never read).
  ;; max_j s[j] (n ≥ 1; scores are finite, so `pmax`, one instruction, is max).
  (func $row_max (param $s i32) (param $n i32) (result f32)
    (local $at i32) (local $end i32) (local $v v128) (local $m f32)
    (local.set $v (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $at (local.get $s))
    (local.set $end (i32.add (local.get $s) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      (local.set $v (f32x4.pmax (local.get $v) (v128.load (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $next)))
    (local.set $m (f32.max
      (f32.max (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.max (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))
    (local.set $end (i32.add (local.get $s) (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      (local.set $m (f32.max (local.get $m) (f32.load (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (br $next)))
    (local.get $m))

  ;; Σ_j s[j]·w[j] (w = 0 for a plain sum: then the weights are taken as 1).
  (func $row_dot (param $s i32) (param $w i32) (param $n i32) (result f32)
    (local $c i32) (local $end i32) (local $v v128) (local $total f32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $c) (local.get $end)))
      (local.set $v (if (result v128) (local.get $w)
        (then (f32x4.relaxed_madd (v128.load (i32.add (local.get $s) (local.get $c))) (v128.load (i32.add (local.get $w) (local.get $c))) (local.get $v)))
        (else (f32x4.add (local.get $v) (v128.load (i32.add (local.get $s) (local.get $c)))))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $next)))
    (local.set $total (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $c) (local.get $end)))
      (local.set $total (f32.add (local.get $total) (f32.mul (f32.load (i32.add (local.get $s) (local.get $c)))
        (if (result f32) (local.get $w) (then (f32.load (i32.add (local.get $w) (local.get $c)))) (else (f32.const 1))))))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $next)))
    (local.get $total))

  ;; dp[j] ← scale · p[j] · (dp[j] − d) for j < n: the softmax's backward step, dS from P and dP.
  (func $ds_row (param $p i32) (param $dp i32) (param $n i32) (param $d f32) (param $scale f32)
    (local $c i32) (local $end i32) (local $dv v128) (local $sv v128)
    (local.set $dv (f32x4.splat (local.get $d)))
    (local.set $sv (f32x4.splat (local.get $scale)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $c) (local.get $end)))
      (v128.store (i32.add (local.get $dp) (local.get $c))
        (f32x4.mul (local.get $sv) (f32x4.mul (v128.load (i32.add (local.get $p) (local.get $c)))
          (f32x4.sub (v128.load (i32.add (local.get $dp) (local.get $c))) (local.get $dv)))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $next)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $c) (local.get $end)))
      (f32.store (i32.add (local.get $dp) (local.get $c))
        (f32.mul (local.get $scale) (f32.mul (f32.load (i32.add (local.get $p) (local.get $c)))
          (f32.sub (f32.load (i32.add (local.get $dp) (local.get $c))) (local.get $d)))))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $next)))
  )

  ;; The kv head that query head `head` (counted over the batch) reads: batch · Hk + (head mod H) / group.
  (func $kv_head (param $head i32) (param $nh i32) (param $nkv i32) (result i32)
    (i32.add
      (i32.mul (i32.div_u (local.get $head) (local.get $nh)) (local.get $nkv))
      (i32.div_u (i32.rem_u (local.get $head) (local.get $nh)) (i32.div_u (local.get $nh) (local.get $nkv)))))

  ;; One query row of the forward pass (row i: keys 0…i): o_i, and m_i at mAt and l_i at lAt.
  ;; A function of its own (as the rows of the backward pass): called once per row, it is soon
  ;; compiled by the optimising tier, where a loop inside one long call would not be.
  (func $fwd_row (param $qi i32) (param $kb i32) (param $vb i32) (param $oi i32) (param $s i32) (param $i i32)
    (param $row i32) (param $scale f32) (param $mAt i32) (param $lAt i32) (param $t i32)
    (local $mx f32) (local $sum f32) (local $inv f32)
    ;; s_j = scale · q_i·k_j for j ≤ i, and their max
    (call $dots (local.get $s) (local.get $qi) (local.get $kb) (i32.add (local.get $i) (i32.const 1)) (local.get $row) (local.get $row) (local.get $scale) (local.get $t))
    (local.set $mx (call $row_max (local.get $s) (i32.add (local.get $i) (i32.const 1))))
    ;; e_j = exp(s_j − max), their sum
    (call $exp_row (local.get $s) (i32.add (local.get $i) (i32.const 1)) (local.get $mx) (f32.const 1))
    (local.set $sum (call $row_dot (local.get $s) (i32.const 0) (i32.add (local.get $i) (i32.const 1))))
    (local.set $inv (f32.div (f32.const 1) (local.get $sum)))
    (f32.store (local.get $mAt) (local.get $mx))
    (f32.store (local.get $lAt) (local.get $inv))
    ;; o_i = l_i · Σ_j e_j v_j
    (call $wsum (local.get $oi) (local.get $s) (i32.const 4) (i32.add (local.get $i) (i32.const 1)) (local.get $vb) (local.get $row) (local.get $row) (i32.const 0))
    (call $scale_row (local.get $oi) (local.get $row) (local.get $inv)))

  ;; attn_fwd: o, and per row m and l (see the top), for q, k, v laid out as above.
  (func (export "attn_fwd")
    (param $q i32) (param $k i32) (param $v i32) (param $o i32) (param $m i32) (param $l i32) (param $s i32)
    (param $nb i32) (param $nh i32) (param $nkv i32) (param $t i32) (param $d i32) (param $scale f32)
    (local $row i32) (local $head i32) (local $headBytes i32) (local $kv i32)
    (local $kb i32) (local $vb i32) (local $i i32) (local $qi i32) (local $oi i32) (local $at i32)
    (local.set $row (i32.shl (local.get $d) (i32.const 2)))
    (local.set $headBytes (i32.mul (local.get $t) (local.get $row)))
    (block $heads_done (loop $heads
      (br_if $heads_done (i32.ge_u (local.get $head) (i32.mul (local.get $nb) (local.get $nh))))
      (local.set $kv (call $kv_head (local.get $head) (local.get $nh) (local.get $nkv)))
      (local.set $kb (i32.add (local.get $k) (i32.mul (local.get $kv) (local.get $headBytes))))
      (local.set $vb (i32.add (local.get $v) (i32.mul (local.get $kv) (local.get $headBytes))))
      (local.set $i (i32.const 0))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $t)))
        (local.set $at (i32.add (i32.mul (local.get $head) (local.get $headBytes)) (i32.mul (local.get $i) (local.get $row))))
        (local.set $qi (i32.add (local.get $q) (local.get $at)))
        (local.set $oi (i32.add (local.get $o) (local.get $at)))
        (call $fwd_row (local.get $qi) (local.get $kb) (local.get $vb) (local.get $oi) (local.get $s) (local.get $i) (local.get $row) (local.get $scale)
          (i32.add (local.get $m) (i32.shl (i32.add (i32.mul (local.get $head) (local.get $t)) (local.get $i)) (i32.const 2)))
          (i32.add (local.get $l) (i32.shl (i32.add (i32.mul (local.get $head) (local.get $t)) (local.get $i)) (i32.const 2)))
          (local.get $t))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
      (local.set $head (i32.add (local.get $head) (i32.const 1)))
      (br $heads))))

  ;; One query row of the backward pass (row i: keys 0…i): dq_i, and P and dS of the row into row i of pt and dst.
  (func $bwd_row (param $qi i32) (param $doi i32) (param $dqi i32) (param $kb i32) (param $vb i32)
    (param $s i32) (param $dp i32) (param $pt i32) (param $dst i32) (param $i i32) (param $t i32) (param $row i32)
    (param $scale f32) (param $mi f32) (param $li f32)
    (local $n i32) (local $at i32) (local $end i32) (local $tt i32) (local $di f32)
    (local.set $n (i32.add (local.get $i) (i32.const 1)))
    ;; s_j = scale · q_i·k_j and dp_j = do_i·v_j for j ≤ i;  p_j = exp(s_j − m_i) · l_i
    (call $dots (local.get $s) (local.get $qi) (local.get $kb) (local.get $n) (local.get $row) (local.get $row) (local.get $scale) (local.get $t))
    (call $dots (local.get $dp) (local.get $doi) (local.get $vb) (local.get $n) (local.get $row) (local.get $row) (f32.const 1) (local.get $t))
    (call $exp_row (local.get $s) (local.get $n) (local.get $mi) (local.get $li))
    ;; D_i = Σ_j p_j dp_j;  ds_j = scale · p_j (dp_j − D_i), into dp
    (local.set $di (call $row_dot (local.get $s) (local.get $dp) (local.get $n)))
    (call $ds_row (local.get $s) (local.get $dp) (local.get $n) (local.get $di) (local.get $scale))
    ;; P and dS of the row into row i of pt and dst ([T, T] row-major): whole vectors, then the rest
    (local.set $tt (i32.mul (i32.mul (local.get $i) (local.get $t)) (i32.const 4)))
    (local.set $at (i32.const 0))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      (v128.store (i32.add (local.get $pt) (i32.add (local.get $tt) (local.get $at))) (v128.load (i32.add (local.get $s) (local.get $at))))
      (v128.store (i32.add (local.get $dst) (i32.add (local.get $tt) (local.get $at))) (v128.load (i32.add (local.get $dp) (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $next)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      (f32.store (i32.add (local.get $pt) (i32.add (local.get $tt) (local.get $at))) (f32.load (i32.add (local.get $s) (local.get $at))))
      (f32.store (i32.add (local.get $dst) (i32.add (local.get $tt) (local.get $at))) (f32.load (i32.add (local.get $dp) (local.get $at))))
      (local.set $at (i32.add (local.get $at) (i32.const 4)))
      (br $next)))
    ;; dq_i = Σ_j ds_j k_j
    (call $wsum (local.get $dqi) (local.get $dp) (i32.const 4) (local.get $n) (local.get $kb) (local.get $row) (local.get $row) (i32.const 0)))

  ;; attn_bwd: dq, dk, dv from do (the output's gradient), q, k, v and the saved m and l. Scratch:
  ;; rows s and dp, and pt and dst ([T, T]: P and dS of the current head).
  (func (export "attn_bwd")
    (param $q i32) (param $k i32) (param $v i32) (param $do i32) (param $m i32) (param $l i32)
    (param $dq i32) (param $dk i32) (param $dv i32) (param $s i32) (param $dp i32) (param $pt i32) (param $dst i32)
    (param $nb i32) (param $nh i32) (param $nkv i32) (param $t i32) (param $d i32) (param $scale f32)
    (local $row i32) (local $head i32) (local $headBytes i32) (local $kv i32) (local $qb i32) (local $dob i32)
    (local $kb i32) (local $vb i32) (local $dkb i32) (local $dvb i32) (local $i i32) (local $j i32)
    (local $qi i32) (local $doi i32) (local $at i32) (local $tt i32) (local $n i32) (local $stride i32)
    (local.set $row (i32.shl (local.get $d) (i32.const 2)))
    (local.set $stride (i32.shl (local.get $t) (i32.const 2)))
    (local.set $headBytes (i32.mul (local.get $t) (local.get $row)))
    ;; dk and dv accumulate over the heads of a group
    (memory.fill (local.get $dk) (i32.const 0) (i32.mul (i32.mul (local.get $nb) (local.get $nkv)) (local.get $headBytes)))
    (memory.fill (local.get $dv) (i32.const 0) (i32.mul (i32.mul (local.get $nb) (local.get $nkv)) (local.get $headBytes)))
    (block $heads_done (loop $heads
      (br_if $heads_done (i32.ge_u (local.get $head) (i32.mul (local.get $nb) (local.get $nh))))
      (local.set $kv (call $kv_head (local.get $head) (local.get $nh) (local.get $nkv)))
      (local.set $qb (i32.add (local.get $q) (i32.mul (local.get $head) (local.get $headBytes))))
      (local.set $dob (i32.add (local.get $do) (i32.mul (local.get $head) (local.get $headBytes))))
      (local.set $kb (i32.add (local.get $k) (i32.mul (local.get $kv) (local.get $headBytes))))
      (local.set $vb (i32.add (local.get $v) (i32.mul (local.get $kv) (local.get $headBytes))))
      (local.set $dkb (i32.add (local.get $dk) (i32.mul (local.get $kv) (local.get $headBytes))))
      (local.set $dvb (i32.add (local.get $dv) (i32.mul (local.get $kv) (local.get $headBytes))))
      (local.set $i (i32.const 0))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $t)))
        (local.set $qi (i32.add (local.get $qb) (i32.mul (local.get $i) (local.get $row))))
        (local.set $doi (i32.add (local.get $dob) (i32.mul (local.get $i) (local.get $row))))
        (local.set $at (i32.shl (i32.add (i32.mul (local.get $head) (local.get $t)) (local.get $i)) (i32.const 2)))
        (call $bwd_row (local.get $qi) (local.get $doi) (i32.add (local.get $dq) (i32.sub (local.get $qi) (local.get $q)))
          (local.get $kb) (local.get $vb) (local.get $s) (local.get $dp) (local.get $pt) (local.get $dst) (local.get $i) (local.get $t) (local.get $row)
          (local.get $scale) (f32.load (i32.add (local.get $m) (local.get $at))) (f32.load (i32.add (local.get $l) (local.get $at))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
      ;; per key j: dk_j += Σ_{i ≥ j} ds_ij q_i,  dv_j += Σ_{i ≥ j} p_ij do_i  (column j of dst and pt from row j down)
      (local.set $j (i32.const 0))
      (block $keys_done (loop $keys
        (br_if $keys_done (i32.ge_u (local.get $j) (local.get $t)))
        (local.set $tt (i32.shl (i32.add (i32.mul (local.get $j) (local.get $t)) (local.get $j)) (i32.const 2)))
        (local.set $at (i32.mul (local.get $j) (local.get $row)))
        (local.set $n (i32.sub (local.get $t) (local.get $j)))
        (call $wsum (i32.add (local.get $dkb) (local.get $at)) (i32.add (local.get $dst) (local.get $tt)) (local.get $stride) (local.get $n)
          (i32.add (local.get $qb) (local.get $at)) (local.get $row) (local.get $row) (i32.const 1))
        (call $wsum (i32.add (local.get $dvb) (local.get $at)) (i32.add (local.get $pt) (local.get $tt)) (local.get $stride) (local.get $n)
          (i32.add (local.get $dob) (local.get $at)) (local.get $row) (local.get $row) (i32.const 1))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $keys)))
      (local.set $head (i32.add (local.get $head) (i32.const 1)))
      (br $heads))))
)

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
;;              dq_i = Σ_j ds_j k_j,   dk_j += ds_j q_i,   dv_j += p_j do_i
;;
;; D must be a multiple of 4 (dot products and row updates run four lanes at a time). Scratch
;; rows `s` and `dp` hold T floats, rounded up to a multiple of 4. The exponential is Gelu.wat's:
;; 2ᵏ · p(r), k = round(z · log₂e), r = z − k · ln 2 (ln 2 in two parts), p the degree-6 Taylor
;; polynomial (relative error < 3e-7), z clamped at −87 (e^z is 0 in f32 below it).
(module
  (import "env" "memory" (memory 1))

  ;; Σ a[c]·b[c] over `bytes / 4` floats (a multiple of 4).
  (func $dot (param $a i32) (param $b i32) (param $bytes i32) (result f32)
    (local $c i32) (local $acc v128)
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $c) (local.get $bytes)))
      (local.set $acc (f32x4.add (local.get $acc)
        (f32x4.mul (v128.load (i32.add (local.get $a) (local.get $c))) (v128.load (i32.add (local.get $b) (local.get $c))))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $next)))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $acc)) (f32x4.extract_lane 1 (local.get $acc)))
      (f32.add (f32x4.extract_lane 2 (local.get $acc)) (f32x4.extract_lane 3 (local.get $acc)))))

  ;; y[c] += a·x[c] over `bytes / 4` floats (a multiple of 4).
  (func $axpy (param $y i32) (param $a f32) (param $x i32) (param $bytes i32)
    (local $c i32) (local $av v128)
    (local.set $av (f32x4.splat (local.get $a)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $c) (local.get $bytes)))
      (v128.store (i32.add (local.get $y) (local.get $c))
        (f32x4.add (v128.load (i32.add (local.get $y) (local.get $c)))
          (f32x4.mul (local.get $av) (v128.load (i32.add (local.get $x) (local.get $c))))))
      (local.set $c (i32.add (local.get $c) (i32.const 16)))
      (br $next))))

  ;; e^z, four lanes.
  (func $exp4 (param $z v128) (result v128)
    (local $k v128) (local $r v128) (local $e v128)
    (local.set $z (f32x4.max (local.get $z) (v128.const f32x4 -87 -87 -87 -87)))
    (local.set $k (f32x4.nearest (f32x4.mul (local.get $z)
      (v128.const f32x4 1.4426950408889634 1.4426950408889634 1.4426950408889634 1.4426950408889634))))  ;; log₂e
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $z) (f32x4.mul (local.get $k)
        (v128.const f32x4 0.693145751953125 0.693145751953125 0.693145751953125 0.693145751953125)))  ;; ln 2, high part
      (f32x4.mul (local.get $k)
        (v128.const f32x4 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6 1.428606765330187e-6))))  ;; low part
    (local.set $e (f32x4.add (f32x4.mul (local.get $r)
      (v128.const f32x4 0.001388888888888889 0.001388888888888889 0.001388888888888889 0.001388888888888889))  ;; 1/720
      (v128.const f32x4 0.008333333333333333 0.008333333333333333 0.008333333333333333 0.008333333333333333)))  ;; 1/120
    (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r))
      (v128.const f32x4 0.041666666666666664 0.041666666666666664 0.041666666666666664 0.041666666666666664)))  ;; 1/24
    (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r))
      (v128.const f32x4 0.16666666666666666 0.16666666666666666 0.16666666666666666 0.16666666666666666)))  ;; 1/6
    (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
    (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    (local.set $e (f32x4.add (f32x4.mul (local.get $e) (local.get $r)) (v128.const f32x4 1 1 1 1)))
    (f32x4.mul (local.get $e)
      (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $k)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))

  ;; s[j] ← exp(s[j] − shift) · factor for j < n, four at a time (up to n rounded up to 4: the
  ;; scratch row is that long; lanes past n are never read).
  (func $exp_row (param $s i32) (param $n i32) (param $shift f32) (param $factor f32)
    (local $end i32) (local $at i32) (local $sv v128) (local $fv v128)
    (local.set $sv (f32x4.splat (local.get $shift)))
    (local.set $fv (f32x4.splat (local.get $factor)))
    (local.set $end (i32.add (local.get $s) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $at (local.get $s))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
      (v128.store (local.get $at)
        (f32x4.mul (call $exp4 (f32x4.sub (v128.load (local.get $at)) (local.get $sv))) (local.get $fv)))
      (local.set $at (i32.add (local.get $at) (i32.const 16)))
      (br $next))))

  ;; attn_fwd: o, and per row m and l (see the top), for q, k, v laid out as above.
  (func (export "attn_fwd")
    (param $q i32) (param $k i32) (param $v i32) (param $o i32) (param $m i32) (param $l i32) (param $s i32)
    (param $nb i32) (param $nh i32) (param $nkv i32) (param $t i32) (param $d i32) (param $scale f32)
    (local $group i32) (local $row i32) (local $head i32) (local $headBytes i32) (local $kv i32)
    (local $kb i32) (local $vb i32) (local $i i32) (local $j i32) (local $qi i32) (local $oi i32)
    (local $x f32) (local $mx f32) (local $sum f32) (local $inv f32)
    (local.set $row (i32.shl (local.get $d) (i32.const 2)))
    (local.set $headBytes (i32.mul (local.get $t) (local.get $row)))
    (local.set $group (i32.div_u (local.get $nh) (local.get $nkv)))
    (block $heads_done (loop $heads
      (br_if $heads_done (i32.ge_u (local.get $head) (i32.mul (local.get $nb) (local.get $nh))))
      ;; kv head: batch · Hk + (head mod H) / group
      (local.set $kv (i32.add
        (i32.mul (i32.div_u (local.get $head) (local.get $nh)) (local.get $nkv))
        (i32.div_u (i32.rem_u (local.get $head) (local.get $nh)) (local.get $group))))
      (local.set $kb (i32.add (local.get $k) (i32.mul (local.get $kv) (local.get $headBytes))))
      (local.set $vb (i32.add (local.get $v) (i32.mul (local.get $kv) (local.get $headBytes))))
      (local.set $i (i32.const 0))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $t)))
        (local.set $qi (i32.add (local.get $q) (i32.add (i32.mul (local.get $head) (local.get $headBytes)) (i32.mul (local.get $i) (local.get $row)))))
        (local.set $oi (i32.add (local.get $o) (i32.add (i32.mul (local.get $head) (local.get $headBytes)) (i32.mul (local.get $i) (local.get $row)))))
        ;; scores s_j = scale · q_i·k_j for j ≤ i, and their max
        (local.set $mx (f32.const -inf))
        (local.set $j (i32.const 0))
        (block $s_done (loop $scores
          (br_if $s_done (i32.gt_u (local.get $j) (local.get $i)))
          (local.set $x (f32.mul (local.get $scale)
            (call $dot (local.get $qi) (i32.add (local.get $kb) (i32.mul (local.get $j) (local.get $row))) (local.get $row))))
          (f32.store (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 2))) (local.get $x))
          (local.set $mx (f32.max (local.get $mx) (local.get $x)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $scores)))
        ;; e_j = exp(s_j − max), their sum
        (call $exp_row (local.get $s) (i32.add (local.get $i) (i32.const 1)) (local.get $mx) (f32.const 1))
        (local.set $sum (f32.const 0))
        (local.set $j (i32.const 0))
        (block $sum_done (loop $sum
          (br_if $sum_done (i32.gt_u (local.get $j) (local.get $i)))
          (local.set $sum (f32.add (local.get $sum) (f32.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 2))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $sum)))
        (local.set $inv (f32.div (f32.const 1) (local.get $sum)))
        (f32.store (i32.add (local.get $m) (i32.shl (i32.add (i32.mul (local.get $head) (local.get $t)) (local.get $i)) (i32.const 2))) (local.get $mx))
        (f32.store (i32.add (local.get $l) (i32.shl (i32.add (i32.mul (local.get $head) (local.get $t)) (local.get $i)) (i32.const 2))) (local.get $inv))
        ;; o_i = Σ_j (e_j · l_i) v_j
        (memory.fill (local.get $oi) (i32.const 0) (local.get $row))
        (local.set $j (i32.const 0))
        (block $o_done (loop $out
          (br_if $o_done (i32.gt_u (local.get $j) (local.get $i)))
          (call $axpy (local.get $oi)
            (f32.mul (local.get $inv) (f32.load (i32.add (local.get $s) (i32.shl (local.get $j) (i32.const 2)))))
            (i32.add (local.get $vb) (i32.mul (local.get $j) (local.get $row)))
            (local.get $row))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $out)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
      (local.set $head (i32.add (local.get $head) (i32.const 1)))
      (br $heads))))

  ;; attn_bwd: dq, dk, dv from do (the output's gradient), q, k, v and the saved m and l.
  (func (export "attn_bwd")
    (param $q i32) (param $k i32) (param $v i32) (param $do i32) (param $m i32) (param $l i32)
    (param $dq i32) (param $dk i32) (param $dv i32) (param $s i32) (param $dp i32)
    (param $nb i32) (param $nh i32) (param $nkv i32) (param $t i32) (param $d i32) (param $scale f32)
    (local $group i32) (local $row i32) (local $head i32) (local $headBytes i32) (local $kv i32)
    (local $kb i32) (local $vb i32) (local $dkb i32) (local $dvb i32) (local $i i32) (local $j i32)
    (local $qi i32) (local $doi i32) (local $dqi i32) (local $at i32) (local $kj i32)
    (local $mi f32) (local $li f32) (local $di f32) (local $p f32) (local $ds f32)
    (local.set $row (i32.shl (local.get $d) (i32.const 2)))
    (local.set $headBytes (i32.mul (local.get $t) (local.get $row)))
    (local.set $group (i32.div_u (local.get $nh) (local.get $nkv)))
    ;; dk and dv accumulate over the query rows (and the heads of a group)
    (memory.fill (local.get $dk) (i32.const 0) (i32.mul (i32.mul (local.get $nb) (local.get $nkv)) (local.get $headBytes)))
    (memory.fill (local.get $dv) (i32.const 0) (i32.mul (i32.mul (local.get $nb) (local.get $nkv)) (local.get $headBytes)))
    (block $heads_done (loop $heads
      (br_if $heads_done (i32.ge_u (local.get $head) (i32.mul (local.get $nb) (local.get $nh))))
      (local.set $kv (i32.add
        (i32.mul (i32.div_u (local.get $head) (local.get $nh)) (local.get $nkv))
        (i32.div_u (i32.rem_u (local.get $head) (local.get $nh)) (local.get $group))))
      (local.set $kb (i32.add (local.get $k) (i32.mul (local.get $kv) (local.get $headBytes))))
      (local.set $vb (i32.add (local.get $v) (i32.mul (local.get $kv) (local.get $headBytes))))
      (local.set $dkb (i32.add (local.get $dk) (i32.mul (local.get $kv) (local.get $headBytes))))
      (local.set $dvb (i32.add (local.get $dv) (i32.mul (local.get $kv) (local.get $headBytes))))
      (local.set $i (i32.const 0))
      (block $rows_done (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $t)))
        (local.set $at (i32.add (i32.mul (local.get $head) (local.get $headBytes)) (i32.mul (local.get $i) (local.get $row))))
        (local.set $qi (i32.add (local.get $q) (local.get $at)))
        (local.set $doi (i32.add (local.get $do) (local.get $at)))
        (local.set $dqi (i32.add (local.get $dq) (local.get $at)))
        (local.set $at (i32.shl (i32.add (i32.mul (local.get $head) (local.get $t)) (local.get $i)) (i32.const 2)))
        (local.set $mi (f32.load (i32.add (local.get $m) (local.get $at))))
        (local.set $li (f32.load (i32.add (local.get $l) (local.get $at))))
        ;; s_j = scale · q_i·k_j and dp_j = do_i·v_j for j ≤ i
        (local.set $j (i32.const 0))
        (block $s_done (loop $scores
          (br_if $s_done (i32.gt_u (local.get $j) (local.get $i)))
          (local.set $at (i32.shl (local.get $j) (i32.const 2)))
          (f32.store (i32.add (local.get $s) (local.get $at)) (f32.mul (local.get $scale)
            (call $dot (local.get $qi) (i32.add (local.get $kb) (i32.mul (local.get $j) (local.get $row))) (local.get $row))))
          (f32.store (i32.add (local.get $dp) (local.get $at))
            (call $dot (local.get $doi) (i32.add (local.get $vb) (i32.mul (local.get $j) (local.get $row))) (local.get $row)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $scores)))
        ;; p_j = exp(s_j − m_i) · l_i;  D_i = Σ_j p_j dp_j
        (call $exp_row (local.get $s) (i32.add (local.get $i) (i32.const 1)) (local.get $mi) (local.get $li))
        (local.set $di (f32.const 0))
        (local.set $j (i32.const 0))
        (block $d_done (loop $dsum
          (br_if $d_done (i32.gt_u (local.get $j) (local.get $i)))
          (local.set $at (i32.shl (local.get $j) (i32.const 2)))
          (local.set $di (f32.add (local.get $di)
            (f32.mul (f32.load (i32.add (local.get $s) (local.get $at))) (f32.load (i32.add (local.get $dp) (local.get $at))))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $dsum)))
        ;; ds_j = scale · p_j (dp_j − D_i);  dq_i = Σ_j ds_j k_j;  dk_j += ds_j q_i;  dv_j += p_j do_i
        (memory.fill (local.get $dqi) (i32.const 0) (local.get $row))
        (local.set $j (i32.const 0))
        (block $g_done (loop $grads
          (br_if $g_done (i32.gt_u (local.get $j) (local.get $i)))
          (local.set $at (i32.shl (local.get $j) (i32.const 2)))
          (local.set $p (f32.load (i32.add (local.get $s) (local.get $at))))
          (local.set $ds (f32.mul (local.get $scale)
            (f32.mul (local.get $p) (f32.sub (f32.load (i32.add (local.get $dp) (local.get $at))) (local.get $di)))))
          (local.set $kj (i32.mul (local.get $j) (local.get $row)))
          (call $axpy (local.get $dqi) (local.get $ds) (i32.add (local.get $kb) (local.get $kj)) (local.get $row))
          (call $axpy (i32.add (local.get $dkb) (local.get $kj)) (local.get $ds) (local.get $qi) (local.get $row))
          (call $axpy (i32.add (local.get $dvb) (local.get $kj)) (local.get $p) (local.get $doi) (local.get $row))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $grads)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
      (local.set $head (i32.add (local.get $head) (i32.const 1)))
      (br $heads))))
)

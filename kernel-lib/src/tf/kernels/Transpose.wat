;; Transposes of the last two axes: `count` matrices of rows × cols floats (4-byte values) stored
;; back to back at src, each written as cols × rows at dst, on the wasm backend's own memory.
;;
;; Blocks of 4 × 4: four rows loaded as four vectors, turned into four columns by two rounds of
;; shuffles, stored as four vectors; the rows and columns left over (rows mod 4, cols mod 4) one
;; value at a time. A plain loop writes one value per output row per step, with a stride of a
;; whole output row; here each step writes 16 contiguous bytes into each of four output rows.
;;
;;   rows a, b, c, d  →  t0 = a0 b0 a1 b1   t1 = a2 b2 a3 b3   t2 = c0 d0 c1 d1   t3 = c2 d2 c3 d3
;;                    →  columns a0 b0 c0 d0 = t0.lo t2.lo,  a1 b1 c1 d1 = t0.hi t2.hi,  … from t1, t3
(module
  (import "env" "memory" (memory 1))

  ;; One matrix: rows × cols at src → cols × rows at dst.
  (func $matrix (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32)
    (local $i i32) (local $j i32) (local $rowBytes i32) (local $colBytes i32) (local $s i32) (local $o i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $rowBytes (i32.shl (local.get $cols) (i32.const 2)))  ;; an input row
    (local.set $colBytes (i32.shl (local.get $rows) (i32.const 2)))  ;; an output row
    ;; whole blocks of four rows
    (block $rows_done (loop $row_blocks
      (br_if $rows_done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $cols_done (loop $col_blocks
        (br_if $cols_done (i32.gt_u (i32.add (local.get $j) (i32.const 4)) (local.get $cols)))
        ;; s: input (i, j);  o: output (j, i)
        (local.set $s (i32.add (local.get $src) (i32.add (i32.mul (local.get $i) (local.get $rowBytes)) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $o (i32.add (local.get $dst) (i32.add (i32.mul (local.get $j) (local.get $colBytes)) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $r0 (v128.load (local.get $s)))
        (local.set $r1 (v128.load (i32.add (local.get $s) (local.get $rowBytes))))
        (local.set $r2 (v128.load (i32.add (local.get $s) (i32.shl (local.get $rowBytes) (i32.const 1)))))
        (local.set $r3 (v128.load (i32.add (local.get $s) (i32.mul (local.get $rowBytes) (i32.const 3)))))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        (v128.store (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (v128.store (i32.add (local.get $o) (local.get $colBytes))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (v128.store (i32.add (local.get $o) (i32.shl (local.get $colBytes) (i32.const 1)))
          (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (v128.store (i32.add (local.get $o) (i32.mul (local.get $colBytes) (i32.const 3)))
          (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $col_blocks)))
      ;; the last cols mod 4 columns of these four rows
      (block $tail_done (loop $tail
        (br_if $tail_done (i32.ge_u (local.get $j) (local.get $cols)))
        (call $column (local.get $src) (local.get $dst) (local.get $rows) (local.get $cols) (local.get $i) (local.get $j) (i32.const 4))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $tail)))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $row_blocks)))
    ;; the last rows mod 4 rows, every column
    (local.set $j (i32.const 0))
    (block $done (loop $last
      (br_if $done (i32.ge_u (local.get $j) (local.get $cols)))
      (call $column (local.get $src) (local.get $dst) (local.get $rows) (local.get $cols) (local.get $i) (local.get $j) (i32.sub (local.get $rows) (local.get $i)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $last))))

  ;; Input column j, rows i … i + n − 1 (one value at a time) → output row j, columns i ….
  (func $column (param $src i32) (param $dst i32) (param $rows i32) (param $cols i32) (param $i i32) (param $j i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $i) (local.get $n)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
      (i32.store
        (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $rows)) (local.get $i)) (i32.const 2)))
        (i32.load (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $cols)) (local.get $j)) (i32.const 2)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))

  ;; transpose: `count` matrices, each rows × cols, one after another.
  (func (export "transpose") (param $src i32) (param $dst i32) (param $count i32) (param $rows i32) (param $cols i32)
    (local $bytes i32)
    (local.set $bytes (i32.shl (i32.mul (local.get $rows) (local.get $cols)) (i32.const 2)))
    (block $done (loop $next
      (br_if $done (i32.eqz (local.get $count)))
      (call $matrix (local.get $src) (local.get $dst) (local.get $rows) (local.get $cols))
      (local.set $src (i32.add (local.get $src) (local.get $bytes)))
      (local.set $dst (i32.add (local.get $dst) (local.get $bytes)))
      (local.set $count (i32.sub (local.get $count) (i32.const 1)))
      (br $next))))
)

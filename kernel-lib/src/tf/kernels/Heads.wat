;; Moving attention heads between the two layouts a GPT block uses, on the wasm backend's memory:
;;   rows  [batch·seq, Σ heads·headDim]  (what the q/k/v projection writes and c_proj reads)
;;   heads [batch, heads, seq, headDim]  (what attention multiplies)
;; One head of one sequence is `seq` runs of headDim floats, `width` floats apart in the rows
;; layout and back to back in the heads layout: a strided copy.
(module
  (import "env" "memory" (memory 1))

  ;; copy_rows: `rows` times, copy `bytes` bytes from src to dst, then step src by src_stride and
  ;; dst by dst_stride bytes. Runs of whole 16-byte vectors (a head of 4k floats) are copied a
  ;; vector at a time: a memory.copy per run of a few hundred bytes costs more than it moves.
  (func (export "copy_rows")
    (param $src i32) (param $dst i32) (param $rows i32) (param $bytes i32)
    (param $src_stride i32) (param $dst_stride i32)
    (local $i i32) (local $c i32)
    (if (i32.and (local.get $bytes) (i32.const 15))
      (then
        (block $done (loop $next
          (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
          (memory.copy (local.get $dst) (local.get $src) (local.get $bytes))
          (local.set $src (i32.add (local.get $src) (local.get $src_stride)))
          (local.set $dst (i32.add (local.get $dst) (local.get $dst_stride)))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $next)))
        (return)))
    (block $done (loop $next
      (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
      (local.set $c (i32.const 0))
      (block $run_done (loop $run
        (br_if $run_done (i32.ge_u (local.get $c) (local.get $bytes)))
        (v128.store (i32.add (local.get $dst) (local.get $c)) (v128.load (i32.add (local.get $src) (local.get $c))))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $run)))
      (local.set $src (i32.add (local.get $src) (local.get $src_stride)))
      (local.set $dst (i32.add (local.get $dst) (local.get $dst_stride)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $next))))
)

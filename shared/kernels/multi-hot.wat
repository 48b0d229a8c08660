;; Products with a multi-hot matrix X [rows x width] that has one 1 per field in each row, given
;; as `columns`, the row-major [rows x fields] int32 column index of each 1. The dense products
;; cost rows * width * cols multiply-adds; these cost rows * fields * cols adds (41 of 285
;; columns on NSL-KDD), four floats at a time with WebAssembly SIMD.
;;
;; Matrices are row-major float32 with `stride` floats per row, a multiple of 4 (the caller
;; pads); all pointers are byte offsets into this module's memory, 16-byte aligned.
;; Source of shared/kernels/multi-hot-wasm.ts (npm run kernels:gen).
(module
  (memory (export "memory") 1)

  ;; out = X M: out[r] = sum over f of M[columns[r, f]]. out is [rows x stride].
  ;; Each row is summed 16 floats at a time in four registers, field after field, and stored
  ;; once: summing into the output in memory loaded and stored it again for every field.
  ;; Every float is still the sum of the same values in the same order (field 0 first).
  (func (export "times")
    (param $columns i32) (param $rows i32) (param $fields i32)
    (param $matrix i32) (param $stride i32) (param $out i32)
    (local $rowBytes i32) (local $row i32) (local $rowEnd i32) (local $columnsEnd i32)
    (local $dst i32) (local $dstEnd i32) (local $wideEnd i32) (local $offset i32)
    (local $column i32) (local $src i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $row (local.get $columns))
    (local.set $columnsEnd
      (i32.add (local.get $columns)
        (i32.shl (i32.mul (local.get $rows) (local.get $fields)) (i32.const 2))))
    (local.set $dst (local.get $out))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $row) (local.get $columnsEnd)))
        (local.set $rowEnd (i32.add (local.get $row) (i32.shl (local.get $fields) (i32.const 2))))
        (local.set $dstEnd (i32.add (local.get $dst) (local.get $rowBytes)))
        ;; Where the 16-float chunks end; the rest (stride mod 16) goes 4 floats at a time.
        (local.set $wideEnd
          (i32.add (local.get $dst) (i32.and (local.get $rowBytes) (i32.const -64))))
        (local.set $offset (i32.const 0))
        (block $wideDone
          (loop $wide
            (br_if $wideDone
              (i32.ge_u (i32.add (local.get $dst) (local.get $offset)) (local.get $wideEnd)))
            (local.set $src
              (i32.add (i32.add (local.get $matrix) (local.get $offset))
                (i32.mul (i32.load (local.get $row)) (local.get $rowBytes))))
            (local.set $a (v128.load (local.get $src)))
            (local.set $b (v128.load offset=16 (local.get $src)))
            (local.set $c (v128.load offset=32 (local.get $src)))
            (local.set $d (v128.load offset=48 (local.get $src)))
            (local.set $column (i32.add (local.get $row) (i32.const 4)))
            (block $fieldsDone
              (loop $field
                (br_if $fieldsDone (i32.ge_u (local.get $column) (local.get $rowEnd)))
                (local.set $src
                  (i32.add (i32.add (local.get $matrix) (local.get $offset))
                    (i32.mul (i32.load (local.get $column)) (local.get $rowBytes))))
                (local.set $a (f32x4.add (local.get $a) (v128.load (local.get $src))))
                (local.set $b (f32x4.add (local.get $b) (v128.load offset=16 (local.get $src))))
                (local.set $c (f32x4.add (local.get $c) (v128.load offset=32 (local.get $src))))
                (local.set $d (f32x4.add (local.get $d) (v128.load offset=48 (local.get $src))))
                (local.set $column (i32.add (local.get $column) (i32.const 4)))
                (br $field)))
            (local.set $src (i32.add (local.get $dst) (local.get $offset)))
            (v128.store (local.get $src) (local.get $a))
            (v128.store offset=16 (local.get $src) (local.get $b))
            (v128.store offset=32 (local.get $src) (local.get $c))
            (v128.store offset=48 (local.get $src) (local.get $d))
            (local.set $offset (i32.add (local.get $offset) (i32.const 64)))
            (br $wide)))
        (block $narrowDone
          (loop $narrow
            (br_if $narrowDone
              (i32.ge_u (i32.add (local.get $dst) (local.get $offset)) (local.get $dstEnd)))
            (local.set $a
              (v128.load
                (i32.add (i32.add (local.get $matrix) (local.get $offset))
                  (i32.mul (i32.load (local.get $row)) (local.get $rowBytes)))))
            (local.set $column (i32.add (local.get $row) (i32.const 4)))
            (block $fieldsDone
              (loop $field
                (br_if $fieldsDone (i32.ge_u (local.get $column) (local.get $rowEnd)))
                (local.set $a
                  (f32x4.add (local.get $a)
                    (v128.load
                      (i32.add (i32.add (local.get $matrix) (local.get $offset))
                        (i32.mul (i32.load (local.get $column)) (local.get $rowBytes))))))
                (local.set $column (i32.add (local.get $column) (i32.const 4)))
                (br $field)))
            (v128.store (i32.add (local.get $dst) (local.get $offset)) (local.get $a))
            (local.set $offset (i32.add (local.get $offset) (i32.const 16)))
            (br $narrow)))
        (local.set $row (local.get $rowEnd))
        (local.set $dst (local.get $dstEnd))
        (br $rowLoop))))

  ;; out += Xᵀ D: out[columns[r, f]] += D[r] for every r and f. D is [rows x stride], out is
  ;; [width x stride] and holds zeros (or what to add to) on entry.
  (func (export "transposeTimes")
    (param $columns i32) (param $rows i32) (param $fields i32)
    (param $d i32) (param $stride i32) (param $out i32)
    (local $rowBytes i32) (local $column i32) (local $columnsEnd i32) (local $rowEnd i32)
    (local $src i32) (local $srcEnd i32) (local $at i32) (local $dst i32)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $column (local.get $columns))
    (local.set $columnsEnd
      (i32.add (local.get $columns)
        (i32.shl (i32.mul (local.get $rows) (local.get $fields)) (i32.const 2))))
    (local.set $src (local.get $d))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $column) (local.get $columnsEnd)))
        (local.set $srcEnd (i32.add (local.get $src) (local.get $rowBytes)))
        (local.set $rowEnd (i32.add (local.get $column) (i32.shl (local.get $fields) (i32.const 2))))
        (block $fieldsDone
          (loop $field
            (br_if $fieldsDone (i32.ge_u (local.get $column) (local.get $rowEnd)))
            (local.set $dst
              (i32.add (local.get $out)
                (i32.mul (i32.load (local.get $column)) (local.get $rowBytes))))
            (local.set $at (local.get $src))
            (block $added
              (loop $add
                (br_if $added (i32.ge_u (local.get $at) (local.get $srcEnd)))
                (v128.store (local.get $dst)
                  (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $at))))
                (local.set $at (i32.add (local.get $at) (i32.const 16)))
                (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
                (br $add)))
            (local.set $column (i32.add (local.get $column) (i32.const 4)))
            (br $field)))
        (local.set $src (local.get $srcEnd))
        (br $row))))

  ;; out = 1ᵀ D, the column sums of D [rows x stride] (a layer's bias gradient): [stride].
  (func (export "columnSums") (param $d i32) (param $rows i32) (param $stride i32) (param $out i32)
    (local $rowBytes i32) (local $src i32) (local $srcEnd i32) (local $at i32) (local $dst i32)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $srcEnd (i32.add (local.get $d) (i32.mul (local.get $rows) (local.get $rowBytes))))
    (memory.fill (local.get $out) (i32.const 0) (local.get $rowBytes))
    (local.set $src (local.get $d))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $src) (local.get $srcEnd)))
        (local.set $dst (local.get $out))
        (local.set $at (local.get $src))
        (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
        (block $added
          (loop $add
            (br_if $added (i32.ge_u (local.get $at) (local.get $src)))
            (v128.store (local.get $dst)
              (f32x4.add (v128.load (local.get $dst)) (v128.load (local.get $at))))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
            (br $add)))
        (br $row)))))

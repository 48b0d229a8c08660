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
  (func (export "times")
    (param $columns i32) (param $rows i32) (param $fields i32)
    (param $matrix i32) (param $stride i32) (param $out i32)
    (local $rowBytes i32) (local $column i32) (local $columnsEnd i32) (local $rowEnd i32)
    (local $dst i32) (local $dstEnd i32) (local $src i32) (local $at i32)
    (local.set $rowBytes (i32.shl (local.get $stride) (i32.const 2)))
    (local.set $column (local.get $columns))
    (local.set $columnsEnd
      (i32.add (local.get $columns)
        (i32.shl (i32.mul (local.get $rows) (local.get $fields)) (i32.const 2))))
    (local.set $dst (local.get $out))
    (block $done
      (loop $row
        (br_if $done (i32.ge_u (local.get $column) (local.get $columnsEnd)))
        (local.set $dstEnd (i32.add (local.get $dst) (local.get $rowBytes)))
        (local.set $rowEnd (i32.add (local.get $column) (i32.shl (local.get $fields) (i32.const 2))))
        ;; The first field's row is copied, the others added to it.
        (local.set $src
          (i32.add (local.get $matrix)
            (i32.mul (i32.load (local.get $column)) (local.get $rowBytes))))
        (local.set $at (local.get $dst))
        (block $copied
          (loop $copy
            (br_if $copied (i32.ge_u (local.get $at) (local.get $dstEnd)))
            (v128.store (local.get $at) (v128.load (local.get $src)))
            (local.set $at (i32.add (local.get $at) (i32.const 16)))
            (local.set $src (i32.add (local.get $src) (i32.const 16)))
            (br $copy)))
        (local.set $column (i32.add (local.get $column) (i32.const 4)))
        (block $fieldsDone
          (loop $field
            (br_if $fieldsDone (i32.ge_u (local.get $column) (local.get $rowEnd)))
            (local.set $src
              (i32.add (local.get $matrix)
                (i32.mul (i32.load (local.get $column)) (local.get $rowBytes))))
            (local.set $at (local.get $dst))
            (block $added
              (loop $add
                (br_if $added (i32.ge_u (local.get $at) (local.get $dstEnd)))
                (v128.store (local.get $at)
                  (f32x4.add (v128.load (local.get $at)) (v128.load (local.get $src))))
                (local.set $at (i32.add (local.get $at) (i32.const 16)))
                (local.set $src (i32.add (local.get $src) (i32.const 16)))
                (br $add)))
            (local.set $column (i32.add (local.get $column) (i32.const 4)))
            (br $field)))
        (local.set $dst (local.get $dstEnd))
        (br $row))))

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

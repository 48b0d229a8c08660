;; One Adam step over flat float32 vectors, four weights at a time with WebAssembly SIMD:
;;   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g²;  w -= stepSize m / (sqrt(v) rootScale + eps)
;; where stepSize = lr / (1 - b1^t) and rootScale = 1 / sqrt(1 - b2^t) carry the bias
;; corrections. `vectors` counts groups of 4 floats (the caller pads with zeros, which stay
;; zero); pointers are byte offsets into this module's memory, 16-byte aligned.
;; Source of shared/kernels/adam-wasm.ts (npm run kernels:gen).
(module
  (memory (export "memory") 1)

  (func (export "step")
    (param $w i32) (param $g i32) (param $m i32) (param $v i32) (param $vectors i32)
    (param $b1 f32) (param $b2 f32) (param $stepSize f32) (param $rootScale f32) (param $eps f32)
    (local $at i32) (local $end i32)
    (local $gi v128) (local $mi v128) (local $vi v128)
    (local $b1x v128) (local $c1x v128) (local $b2x v128) (local $c2x v128)
    (local $stepx v128) (local $rootx v128) (local $epsx v128)
    (local.set $b1x (f32x4.splat (local.get $b1)))
    (local.set $c1x (f32x4.splat (f32.sub (f32.const 1) (local.get $b1))))
    (local.set $b2x (f32x4.splat (local.get $b2)))
    (local.set $c2x (f32x4.splat (f32.sub (f32.const 1) (local.get $b2))))
    (local.set $stepx (f32x4.splat (local.get $stepSize)))
    (local.set $rootx (f32x4.splat (local.get $rootScale)))
    (local.set $epsx (f32x4.splat (local.get $eps)))
    (local.set $end (i32.shl (local.get $vectors) (i32.const 4)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $at) (local.get $end)))
        (local.set $gi (v128.load (i32.add (local.get $g) (local.get $at))))
        (local.set $mi
          (f32x4.add
            (f32x4.mul (local.get $b1x) (v128.load (i32.add (local.get $m) (local.get $at))))
            (f32x4.mul (local.get $c1x) (local.get $gi))))
        (local.set $vi
          (f32x4.add
            (f32x4.mul (local.get $b2x) (v128.load (i32.add (local.get $v) (local.get $at))))
            (f32x4.mul (local.get $c2x) (f32x4.mul (local.get $gi) (local.get $gi)))))
        (v128.store (i32.add (local.get $m) (local.get $at)) (local.get $mi))
        (v128.store (i32.add (local.get $v) (local.get $at)) (local.get $vi))
        (v128.store (i32.add (local.get $w) (local.get $at))
          (f32x4.sub
            (v128.load (i32.add (local.get $w) (local.get $at)))
            (f32x4.div
              (f32x4.mul (local.get $stepx) (local.get $mi))
              (f32x4.add
                (f32x4.mul (f32x4.sqrt (local.get $vi)) (local.get $rootx))
                (local.get $epsx)))))
        (local.set $at (i32.add (local.get $at) (i32.const 16)))
        (br $next))))
)

// Winograd F(2x2, 3x3) of `enum Kernels`: the transforms, and the 16 products by the
// pixel-tile kernels (PixelTileKernelSource.swift). A part of the runtime text that
// ConvKernelSource.swift joins with the other conv kernels.

let winogradKernelSource = #"""
        /// A 3x3 stride-1 convolution by Winograd's F(2x2, 3x3) (Lavin and Gray, 2015): each
        /// 4x4 input tile d becomes V = B^T d B, each filter g was made U = G g G^T at load
        /// time, and each 2x2 output tile is A^T M A, where M sums U * V (elementwise) over the
        /// input channels: 16 matrix products [oc x ic] x [ic x tiles] instead of 9 taps, 2.25x
        /// fewer multiply-adds. The input is padded; output height and width are even. Tiles
        /// run in chunks of `chunkRows` rows of tiles (at least 16 tiles; a last chunk under
        /// 16 tiles is a whole one overlapping the one before): the chunk's input transformed into `v` ([16][ic][tiles +
        /// 8], a row's tiles 8 per vector (16 on rows of 16+ with 16-float vectors), the last vector overlapping the one before, or one
        /// vector whose lanes past the row spill into the 8 floats of slack; an element every
        /// `vElement` floats), the 16 products by `conv6x32` or `conv6x16` into `m` ([16][oc][tiles],
        /// an element every `mElement` floats, 8 floats of slack after), then the output
        /// transform adds the bias, the residual and the activation as it stores. The threads
        /// share each chunk, or, when each gets a whole chunk or more, run chunks of their own
        /// rows in buffers of their own (`Workers.scratch`).
        @inline(never)
        static func winograd(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, _ zero: UnsafePointer<Float>,
                             _ bias: UnsafePointer<Float>, _ off: UnsafePointer<Int>, _ v: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                             _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ plane: Int, _ chunkRows: Int,
                             _ vElement: Int, _ mElement: Int, _ act: Int, _ res: UnsafePointer<Float>?, _ threads: Team) {
            let across = ow >> 1, down = oh >> 1
            let vStride = chunkRows &* across &+ 8
            let groups = (across &+ 7) >> 3
            let wide16 = threads.wide && across >= 16, groups16 = (across &+ 15) >> 4
            let element = (oc &+ 5) / 6 &* 6 &* ic
            // With threads, and a whole chunk or more for each: each thread runs its own rows
            // of tiles in chunks of its own, in buffers of its own (the caller's v and m, each
            // worker's scratch). Chunks shared by the threads moved the transformed input and the
            // products between the cores' caches: at 2 threads ResNet-50's 56x56 64-channel
            // layers 0.86-0.95 -> 0.66-0.76 ms, DenseNet-121's 56x56 128 -> 32 ones 1.2 -> 0.72,
            // VGG-16's 224x224 64 -> 64 12.1 -> 9.8 (docs/BENCHMARKS.md).
            let count = threads.workers.map { $0.count &+ 1 } ?? 1
            if let workers = threads.workers, let scratch = workers.scratch, workers.scratchCount >= 16 &* (vElement &+ mElement) &+ 8,
               down / count >= chunkRows {
                parallel(count, threads, work: .max) { lo, hi in
                    for t in lo ..< hi {
                        let vt = t == 0 ? v : scratch + (t &- 1) &* workers.scratchCount
                        chunks(down &* t / count, down &* (t &+ 1) / count, vt, vt + 16 &* vElement, Team(workers: nil, wide: threads.wide))
                    }
                }
            } else {
                chunks(0, down, v, m, threads)
            }

            /// Rows of tiles first ..< end, chunk by chunk, in the buffers v and m.
            func chunks(_ first: Int, _ end: Int, _ v: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>, _ threads: Team) {
                var next = first
                while next < end {
                    // The last chunk: the rows left, or (under 16 tiles) a whole chunk overlapping.
                    let left = min(chunkRows, end &- next)
                    let rows = left &* across >= 16 ? left : chunkRows
                    let r0 = end &- rows < next ? end &- rows : next
                    let tiles = rows &* across
                    // V = B^T d B for 16 or 8 tiles at once; B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
                    parallel(ic, threads, work: ic &* tiles &* 64) { lo, hi in
                        let stride = vElement &* 4
                        for c in lo ..< hi {
                            if wide16 {
                                // 16 tiles at once (rows of 16+ tiles with 16-float vectors): the same
                                // sums per tile, half the instructions. Written out per width, like the
                                // output transform: one body generic over the vector type ran the
                                // transforms 2x slower (ResNet's 56x56 layers 1.12 -> 1.20 ms).
                                for r in 0 ..< rows {
                                    for g in 0 ..< groups16 {
                                        let tx = min(g << 4, across &- 16)
                                        let p = UnsafeRawPointer(x + (c &* plane &+ (r0 &+ r) &* 2 &* pw &+ tx &* 2))
                                        @inline(__always) func d(_ i: Int, _ j: Int) -> SIMD16<Float> {
                                            p.loadUnaligned(fromByteOffset: (i &* pw &+ j) &* 4, as: SIMD32<Float>.self).evenHalf
                                        }
                                        @inline(__always) func column(_ j: Int) -> (SIMD16<Float>, SIMD16<Float>, SIMD16<Float>, SIMD16<Float>) {
                                            let d0 = d(0, j), d1 = d(1, j), d2 = d(2, j), d3 = d(3, j)
                                            return (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
                                        }
                                        let (t00, t10, t20, t30) = column(0), (t01, t11, t21, t31) = column(1)
                                        let (t02, t12, t22, t32) = column(2), (t03, t13, t23, t33) = column(3)
                                        let o = UnsafeMutableRawPointer(v + (c &* vStride &+ r &* across &+ tx))
                                        @inline(__always) func put(_ i: Int, _ a: SIMD16<Float>, _ b: SIMD16<Float>, _ c: SIMD16<Float>, _ d: SIMD16<Float>) {
                                            let e = i &* 4 &* stride
                                            o.storeBytes(of: a - c, toByteOffset: e, as: SIMD16<Float>.self)
                                            o.storeBytes(of: b + c, toByteOffset: e &+ stride, as: SIMD16<Float>.self)
                                            o.storeBytes(of: c - b, toByteOffset: e &+ 2 &* stride, as: SIMD16<Float>.self)
                                            o.storeBytes(of: b - d, toByteOffset: e &+ 3 &* stride, as: SIMD16<Float>.self)
                                        }
                                        put(0, t00, t01, t02, t03); put(1, t10, t11, t12, t13)
                                        put(2, t20, t21, t22, t23); put(3, t30, t31, t32, t33)
                                    }
                                }
                                continue
                            }
                            for r in 0 ..< rows {
                                for g in 0 ..< groups {
                                    let tx = max(0, min(g << 3, across &- 8))
                                    let p = x + (c &* plane &+ (r0 &+ r) &* 2 &* pw &+ tx &* 2)
                                    @inline(__always) func column(_ j: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                                        let d0 = strided(p + j, 2), d1 = strided(p + (pw &+ j), 2)
                                        let d2 = strided(p + (2 &* pw &+ j), 2), d3 = strided(p + (3 &* pw &+ j), 2)
                                        return (d0 - d2, d1 + d2, d2 - d1, d1 - d3)
                                    }
                                    let (t00, t10, t20, t30) = column(0), (t01, t11, t21, t31) = column(1)
                                    let (t02, t12, t22, t32) = column(2), (t03, t13, t23, t33) = column(3)
                                    let o = UnsafeMutableRawPointer(v + (c &* vStride &+ r &* across &+ tx))
                                    @inline(__always) func put(_ i: Int, _ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>, _ d: SIMD8<Float>) {
                                        let e = i &* 4 &* stride
                                        o.storeBytes(of: a - c, toByteOffset: e, as: SIMD8<Float>.self)
                                        o.storeBytes(of: b + c, toByteOffset: e &+ stride, as: SIMD8<Float>.self)
                                        o.storeBytes(of: c - b, toByteOffset: e &+ 2 &* stride, as: SIMD8<Float>.self)
                                        o.storeBytes(of: b - d, toByteOffset: e &+ 3 &* stride, as: SIMD8<Float>.self)
                                    }
                                    put(0, t00, t01, t02, t03); put(1, t10, t11, t12, t13)
                                    put(2, t20, t21, t22, t23); put(3, t30, t31, t32, t33)
                                }
                            }
                        }
                    }
                    // The 16 products as one parallel loop (one wait for the threads, not 16), by
                    // tiles of 32 pixels (here: Winograd tiles) when the chunk has 32 or more, in
                    // pairs of blocks (docs/BENCHMARKS.md: VGG-16's 256-channel layers at 56x56 and
                    // 28x28, 8-13% slower by single blocks than by the 8-float kernel, are 40% faster
                    // by pairs). Items: (pairs of) blocks x tiles, as the kernel counts them.
                    let wide = threads.wide && tiles >= 32
                    let items = wide ? ((oc &+ 5) / 6 &+ 1) >> 1 &* ((tiles &+ 31) >> 5) : (oc &+ 5) / 6 &* ((tiles &+ 15) >> 4)
                    parallel(16 &* items, threads, work: 16 &* items &* ic &* (wide ? 384 : 96)) { lo, hi in
                        var i = lo
                        while i < hi {
                            let e = i / items, end = min(hi, (e &+ 1) &* items)
                            let part = (i &- e &* items) ..< (end &- e &* items)
                            if wide {
                                conv6x32(v + e &* vElement, m + e &* mElement, u + e &* element, zero, off, ic, ic, oc, 1, tiles, tiles, 1, 0, nil, items: part, paired: true)
                            } else {
                                conv6x16(v + e &* vElement, m + e &* mElement, u + e &* element, zero, off, ic, ic, oc, 1, tiles, tiles, 1, 0, nil, items: part)
                            }
                            i = end
                        }
                    }
                    // Y = A^T M A; A^T = [1 1 1 0; 0 1 -1 -1].
                    parallel(oc, threads, work: oc &* tiles &* 64) { lo, hi in
                        let stride = mElement &* 4
                        for o in lo ..< hi {
                            if wide16 {
                                let b = SIMD16<Float>(repeating: bias[o])
                                for r in 0 ..< rows {
                                    for g in 0 ..< groups16 {
                                        let tx = min(g << 4, across &- 16)
                                        let q = UnsafeRawPointer(m + (o &* tiles &+ r &* across &+ tx))
                                        @inline(__always) func at(_ e: Int) -> SIMD16<Float> { q.loadUnaligned(fromByteOffset: e &* stride, as: SIMD16<Float>.self) }
                                        @inline(__always) func column(_ j: Int) -> (SIMD16<Float>, SIMD16<Float>) {
                                            let m1 = at(4 &+ j), m2 = at(8 &+ j)
                                            return (at(j) + m1 + m2, m1 - m2 - at(12 &+ j))
                                        }
                                        let (s00, s10) = column(0), (s01, s11) = column(1), (s02, s12) = column(2), (s03, s13) = column(3)
                                        let y00 = s00 + s01 + s02 + b, y01 = s01 - s02 - s03 + b
                                        let y10 = s10 + s11 + s12 + b, y11 = s11 - s12 - s13 + b
                                        let at0 = o &* oh &* ow &+ (r0 &+ r) &* 2 &* ow &+ tx &* 2, at1 = at0 &+ ow
                                        // Output columns 2 tx ..< 2 tx + 32 from the two columns of 16 tiles.
                                        @inline(__always) func row(_ a: SIMD16<Float>, _ c: SIMD16<Float>, _ at: Int) {
                                            let lo = SIMD16(a[0], c[0], a[1], c[1], a[2], c[2], a[3], c[3], a[4], c[4], a[5], c[5], a[6], c[6], a[7], c[7])
                                            let hi = SIMD16(a[8], c[8], a[9], c[9], a[10], c[10], a[11], c[11], a[12], c[12], a[13], c[13], a[14], c[14], a[15], c[15])
                                            storeRow16(lo, y + at, act, res.map { $0 + at })
                                            storeRow16(hi, y + (at &+ 16), act, res.map { $0 + (at &+ 16) })
                                        }
                                        row(y00, y01, at0); row(y10, y11, at1)
                                    }
                                }
                                continue
                            }
                            let b = SIMD8<Float>(repeating: bias[o])
                            for r in 0 ..< rows {
                                for g in 0 ..< groups {
                                    let tx = max(0, min(g << 3, across &- 8))
                                    let q = UnsafeRawPointer(m + (o &* tiles &+ r &* across &+ tx))
                                    @inline(__always) func at(_ e: Int) -> SIMD8<Float> { q.loadUnaligned(fromByteOffset: e &* stride, as: SIMD8<Float>.self) }
                                    @inline(__always) func column(_ j: Int) -> (SIMD8<Float>, SIMD8<Float>) {
                                        let m1 = at(4 &+ j), m2 = at(8 &+ j)
                                        return (at(j) + m1 + m2, m1 - m2 - at(12 &+ j))
                                    }
                                    let (s00, s10) = column(0), (s01, s11) = column(1), (s02, s12) = column(2), (s03, s13) = column(3)
                                    let y00 = s00 + s01 + s02 + b, y01 = s01 - s02 - s03 + b
                                    let y10 = s10 + s11 + s12 + b, y11 = s11 - s12 - s13 + b
                                    let at0 = o &* oh &* ow &+ (r0 &+ r) &* 2 &* ow &+ tx &* 2, at1 = at0 &+ ow
                                    // Output columns 2 tx ..< 2 tx + 16 from the two columns of 8 tiles.
                                    @inline(__always) func row(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ at: Int) {
                                        let lo = SIMD8(a[0], b[0], a[1], b[1], a[2], b[2], a[3], b[3])
                                        let hi = SIMD8(a[4], b[4], a[5], b[5], a[6], b[6], a[7], b[7])
                                        if across >= 8 {
                                            storeRow(lo, y + at, act, res.map { $0 + at })
                                            storeRow(hi, y + (at &+ 8), act, res.map { $0 + (at &+ 8) })
                                        } else {
                                            var l = lo, h = hi
                                            if let res { l += loadFirst(res + at, 2 &* across); h += loadFirst(res + (at &+ 8), 2 &* across &- 8) }
                                            storePartial(l, y + at, min(8, 2 &* across), act)
                                            if across > 4 { storePartial(h, y + (at &+ 8), 2 &* across &- 8, act) }
                                        }
                                    }
                                    row(y00, y01, at0); row(y10, y11, at1)
                                }
                            }
                        }
                    }
                    next = r0 &+ rows
                }
            }
        }
"""#

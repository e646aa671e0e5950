// Winograd F(2x2, 3x3) and F(4x4, 3x3) of `enum Kernels`: the transforms, the products by
// the pixel-tile kernels (PixelTileKernelSource.swift), and F(4x4, 3x3)'s input preparation
// (`padQuarter`). A part of the runtime text that ConvKernelSource.swift joins with the
// other conv kernels.

let winogradKernelSource = #"""
        /// A 3x3 stride-1 convolution by Winograd's F(tile x tile, 3x3) (Lavin and Gray, 2015),
        /// `tile` 2 or 4: each (tile + 2)^2 input tile d becomes V = B^T d B, each filter g was
        /// made U = G g G^T at load time, and each output tile is A^T M A, where M sums U * V
        /// (elementwise) over the input channels: (tile + 2)^2 matrix products [oc x ic] x
        /// [ic x tiles] instead of 9 taps, 2.25x (tile 2) or 4x (tile 4) fewer multiply-adds.
        /// With tile 2 the input is padded and the output sides are even; with tile 4 the
        /// padded rows are split into 4 phases of columns (`padQuarter`), with zero rows and
        /// columns to make whole tiles, and the output transform stores only the pixels of the
        /// plane. Tiles run in chunks of `chunkRows` rows of tiles (at least 16 tiles; a last
        /// chunk under 16 tiles is a whole one overlapping the one before): the chunk's input
        /// transformed into `v` ([elements][ic][tiles + 8], a row's tiles 8 per vector (16 on
        /// rows of 16+ with 16-float vectors and tile 2), the last vector overlapping the one
        /// before, or one vector whose lanes past the row spill into the 8 floats of slack; an
        /// element every `vElement` floats), the products by `conv6x32` or `conv6x16` into `m`
        /// ([elements][oc][tiles], an element every `mElement` floats, 8 floats of slack after),
        /// then the output transform adds the bias, the residual and the activation as it
        /// stores. The threads share each chunk, or, when each gets a whole chunk or more, run
        /// chunks of their own rows in buffers of their own (`Workers.scratch`).
        @inline(never)
        static func winograd(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, _ zero: UnsafePointer<Float>,
                             _ bias: UnsafePointer<Float>, _ off: UnsafePointer<Int>, _ v: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                             _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ plane: Int, _ tile: Int, _ chunkRows: Int,
                             _ vElement: Int, _ mElement: Int, _ act: Int, _ res: UnsafePointer<Float>?, _ threads: Team) {
            let across = (ow &+ tile &- 1) / tile, down = (oh &+ tile &- 1) / tile, elements = (tile &+ 2) &* (tile &+ 2), quarter = pw >> 2
            let vStride = chunkRows &* across &+ 8
            let groups = (across &+ 7) >> 3
            let wide16 = threads.wide && across >= 16 && tile == 2, groups16 = (across &+ 15) >> 4
            let element = (oc &+ 5) / 6 &* 6 &* ic
            // With threads, and a whole chunk or more for each: each thread runs its own rows
            // of tiles in chunks of its own, in buffers of its own (the caller's v and m, each
            // worker's scratch). Chunks shared by the threads moved the transformed input and the
            // products between the cores' caches: at 2 threads ResNet-50's 56x56 64-channel
            // layers 0.86-0.95 -> 0.66-0.76 ms, DenseNet-121's 56x56 128 -> 32 ones 1.2 -> 0.72,
            // VGG-16's 224x224 64 -> 64 12.1 -> 9.8 (docs/BENCHMARKS.md).
            let count = threads.workers.map { $0.count &+ 1 } ?? 1
            if let workers = threads.workers, let scratch = workers.scratch, workers.scratchCount >= elements &* (vElement &+ mElement) &+ 8,
               down / count >= chunkRows {
                parallel(count, threads, work: .max) { lo, hi in
                    for t in lo ..< hi {
                        let vt = t == 0 ? v : scratch + (t &- 1) &* workers.scratchCount
                        chunks(down &* t / count, down &* (t &+ 1) / count, vt, vt + elements &* vElement, Team(workers: nil, wide: threads.wide))
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
                            if tile == 4 {
                                for r in 0 ..< rows { input4(c, r0 &+ r, r) }
                                continue
                            }
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
                    parallel(elements &* items, threads, work: elements &* items &* ic &* (wide ? 384 : 96)) { lo, hi in
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
                            if tile == 4 {
                                for r in 0 ..< rows { output4(o, r0 &+ r, r) }
                                continue
                            }
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
                                            storePartial(lo, y + at, min(8, 2 &* across), act, res.map { $0 + at })
                                            if across > 4 { storePartial(hi, y + (at &+ 8), 2 &* across &- 8, act, res.map { $0 + (at &+ 8) }) }
                                        }
                                    }
                                    row(y00, y01, at0); row(y10, y11, at1)
                                }
                            }
                        }
                    }
                    next = r0 &+ rows

                    /// F(4x4, 3x3)'s input transform of row `row` of tiles (the chunk's row `r`), 8
                    /// tiles at a time: V = B^T d B, B^T = [4 0 -5 0 1 0; 0 -4 -4 1 1 0; 0 4 -4 -1 1 0;
                    /// 0 -2 -1 2 1 0; 0 2 -1 -2 1 0; 0 4 0 -5 0 1], along the 6 rows of the tiles' input
                    /// and then down the 6 columns.
                    func input4(_ c: Int, _ row: Int, _ r: Int) {
                        for g in 0 ..< groups {
                            let tx = max(0, min(g << 3, across &- 8))
                            let p = UnsafeRawPointer(x + (c &* plane &+ row &* 4 &* pw &+ tx))
                            // Row i of the 8 tiles: columns 4 t + j, j < 6, from the row's 4 phases
                            // (`padQuarter`): j < 4 at phase j, 4 and 5 at phases 0 and 1, a tile on.
                            @inline(__always) func along(_ i: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                                @inline(__always) func d(_ at: Int) -> SIMD8<Float> {
                                    p.loadUnaligned(fromByteOffset: (i &* pw &+ at) &* 4, as: SIMD8<Float>.self)
                                }
                                return inputLine(d(0), d(quarter), d(2 &* quarter), d(3 &* quarter), d(1), d(quarter &+ 1))
                            }
                            let w0 = along(0), w1 = along(1), w2 = along(2), w3 = along(3), w4 = along(4), w5 = along(5)
                            let o = UnsafeMutableRawPointer(v + (c &* vStride &+ r &* across &+ tx))
                            let stride = vElement &* 4
                            @inline(__always) func put(_ j: Int, _ t: (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)) {
                                o.storeBytes(of: t.0, toByteOffset: j &* stride, as: SIMD8<Float>.self)
                                o.storeBytes(of: t.1, toByteOffset: (6 &+ j) &* stride, as: SIMD8<Float>.self)
                                o.storeBytes(of: t.2, toByteOffset: (12 &+ j) &* stride, as: SIMD8<Float>.self)
                                o.storeBytes(of: t.3, toByteOffset: (18 &+ j) &* stride, as: SIMD8<Float>.self)
                                o.storeBytes(of: t.4, toByteOffset: (24 &+ j) &* stride, as: SIMD8<Float>.self)
                                o.storeBytes(of: t.5, toByteOffset: (30 &+ j) &* stride, as: SIMD8<Float>.self)
                            }
                            put(0, inputLine(w0.0, w1.0, w2.0, w3.0, w4.0, w5.0)); put(1, inputLine(w0.1, w1.1, w2.1, w3.1, w4.1, w5.1))
                            put(2, inputLine(w0.2, w1.2, w2.2, w3.2, w4.2, w5.2)); put(3, inputLine(w0.3, w1.3, w2.3, w3.3, w4.3, w5.3))
                            put(4, inputLine(w0.4, w1.4, w2.4, w3.4, w4.4, w5.4)); put(5, inputLine(w0.5, w1.5, w2.5, w3.5, w4.5, w5.5))
                        }
                    }

                    /// F(4x4, 3x3)'s output transform of output channel `o` in row `row` of tiles (the
                    /// chunk's row `r`), 8 tiles at a time: Y = A^T M A + bias, A^T = [1 1 1 1 1 0;
                    /// 0 1 -1 2 -2 0; 0 1 1 4 4 0; 0 1 -1 8 -8 1], then the residual and the activation as
                    /// it stores 4 rows of 32 pixels (4 x across when the row has fewer than 8 tiles).
                    func output4(_ o: Int, _ row: Int, _ r: Int) {
                        let b = SIMD8<Float>(repeating: bias[o]), stride = mElement &* 4
                        for g in 0 ..< groups {
                            let tx = max(0, min(g << 3, across &- 8))
                            let q = UnsafeRawPointer(m + (o &* tiles &+ r &* across &+ tx))
                            @inline(__always) func along(_ i: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                                @inline(__always) func load(_ j: Int) -> SIMD8<Float> {
                                    q.loadUnaligned(fromByteOffset: (i &* 6 &+ j) &* stride, as: SIMD8<Float>.self)
                                }
                                return outputLine(load(0), load(1), load(2), load(3), load(4), load(5))
                            }
                            let s0 = along(0), s1 = along(1), s2 = along(2), s3 = along(3), s4 = along(4), s5 = along(5)
                            let c0 = outputLine(s0.0, s1.0, s2.0, s3.0, s4.0, s5.0), c1 = outputLine(s0.1, s1.1, s2.1, s3.1, s4.1, s5.1)
                            let c2 = outputLine(s0.2, s1.2, s2.2, s3.2, s4.2, s5.2), c3 = outputLine(s0.3, s1.3, s2.3, s3.3, s4.3, s5.3)
                            let base = o &* oh &* ow &+ row &* 4 &* ow &+ tx &* 4, columns = min(32, ow &- tx &* 4)
                            // Output row k: columns 4 t + l of the 8 tiles from c_l's lane t.
                            storeTiles4(c0.0, c1.0, c2.0, c3.0, b, y + base, columns, act, res.map { $0 + base })
                            if row &* 4 &+ 1 < oh { storeTiles4(c0.1, c1.1, c2.1, c3.1, b, y + (base &+ ow), columns, act, res.map { $0 + (base &+ ow) }) }
                            if row &* 4 &+ 2 < oh { storeTiles4(c0.2, c1.2, c2.2, c3.2, b, y + (base &+ 2 &* ow), columns, act, res.map { $0 + (base &+ 2 &* ow) }) }
                            if row &* 4 &+ 3 < oh { storeTiles4(c0.3, c1.3, c2.3, c3.3, b, y + (base &+ 3 &* ow), columns, act, res.map { $0 + (base &+ 3 &* ow) }) }
                        }
                    }
                }
            }

            /// B^T times 6 values: the input transform of F(4x4, 3x3) along one line.
            @inline(__always)
            func inputLine(_ d0: SIMD8<Float>, _ d1: SIMD8<Float>, _ d2: SIMD8<Float>, _ d3: SIMD8<Float>, _ d4: SIMD8<Float>, _ d5: SIMD8<Float>)
                -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                let four = SIMD8<Float>(repeating: 4), minusFour = SIMD8<Float>(repeating: -4), minusFive = SIMD8<Float>(repeating: -5)
                let a = d4.addingProduct(minusFour, d2), b = d3.addingProduct(minusFour, d1)
                let c = d4 - d2, e = (d3 - d1) * 2
                return (d4.addingProduct(minusFive, d2).addingProduct(four, d0), a + b, a - b, c + e, c - e,
                        d5.addingProduct(minusFive, d3).addingProduct(four, d1))
            }

            /// A^T times 6 values: the output transform of F(4x4, 3x3) along one line.
            @inline(__always)
            func outputLine(_ m0: SIMD8<Float>, _ m1: SIMD8<Float>, _ m2: SIMD8<Float>, _ m3: SIMD8<Float>, _ m4: SIMD8<Float>, _ m5: SIMD8<Float>)
                -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                let s = m1 + m2, d = m1 - m2, t = m3 + m4, e = m3 - m4
                return (m0 + s + t, d.addingProduct(SIMD8(repeating: 2), e), s.addingProduct(SIMD8(repeating: 4), t),
                        d.addingProduct(SIMD8(repeating: 8), e) + m5)
            }
        }

        /// Row k of 8 F(4x4, 3x3) output tiles (a, b, c, d: their columns 0-3, a tile a lane)
        /// as 32 consecutive pixels, by 4x4 transposes in each 128-bit half: the bias added, then
        /// the residual and the activation as it stores the first `columns` (at most 32).
        @inline(__always)
        static func storeTiles4(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ c: SIMD8<Float>, _ d: SIMD8<Float>, _ bias: SIMD8<Float>,
                                _ y: UnsafeMutablePointer<Float>, _ columns: Int, _ act: Int, _ res: UnsafePointer<Float>?) {
            let t0 = unpackLow(a, b), t1 = unpackLow(c, d), t2 = unpackHigh(a, b), t3 = unpackHigh(c, d)
            let q0 = lowPairs(t0, t1) + bias, q1 = highPairs(t0, t1) + bias, q2 = lowPairs(t2, t3) + bias, q3 = highPairs(t2, t3) + bias
            @inline(__always) func put(_ v: SIMD8<Float>, _ j: Int) {
                let n = columns &- j
                if n >= 8 {
                    storeRow(v, y + j, act, res.map { $0 + j })
                } else if n > 0 {
                    storePartial(v, y + j, n, act, res.map { $0 + j })
                }
            }
            put(SIMD8(lowHalf: q0.lowHalf, highHalf: q1.lowHalf), 0); put(SIMD8(lowHalf: q2.lowHalf, highHalf: q3.lowHalf), 8)
            put(SIMD8(lowHalf: q0.highHalf, highHalf: q1.highHalf), 16); put(SIMD8(lowHalf: q2.highHalf, highHalf: q3.highHalf), 24)
        }

        // The in-lane shuffles of 4x4 transposes in each 128-bit half (unpcklps, unpckhps,
        // unpcklpd, unpckhpd).
        @inline(__always) static func unpackLow(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[0], b[0], a[1], b[1], a[4], b[4], a[5], b[5]) }
        @inline(__always) static func unpackHigh(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[2], b[2], a[3], b[3], a[6], b[6], a[7], b[7]) }
        @inline(__always) static func lowPairs(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[0], a[1], b[0], b[1], a[4], a[5], b[4], b[5]) }
        @inline(__always) static func highPairs(_ a: SIMD8<Float>, _ b: SIMD8<Float>) -> SIMD8<Float> { SIMD8(a[2], a[3], b[2], b[3], a[6], a[7], b[6], b[7]) }

        /// A zero-padded copy of planes whose padded rows are stored as their 4 phases of columns:
        /// column j at (j % 4) * quarter + j / 4 (`quarter` = (pw + 3) / 4 floats each, rows of
        /// 4 * quarter floats), for Winograd F(4x4, 3x3), whose 8 tiles' column j then are 8
        /// consecutive floats.
        @inline(never)
        static func padQuarter(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ c: Int, _ ih: Int, _ iw: Int,
                               _ top: Int, _ left: Int, _ bottom: Int, _ right: Int, _ threads: Team) {
            let pw = iw &+ left &+ right, ph = ih &+ top &+ bottom
            let quarter = (pw &+ 3) >> 2, rs = 4 &* quarter
            parallel(c, threads, work: c &* ph &* pw) { lo, hi in
                for ch in lo ..< hi {
                    let yc = y + (ch &* ph &* rs), xc = x + (ch &* ih &* iw)
                    yc.update(repeating: 0, count: top &* rs)
                    for r in 0 ..< ih {
                        let row = yc + ((r &+ top) &* rs), xr = xc + (r &* iw)
                        // The padding columns (and the slots past the width) are zeros.
                        for j in 0 ..< left { row[(j & 3) &* quarter &+ (j >> 2)] = 0 }
                        for j in (left &+ iw) ..< rs { row[(j & 3) &* quarter &+ (j >> 2)] = 0 }
                        // 32 floats at a time from columns multiples of 4 (the last 32 overlapping,
                        // from the last multiple of 4 that has 32 columns), their 4 phases stored
                        // whole; the rest (under 4 columns) one by one.
                        @inline(__always) func chunk(_ at: Int) {
                            let v = UnsafeRawPointer(xr + at).loadUnaligned(as: SIMD32<Float>.self)
                            let e = v.evenHalf, o = v.oddHalf
                            @inline(__always) func put(_ k: Int, _ p: SIMD8<Float>) {
                                let j = at &+ k &+ left
                                UnsafeMutableRawPointer(row + ((j & 3) &* quarter &+ (j >> 2))).storeBytes(of: p, as: SIMD8<Float>.self)
                            }
                            put(0, e.evenHalf); put(1, o.evenHalf); put(2, e.oddHalf); put(3, o.oddHalf)
                        }
                        var i = 0
                        if iw >= 32 {
                            let last = (iw &- 32) & ~3
                            while i <= last { chunk(i); i &+= 32 }
                            if i < last &+ 32 { chunk(last); i = last &+ 32 }
                        }
                        while i < iw {
                            let j = i &+ left
                            row[(j & 3) &* quarter &+ (j >> 2)] = xr[i]
                            i &+= 1
                        }
                    }
                    (yc + ((ih &+ top) &* rs)).update(repeating: 0, count: bottom &* rs)
                }
            }
        }
"""#

// The register tiles of the pixel-tile kernels (PixelTileKernelSource.swift): each a block
// or two of output channels x a row of pixels in accumulators, with the same five parts
// (bias or partial sums in, one step of the reduction, partial sums out, store), and the
// row stores they share. A part of the runtime text that ConvKernelSource.swift joins with
// the other conv kernels.

let registerTileSource = #"""
        /// The register tile of two blocks: 12 output channels x 32 pixels, two SIMD16
        /// accumulators per channel (24 of AVX-512's 32 registers); each step loads the 32
        /// pixels of one input channel once for 12 multiply-adds.
        struct Tile12x32 {
            var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11: SIMD16<Float>
            var c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11: SIMD16<Float>

            /// Every pixel at its channel's bias (`b`: 12 floats).
            @inline(__always)
            init(bias b: UnsafePointer<Float>) {
                a0 = SIMD16(repeating: b[0]); a1 = a0; a2 = SIMD16(repeating: b[1]); a3 = a2
                a4 = SIMD16(repeating: b[2]); a5 = a4; a6 = SIMD16(repeating: b[3]); a7 = a6
                a8 = SIMD16(repeating: b[4]); a9 = a8; a10 = SIMD16(repeating: b[5]); a11 = a10
                c0 = SIMD16(repeating: b[6]); c1 = c0; c2 = SIMD16(repeating: b[7]); c3 = c2
                c4 = SIMD16(repeating: b[8]); c5 = c4; c6 = SIMD16(repeating: b[9]); c7 = c6
                c8 = SIMD16(repeating: b[10]); c9 = c8; c10 = SIMD16(repeating: b[11]); c11 = c10
            }

            /// Partial sums kept by `keep`: channel j's 32 floats at j x 128 bytes.
            @inline(__always)
            init(partial p: UnsafeRawPointer) {
                @inline(__always) func at(_ j: Int, _ half: Int) -> SIMD16<Float> { p.load(fromByteOffset: j << 7 &+ half << 6, as: SIMD16<Float>.self) }
                (a0, a1, a2, a3, a4, a5) = (at(0, 0), at(0, 1), at(1, 0), at(1, 1), at(2, 0), at(2, 1))
                (a6, a7, a8, a9, a10, a11) = (at(3, 0), at(3, 1), at(4, 0), at(4, 1), at(5, 0), at(5, 1))
                (c0, c1, c2, c3, c4, c5) = (at(6, 0), at(6, 1), at(7, 0), at(7, 1), at(8, 0), at(8, 1))
                (c6, c7, c8, c9, c10, c11) = (at(9, 0), at(9, 1), at(10, 0), at(10, 1), at(11, 0), at(11, 1))
            }

            /// One step of the reduction: pixels v0 (the first 16) and v1 of one input channel,
            /// times the weights of the first block's 6 channels (`wi`) and the second's (`wj`).
            @inline(__always)
            mutating func step(_ v0: SIMD16<Float>, _ v1: SIMD16<Float>, _ wi: UnsafePointer<Float>, _ wj: UnsafePointer<Float>) {
                var wv = SIMD16<Float>(repeating: wi[0]); a0 = a0.addingProduct(v0, wv); a1 = a1.addingProduct(v1, wv)
                wv = SIMD16<Float>(repeating: wi[1]); a2 = a2.addingProduct(v0, wv); a3 = a3.addingProduct(v1, wv)
                wv = SIMD16<Float>(repeating: wi[2]); a4 = a4.addingProduct(v0, wv); a5 = a5.addingProduct(v1, wv)
                wv = SIMD16<Float>(repeating: wi[3]); a6 = a6.addingProduct(v0, wv); a7 = a7.addingProduct(v1, wv)
                wv = SIMD16<Float>(repeating: wi[4]); a8 = a8.addingProduct(v0, wv); a9 = a9.addingProduct(v1, wv)
                wv = SIMD16<Float>(repeating: wi[5]); a10 = a10.addingProduct(v0, wv); a11 = a11.addingProduct(v1, wv)
                wv = SIMD16<Float>(repeating: wj[0]); c0 = c0.addingProduct(v0, wv); c1 = c1.addingProduct(v1, wv)
                wv = SIMD16<Float>(repeating: wj[1]); c2 = c2.addingProduct(v0, wv); c3 = c3.addingProduct(v1, wv)
                wv = SIMD16<Float>(repeating: wj[2]); c4 = c4.addingProduct(v0, wv); c5 = c5.addingProduct(v1, wv)
                wv = SIMD16<Float>(repeating: wj[3]); c6 = c6.addingProduct(v0, wv); c7 = c7.addingProduct(v1, wv)
                wv = SIMD16<Float>(repeating: wj[4]); c8 = c8.addingProduct(v0, wv); c9 = c9.addingProduct(v1, wv)
                wv = SIMD16<Float>(repeating: wj[5]); c10 = c10.addingProduct(v0, wv); c11 = c11.addingProduct(v1, wv)
            }

            /// The partial sums, as `init(partial:)` reads them.
            @inline(__always)
            func keep(_ p: UnsafeMutableRawPointer) {
                @inline(__always) func put(_ v: SIMD16<Float>, _ j: Int, _ half: Int) { p.storeBytes(of: v, toByteOffset: j << 7 &+ half << 6, as: SIMD16<Float>.self) }
                put(a0, 0, 0); put(a1, 0, 1); put(a2, 1, 0); put(a3, 1, 1); put(a4, 2, 0); put(a5, 2, 1)
                put(a6, 3, 0); put(a7, 3, 1); put(a8, 4, 0); put(a9, 4, 1); put(a10, 5, 0); put(a11, 5, 1)
                put(c0, 6, 0); put(c1, 6, 1); put(c2, 7, 0); put(c3, 7, 1); put(c4, 8, 0); put(c5, 8, 1)
                put(c6, 9, 0); put(c7, 9, 1); put(c8, 10, 0); put(c9, 10, 1); put(c10, 11, 0); put(c11, 11, 1)
            }

            /// The first `lanes` channels (7 to 12: the first block is whole) into planes of
            /// `count` floats from y, adding the residual r (same layout) and the activation.
            @inline(__always)
            func store(_ y: UnsafeMutablePointer<Float>, _ count: Int, _ lanes: Int, _ act: Int, _ r: UnsafePointer<Float>?) {
                Kernels.storeRow32(a0, a1, y, act, r)
                Kernels.storeRow32(a2, a3, y + count, act, r.map { $0 + count })
                Kernels.storeRow32(a4, a5, y + 2 &* count, act, r.map { $0 + 2 &* count })
                Kernels.storeRow32(a6, a7, y + 3 &* count, act, r.map { $0 + 3 &* count })
                Kernels.storeRow32(a8, a9, y + 4 &* count, act, r.map { $0 + 4 &* count })
                Kernels.storeRow32(a10, a11, y + 5 &* count, act, r.map { $0 + 5 &* count })
                Kernels.storeRow32(c0, c1, y + 6 &* count, act, r.map { $0 + 6 &* count })
                if lanes > 7 { Kernels.storeRow32(c2, c3, y + 7 &* count, act, r.map { $0 + 7 &* count }) }
                if lanes > 8 { Kernels.storeRow32(c4, c5, y + 8 &* count, act, r.map { $0 + 8 &* count }) }
                if lanes > 9 { Kernels.storeRow32(c6, c7, y + 9 &* count, act, r.map { $0 + 9 &* count }) }
                if lanes > 10 { Kernels.storeRow32(c8, c9, y + 10 &* count, act, r.map { $0 + 10 &* count }) }
                if lanes > 11 { Kernels.storeRow32(c10, c11, y + 11 &* count, act, r.map { $0 + 11 &* count }) }
            }
        }

        /// The register tile of `conv6x16` (16-float vectors as two 8-float halves): 6 output
        /// channels x 16 pixels in 12 accumulators; each step loads the 16 pixels of one input
        /// channel once for 6 broadcast weights.
        struct Tile6x16 {
            var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11: SIMD8<Float>

            /// Every pixel at its channel's bias (`b`: 6 floats).
            @inline(__always)
            init(bias b: UnsafePointer<Float>) {
                (a0, a2, a4) = (SIMD8(repeating: b[0]), SIMD8(repeating: b[1]), SIMD8(repeating: b[2]))
                (a6, a8, a10) = (SIMD8(repeating: b[3]), SIMD8(repeating: b[4]), SIMD8(repeating: b[5]))
                (a1, a3, a5, a7, a9, a11) = (a0, a2, a4, a6, a8, a10)
            }

            /// Partial sums kept by `keep`: the 12 vectors at j x 32 bytes.
            @inline(__always)
            init(partial p: UnsafeRawPointer) {
                @inline(__always) func at(_ j: Int) -> SIMD8<Float> { p.load(fromByteOffset: j << 5, as: SIMD8<Float>.self) }
                (a0, a1, a2, a3, a4, a5) = (at(0), at(1), at(2), at(3), at(4), at(5))
                (a6, a7, a8, a9, a10, a11) = (at(6), at(7), at(8), at(9), at(10), at(11))
            }

            /// One step of the reduction: pixels v0 (the first 8) and v1 of one input channel,
            /// times the 6 weights `wi`.
            @inline(__always)
            mutating func step(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ wi: UnsafePointer<Float>) {
                var w = SIMD8<Float>(repeating: wi[0]); a0 = a0.addingProduct(v0, w); a1 = a1.addingProduct(v1, w)
                w = SIMD8<Float>(repeating: wi[1]); a2 = a2.addingProduct(v0, w); a3 = a3.addingProduct(v1, w)
                w = SIMD8<Float>(repeating: wi[2]); a4 = a4.addingProduct(v0, w); a5 = a5.addingProduct(v1, w)
                w = SIMD8<Float>(repeating: wi[3]); a6 = a6.addingProduct(v0, w); a7 = a7.addingProduct(v1, w)
                w = SIMD8<Float>(repeating: wi[4]); a8 = a8.addingProduct(v0, w); a9 = a9.addingProduct(v1, w)
                w = SIMD8<Float>(repeating: wi[5]); a10 = a10.addingProduct(v0, w); a11 = a11.addingProduct(v1, w)
            }

            /// The partial sums, as `init(partial:)` reads them.
            @inline(__always)
            func keep(_ p: UnsafeMutableRawPointer) {
                @inline(__always) func put(_ v: SIMD8<Float>, _ j: Int) { p.storeBytes(of: v, toByteOffset: j << 5, as: SIMD8<Float>.self) }
                put(a0, 0); put(a1, 1); put(a2, 2); put(a3, 3); put(a4, 4); put(a5, 5)
                put(a6, 6); put(a7, 7); put(a8, 8); put(a9, 9); put(a10, 10); put(a11, 11)
            }

            /// The first `lanes` channels (1 to 6) into planes of `count` floats from y, adding the
            /// residual r (same layout) and the activation. Transparent: marked inline-always, it
            /// was left out of line, the 12 accumulators passed through memory at every tile
            /// (inlined, on the AVX2 EPYC: ResNet-50's 56x56 1x1 convs 5-16% faster, MobileNetV2's
            /// expansion convs 4-9%).
            @_transparent
            func store(_ y: UnsafeMutablePointer<Float>, _ count: Int, _ lanes: Int, _ act: Int, _ r: UnsafePointer<Float>?) {
                storeRow16(SIMD16(lowHalf: a0, highHalf: a1), y, act, r)
                if lanes > 1 { storeRow16(SIMD16(lowHalf: a2, highHalf: a3), y + count, act, r.map { $0 + count }) }
                if lanes > 2 { storeRow16(SIMD16(lowHalf: a4, highHalf: a5), y + 2 &* count, act, r.map { $0 + 2 &* count }) }
                if lanes > 3 { storeRow16(SIMD16(lowHalf: a6, highHalf: a7), y + 3 &* count, act, r.map { $0 + 3 &* count }) }
                if lanes > 4 { storeRow16(SIMD16(lowHalf: a8, highHalf: a9), y + 4 &* count, act, r.map { $0 + 4 &* count }) }
                if lanes > 5 { storeRow16(SIMD16(lowHalf: a10, highHalf: a11), y + 5 &* count, act, r.map { $0 + 5 &* count }) }
            }
        }

        /// `Tile6x16` for a last block of 4 channels or fewer (a count of channels that is not a
        /// multiple of 6: 16, 32, 64...): 8 accumulators, the first 4 of each step's 6 weights,
        /// so that the block does not run the multiply-adds of 2 channels it does not store (the
        /// narrow tiles of 8 pixels and the 17th pixels keep blocks of 6). The same sums in the
        /// same order as `Tile6x16`, so the same bits.
        struct Tile4x16 {
            var a0, a1, a2, a3, a4, a5, a6, a7: SIMD8<Float>

            /// Every pixel at its channel's bias (`b`: 4 floats).
            @inline(__always)
            init(bias b: UnsafePointer<Float>) {
                (a0, a2, a4, a6) = (SIMD8(repeating: b[0]), SIMD8(repeating: b[1]), SIMD8(repeating: b[2]), SIMD8(repeating: b[3]))
                (a1, a3, a5, a7) = (a0, a2, a4, a6)
            }

            /// Partial sums kept by `keep` (`Tile6x16`'s layout, its first 8 vectors).
            @inline(__always)
            init(partial p: UnsafeRawPointer) {
                @inline(__always) func at(_ j: Int) -> SIMD8<Float> { p.load(fromByteOffset: j << 5, as: SIMD8<Float>.self) }
                (a0, a1, a2, a3, a4, a5, a6, a7) = (at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7))
            }

            /// One step of the reduction: pixels v0 (the first 8) and v1 of one input channel,
            /// times the first 4 of the 6 weights `wi`.
            @inline(__always)
            mutating func step(_ v0: SIMD8<Float>, _ v1: SIMD8<Float>, _ wi: UnsafePointer<Float>) {
                var w = SIMD8<Float>(repeating: wi[0]); a0 = a0.addingProduct(v0, w); a1 = a1.addingProduct(v1, w)
                w = SIMD8<Float>(repeating: wi[1]); a2 = a2.addingProduct(v0, w); a3 = a3.addingProduct(v1, w)
                w = SIMD8<Float>(repeating: wi[2]); a4 = a4.addingProduct(v0, w); a5 = a5.addingProduct(v1, w)
                w = SIMD8<Float>(repeating: wi[3]); a6 = a6.addingProduct(v0, w); a7 = a7.addingProduct(v1, w)
            }

            /// The partial sums, as `init(partial:)` reads them.
            @inline(__always)
            func keep(_ p: UnsafeMutableRawPointer) {
                @inline(__always) func put(_ v: SIMD8<Float>, _ j: Int) { p.storeBytes(of: v, toByteOffset: j << 5, as: SIMD8<Float>.self) }
                put(a0, 0); put(a1, 1); put(a2, 2); put(a3, 3); put(a4, 4); put(a5, 5); put(a6, 6); put(a7, 7)
            }

            /// The first `lanes` channels (1 to 4), as `Tile6x16.store`.
            @_transparent
            func store(_ y: UnsafeMutablePointer<Float>, _ count: Int, _ lanes: Int, _ act: Int, _ r: UnsafePointer<Float>?) {
                storeRow16(SIMD16(lowHalf: a0, highHalf: a1), y, act, r)
                if lanes > 1 { storeRow16(SIMD16(lowHalf: a2, highHalf: a3), y + count, act, r.map { $0 + count }) }
                if lanes > 2 { storeRow16(SIMD16(lowHalf: a4, highHalf: a5), y + 2 &* count, act, r.map { $0 + 2 &* count }) }
                if lanes > 3 { storeRow16(SIMD16(lowHalf: a6, highHalf: a7), y + 3 &* count, act, r.map { $0 + 3 &* count }) }
            }
        }

        /// `Tile12x32` for a row's short last tile: 12 output channels x 16 pixels, one SIMD16
        /// accumulator per channel; each step loads the 16 pixels of one input channel once for
        /// 12 multiply-adds (6 by single blocks, whose 6 dependent chains left the FMA units
        /// idle: ResNet-50's and MobileNetV2's 14x14 1x1 convs 1-2% faster in pairs).
        struct Tile12x16 {
            var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11: SIMD16<Float>

            /// Every pixel at its channel's bias (`b`: 12 floats).
            @inline(__always)
            init(bias b: UnsafePointer<Float>) {
                (a0, a1, a2, a3) = (SIMD16(repeating: b[0]), SIMD16(repeating: b[1]), SIMD16(repeating: b[2]), SIMD16(repeating: b[3]))
                (a4, a5, a6, a7) = (SIMD16(repeating: b[4]), SIMD16(repeating: b[5]), SIMD16(repeating: b[6]), SIMD16(repeating: b[7]))
                (a8, a9, a10, a11) = (SIMD16(repeating: b[8]), SIMD16(repeating: b[9]), SIMD16(repeating: b[10]), SIMD16(repeating: b[11]))
            }

            /// Partial sums kept by `keep`: channel j's 16 floats at j x 64 bytes.
            @inline(__always)
            init(partial p: UnsafeRawPointer) {
                @inline(__always) func at(_ j: Int) -> SIMD16<Float> { p.load(fromByteOffset: j << 6, as: SIMD16<Float>.self) }
                (a0, a1, a2, a3, a4, a5) = (at(0), at(1), at(2), at(3), at(4), at(5))
                (a6, a7, a8, a9, a10, a11) = (at(6), at(7), at(8), at(9), at(10), at(11))
            }

            /// One step of the reduction: the 16 pixels `v` of one input channel, times the
            /// weights of the first block's 6 channels (`wi`) and the second's (`wj`).
            @inline(__always)
            mutating func step(_ v: SIMD16<Float>, _ wi: UnsafePointer<Float>, _ wj: UnsafePointer<Float>) {
                a0 = a0.addingProduct(v, SIMD16(repeating: wi[0])); a1 = a1.addingProduct(v, SIMD16(repeating: wi[1]))
                a2 = a2.addingProduct(v, SIMD16(repeating: wi[2])); a3 = a3.addingProduct(v, SIMD16(repeating: wi[3]))
                a4 = a4.addingProduct(v, SIMD16(repeating: wi[4])); a5 = a5.addingProduct(v, SIMD16(repeating: wi[5]))
                a6 = a6.addingProduct(v, SIMD16(repeating: wj[0])); a7 = a7.addingProduct(v, SIMD16(repeating: wj[1]))
                a8 = a8.addingProduct(v, SIMD16(repeating: wj[2])); a9 = a9.addingProduct(v, SIMD16(repeating: wj[3]))
                a10 = a10.addingProduct(v, SIMD16(repeating: wj[4])); a11 = a11.addingProduct(v, SIMD16(repeating: wj[5]))
            }

            /// The partial sums, as `init(partial:)` reads them.
            @inline(__always)
            func keep(_ p: UnsafeMutableRawPointer) {
                @inline(__always) func put(_ v: SIMD16<Float>, _ j: Int) { p.storeBytes(of: v, toByteOffset: j << 6, as: SIMD16<Float>.self) }
                put(a0, 0); put(a1, 1); put(a2, 2); put(a3, 3); put(a4, 4); put(a5, 5)
                put(a6, 6); put(a7, 7); put(a8, 8); put(a9, 9); put(a10, 10); put(a11, 11)
            }

            /// The first `lanes` channels (7 to 12: the first block is whole) into planes of
            /// `count` floats from y, adding the residual r (same layout) and the activation.
            @inline(__always)
            func store(_ y: UnsafeMutablePointer<Float>, _ count: Int, _ lanes: Int, _ act: Int, _ r: UnsafePointer<Float>?) {
                @inline(__always) func put(_ v: SIMD16<Float>, _ j: Int) { Kernels.storeRow16(v, y + j &* count, act, r.map { $0 + j &* count }) }
                put(a0, 0); put(a1, 1); put(a2, 2); put(a3, 3); put(a4, 4); put(a5, 5); put(a6, 6)
                if lanes > 7 { put(a7, 7) }
                if lanes > 8 { put(a8, 8) }
                if lanes > 9 { put(a9, 9) }
                if lanes > 10 { put(a10, 10) }
                if lanes > 11 { put(a11, 11) }
            }
        }

        /// The register tile of a row of 49 pixels (a 1x1 conv on a 7x7 plane): 6 output
        /// channels x 48 pixels in three SIMD16 accumulators per channel, and the 49th pixel
        /// of all six in the lanes of one SIMD8 (18 + 1 multiply-adds a step against the 24 of
        /// two overlapping 32-pixel tiles, which compute 64 pixels). Per step three panel
        /// vectors, six broadcast weights, and the six weights again as one vector (loaded from
        /// the step's 6; its last two lanes, the next step's weights or the bias after the last
        /// block, are not used) times the 49th pixel broadcast.
        struct Tile6x49 {
            var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15, a16, a17: SIMD16<Float>
            var e: SIMD8<Float>

            /// Every pixel at its channel's bias (`b`: 6 floats).
            @inline(__always)
            init(bias b: UnsafePointer<Float>) {
                a0 = SIMD16(repeating: b[0]); a1 = a0; a2 = a0; a3 = SIMD16(repeating: b[1]); a4 = a3; a5 = a3
                a6 = SIMD16(repeating: b[2]); a7 = a6; a8 = a6; a9 = SIMD16(repeating: b[3]); a10 = a9; a11 = a9
                a12 = SIMD16(repeating: b[4]); a13 = a12; a14 = a12; a15 = SIMD16(repeating: b[5]); a16 = a15; a17 = a15
                e = SIMD8(b[0], b[1], b[2], b[3], b[4], b[5], 0, 0)
            }

            /// Partial sums kept by `keep`: the 18 vectors at j x 64 bytes, then `e`.
            @inline(__always)
            init(partial p: UnsafeRawPointer) {
                @inline(__always) func at(_ j: Int) -> SIMD16<Float> { p.load(fromByteOffset: j << 6, as: SIMD16<Float>.self) }
                (a0, a1, a2, a3, a4, a5, a6, a7, a8) = (at(0), at(1), at(2), at(3), at(4), at(5), at(6), at(7), at(8))
                (a9, a10, a11, a12, a13, a14, a15, a16, a17) = (at(9), at(10), at(11), at(12), at(13), at(14), at(15), at(16), at(17))
                e = p.load(fromByteOffset: 18 << 6, as: SIMD8<Float>.self)
            }

            /// One step of the reduction: the 48 pixels at `p` (three vectors) and the 49th `x48`
            /// of one input channel, times the 6 weights `wi`.
            @inline(__always)
            mutating func step(_ p: UnsafeRawPointer, _ x48: Float, _ wi: UnsafePointer<Float>) {
                let v0 = p.load(as: SIMD16<Float>.self), v1 = p.load(fromByteOffset: 64, as: SIMD16<Float>.self)
                let v2 = p.load(fromByteOffset: 128, as: SIMD16<Float>.self)
                var wv = SIMD16<Float>(repeating: wi[0]); a0 = a0.addingProduct(v0, wv); a1 = a1.addingProduct(v1, wv); a2 = a2.addingProduct(v2, wv)
                wv = SIMD16<Float>(repeating: wi[1]); a3 = a3.addingProduct(v0, wv); a4 = a4.addingProduct(v1, wv); a5 = a5.addingProduct(v2, wv)
                wv = SIMD16<Float>(repeating: wi[2]); a6 = a6.addingProduct(v0, wv); a7 = a7.addingProduct(v1, wv); a8 = a8.addingProduct(v2, wv)
                wv = SIMD16<Float>(repeating: wi[3]); a9 = a9.addingProduct(v0, wv); a10 = a10.addingProduct(v1, wv); a11 = a11.addingProduct(v2, wv)
                wv = SIMD16<Float>(repeating: wi[4]); a12 = a12.addingProduct(v0, wv); a13 = a13.addingProduct(v1, wv); a14 = a14.addingProduct(v2, wv)
                wv = SIMD16<Float>(repeating: wi[5]); a15 = a15.addingProduct(v0, wv); a16 = a16.addingProduct(v1, wv); a17 = a17.addingProduct(v2, wv)
                e = e.addingProduct(UnsafeRawPointer(wi).loadUnaligned(as: SIMD8<Float>.self), SIMD8(repeating: x48))
            }

            /// The partial sums, as `init(partial:)` reads them (1,216 bytes).
            @inline(__always)
            func keep(_ p: UnsafeMutableRawPointer) {
                @inline(__always) func put(_ v: SIMD16<Float>, _ j: Int) { p.storeBytes(of: v, toByteOffset: j << 6, as: SIMD16<Float>.self) }
                put(a0, 0); put(a1, 1); put(a2, 2); put(a3, 3); put(a4, 4); put(a5, 5); put(a6, 6); put(a7, 7); put(a8, 8)
                put(a9, 9); put(a10, 10); put(a11, 11); put(a12, 12); put(a13, 13); put(a14, 14); put(a15, 15); put(a16, 16); put(a17, 17)
                p.storeBytes(of: e, toByteOffset: 18 << 6, as: SIMD8<Float>.self)
            }

            /// The first `lanes` channels (1 to 6) into planes of `count` floats from y (a row of
            /// 49 pixels each), adding the residual r (same layout) and the activation.
            @inline(__always)
            func store(_ y: UnsafeMutablePointer<Float>, _ count: Int, _ lanes: Int, _ act: Int, _ r: UnsafePointer<Float>?) {
                @inline(__always) func put(_ u: SIMD16<Float>, _ v: SIMD16<Float>, _ w: SIMD16<Float>, _ j: Int) {
                    let at = j &* count
                    Kernels.storeRow32(u, v, y + at, act, r.map { $0 + at })
                    Kernels.storeRow16(w, y + (at &+ 32), act, r.map { $0 + (at &+ 32) })
                }
                put(a0, a1, a2, 0)
                if lanes > 1 { put(a3, a4, a5, 1) }
                if lanes > 2 { put(a6, a7, a8, 2) }
                if lanes > 3 { put(a9, a10, a11, 3) }
                if lanes > 4 { put(a12, a13, a14, 4) }
                if lanes > 5 { put(a15, a16, a17, 5) }
                Kernels.store(e, y + 48, count, lanes, act, r.map { $0 + 48 })
            }
        }

        /// 16 floats at y after the residual r if any and the activation. Transparent: the
        /// optimizer left such stores out of line in the pixel-tile kernels (a call per vector
        /// cost up to a third of a 1x1 conv's time); ReLU and ReLU6 written out likewise.
        @_transparent
        static func storeRow16(_ a: SIMD16<Float>, _ y: UnsafeMutablePointer<Float>, _ act: Int, _ r: UnsafePointer<Float>?) {
            var v = a
            if let r { v += UnsafeRawPointer(r).loadUnaligned(as: SIMD16<Float>.self) }
            if act == 1 {
                v = v.replacing(with: 0, where: v .< 0)
            } else if act == 2 {
                v = v.replacing(with: 0, where: v .< 0).replacing(with: 6, where: v .> 6)
            } else if act != 0 {
                v = SIMD16(lowHalf: activate(v.lowHalf, act), highHalf: activate(v.highHalf, act))
            }
            UnsafeMutableRawPointer(y).storeBytes(of: v, as: SIMD16<Float>.self)
        }

        /// `storeRow16` of 32 floats.
        @_transparent
        static func storeRow32(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ y: UnsafeMutablePointer<Float>, _ act: Int, _ r: UnsafePointer<Float>?) {
            storeRow16(a, y, act, r)
            storeRow16(b, y + 16, act, r.map { $0 + 16 })
        }
"""#

// The convolution kernels of `enum Kernels`: channel tiles (6 or 7 pixels x 8, 16 or 32
// channels), the conv input preparations (padding, channels last, offset tables) and the
// helpers every conv kernel shares, joined with the depthwise kernels
// (DepthwiseKernelSource.swift), the pixel tiles (PixelTileKernelSource.swift) and their
// register tiles (RegisterTileSource.swift) and Winograd
// (WinogradKernelSource.swift) into the runtime text that KernelSource.swift assembles, printed verbatim into every
// generated file.

let convKernelSource = depthwiseKernelSource + "\n\n" + pixelTileKernelSource + "\n\n" + registerTileSource + "\n\n" + winogradKernelSource + "\n\n" + channelTileKernelSource

let channelTileKernelSource = #"""
        /// The first n lanes (the rest zero) of 8 consecutive floats.
        @inline(__always)
        static func loadFirst(_ p: UnsafePointer<Float>, _ n: Int) -> SIMD8<Float> {
            var v = SIMD8<Float>()
            for l in 0 ..< min(8, max(0, n)) { v[l] = p[l] }
            return v
        }

        /// The input offsets of a tiled conv: channel-major, c * plane + ky * dh * row + kx * dw
        /// (with `splitHalf`, rows split by `padSplit`: column j at (j % 2) * splitHalf + j / 2);
        /// channels last, tap-major, (ky * dh * row + kx * dw) * channels + c.
        @inline(never)
        static func offsets(_ t: UnsafeMutablePointer<Int>, _ c: Int, _ kh: Int, _ kw: Int, _ dh: Int, _ dw: Int, _ plane: Int, _ row: Int,
                            channelsLast: Bool, splitHalf: Int = 0) {
            var i = 0
            if channelsLast {
                for ky in 0 ..< kh {
                    for kx in 0 ..< kw {
                        for ch in 0 ..< c { t[i] = (ky * dh * row + kx * dw) * c + ch; i += 1 }
                    }
                }
                return
            }
            for ch in 0 ..< c {
                for ky in 0 ..< kh {
                    for kx in 0 ..< kw {
                        let j = kx * dw
                        t[i] = ch * plane + ky * dh * row + (splitHalf > 0 ? (j & 1) * splitHalf + (j >> 1) : j)
                        i += 1
                    }
                }
            }
        }

        /// A channels-last copy (rows x cols x c, at (top, left) in a zeroed ph x pw plane) of
        /// every sh-th row and sw-th column of channel-first planes; the rows of the copy split
        /// over the threads (an element counts as 8 multiply-adds of `work`).
        @inline(never)
        static func channelsLast(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ c: Int, _ ih: Int, _ iw: Int,
                                 _ rows: Int, _ cols: Int, _ sh: Int, _ sw: Int, _ top: Int, _ left: Int, _ ph: Int, _ pw: Int,
                                 _ threads: Team) {
            parallel(ph, threads, work: c &* rows &* cols &* 8) { lo, hi in
                (y + (lo &* pw &* c)).update(repeating: 0, count: (hi &- lo) &* pw &* c)
                var r = max(0, lo &- top)
                while r < min(rows, hi &- top) {
                    for q in 0 ..< cols {
                        let yp = y + (((r &+ top) &* pw &+ q &+ left) &* c)
                        let xp = x + (r &* sh &* iw &+ q &* sw)
                        for ch in 0 ..< c { yp[ch] = xp[ch &* ih &* iw] }
                    }
                    r &+= 1
                }
            }
        }

        /// Runs body(lo, hi) over [0, n), in pieces shared out among the threads (`Workers.run`)
        /// when there is enough work to pay for it: `work` (multiply-adds) of 2^16 or more. It
        /// had been 2^18; on the AVX2 EPYC at 2 threads (alternating runs, layer minimums) 2^16
        /// took MobileNetV2's 14x14 -> 7x7 depthwise conv 0.061 -> 0.034 ms (on one thread it
        /// had read half its input from the other core's cache), LeNet-5 0.027 -> 0.020 ms,
        /// GoogLeNet's last max pool 0.068 -> 0.037, DenseNet-121's 7x7 batch norms 25-30%
        /// faster, and no layer slower beyond the noise.
        @inline(__always)
        static func parallel(_ n: Int, _ threads: Team, work: Int, _ body: (Int, Int) -> Void) {
            guard let workers = threads.workers, n > 1, work >= 1 << 16 else { body(0, n); return }
            workers.run(n, body)
        }

        /// The first 64-byte boundary at or after p (a buffer with 16 floats of slack).
        @inline(__always)
        static func aligned64(_ p: UnsafeMutablePointer<Float>) -> UnsafeMutablePointer<Float> {
            UnsafeMutablePointer(bitPattern: (Int(bitPattern: p) &+ 63) & ~63)!
        }

        /// Adds the residual `r` (same layout as `y`) if any, applies the fused activation
        /// (`activate`) and stores the lanes of one pixel's channel vector into
        /// `lanes` planes of `plane` floats.
        @inline(__always)
        static func store(_ v: SIMD8<Float>, _ y: UnsafeMutablePointer<Float>, _ plane: Int, _ lanes: Int, _ act: Int,
                          _ r: UnsafePointer<Float>? = nil) {
            var v = v
            if let r { v += load(UnsafeMutablePointer(mutating: r), plane, lanes) }
            v = activate(v, act)
            if lanes >= 8 {
                y[0] = v[0]; y[plane] = v[1]; y[2 &* plane] = v[2]; y[3 &* plane] = v[3]
                y[4 &* plane] = v[4]; y[5 &* plane] = v[5]; y[6 &* plane] = v[6]; y[7 &* plane] = v[7]
            } else {
                for l in 0 ..< max(0, lanes) { y[l &* plane] = v[l] }
            }
        }

        /// The valid lanes of one pixel's channel vector, read back from `lanes` planes.
        @inline(__always)
        static func load(_ y: UnsafeMutablePointer<Float>, _ plane: Int, _ lanes: Int) -> SIMD8<Float> {
            var v = SIMD8<Float>()
            if lanes >= 8 {
                v = SIMD8(y[0], y[plane], y[2 &* plane], y[3 &* plane], y[4 &* plane], y[5 &* plane], y[6 &* plane], y[7 &* plane])
            } else {
                for l in 0 ..< max(0, lanes) { v[l] = y[l &* plane] }
            }
            return v
        }

        /// Eight vectors of 8 floats.
        typealias Rows8 = (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

        /// The 8x8 transpose: lane j of vector i becomes lane i of vector j. Three rounds of
        /// deinterleaving the 64 floats as one array (each moves a float at index i to i / 2,
        /// or 32 + i / 2 when i is odd: the index's six bits rotated right by one, so three
        /// rounds swap its row and lane bits).
        @_transparent
        static func transpose8(_ r: Rows8) -> Rows8 {
            @inline(__always) func round(_ r: Rows8) -> Rows8 {
                let s0 = SIMD16(lowHalf: r.0, highHalf: r.1), s1 = SIMD16(lowHalf: r.2, highHalf: r.3)
                let s2 = SIMD16(lowHalf: r.4, highHalf: r.5), s3 = SIMD16(lowHalf: r.6, highHalf: r.7)
                return (s0.evenHalf, s1.evenHalf, s2.evenHalf, s3.evenHalf, s0.oddHalf, s1.oddHalf, s2.oddHalf, s3.oddHalf)
            }
            return round(round(round(r)))
        }

        /// A tile's 8 channels x n pixels (n = 5 or 6; `p`: a pixel's 8 channels a vector, the
        /// rest zero) into planes of `plane` floats from y, the n pixels consecutive in each:
        /// transposed in registers, so that a channel's pixels are a store of 4 floats and one
        /// of 2 (or 1), not n scalar stores through a call of `store` per vector (on the AVX2
        /// EPYC, ResNet-50's and GoogLeNet's 7x7/2 conv1 2.95-2.99 -> 2.66 ms, AlexNet's 11x11/4
        /// one 6% faster, the stride-2 3x3 convs 1-3%). The residual r (same layout) added,
        /// then ReLU or ReLU6 (`act` 1 or 2) or none.
        @_transparent
        static func storeTile8(_ p: Rows8, _ n: Int, _ y: UnsafeMutablePointer<Float>, _ plane: Int, _ act: Int, _ r: UnsafePointer<Float>?) {
            let t = transpose8(p)
            @inline(__always) func put(_ v: SIMD8<Float>, _ c: Int) {
                let o = c &* plane
                var u = v.lowHalf, w = v.highHalf
                if let r {
                    u += UnsafeRawPointer(r + o).loadUnaligned(as: SIMD4<Float>.self)
                    w += n == 6 ? SIMD4(lowHalf: UnsafeRawPointer(r + (o &+ 4)).loadUnaligned(as: SIMD2<Float>.self), highHalf: .zero) : SIMD4(r[o &+ 4], 0, 0, 0)
                }
                if act != 0 {
                    u = u.replacing(with: 0, where: u .< 0); w = w.replacing(with: 0, where: w .< 0)
                    if act == 2 { u = u.replacing(with: 6, where: u .> 6); w = w.replacing(with: 6, where: w .> 6) }
                }
                UnsafeMutableRawPointer(y + o).storeBytes(of: u, as: SIMD4<Float>.self)
                if n == 6 { UnsafeMutableRawPointer(y + (o &+ 4)).storeBytes(of: w.lowHalf, as: SIMD2<Float>.self) } else { y[o &+ 4] = w[0] }
            }
            put(t.0, 0); put(t.1, 1); put(t.2, 2); put(t.3, 3); put(t.4, 4); put(t.5, 5); put(t.6, 6); put(t.7, 7)
        }

        /// What `storeTile8` stored (before the residual and the activation), read back: a
        /// pixel's 8 channels a vector, the vectors from n on zero.
        @_transparent
        static func loadTile8(_ y: UnsafeMutablePointer<Float>, _ plane: Int, _ n: Int) -> Rows8 {
            @inline(__always) func row(_ c: Int) -> SIMD8<Float> {
                let o = c &* plane
                let u = UnsafeRawPointer(y + o).loadUnaligned(as: SIMD4<Float>.self)
                let w = n == 6 ? SIMD4(lowHalf: UnsafeRawPointer(y + (o &+ 4)).loadUnaligned(as: SIMD2<Float>.self), highHalf: .zero) : SIMD4(y[o &+ 4], 0, 0, 0)
                return SIMD8(lowHalf: u, highHalf: w)
            }
            return transpose8((row(0), row(1), row(2), row(3), row(4), row(5), row(6), row(7)))
        }

        /// Parts the reduction of a tiled conv is split into, so that one block's weights for a
        /// part (k x lanes floats) stay in the L2 cache next to the input: 96 KB each at most,
        /// 192 KB for blocks of 32 channels (measured on ResNet-50's 7x7 layers: 4-6% faster
        /// than 96 KB; 40 KB, in the L1 cache, 20-40% slower for its many partial sums).
        @inline(__always)
        static func reductionParts(_ k: Int, _ lanes: Int) -> Int {
            let budget = lanes >= 32 ? 196_608 : 98_304
            return (k &* lanes &* 4 &+ budget &- 1) / budget
        }

        /// Tiles per chunk of a tiled conv's output pixels: the work runs chunk by chunk (each
        /// chunk through every block of output channels), so that the input rows a chunk reads
        /// (about 128 KB) stay in the cache while every block uses them.
        @inline(__always)
        static func chunkTiles(_ inChannels: Int, _ ow: Int, _ pw: Int, _ sh: Int, _ pixels: Int, _ tiles: Int) -> Int {
            let rowBytes = max(1, inChannels &* sh &* pw &* 4)
            let rows = max(1, 65_536 / rowBytes)
            return min(tiles, max(1, (rows &* ow &+ pixels &- 1) / pixels))
        }

        /// Offset in the padded input of output pixel p (flattened; clamped to the last pixel,
        /// so a partial tile recomputes it and stores nothing for it).
        @inline(__always)
        static func pixelBase(_ p: Int, _ count: Int, _ ow: Int, _ pw: Int, _ sh: Int, _ sw: Int) -> Int {
            let q = min(p, count &- 1)
            let oy = q / ow
            return oy &* sh &* pw &+ (q &- oy &* ow) &* sw
        }

        /// A convolution on a prepared input in register tiles of 16 output channels x 6 output
        /// pixels (12 accumulators), then x 5 pixels (10) so that the tiles cover the plane
        /// exactly: a plane of 20+ pixels is 6 a + 5 b of them (7x7: 4 tiles of 6 and 5 of 5, 49
        /// pixels computed, not 54 in tiles of 6 or 50 in tiles of 5; AlexNet's 13x13: 169, not
        /// 174), a smaller one in tiles of 6, the last partial. Per step of the reduction over
        /// (input channel, tap), two weight vectors and six (five) broadcast input values. `w` is
        /// [block][k][16], `b` [block][16]; `off` the k input offsets; output channels `oc`,
        /// output planes oh x ow.
        @inline(never)
        static func conv16x6(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int, _ sw: Int,
                             _ ps: Int, _ act: Int, _ res: UnsafePointer<Float>?, _ threads: Team) {
            let count = oh &* ow
            let fives = count >= 20 ? (6 &- count % 6) % 6 : 0
            let sixes = count >= 20 ? (count &- 5 &* fives) / 6 : (count &+ 5) / 6
            let tiles = sixes &+ fives
            let blocks = (oc &+ 15) >> 4
            let parts = reductionParts(k, 16)
            let chunk = chunkTiles(ic, ow, pw, sh, 6, tiles)
            for part in 0 ..< parts {
                let k0 = k &* part / parts, k1 = k &* (part &+ 1) / parts
                let last = part == parts &- 1
                parallel(blocks &* tiles, threads, work: blocks &* tiles &* (k1 &- k0) &* 64) { lo, hi in
                    /// Block `blk`'s tile of `width` pixels from p0: 6, or 5 (a literal at both calls
                    /// below, so each specializes: the sixth pixel's loads, multiply-adds and stores
                    /// are left out of the 5-pixel tile).
                    @inline(__always) func tile(_ blk: Int, _ p0: Int, _ width: Int) {
                        let six = width == 6
                        let x0 = x + pixelBase(p0, count, ow, pw, sh, sw) &* ps, x1 = x + pixelBase(p0 &+ 1, count, ow, pw, sh, sw) &* ps
                        let x2 = x + pixelBase(p0 &+ 2, count, ow, pw, sh, sw) &* ps, x3 = x + pixelBase(p0 &+ 3, count, ow, pw, sh, sw) &* ps
                        let x4 = x + pixelBase(p0 &+ 4, count, ow, pw, sh, sw) &* ps, x5 = six ? x + pixelBase(p0 &+ 5, count, ow, pw, sh, sw) &* ps : x4
                        let wb = UnsafeRawPointer(w + (blk &* k &* 16))
                        let lanes = min(16, oc &- (blk << 4))
                        let n = min(width, count &- p0)
                        let yb = y + ((blk << 4) &* count &+ p0), yh = yb + (8 &* count)
                        // A whole tile: 16 channels x `width` pixels, stored transposed (`storeTile8`).
                        let whole = lanes == 16 && n == width
                        var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11: SIMD8<Float>
                        if part == 0 {
                            let bb = UnsafeRawPointer(b + (blk &* 16))
                            let bl = bb.loadUnaligned(as: SIMD8<Float>.self), bh = bb.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                            (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11) = (bl, bh, bl, bh, bl, bh, bl, bh, bl, bh, bl, bh)
                        } else if whole {
                            (a0, a2, a4, a6, a8, a10, _, _) = loadTile8(yb, count, width)
                            (a1, a3, a5, a7, a9, a11, _, _) = loadTile8(yh, count, width)
                        } else {
                            a0 = load(yb, count, lanes); a1 = load(yh, count, lanes &- 8)
                            a2 = n > 1 ? load(yb + 1, count, lanes) : .zero; a3 = n > 1 ? load(yh + 1, count, lanes &- 8) : .zero
                            a4 = n > 2 ? load(yb + 2, count, lanes) : .zero; a5 = n > 2 ? load(yh + 2, count, lanes &- 8) : .zero
                            a6 = n > 3 ? load(yb + 3, count, lanes) : .zero; a7 = n > 3 ? load(yh + 3, count, lanes &- 8) : .zero
                            a8 = n > 4 ? load(yb + 4, count, lanes) : .zero; a9 = n > 4 ? load(yh + 4, count, lanes &- 8) : .zero
                            a10 = n > 5 ? load(yb + 5, count, lanes) : .zero; a11 = n > 5 ? load(yh + 5, count, lanes &- 8) : .zero
                        }
                        for i in k0 ..< k1 {
                            let o = off[i]
                            let wl = wb.loadUnaligned(fromByteOffset: i &<< 6, as: SIMD8<Float>.self)
                            let wh = wb.loadUnaligned(fromByteOffset: i &<< 6 &+ 32, as: SIMD8<Float>.self)
                            let v0 = SIMD8<Float>(repeating: x0[o])
                            a0 = a0.addingProduct(v0, wl); a1 = a1.addingProduct(v0, wh)
                            let v1 = SIMD8<Float>(repeating: x1[o])
                            a2 = a2.addingProduct(v1, wl); a3 = a3.addingProduct(v1, wh)
                            let v2 = SIMD8<Float>(repeating: x2[o])
                            a4 = a4.addingProduct(v2, wl); a5 = a5.addingProduct(v2, wh)
                            let v3 = SIMD8<Float>(repeating: x3[o])
                            a6 = a6.addingProduct(v3, wl); a7 = a7.addingProduct(v3, wh)
                            let v4 = SIMD8<Float>(repeating: x4[o])
                            a8 = a8.addingProduct(v4, wl); a9 = a9.addingProduct(v4, wh)
                            if six {
                                let v5 = SIMD8<Float>(repeating: x5[o])
                                a10 = a10.addingProduct(v5, wl); a11 = a11.addingProduct(v5, wh)
                            }
                        }
                        let f = last ? act : 0
                        let rb = last ? res.map { $0 + ((blk << 4) &* count &+ p0) } : nil, rh = rb.map { $0 + (8 &* count) }
                        if whole && f <= 2 {
                            storeTile8((a0, a2, a4, a6, a8, six ? a10 : .zero, .zero, .zero), width, yb, count, f, rb)
                            storeTile8((a1, a3, a5, a7, a9, six ? a11 : .zero, .zero, .zero), width, yh, count, f, rh)
                            return
                        }
                        store(a0, yb, count, lanes, f, rb); store(a1, yh, count, lanes &- 8, f, rh)
                        if n > 1 { store(a2, yb + 1, count, lanes, f, rb.map { $0 + 1 }); store(a3, yh + 1, count, lanes &- 8, f, rh.map { $0 + 1 }) }
                        if n > 2 { store(a4, yb + 2, count, lanes, f, rb.map { $0 + 2 }); store(a5, yh + 2, count, lanes &- 8, f, rh.map { $0 + 2 }) }
                        if n > 3 { store(a6, yb + 3, count, lanes, f, rb.map { $0 + 3 }); store(a7, yh + 3, count, lanes &- 8, f, rh.map { $0 + 3 }) }
                        if n > 4 { store(a8, yb + 4, count, lanes, f, rb.map { $0 + 4 }); store(a9, yh + 4, count, lanes &- 8, f, rh.map { $0 + 4 }) }
                        if n > 5 { store(a10, yb + 5, count, lanes, f, rb.map { $0 + 5 }); store(a11, yh + 5, count, lanes &- 8, f, rh.map { $0 + 5 }) }
                    }
                    for item in lo ..< hi {
                        // Items run chunk by chunk of tiles, block by block within a chunk.
                        let c0 = item / (blocks &* chunk) &* chunk
                        let inChunk = min(chunk, tiles &- c0)
                        let r = item &- c0 &* blocks
                        let blk = r / inChunk
                        let t = c0 &+ r &- blk &* inChunk
                        if t < sixes { tile(blk, t &* 6, 6) } else { tile(blk, sixes &* 6 &+ (t &- sixes) &* 5, 5) }
                    }
                }
            }
        }

        /// Channel tiles in 16-float vectors (AVX-512): register tiles of 7 output pixels x 32
        /// output channels, two SIMD16 accumulators per pixel (14), per step of the reduction two
        /// weight vectors and seven broadcast input values. `w` is [block][2][k][16] (a block's
        /// first 16 channels, then its last 16, each as `conv16x6` reads a block), `b` [block][32].
        /// Where the CPU has two 512-bit FMA units this does twice the work per instruction of
        /// the 8-float tiles. Without 16-float registers each SIMD16 is two and the tile spills,
        /// so the same weights run through `conv16x6` as blocks of 16 channels,
        /// each read in order: the same reduction order, parts and bias, so the same bits.
        @inline(never)
        static func conv32x7(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int, _ sw: Int,
                             _ ps: Int, _ act: Int, _ res: UnsafePointer<Float>?, _ threads: Team, channelsLastOutput cl: Bool = false) {
            let count = oh &* ow
            guard threads.wide else { return conv16x6(x, y, w, b, off, k, ic, oc, oh, ow, pw, sh, sw, ps, act, res, threads) }
            let tiles = (count &+ 6) / 7
            let blocks = (oc &+ 31) >> 5
            let parts = reductionParts(k, 32)
            // Channels last (planes of at most 64 pixels): the whole input stays in L2, so every
            // block's weights are read once.
            let chunk = ps > 1 ? tiles : chunkTiles(ic, ow, pw, sh, 7, tiles)
            for part in 0 ..< parts {
                let k0 = k &* part / parts, k1 = k &* (part &+ 1) / parts
                let last = part == parts &- 1
                parallel(blocks &* tiles, threads, work: blocks &* tiles &* (k1 &- k0) &* 224) { lo, hi in
                    for item in lo ..< hi {
                        // Items run chunk by chunk of pixels, block by block within a chunk.
                        let c0 = item / (blocks &* chunk) &* chunk
                        let inChunk = min(chunk, tiles &- c0)
                        let r = item &- c0 &* blocks
                        let blk = r / inChunk
                        let p0 = (c0 &+ r &- blk &* inChunk) &* 7
                        // The seven pixels' inputs (as `pixelBase`, one division for the tile).
                        var q = p0, oy = p0 / ow, ox = p0 &- oy &* ow
                        @inline(__always) func next() -> UnsafePointer<Float> {
                            let at = x + ((oy &* sh &* pw &+ ox &* sw) &* ps)
                            if q &+ 1 < count { q &+= 1; ox &+= 1; if ox == ow { ox = 0; oy &+= 1 } }
                            return at
                        }
                        let x0 = next(), x1 = next(), x2 = next(), x3 = next(), x4 = next(), x5 = next(), x6 = next()
                        let wb = UnsafeRawPointer(w + (blk &* k &* 32)), wc = wb + (k &* 64)
                        let lanes = min(32, oc &- (blk << 5))
                        let n = min(7, count &- p0)
                        // Pixel j's channel c at yb + j * step + c * plane: planes, or pixel-major
                        // (`channelsLastOutput`: whole vectors stored).
                        let (step, plane) = cl ? (oc, 1) : (1, count)
                        let yb = cl ? y + (p0 &* oc &+ (blk << 5)) : y + ((blk << 5) &* count &+ p0)
                        var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13: SIMD16<Float>
                        if part == 0 {
                            let bb = UnsafeRawPointer(b + (blk &* 32))
                            let bl = bb.loadUnaligned(as: SIMD16<Float>.self), bh = bb.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                            (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13) = (bl, bh, bl, bh, bl, bh, bl, bh, bl, bh, bl, bh, bl, bh)
                        } else {
                            (a0, a1) = load32(yb, plane, lanes, 1)
                            (a2, a3) = load32(yb + step, plane, lanes, n &- 1)
                            (a4, a5) = load32(yb + 2 &* step, plane, lanes, n &- 2)
                            (a6, a7) = load32(yb + 3 &* step, plane, lanes, n &- 3)
                            (a8, a9) = load32(yb + 4 &* step, plane, lanes, n &- 4)
                            (a10, a11) = load32(yb + 5 &* step, plane, lanes, n &- 5)
                            (a12, a13) = load32(yb + 6 &* step, plane, lanes, n &- 6)
                        }
                        for i in k0 ..< k1 {
                            let o = off[i]
                            let wl = wb.loadUnaligned(fromByteOffset: i &<< 6, as: SIMD16<Float>.self)
                            let wh = wc.loadUnaligned(fromByteOffset: i &<< 6, as: SIMD16<Float>.self)
                            var v = SIMD16<Float>(repeating: x0[o])
                            a0 = a0.addingProduct(v, wl); a1 = a1.addingProduct(v, wh)
                            v = SIMD16<Float>(repeating: x1[o])
                            a2 = a2.addingProduct(v, wl); a3 = a3.addingProduct(v, wh)
                            v = SIMD16<Float>(repeating: x2[o])
                            a4 = a4.addingProduct(v, wl); a5 = a5.addingProduct(v, wh)
                            v = SIMD16<Float>(repeating: x3[o])
                            a6 = a6.addingProduct(v, wl); a7 = a7.addingProduct(v, wh)
                            v = SIMD16<Float>(repeating: x4[o])
                            a8 = a8.addingProduct(v, wl); a9 = a9.addingProduct(v, wh)
                            v = SIMD16<Float>(repeating: x5[o])
                            a10 = a10.addingProduct(v, wl); a11 = a11.addingProduct(v, wh)
                            v = SIMD16<Float>(repeating: x6[o])
                            a12 = a12.addingProduct(v, wl); a13 = a13.addingProduct(v, wh)
                        }
                        let f = last ? act : 0
                        let rb = last ? res.map { $0 + ((blk << 5) &* count &+ p0) } : nil
                        // (No residual with pixel-major output: the lowering never asks for both.)
                        store32(a0, a1, yb, plane, lanes, f, rb)
                        if n > 1 { store32(a2, a3, yb + step, plane, lanes, f, rb.map { $0 + 1 }) }
                        if n > 2 { store32(a4, a5, yb + 2 &* step, plane, lanes, f, rb.map { $0 + 2 }) }
                        if n > 3 { store32(a6, a7, yb + 3 &* step, plane, lanes, f, rb.map { $0 + 3 }) }
                        if n > 4 { store32(a8, a9, yb + 4 &* step, plane, lanes, f, rb.map { $0 + 4 }) }
                        if n > 5 { store32(a10, a11, yb + 5 &* step, plane, lanes, f, rb.map { $0 + 5 }) }
                        if n > 6 { store32(a12, a13, yb + 6 &* step, plane, lanes, f, rb.map { $0 + 6 }) }
                    }
                }
            }
        }

        /// `store` of one pixel's 32 channels (two SIMD16 vectors) into `lanes` planes.
        /// Transparent, and a whole block written out, so that the optimizer inlines it (as an
        /// `@inline(__always)` function it stayed a call, with `store` a call per 8 lanes).
        @_transparent
        static func store32(_ a: SIMD16<Float>, _ b: SIMD16<Float>, _ y: UnsafeMutablePointer<Float>, _ plane: Int, _ lanes: Int, _ act: Int,
                            _ r: UnsafePointer<Float>?) {
            if lanes >= 32 && act <= 2 {
                var u = a, v = b
                if let r {
                    for l in 0 ..< 16 { u[l] += r[l &* plane]; v[l] += r[(l &+ 16) &* plane] }
                }
                if act != 0 {
                    u = u.replacing(with: 0, where: u .< 0); v = v.replacing(with: 0, where: v .< 0)
                    if act == 2 { u = u.replacing(with: 6, where: u .> 6); v = v.replacing(with: 6, where: v .> 6) }
                }
                if plane == 1 {
                    UnsafeMutableRawPointer(y).storeBytes(of: u, as: SIMD16<Float>.self)
                    UnsafeMutableRawPointer(y + 16).storeBytes(of: v, as: SIMD16<Float>.self)
                } else {
                    for l in 0 ..< 16 { y[l &* plane] = u[l]; y[(l &+ 16) &* plane] = v[l] }
                }
                return
            }
            store(a.lowHalf, y, plane, lanes, act, r)
            store(a.highHalf, y + (8 &* plane), plane, lanes &- 8, act, r.map { $0 + (8 &* plane) })
            store(b.lowHalf, y + (16 &* plane), plane, lanes &- 16, act, r.map { $0 + (16 &* plane) })
            store(b.highHalf, y + (24 &* plane), plane, lanes &- 24, act, r.map { $0 + (24 &* plane) })
        }

        /// One pixel's 32 channels read back from `lanes` planes (zero when `valid` <= 0: a
        /// pixel past the plane).
        @inline(__always)
        static func load32(_ y: UnsafeMutablePointer<Float>, _ plane: Int, _ lanes: Int, _ valid: Int) -> (SIMD16<Float>, SIMD16<Float>) {
            guard valid > 0 else { return (.zero, .zero) }
            return (SIMD16(lowHalf: load(y, plane, lanes), highHalf: load(y + (8 &* plane), plane, lanes &- 8)),
                    SIMD16(lowHalf: load(y + (16 &* plane), plane, lanes &- 16), highHalf: load(y + (24 &* plane), plane, lanes &- 24)))
        }

        /// The same for at most 8 output channels per block (small layers): tiles of 8 pixels x
        /// 8 channels, one weight vector and eight broadcasts per reduction step.
        @inline(never)
        static func conv8x8(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                            _ off: UnsafePointer<Int>, _ k: Int, _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int, _ sw: Int,
                            _ ps: Int, _ act: Int, _ res: UnsafePointer<Float>?, _ threads: Team) {
            let count = oh &* ow
            let tiles = (count &+ 7) >> 3
            let blocks = (oc &+ 7) >> 3
            let chunk = chunkTiles(ic, ow, pw, sh, 8, tiles)
            parallel(blocks &* tiles, threads, work: blocks &* tiles &* k &* 64) { lo, hi in
                for item in lo ..< hi {
                    let c0 = item / (blocks &* chunk) &* chunk
                    let inChunk = min(chunk, tiles &- c0)
                    let r = item &- c0 &* blocks
                    let blk = r / inChunk
                    let p0 = (c0 &+ r &- blk &* inChunk) << 3
                    let x0 = x + pixelBase(p0, count, ow, pw, sh, sw) &* ps, x1 = x + pixelBase(p0 &+ 1, count, ow, pw, sh, sw) &* ps
                    let x2 = x + pixelBase(p0 &+ 2, count, ow, pw, sh, sw) &* ps, x3 = x + pixelBase(p0 &+ 3, count, ow, pw, sh, sw) &* ps
                    let x4 = x + pixelBase(p0 &+ 4, count, ow, pw, sh, sw) &* ps, x5 = x + pixelBase(p0 &+ 5, count, ow, pw, sh, sw) &* ps
                    let x6 = x + pixelBase(p0 &+ 6, count, ow, pw, sh, sw) &* ps, x7 = x + pixelBase(p0 &+ 7, count, ow, pw, sh, sw) &* ps
                    let wb = UnsafeRawPointer(w + (blk &* k &* 8))
                    let bv = UnsafeRawPointer(b + (blk &* 8)).loadUnaligned(as: SIMD8<Float>.self)
                    var a0 = bv, a1 = bv, a2 = bv, a3 = bv, a4 = bv, a5 = bv, a6 = bv, a7 = bv
                    for i in 0 ..< k {
                        let o = off[i]
                        let wv = wb.loadUnaligned(fromByteOffset: i &* 32, as: SIMD8<Float>.self)
                        a0 = a0.addingProduct(SIMD8<Float>(repeating: x0[o]), wv)
                        a1 = a1.addingProduct(SIMD8<Float>(repeating: x1[o]), wv)
                        a2 = a2.addingProduct(SIMD8<Float>(repeating: x2[o]), wv)
                        a3 = a3.addingProduct(SIMD8<Float>(repeating: x3[o]), wv)
                        a4 = a4.addingProduct(SIMD8<Float>(repeating: x4[o]), wv)
                        a5 = a5.addingProduct(SIMD8<Float>(repeating: x5[o]), wv)
                        a6 = a6.addingProduct(SIMD8<Float>(repeating: x6[o]), wv)
                        a7 = a7.addingProduct(SIMD8<Float>(repeating: x7[o]), wv)
                    }
                    let lanes = min(8, oc &- (blk << 3))
                    let n = min(8, count &- p0)
                    let yb = y + ((blk << 3) &* count &+ p0)
                    let rb = res.map { $0 + ((blk << 3) &* count &+ p0) }
                    store(a0, yb, count, lanes, act, rb)
                    if n > 1 { store(a1, yb + 1, count, lanes, act, rb.map { $0 + 1 }) }
                    if n > 2 { store(a2, yb + 2, count, lanes, act, rb.map { $0 + 2 }) }
                    if n > 3 { store(a3, yb + 3, count, lanes, act, rb.map { $0 + 3 }) }
                    if n > 4 { store(a4, yb + 4, count, lanes, act, rb.map { $0 + 4 }) }
                    if n > 5 { store(a5, yb + 5, count, lanes, act, rb.map { $0 + 5 }) }
                    if n > 6 { store(a6, yb + 6, count, lanes, act, rb.map { $0 + 6 }) }
                    if n > 7 { store(a7, yb + 7, count, lanes, act, rb.map { $0 + 7 }) }
                }
            }
        }

        /// Copies planes into larger ones with zero (mode 0), reflect (1), replicate (2) or
        /// circular (3) padding.
        @inline(never)
        static func pad(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ c: Int, _ ih: Int, _ iw: Int,
                        _ top: Int, _ left: Int, _ bottom: Int, _ right: Int, _ mode: Int, _ threads: Team) {
            let ph = ih + top + bottom, pw = iw + left + right
            if mode == 0 {
                parallel(c, threads, work: c &* ph &* pw) { lo, hi in
                for ch in lo ..< hi {
                    let yc = y + (ch &* ph &* pw), xc = x + (ch &* ih &* iw)
                    yc.update(repeating: 0, count: top &* pw &+ left)
                    for iy in 0 ..< ih {
                        let row = yc + ((iy &+ top) &* pw &+ left)
                        row.update(from: xc + (iy &* iw), count: iw)
                        (row + iw).update(repeating: 0, count: iy &+ 1 < ih ? right &+ left : right)
                    }
                    (yc + ((ih &+ top) &* pw)).update(repeating: 0, count: bottom &* pw)
                }
                }
                return
            }
            func index(_ i: Int, _ n: Int) -> Int {
                switch mode {
                case 1: // reflect
                    var j = i
                    if n == 1 { return 0 }
                    let period = 2 * (n - 1)
                    j = ((j % period) + period) % period
                    return j < n ? j : period - j
                case 2: return min(max(i, 0), n - 1) // replicate
                default: return ((i % n) + n) % n // circular
                }
            }
            for ch in 0 ..< c {
                for py in 0 ..< ph {
                    let sy = index(py - top, ih)
                    for px in 0 ..< pw {
                        y[(ch * ph + py) * pw + px] = x[(ch * ih + sy) * iw + index(px - left, iw)]
                    }
                }
            }
        }

"""#

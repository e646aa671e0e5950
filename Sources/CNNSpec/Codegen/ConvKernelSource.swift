// The convolution kernels of `enum Kernels` (depthwise, pixel tiles, Winograd, channel
// tiles, their input preparation and offset tables): a part of the runtime text that
// KernelSource.swift assembles, printed verbatim into every generated file.

let convKernelSource = #"""
        /// A depthwise conv, one channel at a time: the channel's plane is first padded (any
        /// mode, by `pad`; zero padding copies only the rows) into a buffer of this thread's, with
        /// slack past the end, so the padded input is never a whole tensor in memory; then
        /// `depthwisePlane` computes the channel's output plane. For 3x3 at stride 2 with zero
        /// padding and rows of 16+ pixels, each padded row is stored as its even columns then its
        /// odd ones (`split`), so that every tap reads 8 consecutive floats instead of 16 to keep
        /// every other one.
        @inline(never)
        static func depthwise(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                              _ c: Int, _ ih: Int, _ iw: Int, _ top: Int, _ left: Int, _ bottom: Int, _ right: Int, _ mode: Int,
                              _ oh: Int, _ ow: Int, _ kh: Int, _ kw: Int, _ sh: Int, _ sw: Int, _ dh: Int, _ dw: Int, _ act: Int,
                              _ threads: Team) {
            let taps = kh &* kw
            let pw = iw &+ left &+ right, ph = ih &+ top &+ bottom
            let split = kh == 3 && kw == 3 && dh == 1 && dw == 1 && sw == 2 && mode == 0 && iw >= 16  // measured: narrower rows lose
            // A padded row in the buffer: pw floats, or two halves of `half` floats when split.
            let half = (pw &+ 1) >> 1
            let rs = split ? 2 &* half : pw
            let perRow = (ow &+ 7) >> 3
            let vectors = oh &* perRow
            parallel(c, threads, work: c &* oh &* ow &* taps) { lo, hi in
                // Slack: whole vectors (16 floats for 8 at stride 2) read past the end of short rows.
                withUnsafeTemporaryAllocation(of: Float.self, capacity: ph &* rs &+ 64) { buffer in
                    withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 &* (vectors &+ 3)) { table in
                        // Input and output offsets of every vector (the same for every channel),
                        // the last repeated to a multiple of 4. A row is cut into vectors of 8
                        // pixels: [0, 8), [8, 16)... the last one ending at the row's end
                        // (overlapping the one before); a row under 8 pixels is one vector.
                        var q = 0
                        for r in 0 ..< oh {
                            for v in 0 ..< perRow {
                                let col = ow < 8 ? 0 : min(v << 3, ow &- 8)
                                table[q] = r &* sh &* rs &+ (split ? col : col &* sw); table[q &+ 1] = r &* ow &+ col
                                q &+= 2
                            }
                        }
                        while q < 2 &* (vectors &+ 3) { table[q] = table[q &- 2]; table[q &+ 1] = table[q &- 1]; q &+= 2 }
                        buffer.initialize(repeating: 0)
                        let bp = buffer.baseAddress!
                        for ch in lo ..< hi {
                            let xs = x + (ch &* ih &* iw)
                            if split {
                                for r in 0 ..< ih { splitRow(xs + (r &* iw), bp + ((r &+ top) &* rs), iw, left, half) }
                            } else if mode == 0 {
                                // Zero padding: the border stays zero; only the rows are copied in.
                                let yp = bp + (top &* pw &+ left)
                                for r in 0 ..< ih { copyRow(xs + (r &* iw), yp + (r &* pw), iw, wholeVector: (r &* iw &+ 8) <= ih &* iw) }
                            } else {
                                pad(xs, bp, 1, ih, iw, top, left, bottom, right, mode, Team(workers: nil))
                            }
                            depthwisePlane(UnsafePointer(bp), y + (ch &* oh &* ow), w + (ch &* taps), b[ch],
                                           UnsafePointer(table.baseAddress!), vectors, ow, rs, kh, kw, split ? 1 : sw, split ? half : 1, split ? 1 : 2, dh, dw, act)
                        }
                    }
                }
            }
        }

        /// A zero-padded copy of planes whose padded rows are stored as their even columns then
        /// their odd ones (`half` = (pw + 1) / 2 floats each, rows of 2 * half floats): a conv of
        /// stride 2 along the rows then reads consecutive floats for each tap.
        @inline(never)
        static func padSplit(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ c: Int, _ ih: Int, _ iw: Int,
                             _ top: Int, _ left: Int, _ bottom: Int, _ right: Int, _ threads: Team) {
            let pw = iw &+ left &+ right, ph = ih &+ top &+ bottom
            let half = (pw &+ 1) >> 1, rs = 2 &* half
            parallel(c, threads, work: c &* ph &* pw) { lo, hi in
                for ch in lo ..< hi {
                    let yc = y + (ch &* ph &* rs), xc = x + (ch &* ih &* iw)
                    yc.update(repeating: 0, count: top &* rs)
                    for r in 0 ..< ih {
                        let row = yc + ((r &+ top) &* rs)
                        // The padding columns (and the slot past an odd width) are zeros.
                        for j in 0 ..< left { row[(j & 1) &* half &+ (j >> 1)] = 0 }
                        for j in (left &+ iw) ..< rs { row[(j & 1) &* half &+ (j >> 1)] = 0 }
                        splitRow(xc + (r &* iw), row, iw, left, half)
                    }
                    (yc + ((ih &+ top) &* rs)).update(repeating: 0, count: bottom &* rs)
                }
            }
        }

        /// Copies a row of n floats into a padded row stored as its even columns (`half` floats)
        /// then its odd ones: x[i] is padded column i + left. By 16 floats (the last 16 overlapping
        /// when n is even), the rest one by one.
        @inline(__always)
        static func splitRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ left: Int, _ half: Int) {
            // Even source columns go to the phase of `left`, odd ones to the other.
            let e = y + ((left & 1) &* half), o = y + ((1 &- (left & 1)) &* half)
            @inline(__always) func chunk(_ at: Int) {
                let v = UnsafeRawPointer(x + at).loadUnaligned(as: SIMD16<Float>.self)
                UnsafeMutableRawPointer(e + ((at &+ left) >> 1)).storeBytes(of: v.evenHalf, as: SIMD8<Float>.self)
                UnsafeMutableRawPointer(o + ((at &+ 1 &+ left) >> 1)).storeBytes(of: v.oddHalf, as: SIMD8<Float>.self)
            }
            var i = 0
            if n >= 16 {
                let last = (n &- 16) & ~1
                while i <= last { chunk(i); i &+= 16 }
                if i < n &- 1 { chunk(last); i = last &+ 16 }
            }
            while i < n {
                if (i & 1) == 0 { e[(i &+ left) >> 1] = x[i] } else { o[(i &+ left) >> 1] = x[i] }
                i &+= 1
            }
        }

        /// One output plane of `depthwise` from the padded input plane `x` (rows of `pw` floats),
        /// vector by vector of `table` (input and output offsets). 3x3 taps at stride 1 or 2 are
        /// unrolled, a row's taps at 0, `second` and `third` (weights
        /// broadcast once, three partial sums to shorten the chain of dependent FMAs); other
        /// kernels run the taps as a rolled loop, four vectors at once. Rows under 8 pixels are
        /// stored as whole vectors that spill into the next rows (stored after them, in order),
        /// except near the plane's end.
        @inline(never)
        static func depthwisePlane(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ bias: Float,
                                   _ table: UnsafePointer<Int>, _ vectors: Int, _ ow: Int, _ pw: Int,
                                   _ kh: Int, _ kw: Int, _ sw: Int, _ second: Int, _ third: Int, _ dh: Int, _ dw: Int, _ act: Int) {
            let b = SIMD8<Float>(repeating: bias)
            if kh == 3 && kw == 3 && dh == 1 && dw == 1 && sw <= 2 {
                let w0 = SIMD8<Float>(repeating: w[0]), w1 = SIMD8<Float>(repeating: w[1]), w2 = SIMD8<Float>(repeating: w[2])
                let w3 = SIMD8<Float>(repeating: w[3]), w4 = SIMD8<Float>(repeating: w[4]), w5 = SIMD8<Float>(repeating: w[5])
                let w6 = SIMD8<Float>(repeating: w[6]), w7 = SIMD8<Float>(repeating: w[7]), w8 = SIMD8<Float>(repeating: w[8])
                // `s` is a literal at both calls below: the loads specialize to it.
                // A row's taps at 0, `second` and `third` (1 and 2; half a row and 1 when split).
                @inline(__always) func run(_ s: Int) {
                    for j in 0 ..< vectors {
                        let p0 = x + table[2 &* j], p1 = p0 + pw, p2 = p1 + pw
                        let a = b.addingProduct(strided(p0, s), w0).addingProduct(strided(p0 + second, s), w1).addingProduct(strided(p0 + third, s), w2)
                        let c = (strided(p1, s) * w3).addingProduct(strided(p1 + second, s), w4).addingProduct(strided(p1 + third, s), w5)
                        let d = (strided(p2, s) * w6).addingProduct(strided(p2 + second, s), w7).addingProduct(strided(p2 + third, s), w8)
                        storeDepthwise(a + c + d, y, table[2 &* j &+ 1], ow, vectors &* ow, act)
                    }
                }
                if sw == 1 { run(1) } else { run(2) }
                return
            }
            var j = 0
            while j < vectors {
                let t = table + (2 &* j)
                let (i0, i1, i2, i3) = (t[0], t[2], t[4], t[6])
                var a0 = b, a1 = b, a2 = b, a3 = b
                for ky in 0 ..< kh {
                    for kx in 0 ..< kw {
                        let wv = SIMD8<Float>(repeating: w[ky &* kw &+ kx])
                        let xt = x + (ky &* dh &* pw &+ kx &* dw)
                        a0 = a0.addingProduct(strided(xt + i0, sw), wv)
                        a1 = a1.addingProduct(strided(xt + i1, sw), wv)
                        a2 = a2.addingProduct(strided(xt + i2, sw), wv)
                        a3 = a3.addingProduct(strided(xt + i3, sw), wv)
                    }
                }
                storeDepthwise(a0, y, t[1], ow, vectors &* ow, act); storeDepthwise(a1, y, t[3], ow, vectors &* ow, act)
                storeDepthwise(a2, y, t[5], ow, vectors &* ow, act); storeDepthwise(a3, y, t[7], ow, vectors &* ow, act)
                j &+= 4
            }
        }

        /// A vector of `depthwisePlane` at y + o after the activation: whole while 8 floats fit in
        /// the plane's `count`, else its first `ow` lanes (rows under 8 pixels). Transparent:
        /// the optimizer left it (and `storeRow`) out of line there at a cost of a third of the
        /// layer's time; ReLU and ReLU6 are written out for the same reason.
        @_transparent
        static func storeDepthwise(_ a: SIMD8<Float>, _ y: UnsafeMutablePointer<Float>, _ o: Int, _ ow: Int, _ count: Int, _ act: Int) {
            var v = a
            if act == 1 { v = v.replacing(with: 0, where: v .< 0) }
            else if act == 2 { v = v.replacing(with: 0, where: v .< 0).replacing(with: 6, where: v .> 6) }
            else if act != 0 { v = activate(v, act) }
            if ow >= 8 || o &+ 8 <= count { UnsafeMutableRawPointer(y + o).storeBytes(of: v, as: SIMD8<Float>.self) }
            else { for l in 0 ..< ow { y[o &+ l] = v[l] } }
        }

        /// Copies n floats by vectors of 8 (the last one overlapping). Under 8: one vector whose
        /// lanes from n on are zero, stored whole (it may overwrite up to 8 - n floats past the
        /// row with zeros) when `wholeVector` says 8 floats can be read; else one by one.
        @inline(__always)
        static func copyRow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, wholeVector: Bool) {
            if n < 8 {
                if wholeVector {
                    let v = UnsafeRawPointer(x).loadUnaligned(as: SIMD8<Float>.self)
                    // Float lanes: an Int32 compare with a scalar built its mask lane by lane
                    // through memory (measured: 960x7x7 depthwise 0.58 ms, 86% of it here).
                    let lanes = SIMD8<Float>(0, 1, 2, 3, 4, 5, 6, 7)
                    UnsafeMutableRawPointer(y).storeBytes(of: v.replacing(with: 0, where: lanes .>= Float(n)), as: SIMD8<Float>.self)
                } else {
                    for i in 0 ..< n { y[i] = x[i] }
                }
                return
            }
            var i = 0
            while i < n {
                let at = min(i, n &- 8)
                UnsafeMutableRawPointer(y + at).storeBytes(of: UnsafeRawPointer(x + at).loadUnaligned(as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                i = at &+ 8
            }
        }

        /// A convolution in register tiles of 6 output channels x 16 pixels of one output row
        /// (stride 1 along the row, rows of at least 16 pixels; the last tile of a row overlaps
        /// the one before rather than run past the row): the GEMM micro-kernel shape, 12
        /// accumulators. Per step of the reduction: two input vectors, six broadcast weights.
        /// `w` is [block][k][6], `b` [block][6]. Tiles run chunk by chunk (about 64 KB of input
        /// rows each, whole tiles: a 1x1 conv is one long row), every block within a chunk.
        @inline(never)
        static func conv6x16(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int,
                             _ act: Int, _ res: UnsafePointer<Float>?, _ threads: Team) {
            let items = (oc &+ 5) / 6 &* oh &* ((ow &+ 15) >> 4)
            parallel(items, threads, work: items &* k &* 96) { lo, hi in
                conv6x16(x, y, w, b, off, k, ic, oc, oh, ow, pw, sh, act, res, items: lo ..< hi)
            }
        }

        /// Items `items` of `conv6x16` (block x tile, in its order) on this thread.
        @inline(__always)
        static func conv6x16(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int,
                             _ act: Int, _ res: UnsafePointer<Float>?, items: Range<Int>) {
            let count = oh &* ow
            let segments = (ow &+ 15) >> 4
            let tiles = oh &* segments
            let blocks = (oc &+ 5) / 6
            let chunk = min(tiles, max(1, 65_536 &* segments / max(1, ic &* sh &* pw &* 4)))
            do {
                for item in items {
                    let c0 = item / (blocks &* chunk) &* chunk
                    let inChunk = min(chunk, tiles &- c0)
                    let r = item &- c0 &* blocks
                    let blk = r / inChunk
                    let tile = c0 &+ r &- blk &* inChunk
                    let oy = tile / segments
                    let ox = min((tile &- oy &* segments) << 4, ow &- 16)
                    let xr = UnsafeRawPointer(x + (oy &* sh &* pw &+ ox))
                    let wb = w + (blk &* k &* 6), bb = b + (blk &* 6)
                    let b0 = SIMD8<Float>(repeating: bb[0]), b1 = SIMD8<Float>(repeating: bb[1])
                    let b2 = SIMD8<Float>(repeating: bb[2]), b3 = SIMD8<Float>(repeating: bb[3])
                    let b4 = SIMD8<Float>(repeating: bb[4]), b5 = SIMD8<Float>(repeating: bb[5])
                    var a0 = b0, a1 = b0, a2 = b1, a3 = b1, a4 = b2, a5 = b2
                    var a6 = b3, a7 = b3, a8 = b4, a9 = b4, a10 = b5, a11 = b5
                    for i in 0 ..< k {
                        let o = off[i] &* 4
                        let v0 = xr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self)
                        let v1 = xr.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD8<Float>.self)
                        let wi = wb + (i &* 6)
                        let w0 = SIMD8<Float>(repeating: wi[0])
                        a0 = a0.addingProduct(v0, w0); a1 = a1.addingProduct(v1, w0)
                        let w1 = SIMD8<Float>(repeating: wi[1])
                        a2 = a2.addingProduct(v0, w1); a3 = a3.addingProduct(v1, w1)
                        let w2 = SIMD8<Float>(repeating: wi[2])
                        a4 = a4.addingProduct(v0, w2); a5 = a5.addingProduct(v1, w2)
                        let w3 = SIMD8<Float>(repeating: wi[3])
                        a6 = a6.addingProduct(v0, w3); a7 = a7.addingProduct(v1, w3)
                        let w4 = SIMD8<Float>(repeating: wi[4])
                        a8 = a8.addingProduct(v0, w4); a9 = a9.addingProduct(v1, w4)
                        let w5 = SIMD8<Float>(repeating: wi[5])
                        a10 = a10.addingProduct(v0, w5); a11 = a11.addingProduct(v1, w5)
                    }
                    let lanes = min(6, oc &- blk &* 6)
                    let at = blk &* 6 &* count &+ oy &* ow &+ ox
                    let r0 = res.map { $0 + at }
                    storeRow16(SIMD16(lowHalf: a0, highHalf: a1), y + at, act, r0)
                    if lanes > 1 { storeRow16(SIMD16(lowHalf: a2, highHalf: a3), y + (at &+ count), act, r0.map { $0 + count }) }
                    if lanes > 2 { storeRow16(SIMD16(lowHalf: a4, highHalf: a5), y + (at &+ 2 &* count), act, r0.map { $0 + 2 &* count }) }
                    if lanes > 3 { storeRow16(SIMD16(lowHalf: a6, highHalf: a7), y + (at &+ 3 &* count), act, r0.map { $0 + 3 &* count }) }
                    if lanes > 4 { storeRow16(SIMD16(lowHalf: a8, highHalf: a9), y + (at &+ 4 &* count), act, r0.map { $0 + 4 &* count }) }
                    if lanes > 5 { storeRow16(SIMD16(lowHalf: a10, highHalf: a11), y + (at &+ 5 &* count), act, r0.map { $0 + 5 &* count }) }
                }
            }
        }

        /// `conv6x16` with tiles of 32 pixels (rows of at least 32; a row's last 16 pixels or
        /// fewer as a tile of 16): two SIMD16 vectors per
        /// output channel, 12 accumulators of 16 lanes, so half the instructions per
        /// multiply-add (on this machine's AVX-512, 109 against 91 GFLOP/s on ResNet-50's 1x1
        /// convs in isolation, docs/BENCHMARKS.md). The same weights, table and chunks.
        @inline(never)
        static func conv6x32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int,
                             _ act: Int, _ res: UnsafePointer<Float>?, _ threads: Team) {
            // Without 16-float registers each SIMD16 is two, and 24 accumulators spill.
            guard threads.wide else { return conv6x16(x, y, w, b, off, k, ic, oc, oh, ow, pw, sh, act, res, threads) }
            // Planes over 256 pixels: chunk by chunk, block by block within a chunk (packing the
            // tiles' input measured 10-25% slower there: ResNet-50's 56x56 and 28x28 1x1 convs).
            guard oh &* ow <= 256 else {
                let items = (oc &+ 5) / 6 &* oh &* ((ow &+ 31) >> 5)
                parallel(items, threads, work: items &* k &* 192) { lo, hi in
                    conv6x32(x, y, w, b, off, k, ic, oc, oh, ow, pw, sh, act, res, items: lo ..< hi)
                }
                return
            }
            // Items: a tile of pixels x a group of up to 16 blocks of channels, the tile's input
            // packed (14x14 planes: ResNet-50's 1x1 convs 10% faster).
            let tiles = oh &* ((ow &+ 31) >> 5)
            let blocks = (oc &+ 5) / 6
            let groups = (blocks &+ 15) >> 4
            parallel(tiles &* groups, threads, work: tiles &* blocks &* k &* 192) { lo, hi in
                // The panel: a part of the reduction (256 steps at most) x 32 pixels (32 KB), then
                // the partial sums of 16 blocks x 6 channels x 32 pixels.
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 256 &* 32 &+ 16 &* 6 &* 32) { buffer in
                    for item in lo ..< hi {
                        let tile = item / groups, g = item &- tile &* groups
                        conv6x32(x, y, w, b, off, k, oc, oh, ow, pw, sh, act, res, tile: tile,
                                 blocks: (g << 4) ..< min(blocks, (g &+ 1) << 4), panel: buffer.baseAddress!)
                    }
                }
            }
        }

        /// One tile of `conv6x32` through the blocks `blocks`, in GotoBLAS order: for each part
        /// of the reduction (256 steps at most), the tile's input rows are copied into `panel`
        /// (contiguous, so it stays in the L1 cache), then every block runs over it. The partial
        /// sums wait after the panel (the same floats as one pass, so the same bits; not in the
        /// output, where a row's overlapping last tile on another thread could read them), and
        /// only the last part stores, adding the residual and applying the activation.
        @inline(__always)
        static func conv6x32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int,
                             _ act: Int, _ res: UnsafePointer<Float>?, tile: Int, blocks: Range<Int>, panel: UnsafeMutablePointer<Float>) {
            let count = oh &* ow
            let segments = (ow &+ 31) >> 5
            let oy = tile / segments
            let seg = tile &- oy &* segments
            // The row's last 16 pixels or fewer: one vector per channel, ending at the row's end.
            let short = seg &+ 1 == segments && seg > 0 && ow &- (seg << 5) <= 16
            let ox = short ? ow &- 16 : min(seg << 5, ow &- 32)
            let xr = UnsafeRawPointer(x + (oy &* sh &* pw &+ ox))
            let pr = UnsafeMutableRawPointer(panel)
            let sums = UnsafeMutableRawPointer(panel + 256 &* 32)
            let parts = (k &+ 255) >> 8
            for part in 0 ..< parts {
                let k0 = k &* part / parts, k1 = k &* (part &+ 1) / parts
                let first = part == 0, last = part &+ 1 == parts
                if short {
                    for i in k0 ..< k1 {
                        pr.storeBytes(of: xr.loadUnaligned(fromByteOffset: off[i] &* 4, as: SIMD16<Float>.self), toByteOffset: (i &- k0) << 6, as: SIMD16<Float>.self)
                    }
                } else {
                    for i in k0 ..< k1 {
                        let o = off[i] &* 4, q = (i &- k0) << 7
                        pr.storeBytes(of: xr.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self), toByteOffset: q, as: SIMD16<Float>.self)
                        pr.storeBytes(of: xr.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD16<Float>.self), toByteOffset: q &+ 64, as: SIMD16<Float>.self)
                    }
                }
                let pp = UnsafeRawPointer(panel)
                for blk in blocks {
                    let wb = w + (blk &* k &* 6 &+ k0 &* 6), bb = b + (blk &* 6)
                    let lanes = min(6, oc &- blk &* 6)
                    let at = blk &* 6 &* count &+ oy &* ow &+ ox
                    let r0 = res.map { $0 + at }
                    // This block's partial sums: 6 channels x 32 pixels.
                    let sb = sums + ((blk &- blocks.lowerBound) &* 768)
                    @inline(__always) func partial(_ j: Int, _ byteOffset: Int) -> SIMD16<Float> {
                        sb.load(fromByteOffset: j << 7 &+ byteOffset, as: SIMD16<Float>.self)
                    }
                    @inline(__always) func keep(_ v: SIMD16<Float>, _ j: Int, _ byteOffset: Int) {
                        sb.storeBytes(of: v, toByteOffset: j << 7 &+ byteOffset, as: SIMD16<Float>.self)
                    }
                    if short {
                        var a0, a1, a2, a3, a4, a5: SIMD16<Float>
                        if first {
                            (a0, a1, a2) = (SIMD16(repeating: bb[0]), SIMD16(repeating: bb[1]), SIMD16(repeating: bb[2]))
                            (a3, a4, a5) = (SIMD16(repeating: bb[3]), SIMD16(repeating: bb[4]), SIMD16(repeating: bb[5]))
                        } else {
                            (a0, a1, a2, a3, a4, a5) = (partial(0, 0), partial(1, 0), partial(2, 0), partial(3, 0), partial(4, 0), partial(5, 0))
                        }
                        for i in 0 ..< k1 &- k0 {
                            let v = pp.load(fromByteOffset: i << 6, as: SIMD16<Float>.self)
                            let wi = wb + (i &* 6)
                            a0 = a0.addingProduct(v, SIMD16(repeating: wi[0])); a1 = a1.addingProduct(v, SIMD16(repeating: wi[1]))
                            a2 = a2.addingProduct(v, SIMD16(repeating: wi[2])); a3 = a3.addingProduct(v, SIMD16(repeating: wi[3]))
                            a4 = a4.addingProduct(v, SIMD16(repeating: wi[4])); a5 = a5.addingProduct(v, SIMD16(repeating: wi[5]))
                        }
                        guard last else {
                            keep(a0, 0, 0); keep(a1, 1, 0); keep(a2, 2, 0); keep(a3, 3, 0); keep(a4, 4, 0); keep(a5, 5, 0)
                            continue
                        }
                        storeRow16(a0, y + at, act, r0)
                        if lanes > 1 { storeRow16(a1, y + (at &+ count), act, r0.map { $0 + count }) }
                        if lanes > 2 { storeRow16(a2, y + (at &+ 2 &* count), act, r0.map { $0 + 2 &* count }) }
                        if lanes > 3 { storeRow16(a3, y + (at &+ 3 &* count), act, r0.map { $0 + 3 &* count }) }
                        if lanes > 4 { storeRow16(a4, y + (at &+ 4 &* count), act, r0.map { $0 + 4 &* count }) }
                        if lanes > 5 { storeRow16(a5, y + (at &+ 5 &* count), act, r0.map { $0 + 5 &* count }) }
                        continue
                    }
                    var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11: SIMD16<Float>
                    if first {
                        a0 = SIMD16(repeating: bb[0]); a1 = a0; a2 = SIMD16(repeating: bb[1]); a3 = a2
                        a4 = SIMD16(repeating: bb[2]); a5 = a4; a6 = SIMD16(repeating: bb[3]); a7 = a6
                        a8 = SIMD16(repeating: bb[4]); a9 = a8; a10 = SIMD16(repeating: bb[5]); a11 = a10
                    } else {
                        (a0, a1, a2, a3) = (partial(0, 0), partial(0, 64), partial(1, 0), partial(1, 64))
                        (a4, a5, a6, a7) = (partial(2, 0), partial(2, 64), partial(3, 0), partial(3, 64))
                        (a8, a9, a10, a11) = (partial(4, 0), partial(4, 64), partial(5, 0), partial(5, 64))
                    }
                    for i in 0 ..< k1 &- k0 {
                        let v0 = pp.load(fromByteOffset: i << 7, as: SIMD16<Float>.self)
                        let v1 = pp.load(fromByteOffset: i << 7 &+ 64, as: SIMD16<Float>.self)
                        let wi = wb + (i &* 6)
                        var wv = SIMD16<Float>(repeating: wi[0]); a0 = a0.addingProduct(v0, wv); a1 = a1.addingProduct(v1, wv)
                        wv = SIMD16<Float>(repeating: wi[1]); a2 = a2.addingProduct(v0, wv); a3 = a3.addingProduct(v1, wv)
                        wv = SIMD16<Float>(repeating: wi[2]); a4 = a4.addingProduct(v0, wv); a5 = a5.addingProduct(v1, wv)
                        wv = SIMD16<Float>(repeating: wi[3]); a6 = a6.addingProduct(v0, wv); a7 = a7.addingProduct(v1, wv)
                        wv = SIMD16<Float>(repeating: wi[4]); a8 = a8.addingProduct(v0, wv); a9 = a9.addingProduct(v1, wv)
                        wv = SIMD16<Float>(repeating: wi[5]); a10 = a10.addingProduct(v0, wv); a11 = a11.addingProduct(v1, wv)
                    }
                    guard last else {
                        keep(a0, 0, 0); keep(a1, 0, 64); keep(a2, 1, 0); keep(a3, 1, 64); keep(a4, 2, 0); keep(a5, 2, 64)
                        keep(a6, 3, 0); keep(a7, 3, 64); keep(a8, 4, 0); keep(a9, 4, 64); keep(a10, 5, 0); keep(a11, 5, 64)
                        continue
                    }
                    storeRow32(a0, a1, y + at, act, r0)
                    if lanes > 1 { storeRow32(a2, a3, y + (at &+ count), act, r0.map { $0 + count }) }
                    if lanes > 2 { storeRow32(a4, a5, y + (at &+ 2 &* count), act, r0.map { $0 + 2 &* count }) }
                    if lanes > 3 { storeRow32(a6, a7, y + (at &+ 3 &* count), act, r0.map { $0 + 3 &* count }) }
                    if lanes > 4 { storeRow32(a8, a9, y + (at &+ 4 &* count), act, r0.map { $0 + 4 &* count }) }
                    if lanes > 5 { storeRow32(a10, a11, y + (at &+ 5 &* count), act, r0.map { $0 + 5 &* count }) }
                }
            }
        }

        /// Items `items` of `conv6x32` (block x tile, in its order) on this thread.
        @inline(__always)
        static func conv6x32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int,
                             _ act: Int, _ res: UnsafePointer<Float>?, items: Range<Int>) {
            let count = oh &* ow
            let segments = (ow &+ 31) >> 5
            let tiles = oh &* segments
            let blocks = (oc &+ 5) / 6
            let chunk = min(tiles, max(1, 65_536 &* segments / max(1, ic &* sh &* pw &* 4)))
            do {
                for item in items {
                    let c0 = item / (blocks &* chunk) &* chunk
                    let inChunk = min(chunk, tiles &- c0)
                    let r = item &- c0 &* blocks
                    let blk = r / inChunk
                    let tile = c0 &+ r &- blk &* inChunk
                    let oy = tile / segments
                    let seg = tile &- oy &* segments
                    let wb = w + (blk &* k &* 6), bb = b + (blk &* 6)
                    let lanes = min(6, oc &- blk &* 6)
                    if seg &+ 1 == segments && seg > 0 && ow &- (seg << 5) <= 16 {
                        // The row's last 16 pixels or fewer: one vector per channel, ending at the row's end.
                        let ox = ow &- 16
                        let xr = UnsafeRawPointer(x + (oy &* sh &* pw &+ ox))
                        var a0 = SIMD16<Float>(repeating: bb[0]), a1 = SIMD16<Float>(repeating: bb[1]), a2 = SIMD16<Float>(repeating: bb[2])
                        var a3 = SIMD16<Float>(repeating: bb[3]), a4 = SIMD16<Float>(repeating: bb[4]), a5 = SIMD16<Float>(repeating: bb[5])
                        for i in 0 ..< k {
                            let v = xr.loadUnaligned(fromByteOffset: off[i] &* 4, as: SIMD16<Float>.self)
                            let wi = wb + (i &* 6)
                            a0 = a0.addingProduct(v, SIMD16(repeating: wi[0])); a1 = a1.addingProduct(v, SIMD16(repeating: wi[1]))
                            a2 = a2.addingProduct(v, SIMD16(repeating: wi[2])); a3 = a3.addingProduct(v, SIMD16(repeating: wi[3]))
                            a4 = a4.addingProduct(v, SIMD16(repeating: wi[4])); a5 = a5.addingProduct(v, SIMD16(repeating: wi[5]))
                        }
                        let at = blk &* 6 &* count &+ oy &* ow &+ ox
                        let r0 = res.map { $0 + at }
                        storeRow16(a0, y + at, act, r0)
                        if lanes > 1 { storeRow16(a1, y + (at &+ count), act, r0.map { $0 + count }) }
                        if lanes > 2 { storeRow16(a2, y + (at &+ 2 &* count), act, r0.map { $0 + 2 &* count }) }
                        if lanes > 3 { storeRow16(a3, y + (at &+ 3 &* count), act, r0.map { $0 + 3 &* count }) }
                        if lanes > 4 { storeRow16(a4, y + (at &+ 4 &* count), act, r0.map { $0 + 4 &* count }) }
                        if lanes > 5 { storeRow16(a5, y + (at &+ 5 &* count), act, r0.map { $0 + 5 &* count }) }
                        continue
                    }
                    let ox = min(seg << 5, ow &- 32)
                    let xr = UnsafeRawPointer(x + (oy &* sh &* pw &+ ox))
                    var a0 = SIMD16<Float>(repeating: bb[0]), a1 = a0, a2 = SIMD16<Float>(repeating: bb[1]), a3 = a2
                    var a4 = SIMD16<Float>(repeating: bb[2]), a5 = a4, a6 = SIMD16<Float>(repeating: bb[3]), a7 = a6
                    var a8 = SIMD16<Float>(repeating: bb[4]), a9 = a8, a10 = SIMD16<Float>(repeating: bb[5]), a11 = a10
                    for i in 0 ..< k {
                        let o = off[i] &* 4
                        let v0 = xr.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self)
                        let v1 = xr.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD16<Float>.self)
                        let wi = wb + (i &* 6)
                        var wv = SIMD16<Float>(repeating: wi[0]); a0 = a0.addingProduct(v0, wv); a1 = a1.addingProduct(v1, wv)
                        wv = SIMD16<Float>(repeating: wi[1]); a2 = a2.addingProduct(v0, wv); a3 = a3.addingProduct(v1, wv)
                        wv = SIMD16<Float>(repeating: wi[2]); a4 = a4.addingProduct(v0, wv); a5 = a5.addingProduct(v1, wv)
                        wv = SIMD16<Float>(repeating: wi[3]); a6 = a6.addingProduct(v0, wv); a7 = a7.addingProduct(v1, wv)
                        wv = SIMD16<Float>(repeating: wi[4]); a8 = a8.addingProduct(v0, wv); a9 = a9.addingProduct(v1, wv)
                        wv = SIMD16<Float>(repeating: wi[5]); a10 = a10.addingProduct(v0, wv); a11 = a11.addingProduct(v1, wv)
                    }
                    let at = blk &* 6 &* count &+ oy &* ow &+ ox
                    let r0 = res.map { $0 + at }
                    storeRow32(a0, a1, y + at, act, r0)
                    if lanes > 1 { storeRow32(a2, a3, y + (at &+ count), act, r0.map { $0 + count }) }
                    if lanes > 2 { storeRow32(a4, a5, y + (at &+ 2 &* count), act, r0.map { $0 + 2 &* count }) }
                    if lanes > 3 { storeRow32(a6, a7, y + (at &+ 3 &* count), act, r0.map { $0 + 3 &* count }) }
                    if lanes > 4 { storeRow32(a8, a9, y + (at &+ 4 &* count), act, r0.map { $0 + 4 &* count }) }
                    if lanes > 5 { storeRow32(a10, a11, y + (at &+ 5 &* count), act, r0.map { $0 + 5 &* count }) }
                }
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

        /// A 3x3 stride-1 convolution by Winograd's F(2x2, 3x3) (Lavin and Gray, 2015): each
        /// 4x4 input tile d becomes V = B^T d B, each filter g was made U = G g G^T at load
        /// time, and each 2x2 output tile is A^T M A, where M sums U * V (elementwise) over the
        /// input channels: 16 matrix products [oc x ic] x [ic x tiles] instead of 9 taps, 2.25x
        /// fewer multiply-adds. The input is padded; output height and width are even. Tiles
        /// run in chunks of `chunkRows` rows of tiles (at least 16 tiles; a last chunk under
        /// 16 tiles is a whole one overlapping the one before): the chunk's input transformed into `v` ([16][ic][tiles +
        /// 8], a row's tiles 8 per vector, the last vector overlapping the one before, or one
        /// vector whose lanes past the row spill into the 8 floats of slack), the 16 products by
        /// `conv6x16` into `m` ([16][oc][tiles], 8 floats of slack after), then the output
        /// transform adds the bias, the residual and the activation as it stores.
        @inline(never)
        static func winograd(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ u: UnsafePointer<Float>, _ zero: UnsafePointer<Float>,
                             _ bias: UnsafePointer<Float>, _ off: UnsafePointer<Int>, _ v: UnsafeMutablePointer<Float>, _ m: UnsafeMutablePointer<Float>,
                             _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ plane: Int, _ chunkRows: Int,
                             _ act: Int, _ res: UnsafePointer<Float>?, _ threads: Team) {
            let across = ow >> 1, down = oh >> 1
            let vStride = chunkRows &* across &+ 8
            let groups = (across &+ 7) >> 3
            let element = (oc &+ 5) / 6 &* 6 &* ic
            var next = 0
            while next < down {
                // The last chunk: the rows left, or (under 16 tiles) a whole chunk overlapping.
                let left = min(chunkRows, down &- next)
                let rows = left &* across >= 16 ? left : chunkRows
                let r0 = down &- rows < next ? down &- rows : next
                let tiles = rows &* across
                // V = B^T d B for 8 tiles at once; B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
                parallel(ic, threads, work: ic &* tiles &* 64) { lo, hi in
                    let stride = ic &* vStride &* 4
                    for c in lo ..< hi {
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
                // tiles of 32 pixels (here: Winograd tiles) when the chunk has 32 or more;
                // measured (docs/BENCHMARKS.md): except with 129-256 input channels on chunks
                // of 64+ tiles (VGG-16's 56x56 and 28x28 256-channel layers, 8-13% slower).
                let wide = threads.wide && tiles >= 32 && (tiles < 64 || ic <= 128 || ic > 256)
                let items = (oc &+ 5) / 6 &* (wide ? (tiles &+ 31) >> 5 : (tiles &+ 15) >> 4)
                parallel(16 &* items, threads, work: 16 &* items &* ic &* (wide ? 192 : 96)) { lo, hi in
                    var i = lo
                    while i < hi {
                        let e = i / items, end = min(hi, (e &+ 1) &* items)
                        let part = (i &- e &* items) ..< (end &- e &* items)
                        if wide {
                            conv6x32(v + e &* ic &* vStride, m + e &* oc &* tiles, u + e &* element, zero, off, ic, ic, oc, 1, tiles, tiles, 1, 0, nil, items: part)
                        } else {
                            conv6x16(v + e &* ic &* vStride, m + e &* oc &* tiles, u + e &* element, zero, off, ic, ic, oc, 1, tiles, tiles, 1, 0, nil, items: part)
                        }
                        i = end
                    }
                }
                // Y = A^T M A; A^T = [1 1 1 0; 0 1 -1 -1].
                parallel(oc, threads, work: oc &* tiles &* 64) { lo, hi in
                    let stride = oc &* tiles &* 4
                    for o in lo ..< hi {
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
        /// every sh-th row and sw-th column of channel-first planes.
        @inline(never)
        static func channelsLast(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ c: Int, _ ih: Int, _ iw: Int,
                                 _ rows: Int, _ cols: Int, _ sh: Int, _ sw: Int, _ top: Int, _ left: Int, _ ph: Int, _ pw: Int) {
            y.update(repeating: 0, count: ph &* pw &* c)
            for r in 0 ..< rows {
                for q in 0 ..< cols {
                    let yp = y + (((r &+ top) &* pw &+ q &+ left) &* c)
                    let xp = x + (r &* sh &* iw &+ q &* sw)
                    for ch in 0 ..< c { yp[ch] = xp[ch &* ih &* iw] }
                }
            }
        }

        /// Runs body(lo, hi) over [0, n) split into `threads` contiguous parts, in parallel
        /// when there is enough work (`work` multiply-adds) to pay for it.
        @inline(__always)
        static func parallel(_ n: Int, _ threads: Team, work: Int, _ body: (Int, Int) -> Void) {
            guard let workers = threads.workers, n > 1, work >= 1 << 18 else { body(0, n); return }
            workers.run(n, body)
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

        /// A convolution on a prepared input in register tiles of 6 output pixels x 16 output
        /// channels (12 accumulators): per step of the reduction over (input channel, tap), two
        /// weight vectors and six broadcast input values. `w` is [block][k][16], `b` [block][16];
        /// `off` the k input offsets; output channels `oc`, output planes oh x ow.
        @inline(never)
        static func conv16x6(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int, _ sw: Int,
                             _ ps: Int, _ act: Int, _ res: UnsafePointer<Float>?, _ threads: Team, weightShift ws: Int = 0) {
            let count = oh &* ow
            let tiles = (count &+ 5) / 6
            let blocks = (oc &+ 15) >> 4
            let parts = reductionParts(k, 16 << ws)
            let chunk = chunkTiles(ic, ow, pw, sh, 6, tiles)
            for part in 0 ..< parts {
                let k0 = k &* part / parts, k1 = k &* (part &+ 1) / parts
                let last = part == parts &- 1
                parallel(blocks &* tiles, threads, work: blocks &* tiles &* (k1 &- k0) &* 64) { lo, hi in
                    for item in lo ..< hi {
                        // Items run chunk by chunk of pixels, block by block within a chunk.
                        let c0 = item / (blocks &* chunk) &* chunk
                        let inChunk = min(chunk, tiles &- c0)
                        let r = item &- c0 &* blocks
                        let blk = r / inChunk
                        let p0 = (c0 &+ r &- blk &* inChunk) &* 6
                        let x0 = x + pixelBase(p0, count, ow, pw, sh, sw) &* ps, x1 = x + pixelBase(p0 &+ 1, count, ow, pw, sh, sw) &* ps
                        let x2 = x + pixelBase(p0 &+ 2, count, ow, pw, sh, sw) &* ps, x3 = x + pixelBase(p0 &+ 3, count, ow, pw, sh, sw) &* ps
                        let x4 = x + pixelBase(p0 &+ 4, count, ow, pw, sh, sw) &* ps, x5 = x + pixelBase(p0 &+ 5, count, ow, pw, sh, sw) &* ps
                        let wb = UnsafeRawPointer(w + ((blk >> ws) &* k << (4 &+ ws) &+ (blk & ws) << 4))
                        let lanes = min(16, oc &- (blk << 4))
                        let n = min(6, count &- p0)
                        let yb = y + ((blk << 4) &* count &+ p0), yh = yb + (8 &* count)
                        var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11: SIMD8<Float>
                        if part == 0 {
                            let bb = UnsafeRawPointer(b + (blk &* 16))
                            let bl = bb.loadUnaligned(as: SIMD8<Float>.self), bh = bb.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                            (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11) = (bl, bh, bl, bh, bl, bh, bl, bh, bl, bh, bl, bh)
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
                            let wl = wb.loadUnaligned(fromByteOffset: i << (6 &+ ws), as: SIMD8<Float>.self)
                            let wh = wb.loadUnaligned(fromByteOffset: i << (6 &+ ws) &+ 32, as: SIMD8<Float>.self)
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
                            let v5 = SIMD8<Float>(repeating: x5[o])
                            a10 = a10.addingProduct(v5, wl); a11 = a11.addingProduct(v5, wh)
                        }
                        let f = last ? act : 0
                        let rb = last ? res.map { $0 + ((blk << 4) &* count &+ p0) } : nil, rh = rb.map { $0 + (8 &* count) }
                        store(a0, yb, count, lanes, f, rb); store(a1, yh, count, lanes &- 8, f, rh)
                        if n > 1 { store(a2, yb + 1, count, lanes, f, rb.map { $0 + 1 }); store(a3, yh + 1, count, lanes &- 8, f, rh.map { $0 + 1 }) }
                        if n > 2 { store(a4, yb + 2, count, lanes, f, rb.map { $0 + 2 }); store(a5, yh + 2, count, lanes &- 8, f, rh.map { $0 + 2 }) }
                        if n > 3 { store(a6, yb + 3, count, lanes, f, rb.map { $0 + 3 }); store(a7, yh + 3, count, lanes &- 8, f, rh.map { $0 + 3 }) }
                        if n > 4 { store(a8, yb + 4, count, lanes, f, rb.map { $0 + 4 }); store(a9, yh + 4, count, lanes &- 8, f, rh.map { $0 + 4 }) }
                        if n > 5 { store(a10, yb + 5, count, lanes, f, rb.map { $0 + 5 }); store(a11, yh + 5, count, lanes &- 8, f, rh.map { $0 + 5 }) }
                    }
                }
            }
        }

        /// The same in tiles of 5 output pixels x 16 output channels (10 accumulators), for
        /// planes that 5-pixel tiles cut with less waste (7x7: 50 pixels computed, not 54).
        @inline(never)
        static func conv16x5(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int, _ sw: Int,
                             _ ps: Int, _ act: Int, _ res: UnsafePointer<Float>?, _ threads: Team, weightShift ws: Int = 0) {
            let count = oh &* ow
            let tiles = (count &+ 4) / 5
            let blocks = (oc &+ 15) >> 4
            let parts = reductionParts(k, 16 << ws)
            let chunk = chunkTiles(ic, ow, pw, sh, 5, tiles)
            for part in 0 ..< parts {
                let k0 = k &* part / parts, k1 = k &* (part &+ 1) / parts
                let last = part == parts &- 1
                parallel(blocks &* tiles, threads, work: blocks &* tiles &* (k1 &- k0) &* 64) { lo, hi in
                    for item in lo ..< hi {
                        // Items run chunk by chunk of pixels, block by block within a chunk.
                        let c0 = item / (blocks &* chunk) &* chunk
                        let inChunk = min(chunk, tiles &- c0)
                        let r = item &- c0 &* blocks
                        let blk = r / inChunk
                        let p0 = (c0 &+ r &- blk &* inChunk) &* 5
                        let x0 = x + pixelBase(p0, count, ow, pw, sh, sw) &* ps, x1 = x + pixelBase(p0 &+ 1, count, ow, pw, sh, sw) &* ps
                        let x2 = x + pixelBase(p0 &+ 2, count, ow, pw, sh, sw) &* ps, x3 = x + pixelBase(p0 &+ 3, count, ow, pw, sh, sw) &* ps
                        let x4 = x + pixelBase(p0 &+ 4, count, ow, pw, sh, sw) &* ps
                        let wb = UnsafeRawPointer(w + ((blk >> ws) &* k << (4 &+ ws) &+ (blk & ws) << 4))
                        let lanes = min(16, oc &- (blk << 4))
                        let n = min(5, count &- p0)
                        let yb = y + ((blk << 4) &* count &+ p0), yh = yb + (8 &* count)
                        var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9: SIMD8<Float>
                        if part == 0 {
                            let bb = UnsafeRawPointer(b + (blk &* 16))
                            let bl = bb.loadUnaligned(as: SIMD8<Float>.self), bh = bb.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                            (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9) = (bl, bh, bl, bh, bl, bh, bl, bh, bl, bh)
                        } else {
                            a0 = load(yb, count, lanes); a1 = load(yh, count, lanes &- 8)
                            a2 = n > 1 ? load(yb + 1, count, lanes) : .zero; a3 = n > 1 ? load(yh + 1, count, lanes &- 8) : .zero
                            a4 = n > 2 ? load(yb + 2, count, lanes) : .zero; a5 = n > 2 ? load(yh + 2, count, lanes &- 8) : .zero
                            a6 = n > 3 ? load(yb + 3, count, lanes) : .zero; a7 = n > 3 ? load(yh + 3, count, lanes &- 8) : .zero
                            a8 = n > 4 ? load(yb + 4, count, lanes) : .zero; a9 = n > 4 ? load(yh + 4, count, lanes &- 8) : .zero
                        }
                        for i in k0 ..< k1 {
                            let o = off[i]
                            let wl = wb.loadUnaligned(fromByteOffset: i << (6 &+ ws), as: SIMD8<Float>.self)
                            let wh = wb.loadUnaligned(fromByteOffset: i << (6 &+ ws) &+ 32, as: SIMD8<Float>.self)
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
                        }
                        let f = last ? act : 0
                        let rb = last ? res.map { $0 + ((blk << 4) &* count &+ p0) } : nil, rh = rb.map { $0 + (8 &* count) }
                        store(a0, yb, count, lanes, f, rb); store(a1, yh, count, lanes &- 8, f, rh)
                        if n > 1 { store(a2, yb + 1, count, lanes, f, rb.map { $0 + 1 }); store(a3, yh + 1, count, lanes &- 8, f, rh.map { $0 + 1 }) }
                        if n > 2 { store(a4, yb + 2, count, lanes, f, rb.map { $0 + 2 }); store(a5, yh + 2, count, lanes &- 8, f, rh.map { $0 + 2 }) }
                        if n > 3 { store(a6, yb + 3, count, lanes, f, rb.map { $0 + 3 }); store(a7, yh + 3, count, lanes &- 8, f, rh.map { $0 + 3 }) }
                        if n > 4 { store(a8, yb + 4, count, lanes, f, rb.map { $0 + 4 }); store(a9, yh + 4, count, lanes &- 8, f, rh.map { $0 + 4 }) }
                    }
                }
            }
        }

        /// Channel tiles in 16-float vectors (AVX-512): register tiles of 7 output pixels x 32
        /// output channels, two SIMD16 accumulators per pixel (14), per step of the reduction two
        /// weight vectors and seven broadcast input values. `w` is [block][k][32], `b` [block][32].
        /// Where the CPU has two 512-bit FMA units this does twice the work per instruction of
        /// the 8-float tiles. Without 16-float registers each SIMD16 is two and the tile spills,
        /// so the same weights run through `conv16x6` or `conv16x5` in halves of 16 channels
        /// (`weightShift` 1): the same reduction order, parts and bias, so the same bits.
        @inline(never)
        static func conv32x7(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int, _ sw: Int,
                             _ ps: Int, _ act: Int, _ res: UnsafePointer<Float>?, _ threads: Team) {
            let count = oh &* ow
            guard threads.wide else {
                // 5-pixel tiles where 6-pixel ones would compute 5% more pixels than the plane has.
                if (count &+ 5) / 6 &* 6 &- (count &+ 4) / 5 &* 5 >= max(1, count / 20) {
                    return conv16x5(x, y, w, b, off, k, ic, oc, oh, ow, pw, sh, sw, ps, act, res, threads, weightShift: 1)
                }
                return conv16x6(x, y, w, b, off, k, ic, oc, oh, ow, pw, sh, sw, ps, act, res, threads, weightShift: 1)
            }
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
                        let wb = UnsafeRawPointer(w + (blk &* k &* 32))
                        let lanes = min(32, oc &- (blk << 5))
                        let n = min(7, count &- p0)
                        let yb = y + ((blk << 5) &* count &+ p0)
                        var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13: SIMD16<Float>
                        if part == 0 {
                            let bb = UnsafeRawPointer(b + (blk &* 32))
                            let bl = bb.loadUnaligned(as: SIMD16<Float>.self), bh = bb.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                            (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13) = (bl, bh, bl, bh, bl, bh, bl, bh, bl, bh, bl, bh, bl, bh)
                        } else {
                            (a0, a1) = load32(yb, count, lanes, 1)
                            (a2, a3) = load32(yb + 1, count, lanes, n &- 1)
                            (a4, a5) = load32(yb + 2, count, lanes, n &- 2)
                            (a6, a7) = load32(yb + 3, count, lanes, n &- 3)
                            (a8, a9) = load32(yb + 4, count, lanes, n &- 4)
                            (a10, a11) = load32(yb + 5, count, lanes, n &- 5)
                            (a12, a13) = load32(yb + 6, count, lanes, n &- 6)
                        }
                        for i in k0 ..< k1 {
                            let o = off[i]
                            let wl = wb.loadUnaligned(fromByteOffset: i &* 128, as: SIMD16<Float>.self)
                            let wh = wb.loadUnaligned(fromByteOffset: i &* 128 &+ 64, as: SIMD16<Float>.self)
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
                        store32(a0, a1, yb, count, lanes, f, rb)
                        if n > 1 { store32(a2, a3, yb + 1, count, lanes, f, rb.map { $0 + 1 }) }
                        if n > 2 { store32(a4, a5, yb + 2, count, lanes, f, rb.map { $0 + 2 }) }
                        if n > 3 { store32(a6, a7, yb + 3, count, lanes, f, rb.map { $0 + 3 }) }
                        if n > 4 { store32(a8, a9, yb + 4, count, lanes, f, rb.map { $0 + 4 }) }
                        if n > 5 { store32(a10, a11, yb + 5, count, lanes, f, rb.map { $0 + 5 }) }
                        if n > 6 { store32(a12, a13, yb + 6, count, lanes, f, rb.map { $0 + 6 }) }
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
                for l in 0 ..< 16 { y[l &* plane] = u[l]; y[(l &+ 16) &* plane] = v[l] }
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

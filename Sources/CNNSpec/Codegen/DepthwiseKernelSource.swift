// The depthwise kernels of `enum Kernels`: one channel at a time, each padded into a buffer
// of the thread's (rows split into even and odd columns at stride 2), 3x3 taps unrolled. A
// part of the runtime text that ConvKernelSource.swift joins with the other conv kernels.

let depthwiseKernelSource = #"""
        /// A depthwise conv, one channel at a time: the channel's plane is first padded (any
        /// mode, by `pad`; zero padding copies only the rows) into a buffer of this thread's, with
        /// slack past the end, so the padded input is never a whole tensor in memory; then
        /// `depthwisePlane` computes the channel's output plane. For 3x3 at stride 2 with zero
        /// padding and rows of 16+ pixels, each padded row is stored as its even columns then its
        /// odd ones (`split`), so that every tap reads 8 consecutive floats instead of 16 to keep
        /// every other one; each half starts on a 64-byte boundary (the 8-float stores of the
        /// split no longer straddle cache lines: MobileNetV2's 56x56 and 112x112 stride-2 layers
        /// 8-22% faster). Such a layer whose input is over 2 MB (read from L3, not L2) splits
        /// its rows into a ring of three instead (`depthwiseStride2`); one padded by one on rows
        /// of up to 16 pixels reads them into registers (`depthwiseStride2Narrow`).
        @inline(never)
        static func depthwise(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                              _ c: Int, _ ih: Int, _ iw: Int, _ top: Int, _ left: Int, _ bottom: Int, _ right: Int, _ mode: Int,
                              _ oh: Int, _ ow: Int, _ kh: Int, _ kw: Int, _ sh: Int, _ sw: Int, _ dh: Int, _ dw: Int, _ act: Int,
                              _ threads: Team) {
            let taps = kh &* kw
            let pw = iw &+ left &+ right, ph = ih &+ top &+ bottom
            let split = kh == 3 && kw == 3 && dh == 1 && dw == 1 && sw == 2 && mode == 0 && iw >= 16  // measured: narrower rows lose
            if split && sh == 2 && top == 1 && left == 1 && ow >= 8 && c &* ih &* iw > 524_288 {
                return depthwiseStride2(x, y, w, b, c, ih, iw, oh, ow, act, threads)
            }
            if kh == 3 && kw == 3 && dh == 1 && dw == 1 && sh == 1 && sw == 1 && mode == 0 && top == 1 && left == 1 && bottom == 1 && right == 1
                && iw >= 8 && c &* ih &* iw > ringFloats {
                return depthwiseStride1(x, y, w, b, c, ih, iw, act, threads)
            }
            if kh == 3 && kw == 3 && dh == 1 && dw == 1 && sh == 2 && sw == 2 && mode == 0 && top == 1 && left == 1 && iw <= 16 && ow <= 8 {
                return depthwiseStride2Narrow(x, y, w, b, c, ih, iw, oh, ow, act, threads)
            }
            // A padded row in the buffer: pw floats, or two halves of `half` floats (a multiple
            // of 16) when split.
            let half = (((pw &+ 1) >> 1) &+ 15) & ~15
            let rs = split ? 2 &* half : pw
            let perRow = (ow &+ 7) >> 3
            let vectors = oh &* perRow
            parallel(c, threads, work: c &* oh &* ow &* taps) { lo, hi in
                // Slack: whole vectors (16 floats for 8 at stride 2) read past the end of short rows,
                // and 16 floats to start a split buffer on a 64-byte boundary.
                withUnsafeTemporaryAllocation(of: Float.self, capacity: ph &* rs &+ 80) { buffer in
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
                        let bp = split ? aligned64(buffer.baseAddress!) : buffer.baseAddress!
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

        /// A 3x3 depthwise conv at stride 2 with zero padding of one row and one column before
        /// (MobileNetV2's downsampling layers) whose input is too big to pad plane by plane in
        /// the L2 cache: a channel's padded rows are split (even columns, then odd: `splitRow`)
        /// as the output rows reach them into a ring of three rows (a few KB, in L1), so the
        /// input is read once and every tap is one 8-float load with no shuffle, as
        /// `depthwisePlane` reads a split plane. (Straight from the input planes, deinterleaving
        /// 16-float loads for every tap, MobileNetV2's 112x112 -> 56x56 layer took 0.31 ms
        /// against 0.21 on the AVX2 EPYC; on its smaller planes the ring lost to the padded
        /// plane.) Rows outside the plane are a row of zeros. The same sums in the same order as
        /// `depthwisePlane`, so the same bits.
        @inline(never)
        static func depthwiseStride2(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                     _ c: Int, _ ih: Int, _ iw: Int, _ oh: Int, _ ow: Int, _ act: Int, _ threads: Team) {
            let perRow = (ow &+ 7) >> 3
            // A split row: its even padded columns (half floats, a multiple of 16), then its odd ones.
            let half = (((iw &+ 3) >> 1) &+ 15) & ~15, rs = 2 &* half
            parallel(c, threads, work: c &* oh &* ow &* 9) { lo, hi in
                // A row of zeros (the padding rows), then the ring of three split rows, 64-byte aligned.
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 &* rs &+ 16) { buffer in
                    buffer.initialize(repeating: 0)
                    let zero = aligned64(buffer.baseAddress!), ring = zero + rs
                    for ch in lo ..< hi {
                        let xs = x + (ch &* ih &* iw), ys = y + (ch &* oh &* ow), wc = w + (ch &* 9)
                        let taps = Taps3x3(wc, b[ch])
                        // Padded row p (input row p - 1) goes to slot p % 3 (its padding columns stay
                        // zero: only the input's columns are written); outside the plane, the zero row.
                        @inline(__always) func fill(_ p: Int) {
                            if p >= 1 && p <= ih { splitRow(xs + (p &- 1) &* iw, ring + (p % 3) &* rs, iw, 1, half) }
                        }
                        @inline(__always) func row(_ p: Int) -> UnsafePointer<Float> { UnsafePointer(p >= 1 && p <= ih ? ring + (p % 3) &* rs : zero) }
                        for oy in 0 ..< oh {
                            // Output row oy reads padded rows 2 oy (split for the row before) to 2 oy + 2.
                            fill(2 &* oy &+ 1); fill(2 &* oy &+ 2)
                            let r0 = row(2 &* oy), r1 = row(2 &* oy &+ 1), r2 = row(2 &* oy &+ 2)
                            for v in 0 ..< perRow {
                                let ox0 = min(v << 3, ow &- 8)
                                // Padded columns 2 ox, 2 ox + 1, 2 ox + 2: the even half at ox, the odd half
                                // at ox, the even half at ox + 1.
                                @inline(__always) func tap(_ r: UnsafePointer<Float>, _ o: Int) -> SIMD8<Float> {
                                    UnsafeRawPointer(r + (ox0 &+ o)).loadUnaligned(as: SIMD8<Float>.self)
                                }
                                let sum = taps.sum((tap(r0, 0), tap(r0, half), tap(r0, 1)), (tap(r1, 0), tap(r1, half), tap(r1, 1)),
                                                   (tap(r2, 0), tap(r2, half), tap(r2, 1)))
                                storeDepthwise(sum, ys, oy &* ow &+ ox0, ow, oh &* ow, act)
                            }
                        }
                    }
                }
            }
        }

        /// The input size (floats, 1.2 MB) above which 3x3 stride-1 depthwise convs padded by
        /// one copy their rows into a ring (`depthwiseStride1`). Measured on the AVX2 EPYC (512 KB
        /// of L2 a core): 32 x 112x112 (1.6 MB) 0.200 -> 0.161 ms and 144 x 56x56 (1.8 MB) 0.211
        /// -> 0.198 by the ring; 192 x 28x28 (0.6 MB) 0.086 -> 0.093 and 576 x 14x14 0.059 ->
        /// 0.120, so the padded plane stays below.
        static let ringFloats = 300_000

        /// A 3x3 stride-1 depthwise conv padded by one on every side whose input is over
        /// `ringFloats`: a channel's padded rows are copied in as the output rows reach them, into
        /// a ring of three rows (in L1), so reading the input (from L3, after the expansion conv
        /// that wrote it) overlaps the arithmetic, where padding a whole plane first waited for
        /// it. Rows outside the plane are a row of zeros. The same sums in the same order as
        /// `depthwisePlane`, so the same bits. (One kernel for both strides, the stride a
        /// parameter and the rows filled by a loop, ran MobileNetV2's ring layers 5-27% slower,
        /// also inlined into a function per stride; so `depthwiseStride2` stays a kernel of its own.)
        @inline(never)
        static func depthwiseStride1(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                     _ c: Int, _ ih: Int, _ iw: Int, _ act: Int, _ threads: Team) {
            let perRow = (iw &+ 7) >> 3
            // A padded row: a zero, the row, a zero; a multiple of 16 floats.
            let rs = (iw &+ 2 &+ 15) & ~15
            parallel(c, threads, work: c &* ih &* iw &* 9) { lo, hi in
                // A row of zeros (the padding rows), then the ring of three rows, 64-byte aligned.
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 4 &* rs &+ 16) { buffer in
                    buffer.initialize(repeating: 0)
                    let zero = aligned64(buffer.baseAddress!), ring = zero + rs
                    for ch in lo ..< hi {
                        let xs = x + (ch &* ih &* iw), ys = y + (ch &* ih &* iw), wc = w + (ch &* 9)
                        let taps = Taps3x3(wc, b[ch])
                        // Padded row p (input row p - 1) goes to slot p % 3 at column 1 (its padding
                        // columns stay zero); outside the plane, the zero row.
                        @inline(__always) func fill(_ p: Int) {
                            if p >= 1 && p <= ih { copyRow(xs + (p &- 1) &* iw, ring + ((p % 3) &* rs &+ 1), iw, wholeVector: false) }
                        }
                        @inline(__always) func row(_ p: Int) -> UnsafePointer<Float> { UnsafePointer(p >= 1 && p <= ih ? ring + (p % 3) &* rs : zero) }
                        fill(1)
                        for oy in 0 ..< ih {
                            // Output row oy reads padded rows oy to oy + 2.
                            fill(oy &+ 2)
                            let r0 = row(oy), r1 = row(oy &+ 1), r2 = row(oy &+ 2)
                            for v in 0 ..< perRow {
                                let ox0 = min(v << 3, iw &- 8)
                                @inline(__always) func tap(_ r: UnsafePointer<Float>, _ o: Int) -> SIMD8<Float> {
                                    UnsafeRawPointer(r + (ox0 &+ o)).loadUnaligned(as: SIMD8<Float>.self)
                                }
                                let sum = taps.sum((tap(r0, 0), tap(r0, 1), tap(r0, 2)), (tap(r1, 0), tap(r1, 1), tap(r1, 2)),
                                                   (tap(r2, 0), tap(r2, 1), tap(r2, 2)))
                                storeDepthwise(sum, ys, oy &* iw &+ ox0, iw, ih &* iw, act)
                            }
                        }
                    }
                }
            }
        }

        /// A 3x3 depthwise conv at stride 2 with zero padding of one row and one column before,
        /// on rows of at most 16 pixels that make at most 8 (MobileNetV2's 14x14 -> 7x7 layer),
        /// in registers. Each input row is read as 16 floats from one float before it and from
        /// one after: output column ox reads padded columns 2 ox (input column 2 ox - 1: the even
        /// floats of the first, the left padding column set to zero in lane 0), 2 ox + 1 (its odd
        /// floats) and 2 ox + 2 (the even floats of the second). Rows outside the plane are
        /// zeros, and so are columns past the row (read when 2 ow > iw). Padded into a buffer
        /// split into even and odd columns and read back a vector a tap, the layer took 0.046 ms
        /// on the AVX2 EPYC (ONNX Runtime: 0.026); with strided loads, 0.057; this way, 0.035.
        /// (Its even and odd floats taken within each 128-bit half, one shuffle each, and the
        /// output put in order once before its store: no faster.) The same sums in the same
        /// order as `depthwisePlane`, so the same bits.
        @inline(never)
        static func depthwiseStride2Narrow(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                                           _ c: Int, _ ih: Int, _ iw: Int, _ oh: Int, _ ow: Int, _ act: Int, _ threads: Team) {
            let plane = ih &* iw, end = c &* plane
            // The input column 2 ox of each lane, to zero the columns past the row.
            let column = SIMD8<Float>(0, 2, 4, 6, 8, 10, 12, 14)
            let mask = 2 &* ow > iw, pastS = column .> Float(iw), pastE = column .>= Float(iw), pastO = column .>= Float(iw &- 1)
            let first = SIMD8<Float>(0, 1, 1, 1, 1, 1, 1, 1) .== 0
            parallel(c, threads, work: c &* oh &* ow &* 9) { lo, hi in
                for ch in lo ..< hi {
                    let ys = y + (ch &* oh &* ow), wc = w + (ch &* 9)
                    let taps = Taps3x3(wc, b[ch])
                    // Input row i as the taps of padded columns 2 ox, 2 ox + 1 and 2 ox + 2.
                    @inline(__always) func row(_ i: Int) -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
                        guard i < ih else { return (.zero, .zero, .zero) }
                        let at = ch &* plane &+ i &* iw
                        var u = SIMD16<Float>(), v = SIMD16<Float>()
                        if at >= 1 && at &+ 17 <= end {
                            u = UnsafeRawPointer(x + (at &- 1)).loadUnaligned(as: SIMD16<Float>.self)
                            v = UnsafeRawPointer(x + (at &+ 1)).loadUnaligned(as: SIMD16<Float>.self)
                        } else {
                            // The tensor's first or last rows: nothing read outside it.
                            for l in 0 ..< min(iw, 16) { if l < 15 { u[l &+ 1] = x[at &+ l] }; if l >= 1 { v[l &- 1] = x[at &+ l] } }
                        }
                        var s = u.evenHalf.replacing(with: 0, where: first), e = u.oddHalf, o = v.evenHalf
                        if mask { s.replace(with: 0, where: pastS); e.replace(with: 0, where: pastE); o.replace(with: 0, where: pastO) }
                        return (s, e, o)
                    }
                    var r0 = (SIMD8<Float>(), SIMD8<Float>(), SIMD8<Float>())  // the top padding row
                    for oy in 0 ..< oh {
                        let r1 = row(2 &* oy), r2 = row(2 &* oy &+ 1)
                        storeDepthwise(taps.sum(r0, r1, r2), ys, oy &* ow, ow, oh &* ow, act)
                        r0 = r2
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
                        // Written out rather than by `Taps3x3`: through it, this loop ran at half speed.
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

        /// A 3x3 depthwise conv's nine weights and bias, broadcast once per channel, and the sum
        /// of one output vector from its three rows of taps (left, centre, right), as three
        /// partial sums (one a row) to shorten the chain of dependent FMAs, for the stride-2
        /// kernels that read rows into registers or a ring. `depthwisePlane` sums in the same
        /// order written out (through this struct its loop ran at half speed), so all give the
        /// same bits.
        struct Taps3x3 {
            let bias: SIMD8<Float>
            let w0: SIMD8<Float>, w1: SIMD8<Float>, w2: SIMD8<Float>, w3: SIMD8<Float>, w4: SIMD8<Float>
            let w5: SIMD8<Float>, w6: SIMD8<Float>, w7: SIMD8<Float>, w8: SIMD8<Float>

            @inline(__always)
            init(_ w: UnsafePointer<Float>, _ bias: Float) {
                self.bias = SIMD8(repeating: bias)
                (w0, w1, w2) = (SIMD8(repeating: w[0]), SIMD8(repeating: w[1]), SIMD8(repeating: w[2]))
                (w3, w4, w5) = (SIMD8(repeating: w[3]), SIMD8(repeating: w[4]), SIMD8(repeating: w[5]))
                (w6, w7, w8) = (SIMD8(repeating: w[6]), SIMD8(repeating: w[7]), SIMD8(repeating: w[8]))
            }

            typealias Row = (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>)

            @_transparent
            func sum(_ r0: Row, _ r1: Row, _ r2: Row) -> SIMD8<Float> {
                let a = bias.addingProduct(r0.0, w0).addingProduct(r0.1, w1).addingProduct(r0.2, w2)
                let c = (r1.0 * w3).addingProduct(r1.1, w4).addingProduct(r1.2, w5)
                let d = (r2.0 * w6).addingProduct(r2.1, w7).addingProduct(r2.2, w8)
                return a + c + d
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
"""#

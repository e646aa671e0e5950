// The pixel-tile kernels of `enum Kernels` (6 output channels x 16 or 32 pixels of a row:
// the GEMM micro-kernel, with packed panels on small planes, a 7x7 plane as one tile; their
// register tiles are in RegisterTileSource.swift). A part of the runtime text that
// ConvKernelSource.swift joins with the other conv kernels.

let pixelTileKernelSource = #"""
        /// A convolution in register tiles of 6 output channels x 16 pixels of one output row
        /// (stride 1 along the row, rows of at least 16 pixels; the last tile of a row overlaps
        /// the one before rather than run past the row): the GEMM micro-kernel shape, 12
        /// accumulators. Per step of the reduction: two input vectors, six broadcast weights.
        /// `w` is [block][k][6], `b` [block][6]; a last block of 4 channels or fewer runs as a
        /// tile of 4 (`Tile4x16`; without 16-float registers MobileNetV2's 112x112 32 -> 16 conv
        /// 0.195 -> 0.183 ms, its 28x28 projections to 32 channels 0.115 -> 0.109, its 14x14 ones
        /// to 64 and ResNet-50's 56x56 64 -> 256 convs 2%). Tiles run chunk by chunk (about 64 KB of input
        /// rows each, whole tiles: a 1x1 conv is one long row), every block within a chunk.
        /// Without 16-float registers, the pixel tiles of planes over 256 pixels with fewer than
        /// 8 blocks (where copying a panel for so few blocks costs more than it saves:
        /// MobileNetV2's 112x112 32 -> 16 conv 0.20 ms in place against 0.22 packed) and
        /// Winograd's products.
        @inline(never)
        static func conv6x16(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int,
                             _ act: Int, _ res: UnsafePointer<Float>?, _ threads: Team) {
            let items = (oc &+ 5) / 6 &* oh &* ((ow &+ 15) >> 4)
            parallel(items, threads, work: items &* k &* 96) { lo, hi in
                conv6x16(x, y, w, b, off, k, ic, oc, oh, ow, pw, sh, act, res, items: lo ..< hi)
            }
        }

        /// Items `items` of `conv6x16` (block x tile, in that order) on this thread.
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
                var cursor = ItemCursor(items.lowerBound, units: blocks, chunk: chunk, tiles: tiles)
                for _ in items {
                    let (tile, blk) = cursor.next()
                    let oy = oh == 1 ? 0 : tile / segments
                    let ox = min((tile &- oy &* segments) << 4, ow &- 16)
                    let xr = UnsafeRawPointer(x + (oy &* sh &* pw &+ ox))
                    let wb = w + (blk &* k &* 6)
                    let at = blk &* 6 &* count &+ oy &* ow &+ ox
                    let lanes = min(6, oc &- blk &* 6)
                    // A block of 4 channels or fewer in a tile of 4, written out beside the block of
                    // 6 for the reason the packed path below gives (one generic body was slower).
                    if lanes <= 4 {
                        var t = Tile4x16(bias: b + (blk &* 6))
                        for i in 0 ..< k {
                            let o = off[i] &* 4
                            t.step(xr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self),
                                   xr.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD8<Float>.self), wb + (i &* 6))
                        }
                        t.store(y + at, count, lanes, act, res.map { $0 + at })
                        continue
                    }
                    var t = Tile6x16(bias: b + (blk &* 6))
                    for i in 0 ..< k {
                        let o = off[i] &* 4
                        t.step(xr.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self),
                               xr.loadUnaligned(fromByteOffset: o &+ 32, as: SIMD8<Float>.self), wb + (i &* 6))
                    }
                    t.store(y + at, count, lanes, act, res.map { $0 + at })
                }
            }
        }

        /// `conv6x16` with tiles of 32 pixels (a row's last 16 pixels or fewer, and rows under 32
        /// pixels, in tiles of 16: `segments32`): two SIMD16 vectors per
        /// output channel, 12 accumulators of 16 lanes, so half the instructions per
        /// multiply-add (on this machine's AVX-512, 109 against 91 GFLOP/s on ResNet-50's 1x1
        /// convs in isolation, docs/BENCHMARKS.md). The same weights and table; chunks of about
        /// 256 KB of input (64 KB for Winograd's products).
        @inline(never)
        static func conv6x32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int,
                             _ act: Int, _ res: UnsafePointer<Float>?, _ threads: Team) {
            // With 16-float registers, planes over 256 pixels: chunk by chunk, block by block
            // within a chunk (packing the tiles' input measured 10-25% slower there on the Intel
            // Xeon: ResNet-50's 56x56 and 28x28 1x1 convs). Chunks of about 256 KB of input: each
            // output plane then written in longer runs (ResNet-50's 56x56 64 -> 256 convs 5-12%
            // faster than with 64 KB; Winograd's products keep 64 KB). Without them, the packed
            // tiles of 16 pixels below on every plane with 8 blocks or more (on the AVX2 EPYC
            // ResNet-50's 56x56 and 28x28 64 -> 256 convs 5-11% faster than chunk by chunk in
            // place, its 256 -> 64 ones level, MobileNetV2's 56x56 24 -> 144 convs 12%).
            guard oh &* ow <= 256 || !threads.wide else {
                // Blocks in pairs unless the input is over 1 MB (ResNet-50's 56x56 256 -> 64 convs
                // measured 8% slower with pairs, its 64 -> 256 ones 6% faster).
                let paired = ic &* oh &* ow <= 262_144
                let per = paired ? 2 : 1
                let items = ((oc &+ 5) / 6 &+ per &- 1) / per &* oh &* segments32(ow)
                parallel(items, threads, work: items &* k &* 192 &* per) { lo, hi in
                    conv6x32(x, y, w, b, off, k, ic, oc, oh, ow, pw, sh, act, res, items: lo ..< hi, paired: paired, chunkBytes: 262_144)
                }
                return
            }
            // Items: a group of blocks of channels x a tile of pixels, the tile's input packed
            // (14x14 planes: ResNet-50's 1x1 convs 10% faster); group by group, so that a group's
            // weights are read from memory once for all tiles. A group is every block when the
            // reduction is one part (the panel then copied once per tile: on the AVX2 EPYC,
            // ResNet-50's 14x14 1024 -> 256 convs 3-5% faster than in two groups), else at most 32 blocks
            // (their partial sums 24 KB): 2-7% faster than groups of 16 on the 14x14 and 7x7 1x1
            // convs of ResNet-50, MobileNetV2 and GoogLeNet (docs/BENCHMARKS.md). As many groups
            // as a multiple of the threads, of equal size, so that each thread gets as much work:
            // groups of 32 and 11 blocks had left a thread idle most of ResNet-50's 14x14
            // 1024 -> 256 convs at 2 threads.
            let blocks = (oc &+ 5) / 6
            let threadCount = (threads.workers?.count ?? 0) &+ 1
            let fewest = k <= (threads.wide ? 128 : 1024) ? 1 : (blocks &+ 31) >> 5
            // Without 16-float registers and with threads, planes over 256 pixels whose weights
            // fit in 256 KB are one group, split by tiles: each thread then reads only its tiles'
            // input, not all of it once per group (on the AVX2 EPYC at 2 threads, MobileNetV2's
            // 56x56 expansion convs 0.146 -> 0.135 ms and its 112x112 16 -> 96 one 0.324 -> 0.281,
            // ResNet-50's 56x56 1x1 convs 5-9% faster; with 528 KB of weights, its first stride-2
            // 1x1 conv 3% slower, so those keep their groups). Planes of up to 256 pixels are
            // split by tiles too where they have at least as many pixels as the blocks have
            // channels: the input each thread would read whole by groups is then larger than
            // the weights it reads whole by tiles (MobileNetV2's 14x14 projections 384 -> 64 and
            // 576 -> 96 0.068 -> 0.063 and 0.136 -> 0.134 ms at 2 threads; its 14x14 expansions
            // 96 -> 576 0.124 -> 0.128 by tiles, so those keep their groups).
            let byTiles = !threads.wide && fewest == 1 && (oh &* ow > 256 || oh &* ow >= blocks &* 6)
                && k &* blocks &* 24 <= 262_144 && oh &* segments16(ow) >= 4 &* threadCount
            let wanted = byTiles ? 1 : max(1, min(blocks, (fewest &+ threadCount &- 1) / threadCount &* threadCount))
            let span = (blocks &+ wanted &- 1) / wanted
            let groups = (blocks &+ span &- 1) / span
            // A plane of one row of 49 pixels (a 1x1 conv on 7x7): one tile, three vectors and a
            // last pixel (`Tile6x49`), not two overlapping 32-pixel tiles (ResNet-50's and
            // MobileNetV2's 7x7 1x1 convs 5-24% faster).
            if oh == 1 && ow == 49 && threads.wide {
                parallel(oh &* groups, threads, work: oh &* blocks &* k &* 294) { lo, hi in
                    // The panel (128 steps x 48 pixels, then 128 49th pixels: 24.5 KB), then the
                    // partial sums of 32 blocks (1,216 bytes each), 64-byte aligned.
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: 128 &* 49 &+ 32 &* 304 &+ 16) { buffer in
                        let panel = aligned64(buffer.baseAddress!)
                        for item in lo ..< hi {
                            let g = item / oh, oy = item &- g &* oh
                            conv6x49(x, y, w, b, off, k, oc, oh, pw, sh, act, res, row: oy,
                                     blocks: (g &* span) ..< min(blocks, (g &+ 1) &* span), panel: panel)
                        }
                    }
                }
                return
            }
            // Without 16-float registers: packed tiles of 6 channels x 16 pixels (`conv6x16`).
            if !threads.wide {
                guard oh &* ow <= 256 || blocks >= 8 else { return conv6x16(x, y, w, b, off, k, ic, oc, oh, ow, pw, sh, act, res, threads) }
                let tiles = oh &* segments16(ow)
                parallel(tiles &* groups, threads, work: tiles &* blocks &* k &* 96) { lo, hi in
                    // The panel (1,024 steps x 16 pixels: 64 KB, then 1,024 17th pixels), then
                    // the partial sums of 32 blocks (6 x 16 pixels each, then 32 x 8 for the 17th).
                    withUnsafeTemporaryAllocation(of: Float.self, capacity: 1024 &* 17 &+ 32 &* 104 &+ 16) { buffer in
                        let panel = aligned64(buffer.baseAddress!)
                        for item in lo ..< hi {
                            let g = item / tiles, tile = item &- g &* tiles
                            conv6x16(x, y, w, b, off, k, oc, oh, ow, pw, sh, act, res, tile: tile,
                                     blocks: (g &* span) ..< min(blocks, (g &+ 1) &* span), panel: panel)
                        }
                    }
                }
                return
            }
            let tiles = oh &* segments32(ow)
            parallel(tiles &* groups, threads, work: tiles &* blocks &* k &* 192) { lo, hi in
                // The panel: a part of the reduction (128 steps at most) x 32 pixels (16 KB; room
                // for 32 KB), then the partial sums of 32 blocks x 6 channels x 32 pixels.
                withUnsafeTemporaryAllocation(of: Float.self, capacity: 256 &* 32 &+ 32 &* 6 &* 32) { buffer in
                    for item in lo ..< hi {
                        let g = item / tiles, tile = item &- g &* tiles
                        conv6x32(x, y, w, b, off, k, oc, oh, ow, pw, sh, act, res, tile: tile,
                                 blocks: (g &* span) ..< min(blocks, (g &+ 1) &* span), panel: buffer.baseAddress!)
                    }
                }
            }
        }

        /// One tile of 16 pixels of `conv6x32` without 16-float registers (planes of at most 256
        /// pixels, and larger ones of 8 blocks or more) through the blocks `blocks`, as its
        /// packed tiles of 32 with 16-float registers: for each part of the reduction (1,024
        /// steps at most, a panel of up to 64 KB read from the L2 cache: on the AVX2 EPYC
        /// ResNet-50's 7x7 1x1 convs 4-10% faster than in parts of 256 in the L1 cache, its
        /// 14x14 1024 -> 256 ones 2-5%) the tile's input copied into `panel`, then each
        /// block over it in 12 accumulators (6 channels x 16 pixels), partial
        /// sums after the panel, the last part storing. A row's last 8 pixels or fewer are a
        /// narrow tile of 8 ending at the row's end, its blocks in pairs (12 channels x 8
        /// pixels): a 7x7 plane's row of 49 computes 56 pixels, not 64. The same sums in the
        /// same order as `conv6x16`, so the same bits.
        @inline(__always)
        static func conv6x16(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int,
                             _ act: Int, _ res: UnsafePointer<Float>?, tile: Int, blocks: Range<Int>, panel: UnsafeMutablePointer<Float>) {
            let count = oh &* ow
            let segments = segments16(ow)
            let oy = tile / segments
            let start = (tile &- oy &* segments) << 4
            // A row of 16 n + 1 pixels: its last tile takes the last pixel too (`odd`).
            let odd = start &+ 17 == ow
            let narrow = !odd && ow &- start <= 8
            let ox = narrow ? ow &- 8 : min(start, ow &- 16)
            let xr = UnsafeRawPointer(x + (oy &* sh &* pw &+ ox))
            let pr = UnsafeMutableRawPointer(panel), pp = UnsafeRawPointer(panel)
            // The 17th pixels, then the partial sums: 384 bytes a block, then 32 a block for the
            // 17th pixel.
            let extra = panel + 1024 &* 16
            let sums = UnsafeMutableRawPointer(panel + 1024 &* 17), extraSums = sums + 32 &* 384
            let parts = (k &+ 1023) >> 10
            for part in 0 ..< parts {
                let k0 = k &* part / parts, k1 = k &* (part &+ 1) / parts
                let first = part == 0, last = part &+ 1 == parts
                if narrow {
                    for i in k0 ..< k1 {
                        pr.storeBytes(of: xr.loadUnaligned(fromByteOffset: off[i] &* 4, as: SIMD8<Float>.self), toByteOffset: (i &- k0) << 5, as: SIMD8<Float>.self)
                    }
                    conv6x8(y, w, b, k, oc, count, at: oy &* ow &+ ox, act, res, k0 ..< k1, first: first, last: last,
                            blocks: blocks, panel: pp, sums: sums)
                    continue
                }
                for i in k0 ..< k1 {
                    pr.storeBytes(of: xr.loadUnaligned(fromByteOffset: off[i] &* 4, as: SIMD16<Float>.self), toByteOffset: (i &- k0) << 6, as: SIMD16<Float>.self)
                }
                if odd {
                    for i in k0 ..< k1 { extra[i &- k0] = xr.load(fromByteOffset: off[i] &* 4 &+ 64, as: Float.self) }
                }
                // A last block of 4 channels or fewer runs after the others, in a tile of 4. Written
                // out: one generic body for both tiles (over a protocol) ran MobileNetV2's
                // expansion convs 4-12% slower (16 -> 96: 0.551 -> 0.620 ms), as did a test per
                // block inside the loop.
                let short = !blocks.isEmpty && oc &- (blocks.upperBound &- 1) &* 6 <= 4
                for blk in blocks.lowerBound ..< (short ? blocks.upperBound &- 1 : blocks.upperBound) {
                    let wb = w + (blk &* k &* 6 &+ k0 &* 6)
                    // This block's partial sums: 6 channels x 16 pixels.
                    let sb = sums + ((blk &- blocks.lowerBound) &* 384)
                    var t = first ? Tile6x16(bias: b + (blk &* 6)) : Tile6x16(partial: UnsafeRawPointer(sb))
                    for i in 0 ..< k1 &- k0 {
                        t.step(pp.load(fromByteOffset: i << 6, as: SIMD8<Float>.self), pp.load(fromByteOffset: i << 6 &+ 32, as: SIMD8<Float>.self),
                               wb + (i &* 6))
                    }
                    guard last else { t.keep(sb); continue }
                    let at = blk &* 6 &* count &+ oy &* ow &+ ox
                    t.store(y + at, count, min(6, oc &- blk &* 6), act, res.map { $0 + at })
                }
                if short {
                    let blk = blocks.upperBound &- 1
                    let wb = w + (blk &* k &* 6 &+ k0 &* 6)
                    let sb = sums + ((blk &- blocks.lowerBound) &* 384)
                    var t = first ? Tile4x16(bias: b + (blk &* 6)) : Tile4x16(partial: UnsafeRawPointer(sb))
                    for i in 0 ..< k1 &- k0 {
                        t.step(pp.load(fromByteOffset: i << 6, as: SIMD8<Float>.self), pp.load(fromByteOffset: i << 6 &+ 32, as: SIMD8<Float>.self),
                               wb + (i &* 6))
                    }
                    if last {
                        let at = blk &* 6 &* count &+ oy &* ow &+ ox
                        t.store(y + at, count, oc &- blk &* 6, act, res.map { $0 + at })
                    } else {
                        t.keep(sb)
                    }
                }
                if odd {
                    conv6x1(y, w, b, k, oc, count, at: oy &* ow &+ ox &+ 16, act, res, k0 ..< k1, first: first, last: last,
                            blocks: blocks, pixels: extra, sums: extraSums)
                }
            }
        }

        /// The 17th pixel of `conv6x16(tile:)`'s last tile in a row of 16 n + 1 pixels (a 1x1
        /// conv on a 7x7 plane: 49 pixels computed, not 56 with a narrow tile), for the steps
        /// `steps` of the reduction: 8 blocks at a time, the 6 channels of a block in the lanes
        /// of one accumulator; per step, each block's 6 weights as one vector (its last two
        /// lanes, the next step's weights or the bias after the last block, not used) times the
        /// step's pixel (`pixels`) broadcast. A last group under 8 repeats its last block (its
        /// sums stored once). The partial sums at `sums`, 32 bytes a block; output pixel `at` of
        /// each plane of `count`. The same sums in the same order as the other tiles.
        @inline(__always)
        static func conv6x1(_ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ k: Int, _ oc: Int, _ count: Int,
                            at: Int, _ act: Int, _ res: UnsafePointer<Float>?, _ steps: Range<Int>, first: Bool, last: Bool,
                            blocks: Range<Int>, pixels: UnsafePointer<Float>, sums: UnsafeMutableRawPointer) {
            var blk = blocks.lowerBound
            while blk < blocks.upperBound {
                let n = min(8, blocks.upperBound &- blk)
                @inline(__always) func block(_ j: Int) -> Int { blk &+ min(j, n &- 1) }
                @inline(__always) func weights(_ j: Int) -> UnsafeRawPointer { UnsafeRawPointer(w + (block(j) &* k &* 6 &+ steps.lowerBound &* 6)) }
                @inline(__always) func start(_ j: Int) -> SIMD8<Float> {
                    let c = block(j)
                    guard first else { return sums.load(fromByteOffset: (c &- blocks.lowerBound) << 5, as: SIMD8<Float>.self) }
                    let bb = b + (c &* 6)
                    return SIMD8(bb[0], bb[1], bb[2], bb[3], bb[4], bb[5], 0, 0)
                }
                let (p0, p1, p2, p3, p4, p5, p6, p7) = (weights(0), weights(1), weights(2), weights(3), weights(4), weights(5), weights(6), weights(7))
                var (e0, e1, e2, e3, e4, e5, e6, e7) = (start(0), start(1), start(2), start(3), start(4), start(5), start(6), start(7))
                for i in 0 ..< steps.count {
                    let v = SIMD8<Float>(repeating: pixels[i]), o = i &* 24
                    e0 = e0.addingProduct(p0.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self), v)
                    e1 = e1.addingProduct(p1.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self), v)
                    e2 = e2.addingProduct(p2.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self), v)
                    e3 = e3.addingProduct(p3.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self), v)
                    e4 = e4.addingProduct(p4.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self), v)
                    e5 = e5.addingProduct(p5.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self), v)
                    e6 = e6.addingProduct(p6.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self), v)
                    e7 = e7.addingProduct(p7.loadUnaligned(fromByteOffset: o, as: SIMD8<Float>.self), v)
                }
                @inline(__always) func put(_ e: SIMD8<Float>, _ j: Int) {
                    guard j < n else { return }
                    let c = blk &+ j
                    guard last else { sums.storeBytes(of: e, toByteOffset: (c &- blocks.lowerBound) << 5, as: SIMD8<Float>.self); return }
                    let o = c &* 6 &* count &+ at
                    store(e, y + o, count, min(6, oc &- c &* 6), act, res.map { $0 + o })
                }
                put(e0, 0); put(e1, 1); put(e2, 2); put(e3, 3); put(e4, 4); put(e5, 5); put(e6, 6); put(e7, 7)
                blk &+= n
            }
        }

        /// The narrow tile of `conv6x16(tile:)` for the steps `steps` of the reduction: 8 pixels
        /// (`panel`, 32 bytes a step) through the blocks two at a time, 12 channels in 12
        /// accumulators (a last block without a pair by 6); the partial sums at `sums`, 384
        /// bytes a block; output pixel `at` of each plane of `count`.
        @inline(__always)
        static func conv6x8(_ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ k: Int, _ oc: Int, _ count: Int,
                            at: Int, _ act: Int, _ res: UnsafePointer<Float>?, _ steps: Range<Int>, first: Bool, last: Bool,
                            blocks: Range<Int>, panel pp: UnsafeRawPointer, sums: UnsafeMutableRawPointer) {
            var blk = blocks.lowerBound
            while blk < blocks.upperBound {
                let pair = blk &+ 1 < blocks.upperBound
                let wb = w + (blk &* k &* 6 &+ steps.lowerBound &* 6), wc = pair ? wb + k &* 6 : wb, bb = b + (blk &* 6)
                let sb = sums + ((blk &- blocks.lowerBound) &* 384)
                @inline(__always) func partial(_ j: Int) -> SIMD8<Float> { sb.load(fromByteOffset: j < 6 ? j << 5 : 384 &+ (j &- 6) << 5, as: SIMD8<Float>.self) }
                var a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11: SIMD8<Float>
                if first {
                    (a0, a1, a2) = (SIMD8(repeating: bb[0]), SIMD8(repeating: bb[1]), SIMD8(repeating: bb[2]))
                    (a3, a4, a5) = (SIMD8(repeating: bb[3]), SIMD8(repeating: bb[4]), SIMD8(repeating: bb[5]))
                    let bc = pair ? bb + 6 : bb
                    (a6, a7, a8) = (SIMD8(repeating: bc[0]), SIMD8(repeating: bc[1]), SIMD8(repeating: bc[2]))
                    (a9, a10, a11) = (SIMD8(repeating: bc[3]), SIMD8(repeating: bc[4]), SIMD8(repeating: bc[5]))
                } else {
                    (a0, a1, a2, a3, a4, a5) = (partial(0), partial(1), partial(2), partial(3), partial(4), partial(5))
                    (a6, a7, a8, a9, a10, a11) = pair ? (partial(6), partial(7), partial(8), partial(9), partial(10), partial(11)) : (a0, a1, a2, a3, a4, a5)
                }
                if pair {
                    for i in 0 ..< steps.count {
                        let v = pp.load(fromByteOffset: i << 5, as: SIMD8<Float>.self)
                        let wi = wb + (i &* 6), wj = wc + (i &* 6)
                        a0 = a0.addingProduct(v, SIMD8(repeating: wi[0])); a1 = a1.addingProduct(v, SIMD8(repeating: wi[1]))
                        a2 = a2.addingProduct(v, SIMD8(repeating: wi[2])); a3 = a3.addingProduct(v, SIMD8(repeating: wi[3]))
                        a4 = a4.addingProduct(v, SIMD8(repeating: wi[4])); a5 = a5.addingProduct(v, SIMD8(repeating: wi[5]))
                        a6 = a6.addingProduct(v, SIMD8(repeating: wj[0])); a7 = a7.addingProduct(v, SIMD8(repeating: wj[1]))
                        a8 = a8.addingProduct(v, SIMD8(repeating: wj[2])); a9 = a9.addingProduct(v, SIMD8(repeating: wj[3]))
                        a10 = a10.addingProduct(v, SIMD8(repeating: wj[4])); a11 = a11.addingProduct(v, SIMD8(repeating: wj[5]))
                    }
                } else {
                    for i in 0 ..< steps.count {
                        let v = pp.load(fromByteOffset: i << 5, as: SIMD8<Float>.self)
                        let wi = wb + (i &* 6)
                        a0 = a0.addingProduct(v, SIMD8(repeating: wi[0])); a1 = a1.addingProduct(v, SIMD8(repeating: wi[1]))
                        a2 = a2.addingProduct(v, SIMD8(repeating: wi[2])); a3 = a3.addingProduct(v, SIMD8(repeating: wi[3]))
                        a4 = a4.addingProduct(v, SIMD8(repeating: wi[4])); a5 = a5.addingProduct(v, SIMD8(repeating: wi[5]))
                    }
                }
                let channels = min(pair ? 12 : 6, oc &- blk &* 6)
                blk &+= pair ? 2 : 1
                guard last else {
                    @inline(__always) func keep(_ v: SIMD8<Float>, _ j: Int) {
                        sb.storeBytes(of: v, toByteOffset: j < 6 ? j << 5 : 384 &+ (j &- 6) << 5, as: SIMD8<Float>.self)
                    }
                    keep(a0, 0); keep(a1, 1); keep(a2, 2); keep(a3, 3); keep(a4, 4); keep(a5, 5)
                    if pair { keep(a6, 6); keep(a7, 7); keep(a8, 8); keep(a9, 9); keep(a10, 10); keep(a11, 11) }
                    continue
                }
                let o = (blk &- (pair ? 2 : 1)) &* 6 &* count &+ at
                @inline(__always) func put(_ v: SIMD8<Float>, _ j: Int) {
                    if j < channels { storeRow(v, y + (o &+ j &* count), act, res.map { $0 + (o &+ j &* count) }) }
                }
                put(a0, 0); put(a1, 1); put(a2, 2); put(a3, 3); put(a4, 4); put(a5, 5)
                put(a6, 6); put(a7, 7); put(a8, 8); put(a9, 9); put(a10, 10); put(a11, 11)
            }
        }

        /// One tile of `conv6x32` through the blocks `blocks`, in GotoBLAS order: for each part
        /// of the reduction (128 steps at most), the tile's input rows are copied into `panel`
        /// (contiguous, so it stays in the L1 cache), then the blocks run over it two at a time,
        /// 12 channels x 32 pixels in 24 accumulators (each panel vector loaded once for 12
        /// multiply-adds; a short tile by 12 channels x 16 pixels, a last block without a pair by
        /// 6 channels). The partial
        /// sums wait after the panel (the same floats as one pass, so the same bits; not in the
        /// output, where a row's overlapping last tile on another thread could read them), and
        /// only the last part stores, adding the residual and applying the activation. Out of
        /// line, as is the items' `conv6x32` below (a call per tile, not per step): inlined into
        /// their callers' closures, the two took a sixth of a program's compile time (41.7 ->
        /// 37.9 s for LeNet-5 on the AVX2 EPYC; docs/BENCHMARKS.md).
        @inline(never)
        static func conv6x32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int,
                             _ act: Int, _ res: UnsafePointer<Float>?, tile: Int, blocks: Range<Int>, panel: UnsafeMutablePointer<Float>) {
            let count = oh &* ow
            let segments = segments32(ow)
            let oy = tile / segments
            let (ox, short) = tile32(tile &- oy &* segments, segments, ow)
            let xr = UnsafeRawPointer(x + (oy &* sh &* pw &+ ox))
            let pr = UnsafeMutableRawPointer(panel)
            let sums = UnsafeMutableRawPointer(panel + 256 &* 32)
            let parts = (k &+ 127) >> 7
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
                var pairAt = blocks.lowerBound
                while pairAt &+ 1 < blocks.upperBound {
                    let blk = pairAt
                    pairAt &+= 2
                    let wb = w + (blk &* k &* 6 &+ k0 &* 6), wc = w + ((blk &+ 1) &* k &* 6 &+ k0 &* 6), bb = b + (blk &* 6)
                    let lanes = min(12, oc &- blk &* 6)
                    let at = blk &* 6 &* count &+ oy &* ow &+ ox
                    let r0 = res.map { $0 + at }
                    let sb = sums + ((blk &- blocks.lowerBound) &* 768)
                    if short {
                        var t = first ? Tile12x16(bias: bb) : Tile12x16(partial: UnsafeRawPointer(sb))
                        for i in 0 ..< k1 &- k0 {
                            t.step(pp.load(fromByteOffset: i << 6, as: SIMD16<Float>.self), wb + (i &* 6), wc + (i &* 6))
                        }
                        guard last else { t.keep(sb); continue }
                        t.store(y + at, count, lanes, act, r0)
                        continue
                    }
                    var t = first ? Tile12x32(bias: bb) : Tile12x32(partial: UnsafeRawPointer(sb))
                    for i in 0 ..< k1 &- k0 {
                        t.step(pp.load(fromByteOffset: i << 7, as: SIMD16<Float>.self), pp.load(fromByteOffset: i << 7 &+ 64, as: SIMD16<Float>.self),
                               wb + (i &* 6), wc + (i &* 6))
                    }
                    guard last else { t.keep(sb); continue }
                    t.store(y + at, count, lanes, act, r0)
                }
                // A last block without a pair (6 accumulators).
                for blk in pairAt ..< blocks.upperBound {
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

        /// One row of 49 pixels of `conv6x32` (1x1 convs on 7x7 planes) through the blocks
        /// `blocks`, as the packed tiles: for each part of the reduction (128 steps at most) the
        /// row's input copied into `panel` (48 pixels a step, then the 49th pixels apart), then
        /// the blocks by `Tile6x49`, partial sums after the panel, the last part storing.
        @inline(__always)
        static func conv6x49(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ oc: Int, _ oh: Int, _ pw: Int, _ sh: Int,
                             _ act: Int, _ res: UnsafePointer<Float>?, row oy: Int, blocks: Range<Int>, panel: UnsafeMutablePointer<Float>) {
            let count = oh &* 49
            let xb = x + oy &* sh &* pw
            let pr = UnsafeMutableRawPointer(panel)
            let last = panel + 128 &* 48
            let sums = UnsafeMutableRawPointer(panel + 128 &* 49)
            let parts = (k &+ 127) >> 7
            for part in 0 ..< parts {
                let k0 = k &* part / parts, k1 = k &* (part &+ 1) / parts
                let first = part == 0, isLast = part &+ 1 == parts
                for i in k0 ..< k1 {
                    let xr = UnsafeRawPointer(xb + off[i]), q = (i &- k0) &* 192
                    pr.storeBytes(of: xr.loadUnaligned(as: SIMD16<Float>.self), toByteOffset: q, as: SIMD16<Float>.self)
                    pr.storeBytes(of: xr.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self), toByteOffset: q &+ 64, as: SIMD16<Float>.self)
                    pr.storeBytes(of: xr.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self), toByteOffset: q &+ 128, as: SIMD16<Float>.self)
                    last[i &- k0] = xb[off[i] &+ 48]
                }
                let pp = UnsafeRawPointer(panel)
                for blk in blocks {
                    let wb = w + (blk &* k &* 6 &+ k0 &* 6), bb = b + (blk &* 6)
                    let sb = sums + (blk &- blocks.lowerBound) &* 1216
                    var t = first ? Tile6x49(bias: bb) : Tile6x49(partial: UnsafeRawPointer(sb))
                    for i in 0 ..< k1 &- k0 {
                        t.step(pp + i &* 192, last[i], wb + i &* 6)
                    }
                    guard isLast else { t.keep(sb); continue }
                    let at = blk &* 6 &* count &+ oy &* 49
                    t.store(y + at, count, min(6, oc &- blk &* 6), act, res.map { $0 + at })
                }
            }
        }

        /// Items `items` of `conv6x32` (a block, or a pair of blocks when `paired`, x a tile, in
        /// its order) on this thread: a pair in 12 channels x 32 pixels (24 accumulators: each
        /// input vector loaded once for 12 multiply-adds), a short tile or a last odd block by 6.
        @inline(never)
        static func conv6x32(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                             _ off: UnsafePointer<Int>, _ k: Int, _ ic: Int, _ oc: Int, _ oh: Int, _ ow: Int, _ pw: Int, _ sh: Int,
                             _ act: Int, _ res: UnsafePointer<Float>?, items: Range<Int>, paired: Bool, chunkBytes: Int = 65_536) {
            let count = oh &* ow
            let segments = segments32(ow)
            let tiles = oh &* segments
            let blocks = (oc &+ 5) / 6
            let per = paired ? 2 : 1
            let units = (blocks &+ per &- 1) / per
            let chunk = min(tiles, max(1, chunkBytes &* segments / max(1, ic &* sh &* pw &* 4)))
            do {
                var cursor = ItemCursor(items.lowerBound, units: units, chunk: chunk, tiles: tiles)
                for _ in items {
                    let (tile, unit) = cursor.next()
                    let oy = oh == 1 ? 0 : tile / segments
                    let (ox, short) = tile32(tile &- oy &* segments, segments, ow)
                    if paired && short && (unit << 1) &+ 1 < blocks {
                        // Two blocks of a short tile: 12 channels x 16 pixels, 12 accumulators.
                        let blk = unit << 1
                        let xr = UnsafeRawPointer(x + (oy &* sh &* pw &+ ox))
                        let wb = w + (blk &* k &* 6), wc = w + ((blk &+ 1) &* k &* 6), bb = b + (blk &* 6)
                        var t = Tile12x16(bias: bb)
                        for i in 0 ..< k {
                            t.step(xr.loadUnaligned(fromByteOffset: off[i] &* 4, as: SIMD16<Float>.self), wb + (i &* 6), wc + (i &* 6))
                        }
                        let at = blk &* 6 &* count &+ oy &* ow &+ ox
                        t.store(y + at, count, min(12, oc &- blk &* 6), act, res.map { $0 + at })
                        continue
                    }
                    if paired && !short && (unit << 1) &+ 1 < blocks {
                        // Two blocks: 12 channels x 32 pixels, 24 accumulators.
                        let blk = unit << 1
                        let xr = UnsafeRawPointer(x + (oy &* sh &* pw &+ ox))
                        let wb = w + (blk &* k &* 6), wc = w + ((blk &+ 1) &* k &* 6), bb = b + (blk &* 6)
                        let lanes = min(12, oc &- blk &* 6)
                        var t = Tile12x32(bias: bb)
                        for i in 0 ..< k {
                            let o = off[i] &* 4
                            t.step(xr.loadUnaligned(fromByteOffset: o, as: SIMD16<Float>.self), xr.loadUnaligned(fromByteOffset: o &+ 64, as: SIMD16<Float>.self),
                                   wb + (i &* 6), wc + (i &* 6))
                        }
                        let at = blk &* 6 &* count &+ oy &* ow &+ ox
                        t.store(y + at, count, lanes, act, res.map { $0 + at })
                        continue
                    }
                    // One block, a short tile, or a last block without a pair: block by block.
                    for blk in unit &* per ..< min(blocks, unit &* per &+ per) {
                        let wb = w + (blk &* k &* 6), bb = b + (blk &* 6)
                        let lanes = min(6, oc &- blk &* 6)
                        if short {
                            // 16 pixels: one vector per channel.
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
        }

        /// The tiles of `conv6x16(tile:)` across a row of `ow` pixels (16 or more): 16 pixels
        /// each, the last 8 or fewer a narrow tile of 8; in a row of 16 n + 1 pixels, the last
        /// tile takes 17.
        @inline(__always)
        static func segments16(_ ow: Int) -> Int { ow > 16 && ow & 15 == 1 ? ow >> 4 : (ow &+ 15) >> 4 }

        /// The tiles of `conv6x32` across a row of `ow` pixels (16 or more): 32 pixels each, the
        /// row's last 16 pixels or fewer a short tile of 16 ending at the row's end; a row under
        /// 32 pixels in short tiles only (the last overlapping the one before).
        @inline(__always)
        static func segments32(_ ow: Int) -> Int { ow >= 32 ? (ow &+ 31) >> 5 : (ow &+ 15) >> 4 }

        /// Where tile `seg` of `segments32(ow)` starts in its row, and whether it is short.
        @inline(__always)
        static func tile32(_ seg: Int, _ segments: Int, _ ow: Int) -> (ox: Int, short: Bool) {
            guard ow >= 32 else { return (min(seg << 4, ow &- 16), true) }
            let short = seg &+ 1 == segments && seg > 0 && ow &- (seg << 5) <= 16
            return (short ? ow &- 16 : min(seg << 5, ow &- 32), short)
        }

        /// The items of the pixel-tile kernels in their order (chunk by chunk of tiles, unit by
        /// unit of channels within a chunk, tile by tile within a unit), stepped without the
        /// three divisions per item that finding an item's place costs (about 5% of a reduction
        /// of 64: the Winograd products of 64-channel layers, ResNet-50's 64 -> 256 1x1 convs).
        struct ItemCursor {
            var c0: Int, inChunk: Int, unit: Int, t: Int
            let units: Int, chunk: Int, tiles: Int

            @inline(__always)
            init(_ item: Int, units: Int, chunk: Int, tiles: Int) {
                (self.units, self.chunk, self.tiles) = (units, chunk, tiles)
                c0 = item / (units &* chunk) &* chunk
                inChunk = min(chunk, tiles &- c0)
                let r = item &- c0 &* units
                unit = r / inChunk
                t = r &- unit &* inChunk
            }

            /// This item's tile and unit, then a step to the next item.
            @inline(__always)
            mutating func next() -> (tile: Int, unit: Int) {
                let here = (c0 &+ t, unit)
                t &+= 1
                if t == inChunk {
                    t = 0
                    unit &+= 1
                    if unit == units { unit = 0; c0 &+= chunk; inChunk = min(chunk, tiles &- c0) }
                }
                return here
            }
        }
"""#

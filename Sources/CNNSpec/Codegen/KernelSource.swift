// The kernels every standalone generated file carries (the fast path), and the threads that
// run them: printed verbatim into an extension of the generated type, after the runtime of
// RuntimeSource.swift (with `gen --shared-runtime`, once into CNNSpecRuntime.swift). Each
// kernel is compiled once per file (or module) and called with literal shapes.

/// The threads and the kernels of a standalone file; `gen --shared-runtime` puts the shared
/// parts (Team, Workers, Kernels) in one CNNSpecRuntime.swift instead.
let kernelSource = "    // MARK: Threads\n\n" + teamSource + "\n\n" + startTeamSource + "\n\n" + workersSource + "\n\n" + kernelsEnumSource

/// `enum Kernels` (shared): its head and helpers, the convs, the rest.
let kernelsEnumSource = kernelsEnumHead + "\n" + convKernelSource + "\n" + kernelSourceTail

/// The thread team a kernel is given (shared).
let teamSource = #"""
    /// The threads a layer is split over: the caller and `workers` (nil: the caller alone),
    /// and the vector width of the kernels that have two (`wideVectors`).
    struct Team {
        var workers: Workers?
        var wide = false
    }
"""#

/// The instance's team and the CPU check (per model).
let startTeamSource = #"""
    /// The team of this instance's `threads`, its workers (re)started and spinning.
    func startTeam() -> Team {
        let count = max(1, threads)
        if count == 1 { return Team(workers: nil, wide: wideVectors) }
        if workers?.count != count - 1 || workers?.pinned != pinsWorkers {
            workers?.stop()
            var scratch: UnsafeMutablePointer<Float>? = nil
            if Self.workerScratchCount > 0 && count <= Self.workerScratchThreads {
                let floats = (count - 1) * Self.workerScratchCount
                scratch = Self.allocateLarge(floats)
                scratch!.initialize(repeating: 0, count: floats)
            }
            workers = Workers(count: count - 1, scratch: scratch, scratchCount: Self.workerScratchCount, pinned: pinsWorkers)
        }
        workers!.begin()
        return Team(workers: workers, wide: wideVectors)
    }

    /// Whether this CPU has AVX-512 (a SIMD16<Float> is then one register when the file is
    /// compiled for it, as `-Xcc -march=native` does): the flags of /proc/cpuinfo on Linux,
    /// `hw.optional.avx512f` on Darwin; false elsewhere. Read once.
    static let cpuHasWideVectors: Bool = {
        #if arch(x86_64) && os(Linux)
        guard let f = fopen("/proc/cpuinfo", "r") else { return false }
        defer { fclose(f) }
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        defer { free(line) }
        while getline(&line, &capacity, f) > 0 {
            guard let l = line, strncmp(l, "flags", 5) == 0 else { continue }
            return strstr(l, " avx512f") != nil
        }
        return false
        #elseif arch(x86_64) && canImport(Darwin)
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        return sysctlbyname("hw.optional.avx512f", &value, &size, nil, 0) == 0 && value != 0
        #else
        return false
        #endif
    }()
"""#

/// The worker threads (shared).
let workersSource = #"""
    /// Worker threads for one model instance. While a `predict` runs they spin, waiting for
    /// the next layer's parts (waking a sleeping thread per layer costs up to milliseconds on
    /// a virtual machine), and for `graceNanoseconds` after it, so that back-to-back calls find
    /// them awake; then they sleep on a semaphore until the next call. A job's items are split
    /// into one contiguous part per thread (worker i's is part i + 1, the caller's part 0);
    /// each thread claims its own part from the front, a few items at a time, and when it is
    /// done takes the back half of whichever part has the most left (a thread that runs slow,
    /// or late, on a shared host no longer holds the layer up). The caller returns when every
    /// worker that joined the job is done: every output element is computed by one thread,
    /// in the same order whatever the thread count or the split.
    final class Workers: @unchecked Sendable {
        let count: Int
        /// Each worker's own scratch, `scratchCount` floats apiece (nil: none), freed with the
        /// workers: the buffers of the Winograd chunks that run a thread each.
        let scratch: UnsafeMutablePointer<Float>?
        let scratchCount: Int
        /// The current job: its number (`generation`) << 21, `closed` once the caller has
        /// claimed all that is left, and the number of workers that have joined it.
        private let ticket = Atomic<Int>(0)
        private static let closed = 1 << 20
        private var generation = 0
        private let finished = Atomic<Int>(0)
        private let active = Atomic<Bool>(false)
        private let stopping = Atomic<Bool>(false)
        private let wake: [DispatchSemaphore]
        /// Whether worker i is asleep, or about to be, on `wake[i]`: `begin` and `stop` signal
        /// only a worker whose flag they take, so that a signal is never left over.
        private let asleep: [Slot]
        /// How long a worker spins after a call before it sleeps: 1 ms. On the 2-vCPU AMD EPYC
        /// VM, a worker that slept between calls woke too late for most of the next one (at
        /// 2 threads, convnetjs_cifar's worker joined no layer of 7 calls in most runs).
        static let graceNanoseconds: UInt64 = 1_000_000
        /// Each part's items not yet claimed, [lo, hi) packed as lo | hi << 32, one per thread.
        private let left: [Slot]
        /// One thread's atomics: its part's range (in `left`) or, for a worker, its flag (in `asleep`).
        final class Slot { let range = Atomic<UInt64>(0); let flag = Atomic<Bool>(false) }
        // The current job, written by the caller before it posts the job's ticket (release) and
        // read by the workers that join it (acquire).
        private nonisolated(unsafe) var job: (Int, Int) -> Void = { _, _ in }
        private nonisolated(unsafe) var items = 0
        private var expected = 0

        /// Whether the workers were asked to be bound to CPUs (`pinsWorkers`).
        let pinned: Bool
        /// The CPU each worker binds itself to (empty: none).
        private let cpus: [Int]
        /// Signalled by each worker once it runs (and is bound).
        private let started = DispatchSemaphore(value: 0)

        /// `count` workers, given `scratch` (zeroed, `count` x `scratchCount` floats) to own;
        /// `pinned`: each bound to a CPU of its own (`cpus(for:)`) where that is possible.
        init(count: Int, scratch: UnsafeMutablePointer<Float>? = nil, scratchCount: Int = 0, pinned: Bool = false) {
            self.count = count
            self.scratch = scratch
            self.scratchCount = scratch == nil ? 0 : scratchCount
            self.pinned = pinned
            wake = (0 ..< count).map { _ in DispatchSemaphore(value: 0) }
            asleep = (0 ..< count).map { _ in Slot() }
            left = (0 ... count).map { _ in Slot() }
            cpus = pinned ? Self.cpus(for: count) : []
            for i in 0 ..< count { start(i) }
            // Wait (up to 100 ms each) until the workers run: the first calls would otherwise
            // run mostly on the caller.
            for _ in 0 ..< count { _ = started.wait(timeout: .now() + .milliseconds(100)) }
        }

        #if os(Linux)
        /// sched_getaffinity, sched_getcpu and pthread_setaffinity_np: GNU extensions that
        /// Swift's Glibc module does not import, looked up once (nil if the C library lacks one).
        private static let affinity: (get: @convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32,
                                      cpu: @convention(c) () -> Int32,
                                      set: @convention(c) (pthread_t, Int, UnsafeRawPointer) -> Int32)? = {
            guard let h = dlopen(nil, RTLD_NOW), let g = dlsym(h, "sched_getaffinity"), let c = dlsym(h, "sched_getcpu"),
                  let s = dlsym(h, "pthread_setaffinity_np") else { return nil }
            return (unsafeBitCast(g, to: (@convention(c) (pid_t, Int, UnsafeMutableRawPointer) -> Int32).self),
                    unsafeBitCast(c, to: (@convention(c) () -> Int32).self),
                    unsafeBitCast(s, to: (@convention(c) (pthread_t, Int, UnsafeRawPointer) -> Int32).self))
        }()
        #endif

        /// The CPUs of `count` workers started from this thread: the CPUs this process may run
        /// on, in turn from the one after the caller's; none (no binding) when there are not
        /// more of them than workers, or off Linux. A guest kernel that packs threads onto few
        /// vCPUs (the 2-vCPU AMD EPYC VM of docs/BENCHMARKS.md) otherwise ran a new worker on the
        /// caller's CPU for milliseconds while the other stayed idle.
        static func cpus(for count: Int) -> [Int] {
            #if os(Linux)
            guard let (get, cpu, _) = affinity else { return [] }
            return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 16) { mask -> [Int] in
                mask.initialize(repeating: 0)
                guard get(0, 128, UnsafeMutableRawPointer(mask.baseAddress!)) == 0 else { return [] }
                let allowed = (0 ..< 1024).filter { mask[$0 >> 6] >> UInt64($0 & 63) & 1 != 0 }
                guard allowed.count > count, let at = allowed.firstIndex(of: Int(cpu())) else { return [] }
                return (1 ... count).map { allowed[(at + $0) % allowed.count] }
            }
            #else
            return []
            #endif
        }

        /// Binds the calling thread to `cpu`.
        private static func bind(to cpu: Int) {
            #if os(Linux)
            guard let (_, _, set) = affinity, cpu >= 0 && cpu < 1024 else { return }
            withUnsafeTemporaryAllocation(of: UInt64.self, capacity: 16) { mask in
                mask.initialize(repeating: 0)
                mask[cpu >> 6] = 1 << UInt64(cpu & 63)
                _ = set(pthread_self(), 128, UnsafeRawPointer(mask.baseAddress!))
            }
            #endif
        }

        /// One worker: its own thread on Linux (Dispatch's pool is shared and bounded, and a
        /// worker that never starts would leave the caller waiting), Dispatch elsewhere.
        private func start(_ index: Int) {
            #if os(Linux)
            final class Start { let workers: Workers, index: Int; init(_ w: Workers, _ i: Int) { workers = w; index = i } }
            let context = Unmanaged.passRetained(Start(self, index)).toOpaque()
            var thread = pthread_t()
            let made = pthread_create(&thread, nil, { p in
                let s = Unmanaged<Start>.fromOpaque(p!).takeRetainedValue()
                s.workers.loop(s.index)
                return nil
            }, context)
            if made == 0 {
                pthread_detach(thread)
                return
            }
            Unmanaged<Start>.fromOpaque(context).release()
            #endif
            DispatchQueue.global(qos: .userInitiated).async { self.loop(index) }
        }

        private func loop(_ index: Int) {
            var seen = 0, spins = 0
            // When the worker last saw the instance idle, in nanoseconds (0: busy since).
            var idleSince: UInt64 = 0
            let me = asleep[index]
            if index < cpus.count { Self.bind(to: cpus[index]) }
            started.signal()
            while true {
                let t = ticket.load(ordering: .acquiring)
                if t >> 21 > seen {
                    // A new job: join it, unless the caller has closed it (nothing was left).
                    if t & Self.closed == 0 {
                        guard ticket.compareExchange(expected: t, desired: t &+ 1, ordering: .acquiringAndReleasing).exchanged else { continue }
                        work(index &+ 1)
                        finished.add(1, ordering: .releasing)
                    }
                    seen = t >> 21
                    continue
                }
                if stopping.load(ordering: .acquiring) { return }
                if active.load(ordering: .acquiring) {
                    idleSince = 0
                } else if idleSince == 0 {
                    idleSince = DispatchTime.now().uptimeNanoseconds
                } else if spins & 255 == 0 && DispatchTime.now().uptimeNanoseconds &- idleSince > Self.graceNanoseconds {
                    // Sleep, unless a call began (or the instance went) since: then take the flag
                    // back, or wait for the signal of the `begin` or `stop` that took it.
                    idleSince = 0
                    me.flag.store(true, ordering: .sequentiallyConsistent)
                    if active.load(ordering: .sequentiallyConsistent) || stopping.load(ordering: .sequentiallyConsistent),
                       me.flag.exchange(false, ordering: .sequentiallyConsistent) {
                        continue
                    }
                    wake[index].wait()
                    continue
                }
                Self.pause(&spins)
            }
        }

        deinit { scratch?.deallocate() }

        /// A spin-wait step: every 256th gives the CPU away, so that more threads than CPUs
        /// (`threads` above the core count) still make progress.
        @inline(__always)
        static func pause(_ spins: inout Int) {
            spins &+= 1
            if spins & 255 == 0 { sched_yield() }
        }

        /// A `predict` starts: wake the workers that sleep (they spin until `end`, and for
        /// `graceNanoseconds` after).
        func begin() {
            active.store(true, ordering: .sequentiallyConsistent)
            wakeSleepers()
        }

        /// The `predict` is over: the workers sleep after `graceNanoseconds` without a call.
        func end() { active.store(false, ordering: .releasing) }

        /// The instance is gone: the workers return.
        func stop() {
            stopping.store(true, ordering: .sequentiallyConsistent)
            active.store(false, ordering: .sequentiallyConsistent)
            wakeSleepers()
        }

        /// Signals each worker that sleeps, or is about to, taking its flag.
        private func wakeSleepers() {
            for i in 0 ..< count {
                if asleep[i].flag.exchange(false, ordering: .sequentiallyConsistent) { wake[i].signal() }
            }
        }

        /// Runs body over [0, n), each item once, on the caller and the workers, and returns
        /// when all are done.
        func run(_ n: Int, _ body: (Int, Int) -> Void) {
            // (Items are counted in 32 bits; no layer comes near.)
            guard n < 1 << 31 else { return body(0, n) }
            withoutActuallyEscaping(body) { body in
                job = body
                items = n
                let parts = count &+ 1
                for p in 0 ..< parts {
                    left[p].range.store(Self.pack(n &* p / parts, n &* (p &+ 1) / parts), ordering: .relaxed)
                }
                generation &+= 1
                ticket.store(generation << 21, ordering: .releasing)
                work(0)
                // Nothing is left to claim: close the job (a worker that has not joined it by now,
                // descheduled or slow to wake, no longer will) and wait for those that joined.
                var t = ticket.load(ordering: .relaxed)
                while true {
                    let (done, now) = ticket.compareExchange(expected: t, desired: t | Self.closed, ordering: .acquiringAndReleasing)
                    if done { break }
                    t = now
                }
                expected &+= t & (Self.closed &- 1)
                var spins = 0
                while finished.load(ordering: .acquiring) < expected { Self.pause(&spins) }
                job = { _, _ in }
            }
        }

        @inline(__always) private static func pack(_ lo: Int, _ hi: Int) -> UInt64 { UInt64(lo) | UInt64(hi) << 32 }
        @inline(__always) private static func unpack(_ v: UInt64) -> (lo: Int, hi: Int) { (Int(v & 0xffff_ffff), Int(v >> 32)) }

        /// The current job's items on the thread of part `own`: its own part, then what it
        /// takes from the others, until no part has items left.
        private func work(_ own: Int) {
            let parts = count &+ 1
            // The items a claim takes from the front of a part: about an eighth of a part.
            let grain = max(1, items / (parts &* 8))
            let mine = left[own]
            while true {
                // Claim from the front of this thread's part.
                var seen = mine.range.load(ordering: .relaxed)
                while true {
                    let (lo, hi) = Self.unpack(seen)
                    if lo >= hi { break }
                    let end = min(hi, lo &+ grain)
                    let (done, now) = mine.range.compareExchange(expected: seen, desired: Self.pack(end, hi), ordering: .relaxed)
                    if done { job(lo, end); seen = mine.range.load(ordering: .relaxed) } else { seen = now }
                }
                // This part is done: take the back half of the part with the most left.
                var victim = -1, most = 0, value: UInt64 = 0
                for p in 0 ..< parts where p != own {
                    let v = left[p].range.load(ordering: .relaxed)
                    let (lo, hi) = Self.unpack(v)
                    if hi &- lo > most { (victim, most, value) = (p, hi &- lo, v) }
                }
                if victim < 0 { return }
                let (lo, hi) = Self.unpack(value)
                let mid = hi &- (hi &- lo &+ 1) / 2
                guard left[victim].range.compareExchange(expected: value, desired: Self.pack(lo, mid), ordering: .relaxed).exchanged else { continue }
                if hi &- mid <= grain {
                    job(mid, hi)
                } else {
                    // Published as this thread's part (empty until now), for the others to take from.
                    mine.range.store(Self.pack(mid, hi), ordering: .relaxed)
                }
            }
        }
    }
"""#

/// The head of `enum Kernels` (shared).
let kernelsEnumHead = #"""
    // MARK: Kernels (the fast path; each compiled once per file and called with literal shapes)
    enum Kernels {

        /// Every sh-th row and sw-th column of each plane (the input of a strided 1x1 conv),
        /// channels split over the threads (an element counts as 8 multiply-adds of `work`).
        @inline(never)
        static func subsample(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ c: Int, _ ih: Int, _ iw: Int,
                              _ oh: Int, _ ow: Int, _ sh: Int, _ sw: Int, _ threads: Team) {
            parallel(c, threads, work: c &* oh &* ow &* 8) { lo, hi in
                for ch in lo ..< hi {
                    let xc = x + (ch &* ih &* iw), yc = y + (ch &* oh &* ow)
                    for oy in 0 ..< oh {
                        let xr = xc + (oy &* sh &* iw), yr = yc + (oy &* ow)
                        for ox in 0 ..< ow { yr[ox] = xr[ox &* sw] }
                    }
                }
            }
        }

        /// Eight input values sw floats apart (a contiguous load for stride 1).
        @inline(__always)
        static func strided(_ p: UnsafePointer<Float>, _ sw: Int) -> SIMD8<Float> {
            if sw == 1 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }
            if sw == 2 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self).evenHalf }
            return SIMD8(p[0], p[sw], p[2 &* sw], p[3 &* sw], p[4 &* sw], p[5 &* sw], p[6 &* sw], p[7 &* sw])
        }

        /// The residual if any, the fused activation, then a store of 8 pixels.
        @inline(__always)
        static func storeRow(_ v: SIMD8<Float>, _ y: UnsafeMutablePointer<Float>, _ act: Int, _ r: UnsafePointer<Float>? = nil) {
            var v = v
            if let r { v += UnsafeRawPointer(r).loadUnaligned(as: SIMD8<Float>.self) }
            v = activate(v, act)
            UnsafeMutableRawPointer(y).storeBytes(of: v, as: SIMD8<Float>.self)
        }

        /// The activation a kernel applies as it stores: 0 none, 1 ReLU, 2 ReLU6, 3 tanh, 4 sigmoid.
        @inline(__always)
        static func activate(_ v: SIMD8<Float>, _ act: Int) -> SIMD8<Float> {
            switch act {
            case 0: return v
            case 1: return v.replacing(with: 0, where: v .< 0)
            case 2: return v.replacing(with: 0, where: v .< 0).replacing(with: 6, where: v .> 6)
            case 3: return tanh(v)
            default: return sigmoid(v)
            }
        }

        /// e^x on 8 lanes (Cephes' expf: x = n ln 2 + r, |r| <= ln 2 / 2, a degree-5 polynomial for
        /// (e^r - 1 - r) / r^2, times 2^n); 0 below -87.3, +inf above 88.7, NaN kept.
        @inline(never)
        static func exp(_ x: SIMD8<Float>) -> SIMD8<Float> {
            let lowest = SIMD8<Float>(repeating: -87.33654), highest = SIMD8<Float>(repeating: 88.72283)
            let c = x.replacing(with: lowest, where: x .< lowest).replacing(with: highest, where: x .> highest)
            // n = round(c / ln 2) with the 1.5 * 2^23 trick: adding it rounds to an integer
            // held in the low mantissa bits (no per-lane conversion calls).
            let shifted = c * 1.44269504088896341 + 12_582_912
            let n = shifted - 12_582_912
            var r = c.addingProduct(n, SIMD8(repeating: -0.693359375))
            r = r.addingProduct(n, SIMD8(repeating: 2.12194440e-4))
            var p = SIMD8<Float>(repeating: 1.9875691500e-4)
            p = SIMD8(repeating: 1.3981999507e-3).addingProduct(p, r)
            p = SIMD8(repeating: 8.3334519073e-3).addingProduct(p, r)
            p = SIMD8(repeating: 4.1665795894e-2).addingProduct(p, r)
            p = SIMD8(repeating: 1.6666665459e-1).addingProduct(p, r)
            p = SIMD8(repeating: 5.0000001201e-1).addingProduct(p, r)
            let e = (r + 1).addingProduct(p, r * r)
            let bits = (unsafeBitCast(shifted, to: SIMD8<Int32>.self) &- 0x4B40_0000 &+ 127) &<< 23
            let y = e * unsafeBitCast(bits, to: SIMD8<Float>.self)
            return y.replacing(with: 0, where: x .< lowest).replacing(with: .infinity, where: x .> highest).replacing(with: x, where: x .!= x)
        }

        /// tanh x = (e^2x - 1) / (e^2x + 1) on 8 lanes, computed on -|x| (no overflow) and
        /// odd-symmetric; below |x| = 0.005, x - x^3/3 (no cancellation).
        @inline(never)
        static func tanh(_ x: SIMD8<Float>) -> SIMD8<Float> {
            let negative = x .< 0
            let a = x.replacing(with: -x, where: .!negative)
            let e = exp(a + a)
            var t = (e - 1) / (e + 1)
            t = t.replacing(with: -t, where: .!negative)
            let small = x.replacing(with: -x, where: negative) .< 0.005
            return t.replacing(with: x - x * x * x / 3, where: small)
        }

        /// 1 / (1 + e^-x) on 8 lanes.
        @inline(never)
        static func sigmoid(_ x: SIMD8<Float>) -> SIMD8<Float> {
            1 / (1 + exp(-x))
        }

        /// `storeRow` for the first n lanes (n <= 8) of v: the residual's first n floats if any,
        /// the fused activation, then a store of n floats.
        @inline(__always)
        static func storePartial(_ v: SIMD8<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ act: Int, _ r: UnsafePointer<Float>? = nil) {
            var v = v
            if let r { v += loadFirst(r, n) }
            v = activate(v, act)
            for l in 0 ..< n { y[l] = v[l] }
        }

"""#

/// The pooling, fc and element-wise kernels, and the end of `enum Kernels`.
let kernelSourceTail = #"""
        /// Max pooling (NaN propagating, like PyTorch). Column stride 2 on rows of at least 8
        /// (windows and left padding up to 16 wide): `maxPoolStride2`. Column stride 1 with
        /// ow == iw (the "same" pools), a plane is pooled
        /// flat, with no loop over its rows: first the maxima over the window's columns,
        /// g[k] = max_i x[k + i - pl] for k over the whole plane (rows of ow), a tap that falls
        /// outside its row masked by adding -inf (a table per tap over ow + 16 columns, built once
        /// per call); then the maxima of kh rows of g, which has -inf rows above and below (flat
        /// too at row stride 1). 16-float vectors, one `vmaxps` per tap. That drops a NaN input,
        /// and a masked infinity would be NaN, so the taps are also summed: a plane whose sum is
        /// not finite is redone by the exact row kernel (`pool`), as are the other shapes.
        @inline(never)
        static func maxPool(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ c: Int, _ ih: Int, _ iw: Int, _ oh: Int, _ ow: Int,
                            _ kh: Int, _ kw: Int, _ sh: Int, _ sw: Int, _ pt: Int, _ pl: Int, _ threads: Team, channelsLast: Bool = false) {
            if channelsLast && threads.wide {
                return maxPoolPixelMajor(x, y, c, ih, iw, oh, ow, kh, kw, sh, sw, pt, pl, threads)
            }
            if sw == 2 && iw >= 8 && kw <= 16 && pl <= 16 {
                return maxPoolStride2(x, y, c, ih, iw, oh, ow, kh, kw, sh, pt, pl, threads)
            }
            let n = ih &* ow, plane = ih &* iw, oplane = oh &* ow
            guard sw == 1, ow == iw, n >= 16, oplane >= 16, kw <= 16 else {
                pool(x, y, c, ih, iw, oh, ow, kh, kw, sh, sw, pt, pl, 0, 0, max: true, includePad: false, threads)
                return
            }
            // Rows of g: pt of -inf, the input's ih, and the -inf rows the last windows reach.
            let grows = pt &+ ih &+ max(0, (oh &- 1) &* sh &+ kh &- pt &- ih)
            let bs = ow &+ 16, span = 16 &+ kw &- 1  // a table's length; the floats a vector's taps read
            parallel(c, threads, work: c &* oh &* ow &* kh &* kw) { lo, hi in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: kw &* bs &+ grows &* ow &+ 32 &+ span) { buffer in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: (n &+ 15) >> 4) { columns in
                // The column each vector of g starts at, and the tables.
                let bias = buffer.baseAddress!, cols = columns.baseAddress!
                for v in 0 ..< columns.count { cols[v] = min(v &* 16, n &- 16) % ow }
                for i in 0 ..< kw {
                    for k in 0 ..< bs {
                        let col = k % ow &+ i &- pl
                        bias[i &* bs &+ k] = col >= 0 && col < iw ? 0 : -.infinity
                    }
                }
                let g = bias + kw &* bs, stage = g + (grows &* ow &+ 32)
                g.initialize(repeating: -.infinity, count: grows &* ow &+ 32)
                let rows = g + pt &* ow
                for ch in lo ..< hi {
                    let xc = x + ch &* plane, yc = y + ch &* oplane
                    var sum = SIMD16<Float>()
                    var k = 0
                    while k < n {
                        // 16 columns of g (the last vector ends at the plane's end). Their taps
                        // read x[first ..< first + span]; where that leaves the tensor, a copy.
                        let at = min(k, n &- 16), first = at &- pl, atCol = cols[k >> 4]
                        var src = xc + first
                        if ch &* plane &+ first < 0 || ch &* plane &+ first &+ span > c &* plane {
                            for j in 0 ..< span {
                                let q = first &+ j
                                stage[j] = q >= 0 && q < plane ? xc[q] : 0
                            }
                            src = UnsafePointer(stage)
                        }
                        store16(rows + at, columnMax(src, bias + atCol, bs, kw, pl, &sum))
                        k &+= 16
                    }
                    if ((sum - sum) .!= 0) != .init(repeating: false) {
                        pool(xc, yc, 1, ih, iw, oh, ow, kh, kw, sh, sw, pt, pl, 0, 0, max: true, includePad: false,
                             Team(workers: nil, wide: threads.wide))
                        continue
                    }
                    if sh == 1 {
                        // Output row oy is g's rows oy ..< oy + kh: flat over the plane.
                        k = 0
                        while k < oplane {
                            let at = min(k, oplane &- 16)
                            store16(yc + at, rowMax(g + at, kh, ow))
                            k &+= 16
                        }
                        continue
                    }
                    // By rows; a short row's store runs into the next row, written after it,
                    // and the rows whose store would leave the plane are written lane by lane.
                    for oy in 0 ..< oh {
                        let gr = g + (oy &* sh &* ow), yr = yc + oy &* ow
                        var ox = 0
                        while true {
                            let at = ow >= 16 ? min(ox, ow &- 16) : 0
                            let m = rowMax(gr + at, kh, ow)
                            if ow >= 16 || oy &* ow &+ 16 <= oplane {
                                store16(yr + at, m)
                            } else {
                                for l in 0 ..< ow { yr[l] = m[l] }
                            }
                            if ow < 16 || at == ow &- 16 { break }
                            ox &+= 16
                        }
                    }
                }
            }
            }
            }
        }

        /// Max pooling at column stride 2 (rows of at least 8), rows first, a band of output rows
        /// at a time: for each output row, the maxima of its input rows into a row m with -inf
        /// before and after it; then eight outputs at a time, the maxima r[k] = max_i m[k - pl + i]
        /// of 16 columns k from 2 ox on (kw unaligned loads, no shuffles), whose even lanes are the
        /// outputs. One deinterleave per 8 outputs, where pooling the columns first deinterleaves
        /// every tap of every input row. By bands of up to 1,024 floats because the loads of a row
        /// just stored would straddle its stores and wait for them (832 x 14x14 -> 7x7: 0.075 ms a
        /// row at a time, 0.047 by bands). The maxima drop NaNs, so the loaded rows are also
        /// summed: a plane whose sum is not finite is redone by the exact row kernel (`pool`).
        @inline(never)
        static func maxPoolStride2(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ c: Int, _ ih: Int, _ iw: Int, _ oh: Int, _ ow: Int,
                                   _ kh: Int, _ kw: Int, _ sh: Int, _ pt: Int, _ pl: Int, _ threads: Team) {
            let plane = ih &* iw, oplane = oh &* ow
            // A row of m: 16 floats of -inf, the row, and -inf as far as the last vector's taps read.
            let pitch = 16 &+ max(iw, 2 &* max(ow, 8) &+ kw) &+ 16
            let band = max(1, min(oh, 1024 / pitch))
            parallel(c, threads, work: c &* oplane &* kh &* kw) { lo, hi in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: band &* pitch) { buffer in
                let m = buffer.baseAddress! + 16
                buffer.baseAddress!.initialize(repeating: -.infinity, count: band &* pitch)
                for ch in lo ..< hi {
                    let xc = x + ch &* plane, yc = y + ch &* oplane
                    var sum = SIMD8<Float>()
                    var first = 0
                    while first < oh {
                        let rows = min(band, oh &- first)
                        // The input rows' maxima, 8 columns at a time (the last vector ends at the row's end).
                        for r in 0 ..< rows {
                            let oy = first &+ r, mr = m + r &* pitch
                            let y0 = max(0, oy &* sh &- pt), y1 = max(y0, min(ih, oy &* sh &- pt &+ kh))
                            let r0 = xc + y0 &* iw
                            var ix = 0
                            while true {
                                let at = min(ix, iw &- 8)
                                var v: SIMD8<Float>
                                if y1 &- y0 == 3 {
                                    let a = load8(r0 + at), b = load8(r0 + (iw &+ at)), d = load8(r0 + (2 &* iw &+ at))
                                    sum += a + b + d
                                    v = max8(max8(a, b), d)
                                } else if y1 &- y0 == 2 {
                                    let a = load8(r0 + at), b = load8(r0 + (iw &+ at))
                                    sum += a + b
                                    v = max8(a, b)
                                } else {
                                    v = SIMD8(repeating: -.infinity)
                                    for iy in y0 ..< y1 {
                                        let a = load8(xc + (iy &* iw &+ at))
                                        sum += a
                                        v = max8(v, a)
                                    }
                                }
                                store8(mr + at, v)
                                if at == iw &- 8 { break }
                                ix &+= 8
                            }
                        }
                        // The columns' maxima, 8 outputs at a time (the last vector ends at the row's
                        // end). A row of fewer than 8 runs into the next row, written after it; the
                        // rows where that would leave the plane are stored lane by lane.
                        for r in 0 ..< rows {
                            let oy = first &+ r, mr = m + r &* pitch, yr = yc + oy &* ow
                            var ox = 0
                            while true {
                                let at = ow >= 8 ? min(ox, ow &- 8) : 0
                                let p = mr + (2 &* at &- pl)
                                var v = load16(p)
                                switch kw {
                                case 2: v = max16(v, load16(p + 1))
                                case 3: v = max16(max16(v, load16(p + 1)), load16(p + 2))
                                default: for i in 1 ..< max(1, kw) { v = max16(v, load16(p + i)) }
                                }
                                let out = v.evenHalf
                                if ow >= 8 || oy &* ow &+ 8 <= oplane {
                                    store8(yr + at, out)
                                } else {
                                    for l in 0 ..< ow { yr[l] = out[l] }
                                }
                                if ow < 8 || at == ow &- 8 { break }
                                ox &+= 8
                            }
                        }
                        first &+= rows
                    }
                    if ((sum - sum) .!= 0) != .init(repeating: false) {
                        pool(xc, yc, 1, ih, iw, oh, ow, kh, kw, sh, 2, pt, pl, 0, 0, max: true, includePad: false,
                             Team(workers: nil, wide: threads.wide))
                    }
                }
            }
            }
        }

        /// Max pooling of a pixel-major input (`c` floats a pixel, c a multiple of 16: what
        /// `conv32x7` hands the pool that alone reads its output) into planes: for each output
        /// pixel, 16 channels at a time, the NaN-propagating maximum over the window's pixels
        /// (each one vector load), stored into 16 planes.
        @inline(never)
        static func maxPoolPixelMajor(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ c: Int, _ ih: Int, _ iw: Int, _ oh: Int, _ ow: Int,
                                      _ kh: Int, _ kw: Int, _ sh: Int, _ sw: Int, _ pt: Int, _ pl: Int, _ threads: Team) {
            let oplane = oh &* ow
            parallel(oh, threads, work: c &* oplane &* kh &* kw) { lo, hi in
                for oy in lo ..< hi {
                    let y0 = max(0, oy &* sh &- pt), y1 = max(y0, min(ih, oy &* sh &- pt &+ kh))
                    for ox in 0 ..< ow {
                        let x0 = max(0, ox &* sw &- pl), x1 = max(x0, min(iw, ox &* sw &- pl &+ kw))
                        let out = y + (oy &* ow &+ ox)
                        var g = 0
                        while g &+ 16 <= c {
                            var m = SIMD16<Float>(repeating: -.infinity)
                            for iy in y0 ..< y1 {
                                for ix in x0 ..< x1 {
                                    let v = load16(x + ((iy &* iw &+ ix) &* c &+ g))
                                    m = m.replacing(with: v, where: (v .> m) .| (v .!= v))
                                }
                            }
                            for l in 0 ..< 16 { out[(g &+ l) &* oplane] = m[l] }
                            g &+= 16
                        }
                    }
                }
            }
        }

        @_transparent
        static func load16(_ p: UnsafePointer<Float>) -> SIMD16<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD16<Float>.self) }

        @_transparent
        static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

        @_transparent
        static func store8(_ p: UnsafeMutablePointer<Float>, _ v: SIMD8<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Float>.self) }

        /// `max16` on 8 lanes.
        @_transparent
        static func max8(_ m: SIMD8<Float>, _ v: SIMD8<Float>) -> SIMD8<Float> { m.replacing(with: v, where: v .> m) }

        @_transparent
        static func store16(_ p: UnsafeMutablePointer<Float>, _ v: SIMD16<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD16<Float>.self) }

        /// The lane-wise maximum as one `vmaxps` (v where v > m, so m where either is NaN).
        @_transparent
        static func max16(_ m: SIMD16<Float>, _ v: SIMD16<Float>) -> SIMD16<Float> { m.replacing(with: v, where: v .> m) }

        /// The maxima over kw taps of 16 columns at stride 1: tap i of lane l is p[l + i], plus
        /// bias[i * bs + l] (0, or -inf where the tap is outside its row). Adds the taps to sum.
        @_transparent
        static func columnMax(_ p: UnsafePointer<Float>, _ bias: UnsafePointer<Float>, _ bs: Int, _ kw: Int, _ pl: Int,
                              _ sum: inout SIMD16<Float>) -> SIMD16<Float> {
            if kw == 3 && pl == 1 {
                // The middle tap is the column itself: always inside, and together they cover the plane.
                let t1 = load16(p + 1)
                sum += t1
                return max16(max16(t1, load16(p) + load16(bias)), load16(p + 2) + load16(bias + 2 &* bs))
            }
            var m = SIMD16<Float>(repeating: -.infinity)
            for i in 0 ..< kw {
                let t = load16(p + i)
                sum += t
                m = max16(m, t + load16(bias + i &* bs))
            }
            return m
        }

        /// The maximum of n vectors at p, p + step, p + 2 step, ...
        @_transparent
        static func rowMax(_ p: UnsafePointer<Float>, _ n: Int, _ step: Int) -> SIMD16<Float> {
            switch n {
            case 2: return max16(load16(p), load16(p + step))
            case 3: return max16(max16(load16(p), load16(p + step)), load16(p + 2 &* step))
            default:
                var m = load16(p)
                for j in 1 ..< max(1, n) { m = max16(m, load16(p + j &* step)) }
                return m
            }
        }

        @inline(never)
        static func avgPool(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ c: Int, _ ih: Int, _ iw: Int, _ oh: Int, _ ow: Int,
                            _ kh: Int, _ kw: Int, _ sh: Int, _ sw: Int, _ pt: Int, _ pl: Int, _ pb: Int, _ pr: Int, _ includePad: Bool, _ threads: Team) {
            pool(x, y, c, ih, iw, oh, ow, kh, kw, sh, sw, pt, pl, pb, pr, max: false, includePad: includePad, threads)
        }

        /// Max (NaN propagating, like PyTorch) or sum of a and b.
        @inline(__always)
        static func combine(_ a: SIMD8<Float>, _ b: SIMD8<Float>, _ isMax: Bool) -> SIMD8<Float> {
            isMax ? a.replacing(with: b, where: (b .> a) .| (b .!= b)) : a + b
        }

        /// Pooling by rows: for each output row, the input rows under the window are combined
        /// into one row (vectorized), then each output pixel combines its columns of that row.
        @inline(__always)
        static func pool(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ c: Int, _ ih: Int, _ iw: Int, _ oh: Int, _ ow: Int,
                         _ kh: Int, _ kw: Int, _ sh: Int, _ sw: Int, _ pt: Int, _ pl: Int, _ pb: Int, _ pr: Int, max isMax: Bool, includePad: Bool,
                         _ threads: Team) {
            let empty: Float = isMax ? -Float.infinity : 0
            // The combined row sits at offset pl of a row padded with `empty` on both sides, so
            // every window has kw entries (padding never wins a max and adds 0 to a sum).
            // Slack past the end: vectors of 8 outputs at stride 2 read 16 floats per tap.
            let padded = pl &+ max(iw, (ow &- 1) &* sw &+ kw &- pl) &+ 24
            parallel(c, threads, work: c &* oh &* ow &* kh &* kw) { lo, hi in
            withUnsafeTemporaryAllocation(of: Float.self, capacity: padded) { buffer in
                let rowp = buffer.baseAddress!
                rowp.initialize(repeating: empty, count: padded)
                let row = rowp + pl
                for ch in lo ..< hi {
                    let xc = x + (ch &* ih &* iw), yc = y + (ch &* oh &* ow)
                    for oy in 0 ..< oh {
                        let ys = oy &* sh &- pt, ye = min(ys &+ kh, ih &+ pb)
                        let y0 = max(ys, 0), y1 = min(ye, ih)
                        var ix = 0
                        while ix < iw && iw >= 8 {
                            // Vectors of 8 columns, the last one ending at the row's end.
                            let at = min(ix, iw &- 8)
                            var m = SIMD8<Float>(repeating: empty)
                            for iy in y0 ..< max(y0, y1) {
                                m = combine(m, UnsafeRawPointer(xc + (iy &* iw &+ at)).loadUnaligned(as: SIMD8<Float>.self), isMax)
                            }
                            UnsafeMutableRawPointer(row + at).storeBytes(of: m, as: SIMD8<Float>.self)
                            ix = at &+ 8
                        }
                        while ix < iw {
                            var m = empty
                            for iy in y0 ..< max(y0, y1) {
                                let v = xc[iy &* iw &+ ix]
                                m = isMax ? (v > m || v != v ? v : m) : m + v
                            }
                            row[ix] = m
                            ix &+= 1
                        }
                        let yr = yc + (oy &* ow)
                        // Vectors of outputs where every window of the row has kw columns (always
                        // for max: padding holds `empty`), dividing a sum by one count; the sums
                        // in the same order as the scalar loop below, so the same bits.
                        let uniform = isMax || (pl == 0 && (ow &- 1) &* sw &+ kw <= iw)
                        let count = SIMD8<Float>(repeating: Float((includePad ? ye &- ys : max(y1 &- y0, 0)) &* kw))
                        if uniform && sw <= 2 && ow < 8 {
                            // One partial vector (the slack and the padding hold `empty`).
                            var m = strided(rowp, sw)
                            for i in 1 ..< max(1, kw) { m = combine(m, strided(rowp + i, sw), isMax) }
                            if !isMax { m /= count }
                            for l in 0 ..< ow { yr[l] = m[l] }
                            continue
                        }
                        if uniform && sw <= 2 && ow >= 8 {
                            // Stride 1 or 2: eight outputs at a time (the last vector ends at the
                            // row's end; a stride-2 load reads 16 floats, within the row's slack).
                            var ox = 0
                            while true {
                                let o = min(ox, ow &- 8)
                                var m = strided(rowp + (o &* sw), sw)
                                for i in 1 ..< max(1, kw) { m = combine(m, strided(rowp + (o &* sw &+ i), sw), isMax) }
                                if !isMax { m /= count }
                                UnsafeMutableRawPointer(yr + o).storeBytes(of: m, as: SIMD8<Float>.self)
                                if o == ow &- 8 { break }
                                ox &+= 8
                            }
                            continue
                        }
                        for ox in 0 ..< ow {
                            let r = rowp + (ox &* sw)
                            var m = r[0]
                            for i in 1 ..< max(1, kw) {
                                let v = r[i]
                                m = isMax ? (v > m || v != v ? v : m) : m + v
                            }
                            if isMax {
                                yr[ox] = m
                            } else {
                                let xs = ox &* sw &- pl, xe = min(xs &+ kw, iw &+ pr)
                                let n = includePad ? (ye &- ys) &* (xe &- xs) : max(y1 &- y0, 0) &* max(min(xe, iw) &- max(xs, 0), 0)
                                yr[ox] = m / Float(n)
                            }
                        }
                    }
                }
            }
            }
        }

        @inline(never)
        static func globalAvgPool(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ c: Int, _ size: Int) {
            for ch in 0 ..< c {
                var s: Float = 0
                let xc = x + (ch &* size)
                for i in 0 ..< size { s += xc[i] }
                y[ch] = s / Float(size)
            }
        }

        /// y = b + W x with W packed as [out / 32][in][32]: 32 outputs in registers per block,
        /// blocks split over threads, the activation applied as they are stored.
        @inline(never)
        static func fc(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ w: UnsafePointer<Float>, _ b: UnsafePointer<Float>,
                       _ n: Int, _ m: Int, _ act: Int, _ threads: Team) {
            let blocks = (m &+ 31) >> 5
            parallel(blocks, threads, work: n &* m) { lo, hi in
                var next = lo
                // With 16-float vectors, two whole blocks at a time: two weight streams, half the
                // instructions; each output's sum in the same order, so the same bits. (A 151 MB
                // layer in a harness: 9.5-12.6 -> 9.3-10.5 ms; it is bound by memory.)
                while threads.wide && next &+ 2 <= hi && (next &+ 2) &* 32 <= m {
                    let wb = UnsafeRawPointer(w + (next &* n &* 32)), bb = UnsafeRawPointer(b + (next &* 32)), s = n &* 128
                    var a0 = bb.loadUnaligned(as: SIMD16<Float>.self), a1 = bb.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                    var c0 = bb.loadUnaligned(fromByteOffset: 128, as: SIMD16<Float>.self), c1 = bb.loadUnaligned(fromByteOffset: 192, as: SIMD16<Float>.self)
                    for i in 0 ..< n {
                        let v = SIMD16<Float>(repeating: x[i])
                        let row = wb + (i &* 128)
                        a0 = a0.addingProduct(v, row.loadUnaligned(as: SIMD16<Float>.self))
                        a1 = a1.addingProduct(v, row.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self))
                        c0 = c0.addingProduct(v, row.loadUnaligned(fromByteOffset: s, as: SIMD16<Float>.self))
                        c1 = c1.addingProduct(v, row.loadUnaligned(fromByteOffset: s &+ 64, as: SIMD16<Float>.self))
                    }
                    let yb = y + (next &* 32)
                    storeRow16(a0, yb, act, nil); storeRow16(a1, yb + 16, act, nil)
                    storeRow16(c0, yb + 32, act, nil); storeRow16(c1, yb + 48, act, nil)
                    next &+= 2
                }
                for blk in next ..< hi {
                    let wb = UnsafeRawPointer(w + (blk &* n &* 32)), bb = UnsafeRawPointer(b + (blk &* 32))
                    var a0 = bb.loadUnaligned(as: SIMD8<Float>.self), a1 = bb.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                    var a2 = bb.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self), a3 = bb.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
                    for i in 0 ..< n {
                        let v = SIMD8<Float>(repeating: x[i])
                        let row = wb + (i &* 128)
                        a0 = a0.addingProduct(v, row.loadUnaligned(as: SIMD8<Float>.self))
                        a1 = a1.addingProduct(v, row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self))
                        a2 = a2.addingProduct(v, row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self))
                        a3 = a3.addingProduct(v, row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self))
                    }
                    let yb = y + (blk &* 32), lanes = m &- (blk &* 32)
                    if lanes >= 32 {
                        storeRow(a0, yb, act); storeRow(a1, yb + 8, act); storeRow(a2, yb + 16, act); storeRow(a3, yb + 24, act)
                    } else {
                        for (j, a) in [a0, a1, a2, a3].enumerated() where lanes > j &* 8 {
                            storePartial(a, yb + (j &* 8), min(8, lanes &- j &* 8), act)
                        }
                    }
                }
            }
        }

        /// `fc` for `g` images at once (image j's input at x + j * stride, its output at
        /// y + j * stride): each block's weights are read once for four images (two with
        /// 8-float vectors) rather than once an image, in parts of at most 4,096 inputs (512 KB
        /// of a block's weights, which the next images read again from the L2 cache). Every
        /// output's sum runs in `fc`'s order (a part's sums stored and read back exactly), so
        /// an image's outputs are the same bits as alone.
        @inline(never)
        static func fcBatch(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ stride: Int, _ g: Int, _ w: UnsafePointer<Float>,
                            _ b: UnsafePointer<Float>, _ n: Int, _ m: Int, _ act: Int, _ threads: Team) {
            guard g > 1 else { return fc(x, y, w, b, n, m, act, threads) }
            let blocks = (m &+ 31) >> 5
            let parts = (n &+ 4095) >> 12
            let per = threads.wide ? 4 : 2
            parallel(blocks, threads, work: n &* m &* g) { lo, hi in
                for blk in lo ..< hi {
                    let wb = UnsafeRawPointer(w + (blk &* n &* 32)), lanes = min(32, m &- (blk << 5))
                    let bb = UnsafePointer(b + (blk << 5))
                    for part in 0 ..< parts {
                        let k0 = n &* part / parts, k1 = n &* (part &+ 1) / parts
                        let f = part &+ 1 == parts ? act : 0
                        var j0 = 0
                        while j0 < g {
                            // Images j0 ..< j0 + per, the last image repeated where fewer are left.
                            let i0 = j0, i1 = min(j0 &+ 1, g &- 1), i2 = min(j0 &+ 2, g &- 1), i3 = min(j0 &+ 3, g &- 1)
                            let x0 = x + i0 &* stride, x1 = x + i1 &* stride, x2 = x + i2 &* stride, x3 = x + i3 &* stride
                            let y0 = y + (i0 &* stride &+ (blk << 5)), y1 = y + (i1 &* stride &+ (blk << 5))
                            let y2 = y + (i2 &* stride &+ (blk << 5)), y3 = y + (i3 &* stride &+ (blk << 5))
                            // An image's 32 sums so far (the bias, or the parts before), 8 at q; and back
                            // (`load` and `store` with planes of 1 float: the block's first `lanes` outputs).
                            @inline(__always) func start(_ yi: UnsafeMutablePointer<Float>, _ q: Int) -> SIMD8<Float> {
                                part == 0 ? UnsafeRawPointer(bb + q).loadUnaligned(as: SIMD8<Float>.self) : load(yi + q, 1, lanes &- q)
                            }
                            @inline(__always) func keep(_ v: SIMD8<Float>, _ yi: UnsafeMutablePointer<Float>, _ q: Int) { store(v, yi + q, 1, lanes &- q, f) }
                            if threads.wide {
                                var a0 = SIMD16(lowHalf: start(y0, 0), highHalf: start(y0, 8)), a1 = SIMD16(lowHalf: start(y0, 16), highHalf: start(y0, 24))
                                var a2 = SIMD16(lowHalf: start(y1, 0), highHalf: start(y1, 8)), a3 = SIMD16(lowHalf: start(y1, 16), highHalf: start(y1, 24))
                                var a4 = SIMD16(lowHalf: start(y2, 0), highHalf: start(y2, 8)), a5 = SIMD16(lowHalf: start(y2, 16), highHalf: start(y2, 24))
                                var a6 = SIMD16(lowHalf: start(y3, 0), highHalf: start(y3, 8)), a7 = SIMD16(lowHalf: start(y3, 16), highHalf: start(y3, 24))
                                for i in k0 ..< k1 {
                                    let row = wb + (i &* 128)
                                    let wl = row.loadUnaligned(as: SIMD16<Float>.self), wh = row.loadUnaligned(fromByteOffset: 64, as: SIMD16<Float>.self)
                                    var v = SIMD16<Float>(repeating: x0[i])
                                    a0 = a0.addingProduct(v, wl); a1 = a1.addingProduct(v, wh)
                                    v = SIMD16<Float>(repeating: x1[i])
                                    a2 = a2.addingProduct(v, wl); a3 = a3.addingProduct(v, wh)
                                    v = SIMD16<Float>(repeating: x2[i])
                                    a4 = a4.addingProduct(v, wl); a5 = a5.addingProduct(v, wh)
                                    v = SIMD16<Float>(repeating: x3[i])
                                    a6 = a6.addingProduct(v, wl); a7 = a7.addingProduct(v, wh)
                                }
                                // Stored in image order, so a repeated last image stores its own sums last.
                                keep(a0.lowHalf, y0, 0); keep(a0.highHalf, y0, 8); keep(a1.lowHalf, y0, 16); keep(a1.highHalf, y0, 24)
                                if i1 > i0 { keep(a2.lowHalf, y1, 0); keep(a2.highHalf, y1, 8); keep(a3.lowHalf, y1, 16); keep(a3.highHalf, y1, 24) }
                                if i2 > i1 { keep(a4.lowHalf, y2, 0); keep(a4.highHalf, y2, 8); keep(a5.lowHalf, y2, 16); keep(a5.highHalf, y2, 24) }
                                if i3 > i2 { keep(a6.lowHalf, y3, 0); keep(a6.highHalf, y3, 8); keep(a7.lowHalf, y3, 16); keep(a7.highHalf, y3, 24) }
                            } else {
                                var a0 = start(y0, 0), a1 = start(y0, 8), a2 = start(y0, 16), a3 = start(y0, 24)
                                var c0 = start(y1, 0), c1 = start(y1, 8), c2 = start(y1, 16), c3 = start(y1, 24)
                                for i in k0 ..< k1 {
                                    let row = wb + (i &* 128)
                                    let w0 = row.loadUnaligned(as: SIMD8<Float>.self), w1 = row.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
                                    let w2 = row.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self), w3 = row.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
                                    var v = SIMD8<Float>(repeating: x0[i])
                                    a0 = a0.addingProduct(v, w0); a1 = a1.addingProduct(v, w1); a2 = a2.addingProduct(v, w2); a3 = a3.addingProduct(v, w3)
                                    v = SIMD8<Float>(repeating: x1[i])
                                    c0 = c0.addingProduct(v, w0); c1 = c1.addingProduct(v, w1); c2 = c2.addingProduct(v, w2); c3 = c3.addingProduct(v, w3)
                                }
                                keep(a0, y0, 0); keep(a1, y0, 8); keep(a2, y0, 16); keep(a3, y0, 24)
                                if i1 > i0 { keep(c0, y1, 0); keep(c1, y1, 8); keep(c2, y1, 16); keep(c3, y1, 24) }
                            }
                            j0 &+= per
                        }
                    }
                }
            }
        }

        /// A batch norm on its own (y = x * s + t per channel) and its activation, channels
        /// split over the threads (DenseNet's pre-activations: 224 x 56 x 56 floats each in
        /// block 1). An element counts as 4 multiply-adds of `work`.
        @inline(never)
        static func scaleShift(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ s: UnsafePointer<Float>, _ t: UnsafePointer<Float>,
                               _ c: Int, _ size: Int, _ act: Int, _ threads: Team) {
            parallel(c, threads, work: c &* size &* 4) { lo, hi in
                for ch in lo ..< hi {
                    let a = SIMD8<Float>(repeating: s[ch]), b = SIMD8<Float>(repeating: t[ch])
                    let xc = x + (ch &* size), yc = y + (ch &* size)
                    var i = 0
                    while i &+ 8 <= size {
                        storeRow(b.addingProduct(UnsafeRawPointer(xc + i).loadUnaligned(as: SIMD8<Float>.self), a), yc + i, act)
                        i &+= 8
                    }
                    if i < size {
                        var v = SIMD8<Float>()
                        for l in 0 ..< size &- i { v[l] = xc[i &+ l] }
                        storePartial(b.addingProduct(v, a), yc + i, size &- i, act)
                    }
                }
            }
        }

        @inline(never)
        static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
            for i in 0 ..< n { let v = x[i]; y[i] = v < 0 ? 0 : v }
        }

        @inline(never)
        static func relu6(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
            for i in 0 ..< n { let v = x[i]; y[i] = v < 0 ? 0 : (v > 6 ? 6 : v) }
        }

        @inline(never)
        static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) { map(x, y, n, 3) }

        @inline(never)
        static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) { map(x, y, n, 4) }

        /// An activation over n floats, 8 at a time (in place allowed).
        @inline(__always)
        static func map(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int, _ act: Int) {
            var i = 0
            while i &+ 8 <= n {
                storeRow(UnsafeRawPointer(x + i).loadUnaligned(as: SIMD8<Float>.self), y + i, act)
                i &+= 8
            }
            if i < n {
                var v = SIMD8<Float>()
                for l in 0 ..< n &- i { v[l] = x[i &+ l] }
                storePartial(v, y + i, n &- i, act)
            }
        }

        /// Softmax over channels at every pixel (in place allowed).
        static func softmax(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ c: Int, _ size: Int) {
            for p in 0 ..< size {
                var m = -Float.infinity
                for ch in 0 ..< c { m = max(m, x[ch * size + p]) }
                var s: Float = 0
                for ch in 0 ..< c { let e = expf(x[ch * size + p] - m); y[ch * size + p] = e; s += e }
                for ch in 0 ..< c { y[ch * size + p] /= s }
            }
        }

        @inline(never)
        static func add(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
            for i in 0 ..< n { y[i] = a[i] + b[i] }
        }

        @inline(never)
        static func accumulate(_ a: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
            for i in 0 ..< n { y[i] += a[i] }
        }
    }
"""#

// Peak FP32 FMA probe for scripts/bench_models.py: the machine's floating-point limit that
// every GFLOP/s of the model benchmark is compared with.
//
// Each thread runs 12 independent accumulator chains of `addingProduct` (one fused
// multiply-add per lane: 2 FLOPs), enough independent chains to hide the FMA latency, once
// with SIMD8<Float> (one AVX2 register) and once with SIMD16<Float> (one AVX-512 register, or
// two AVX2 ones); the faster is the peak. The two differ by 2x on CPUs with two 512-bit FMA
// units (Intel Xeon since Skylake-SP: 52.8 against 105+ GFLOP/s on one core here) and little
// on CPUs that split 512-bit operations in two (AMD Zen 4) or have no AVX-512. The best of 5
// repetitions of about 0.3 s each is reported.
//
// Build and run (bench_models.py does this into out/bench/):
//   swiftc -O -wmo -Xcc -march=native scripts/peak_fma.swift -o out/bench/peak_fma
//   out/bench/peak_fma [THREADS...]        (default: 1 2)
// Output: one line per thread count, `threads T: G GFLOP/s` (G for all T threads together,
// the faster width), then `(SIMD8 G8, SIMD16 G16)` on the same line.
// Without -Xcc -march=native (or another flag enabling FMA) addingProduct becomes a scalar
// library call per lane and the probe reads about 0.7 GFLOP/s.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Runs `steps` steps of 12 independent FMAs (a += a * b, b a small negative number known only
/// at run time, so the values decay slowly and cannot be folded) on the lanes of V; returns a
/// sum so nothing is dead code.
@inline(never)
func chains<V: SIMD>(_ type: V.Type, _ steps: Int, _ seed: Float, _ decay: Float) -> Float where V.Scalar == Float {
    let b = V(repeating: decay)
    var a0 = V(repeating: seed), a1 = a0 + 1, a2 = a0 + 2, a3 = a0 + 3
    var a4 = a0 + 4, a5 = a0 + 5, a6 = a0 + 6, a7 = a0 + 7
    var a8 = a0 + 8, a9 = a0 + 9, a10 = a0 + 10, a11 = a0 + 11
    for _ in 0 ..< steps {
        a0 = a0.addingProduct(a0, b); a1 = a1.addingProduct(a1, b)
        a2 = a2.addingProduct(a2, b); a3 = a3.addingProduct(a3, b)
        a4 = a4.addingProduct(a4, b); a5 = a5.addingProduct(a5, b)
        a6 = a6.addingProduct(a6, b); a7 = a7.addingProduct(a7, b)
        a8 = a8.addingProduct(a8, b); a9 = a9.addingProduct(a9, b)
        a10 = a10.addingProduct(a10, b); a11 = a11.addingProduct(a11, b)
    }
    let s = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
    return s.sum()
}

/// The specializations the optimizer must see (a generic call through a metatype argument
/// is not specialized across `@inline(never)`).
@inline(never) func chains8(_ steps: Int, _ seed: Float, _ decay: Float) -> Float { chains(SIMD8<Float>.self, steps, seed, decay) }
@inline(never) func chains16(_ steps: Int, _ seed: Float, _ decay: Float) -> Float { chains(SIMD16<Float>.self, steps, seed, decay) }

let steps = 20_000_000
// -1e-8 per argument word: a run-time value the optimizer cannot see
let decay = -1e-8 * Float(CommandLine.arguments.count + 1)  // about 5 GFLOP: ~0.05 s at peak; repeated below

func measure(threads: Int, lanes: Int) -> Double {
    let flopsPerStep = 12.0 * Double(lanes) * 2
    var best = 0.0
    var sink: Float = 0
    let repeats = 6  // chunks per repetition (~0.3 s at peak on one core)
    for rep in 0 ..< 5 {
        var sums = [Float](repeating: 0, count: threads)
        let t0 = now()
        sums.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: threads) { t in
                var s: Float = 0
                for i in 0 ..< repeats { s += lanes == 16 ? chains16(steps / 2, Float(rep + t + i), decay) : chains8(steps, Float(rep + t + i), decay) }  // distinct calls: not merged
                base[t] = s
            }
        }
        let elapsed = now() - t0
        sink += sums.reduce(0, +)
        best = max(best, Double(threads * repeats) * Double(lanes == 16 ? steps / 2 : steps) * flopsPerStep / elapsed / 1e9)
    }
    if sink.isNaN { print("(nan)") }
    return best
}

var counts = CommandLine.arguments.dropFirst().compactMap { Int($0) }.filter { $0 >= 1 && $0 <= 256 }
if counts.isEmpty { counts = [1, 2] }
for t in counts {
    let g8 = measure(threads: t, lanes: 8), g16 = measure(threads: t, lanes: 16)
    func r(_ g: Double) -> Double { Double(Int(g * 10)) / 10 }
    print("threads \(t): \(r(max(g8, g16))) GFLOP/s (SIMD8 \(r(g8)), SIMD16 \(r(g16)))")
}

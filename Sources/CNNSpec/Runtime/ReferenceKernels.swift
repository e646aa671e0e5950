// The reference interpreter's ops, one plain function each, in PyTorch's NCHW layout and
// with PyTorch's semantics (cited per function). Sums are taken in Double, results rounded
// to Float once. Shapes come from the plan and are trusted (the interpreter checked them).

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch

enum Kernels {
    /// Runs `body(i)` for every i in 0..<count, spread over the cores.
    static func parallel(_ count: Int, _ body: (Int) -> Void) {
        DispatchQueue.concurrentPerform(iterations: count, execute: body)
    }

    /// Where padded coordinate `i` (in input coordinates, possibly outside 0..<size) reads
    /// from, as torch.nn.functional.pad with `mode` defines it; nil means zero. Positions
    /// beyond the padding (a last window that overhangs in `round: ceil`) read zero.
    static func source(_ i: Int, size: Int, before: Int, after: Int, mode: PaddingMode) -> Int? {
        if i >= 0 && i < size { return i }
        if i < -before || i >= size + after { return nil }
        switch mode {
        case .zeros: return nil
        case .reflect: return i < 0 ? -i : 2 * (size - 1) - i          // mirror without repeating the edge
        case .replicate: return i < 0 ? 0 : size - 1                    // repeat the edge
        case .circular: return i < 0 ? i + size : i - size              // wrap around
        }
    }

    /// Conv2d: y[n, o, i, j] = bias[o] + sum over the group's input channels c and taps
    /// (u, v) of w[o, c, u, v] * padded[n, g*Cin/G + c, i*stride + u*dilation, j*stride + v*dilation].
    static func conv(_ x: [Float], batch: Int, _ xs: Shape, _ ys: Shape, _ a: ConvAttrs, weight: [Float], bias: [Float]?) -> [Float] {
        guard case .explicit(let p) = a.padding else { return [] }  // the interpreter's init rejects such plans
        let (kh, kw, sh, sw, dh, dw) = (a.kernel.h, a.kernel.w, a.stride.h, a.stride.w, a.dilation.h, a.dilation.w)
        let hp = max(xs.h + p.top + p.bottom, (ys.h - 1) * sh + (kh - 1) * dh + 1)
        let wp = max(xs.w + p.left + p.right, (ys.w - 1) * sw + (kw - 1) * dw + 1)
        let rows = (0..<hp).map { source($0 - p.top, size: xs.h, before: p.top, after: p.bottom, mode: a.paddingMode) }
        let cols = (0..<wp).map { source($0 - p.left, size: xs.w, before: p.left, after: p.right, mode: a.paddingMode) }
        var padded = [Float](repeating: 0, count: batch * xs.c * hp * wp)
        for plane in 0..<(batch * xs.c) {
            for (i, r) in rows.enumerated() {
                guard let r else { continue }
                for (j, c) in cols.enumerated() {
                    guard let c else { continue }
                    padded[(plane * hp + i) * wp + j] = x[(plane * xs.h + r) * xs.w + c]
                }
            }
        }
        let cinG = xs.c / a.groups, coutG = ys.c / a.groups
        let outPlane = ys.h * ys.w
        var y = [Float](repeating: 0, count: batch * ys.c * outPlane)
        padded.withUnsafeBufferPointer { xp in
            weight.withUnsafeBufferPointer { wb in
                y.withUnsafeMutableBufferPointer { yb in
                    let (xbase, wbase, ybase) = (xp.baseAddress!, wb.baseAddress!, yb.baseAddress!)
                    parallel(batch * ys.c) { job in
                        let n = job / ys.c, o = job % ys.c
                        let group = o / coutG
                        var acc = [Double](repeating: bias.map { Double($0[o]) } ?? 0, count: outPlane)
                        acc.withUnsafeMutableBufferPointer { ab in
                            // Row by row, so that one output row stays in cache while every tap adds to it.
                            for i in 0..<ys.h {
                                let out = ab.baseAddress! + i * ys.w
                                for c in 0..<cinG {
                                    let plane = xbase + (n * xs.c + group * cinG + c) * hp * wp
                                    let filter = wbase + (o * cinG + c) * kh * kw
                                    for u in 0..<kh {
                                        for v in 0..<kw {
                                            let wv = Double(filter[u * kw + v])
                                            let row = plane + (i * sh + u * dh) * wp + v * dw
                                            if sw == 1 {
                                                for j in 0..<ys.w { out[j] += wv * Double(row[j]) }
                                            } else {
                                                for j in 0..<ys.w { out[j] += wv * Double(row[j * sw]) }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        let dst = ybase + job * outPlane
                        for k in 0..<outPlane { dst[k] = Float(acc[k]) }
                    }
                }
            }
        }
        return y
    }

    /// Runs `window(plane, h0, w0)` for every output pixel of a pool, where (h0, w0) is where
    /// its window starts in input coordinates (negative inside the top/left padding).
    static func pool(_ batch: Int, _ xs: Shape, _ ys: Shape, _ a: PoolAttrs, _ window: (Int, Int, Int) -> Float) -> [Float] {
        var y = [Float](repeating: 0, count: batch * ys.c * ys.h * ys.w)
        for plane in 0..<(batch * xs.c) {
            for i in 0..<ys.h {
                for j in 0..<ys.w {
                    y[(plane * ys.h + i) * ys.w + j] = window(plane, i * a.stride.h - a.padding.top, j * a.stride.w - a.padding.left)
                }
            }
        }
        return y
    }

    /// MaxPool2d: the largest input in the window, padding never wins (PyTorch pads with
    /// -inf); a NaN in the window is the result, as in PyTorch.
    static func maxpool(_ x: [Float], batch: Int, _ xs: Shape, _ ys: Shape, _ a: PoolAttrs) -> [Float] {
        pool(batch, xs, ys, a) { plane, h0, w0 in
            var m = -Float.infinity
            for r in max(h0, 0)..<max(min(h0 + a.kernel.h, xs.h), 0) {
                for c in max(w0, 0)..<max(min(w0 + a.kernel.w, xs.w), 0) {
                    let v = x[(plane * xs.h + r) * xs.w + c]
                    if v > m || v.isNaN { m = v }
                }
            }
            return m
        }
    }

    /// AvgPool2d as PyTorch computes it: the window is cut at the end of the padding (so a
    /// ceil-mode window that overhangs counts only up to there), `pool_size` is its area;
    /// the sum runs over the part inside the input, divided by `pool_size` with
    /// count_include_pad, else by the number of input pixels summed.
    static func avgpool(_ x: [Float], batch: Int, _ xs: Shape, _ ys: Shape, _ a: PoolAttrs) -> [Float] {
        pool(batch, xs, ys, a) { plane, h0, w0 in
            let h1 = min(h0 + a.kernel.h, xs.h + a.padding.bottom), w1 = min(w0 + a.kernel.w, xs.w + a.padding.right)
            let (hs, he, ws, we) = (max(h0, 0), min(h1, xs.h), max(w0, 0), min(w1, xs.w))
            guard hs < he, ws < we else { return 0 }
            var sum = 0.0
            for r in hs..<he {
                for c in ws..<we { sum += Double(x[(plane * xs.h + r) * xs.w + c]) }
            }
            let divisor = a.countIncludePad ? (h1 - h0) * (w1 - w0) : (he - hs) * (we - ws)
            return Float(sum / Double(divisor))
        }
    }

    /// AdaptiveAvgPool2d(1): the mean of each channel.
    static func globalAverage(_ x: [Float], batch: Int, _ xs: Shape) -> [Float] {
        let size = xs.h * xs.w
        return (0..<(batch * xs.c)).map { plane in
            var sum = 0.0
            for k in 0..<size { sum += Double(x[plane * size + k]) }
            return Float(sum / Double(size))
        }
    }

    /// Linear on the flattened input (C, H, W order, which is the NCHW memory order):
    /// y[n, o] = bias[o] + sum_i w[o, i] * x[n, i].
    static func fc(_ x: [Float], batch: Int, inFeatures: Int, outFeatures: Int, weight: [Float], bias: [Float]?) -> [Float] {
        var y = [Float](repeating: 0, count: batch * outFeatures)
        x.withUnsafeBufferPointer { xb in
            weight.withUnsafeBufferPointer { wb in
                y.withUnsafeMutableBufferPointer { yb in
                    let (xbase, wbase, ybase) = (xb.baseAddress!, wb.baseAddress!, yb.baseAddress!)
                    parallel(batch * outFeatures) { job in
                        let n = job / outFeatures, o = job % outFeatures
                        var sum = bias.map { Double($0[o]) } ?? 0
                        let (row, input) = (wbase + o * inFeatures, xbase + n * inFeatures)
                        for i in 0..<inFeatures { sum += Double(row[i]) * Double(input[i]) }
                        ybase[job] = Float(sum)
                    }
                }
            }
        }
        return y
    }

    /// Softmax(dim=1): over the channels at every (n, h, w), shifted by the maximum so that
    /// exp never overflows.
    static func softmax(_ x: [Float], batch: Int, _ xs: Shape) -> [Float] {
        let size = xs.h * xs.w
        var y = [Float](repeating: 0, count: x.count)
        for n in 0..<batch {
            for p in 0..<size {
                let index = { (c: Int) in (n * xs.c + c) * size + p }
                var m = -Double.infinity
                for c in 0..<xs.c { m = max(m, Double(x[index(c)])) }
                var sum = 0.0
                for c in 0..<xs.c { sum += exp(Double(x[index(c)]) - m) }
                for c in 0..<xs.c { y[index(c)] = Float(exp(Double(x[index(c)]) - m) / sum) }
            }
        }
        return y
    }

    /// BatchNorm2d in eval mode: (x - running_mean) / sqrt(running_var + eps) * weight + bias.
    static func batchnorm(_ x: [Float], batch: Int, _ xs: Shape, eps: Double, weight: [Float], bias: [Float], mean: [Float], variance: [Float]) -> [Float] {
        let size = xs.h * xs.w
        var y = [Float](repeating: 0, count: x.count)
        for plane in 0..<(batch * xs.c) {
            let c = plane % xs.c
            let sd = (Double(variance[c]) + eps).squareRoot()
            for k in plane * size..<(plane + 1) * size {
                y[k] = Float((Double(x[k]) - Double(mean[c])) / sd * Double(weight[c]) + Double(bias[c]))
            }
        }
        return y
    }

    /// The elementwise sum of the inputs, in their order.
    static func add(_ xs: [[Float]]) -> [Float] {
        (0..<xs[0].count).map { k in Float(xs.reduce(0.0) { $0 + Double($1[k]) }) }
    }

    /// torch.cat(dim=1): per batch item, each input's C*H*W block in input order.
    /// `sizes[i]` is input i's C*H*W.
    static func concat(_ xs: [[Float]], batch: Int, sizes: [Int]) -> [Float] {
        var y: [Float] = []
        y.reserveCapacity(batch * sizes.reduce(0, +))
        for n in 0..<batch {
            for (x, size) in zip(xs, sizes) { y += x[n * size..<(n + 1) * size] }
        }
        return y
    }
}

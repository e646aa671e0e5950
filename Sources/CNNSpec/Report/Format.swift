// Number and attribute formatting shared by every report format.

enum Format {
    /// Bytes in KiB/MiB/GiB with two decimals where useful.
    static func bytes(_ n: Int) -> String {
        let units: [(Double, String)] = [(1_073_741_824, "GiB"), (1_048_576, "MiB"), (1024, "KiB")]
        let v = Double(n)
        for (scale, unit) in units where v >= scale { return decimals(v / scale) + " " + unit }
        return "\(n) B"
    }

    /// Three significant digits: 1.23, 12.3, 123.
    static func decimals(_ v: Double) -> String {
        let places = abs(v) >= 100 ? 0 : abs(v) >= 10 ? 1 : 2
        return fixed(v, places)
    }

    /// GFLOPS as torchvision's model cards print them: three decimals (15.47, 4.089), and
    /// three significant digits below 0.01 (0.000417), never in exponent form.
    static func gflops(_ v: Double) -> String {
        if v == 0 { return "0" }
        var places = 3
        var x = abs(v) * 1000
        while x < 100 && places < 15 { x *= 10; places += 1 }
        var text = fixed(v, places)
        while text.hasSuffix("0") && text.contains(".") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    static func fixed(_ v: Double, _ places: Int) -> String {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let n = Int((v * scale).rounded())
        if places == 0 { return String(n) }
        let whole = n / Int(scale), frac = abs(n % Int(scale))
        var f = String(frac)
        while f.count < places { f = "0" + f }
        return (n < 0 && whole == 0 ? "-" : "") + "\(whole).\(f)"
    }

    /// A short description of a layer's attributes: `5x5/1 p2`, `2x2/2`, `out 10`.
    static func attributes(_ op: Op) -> String {
        switch op {
        case .conv(let a):
            var s = "\(a.kernel.sizeText)"
            if a.stride != Pair(square: 1) { s += "/\(a.stride)" }
            if case .explicit(let p) = a.padding, !p.isZero { s += " p" + (p.isSymmetric ? (p.top == p.left ? "\(p.top)" : "\(p.top)x\(p.left)") : p.array.map(String.init).joined(separator: ",")) }
            if a.dilation != Pair(square: 1) { s += " d\(a.dilation)" }
            if a.groups != 1 { s += " g\(a.groups)" }
            if !a.bias { s += " nobias" }
            if a.paddingMode != .zeros { s += " \(a.paddingMode.rawValue)" }
            return s
        case .maxpool(let a), .avgpool(let a):
            var s = "\(a.kernel.sizeText)/\(a.stride)"
            if !a.padding.isZero { s += " p" + (a.padding.isSymmetric && a.padding.top == a.padding.left ? "\(a.padding.top)" : a.padding.array.map(String.init).joined(separator: ",")) }
            if a.rounding == .ceil { s += " ceil" }
            if case .avgpool = op, !a.countIncludePad, !a.padding.isZero { s += " excl-pad" }
            return s
        case .fc(let a): return a.bias ? "" : "nobias"
        case .dropout(let p): return formatFloat(p)
        case .batchnorm(let eps): return eps == 1e-5 ? "" : "eps \(formatFloat(eps))"
        case .globalavgpool, .flatten, .relu, .relu6, .tanh, .sigmoid, .softmax, .add, .concat: return ""
        }
    }
}

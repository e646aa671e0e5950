// A minimal JSON value and a deterministic printer (keys in the order given, two-space
// indent, short arrays of numbers on one line).

public indirect enum JSON: Equatable {
    case object([(String, JSON)])
    case array([JSON])
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case null

    public static func == (a: JSON, b: JSON) -> Bool { a.rendered() == b.rendered() }

    public func rendered() -> String {
        var out = ""
        write(&out, indent: 0)
        out += "\n"
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .object, .array: return false
        default: return true
        }
    }

    private func write(_ out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent)
        switch self {
        case .object(let fields):
            if fields.isEmpty { out += "{}"; return }
            if fields.count <= 4 && fields.allSatisfy({ $0.1.isScalar }) {
                out += "{" + fields.map { "\(JSON.quote($0.0)): \($0.1.inline)" }.joined(separator: ", ") + "}"
                return
            }
            out += "{\n"
            for (i, (k, v)) in fields.enumerated() {
                out += pad + "  " + JSON.quote(k) + ": "
                v.write(&out, indent: indent + 1)
                out += i == fields.count - 1 ? "\n" : ",\n"
            }
            out += pad + "}"
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy(\.isScalar) {
                out += "[" + items.map(\.inline).joined(separator: ", ") + "]"
                return
            }
            out += "[\n"
            for (i, v) in items.enumerated() {
                out += pad + "  "
                v.write(&out, indent: indent + 1)
                out += i == items.count - 1 ? "\n" : ",\n"
            }
            out += pad + "]"
        default:
            out += inline
        }
    }

    private var inline: String {
        switch self {
        case .string(let s): return JSON.quote(s)
        case .int(let i): return String(i)
        case .double(let d): return d.isFinite ? formatFloat(d) : "null"
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .object, .array:
            var s = ""
            write(&s, indent: 0)
            return s
        }
    }

    static func quote(_ s: String) -> String {
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) { return "\"" + s + "\"" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}

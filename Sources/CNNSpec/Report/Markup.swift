// Escaping for the hand-written SVG, HTML and DOT reports. Names, file paths and warning
// messages may hold <, &, quotes or backslashes; everything user-derived goes through here.

enum Markup {
    /// Text or attribute value in XML/HTML: & < > " ' escaped.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters are not allowed in XML 1.0 text.
                if ch.value < 0x20 && ch != "\n" && ch != "\t" { out += "\u{FFFD}" } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// A DOT double-quoted string (without the quotes): backslash and quote escaped,
    /// newlines as DOT's centred line break.
    static func dot(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: if ch.value < 0x20 { out += " " } else { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// A coordinate with at most one decimal, deterministic and short.
    static func num(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : Format.fixed(Double(tenths) / 10, 1)
    }

    /// Text inside an XML comment: escaped, and `--` (which would end or break it) split.
    static func comment(_ s: String) -> String {
        var out = ""
        for ch in escape(s) {
            if ch == "-" && out.last == "-" { out.append(" ") }
            out.append(ch)
        }
        return out
    }

    /// ` key="value"` pairs, values escaped.
    static func attrs(_ pairs: [(String, String)]) -> String {
        pairs.map { " \($0.0)=\"\(escape($0.1))\"" }.joined()
    }
}

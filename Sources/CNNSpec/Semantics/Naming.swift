// Layer names. Every layer gets a stable, unique, dotted name:
// - `@label` on something that makes one layer names that layer; on something that makes
//   several, it names a module whose layers are named inside it (`layer1.0.conv1`).
// - A call of a parameterized definition is a module, like an nn.Module.
// - Inside a module, an unlabelled child is named by its position, as nn.Sequential does
//   (`features.0`, `features.1`, ...). At the top level, unlabelled layers are counted
//   by kind (`conv1`, `relu1`, `pool1`, `fc1`) and unlabelled modules by definition (`basic1`).

enum Naming {
    /// One entry of a scope after collapsing: a layer or a module with its own entries.
    private indirect enum Entry {
        case layer(Int, label: String?)
        case module(label: String?, definition: String?, entries: [Entry])
    }

    static func assign(root: Scope, layers: inout [Layer], sink: inout DiagnosticSink) {
        let entries = collapse(root.children)
        var taken: [String: Int] = [:]
        name(entries, prefix: "", isRoot: true, layers: &layers, taken: &taken, sink: &sink)
    }

    private static func layerCount(_ entries: [Entry]) -> Int {
        entries.reduce(0) { n, e in
            switch e {
            case .layer: return n + 1
            case .module(_, _, let inner): return n + layerCount(inner)
            }
        }
    }

    /// Flattens scopes that hold no layer or one layer, and lets a labelled scope whose only
    /// child is an unlabelled module take that module's place (`shortcut(c)@downsample`).
    private static func collapse(_ children: [Scope.Child]) -> [Entry] {
        var out: [Entry] = []
        for child in children {
            switch child {
            case .layer(let i):
                out.append(.layer(i, label: nil))
            case .scope(let s):
                var inner = collapse(s.children)
                var definition = s.module
                if s.label != nil, definition == nil, inner.count == 1,
                   case .module(nil, let d, let innermost) = inner[0] {
                    definition = d
                    inner = innermost
                }
                switch layerCount(inner) {
                case 0: continue
                case 1:
                    let only = firstLayer(inner)!
                    out.append(.layer(only.0, label: s.label ?? only.1))
                default:
                    out.append(.module(label: s.label, definition: definition, entries: inner))
                }
            }
        }
        return out
    }

    private static func firstLayer(_ entries: [Entry]) -> (Int, String?)? {
        for e in entries {
            switch e {
            case .layer(let i, let l): return (i, l)
            case .module(_, _, let inner): if let f = firstLayer(inner) { return f }
            }
        }
        return nil
    }

    private static func name(_ entries: [Entry], prefix: String, isRoot: Bool, layers: inout [Layer],
                             taken: inout [String: Int], sink: inout DiagnosticSink) {
        // Names given explicitly at this level are reserved before automatic ones are counted.
        var reserved: Set<String> = []
        for e in entries {
            switch e {
            case .layer(_, let l?), .module(let l?, _, _): reserved.insert(l)
            default: break
            }
        }
        var counters: [String: Int] = [:]
        func auto(_ stem: String) -> String {
            while true {
                counters[stem, default: 0] += 1
                let candidate = stem + String(counters[stem]!)
                if !reserved.contains(candidate) { return candidate }
            }
        }
        for (position, e) in entries.enumerated() {
            switch e {
            case .layer(let i, let label):
                let local = label ?? (isRoot ? auto(layers[i].op.autoNameStem) : String(position))
                let full = prefix + local
                if full.utf8.count > maxFullNameLength {
                    sink.add(Messages.nameTooLong(length: full.utf8.count, limit: maxFullNameLength, at: layers[i].range))
                    return
                }
                if let first = taken[full] {
                    sink.add(Messages.duplicateLayerName(full, at: layers[i].range, first: layers[first].range))
                } else {
                    taken[full] = i
                }
                layers[i].name = full
            case .module(let label, let definition, let inner):
                let local = label ?? (isRoot ? auto(definition ?? "block") : String(position))
                name(inner, prefix: prefix + local + ".", isRoot: false, layers: &layers, taken: &taken, sink: &sink)
            }
        }
    }
}

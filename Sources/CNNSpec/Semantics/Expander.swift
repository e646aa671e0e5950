// The expander: a parsed SpecFile (plus -D overrides) to a Network. It resolves names,
// evaluates numbers and lists, unrolls repetitions, applies `?` switches, expands module
// calls, builds add/concat joins, and names every layer (see Naming.swift). It checks what
// can be checked without shapes; inference checks the rest.

/// Limits that keep absurd specs from hanging or exhausting memory.
public enum Limits {
    /// Layers in one expanded network.
    public static let maxLayers = 100_000
    /// Expansion steps (repetition iterations and expressions visited).
    public static let maxSteps = 2_000_000
    /// Aliases and module calls referring to each other.
    public static let maxCallDepth = 100
    /// Nested evaluation (brackets inside aliases inside modules...), kept well inside the stack.
    public static let maxEvaluationDepth = 1_000
}

/// The evaluation environment of a module body: its parameters, each an unevaluated
/// argument with the environment of its call site.
final class Env {
    let vars: [String: Thunk]
    init(_ vars: [String: Thunk]) { self.vars = vars }
}

struct Thunk {
    let expr: Expr
    let env: Env?
}

/// A node of the naming tree: a labelled group or a module call, with its children in order.
final class Scope {
    enum Child {
        case layer(Int)
        case scope(Scope)
    }
    let label: String?
    /// The module's definition name, for unlabelled module calls.
    let module: String?
    var children: [Child] = []
    init(label: String?, module: String?) { self.label = label; self.module = module }
}

/// A value given on the command line with `-D NAME=VALUE`.
public struct Define: Sendable, Equatable {
    public var name: String
    public var value: Value
    /// A family domain (`-D N=1...5`): the spec is then a family, and `value` is unused.
    public var domain: DomainExpr?
    public init(name: String, value: Value) { self.name = name; self.value = value; self.domain = nil }
    public init(name: String, domain: DomainExpr) { self.name = name; self.value = .list([]); self.domain = domain }
}

struct Expander {
    private struct Binding {
        enum Source { case expr(Expr), constant(Value) }
        var source: Source
        var range: SourceRange?
        var used = false
    }
    private struct Definition {
        var parameters: [(String, SourceRange)]
        var body: Expr
        var range: SourceRange
        var used = false
    }
    private struct Repetition {
        var count: Int
        var index: Int
        var square: Bool
        var range: SourceRange
    }
    /// Aborts the whole expansion (a limit was hit); everything else recovers.
    private struct Abort: Error {}

    private var bindings: [String: Binding] = [:]
    private var definitions: [String: Definition] = [:]
    private var sink = DiagnosticSink()
    private var layers: [Layer] = []
    private var repetitions: [Repetition] = []
    private var scopes: [Scope] = [Scope(label: nil, module: nil)]
    private var calls: [(name: String, range: SourceRange)] = []
    /// Where the current layers come from: every alias use and module call being expanded.
    private var trail: [SourceRange] = []
    private var evaluating: Set<String> = []
    private var steps = 0
    /// Current depth of emit/value recursion.
    private var depth = 0

    /// Runs the expander. Returns the network, or nil with the errors in `diagnostics`.
    static func expand(_ file: SpecFile, defines: [Define]) -> (Network?, [Diagnostic]) {
        var e = Expander()
        let net = e.run(file, defines: defines)
        return (net, e.sink.diagnostics)
    }

    private mutating func run(_ file: SpecFile, defines: [Define]) -> Network? {
        var input: ([Int], SourceRange)?
        var network: Expr?
        for statement in file.statements {
            if sink.isFull { break }
            switch statement {
            case .input(let dims, let r):
                if let (_, first) = input { report(Messages.duplicateInput(at: r, first: first)); continue }
                input = (dims, r)
            case .binding(let name, _, let r), .family(let name, _, let r):
                if let old = bindings[name], let oldRange = old.range {
                    report(Messages.duplicateName(name, at: r, first: oldRange)); continue
                }
                if let d = definitions[name] { report(Messages.duplicateName(name, at: r, first: d.range)); continue }
                // A family variable is always bound by a define here (Pipeline checks a family
                // member by member), so its placeholder is never evaluated.
                var value = Expr.name(name, r)
                if case .binding(_, let v, _) = statement { value = v }
                bindings[name] = Binding(source: .expr(value), range: r)
            case .definition(let name, let params, let body, let r):
                if let old = definitions[name] { report(Messages.duplicateName(name, at: r, first: old.range)); continue }
                if let b = bindings[name], let br = b.range { report(Messages.duplicateName(name, at: r, first: br)); continue }
                if BuiltinKind(rawValue: name) != nil { report(Messages.redefinesBuiltin(name, at: r)); continue }
                var seen: Set<String> = []
                for (p, pr) in params where !seen.insert(p).inserted { report(Messages.duplicateParameter(p, at: pr)) }
                definitions[name] = Definition(parameters: params, body: body, range: r)
            case .require:
                break // checked on the plan (Requirements.swift)
            case .network(let e):
                if let first = network { report(Messages.secondNetworkLine(at: e.range, first: first.range)); continue }
                network = e
            }
        }
        for d in defines {
            let old = bindings[d.name]
            bindings[d.name] = Binding(source: .constant(d.value), range: nil, used: old == nil)
            if let r = old?.range { bindings[d.name]?.range = r }
        }
        let fileStart = SourceRange(SourceLocation(line: 1, column: 1), SourceLocation(line: 1, column: 1))
        guard let (dims, inputRange) = input else { report(Messages.missingInput(at: fileStart)); return nil }
        guard let networkExpr = network else { report(Messages.missingNetwork(at: fileStart)); return nil }
        if dims.count != 3 { report(Messages.badInputDims(dims, at: inputRange)) }
        let shape = dims.count == 3 ? Shape(c: dims[2], h: dims[0], w: dims[1]) : Shape(c: 1, h: 1, w: 1)
        if dims.contains(0) { report(Messages.zeroInput(dims, at: inputRange)) }

        var output = TensorRef.input
        do {
            output = try emit(networkExpr, .input, nil)
        } catch {
            // A limit was hit: the diagnostic is already recorded.
        }
        if sink.hasErrors { return nil }
        if output == .input, layers.isEmpty { report(Messages.emptyNetwork(at: networkExpr.range)); return nil }

        // A name is used when the network line reaches it, directly or through other
        // definitions, whether or not a switch or a zero count leaves it out of this network.
        var reached: Set<String> = []
        var pending = Array(Self.references(networkExpr))
        while let n = pending.popLast() {
            guard reached.insert(n).inserted else { continue }
            if case .expr(let e)? = bindings[n]?.source { pending += Self.references(e) }
            if let d = definitions[n] { pending += Self.references(d.body) }
        }
        for (name, b) in bindings.sorted(by: { $0.key < $1.key }) where !b.used && !reached.contains(name) {
            if let r = b.range { report(Messages.unused(name, at: r)) }
        }
        for (name, d) in definitions.sorted(by: { $0.key < $1.key }) where !d.used && !reached.contains(name) {
            report(Messages.unused(name, at: d.range))
        }

        Naming.assign(root: scopes[0], layers: &layers, sink: &sink)
        if sink.hasErrors { return nil }
        let name = file.path.split(separator: "/").last.map { String($0) }.map { $0.hasSuffix(".cnn") ? String($0.dropLast(4)) : $0 } ?? "network"
        return Network(name: name, input: shape, inputRange: inputRange, layers: layers, output: output)
    }

    /// Whether `NAME?` can be written as a binding: NAME is an identifier.
    static func isBindable(_ switchName: String) -> Bool {
        let name = switchName.dropLast()
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// Every name an expression mentions, including the switches of its `?` layers.
    static func references(_ e: Expr) -> [String] {
        switch e {
        case .integer, .float, .size: return []
        case .name(let n, _): return [n]
        case .call(let n, let args, _, _): return [n] + args.flatMap { references($0.value) }
        case .chain(let items, _), .branches(let items, _), .list(let items, _), .tuple(let items, _):
            return items.flatMap(references)
        case .group(let inner, _, _), .labeled(let inner, _, _): return references(inner)
        case .star(let a, let b, _), .slash(let a, let b, _): return references(a) + references(b)
        case .optional(let inner, _): return references(inner) + (switchName(inner).map { [$0] } ?? [])
        }
    }

    /// One level deeper into the expression being expanded; the total is bounded so that
    /// brackets inside aliases inside modules cannot exhaust the stack.
    private mutating func enter(_ r: SourceRange) throws {
        depth += 1
        if depth > Limits.maxEvaluationDepth {
            depth -= 1
            report(Messages.nestingTooDeep(limit: Limits.maxEvaluationDepth, at: r))
            throw Abort()
        }
    }

    /// Aliases, value bindings and module calls that refer to each other nest at most
    /// `Limits.maxCallDepth` deep (deeper would exhaust the stack).
    private mutating func checkDepth(_ r: SourceRange) throws {
        if trail.count + evaluating.count >= Limits.maxCallDepth {
            report(Messages.callsTooDeep(limit: Limits.maxCallDepth, at: r))
            throw Abort()
        }
    }

    /// Records a diagnostic; one raised inside an alias or module also points at the uses
    /// that expanded it, innermost first.
    private mutating func report(_ d: Diagnostic) {
        var d = d
        let uses = trail.reversed().prefix(3).enumerated()
        d.notes.insert(contentsOf: uses.map { i, r in Diagnostic.Note(i == 0 ? "expanded from here" : "which is expanded from here", at: r) }, at: 0)
        sink.add(d)
    }

    // MARK: budget

    private mutating func step(_ r: SourceRange) throws {
        if sink.isFull { throw Abort() }
        steps += 1
        if steps > Limits.maxSteps {
            report(Messages.expansionTooLarge(steps: Limits.maxSteps, at: repetitions.last?.range ?? r))
            throw Abort()
        }
    }

    // MARK: layers

    /// Appends one layer to the graph and to the current naming scope.
    private mutating func append(_ op: Op, _ inputs: [TensorRef], _ r: SourceRange) throws -> TensorRef {
        if layers.count >= Limits.maxLayers {
            report(Messages.tooManyLayers(limit: Limits.maxLayers, at: repetitions.first?.range ?? r))
            throw Abort()
        }
        layers.append(Layer(name: "", op: op, inputs: inputs, range: r, expandedFrom: trail))
        scopes[scopes.count - 1].children.append(.layer(layers.count - 1))
        return .layer(layers.count - 1)
    }

    /// Emits the layers of a layer expression reading from `x`; returns what the expression outputs.
    private mutating func emit(_ e: Expr, _ x: TensorRef, _ env: Env?) throws -> TensorRef {
        try step(e.range)
        try enter(e.range)
        defer { depth -= 1 }
        switch e {
        case .integer, .float, .size, .list, .tuple, .slash:
            report(Messages.expectedLayer(found: e, at: e.range))
            return x
        case .name(let name, let r):
            return try emitName(name, r, x, env)
        case .call(let name, let args, let r, let nameRange):
            return try emitCall(name, args, r, nameRange, x, env, label: nil)
        case .chain(let items, _):
            var y = x
            for item in items { y = try emit(item, y, env) }
            return y
        case .branches(_, let r):
            report(Messages.branchesOutsideJoin(at: r))
            return x
        case .group(let inner, _, _):
            return try emit(inner, x, env)
        case .star(let body, let countExpr, let r):
            guard let count = try intValue(countExpr, env, what: "a repetition count") else { return x }
            if count < 0 { report(Messages.negativeCount(count, at: countExpr.range)); return x }
            var square = false
            if case .group(_, true, _) = body { square = true }
            var y = x
            for i in 0..<count {
                try step(r)
                let errorsBefore = sink.errorCount
                repetitions.append(Repetition(count: count, index: i, square: square, range: r))
                defer { repetitions.removeLast() }
                y = try emit(body, y, env)
                // An error in one iteration would only repeat in the others.
                if sink.errorCount > errorsBefore { break }
            }
            return y
        case .optional(let body, let r):
            guard let switchName = Self.switchName(body) else { report(Messages.unnamedOptional(at: r)); return x }
            guard Self.isBindable(switchName) else { report(Messages.switchNotBindable(switchName, at: r)); return x }
            return try isOn(switchName, at: r, env) ? emit(body, x, env) : x
        case .labeled(let body, let label, let r):
            guard let name = resolveLabel(label, r) else { return x }
            let scope = Scope(label: name, module: nil)
            scopes[scopes.count - 1].children.append(.scope(scope))
            scopes.append(scope)
            defer { scopes.removeLast() }
            return try emit(body, x, env)
        }
    }

    /// `NAME?` is switched by the binding `NAME?`: the name of a definition or alias, a
    /// layer kind, or a label.
    private static func switchName(_ e: Expr) -> String? {
        switch e {
        case .name(let n, _), .call(let n, _, _, _): return n + "?"
        case .labeled(_, let l, _): return l.filter { $0 != "%" } + "?"
        default: return nil
        }
    }

    private mutating func isOn(_ switchName: String, at r: SourceRange, _ env: Env?) throws -> Bool {
        guard bindings[switchName] != nil else { return true }
        guard let v = try scalar(try lookupBinding(switchName, r), at: r) else { return true }
        switch v {
        case .word("on"), .word("yes"), .word("true"), .int(1): return true
        case .word("off"), .word("no"), .word("false"), .int(0): return false
        default:
            report(Messages.badSwitch(switchName, v, at: bindings[switchName]?.range ?? r))
            return true
        }
    }

    /// Replaces `%` in a label by the 1-based index of the innermost repetition.
    private mutating func resolveLabel(_ label: String, _ r: SourceRange) -> String? {
        guard label.contains("%") else { return label }
        guard let rep = repetitions.last else { report(Messages.percentOutsideRepetition(at: r)); return nil }
        return label.split(separator: "%", omittingEmptySubsequences: false).joined(separator: String(rep.index + 1))
    }

    private mutating func emitName(_ name: String, _ r: SourceRange, _ x: TensorRef, _ env: Env?) throws -> TensorRef {
        if let t = env?.vars[name] { return try emit(t.expr, x, t.env) }
        if bindings[name] != nil {
            bindings[name]!.used = true
            switch bindings[name]!.source {
            case .constant(let v):
                report(Messages.notALayer(name, v, at: r))
                return x
            case .expr(let body):
                if case .layerless = Self.classify(body) {
                    report(Messages.notALayer(name, nil, at: r))
                    return x
                }
                if evaluating.contains(name) { report(Messages.recursive(name, at: r)); return x }
                try checkDepth(r)
                evaluating.insert(name)
                trail.append(r)
                defer { evaluating.remove(name); trail.removeLast() }
                return try emit(body, x, nil)
            }
        }
        if let d = definitions[name] {
            if d.parameters.isEmpty { return try emitModule(name, [], r, x, env, label: nil) }
            report(Messages.moduleNeedsArguments(name, d.parameters.map(\.0), at: r))
            return x
        }
        if name == "id" { return x }
        if let kind = BuiltinKind.lookup(name) {
            return try emitBuiltin(kind, [], r, x, env)
        }
        report(Messages.undefined(name, at: r, candidates: candidates(env)))
        return x
    }

    private enum Classification { case layerless, layers }
    /// Whether a binding's body is plainly a value (number, list...) rather than layers.
    private static func classify(_ e: Expr) -> Classification {
        switch e {
        case .integer, .float, .size, .list, .tuple, .slash: return .layerless
        case .star(let a, _, _): return classify(a)
        case .group(let inner, _, _): return classify(inner)
        default: return .layers
        }
    }

    private func candidates(_ env: Env?) -> [String] {
        Array(bindings.keys) + Array(definitions.keys) + BuiltinKind.allCases.map(\.rawValue) + ["id"] + (env.map { Array($0.vars.keys) } ?? [])
    }

    private mutating func emitCall(_ name: String, _ args: [Argument], _ r: SourceRange, _ nameRange: SourceRange,
                                   _ x: TensorRef, _ env: Env?, label: String?) throws -> TensorRef {
        if definitions[name] != nil { return try emitModule(name, args, r, x, env, label: label) }
        if env?.vars[name] != nil || bindings[name] != nil {
            report(Messages.notCallable(name, at: nameRange))
            return x
        }
        if let kind = BuiltinKind(rawValue: name) { return try emitBuiltin(kind, args, r, x, env) }
        report(Messages.undefined(name, at: nameRange, candidates: Array(definitions.keys) + BuiltinKind.allCases.map(\.rawValue)))
        return x
    }

    /// A call of a parameterized definition: a module. Its layers are named inside it.
    private mutating func emitModule(_ name: String, _ args: [Argument], _ r: SourceRange,
                                     _ x: TensorRef, _ env: Env?, label: String?) throws -> TensorRef {
        definitions[name]!.used = true
        let d = definitions[name]!
        if calls.contains(where: { $0.name == name }) { report(Messages.recursive(name, at: r)); return x }
        try checkDepth(r)
        var vars: [String: Thunk] = [:]
        var positional = 0
        for a in args {
            if let l = a.label {
                guard d.parameters.contains(where: { $0.0 == l }) else {
                    report(Messages.unknownAttribute(l, of: name, at: a.labelRange ?? r, candidates: d.parameters.map(\.0)))
                    continue
                }
                if vars[l] != nil { report(Messages.duplicateAttribute(l, at: a.labelRange ?? r)); continue }
                vars[l] = Thunk(expr: a.value, env: env)
            } else {
                guard positional < d.parameters.count else {
                    report(Messages.wrongArgumentCount(name, d.parameters.map(\.0), found: args.count, at: a.value.range))
                    return x
                }
                vars[d.parameters[positional].0] = Thunk(expr: a.value, env: env)
                positional += 1
            }
        }
        let missing = d.parameters.map(\.0).filter { vars[$0] == nil }
        if !missing.isEmpty {
            report(Messages.missingArguments(name, missing, at: r))
            return x
        }
        let scope = Scope(label: label, module: name)
        scopes[scopes.count - 1].children.append(.scope(scope))
        scopes.append(scope)
        calls.append((name, r))
        trail.append(r)
        defer { scopes.removeLast(); calls.removeLast(); trail.removeLast() }
        return try emit(d.body, x, Env(vars))
    }

    private mutating func emitBuiltin(_ kind: BuiltinKind, _ args: [Argument], _ r: SourceRange,
                                      _ x: TensorRef, _ env: Env?) throws -> TensorRef {
        if kind == .add || kind == .concat { return try emitJoin(kind, args, r, x, env) }
        var values: [String: (Value, SourceRange)] = [:]
        var positional = 0
        var failed = false
        for a in args {
            if sink.isFull { break }
            let name: String
            if let l = a.label {
                guard kind.attributes.contains(l) else {
                    report(Messages.unknownAttribute(l, of: kind.rawValue, at: a.labelRange ?? r, candidates: kind.attributes))
                    failed = true
                    continue
                }
                name = l
            } else {
                guard positional < kind.positional.count else {
                    report(Messages.tooManyPositional(kind, at: a.value.range))
                    failed = true
                    continue
                }
                name = kind.positional[positional]
                positional += 1
            }
            if values[name] != nil { report(Messages.duplicateAttribute(name, at: a.labelRange ?? a.value.range)); failed = true; continue }
            guard let v = try scalar(try value(a.value, env), at: a.value.range) else { failed = true; continue }
            values[name] = (v, a.value.range)
        }
        let missing = kind.required.filter { values[$0] == nil }
        if !missing.isEmpty {
            if !failed { report(Messages.missingAttributes(kind, missing, at: r)) }
            return x
        }
        var reader = AttributeReader(kind: kind, values: values)
        let op = reader.op()
        sink.add(contentsOf: reader.diagnostics)
        if failed || !reader.diagnostics.isEmpty { return x }
        return try append(op, [x], r)
    }

    /// `add(a | b)` and `concat(a | b | ...)`: every branch reads `x`; the join reads every branch.
    private mutating func emitJoin(_ kind: BuiltinKind, _ args: [Argument], _ r: SourceRange,
                                   _ x: TensorRef, _ env: Env?) throws -> TensorRef {
        guard args.count == 1, args[0].label == nil else {
            report(Messages.joinNeedsBranches(kind.rawValue, at: r))
            return x
        }
        var branches: [Expr]
        if case .branches(let items, _) = args[0].value { branches = items } else { branches = [args[0].value] }
        if branches.count < 2 {
            report(Messages.joinNeedsBranches(kind.rawValue, at: r))
            return x
        }
        var outs: [TensorRef] = []
        for b in branches { outs.append(try emit(b, x, env)) }
        return try append(kind == .add ? .add : .concat, outs, r)
    }

    // MARK: values

    private mutating func lookupBinding(_ name: String, _ r: SourceRange) throws -> Value? {
        bindings[name]!.used = true
        switch bindings[name]!.source {
        case .constant(let v): return v
        case .expr(let e):
            if evaluating.contains(name) { report(Messages.recursive(name, at: r)); return nil }
            try checkDepth(r)
            evaluating.insert(name)
            defer { evaluating.remove(name) }
            return try value(e, nil)
        }
    }

    /// Evaluates a value expression (numbers, sizes, words, tuples, lists). Nil after an error.
    private mutating func value(_ e: Expr, _ env: Env?) throws -> Value? {
        try step(e.range)
        try enter(e.range)
        defer { depth -= 1 }
        switch e {
        case .integer(let v, _): return .int(v)
        case .float(let v, _): return .float(v)
        case .size(let v, _): return .size(v)
        case .name(let n, let r):
            if let t = env?.vars[n] { return try value(t.expr, t.env) }
            if bindings[n] != nil { return try lookupBinding(n, r) }
            if definitions[n] != nil || BuiltinKind.lookup(n) != nil {
                report(Messages.expectedValue(found: "the layer '\(n)'", at: r))
                return nil
            }
            return .word(n)
        case .group(let inner, _, _): return try value(inner, env)
        case .list(let items, _):
            var out: [Value] = []
            for item in items {
                guard let v = try value(item, env) else { return nil }
                if case .list = v { report(Messages.nestedList(at: item.range)); return nil }
                out.append(v)
            }
            return .list(out)
        case .tuple(let items, _):
            var out: [Value] = []
            for item in items {
                guard let v = try value(item, env), let s = try scalar(v, at: item.range) else { return nil }
                out.append(s)
            }
            return .tuple(out)
        case .star(let a, let b, let r), .slash(let a, let b, let r):
            let isProduct: Bool
            if case .star = e { isProduct = true } else { isProduct = false }
            guard let va = try value(a, env), let x = try scalar(va, at: a.range),
                  let vb = try value(b, env), let y = try scalar(vb, at: b.range) else { return nil }
            return arithmetic(x, y, product: isProduct, r)
        case .call(let n, _, let r, _):
            report(Messages.expectedValue(found: "the layer '\(n)(...)'", at: r))
            return nil
        case .chain(_, let r), .branches(_, let r), .optional(_, let r), .labeled(_, _, let r):
            report(Messages.expectedValue(found: "layers", at: r))
            return nil
        }
    }

    private mutating func arithmetic(_ x: Value, _ y: Value, product: Bool, _ r: SourceRange) -> Value? {
        switch (x, y) {
        case (.int(let a), .int(let b)):
            if product {
                let (p, overflow) = a.multipliedReportingOverflow(by: b)
                if overflow || p > maxLiteral || p < -maxLiteral { report(Messages.arithmeticOverflow("\(a) * \(b)", at: r)); return nil }
                return .int(p)
            }
            if b == 0 { report(Messages.divisionByZero(at: r)); return nil }
            if a % b != 0 { report(Messages.inexactDivision(a, b, at: r)); return nil }
            return .int(a / b)
        case (.int, .float), (.float, .int), (.float, .float):
            let a = x.asDouble!, b = y.asDouble!
            if !product && b == 0 { report(Messages.divisionByZero(at: r)); return nil }
            return .float(product ? a * b : a / b)
        default:
            report(Messages.badArithmetic(x, y, product: product, at: r))
            return nil
        }
    }

    /// A single value where one is needed: a list steps with the innermost `[ ]*n` repetition.
    private mutating func scalar(_ v: Value?, at r: SourceRange) throws -> Value? {
        guard let v else { return nil }
        guard case .list(let items) = v else { return v }
        guard let rep = repetitions.last(where: { $0.square }) else {
            if items.count == 1 { return items[0] }
            report(Messages.listOutsideRepetition(v, at: r))
            return nil
        }
        guard items.count == rep.count else {
            report(Messages.listLengthMismatch(v, count: rep.count, at: r, repetition: rep.range))
            return nil
        }
        return items[rep.index]
    }

    private mutating func intValue(_ e: Expr, _ env: Env?, what: String) throws -> Int? {
        guard let v = try scalar(try value(e, env), at: e.range) else { return nil }
        switch v {
        case .int(let i): return i
        case .word(let w): report(Messages.unbound(w, at: e.range, candidates: Array(bindings.keys)))
        default: report(Messages.expectedInteger(what, found: v, at: e.range))
        }
        return nil
    }
}

extension Value {
    var asDouble: Double? {
        switch self {
        case .int(let i): return Double(i)
        case .float(let f): return f
        default: return nil
        }
    }
}

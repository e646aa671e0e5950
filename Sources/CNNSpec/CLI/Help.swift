// Help texts in the OVERVIEW / USAGE / OPTIONS shape.

enum Help {
    static func text(_ topic: String?) -> String? {
        switch topic {
        case nil: return main
        case "check": return check
        case "report": return report
        case "explain": return explain
        case "fmt": return fmt
        case "instantiate": return instantiate
        case "gen": return gen
        case "build": return build
        default: return nil
        }
    }

    static let main = """
    OVERVIEW: cnnspec checks convolutional network specs and reports every layer's size and cost

    USAGE: cnnspec <command> [options]

    COMMANDS:
      check FILE [-D NAME=VALUE]...          validate a spec; print the per-layer table
      report FILE [--format F] [-o PATH]     write the report as text, json, markdown, csv,
                                             html (diagram, charts, table), svg or dot
      explain FILE [LAYER]...                show every layer's numbers as worked arithmetic
      fmt FILE [--check | -w]                print the spec in the canonical layout
      gen FILE... -o DIR [--name T]          write Swift inference code for a spec (DIR/T.swift)
      build FILE -o EXE                      compile that code into a standalone command
      instantiate FILE -D NAME=VALUE...      print one member of a family as a concrete spec

    OPTIONS:
      -h, --help                             show help (also: cnnspec help <command>)
      --version                              show the version

    EXIT CODES: 0 valid, 1 not formatted (fmt --check), 64 usage error, 65 invalid spec,
    70 internal error
    See docs/LANGUAGE.md for the .cnn language.

    """

    static let defineOption = """
      -D NAME=VALUE, --define NAME=VALUE     set or override a binding of the spec: -D N=3,
                                             -D 'C=[32, 64, 128]', a switch: -D POOL?=off;
                                             a range or set makes a family: -D N=1...5,
                                             -D 'K={0, 2}', -D 'POOL?=[{on, off}]*M'
    """

    static let familyOptions = """
      --top N                                a family: list the N best valid members
      --by params|macs|flops|rf|memory       what --top orders by (default macs; smallest
                                             first, rf largest first)
    """

    static let check = """
    OVERVIEW: validate a spec and print its per-layer table

    USAGE: cnnspec check FILE [-D NAME=VALUE]... [--format text|json] [--top N [--by METRIC]]

    Prints the summary and the table on stdout; errors and warnings go to stderr as
    file:line:col diagnostics. Exits 0 when the spec is valid (warnings allowed), 65 when
    it is not, 64 on a usage error.

    A family (a spec or -D with ranges such as N = 1...5, docs/LANGUAGE.md "Families") is
    checked member by member: the member count, how many are valid, when they are valid,
    each distinct failure on one member, and the range of params, MACs, receptive field and
    peak memory over the valid members. Exits 0 when some member is valid, 65 when none is.

    OPTIONS:
    \(defineOption)
      -f, --format text|json                 text (default); json: the report (schema 1), or for
                                             a family the family document (docs/REPORT.md)
    \(familyOptions)
      -h, --help                             show this help

    """

    static let report = """
    OVERVIEW: write the report of a valid spec

    USAGE: cnnspec report FILE [-D NAME=VALUE]... [--format text|json|markdown|csv|html|svg|dot] [-o PATH]

    OPTIONS:
      -f, --format F                         text (default), json (schema 1, see docs/REPORT.md),
                                             markdown, csv (one row per layer),
                                             html (one self-contained page: the diagram, charts,
                                             the sortable table, warnings beside their layers),
                                             svg (the diagram alone) or dot (Graphviz text)
      -o, --output PATH                      write to PATH instead of stdout (- is stdout)
    \(defineOption)
    \(familyOptions)
      -h, --help                             show this help

    A family's report is text (as check prints it) or json (the family document).

    """

    static let instantiate = """
    OVERVIEW: print a spec with -D values written in: one member of a family as a concrete spec

    USAGE: cnnspec instantiate FILE -D NAME=VALUE... [-o PATH]

    Every family variable must get one value. The spec is printed as written, with the
    bound statements replaced (and unbound names added after the input line), so other
    commands accept it. Exits 0, or 65 (with the diagnostics) when the member is invalid.

    OPTIONS:
      -D NAME=VALUE, --define NAME=VALUE     the value of a variable or switch: -D N=3,
                                             -D 'POOL?=[on, off, on]'
      -o, --output PATH                      write to PATH instead of stdout (- is stdout)
      -h, --help                             show this help

    """

    static let explain = """
    OVERVIEW: show every number of every layer as worked arithmetic, in the lectures' notation

    USAGE: cnnspec explain FILE [LAYER]... [-D NAME=VALUE]... [--format text|markdown]

    For each layer (or each LAYER named; a scope such as layer1 names every layer in it):
    output height and width `(32 - 5 + 2*2)/1 + 1 = 32`, parameters `5*5*3 + 1 = 76 weights
    per filter, 76*10 = 760`, MACs, FLOPs, the receptive field recurrence
    `r = r_in + (k-1)*j_in`, effective stride and padding, and memory; for add and concat the
    shape rule; then the totals when every layer is explained. A layer whose size does not
    work out ends in its error and a way out.
    Exits 0 when the spec is valid, 65 when it is not (the layers before the failure are
    still explained), 64 on a usage error (such as a LAYER the network does not have).

    OPTIONS:
      -f, --format F                         text (default) or markdown (for course notes)
    \(defineOption)
      -h, --help                             show this help

    """

    static let fmt = """
    OVERVIEW: print a spec in the canonical layout

    USAGE: cnnspec fmt FILE [--check | -w]
           cnnspec fmt FILE... --check
           cnnspec fmt FILE... -w

    Normalizes spacing and indentation, orders a built-in layer's named attributes as its
    usage line does, aligns the = of consecutive bindings and runs of end-of-line comments,
    and keeps every comment and the line breaks between items. The network never changes.
    Rules: docs/FORMAT.md.

    OPTIONS:
      --check                                change nothing; exit 1 if a file is not formatted
      -w, --write                            rewrite the files in place (only those that change)
      -h, --help                             show this help

    EXIT CODES: 0 formatted (or printed), 1 not formatted (--check), 64 usage error,
    65 the spec does not parse, 70 internal error

    """

    static let gen = """
    OVERVIEW: generate Swift inference code for a spec

    USAGE: cnnspec gen FILE... -o DIR [--name TypeName] [-D NAME=VALUE]... [--index] [--shared-runtime]

    Writes DIR/TypeName.swift (DIR is created if missing): a self-contained file (standard
    library, the C library, Dispatch and Synchronization only) with a final class TypeName
    whose shapes are constants, which loads a PyTorch state_dict from safetensors and runs
    batches with a kernel chosen per layer (SIMD register tiles; `threads` splits big
    layers). Compile it with -Xcc -march=native (or another flag enabling FMA): without one,
    SIMD fused multiply-adds become library calls. The type name defaults to the file name
    in UpperCamelCase (vgg16_bn.cnn -> Vgg16Bn). The API is in
    README.md ("Generated code").

    OPTIONS:
      -o, --output DIR                       the directory to write into (required)
      --name TypeName                        the Swift type's name (one spec only)
      --index                                also write DIR/GeneratedModels.swift, a table of
                                             the generated models (used by the test suite)
      --shared-runtime                       write the threads, kernels and reference code once,
                                             to DIR/CNNSpecRuntime.swift, instead of into every
                                             model file: the files then compile only together,
                                             in one module, and much faster (generated/ is so)
    \(defineOption)
      -h, --help                             show this help

    """

    static let build = """
    OVERVIEW: compile a spec into a standalone command-line program

    USAGE: cnnspec build FILE -o EXE [--name TypeName] [-D NAME=VALUE]... [--swiftc PATH] [-Xswiftc FLAG]...

    Generates the model's Swift, the runtime it names (its kernels in a file of their own)
    and a main file into a temporary directory and compiles them with swiftc -O -wmo
    -Xcc -march=native (optimized for this machine) -num-threads N (N: the CPUs, at most 4).
    The program:
      EXE [--weights W.safetensors] --input X.safetensors [--output Y.safetensors] [--threads N] [--vectors 8|16]
      EXE [--weights W.safetensors] --bench [--iterations N] [--warm-up MS] [--batch N] [--threads N] [--vectors 8|16] [--layers]
      EXE [--weights W.safetensors] --self-test [--seed S] [--vectors 8|16]
    (tensors named 'input' and 'output'; without --weights, seeded random weights; EXE --help).

    OPTIONS:
      -o, --output EXE                       the program to write (required)
      --name TypeName                        the Swift type's name
      --swiftc PATH                          the compiler (default: swiftc on the PATH)
      -Xswiftc FLAG                          pass FLAG to swiftc (repeatable)
    \(defineOption)
      -h, --help                             show this help

    Exits 70 when the compiler fails or cannot be run.

    """
}

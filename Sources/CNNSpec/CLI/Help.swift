// Help texts in the OVERVIEW / USAGE / OPTIONS shape.

enum Help {
    static func text(_ topic: String?) -> String? {
        switch topic {
        case nil: return main
        case "check": return check
        case "report": return report
        case "explain": return explain
        case "fmt": return fmt
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

    OPTIONS:
      -h, --help                             show help (also: cnnspec help <command>)
      --version                              show the version

    EXIT CODES: 0 valid, 1 not formatted (fmt --check), 64 usage error, 65 invalid spec,
    70 internal error
    See docs/LANGUAGE.md for the .cnn language.

    """

    static let defineOption = """
      -D NAME=VALUE, --define NAME=VALUE     set or override a binding of the spec: -D N=3,
                                             -D 'C=[32, 64, 128]', a switch: -D POOL?=off
    """

    static let check = """
    OVERVIEW: validate a spec and print its per-layer table

    USAGE: cnnspec check FILE [-D NAME=VALUE]...

    Prints the summary and the table on stdout; errors and warnings go to stderr as
    file:line:col diagnostics. Exits 0 when the spec is valid (warnings allowed), 65 when
    it is not, 64 on a usage error.

    OPTIONS:
    \(defineOption)
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
}

// Help texts in the OVERVIEW / USAGE / OPTIONS shape.

enum Help {
    static func text(_ topic: String?) -> String? {
        switch topic {
        case nil: return main
        case "check": return check
        case "report": return report
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

    OPTIONS:
      -h, --help                             show help (also: cnnspec help <command>)
      --version                              show the version

    EXIT CODES: 0 valid, 64 usage error, 65 invalid spec, 70 internal error
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
}

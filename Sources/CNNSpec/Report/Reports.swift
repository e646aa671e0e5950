// Report formats: one entry point, one renderer per format, all reading the same plan.

public enum Reports {
    public static func render(_ plan: Plan, format: ReportFormat) -> String {
        switch format {
        case .text: return TextReport.render(plan)
        case .json: return JSONReport.render(plan)
        case .markdown: return MarkdownReport.render(plan)
        case .csv: return CSVReport.render(plan)
        case .html: return HTMLReport.render(plan)
        case .svg: return SVGPrinter.render(DiagramLayout.standalone(plan, Diagram(plan)), attrs: [("data-network", plan.name)], standalone: true)
        case .dot: return DOTReport.render(plan)
        }
    }
}

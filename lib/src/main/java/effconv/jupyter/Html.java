package effconv.jupyter;

import effconv.report.Tables;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Tables as HTML for notebook output: numbers right-aligned, printed as their text view prints them. */
public final class Html {
    private Html() {
    }

    private static final String PLOTLY_LOADER = loader();

    private static String loader() {
        try (var in = Html.class.getResourceAsStream("plotly-loader.js")) {
            return new String(java.util.Objects.requireNonNull(in, "plotly-loader.js").readAllBytes(),
                    java.nio.charset.StandardCharsets.UTF_8).strip();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Charts as HTML: their picture in a box (what shows where scripts do not run — a saved notebook on GitHub, an
     * untrusted notebook) and a script that replaces the picture by the interactive plotly.js figures in
     * JupyterLab, side by side under the title when there are several.
     *
     * @param title the title above panels side by side, or null for one figure
     * @param figuresJson a JSON array of plotly figures, already safe inside a script element
     * @param alt the picture's text for screen readers (the chart's title)
     */
    public static String chart(String title, String figuresJson, String pngBase64, int width, String alt) {
        String row = title == null ? "null" : effconv.plot.FigureJson.write(
                com.fasterxml.jackson.databind.node.TextNode.valueOf(title));
        return "<div class=\"effconv-chart\" style=\"max-width:100%\"><img src=\"data:image/png;base64," + pngBase64
                + "\" width=\"" + width + "\" alt=\"" + attr(alt) + "\"></div>\n"
                + "<script type=\"text/javascript\">\n" + PLOTLY_LOADER + "(" + figuresJson + ", " + row + ");\n</script>";
    }

    public static String table(Table t) {
        StringBuilder sb = new StringBuilder("<table class=\"effconv\">\n");
        if (t.name() != null && !t.name().isBlank()) {
            sb.append("<caption style=\"text-align:left;font-weight:bold\">").append(esc(t.name()))
                    .append("</caption>\n");
        }
        sb.append("<thead><tr>");
        for (Column<?> c : t.columns()) {
            sb.append("<th>").append(esc(c.name())).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (int r = 0; r < t.rowCount(); r++) {
            sb.append("<tr>");
            for (Column<?> c : t.columns()) {
                boolean num = c instanceof NumericColumn<?>;
                sb.append(num ? "<td style=\"text-align:right\">" : "<td style=\"text-align:left\">")
                        .append(esc(Tables.cell(c, r))).append("</td>");
            }
            sb.append("</tr>\n");
        }
        return sb.append("</tbody>\n</table>\n").toString();
    }

    static String attr(String s) {
        return esc(s).replace("\"", "&quot;");
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}

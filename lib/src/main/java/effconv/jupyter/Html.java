package effconv.jupyter;

import effconv.report.Tables;
import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** Tables as HTML for notebook output: numbers right-aligned, printed as their text view prints them. */
public final class Html {
    private Html() {
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

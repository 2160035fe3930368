package effconv.report;

import effconv.layers.Format;
import java.util.ArrayList;
import java.util.List;

import tech.tablesaw.api.NumericColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** A table's cells and its text view, printed by {@link Format} — the HTML view prints the same cells. */
public final class Tables {
    private Tables() {
    }

    /** One cell of a table as both of its views print it: counts with commas, decimals to four digits. */
    public static String cell(Column<?> c, int row) {
        if (c.isMissing(row)) {
            return "";
        }
        Object v = c.get(row);
        if (v instanceof Long || v instanceof Integer || v instanceof Short) {
            return Format.count(((Number) v).longValue());
        }
        if (v instanceof Double || v instanceof Float) {
            return Format.significant(((Number) v).doubleValue());
        }
        if (v instanceof Boolean b) {
            return b ? "✓" : "✗";
        }
        return c.getString(row);
    }

    /** A table as plain text (the notebook's text view, a terminal): its name, then aligned columns. */
    public static String text(Table t) {
        List<Column<?>> cols = t.columns();
        List<String[]> cells = new ArrayList<>();
        int[] width = new int[cols.size()];
        String[] header = new String[cols.size()];
        for (int c = 0; c < cols.size(); c++) {
            header[c] = cols.get(c).name();
            width[c] = header[c].length();
        }
        for (int r = 0; r < t.rowCount(); r++) {
            String[] line = new String[cols.size()];
            for (int c = 0; c < cols.size(); c++) {
                line[c] = cell(cols.get(c), r);
                width[c] = Math.max(width[c], line[c].length());
            }
            cells.add(line);
        }
        StringBuilder sb = new StringBuilder();
        if (t.name() != null && !t.name().isBlank()) {
            sb.append(t.name()).append('\n');
        }
        appendLine(sb, header, width, cols);
        for (int c = 0; c < cols.size(); c++) {
            sb.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        sb.append('\n');
        for (String[] line : cells) {
            appendLine(sb, line, width, cols);
        }
        return sb.toString();
    }

    private static void appendLine(StringBuilder sb, String[] line, int[] width, List<Column<?>> cols) {
        StringBuilder row = new StringBuilder();
        for (int c = 0; c < line.length; c++) {
            String pad = " ".repeat(width[c] - line[c].length());
            // numbers right-aligned, as the HTML view aligns them
            row.append(c == 0 ? "" : "  ").append(cols.get(c) instanceof NumericColumn<?> ? pad + line[c] : line[c] + pad);
        }
        sb.append(row.toString().stripTrailing()).append('\n');
    }
}

package effconv;

import java.util.List;
import java.util.Map;

import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** Published figures beside computed ones, digit by digit. */
public final class Compare {
    private Compare() {
    }

    /**
     * Joins published rows (columns {@code figure} and {@code published}) with the computed figures of the same
     * names. The result has columns figure, published, computed and equal, keeping the published table's
     * {@code experiment} column in front and its {@code source} and {@code note} columns behind, where it has them.
     */
    public static Table figures(Table published, Map<String, String> computed) {
        Check.notNull("published", published);
        Check.notNull("computed", computed);
        List<String> names = requireFigureColumns(published);
        StringColumn comp = StringColumn.create("computed");
        BooleanColumn equal = BooleanColumn.create("equal");
        for (int i = 0; i < published.rowCount(); i++) {
            String p = published.getString(i, "published");
            String c = computed.getOrDefault(published.getString(i, "figure"), "(not computed)");
            comp.append(c);
            equal.append(p.equals(c));
        }
        Table out = Table.create(published.name());
        for (String front : List.of("experiment", "figure", "published")) {
            if (names.contains(front)) {
                out.addColumns(published.column(front).copy());
            }
        }
        out.addColumns(comp, equal);
        for (String back : List.of("note", "source")) {
            if (names.contains(back)) {
                out.addColumns(published.column(back).copy());
            }
        }
        return out;
    }

    /**
     * Published numbers beside computed ones, each computed value printed the way the source printed its figure
     * (same decimals, thousands commas, a % sign) so "equal" means equal as printed. {@code compute} gives the
     * value for a published row, or null where it cannot be computed (an accuracy). Columns: the published
     * table's key columns, figure, published, computed, difference (computed − published), equal, note, source.
     */
    public static Table numbers(Table published, java.util.function.Function<tech.tablesaw.api.Row, Double> compute) {
        Check.notNull("published", published);
        Check.notNull("compute", compute);
        List<String> names = requireFigureColumns(published);
        StringColumn comp = StringColumn.create("computed");
        tech.tablesaw.api.DoubleColumn diff = tech.tablesaw.api.DoubleColumn.create("difference");
        BooleanColumn equal = BooleanColumn.create("equal");
        for (tech.tablesaw.api.Row row : published) {
            String p = row.getString("published");
            Double v = compute.apply(row);
            if (v == null) {
                comp.append("—");
                diff.appendMissing();
                equal.appendMissing();
                continue;
            }
            String c = printedLike(p, v);
            comp.append(c);
            diff.append(v - parse(p));
            equal.append(c.equals(p));
        }
        Table out = Table.create(published.name());
        for (String c : names) {
            if (!List.of("published", "note", "source").contains(c)) {
                out.addColumns(published.column(c).copy());
            }
        }
        out.addColumns(published.column("published").copy(), comp, diff, equal);
        for (String back : List.of("note", "source")) {
            if (names.contains(back)) {
                out.addColumns(published.column(back).copy());
            }
        }
        return out;
    }

    /** The published figure as a number: "62,378,344" → 62378344, "70.6%" → 70.6. */
    static double parse(String printed) {
        try {
            return Double.parseDouble(printed.replace(",", "").replace("%", "").trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("published = \"" + printed + "\" is not allowed here: not a number");
        }
    }

    /** {@code v} printed with the decimals, commas and % sign of {@code printed}. */
    static String printedLike(String printed, double v) {
        String digits = printed.replace(",", "").replace("%", "").trim();
        int dot = digits.indexOf('.');
        int decimals = dot < 0 ? 0 : digits.length() - dot - 1;
        String s = new java.math.BigDecimal(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN).toPlainString();
        if (printed.contains(",")) {
            String[] parts = s.split("\\.");
            s = String.format(java.util.Locale.ROOT, "%,d", Long.parseLong(parts[0]))
                    + (parts.length > 1 ? "." + parts[1] : "");
        }
        return printed.trim().endsWith("%") ? s + "%" : s;
    }

    private static List<String> requireFigureColumns(Table published) {
        List<String> names = published.columnNames();
        if (!names.contains("figure") || !names.contains("published")) {
            throw new IllegalArgumentException("published has columns " + names
                    + ", which is not allowed: it needs \"figure\" and \"published\"");
        }
        return names;
    }

    /** True if every row of a {@link #figures} table is equal. */
    public static boolean allEqual(Table comparison) {
        return comparison.booleanColumn("equal").countFalse() == 0;
    }
}

package effconv.report;

import effconv.layers.Check;
import effconv.layers.Format;
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
        StringColumn diff = StringColumn.create("difference");
        BooleanColumn equal = BooleanColumn.create("equal");
        for (tech.tablesaw.api.Row row : published) {
            String p = row.getString("published");
            Double v = compute.apply(row);
            if (v == null) {
                comp.append("—");
                diff.append("");
                equal.appendMissing();
                continue;
            }
            String c = Format.like(p, v);
            comp.append(c);
            diff.append(Format.exact(v - parse(p)));
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

    /**
     * The one published figure of {@code table} whose columns have the given values, as a number ("70.6%" →
     * 70.6): {@code Compare.published(t2, "scale", "0.5", "groups", "3", "figure", "top-1 error %")}.
     */
    public static double published(Table table, String... columnValuePairs) {
        Check.notNull("table", table);
        if (columnValuePairs == null || columnValuePairs.length % 2 != 0) {
            throw new IllegalArgumentException("columnValuePairs = " + java.util.Arrays.toString(columnValuePairs)
                    + " is not allowed: give column, value pairs");
        }
        List<Integer> hits = new java.util.ArrayList<>();
        for (int i = 0; i < table.rowCount(); i++) {
            boolean all = true;
            for (int k = 0; k < columnValuePairs.length; k += 2) {
                if (!table.columnNames().contains(columnValuePairs[k])) {
                    throw new IllegalArgumentException("column = \"" + columnValuePairs[k]
                            + "\" is not allowed: " + table.name() + " has " + table.columnNames());
                }
                all &= table.getString(i, columnValuePairs[k]).equals(columnValuePairs[k + 1]);
            }
            if (all) {
                hits.add(i);
            }
        }
        if (hits.size() != 1) {
            throw new IllegalArgumentException("columnValuePairs = " + java.util.Arrays.toString(columnValuePairs)
                    + " is not allowed: it matches " + hits.size() + " rows of " + table.name() + ", not one");
        }
        return parse(table.getString(hits.get(0), "published"));
    }

    /** The published figure as a number: "62,378,344" → 62378344, "70.6%" → 70.6, "967k" → 967000, "1.2M" → 1.2e6. */
    public static double parse(String printed) {
        try {
            String s = printed.replace(",", "").replace("%", "").trim();
            double scale = s.endsWith("k") ? 1e3 : s.endsWith("M") ? 1e6 : 1;
            return scale * Double.parseDouble(scale == 1 ? s : s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("published = \"" + printed + "\" is not allowed here: not a number");
        }
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

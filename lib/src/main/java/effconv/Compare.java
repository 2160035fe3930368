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
        List<String> names = published.columnNames();
        if (!names.contains("figure") || !names.contains("published")) {
            throw new IllegalArgumentException("published has columns " + names
                    + ", which is not allowed: it needs \"figure\" and \"published\"");
        }
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

    /** True if every row of a {@link #figures} table is equal. */
    public static boolean allEqual(Table comparison) {
        return comparison.booleanColumn("equal").countFalse() == 0;
    }
}

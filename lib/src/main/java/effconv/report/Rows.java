package effconv.report;

import effconv.layers.Check;
import java.util.ArrayList;
import java.util.List;

import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * A table built row by row, its column types taken from the first row's values (whole numbers as integers,
 * fractions as decimals, text, true/false), so a lesson's cell shows the experiment, not column plumbing:
 * {@code Rows.of("title", "K", "params").add(3, 900_000).table()}.
 */
public final class Rows {
    private final String title;
    private final List<String> names;
    private final List<Object[]> rows = new ArrayList<>();

    private Rows(String title, List<String> names) {
        this.title = title;
        this.names = names;
    }

    /** An empty table with a title and column names. */
    public static Rows of(String title, String... columns) {
        Check.notNull("title", title);
        if (columns == null || columns.length == 0) {
            throw new IllegalArgumentException("columns = [] is not allowed: give at least one column name");
        }
        return new Rows(title, List.of(columns));
    }

    /** One row, a value per column, in order. */
    public Rows add(Object... values) {
        if (values == null || values.length != names.size()) {
            throw new IllegalArgumentException("values = " + (values == null ? "null" : values.length + " values")
                    + " is not allowed: this table has " + names.size() + " columns " + names);
        }
        rows.add(values.clone());
        return this;
    }

    /** The table. Columns with a fractional value anywhere are decimal; integer-valued ones print as integers. */
    public Table table() {
        Table t = Table.create(title);
        for (int c = 0; c < names.size(); c++) {
            t.addColumns(column(c));
        }
        return t;
    }

    private Column<?> column(int c) {
        String name = names.get(c);
        boolean allIntegral = true, allNumbers = true, allBooleans = true;
        for (Object[] r : rows) {
            Object v = r[c];
            allBooleans &= v instanceof Boolean;
            allNumbers &= v instanceof Number;
            allIntegral &= v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
        }
        if (rows.isEmpty() || !(allNumbers || allBooleans)) {
            StringColumn s = StringColumn.create(name);
            rows.forEach(r -> s.append(String.valueOf(r[c])));
            return s;
        }
        if (allBooleans) {
            BooleanColumn b = BooleanColumn.create(name);
            rows.forEach(r -> b.append((Boolean) r[c]));
            return b;
        }
        if (allIntegral) {
            LongColumn l = LongColumn.create(name);
            rows.forEach(r -> l.append(((Number) r[c]).longValue()));
            return l;
        }
        DoubleColumn d = DoubleColumn.create(name);
        rows.forEach(r -> d.append(((Number) r[c]).doubleValue()));
        return d;
    }
}

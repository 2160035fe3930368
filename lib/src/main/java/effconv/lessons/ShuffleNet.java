package effconv.lessons;

import effconv.layers.Shape;
import effconv.models.Bottleneck;
import effconv.models.Model;
import effconv.models.Models;
import effconv.models.ShuffleUnit;
import effconv.report.Compare;
import effconv.report.Course;
import effconv.plot.Plot;
import effconv.report.Rows;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.traces.Trace;

/** Lesson 8's tables: ShuffleNet v1's unit costs, its Table 1 and its published errors beside the count. */
public final class ShuffleNet {

    private static final int[] GROUPS = {1, 2, 3, 4, 8};
    private static final String[] SCALES = {"1", "0.5", "0.25"};

    private ShuffleNet() {
    }

    /** MACs of a ResNet, ResNeXt and ShuffleNet unit (c channels, bottleneck m, h×h), counted and by formula. */
    public static Table unitCosts(int c, int m, int h) {
        Shape in = Shape.of(c, h);
        Rows units = Rows.of("Unit MACs at c = " + c + ", m = " + m + ", " + h + "×" + h
                + ": formula vs layer-by-layer count", "g", "ResNet", "ResNeXt", "ShuffleNet", "formula = count");
        for (int g : new int[] {1, 2, 3, 4, 6, 12}) {
            long rn = Bottleneck.resnet(c, m).macs(in), rx = Bottleneck.resnext(c, m, g).macs(in);
            long sh = new ShuffleUnit(c, c, g, 1, true).macs(in);
            units.add(g, rn, rx, sh, rn == Bottleneck.formula(c, h, h, m, 1) && rx == Bottleneck.formula(c, h, h, m, g)
                    && sh == ShuffleUnit.formula(c, h, h, m, g));
        }
        return units.table();
    }

    /** Table 1: the stage widths per g, and the network's computed MACs and parameters (millions). */
    public static Table table1() {
        Rows t = Rows.of("ShuffleNet v1, Table 1: widths and computed complexity",
                "g", "Stage2", "Stage3", "Stage4", "computed million MACs", "computed million params");
        for (int g : GROUPS) {
            int[] w = Models.shufflenetChannels(g);
            Model net = Models.shufflenetV1(g, 1);
            t.add(g, w[0], w[1], w[2], net.macs() / 1e6, net.params() / 1e6);
        }
        return t.table();
    }

    /** Table 2's top-1 error (published) beside the computed complexity, per scale and g. */
    public static Table errors() {
        Table t2 = Course.data("shufflenet-v1-table2.csv");
        Rows rows = Rows.of("Top-1 error (published, Table 2) beside computed complexity",
                "scale", "g", "computed million MACs", "top-1 error % (published)");
        for (String s : SCALES) {
            for (int g : GROUPS) {
                rows.add(s + "×", g, Math.round(Models.shufflenetV1(g, Double.parseDouble(s)).macs() / 1e5) / 10.0,
                        Compare.published(t2, "scale", s, "groups", String.valueOf(g), "figure", "top-1 error %"));
            }
        }
        return rows.table();
    }

    private static final String ERROR = "top-1 error % (published)";

    /** The published top-1 error against g, one line per scale (a table of {@link #errors()}). */
    public static Figure errorAgainstGroups(Table errors) {
        double[] gx = java.util.Arrays.stream(GROUPS).asDoubleStream().toArray();
        List<Trace> perScale = new ArrayList<>();
        for (String s : new String[] {"0.25", "0.5", "1"}) {
            perScale.add(Plot.line("ShuffleNet " + s + "×", gx, ofScale(errors, s + "×").doubleColumn(ERROR)
                    .asDoubleArray()));
        }
        return new Figure(Plot.layout("Published top-1 error against groups, per scale", "groups g", "top-1 error %"),
                perScale.toArray(Trace[]::new));
    }

    /** Every step to one more group count, at the same scale, where the published error rose. */
    public static String errorRises(Table errors) {
        List<String> rises = new ArrayList<>();
        for (String s : new String[] {"1×", "0.5×", "0.25×"}) {
            Table one = ofScale(errors, s);
            for (int i = 1; i < one.rowCount(); i++) {
                double before = one.doubleColumn(ERROR).get(i - 1), now = one.doubleColumn(ERROR).get(i);
                if (now > before) {
                    rises.add(String.format(Locale.ROOT, "%s: g = %d → %d, %.1f%% → %.1f%%", s,
                            one.longColumn("g").get(i - 1), one.longColumn("g").get(i), before, now));
                }
            }
        }
        return rises.isEmpty() ? "the error never rises with more groups at one scale"
                : "error rises with more groups at: " + String.join("; ", rises);
    }

    private static Table ofScale(Table errors, String scale) {
        return errors.where(errors.stringColumn("scale").isEqualTo(scale));
    }

    /** Table 2's complexity label per scale against the lowest, highest and g = 3 counts (million MACs). */
    public static Table labels() {
        Table t2 = Course.data("shufflenet-v1-table2.csv");
        Rows labels = Rows.of("Table 2's complexity label per scale against the counts for g = 1 … 8 (million MACs)",
                "scale", "label (published)", "lowest count", "highest count", "count for g = 3",
                "g = 3: count / label");
        for (String s : SCALES) {
            double lo = Double.MAX_VALUE, hi = 0;
            for (int g : GROUPS) {
                double mm = Models.shufflenetV1(g, Double.parseDouble(s)).macs() / 1e6;
                lo = Math.min(lo, mm);
                hi = Math.max(hi, mm);
            }
            double label = Compare.published(t2, "scale", s, "groups", "3", "figure", "MFLOPs");
            double g3 = Models.shufflenetV1(3, Double.parseDouble(s)).macs() / 1e6;
            labels.add(s + "×", label, Math.round(100 * lo) / 100.0, Math.round(100 * hi) / 100.0,
                    Math.round(100 * g3) / 100.0, Math.round(1000 * g3 / label) / 1000.0);
        }
        return labels.table();
    }
}

package effconv.models;

import effconv.layers.Conv2d;
import effconv.layers.Layer;
import effconv.layers.SeparableConv;
import effconv.layers.Shape;
import effconv.report.Compare;
import effconv.report.Course;
import effconv.report.Kinds;
import effconv.report.Rows;
import effconv.report.Summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * Every network against its published figures: equal as printed, or different for the reason recorded in the
 * note — and each recorded reason is checked here too.
 */
class ModelsTest {

    /** Every row either matches as printed or carries a note saying why not. */
    static void everyMismatchIsExplained(Table cmp) {
        for (Row r : cmp) {
            if (r.isMissing("equal")) {
                continue;
            }
            boolean equal = r.getBoolean("equal");
            assertTrue(equal || !r.getString("note").isBlank(), () -> "unexplained mismatch in " + cmp.name() + ": "
                    + r.getString("figure") + " published " + r.getString("published") + ", computed "
                    + r.getString("computed"));
        }
    }

    static double millions(long v) {
        return v / 1e6;
    }

    @Test
    void alexnetFilterGroups() {
        Table pub = Course.data("alexnet-filter-groups.csv");
        Table cmp = Compare.numbers(pub, r -> {
            Model m = Models.alexnet(Integer.parseInt(r.getString("groups")));
            return switch (r.getString("figure")) {
                case "params" -> (double) m.params();
                case "macs" -> (double) m.macs();
                default -> null;
            };
        });
        everyMismatchIsExplained(cmp);
        for (int g : new int[] {1, 2, 4}) {
            Model m = Models.alexnet(g);
            // the recorded reason: the data adds each bias once per filter
            long biasesOncePerFilter = 96 + 256 + 384 + 384 + 256 + 4096 + 4096 + 1000;
            String printed = pub.where(pub.stringColumn("groups").isEqualTo(String.valueOf(g))
                    .and(pub.stringColumn("figure").isEqualTo("macs"))).getString(0, "published");
            assertEquals((long) Compare.parse(printed), m.macs() + biasesOncePerFilter);
        }
        assertEquals(3, cmp.where(cmp.stringColumn("figure").isEqualTo("params")).booleanColumn("equal").countTrue());
    }

    @Test
    void alexnetPerLayer() {
        Table pub = Course.data("alexnet-layers-2groups.csv");
        Summary s = Models.alexnet(2).summary();
        Table cmp = Compare.numbers(pub, r -> {
            Summary.Row row = s.rows().stream().filter(x -> x.path().equals(r.getString("layer"))).findFirst()
                    .orElseThrow();
            if (r.getString("figure").equals("params")) {
                return (double) row.params();
            }
            // the recorded reason: + one bias per filter
            return (double) (row.macs() + row.output().channels());
        });
        assertTrue(Compare.allEqual(cmp), cmp::printAll);
    }

    static Double mobilenetFigure(Model m, String figure) {
        return switch (figure) {
            case "million mult-adds" -> millions(m.macs());
            case "million params" -> millions(m.params());
            default -> null; // accuracies, timings: measured, not computable
        };
    }

    @Test
    void mobilenetV1Tables4To7() {
        int mismatches = 0;
        for (String t : new String[] {"4", "6", "7"}) {
            Table cmp = Compare.numbers(Course.data("mobilenet-v1-table" + t + ".csv"), r -> mobilenetFigure(
                    r.getString("model").equals("Conv MobileNet") ? Models.convMobilenetV1()
                            : Models.mobilenetV1(Double.parseDouble(r.getString("alpha")),
                            Integer.parseInt(r.getString("resolution"))), r.getString("figure")));
            everyMismatchIsExplained(cmp);
            mismatches += cmp.booleanColumn("equal").countFalse();
        }
        assertEquals(2, mismatches); // 160×160: 290.68 printed as 290; Conv MobileNet's 4,866 leaves out the classifier
        assertEquals(4_866_269_184L, Models.convMobilenetV1().macs() - 1024 * 1000);
        assertEquals(290_675_200L, Models.mobilenetV1(1, 160).macs());
        Table t5 = Compare.numbers(Course.data("mobilenet-v1-table5.csv"), r -> mobilenetFigure(
                r.getString("model").startsWith("Shallow") ? Models.mobilenetV1(1, 224, true)
                        : Models.mobilenetV1(0.75, 224), r.getString("figure")));
        assertEquals(0, t5.booleanColumn("equal").countFalse(), t5::printAll);
    }

    @Test
    void convMobilenetHasAFullConvolutionWherePerSeparableBlock() {
        Model conv = Models.convMobilenetV1();
        long fullConvs = conv.body().leaves(conv.input()).stream()
                .filter(l -> Kinds.of(l.layer()).equals("Conv 3×3")).count();
        assertEquals(14, fullConvs); // conv1 and the 13 blocks
        assertEquals(0, conv.body().leaves(conv.input()).stream()
                .filter(l -> Kinds.of(l.layer()).startsWith("Conv DW")).count());
        assertEquals(Models.mobilenetV1(1, 224).output(), conv.output());
    }

    @Test
    void kindsReproduceMobilenetTable2() {
        Table k = Kinds.table(Models.mobilenetV1(1, 224), true);
        assertEquals(List.of("Conv 1×1", "Conv DW 3×3", "Conv 3×3", "Fully connected"),
                k.stringColumn("layer type").asList());
        assertEquals(94.86, k.doubleColumn("MACs %").get(0), 1e-9);
        assertEquals(74.59, k.doubleColumn("weights %").get(0), 1e-9);
    }

    @Test
    void publishedLooksUpExactlyOneRow() {
        Table t2 = Course.data("shufflenet-v1-table2.csv");
        assertEquals(41.6, Compare.published(t2, "scale", "0.5", "groups", "4", "figure", "top-1 error %"), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Compare.published(t2, "scale", "0.5"));
        assertThrows(IllegalArgumentException.class, () -> Compare.published(t2, "nope", "1"));
    }

    @Test
    void differencesArePrintedExactly() {
        assertEquals("−10,568", Compare.exact(-10568));
        assertEquals("0.078976", Compare.exact(143.078976 - 143));
        assertEquals("0", Compare.exact(0));
        Table rows = Rows.of("t", "n", "x", "name").add(1, 0.5, "a").add(2L, 1, "b").table();
        assertTrue(rows.column("n") instanceof tech.tablesaw.api.LongColumn);
        assertTrue(rows.column("x") instanceof tech.tablesaw.api.DoubleColumn);
        assertTrue(rows.column("name") instanceof tech.tablesaw.api.StringColumn);
    }

    @Test
    void mobilenetV1Table3OneLayerStepByStep() {
        Table cmp = Compare.numbers(Course.data("mobilenet-v1-table3.csv"), r -> {
            double alpha = Double.parseDouble(r.getString("alpha"));
            int channels = (int) (512 * alpha);
            int size = (int) Math.round(14 * Double.parseDouble(r.getString("rho")));
            Layer l = r.getString("layer").equals("Convolution") ? Conv2d.of(512, 512, 3).padding(1)
                    : SeparableConv.of(channels, channels, 3).padding(1);
            return r.getString("figure").equals("million params") ? millions(l.params())
                    : millions(l.macs(Shape.of(channels, size)));
        });
        assertTrue(Compare.allEqual(cmp), cmp::printAll);
    }

    @Test
    void mobilenetV1Tables8And9AndElsewhere() {
        Table cmp = Compare.numbers(Course.data("mobilenet-v1-table8-9.csv"), r -> switch (r.getString("model")) {
            case "0.50 MobileNet-160" -> mobilenetFigure(Models.mobilenetV1(0.5, 160), r.getString("figure"));
            case "SqueezeNet" -> mobilenetFigure(Models.squeezenet(227), r.getString("figure"));
            case "AlexNet" -> mobilenetFigure(Models.alexnet(2), r.getString("figure"));
            default -> null;
        });
        everyMismatchIsExplained(cmp);
        Model half160 = Models.mobilenetV1(0.5, 160);
        long bn = half160.summary().rows().stream().filter(r -> r.type().equals("BatchNorm2d"))
                .mapToLong(Summary.Row::params).sum();
        assertEquals("1.32", String.format("%.2f", millions(half160.params() - bn))); // the note's reason
        assertEquals("832.7", String.format("%.1f", millions(Models.squeezenet(227).macs())));
        assertEquals("818.9", String.format("%.1f", millions(Models.squeezenet(224).macs())));
        Table other = Compare.numbers(Course.data("mobilenet-v1-elsewhere.csv"),
                r -> millions(Models.mobilenetV1(1, 224).macs()));
        everyMismatchIsExplained(other);
        assertEquals(2, other.booleanColumn("equal").countFalse());
    }

    @Test
    void mobilenetV1LayerTypes() {
        // Table 2: where the mult-adds and parameters go
        Model m = Models.mobilenetV1(1, 224);
        long pw = 0, dw = 0, full = 0, fc = 0, pwP = 0, dwP = 0, fullP = 0, fcP = 0;
        for (Summary.Row r : m.summary().rows()) {
            if (r.path().endsWith("/pw")) { pw += r.macs(); pwP += r.params(); }
            if (r.path().endsWith("/dw")) { dw += r.macs(); dwP += r.params(); }
            if (r.path().equals("conv1")) { full += r.macs(); fullP += r.params(); }
            if (r.path().equals("fc")) { fc += r.macs(); fcP += r.params(); }
        }
        long macs = pw + dw + full + fc;
        assertEquals(m.macs(), macs);
        fcP -= 1000; // Table 2 counts weights only: no FC bias, no batch norm (with the bias FC would be 24.35%)
        long params = pwP + dwP + fullP + fcP;
        double[] computed = {100.0 * pw / macs, 100.0 * dw / macs, 100.0 * full / macs, 100.0 * fc / macs,
            100.0 * pwP / params, 100.0 * dwP / params, 100.0 * fullP / params, 100.0 * fcP / params};
        Table pub = Course.data("mobilenet-v1-table2.csv");
        int[] i = {0};
        Table cmp = Compare.numbers(pub, r -> computed[i[0]++]);
        everyMismatchIsExplained(cmp);
        assertEquals(1, cmp.booleanColumn("equal").countFalse(), cmp::printAll);
        assertEquals("1.91", Summary.twoDecimals(computed[2])); // the recorded reason: 1.19 is 1.91 transposed
    }

    @Test
    void mobilenetV1Table3OneLayer() {
        Shape in = Shape.of(512, 14);
        Conv2d conv = Conv2d.of(512, 512, 3).padding(1);
        SeparableConv sep = SeparableConv.of(512, 512, 3).padding(1);
        assertEquals("462", String.format("%.0f", millions(conv.macs(in))));
        assertEquals("2.36", String.format("%.2f", millions(conv.params())));
        assertEquals("52.3", String.format("%.1f", millions(sep.macs(in))));
        assertEquals("0.27", String.format("%.2f", millions(sep.params())));
        SeparableConv narrow = SeparableConv.of(384, 384, 3).padding(1); // α = 0.75
        assertEquals("29.6", String.format("%.1f", millions(narrow.macs(Shape.of(384, 14)))));
        assertEquals("15.1", String.format("%.1f", millions(narrow.macs(Shape.of(384, 10))))); // ρ = 0.714
    }

    @Test
    void shufflenetTable1() {
        for (String t : new String[] {"1", "2"}) {
            Table cmp = Compare.numbers(Course.data("shufflenet-v1-table" + t + ".csv"), r ->
                    r.getString("figure").equals("MFLOPs") ? millions(Models.shufflenetV1(
                            Integer.parseInt(r.getString("groups")), Double.parseDouble(r.getString("scale"))).macs())
                            : null);
            everyMismatchIsExplained(cmp);
        }
        assertEquals("38", String.format("%.0f", millions(Models.shufflenetV1(3, 0.5).macs())));
        assertEquals("11.0", String.format("%.1f", millions(Models.shufflenetV1(3, 0.25).macs()))); // the note's figure
        int[] published = {144, 288, 576};
        assertEquals(published[2], Models.shufflenetChannels(1)[2]);
    }

    @Test
    void squeezenetXceptionMobilenetV2Tables() {
        Table sq = Compare.numbers(Course.data("squeezenet-table1.csv").where(
                Course.data("squeezenet-table1.csv").stringColumn("figure").isEqualTo("params")),
                r -> (double) Models.squeezenet(227).params());
        assertTrue(Compare.allEqual(sq), sq::printAll);
        Table x = Compare.numbers(Course.data("xception-table3.csv"),
                r -> r.getString("model").equals("Xception") ? (double) Models.xception(true).params() : null);
        assertTrue(x.booleanColumn("equal").get(0), x::printAll);
        Table v2 = Compare.numbers(Course.data("mobilenet-v2-table4.csv"), r -> mobilenetFigure(
                Models.mobilenetV2(Double.parseDouble(r.getString("alpha")), 224), r.getString("figure")));
        everyMismatchIsExplained(v2);
        assertEquals("4.76", Summary.twoDecimals(Models.squeezenet(224).params() * 4 / 1048576.0));
    }

    @Test
    void otherNetworks() {
        assertEquals(1_248_424, Models.squeezenet(224).params());
        assertEquals(Shape.of(96, 111, 111), Models.squeezenet(227).summary().rows().get(0).output());
        assertEquals(Shape.of(96, 109, 109), Models.squeezenet(224).summary().rows().get(0).output());
        assertEquals(Shape.of(1000, 1, 1), Models.squeezenet(227).output());
        assertEquals(22_855_952, Models.xception(true).params());
        assertEquals(22_855_952 - 2_049_000, Models.xception(false).params());
        Model v2 = Models.mobilenetV2(1, 224);
        assertEquals("300.77", String.format("%.2f", millions(v2.macs())));
        long bn = v2.summary().rows().stream().filter(r -> r.type().equals("BatchNorm2d")).mapToLong(Summary.Row::params).sum();
        assertEquals("3.50", String.format("%.2f", millions(v2.params())));
        assertEquals("3.47", String.format("%.2f", millions(v2.params() - bn)));
        assertEquals("582", String.format("%.0f", millions(Models.mobilenetV2(1.4, 224).macs())));
        assertEquals("6.11", String.format("%.2f", millions(Models.mobilenetV2(1.4, 224).params())));
    }

    @Test
    void invertedResidualFormulaEqualsTheLayerByLayerCount() {
        for (int[] c : new int[][] {{24, 24, 6, 1}, {16, 24, 6, 2}, {32, 16, 1, 1}, {160, 320, 6, 1}}) {
            InvertedResidual b = new InvertedResidual(c[0], c[1], c[2], c[3]);
            Shape in = Shape.of(c[0], 28);
            assertEquals(b.formulaMacs(in), b.macs(in), b.toString());
        }
    }

    @Test
    void unitCostFormulas() {
        int c = 240, h = 28, m = 60;
        for (int g : new int[] {1, 2, 3, 4}) {
            assertEquals(ShuffleUnit.formula(c, h, h, m, g),
                    new ShuffleUnit(c, c, g, 1, true).macs(Shape.of(c, h)));
        }
        assertEquals(Bottleneck.formula(c, h, h, m, 1), Bottleneck.resnet(c, m).macs(Shape.of(c, h)));
        assertEquals(Bottleneck.formula(c, h, h, m, 4), Bottleneck.resnext(c, m, 4).macs(Shape.of(c, h)));
    }

    @Test
    void badModelArguments() {
        assertThrows(IllegalArgumentException.class, () -> Models.byName("resnet", null, null, null, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Models.byName("xception", null, 0.5, null, null));
        assertTrue(e.getMessage().contains("alpha = 0.5"));
        e = assertThrows(IllegalArgumentException.class, () -> Models.mobilenetV1(0, 224));
        assertTrue(e.getMessage().contains("alpha = 0.0"));
        e = assertThrows(IllegalArgumentException.class, () -> Models.squeezenet(20));
        assertTrue(e.getMessage().contains("kernel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Models.shufflenetV1(5, 1));
        assertTrue(e.getMessage().contains("groups = 5"));
        assertFalse(Models.NAMES.isEmpty());
    }
}

package effconv.report;

import effconv.layers.Conv2d;
import effconv.layers.Format;
import effconv.layers.Layer;
import effconv.layers.SeparableConv;
import effconv.layers.Shape;
import effconv.models.Model;
import effconv.models.Models;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every published table the lessons set beside the count, one method each, named for its paper and table: the
 * figures from {@code data/} (with their sources and notes) and the same figures computed from the course's
 * networks. Which network and which count answer which published row is decided here, once, so a lesson shows a
 * comparison with one readable call; accuracies and timings are measured by the papers and stay uncomputed.
 */
public final class Papers {

    private Papers() {
    }

    // ---- SqueezeNet (Iandola et al. 2016)

    /** Table 1: SqueezeNet 1.0's parameters, feature-map sizes and model size (Caffe's 227×227 input). */
    public static Table squeezenetTable1() {
        Model squeezenet = Models.squeezenet(227);
        Summary s = Summary.of(squeezenet);
        Map<String, String> computed = new LinkedHashMap<>();
        computed.put("params", Format.count(squeezenet.params()));
        for (String layer : List.of("conv1", "maxpool1", "maxpool4", "maxpool8")) {
            Shape out = s.row(layer).output();
            computed.put(layer + " output", out.height() + "×" + out.width());
        }
        computed.put("model size (32-bit)", String.format("%.1f MB", megabytes(squeezenet)));
        Table published = Course.data("squeezenet-table1.csv");
        return Compare.figures(published.where(published.stringColumn("figure").isNotIn("top-1 accuracy",
                "top-5 accuracy")), computed);
    }

    /** Table 2: SqueezeNet against AlexNet — the model sizes computed, the accuracies as measured. */
    public static Table squeezenetVsAlexnet() {
        Model alexnet = Models.alexnet(2), squeezenet = Models.squeezenet(227);
        return Compare.numbers(Course.data("squeezenet-vs-alexnet.csv"), r -> r.getString("figure").startsWith(
                "model size") ? megabytes(r.getString("model").equals("AlexNet") ? alexnet : squeezenet) : null)
                .retainColumns("model", "figure", "published", "computed", "equal", "note");
    }

    // ---- AlexNet's filter groups (Ioannou's tutorial and data)

    /** Ioannou's totals for AlexNet with 1, 2 and 4 filter groups: parameters and MACs computed, accuracy measured. */
    public static Table alexnetFilterGroups() {
        return Compare.numbers(Course.data("alexnet-filter-groups.csv"), r -> {
            Model m = Models.alexnet(Integer.parseInt(r.getString("groups")));
            return switch (r.getString("figure")) {
                case "params" -> (double) m.params();
                case "macs" -> (double) m.macs();
                default -> null;
            };
        }).retainColumns("model", "figure", "published", "computed", "difference", "equal", "note");
    }

    /** Ioannou's per-layer figures for AlexNet with two groups. */
    public static Table alexnetLayers() {
        Summary alex2 = Summary.of(Models.alexnet(2));
        return Compare.numbers(Course.data("alexnet-layers-2groups.csv"), r -> {
            Summary.Row row = alex2.row(r.getString("layer"));
            return r.getString("figure").equals("params") ? (double) row.params() : (double) row.macs();
        }).retainColumns("layer", "figure", "published", "computed", "difference", "note");
    }

    // ---- ShuffleNet v1 (Zhang et al. 2017)

    /** Table 1: the complexity of ShuffleNet 1× for g = 1, 2, 3, 4 and 8. */
    public static Table shufflenetTable1() {
        return Compare.numbers(Course.data("shufflenet-v1-table1.csv"), r -> millions(Models.shufflenetV1(
                Integer.parseInt(r.getString("groups")), Double.parseDouble(r.getString("scale"))).macs()))
                .retainColumns("groups", "published", "computed", "difference", "equal", "note");
    }

    /** Table 2's complexity labels per scale against the count for g = 3. */
    public static Table shufflenetTable2Labels() {
        Table t2 = Course.data("shufflenet-v1-table2.csv");
        return Compare.numbers(t2.where(t2.stringColumn("figure").isEqualTo("MFLOPs")),
                r -> millions(Models.shufflenetV1(3, Double.parseDouble(r.getString("scale"))).macs()))
                .retainColumns("scale", "published", "computed", "difference", "equal", "note");
    }

    // ---- MobileNets (Howard et al. 2017)

    /** Table 2: the shares of mult-adds and weights per layer type, from {@link Kinds}. */
    public static Table mobilenetTable2() {
        Table byKind = Kinds.table(Models.mobilenetV1(1, 224), true);   // weights only, as Table 2 counts
        return Compare.numbers(Course.data("mobilenet-v1-table2.csv"), r -> {
            Table row = byKind.where(byKind.stringColumn("layer type").isEqualTo(r.getString("type")));
            return row.doubleColumn(r.getString("figure").startsWith("mult-adds") ? "MACs %" : "weights %").get(0);
        }).retainColumns("type", "figure", "published", "computed", "equal", "note");
    }

    /** Table 3: one 14×14×512 layer, full convolution against separable, thinned by α and shrunk by ρ. */
    public static Table mobilenetTable3() {
        return Compare.numbers(Course.data("mobilenet-v1-table3.csv"), r -> {
            double alpha = Double.parseDouble(r.getString("alpha"));
            int channels = (int) (512 * alpha), size = (int) Math.round(14 * Double.parseDouble(r.getString("rho")));
            Layer l = r.getString("layer").equals("Convolution") ? Conv2d.of(512, 512, 3).padding(1)
                    : SeparableConv.of(channels, channels, 3).padding(1);
            return r.getString("figure").equals("million params") ? millions(l.params())
                    : millions(l.macs(Shape.of(channels, size)));
        }).retainColumns("layer", "figure", "published", "computed", "equal");
    }

    /** Tables 4, 6 and 7: the whole network, Conv MobileNet, and α and ρ, in one table. */
    public static Table mobilenetTables4to7() {
        Table all = null;
        for (String t : List.of("4", "6", "7")) {
            Table cmp = Compare.numbers(Course.data("mobilenet-v1-table" + t + ".csv"), r -> whole(
                    r.getString("model").equals("Conv MobileNet") ? Models.convMobilenetV1()
                            : Models.mobilenetV1(Double.parseDouble(r.getString("alpha")),
                            Integer.parseInt(r.getString("resolution"))), r));
            all = all == null ? cmp : all.append(cmp);
        }
        all.setName("MobileNet v1, Tables 4, 6, 7: published beside computed");
        return all.retainColumns("model", "figure", "published", "computed", "difference", "equal", "note");
    }

    /** Table 5: narrower against shallower at about the same cost. */
    public static Table mobilenetTable5() {
        return Compare.numbers(Course.data("mobilenet-v1-table5.csv"), r -> whole(r.getString("model")
                .startsWith("Shallow") ? Models.mobilenetV1(1, 224, true) : Models.mobilenetV1(0.75, 224), r))
                .retainColumns("model", "figure", "published", "computed", "equal", "note");
    }

    // ---- MobileNetV2 (Sandler et al. 2018) and Xception (Chollet 2017)

    /** MobileNetV2's Table 4, at widths 1 and 1.4. */
    public static Table mobilenetV2Table4() {
        return Compare.numbers(Course.data("mobilenet-v2-table4.csv"), r -> whole(
                Models.mobilenetV2(Double.parseDouble(r.getString("alpha")), 224), r))
                .retainColumns("model", "figure", "published", "computed", "equal", "note");
    }

    /** Xception's Table 3: its parameter count (with the classifier). */
    public static Table xceptionTable3() {
        long params = Models.xception(true).params();
        return Compare.numbers(Course.data("xception-table3.csv"),
                        r -> r.getString("model").equals("Xception") ? (double) params : null)
                .retainColumns("model", "published", "computed", "equal", "note");
    }

    // ---- helpers

    /** A whole network's printed "million mult-adds" or "million params"; null for what the paper measured. */
    private static Double whole(Model m, Row r) {
        return switch (r.getString("figure")) {
            case "million mult-adds" -> millions(m.macs());
            case "million params" -> millions(m.params());
            default -> null;   // accuracy, latency: measured
        };
    }

    private static double millions(long v) {
        return v / 1e6;
    }

    /** 32-bit weights in MB of 2²⁰ bytes, as SqueezeNet's sizes are printed. */
    private static double megabytes(Model m) {
        return m.params() * 4 / 1048576.0;
    }
}

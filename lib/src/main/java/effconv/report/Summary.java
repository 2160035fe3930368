package effconv.report;

import effconv.layers.Check;
import effconv.layers.Counting;
import effconv.layers.Layer;
import effconv.layers.Shape;
import effconv.nd.NdLayer;
import effconv.nd.Tensors;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A torchsummary-style summary of a layer or a sequence: one row per module, totals and the four memory figures,
 * computed exactly as {@code torchsummary.summary} computes them (4 bytes a value, MB = 1024², forward/backward =
 * 2 × the sum of every row's output). {@link #toString()} prints the same text, character for character.
 */
public final class Summary {

    /**
     * One module's row: {@code name} is torchsummary's "Conv2d-1", {@code path} where it sits in a network
     * ("fire2/expand3x3", empty for a single layer).
     */
    public record Row(String name, String path, String type, Shape output, long params, long macs) {
        /** Bytes of this row's output, 4 a value. */
        public long activationBytes() {
            return output.numel() * BYTES_PER_VALUE;
        }
    }

    private static final double MB = 1024.0 * 1024.0;
    private static final int BYTES_PER_VALUE = 4;

    private final Shape input;
    private final Shape output;
    private final List<Row> rows;

    private Summary(Shape input, Shape output, List<Row> rows) {
        this.input = input;
        this.output = output;
        this.rows = List.copyOf(rows);
    }

    /** The counted summary: shapes, params and MACs from the cost model alone, nothing allocated. */
    public static Summary of(Layer layer, Shape input) {
        return of(layer, input, Counting.PAPERS);
    }

    /** The counted summary, MACs counted the given way. */
    public static Summary of(Layer layer, Shape input, Counting counting) {
        Check.notNull("layer", layer);
        Check.notNull("input", input);
        Check.notNull("counting", counting);
        Shape output = layer.outputShape(input);
        List<Row> rows = new ArrayList<>();
        for (Layer.Leaf leaf : layer.leaves(input)) {
            Layer l = leaf.layer();
            rows.add(new Row(l.torchType() + "-" + (rows.size() + 1), leaf.path(), l.torchType(), leaf.output(),
                    l.params(), l.macs(leaf.input(), counting)));
        }
        return new Summary(input, output, rows);
    }

    /**
     * The summary of a real run: the layer is built with seeded weights and run on a seeded input with ND4J;
     * each row's output shape is the shape ND4J produced and its params the number of weights allocated. Throws
     * {@link IllegalStateException} if the machine disagrees with the cost model, which would be a bug.
     */
    public static Summary run(Layer layer, Shape input) {
        Summary counted = of(layer, input);
        NdLayer nd = NdLayer.init(layer, 0);
        List<NdLayer.RowResult> results = nd.forwardRows(Tensors.random(input, 0));
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Row c = counted.rows.get(i);
            NdLayer.RowResult r = results.get(i);
            if (!r.output().equals(c.output()) || r.params() != c.params()) {
                throw new IllegalStateException("cost model and ND4J disagree on " + c.name() + ": counted "
                        + c.output() + " / " + c.params() + " params, ran " + r.output() + " / " + r.params());
            }
            rows.add(new Row(c.name(), c.path(), c.type(), r.output(), r.params(), c.macs()));
        }
        return new Summary(input, counted.output, rows);
    }

    public Shape input() {
        return input;
    }

    public List<Row> rows() {
        return rows;
    }

    /** The row of the layer at {@code path} ("conv2", "fire2/expand3x3"). */
    public Row row(String path) {
        Check.notNull("path", path);
        return rows.stream().filter(r -> r.path().equals(path)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("path = \"" + path + "\" is not allowed: no layer has it; the paths are "
                        + rows.stream().map(Row::path).filter(x -> !x.isEmpty()).limit(12).toList() + " …"));
    }

    /** The layer's output (for a network, the last row's; for a concatenation, all branches together). */
    public Shape output() {
        return output;
    }

    public long totalParams() {
        return rows.stream().mapToLong(Row::params).sum();
    }

    public long totalMacs() {
        return rows.stream().mapToLong(Row::macs).sum();
    }

    public double inputMb() {
        return input.numel() * (double) BYTES_PER_VALUE / MB;
    }

    /** torchsummary doubles the outputs "for gradients". */
    public double forwardBackwardMb() {
        long outputs = rows.stream().mapToLong(r -> r.output().numel()).sum();
        return 2.0 * outputs * BYTES_PER_VALUE / MB;
    }

    public double paramsMb() {
        return totalParams() * (double) BYTES_PER_VALUE / MB;
    }

    /** Summed in torchsummary's order (params + outputs + input) so the last digit rounds the same way. */
    public double totalMb() {
        return paramsMb() + forwardBackwardMb() + inputMb();
    }

    /** Python's {@code "%0.2f"}: the exact binary value, rounded half-even. */
    public static String twoDecimals(double v) {
        return new BigDecimal(v).setScale(2, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Python's {@code "{0:,}"}. */
    public static String thousands(long v) {
        return String.format(java.util.Locale.ROOT, "%,d", v);
    }

    /**
     * Every figure torchsummary prints, keyed by its label ("Conv2d-1 Output Shape", "Conv2d-1 Param #",
     * "Total params", "Input size (MB)", …), valued as printed — for comparing with a published table digit by
     * digit.
     */
    public Map<String, String> figures() {
        Map<String, String> f = new LinkedHashMap<>();
        for (Row r : rows) {
            f.put(r.name() + " Output Shape", r.output().torchString());
            f.put(r.name() + " Param #", thousands(r.params()));
        }
        f.put("Total params", thousands(totalParams()));
        f.put("Trainable params", thousands(totalParams()));
        f.put("Non-trainable params", "0");
        f.put("Input size (MB)", twoDecimals(inputMb()));
        f.put("Forward/backward pass size (MB)", twoDecimals(forwardBackwardMb()));
        f.put("Params size (MB)", twoDecimals(paramsMb()));
        f.put("Estimated Total Size (MB)", twoDecimals(totalMb()));
        return f;
    }

    /** The summary as torchsummary prints it. */
    @Override
    public String toString() {
        String dash = "-".repeat(64) + "\n";
        String eq = "=".repeat(64) + "\n";
        StringBuilder sb = new StringBuilder(dash);
        sb.append(String.format("%20s  %25s %15s\n", "Layer (type)", "Output Shape", "Param #"));
        sb.append(eq);
        for (Row r : rows) {
            sb.append(String.format("%20s  %25s %15s\n", r.name(), r.output().torchString(), thousands(r.params())));
        }
        Map<String, String> f = figures();
        sb.append(eq);
        for (String k : List.of("Total params", "Trainable params", "Non-trainable params")) {
            sb.append(k).append(": ").append(f.get(k)).append('\n');
        }
        sb.append(dash);
        for (String k : List.of("Input size (MB)", "Forward/backward pass size (MB)", "Params size (MB)",
                "Estimated Total Size (MB)")) {
            sb.append(k).append(": ").append(f.get(k)).append('\n');
        }
        return sb.append(dash).toString();
    }

    /**
     * The rows as a table, with what torchsummary does not show: where each layer sits (for networks), its
     * multiply-accumulates and its activation memory.
     */
    public Table table() {
        return table(rows, "Summary");
    }

    /**
     * Only the rows that do arithmetic (MACs &gt; 0): the convolutions and the classifier, without the batch norm,
     * activation, pooling and add rows that cost no multiply-accumulates — what matters first in a long network.
     */
    public Table arithmeticTable() {
        List<Row> some = rows.stream().filter(r -> r.macs() > 0).toList();
        return table(some, String.format(java.util.Locale.ROOT,
                "%d of %d rows: the layers that multiply (batch norm, activations, pooling hidden)", some.size(),
                rows.size()));
    }

    private static Table table(List<Row> rows, String name) {
        Table t = Table.create(name);
        t.addColumns(StringColumn.create("Layer (type)", rows.stream().map(Row::name)));
        if (rows.stream().anyMatch(r -> !r.path().isEmpty())) {
            t.addColumns(StringColumn.create("Name", rows.stream().map(Row::path)));
        }
        t.addColumns(StringColumn.create("Output Shape", rows.stream().map(r -> r.output().torchString())),
                LongColumn.create("Param #", rows.stream().mapToLong(Row::params).toArray()),
                LongColumn.create("MACs", rows.stream().mapToLong(Row::macs).toArray()),
                LongColumn.create("Activation bytes", rows.stream().mapToLong(Row::activationBytes).toArray()));
        return t;
    }

    /**
     * The summary as JSON: {@code {"layers":[{"name","type","output_shape":[C,H,W],"params","macs"}…],
     * "total_params","total_macs","input_mb","forward_backward_mb","params_mb","total_mb"}}, MB as torchsummary
     * computes them (unrounded).
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\"layers\":[");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"name\":").append(Json.string(r.path().isEmpty() ? r.name() : r.path()))
                    .append(",\"type\":").append(Json.string(r.type()))
                    .append(",\"output_shape\":[").append(r.output().channels()).append(',')
                    .append(r.output().height()).append(',').append(r.output().width()).append(']')
                    .append(",\"params\":").append(r.params()).append(",\"macs\":").append(r.macs())
                    .append(",\"activation_bytes\":").append(r.activationBytes()).append('}');
        }
        sb.append("],\"input_shape\":[").append(input.channels()).append(',').append(input.height()).append(',')
                .append(input.width()).append("],\"output_shape\":[").append(output.channels()).append(',')
                .append(output.height()).append(',').append(output.width()).append(']')
                .append(",\"total_params\":").append(totalParams())
                .append(",\"total_macs\":").append(totalMacs())
                .append(",\"input_mb\":").append(inputMb())
                .append(",\"forward_backward_mb\":").append(forwardBackwardMb())
                .append(",\"params_mb\":").append(paramsMb())
                .append(",\"total_mb\":").append(totalMb()).append('}');
        return sb.toString();
    }
}

package effconv.models;

import effconv.layers.Check;
import effconv.layers.Counting;
import effconv.layers.Layer;
import effconv.layers.Shape;
import effconv.report.Json;
import effconv.report.Summary;
import tech.tablesaw.api.Table;

/** A whole network: its name, the input it is defined for, and its layers. */
public record Model(String name, Shape input, Layer body) {

    public Model {
        Check.notNull("name", name);
        Check.notNull("input", input);
        Check.notNull("body", body);
        body.outputShape(input); // a network that does not fit its input is refused here, with the layer's message
    }

    public Summary summary() {
        return Summary.of(body, input);
    }

    public Summary summary(Counting counting) {
        return Summary.of(body, input, counting);
    }

    public long params() {
        return body.params();
    }

    public long macs() {
        return body.macs(input);
    }

    public long macs(Counting counting) {
        return body.macs(input, counting);
    }

    public Shape output() {
        return body.outputShape(input);
    }

    /** The per-layer table: name, type, output shape, params, MACs, activation memory. */
    public Table table() {
        Table t = summary().table();
        t.setName(name + " on " + input);
        return t;
    }

    /** The layers that do arithmetic, first: the convolutions and the classifier (see {@link Summary#arithmeticTable}). */
    public Table arithmeticTable() {
        Table t = summary().arithmeticTable();
        t.setName(name + " on " + input + " — " + t.name());
        return t;
    }

    public String toJson() {
        return withName(summary());
    }

    /** The summary's JSON with the model's name first: {@code {"model": name, "layers": …}}. */
    public String toJson(Counting counting) {
        return withName(summary(counting));
    }

    private String withName(Summary s) {
        return "{\"model\":" + Json.string(name) + "," + s.toJson().substring(1);
    }

    @Override
    public String toString() {
        return name + " (" + input + " input): " + String.format(java.util.Locale.ROOT, "%,d", params())
                + " params, " + String.format(java.util.Locale.ROOT, "%,d", macs()) + " MACs";
    }
}

package effconv.models;

import effconv.layers.Check;
import effconv.layers.Counting;
import effconv.layers.Format;
import effconv.layers.Layer;
import effconv.layers.Shape;

/**
 * A whole network: its name, the input it is defined for, and its layers. Its table and JSON are reports
 * ({@code Summary.of(model)}), kept out of the spec.
 */
public record Model(String name, Shape input, Layer body) {

    public Model {
        Check.notNull("name", name);
        Check.notNull("input", input);
        Check.notNull("body", body);
        body.outputShape(input); // a network that does not fit its input is refused here, with the layer's message
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

    @Override
    public String toString() {
        return name + " (" + input + " input): " + Format.count(params()) + " params, " + Format.count(macs())
                + " MACs";
    }
}

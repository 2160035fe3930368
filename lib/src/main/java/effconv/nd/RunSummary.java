package effconv.nd;

import effconv.layers.Layer;
import effconv.layers.Shape;
import effconv.report.Summary;
import effconv.runtime.Tensors;
import java.util.ArrayList;
import java.util.List;

/**
 * The summary of a real run: the layer built with seeded weights and run on a seeded input with ND4J. Each row's
 * output shape is the shape ND4J produced and its params the number of weights allocated — so a lesson shows the
 * machine agreeing with the cost model, not just the model.
 */
public final class RunSummary {
    private RunSummary() {
    }

    /** Throws {@link IllegalStateException} if the machine disagrees with the cost model, which would be a bug. */
    public static Summary of(Layer layer, Shape input) {
        Summary counted = Summary.of(layer, input);
        List<NdLayer.RowResult> results = NdLayer.init(layer, 0).forwardRows(Tensors.random(input, 0));
        List<Summary.Row> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            Summary.Row c = counted.rows().get(i);
            NdLayer.RowResult r = results.get(i);
            if (!r.output().equals(c.output()) || r.params() != c.params()) {
                throw new IllegalStateException("cost model and ND4J disagree on " + c.name() + ": counted "
                        + c.output() + " / " + c.params() + " params, ran " + r.output() + " / " + r.params());
            }
            rows.add(new Summary.Row(c.name(), c.path(), c.type(), r.output(), r.params(), c.macs()));
        }
        return Summary.ofRows(input, counted.output(), rows);
    }
}

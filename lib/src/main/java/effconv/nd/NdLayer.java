package effconv.nd;

import effconv.layers.Check;
import effconv.layers.Layer;
import effconv.layers.Shape;
import effconv.lower.Lowering;
import effconv.lower.Weight;
import effconv.runtime.Tensors;
import effconv.runtime.Weights;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A layer spec made real: its weights allocated in ND4J and a forward pass — the reference engine, which keeps
 * every layer's output. This is what the machine does, kept apart from what the papers count ({@link Layer}).
 * The spec is lowered ({@link Lowering}) and each op runs as one ND4J call ({@link NdRun}).
 *
 * <p>Weights are kept in PyTorch's layout and order — conv [out, in/groups, K, K] then bias [out]; batch norm
 * weight, bias, running mean, running variance [C]; linear [out, in] then bias [out] — so golden files made with
 * PyTorch load as they are; each op gets the layout it wants. The lowering names them; ops look them up by name.
 */
public final class NdLayer {

    /** What one summary row produced. */
    public record RowResult(Shape output, long params, INDArray value) {
    }

    private final Layer spec;
    private final List<INDArray> weights;
    private final Map<String, INDArray> byName = new HashMap<>();
    private final long allocated;
    private NdRun run;

    private NdLayer(Layer spec, List<Weight> named, List<INDArray> weights) {
        this.spec = spec;
        this.weights = List.copyOf(weights);
        long params = 0;
        for (int i = 0; i < named.size(); i++) {
            byName.put(named.get(i).name(), weights.get(i));
            params += named.get(i).learned() ? named.get(i).numel() : 0;
        }
        this.allocated = params;
    }

    /**
     * Allocates the layer with seeded weights ({@link Weights#seeded}: convolution and linear weights uniform in
     * ±1/√fan_in, PyTorch's default bound, batch norm statistics near but not at the identity), so the same seed
     * always gives the same layer.
     */
    public static NdLayer init(Layer spec, long seed) {
        Check.notNull("layer", spec);
        return new NdLayer(spec, Lowering.weights(spec), Weights.seeded(spec, seed));
    }

    /** The layer with given weights, in PyTorch's layout and order (see the class comment). */
    public static NdLayer withWeights(Layer spec, List<INDArray> weights) {
        Check.notNull("layer", spec);
        return new NdLayer(spec, Lowering.weights(spec), Weights.given(spec, weights));
    }

    /** The weights in PyTorch's layout and order. */
    public List<INDArray> weights() {
        return weights;
    }

    /**
     * Parameters actually allocated (to compare with the counted {@link Layer#params()}); batch norm's running
     * statistics are buffers, not parameters.
     */
    public long allocatedParams() {
        return allocated;
    }

    /** Runs the layer on one sample [1, C, H, W] and returns a new array with the result. */
    public INDArray forward(INDArray x) {
        return run(x).dup('c');
    }

    /**
     * Runs the layer on one sample [1, C, H, W] and returns the layer's own output buffer, which the next run
     * overwrites: what timing measures, without copying the result out. Use {@link #forward} to keep a result.
     */
    public INDArray run(INDArray x) {
        return execute(x, null);
    }

    /** Runs the layer and keeps every row's output (copies), as torchsummary's hooks see them. */
    public List<RowResult> forwardRows(INDArray x) {
        List<RowResult> rows = new ArrayList<>();
        execute(x, rows);
        return rows.stream().map(r -> new RowResult(r.output(), r.params(), r.value().dup('c'))).toList();
    }

    private INDArray execute(INDArray x, List<RowResult> rows) {
        Check.notNull("x", x);
        Shape in = Tensors.shapeOf(x);
        if (run == null || !in.equals(run.input())) {
            // lowering checks the whole network with the cost model first: a bad shape is reported before ND4J
            // sees it; then the memory guard, before any buffer
            run = NdRun.plan(spec, in, byName);
        }
        INDArray input = x.dataType() == DataType.FLOAT && x.ordering() == 'c'
                && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(x) ? x : x.castTo(DataType.FLOAT).dup('c');
        return run.run(input, rows);
    }

    @Override
    public String toString() {
        return "NdLayer(" + spec + ", " + weights.size() + " weight arrays)";
    }
}

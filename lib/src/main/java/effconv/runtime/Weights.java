package effconv.runtime;

import effconv.layers.Check;
import effconv.layers.Layer;
import effconv.lower.Lowering;
import effconv.lower.Weight;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A spec's weights as ND4J arrays, in the lowering's order ({@link Lowering#weights}: PyTorch's layout and order):
 * drawn from a seed, or given and checked. The one place for the seeded draws, so the reference and inference engines
 * start from the same numbers and training's draw stands beside theirs.
 */
public final class Weights {
    private Weights() {
    }

    /**
     * The spec's weights drawn from {@code seed} — convolution and linear weights uniform in ±1/√fan_in (PyTorch's
     * default bound), batch norm statistics near (but not at) the identity — each from its own generator split off
     * the seed, so the same seed always gives the same weights. What the reference and inference engines run with.
     */
    public static List<INDArray> seeded(Layer spec, long seed) {
        Check.notNull("layer", spec);
        List<Weight> named = Lowering.weights(spec);
        long bytes = 0;
        for (Weight w : named) {
            bytes = MemoryGuard.plus(bytes, MemoryGuard.floatBytes(w.shape()));
        }
        MemoryGuard.check("the weights of " + spec.getClass().getSimpleName(), bytes);
        SplittableRandom seeds = new SplittableRandom(seed);
        List<INDArray> ws = new ArrayList<>();
        for (Weight w : named) {
            ws.add(Tensors.random(w.shape(), w.init(), seeds.nextLong()));
        }
        return ws;
    }

    /**
     * Given weights checked against the spec's list — one array per weight, each of its shape — as floats; a wrong
     * count or shape is refused naming its index, its shape and what the spec needs there.
     */
    public static List<INDArray> given(Layer spec, List<INDArray> weights) {
        Check.notNull("layer", spec);
        Check.notNull("weights", weights);
        List<Weight> named = Lowering.weights(spec);
        List<INDArray> ws = new ArrayList<>();
        for (int k = 0; k < named.size(); k++) {
            long[] shape = named.get(k).shape();
            if (k >= weights.size() || !Arrays.equals(weights.get(k).shape(), shape)) {
                throw new IllegalArgumentException("weights[" + k + "] has shape "
                        + (k < weights.size() ? Arrays.toString(weights.get(k).shape()) : "(missing)")
                        + ", which is not allowed: " + spec + " needs " + Arrays.toString(shape) + " there");
            }
            ws.add(weights.get(k).castTo(DataType.FLOAT));
        }
        if (named.size() != weights.size()) {
            throw new IllegalArgumentException("weights has " + weights.size() + " arrays, which is not allowed: "
                    + spec + " takes " + named.size());
        }
        return ws;
    }

    /**
     * One weight's first values drawn as the lowering says ({@link Weight.Init}) from {@code r}, in row-major order:
     * training's draw, one generator for the whole network in op order.
     */
    public static INDArray draw(Random r, Weight weight) {
        INDArray a = Floats.create(weight.shape());
        float[] v = new float[(int) a.length()];
        for (int i = 0; i < v.length; i++) {
            v[i] = weight.init().draw(r.nextDouble());
        }
        Floats.write(v, a);
        return a;
    }
}

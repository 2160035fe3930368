package effconv.train;

import effconv.layers.Layer;

import org.bytedeco.dnnl.memory;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A module whose forward and backward passes are one primitive each, reading nothing it does not own but its input
 * and the gradient from above (ReLU, the shuffle, pooling): the shared bookkeeping — primitives made once per input
 * shape by {@link #build}, those two memories pointed at the caller's arrays on every call.
 */
abstract class PairedModule extends Module {

    /**
     * What {@link #build} makes for one input shape: the output and input-gradient arrays the module owns, the
     * memories over the input and the gradient from above (pointed on every call), and the two primitives.
     */
    record Pair(INDArray out, INDArray dx, memory src, memory diffDst, Primitives.Call forward,
                Primitives.Call backward) {
    }

    private long[] built;
    private Pair pair;

    PairedModule(String path, Layer spec) {
        super(path, spec);
    }

    /** The primitives for an input of logical dims {@code in}, [n, C, H, W]; holds what they use ({@link #hold}). */
    abstract Pair build(long[] in);

    @Override
    final INDArray forward(INDArray x, boolean training) {
        long[] in = Primitives.dims(x);
        if (!java.util.Arrays.equals(built, in)) {
            pair = build(in);
            built = in;
        }
        Primitives.point(pair.src(), x);
        pair.forward().run();
        return pair.out();
    }

    @Override
    final INDArray backward(INDArray dy) {
        Primitives.point(pair.diffDst(), dy);
        pair.backward().run();
        return pair.dx();
    }

    @Override
    final INDArray output() {
        return pair == null ? null : pair.out();
    }
}

package effconv.layers;

import java.util.List;

/**
 * A layer <em>spec</em>: a small immutable value that knows what the papers count — its output shape, its
 * parameters and its multiply-accumulates — without allocating anything. Running it is the job of
 * {@code effconv.nd.NdLayer}, in a package above this one.
 *
 * <p>What is counted, once for the whole course: <b>MACs</b> are multiply-accumulates (one multiply and one add),
 * which the papers call "mult-adds" and ptflops/thop/fvcore call "FLOPs". By default ({@link Counting#PAPERS}) only
 * convolutions and fully connected layers count; a bias adds a parameter per output channel but no MAC. Other
 * conventions are a {@link Counting} away.
 */
public sealed interface Layer permits Activation, BatchNorm, ChannelShuffle, Concat, FullyConnected, GlobalAvgPool,
        Named, Pool, Residual, Residual.Add, Sequence, ConvLayer, Composite {

    /**
     * One case per kind of layer, for code that must treat every kind (the lowering, a printer). Java 17 has no
     * exhaustive pattern switch (it is a preview), so the visitor is what makes the compiler list every walker that
     * misses a case: a new kind adds a method here, and every implementation stops compiling until it handles it.
     * {@code sealed} keeps the set closed, so no layer can exist that a visitor has no case for.
     */
    interface Visitor<R> {
        R activation(Activation a);

        R batchNorm(BatchNorm b);

        R shuffle(ChannelShuffle s);

        R concat(Concat c);

        R fullyConnected(FullyConnected f);

        R globalAvgPool(GlobalAvgPool g);

        R named(Named n);

        R pool(Pool p);

        R residual(Residual r);

        /** The addition a summary shows as a row of a residual; it never runs on its own. */
        R add(Residual.Add a);

        R sequence(Sequence s);

        /** Every convolution, whichever named special case it is (ConvLayer is sealed too). */
        R conv(ConvLayer c);

        /** A named block; it is open to other packages (models), and is what its {@link Composite#graph()} is. */
        R composite(Composite c);
    }

    /** This layer's case of the visitor. */
    <R> R accept(Visitor<R> visitor);

    /** The output shape for an input of the given shape; throws if the input does not fit this layer. */
    Shape outputShape(Shape input);

    /** Learnable parameters: weights plus biases (and batch norm's scale and shift). */
    long params();

    /** Multiply-accumulates for one sample of the given input shape, as the papers count them. */
    default long macs(Shape input) {
        return macs(input, Counting.PAPERS);
    }

    /** Multiply-accumulates for one sample, counted the given way. */
    long macs(Shape input, Counting counting);

    /** The module name torchsummary would print for this layer ("Conv2d"). */
    String torchType();

    /** A row of a summary: a leaf layer, where it sits ("fire2/expand3x3") and the input it sees. */
    record Leaf(String path, Layer layer, Shape input) {
        public Shape output() {
            return layer.outputShape(input);
        }
    }

    /** The leaf layers a summary shows one row each for, in the order they run; a plain layer is its own row. */
    default List<Leaf> leaves(Shape input) {
        outputShape(input);
        return List.of(new Leaf("", this, input));
    }
}

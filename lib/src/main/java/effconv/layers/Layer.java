package effconv.layers;

import effconv.nd.NdLayer;
import java.util.List;

/**
 * A layer <em>spec</em>: a small immutable value that knows what the papers count — its output shape, its
 * parameters and its multiply-accumulates — without allocating anything. Running it is {@link NdLayer}'s job.
 *
 * <p>What is counted, once for the whole course: <b>MACs</b> are multiply-accumulates (one multiply and one add),
 * which the papers call "mult-adds" and ptflops/thop/fvcore call "FLOPs". By default ({@link Counting#PAPERS}) only
 * convolutions and fully connected layers count; a bias adds a parameter per output channel but no MAC. Other
 * conventions are a {@link Counting} away.
 */
public interface Layer {

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

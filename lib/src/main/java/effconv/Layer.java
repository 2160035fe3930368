package effconv;

import java.util.List;

/**
 * A layer <em>spec</em>: a small immutable value that knows what the papers count — its output shape, its
 * parameters and its multiply-accumulates — without allocating anything. Running it is {@link NdLayer}'s job.
 *
 * <p>What is counted, once for the whole course: <b>MACs</b> are multiply-accumulates (one multiply and one add),
 * which the papers call "mult-adds" and ptflops/thop/fvcore call "FLOPs". A bias adds a parameter per output
 * channel but no MAC.
 */
public interface Layer {

    /** The output shape for an input of the given shape; throws if the input does not fit this layer. */
    Shape outputShape(Shape input);

    /** Learnable parameters: weights plus biases. */
    long params();

    /** Multiply-accumulates for one sample of the given input shape. */
    long macs(Shape input);

    /** The module name torchsummary would print for this layer ("Conv2d"). */
    String torchType();

    /** The layers a summary shows one row each for; a plain layer is its own single row. */
    default List<Layer> rows() {
        return List.of(this);
    }
}

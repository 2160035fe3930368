package effconv.train;

import effconv.layers.Layer;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * One layer spec made trainable: a forward pass on a batch [n, C, H, W] that keeps what its backward pass needs,
 * and a backward pass that turns the gradient of the loss with respect to its output into the gradient with
 * respect to its input, filling its parameters' gradients on the way. Each module owns its output buffers (made
 * again only when the batch shape changes); the next forward pass overwrites them.
 */
abstract class Module {
    final String path;
    final Layer spec;

    Module(String path, Layer spec) {
        this.path = path;
        this.spec = spec;
    }

    abstract INDArray forward(INDArray x, boolean training);

    abstract INDArray backward(INDArray dy);

    /**
     * The backward pass of the network's first layer, whose input gradient nobody reads: only the parameters'
     * gradients (a convolution then skips its backward-data primitive).
     */
    void backwardParams(INDArray dy) {
        backward(dy);
    }

    List<Param> params() {
        return List.of();
    }

    /** The output of the last forward pass. */
    abstract INDArray output();

    /**
     * The oneDNN descriptors, memories and buffers this module's primitives use, held as long as the module: a
     * primitive must never outlive a buffer it reads (freeing one under it crashes the process). Replaced when the
     * batch shape changes.
     */
    private final java.util.List<Object> natives = new java.util.ArrayList<>();

    /** Holds these for as long as the module (see the field above); {@code fresh} drops what an older shape held. */
    final void hold(boolean fresh, Object... objects) {
        if (fresh) {
            natives.clear();
        }
        natives.addAll(java.util.Arrays.asList(objects));
    }
}

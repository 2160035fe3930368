package effconv.layers;

import java.util.List;

/**
 * A named block made of other layers (a separable conv, a fire module, a ShuffleNet unit). Everything it
 * reports comes from its {@link #graph()}, so a block can never disagree with its parts.
 */
public non-sealed interface Composite extends Layer {

    /** The block as plain layers: sequences, concatenations, residual additions and leaves. */
    Layer graph();

    @Override
    default Shape outputShape(Shape input) {
        return graph().outputShape(input);
    }

    @Override
    default long params() {
        return graph().params();
    }

    @Override
    default long macs(Shape input, Counting counting) {
        return graph().macs(input, counting);
    }

    @Override
    default <R> R accept(Visitor<R> visitor) {
        return visitor.composite(this);
    }

    @Override
    default String torchType() {
        return getClass().getSimpleName();
    }

    @Override
    default List<Leaf> leaves(Shape input) {
        return graph().leaves(input);
    }
}

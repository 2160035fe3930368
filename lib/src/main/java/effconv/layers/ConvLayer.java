package effconv.layers;

/**
 * A convolution: {@link Conv2d} itself, or a named special case of it. It borrows the output shape and both counts from the Conv2d it is,
 * so no formula is written twice.
 */
public sealed interface ConvLayer extends Layer permits Conv2d, DepthwiseConv, DilatedConv, GroupedConv,
        PointwiseConv {

    /** The PyTorch {@code nn.Conv2d} this layer is. */
    Conv2d toConv2d();

    @Override
    default Shape outputShape(Shape input) {
        return toConv2d().outputShape(input);
    }

    @Override
    default long params() {
        return toConv2d().params();
    }

    @Override
    default long macs(Shape input, Counting counting) {
        return toConv2d().macs(input, counting);
    }

    @Override
    default <R> R accept(Visitor<R> visitor) {
        return visitor.conv(this);
    }

    @Override
    default String torchType() {
        return "Conv2d";
    }
}

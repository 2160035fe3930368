package effconv.layers;

/**
 * A fully connected layer on the flattened input: C·H·W must equal {@code in}. Output N×1×1. Parameters
 * in·N (+ N biases), MACs in·N.
 */
public record FullyConnected(int in, int out, boolean bias) implements Layer {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.fullyConnected(this);
    }

    public FullyConnected {
        Check.positive("in", in);
        Check.positive("out", out);
    }

    public static FullyConnected of(int in, int out) {
        return new FullyConnected(in, out, true);
    }

    @Override
    public Shape outputShape(Shape input) {
        Check.notNull("input", input);
        if (input.numel() != in) {
            throw new IllegalArgumentException("input " + input + " (" + input.numel() + " values) is not allowed: "
                    + "this Linear layer expects in = " + in + " values");
        }
        return Shape.of(out, 1, 1);
    }

    @Override
    public long params() {
        return Check.product("weight dimensions", in, out) + (bias ? out : 0);
    }

    @Override
    public long macs(Shape input, Counting counting) {
        outputShape(input);
        return (long) in * out + (bias && counting.bias() ? out : 0);
    }

    @Override
    public String torchType() {
        return "Linear";
    }
}

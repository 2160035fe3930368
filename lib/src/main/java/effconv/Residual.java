package effconv;

import java.util.ArrayList;
import java.util.List;

/**
 * y = body(x) + x: a residual connection (MobileNetV2's stride-1 bottleneck, ShuffleNet's stride-1 unit). The
 * addition is one op per output value, counted only with {@link Counting#additions()}.
 */
public record Residual(Layer body) implements Layer {

    public Residual {
        Check.notNull("body", body);
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape out = body.outputShape(input);
        if (!out.equals(input)) {
            throw new IllegalArgumentException("body output " + out + " is not allowed for a residual connection: "
                    + "it must equal the input, " + input + " (use stride 1 and as many output as input channels)");
        }
        return out;
    }

    @Override
    public long params() {
        return body.params();
    }

    @Override
    public long macs(Shape input, Counting counting) {
        return body.macs(input, counting) + (counting.additions() ? outputShape(input).numel() : 0);
    }

    @Override
    public String torchType() {
        return "Residual";
    }

    @Override
    public List<Leaf> leaves(Shape input) {
        outputShape(input);
        List<Leaf> out = new ArrayList<>(body.leaves(input));
        out.add(new Leaf("add", new Add(), input));
        return out;
    }

    /** The addition as a summary row: no parameters, one op per value when additions are counted. */
    public record Add() implements Layer {
        @Override
        public Shape outputShape(Shape input) {
            return input;
        }

        @Override
        public long params() {
            return 0;
        }

        @Override
        public long macs(Shape input, Counting counting) {
            return counting.additions() ? input.numel() : 0;
        }

        @Override
        public String torchType() {
            return "Add";
        }
    }

    @Override
    public String toString() {
        return "Residual(" + body + ")";
    }
}

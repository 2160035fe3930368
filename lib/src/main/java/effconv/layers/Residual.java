package effconv.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * y = body(x) + shortcut(x): a residual connection — with the identity as shortcut (MobileNetV2's stride-1
 * bottleneck, ShuffleNet's stride-1 unit) or a projection (Xception's 1×1 strided shortcut). The addition is one
 * op per output value, counted only with {@link Counting#additions()}.
 */
public record Residual(Layer body, Layer shortcut) implements Layer {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.residual(this);
    }

    public Residual {
        Check.notNull("body", body);
    }

    /** An identity shortcut. */
    public Residual(Layer body) {
        this(body, null);
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape out = body.outputShape(input);
        Shape skip = shortcut == null ? input : shortcut.outputShape(input);
        if (!out.equals(skip)) {
            throw new IllegalArgumentException("body output " + out + " is not allowed for a residual connection: "
                    + "it must equal the shortcut's, " + skip
                    + (shortcut == null ? " (use stride 1 and as many output as input channels)" : ""));
        }
        return out;
    }

    @Override
    public long params() {
        return body.params() + (shortcut == null ? 0 : shortcut.params());
    }

    @Override
    public long macs(Shape input, Counting counting) {
        return body.macs(input, counting) + (shortcut == null ? 0 : shortcut.macs(input, counting))
                + (counting.additions() ? outputShape(input).numel() : 0);
    }

    @Override
    public String torchType() {
        return "Residual";
    }

    @Override
    public List<Leaf> leaves(Shape input) {
        Shape output = outputShape(input);
        List<Leaf> out = new ArrayList<>(body.leaves(input));
        if (shortcut != null) {
            out.addAll(shortcut.leaves(input));
        }
        out.add(new Leaf("add", new Add(), output));
        return out;
    }

    /** The addition as a summary row: no parameters, one op per value when additions are counted. */
    public record Add() implements Layer {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.add(this);
    }
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
        return "Residual(" + body + (shortcut == null ? "" : ", shortcut " + shortcut) + ")";
    }
}

package effconv.layers;

/**
 * Max or average pooling over K×K windows. {@code ceil} rounds the output size up, as Caffe does (AlexNet's and
 * SqueezeNet's published shapes need it); a window that starts inside the padded input is kept even if it runs
 * past the edge, and averages then divide by the part inside. No parameters.
 */
public record Pool(Kind kind, int kernel, int stride, int padding, boolean ceil) implements Layer {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.pool(this);
    }

    public enum Kind { MAX, AVG }

    public Pool {
        Check.notNull("kind", kind);
        Check.positive("kernel", kernel);
        Check.positive("stride", stride);
        Check.nonNegative("padding", padding);
        if (2 * padding > kernel) {
            throw new IllegalArgumentException("padding = " + padding + " is not allowed: pooling padding must be "
                    + "at most half the kernel, " + kernel / 2);
        }
    }

    public static Pool max(int kernel, int stride) {
        return new Pool(Kind.MAX, kernel, stride, 0, false);
    }

    public static Pool avg(int kernel, int stride) {
        return new Pool(Kind.AVG, kernel, stride, 0, false);
    }

    public Pool padding(int p) {
        return new Pool(kind, kernel, stride, p, ceil);
    }

    /** Caffe's rounding: the output size rounds up. */
    public Pool ceilMode() {
        return new Pool(kind, kernel, stride, padding, true);
    }

    public int outputSize(int in, String axis) {
        int padded = in + 2 * padding;
        if (kernel > padded) {
            throw new IllegalArgumentException("kernel = " + kernel + " is not allowed for an input " + axis + " of "
                    + in + " with padding " + padding + ": the pooling window must fit the padded input, " + padded
                    + " wide");
        }
        int span = padded - kernel;
        int out = (ceil ? (span + stride - 1) / stride : span / stride) + 1;
        // as PyTorch and Caffe do: the last window must start inside the input or its left padding
        if (ceil && (out - 1) * stride >= in + padding) {
            out--;
        }
        return out;
    }

    /**
     * How far the last window runs past the padded input along an axis of {@code in} values: 0 unless ceil mode kept
     * a window that overhangs the edge (its average then divides by the part inside).
     */
    public int overhang(int in) {
        return Math.max(0, (outputSize(in, "size") - 1) * stride + kernel - (in + 2 * padding));
    }

    @Override
    public Shape outputShape(Shape input) {
        Check.notNull("input", input);
        return Shape.of(input.channels(), outputSize(input.height(), "height"), outputSize(input.width(), "width"));
    }

    @Override
    public long params() {
        return 0;
    }

    /** K² comparisons or additions per output value, when pooling is counted. */
    @Override
    public long macs(Shape input, Counting counting) {
        return counting.pooling() ? Check.product("pooling work", outputShape(input).numel(), kernel, kernel) : 0;
    }

    @Override
    public String torchType() {
        return switch (kind) {
            case MAX -> "MaxPool2d";
            case AVG -> "AvgPool2d";
        };
    }
}

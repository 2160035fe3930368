package effconv.layers;

/**
 * Batch normalization at inference: y = γ·(x − μ)/√(σ² + ε) + β per channel. Two learnable parameters per
 * channel (γ, β; torchsummary counts these); the running mean and variance are buffers, not parameters.
 */
public record BatchNorm(int channels) implements Layer {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.batchNorm(this);
    }

    public static final double EPS = 1e-5;

    public BatchNorm {
        Check.positive("channels", channels);
    }

    @Override
    public Shape outputShape(Shape input) {
        Check.notNull("input", input);
        if (input.channels() != channels) {
            throw new IllegalArgumentException("input channels = " + input.channels()
                    + " is not allowed: this BatchNorm2d expects channels = " + channels);
        }
        return input;
    }

    @Override
    public long params() {
        return 2L * channels;
    }

    /** Folded into one multiply-add per value when counted. */
    @Override
    public long macs(Shape input, Counting counting) {
        return counting.batchNorm() ? outputShape(input).numel() : 0;
    }

    @Override
    public String torchType() {
        return "BatchNorm2d";
    }
}

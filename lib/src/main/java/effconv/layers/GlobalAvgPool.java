package effconv.layers;

/** The average of each channel over the whole map: C×H×W → C×1×1. No parameters. */
public record GlobalAvgPool() implements Layer {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.globalAvgPool(this);
    }

    @Override
    public Shape outputShape(Shape input) {
        Check.notNull("input", input);
        return Shape.of(input.channels(), 1, 1);
    }

    @Override
    public long params() {
        return 0;
    }

    @Override
    public long macs(Shape input, Counting counting) {
        return counting.pooling() ? input.numel() : 0;
    }

    @Override
    public String torchType() {
        return "AdaptiveAvgPool2d";
    }
}

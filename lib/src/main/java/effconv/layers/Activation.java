package effconv.layers;

/** ReLU, max(0, x), or MobileNetV2's ReLU6, min(max(0, x), 6). No parameters. */
public record Activation(Kind kind) implements Layer {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.activation(this);
    }

    public enum Kind {
        RELU("ReLU"), RELU6("ReLU6");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** As the papers write it: ReLU, ReLU6. */
        public String label() {
            return label;
        }
    }

    public static final Activation RELU = new Activation(Kind.RELU);
    public static final Activation RELU6 = new Activation(Kind.RELU6);

    public Activation {
        Check.notNull("kind", kind);
    }

    @Override
    public Shape outputShape(Shape input) {
        return Check.notNull("input", input);
    }

    @Override
    public long params() {
        return 0;
    }

    /** A comparison per value, counted as one op when activations are counted. */
    @Override
    public long macs(Shape input, Counting counting) {
        return counting.activations() ? input.numel() : 0;
    }

    @Override
    public String torchType() {
        return switch (kind) {
            case RELU -> "ReLU";
            case RELU6 -> "ReLU6";
        };
    }
}

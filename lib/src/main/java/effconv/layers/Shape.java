package effconv.layers;

/**
 * The shape of one sample's feature map, channels × height × width (the batch dimension is left out, as
 * torchsummary prints it as -1).
 */
public record Shape(int channels, int height, int width) {

    public Shape {
        Check.positive("channels", channels);
        Check.positive("height", height);
        Check.positive("width", width);
    }

    public static Shape of(int channels, int height, int width) {
        return new Shape(channels, height, width);
    }

    /** A square feature map. */
    public static Shape of(int channels, int size) {
        return new Shape(channels, size, size);
    }

    /** Number of values in one sample. */
    public long numel() {
        return (long) channels * height * width; // at most (2^31)^3 < 2^63: cannot overflow
    }

    /** The shape with a batch dimension, as ND4J wants it: [n, C, H, W]. */
    public long[] withBatch(int n) {
        return new long[] {n, channels, height, width};
    }

    /** As torchsummary prints an output shape: {@code [-1, C, H, W]}. */
    public String torchString() {
        return "[-1, " + channels + ", " + height + ", " + width + "]";
    }

    @Override
    public String toString() {
        return channels + "×" + height + "×" + width;
    }
}

package effconv.train;

import effconv.layers.Check;
import effconv.layers.Shape;
import effconv.runtime.Floats;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Labelled pictures for training and testing — Fashion-MNIST's, or a task the library makes ({@link PatternPairs}) —
 * kept on the Java heap (12,000 Fashion-MNIST pictures are 37 MB) and copied into ND4J one batch at a time. Pixels
 * are stored standardised; {@link #picture} undoes that for showing one.
 */
public final class Images {
    private final String name;
    private final float[] pixels;
    private final int[] labels;
    private final int channels;
    private final int side;
    private final int classes;
    private final float mean;
    private final float std;
    private final int from;
    private final int count;

    Images(String name, float[] pixels, int[] labels, int channels, int side, int classes, float mean, float std,
           int from, int count) {
        this.name = name;
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.side = side;
        this.classes = classes;
        this.mean = mean;
        this.std = std;
        this.from = from;
        this.count = count;
    }

    /**
     * Pictures a task makes ({@code channels} × {@code side} × {@code side} each, row-major, one after another),
     * already on the scale the network takes (stored as they are), with their labels 0 … classes − 1.
     */
    public static Images of(String name, float[] pixels, int[] labels, int channels, int side, int classes) {
        return new Images(name, pixels, labels, channels, side, classes, 0f, 1f, 0, labels.length);
    }

    public int size() {
        return count;
    }

    /** The shape of one picture: channels × side × side. */
    public Shape shape() {
        return Shape.of(channels, side);
    }

    /** How many labels there are (labels are 0 … classes − 1). */
    public int classes() {
        return classes;
    }

    public int label(int i) {
        Check.nonNegative("i", i);
        Check.atMost("i", i, count - 1, "there are " + count + " images");
        return labels[from + i];
    }

    public Images first(int n) {
        Check.positive("n", n);
        Check.atMost("n", n, count, "there are " + count + " images");
        return new Images(name, pixels, labels, channels, side, classes, mean, std, from, n);
    }

    /**
     * The same pictures as two channels: the top half of each (rows 0 … side/2 − 1) in channel 0, the bottom half in
     * channel 1, the rest of each channel black. A network whose layers are all grouped in two, with no shuffle, then
     * sees the halves apart until its classifier ({@link TinyNet#halves()}).
     */
    public Images halves() {
        if (channels != 1) {
            throw new IllegalArgumentException("images = \"" + name + "\" is not allowed: only one-channel pictures "
                    + "split into halves, these have " + channels);
        }
        int plane = side * side;
        int top = side / 2 * side; // pixels of the top half, row by row
        float black = -mean / std; // a black pixel, standardised as the others are
        float[] two = new float[count * 2 * plane];
        java.util.Arrays.fill(two, black);
        for (int i = 0; i < count; i++) {
            int src = (from + i) * plane;
            System.arraycopy(pixels, src, two, 2 * i * plane, top);
            System.arraycopy(pixels, src + top, two, (2 * i + 1) * plane + top, plane - top);
        }
        int[] own = java.util.Arrays.copyOfRange(labels, from, from + count);
        return new Images(name + ", top and bottom halves as two channels", two, own, 2, side, classes, mean, std, 0,
                count);
    }

    private int plane() {
        return channels * side * side;
    }

    /** A batch of images [n, C, H, W] and their labels. */
    public record Batch(INDArray pixels, int[] labels) {
    }

    /** The n images at positions order[start], …, order[start + n − 1], as one batch with their labels. */
    public Batch batch(int[] order, int start, int n) {
        Check.notNull("order", order);
        Check.positive("n", n);
        if (start < 0 || start + n > order.length) {
            throw new IllegalArgumentException("start = " + start + " is not allowed: " + n + " images from there "
                    + "need order to have " + (start + n) + " positions, it has " + order.length);
        }
        float[] pixels = new float[n * plane()];
        int[] labels = new int[n];
        copy(order, start, n, pixels, labels);
        INDArray x = Floats.create(n, channels, side, side);
        Floats.write(pixels, x);
        return new Batch(x, labels);
    }

    /** Copies the images at the given positions into {@code batch} ([n, C, H, W] as floats) and their labels. */
    void copy(int[] order, int start, int n, float[] batch, int[] batchLabels) {
        int plane = plane();
        for (int i = 0; i < n; i++) {
            int k = from + order[start + i];
            System.arraycopy(pixels, k * plane, batch, i * plane, plane);
            batchLabels[i] = labels[k];
        }
    }

    /** Images [start, start + n) as one batch [n, C, H, W], with their labels written into {@code labels}. */
    public INDArray batch(int start, int n, int[] labels) {
        int plane = plane();
        float[] out = new float[n * plane];
        System.arraycopy(pixels, (from + start) * plane, out, 0, n * plane);
        System.arraycopy(this.labels, from + start, labels, 0, n);
        INDArray x = Floats.create(n, channels, side, side);
        Floats.write(out, x);
        return x;
    }

    /** One channel of one picture as a side × side array of raw intensities (standardisation undone), for showing it. */
    public double[][] picture(int i, int channel) {
        Check.nonNegative("i", i);
        Check.atMost("i", i, count - 1, "there are " + count + " images");
        Check.nonNegative("channel", channel);
        Check.atMost("channel", channel, channels - 1, "the pictures have " + channels + " channel"
                + (channels == 1 ? "" : "s"));
        double[][] p = new double[side][side];
        int base = (from + i) * plane() + channel * side * side;
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                p[r][c] = pixels[base + r * side + c] * std + mean;
            }
        }
        return p;
    }

    /** The first channel of one picture (a grayscale picture's only one). */
    public double[][] picture(int i) {
        return picture(i, 0);
    }

    @Override
    public String toString() {
        return name + ", " + count + " images of " + channels + "×" + side + "×" + side;
    }
}

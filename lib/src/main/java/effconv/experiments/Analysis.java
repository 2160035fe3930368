package effconv.experiments;

import effconv.layers.Check;
import effconv.runtime.Floats;
import effconv.train.Images;
import effconv.train.Network;
import effconv.train.Training;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * What a trained network learned, measured: how correlated its channels' responses are within and between groups,
 * which channels never fire (dead), what removing them saves, and whether a group can influence another at all.
 */
public final class Analysis {
    static final int BATCH = Training.EVAL_BATCH;

    private Analysis() {
    }

    /**
     * The correlation of a layer's output channels over the given images (every position of every image is one
     * observation), and its mean |r| over pairs of distinct channels in the same group and in different groups,
     * for the layer's channels split into {@code groups} equal consecutive groups.
     */
    public record Correlation(String layer, int groups, double[][] matrix, double within, double between) {
        /** |r| for every pair of channels, for a picture. */
        public double[][] absolute() {
            double[][] a = new double[matrix.length][];
            for (int i = 0; i < a.length; i++) {
                a[i] = java.util.Arrays.stream(matrix[i]).map(Math::abs).toArray();
            }
            return a;
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%s, %d groups: mean |correlation| %.3f within groups, "
                    + "%.3f between groups", layer, groups, within, between);
        }
    }

    /** Within one layer: see {@link Correlation}. */
    public static Correlation correlation(Network net, String layer, Images images, int groups) {
        return Correlations.within(net, layer, images, groups);
    }

    /**
     * Between two layers of the same spatial size, the correlation of each channel a of {@code from}'s output with
     * each channel b of {@code to}'s output at the same position (Ioannou's inter-layer view: how a layer's responses
     * relate to those of the layer before it), and the mean |r| over pairs whose channels fall in the same of
     * {@code groups} equal consecutive groups (a's group of {@code from}, b's of {@code to}) and in different ones.
     * The matrix is from's channels × to's.
     */
    public static Correlation interLayer(Network net, String from, String to, Images images, int groups) {
        return Correlations.interLayer(net, from, to, images, groups);
    }

    /** A ReLU layer's channels that output zero on at least {@code threshold} of all positions. */
    public record Dead(String layer, int channels, List<Integer> dead, double[] activeFraction) {
    }

    /** Every ReLU layer's dead channels. */
    public record DeadChannels(double threshold, List<Dead> layers) {
        public int total() {
            return layers.stream().mapToInt(d -> d.dead().size()).sum();
        }

        public int channels() {
            return layers.stream().mapToInt(Dead::channels).sum();
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(String.format(java.util.Locale.ROOT,
                    "%d of %d channels dead (zero on ≥ %.0f%% of positions)", total(), channels(), 100 * threshold));
            for (Dead d : layers) {
                b.append("\n  ").append(d.layer()).append(": ").append(d.dead().size()).append(" of ").append(d.channels());
            }
            return b.toString();
        }
    }

    /** Every ReLU layer's channels that output zero on at least {@code threshold} (in (0, 1]) of all positions. */
    public static DeadChannels deadChannels(Network net, Images images, double threshold) {
        return Pruning.find(net, images, threshold);
    }

    /**
     * The network with its dead channels removed: each such channel's filter (and batch norm entry) in the layer that
     * makes it, and its weights in the layer that reads it. Needs ungrouped convolutions around the removed channels.
     */
    public static Network prune(Network net, DeadChannels dead) {
        return Pruning.prune(net, dead);
    }

    /**
     * How much group i of layer {@code to}'s output can change when group j of layer {@code from}'s input changes:
     * the largest |∂(sum of group i's outputs) / ∂(an input in group j)| over the first batch of the images, as a g×g
     * matrix.
     * Exactly zero off the diagonal means the groups are isolated.
     */
    public static double[][] groupGradient(Network net, String from, String to, int groups, Images images) {
        Check.notNull("net", net);
        int a = net.indexOf(from);
        int b = net.indexOf(to);
        if (b < a) {
            throw new IllegalArgumentException("to = \"" + to + "\" is not allowed: it must come after from = \"" + from + "\"");
        }
        INDArray out = forward(net, images, 0, b + 1);
        int n = (int) out.size(0);
        int outC = (int) out.size(1);
        Check.divides("groups", groups, "the output channels of " + to, outC);
        double[][] g = new double[groups][groups];
        for (int i = 0; i < groups; i++) {
            float[] seed = new float[(int) out.length()];
            int per = outC / groups;
            int plane = (int) (out.size(2) * out.size(3));
            for (int s = 0; s < n; s++) {
                for (int c = i * per; c < (i + 1) * per; c++) {
                    java.util.Arrays.fill(seed, (s * outC + c) * plane, (s * outC + c + 1) * plane, 1f);
                }
            }
            INDArray dy = Floats.create(out.shape());
            Floats.write(seed, dy);
            INDArray dx = net.backward(dy, a, b + 1);
            int inC = (int) dx.size(1);
            Check.divides("groups", groups, "the input channels of " + from, inC);
            int inPer = inC / groups;
            int inPlane = (int) (dx.size(2) * dx.size(3));
            float[] v = Floats.read(dx.dup('c'));
            for (int s = 0; s < n; s++) {
                for (int c = 0; c < inC; c++) {
                    for (int p = 0; p < inPlane; p++) {
                        double x = Math.abs(v[(s * inC + c) * inPlane + p]);
                        int j = c / inPer;
                        g[i][j] = Math.max(g[i][j], x);
                    }
                }
            }
        }
        return g;
    }

    /** The output of layer {@code to - 1} for one batch of images from {@code start}, in evaluation mode. */
    static INDArray forward(Network net, Images images, int start, int to) {
        int b = Math.min(BATCH, images.size() - start);
        return net.forward(images.batch(start, b, new int[b]), false, 0, to);
    }
}

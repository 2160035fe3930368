package effconv.nd;

import effconv.layers.Check;
import effconv.layers.Layer;
import effconv.layers.Shape;
import effconv.runtime.Tensors;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Which input channels each output channel depends on, found by experiment rather than by reading the layer: run
 * the real layer, nudge one input channel, run again, and see which output channels changed. A grouped convolution
 * shows blocks on the diagonal; a channel shuffle between two grouped convolutions fills the matrix in.
 */
public final class Connectivity {
    private Connectivity() {
    }

    /** The largest number of input channels probed (one forward pass each). */
    public static final int MAX_CHANNELS = 256;

    /**
     * A matrix [output channel][input channel]: 1 where nudging the input channel changed the output channel,
     * else 0. The layer gets seeded weights ({@code seed}); the input is seeded too.
     */
    public static double[][] measure(Layer layer, Shape input, long seed) {
        Check.notNull("layer", layer);
        Check.notNull("input", input);
        Check.atMost("input channels", input.channels(), MAX_CHANNELS, "one forward pass per input channel");
        NdLayer nd = positive(layer, seed);
        INDArray x = Tensors.random(input, seed + 1);
        INDArray base = nd.forward(x);
        int outC = (int) base.size(1);
        double[][] m = new double[outC][input.channels()];
        for (int i = 0; i < input.channels(); i++) {
            INDArray nudged = x.dup();
            nudged.get(NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.all(), NDArrayIndex.all()).addi(1.0);
            INDArray diff = absDiff(nd.forward(nudged), base);
            for (int o = 0; o < outC; o++) {
                m[o][i] = diff.get(NDArrayIndex.point(0), NDArrayIndex.point(o)).maxNumber().doubleValue() > 1e-6 ? 1 : 0;
            }
        }
        return m;
    }

    /**
     * Seeded weights made positive, so that paths through the layer never cancel by chance: a zero in the result
     * then means "not connected", never "connected, but the weights happened to sum to nothing".
     */
    private static NdLayer positive(Layer layer, long seed) {
        return NdLayer.withWeights(layer, NdLayer.init(layer, seed).weights().stream()
                .map(w -> org.nd4j.linalg.ops.transforms.Transforms.abs(w, true).addi(0.01)).toList());
    }

    private static INDArray absDiff(INDArray a, INDArray b) {
        return org.nd4j.linalg.ops.transforms.Transforms.abs(a.sub(b), false);
    }

    /**
     * Which input pixels one output pixel depends on: a matrix [H][W] of the input, 1 where nudging that pixel (in
     * every channel) changes output channel 0 at ({@code row}, {@code col}). Found on the real layer, with seeded
     * weights; one forward pass per input pixel.
     */
    public static double[][] receptiveField(Layer layer, Shape input, int row, int col, long seed) {
        Check.notNull("layer", layer);
        Check.notNull("input", input);
        Check.atMost("input pixels", input.height() * input.width(), 4096, "one forward pass per pixel");
        Shape out = layer.outputShape(input);
        if (row < 0 || row >= out.height() || col < 0 || col >= out.width()) {
            throw new IllegalArgumentException("row, col = " + row + ", " + col + " is not allowed: the output is "
                    + out.height() + "×" + out.width());
        }
        NdLayer nd = positive(layer, seed);
        INDArray x = Tensors.random(input, seed + 1);
        double base = nd.forward(x).getDouble(0, 0, row, col);
        double[][] m = new double[input.height()][input.width()];
        for (int i = 0; i < input.height(); i++) {
            for (int j = 0; j < input.width(); j++) {
                INDArray nudged = x.dup();
                nudged.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.point(i), NDArrayIndex.point(j)).addi(1.0);
                m[i][j] = Math.abs(nd.forward(nudged).getDouble(0, 0, row, col) - base) > 1e-6 ? 1 : 0;
            }
        }
        return m;
    }

    /** True if every output channel depends on every input channel. */
    public static boolean dense(double[][] m) {
        for (double[] row : m) {
            for (double v : row) {
                if (v == 0) {
                    return false;
                }
            }
        }
        return true;
    }
}

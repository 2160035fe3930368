package effconv.nd;

import effconv.layers.Conv2d;
import effconv.layers.DepthwiseConv;
import effconv.layers.Shape;
import effconv.nd.NdLayer;
import effconv.runtime.Tensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Many random valid convolutions: the cost model's shape, params and MACs against what ND4J really allocates
 * and produces and against a naive loop, and ND4J's numbers against the naive loop's.
 */
class PropertyTest {

    static final int CASES = 150;

    @Test
    void costModelAndNd4jAgreeWithTheNaiveLoop() {
        SplittableRandom rnd = new SplittableRandom(7);
        int tried = 0;
        while (tried < CASES) {
            int g = 1 + rnd.nextInt(4);
            int in = g * (1 + rnd.nextInt(4));
            int out = g * (1 + rnd.nextInt(4));
            int k = 1 + rnd.nextInt(5);
            int s = 1 + rnd.nextInt(3);
            int p = rnd.nextInt(3);
            int d = 1 + rnd.nextInt(3);
            int h = 1 + rnd.nextInt(12);
            int w = 1 + rnd.nextInt(12);
            boolean bias = rnd.nextBoolean();
            Conv2d c = new Conv2d(in, out, k, s, p, d, g, bias);
            Shape input = Shape.of(in, h, w);
            if (c.effectiveKernel() > Math.min(h, w) + 2 * p) {
                continue; // invalid; BadInputTest covers those
            }
            tried++;
            check(c, input, rnd.nextLong());
        }
    }

    @Test
    void depthwiseWithMultiplierAgreesToo() {
        SplittableRandom rnd = new SplittableRandom(11);
        for (int i = 0; i < 30; i++) {
            DepthwiseConv dw = DepthwiseConv.of(1 + rnd.nextInt(6), 1 + 2 * rnd.nextInt(3))
                    .multiplier(1 + rnd.nextInt(3)).stride(1 + rnd.nextInt(2)).padding(rnd.nextInt(2));
            check(dw.toConv2d(), Shape.of(dw.channels(), 6 + rnd.nextInt(6)), rnd.nextLong());
        }
    }

    static void check(Conv2d c, Shape input, long seed) {
        NdLayer nd = NdLayer.init(c, seed);
        INDArray x = Tensors.random(input, seed + 1);
        INDArray y = nd.forward(x);
        String what = c + " on " + input;
        assertEquals(c.outputShape(input), Tensors.shapeOf(y), what + ": shape");
        assertEquals(c.params(), nd.allocatedParams(), what + ": params");

        float[][][] xs = toArray3(x);
        List<INDArray> ws = nd.weights();
        float[][][][] w = toArray4(ws.get(0));
        float[] b = c.bias() ? ws.get(1).toFloatVector() : null;
        NaiveConv naive = new NaiveConv();
        float[][][] ref = naive.run(c, xs, w, b);
        assertEquals(c.macs(input), naive.macs, what + ": MACs");
        Shape o = c.outputShape(input);
        float[][][] got = toArray3(y);
        for (int ch = 0; ch < o.channels(); ch++) {
            for (int i = 0; i < o.height(); i++) {
                for (int j = 0; j < o.width(); j++) {
                    assertTrue(Math.abs(ref[ch][i][j] - got[ch][i][j]) <= 1e-4,
                            what + ": value at " + ch + "," + i + "," + j);
                }
            }
        }
    }

    /** [1, C, H, W] to [C][H][W]. */
    static float[][][] toArray3(INDArray a) {
        return toArray4(a)[0];
    }

    static float[][][][] toArray4(INDArray a) {
        long[] s = a.shape();
        float[][][][] out = new float[(int) s[0]][(int) s[1]][(int) s[2]][(int) s[3]];
        for (int i = 0; i < s[0]; i++) {
            for (int j = 0; j < s[1]; j++) {
                for (int u = 0; u < s[2]; u++) {
                    for (int v = 0; v < s[3]; v++) {
                        out[i][j][u][v] = a.getFloat(i, j, u, v);
                    }
                }
            }
        }
        return out;
    }
}

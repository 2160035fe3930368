package effconv.nd;

import effconv.layers.Conv2d;

/**
 * The textbook convolution as plain loops — the independent reference the property tests compare ND4J and the
 * cost model with. Also counts the multiply-accumulates it performs.
 */
public final class NaiveConv {
    long macs;

    /** The multiply-accumulates the loops perform for {@code c} on an input of shape {@code in} (zeros). */
    public static long macs(Conv2d c, effconv.layers.Shape in) {
        NaiveConv loops = new NaiveConv();
        loops.run(c, new float[in.channels()][in.height()][in.width()],
                new float[c.outChannels()][c.inChannels() / c.groups()][c.kernel()][c.kernel()], null);
        return loops.macs;
    }

    /** x [C, H, W], w [out, in/g, K, K], b [out] or null. */
    float[][][] run(Conv2d c, float[][][] x, float[][][][] w, float[] b) {
        int h = x[0].length;
        int wd = x[0][0].length;
        int k = c.kernel();
        int ho = (h + 2 * c.padding() - c.dilation() * (k - 1) - 1) / c.stride() + 1;
        int wo = (wd + 2 * c.padding() - c.dilation() * (k - 1) - 1) / c.stride() + 1;
        int inPer = c.inChannels() / c.groups();
        int outPer = c.outChannels() / c.groups();
        float[][][] y = new float[c.outChannels()][ho][wo];
        for (int o = 0; o < c.outChannels(); o++) {
            int g = o / outPer;
            for (int i = 0; i < ho; i++) {
                for (int j = 0; j < wo; j++) {
                    double acc = b == null ? 0 : b[o];
                    for (int ci = 0; ci < inPer; ci++) {
                        for (int u = 0; u < k; u++) {
                            for (int v = 0; v < k; v++) {
                                int r = i * c.stride() - c.padding() + u * c.dilation();
                                int s = j * c.stride() - c.padding() + v * c.dilation();
                                macs++; // padded positions are multiplied by zero, and counted, as the papers do
                                if (r >= 0 && r < h && s >= 0 && s < wd) {
                                    acc += x[g * inPer + ci][r][s] * w[o][ci][u][v];
                                }
                            }
                        }
                    }
                    y[o][i][j] = (float) acc;
                }
            }
        }
        return y;
    }
}

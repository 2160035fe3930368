package effconv.lessons;

import effconv.layers.DilatedConv;
import effconv.layers.Shape;
import effconv.report.Rows;
import tech.tablesaw.api.Table;

/** Lesson 9's table: what dilation changes in a layer and what it does not. */
public final class DilatedConvolution {

    private DilatedConvolution() {
    }

    /** A K×K convolution C → C on 64×64 without padding, for d = 1 … 6: effective kernel, output size, cost. */
    public static Table byDilation(int c, int k) {
        Shape in = Shape.of(c, 64);
        Rows byD = Rows.of("A " + k + "×" + k + " convolution, " + c + " → " + c + " channels, on 64×64, padding 0",
                "dilation d", "k̂ = K + (K−1)(d−1)", "output size", "params", "MACs");
        for (int d = 1; d <= 6; d++) {
            DilatedConv l = DilatedConv.of(c, c, k, d);
            byD.add(d, l.toConv2d().effectiveKernel(), l.outputShape(in).height(), l.params(), l.macs(in));
        }
        return byD.table();
    }

    /** How many columns wide the marked region (entries equal to 1) of a receptive-field map is. */
    public static int widthSeen(double[][] map) {
        effconv.layers.Check.notNull("map", map);
        int lo = Integer.MAX_VALUE, hi = -1;
        for (double[] row : map) {
            for (int j = 0; j < row.length; j++) {
                if (row[j] == 1) {
                    lo = Math.min(lo, j);
                    hi = Math.max(hi, j);
                }
            }
        }
        return hi < 0 ? 0 : hi - lo + 1;
    }
}

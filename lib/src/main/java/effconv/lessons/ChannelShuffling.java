package effconv.lessons;

import effconv.layers.ChannelShuffle;
import effconv.layers.GroupedConv;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.nd.Connectivity;
import effconv.report.Rows;
import tech.tablesaw.api.Table;

/** Lesson 7's experiment: when one channel shuffle between two group convolutions connects everything. */
public final class ChannelShuffling {

    private ChannelShuffling() {
    }

    /**
     * For every g ≥ 2 that divides C: group conv → shuffle → group conv (1×1) on an H×H input, its input–output pairs
     * connected as measured by perturbing the real layers, beside the rule C/g ≥ g.
     */
    public static Table mixing(int c, int h) {
        Rows mixing = Rows.of("Group conv → shuffle → group conv, C = " + c + ": how many input–output pairs connect",
                "g", "C/g", "connected pairs", "of", "every output sees every input", "C/g ≥ g");
        for (int g = 2; g <= c; g++) {
            if (c % g != 0) continue;
            double[][] m = Connectivity.measure(Sequence.of(GroupedConv.of(c, c, 1, g), new ChannelShuffle(g),
                    GroupedConv.of(c, c, 1, g)), Shape.of(c, h), 1);
            long connected = 0;
            for (double[] row : m) for (double v : row) if (v == 1) connected++;
            mixing.add(g, c / g, connected, c * c, connected == (long) c * c, c / g >= g);
        }
        return mixing.table();
    }
}

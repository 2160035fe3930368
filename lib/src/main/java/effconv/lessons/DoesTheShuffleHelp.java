package effconv.lessons;

import effconv.layers.Check;
import effconv.train.Sweep;

/** Lesson 18's readings: exact zeros in a gradient matrix, and the committed tiny-ShuffleNet runs by shuffle. */
public final class DoesTheShuffleHelp {

    private DoesTheShuffleHelp() {
    }

    /** How many entries of the matrix are exactly zero. */
    public static long exactZeros(double[][] m) {
        Check.notNull("m", m);
        long zeros = 0;
        for (double[] row : m) for (double v : row) if (v == 0) zeros++;
        return zeros;
    }

    /** The runs with the shuffle, and g = 1 (which has nothing to shuffle). */
    public static Sweep withShuffle(Sweep shuffleNets) {
        return shuffleNets.where(n -> n.groups() == 1 || n.shuffle());
    }

    /** The runs without the shuffle, and g = 1. */
    public static Sweep withoutShuffle(Sweep shuffleNets) {
        return shuffleNets.where(n -> n.groups() == 1 || !n.shuffle());
    }
}

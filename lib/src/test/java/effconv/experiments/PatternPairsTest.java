package effconv.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import effconv.models.Model;
import effconv.runtime.Floats;
import effconv.train.Images;
import effconv.train.Network;
import effconv.train.TrainResult;

/** The controlled task: its pictures, why isolated groups cannot solve it, and that a mixing shuffle does. */
class PatternPairsTest {
    static final int SIDE = 12;

    @Test
    void halfThePicturesHaveTheSquaresAtTheSamePlaceInsideTheMargin() {
        Images pairs = PatternPairs.make(200, SIDE, 3, 7);
        assertEquals(200, pairs.size());
        assertEquals(2, pairs.classes());
        int same = 0;
        for (int i = 0; i < pairs.size(); i++) {
            double[][] a = pairs.picture(i, 0);
            double[][] b = pairs.picture(i, 1);
            assertEquals(9, sum(a), 1e-9);
            assertEquals(9, sum(b), 1e-9);
            for (int m = 0; m < PatternPairs.MARGIN; m++) { // nothing within the margin of any edge
                for (int k = 0; k < SIDE; k++) {
                    assertEquals(0, a[m][k] + a[SIDE - 1 - m][k] + a[k][m] + a[k][SIDE - 1 - m], 1e-9);
                }
            }
            boolean together = java.util.Arrays.deepEquals(a, b);
            assertEquals(together ? 1 : 0, pairs.label(i), "picture " + i);
            same += pairs.label(i);
        }
        assertEquals(100, same);
        assertEquals(PatternPairs.make(200, SIDE, 3, 7).label(17), pairs.label(17)); // the seed repeats it
    }

    /** Without the shuffle, what reaches the classifier is the same for every picture (up to float rounding). */
    @Test
    void isolatedGroupsSeeTheSameFeaturesWhereverTheSquaresAre() {
        Images pairs = PatternPairs.make(64, SIDE, 3, 3);
        assertTrue(logitSpread(PatternPairs.net(SIDE, 2, false, 16), pairs) < 1e-4);
        assertTrue(logitSpread(PatternPairs.net(SIDE, 2, true, 16), pairs) > 1e-3);
    }

    private static double logitSpread(Model net, Images pairs) {
        Network network = Network.of(net, 1);
        int[] labels = new int[pairs.size()];
        float[] logits = Floats.read(network.forward(pairs.batch(0, pairs.size(), labels), false));
        double spread = 0;
        for (int i = 0; i < logits.length; i++) {
            spread = Math.max(spread, Math.abs(logits[i] - logits[i % 2]));
        }
        return spread;
    }

    @Test
    void withTheShuffleTheTaskIsLearnedAndWithoutItNot() {
        Images train = PatternPairs.make(1024, SIDE, 3, 11);
        Images test = PatternPairs.make(400, SIDE, 3, 12);
        List<TrainResult.Epoch> mixed = PatternPairs.train(PatternPairs.net(SIDE, 2, true, 16), train, test, 2, 1);
        List<TrainResult.Epoch> isolated = PatternPairs.train(PatternPairs.net(SIDE, 2, false, 16), train, test, 2, 1);
        assertTrue(mixed.get(1).testAccuracy() > 0.9, mixed.toString());
        assertEquals(0.5, isolated.get(1).testAccuracy(), 0.06, isolated.toString());
    }

    @Test
    void impossibleTasksAndNetsAreRefusedNamingTheParameter() {
        assertMessage("images = 0", () -> PatternPairs.make(0, SIDE, 3, 1));
        assertMessage("images = 7 is not allowed: it must be even", () -> PatternPairs.make(7, SIDE, 3, 1));
        assertMessage("side = 8 is not allowed with square = 4", () -> PatternPairs.make(8, 8, 4, 1));
        assertMessage("square = 0", () -> PatternPairs.make(8, SIDE, 0, 1));
        assertMessage("groups = 3 is not allowed with width = 16", () -> PatternPairs.net(SIDE, 3, true, 16));
        assertMessage("groups = 4 is not allowed with width = 18", () -> PatternPairs.net(SIDE, 4, true, 18));
        assertMessage("net input", () -> PatternPairs.train(PatternPairs.net(16, 2, true, 16),
                PatternPairs.make(64, SIDE, 3, 1), PatternPairs.make(64, SIDE, 3, 2), 1, 1));
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }

    private static double sum(double[][] p) {
        double s = 0;
        for (double[] row : p) {
            for (double v : row) {
                s += v;
            }
        }
        return s;
    }
}

package effconv.fused;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import effconv.layers.GroupedConv;
import effconv.layers.Layer;
import effconv.layers.Shape;
import effconv.models.Models;
import effconv.models.ShuffleUnit;
import effconv.nd.NdLayer;
import effconv.runtime.Tensors;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The compiler's two options for timing like for like: tuning the grouped convolutions, and channels-last arrays. */
class TunedTest {

    private static double maxDifference(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }

    /** Tuning only chooses among layouts and kernels: the output is the untuned one to rounding. */
    @Test
    void tuningChangesTheKernelsNotTheResult() {
        for (int g : new int[] {2, 8, 32}) {
            Layer spec = GroupedConv.of(96, 256, 5, g).padding(2);
            FusedNet plain = FusedNet.compile(spec, Shape.of(96, 13), 0);
            FusedNet tuned = plain.tuned();
            INDArray x = Tensors.random(Shape.of(96, 13), 1);
            assertTrue(maxDifference(plain.forward(x), tuned.forward(x)) < 1e-4, "g = " + g);
            assertTrue(plain.choices().isEmpty());
            assertEquals(1, tuned.choices().size(), tuned.choices().toString());
            // "… : kernel (layout) t ms of [every candidate]", the chosen one the fastest listed
            String choice = tuned.choices().get(0);
            assertTrue(choice.contains(" ms of ["), choice);
            assertTrue(tuned.fallbacks().isEmpty(), tuned.primitives().toString());
            // one grouped primitive or one per group, whichever was faster here: the candidates include both, and
            // what runs is what was chosen
            assertTrue(choice.contains(Tuner.PER_GROUP + " (a reorder in and out per group) "), choice);
            assertTrue(choice.contains("as " + g / 2 + " groups (zeros between the merged groups: 2× the MACs) "),
                    choice);
            boolean fewer = tuned.primitives().stream().anyMatch(p -> p.contains(" as " + g / 2 + " groups"));
            assertEquals(choice.substring(choice.indexOf(": ") + 2).startsWith("as " + g / 2 + " groups"), fewer,
                    choice + "\n" + tuned.primitives());
            boolean split = tuned.primitives().stream().anyMatch(p -> p.contains(", group 1 of " + g));
            assertEquals(choice.substring(choice.indexOf(": ") + 2).startsWith(Tuner.PER_GROUP), split,
                    choice + "\n" + tuned.primitives());
            // compiled again in this process (a student re-running the cell): the same choice, with the times it
            // was made on
            assertEquals(tuned.choices(), FusedNet.compile(spec, Shape.of(96, 13), 0).tuned().choices());
            assertTrue(!choice.contains("NaN"), choice);
        }
        FusedNet unit = FusedNet.compile(new ShuffleUnit(240, 240, 3, 1, true), Shape.of(240, 14), 0).tuned();
        assertEquals(3, unit.choices().size(), unit.choices().toString()); // two grouped 1×1s and the depthwise 3×3, each timed
        // a depthwise convolution has no per-group candidate: each group is one channel, and it is one primitive
        assertEquals(2, unit.choices().stream().filter(c -> c.contains(Tuner.PER_GROUP)).count(),
                unit.choices().toString());
    }

    /** Fewer groups with zeros between them compute the same convolution: the alternative tuning may choose. */
    @Test
    void halfTheGroupsWithZeroBlocksGiveTheSameOutput() {
        for (int g : new int[] {2, 8, 32}) {
            GroupedConv spec = GroupedConv.of(32, 64, 3, g).padding(1);
            NdLayer nd = NdLayer.init(spec, 3);
            float[] w = nd.weights().get(0).data().asFloat();
            float[] wide = Groups.merged(spec.toConv2d(), w, 2);
            INDArray merged = org.nd4j.linalg.factory.Nd4j.create(wide, new long[] {64, 2 * 32 / g, 3, 3}, 'c');
            INDArray x = Tensors.random(Shape.of(32, 9), 4);
            INDArray expected = nd.forward(x);
            INDArray got = FusedNet.withWeights(GroupedConv.of(32, 64, 3, g / 2).padding(1), Shape.of(32, 9),
                    List.of(merged)).forward(x);
            assertTrue(maxDifference(expected, got) < 1e-4, "g = " + g + ": " + maxDifference(expected, got));
            // half of each merged group's weights are the zeros between its two original groups
            long zeros = 0;
            for (float v : wide) {
                zeros += v == 0 ? 1 : 0;
            }
            assertEquals(w.length, zeros, "g = " + g);
        }
    }

    /** An alternative is chosen only when it beats every single primitive by more than 5%; the fastest otherwise. */
    @Test
    void anAlternativeMustWinClearly() {
        Tuner.Candidate a = new Tuner.Candidate("brgconv", "acdb → acdb", 1.00);
        Tuner.Candidate b = new Tuner.Candidate("gemm", "abcd → abcd", 0.90);
        Tuner.Candidate near = new Tuner.Candidate(Tuner.PER_GROUP, "", 0.87);
        Tuner.Candidate clear = new Tuner.Candidate("as 16 groups", "", 0.80);
        Tuner.Candidate failed = new Tuner.Candidate("x", "could not be built", Double.NaN);
        assertEquals(1, Tuner.choose(List.of(a, b, near), 2)); // 0.87 is not 5% under 0.90
        assertEquals(3, Tuner.choose(List.of(a, b, near, clear), 2));
        assertEquals(1, Tuner.choose(List.of(failed, b, failed), 2)); // what failed is never chosen
        assertEquals(0, Tuner.choose(List.of(failed), 1)); // nothing ran: oneDNN's first offer
    }

    /** A candidate that cannot be built is listed with why and never chosen; it does not end the compile. */
    @Test
    void aCandidateThatFailsIsListedAndSkipped() {
        Tuner.Candidate failed = Tuner.attempt(Tuner.PER_GROUP, "a reorder in and out per group", () -> {
            throw new IllegalStateException("no kernel for this slice");
        });
        assertTrue(Double.isNaN(failed.millis()));
        assertEquals("one primitive per group (could not be built: no kernel for this slice) NaN ms", failed.toString());
        assertEquals(1.5, Tuner.attempt("k", "l", () -> 1.5).millis());
    }

    /** Channels-last in and out: the same numbers as the NCHW run, transposed, for a layer and a whole network. */
    @Test
    void channelsLastTakesAndReturnsTheSameNumbersTransposed() {
        for (var c : List.of(new Object[] {GroupedConv.of(96, 256, 5, 8).padding(2), Shape.of(96, 13)},
                new Object[] {Models.shufflenetV1(3, 0.5).body(), Shape.of(3, 64)})) {
            Layer spec = (Layer) c[0];
            Shape in = (Shape) c[1];
            FusedNet nchw = FusedNet.compile(spec, in, 0);
            FusedNet nhwc = nchw.channelsLast();
            assertTrue(nhwc.isChannelsLast() && !nchw.isChannelsLast());
            INDArray x = Tensors.random(in, 2);
            INDArray expected = nchw.forward(x);
            INDArray got = nhwc.forward(x.permute(0, 2, 3, 1).dup('c'));
            assertEquals(expected.size(1), got.size(3));
            assertTrue(maxDifference(expected, got.permute(0, 3, 1, 2)) < 1e-4, spec.toString());
        }
        FusedNet nhwc = FusedNet.compile(GroupedConv.of(8, 8, 3, 2).padding(1), Shape.of(8, 6), 0).channelsLast();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> nhwc.run(Tensors.random(Shape.of(8, 6), 1).reshape(8, 6, 6)));
        assertEquals("x has shape [8, 6, 6], which is not allowed: expected one sample, channels-last, [1, H, W, C]",
                e.getMessage());
    }

    /**
     * An option's copy builds its primitives when first needed, so chained options build one plan; a refused
     * sample leaves it as it was.
     */
    @Test
    void chainedOptionsBuildWhenFirstNeededAndSurviveABadSample() {
        FusedNet chained = FusedNet.compile(GroupedConv.of(8, 8, 3, 2).padding(1), Shape.of(8, 6), 0).tuned()
                .channelsLast();
        assertEquals(Shape.of(8, 6), chained.input());
        // [1, 6, 6, 4] read channels-last is 4 channels: the spec wants 8
        INDArray four = Tensors.random(Shape.of(4, 6), 1).reshape(1, 6, 6, 4);
        assertThrows(IllegalArgumentException.class, () -> chained.run(four));
        assertEquals(Shape.of(8, 6), chained.input());
        assertEquals(1, chained.choices().size(), "one choice for its grouped convolution, tuned");
        INDArray x = Tensors.random(Shape.of(8, 6), 3);
        INDArray expected = FusedNet.compile(GroupedConv.of(8, 8, 3, 2).padding(1), Shape.of(8, 6), 0).forward(x);
        INDArray got = chained.forward(x.permute(0, 2, 3, 1).dup('c'));
        assertTrue(maxDifference(expected, got.permute(0, 3, 1, 2)) < 1e-4);
    }
}

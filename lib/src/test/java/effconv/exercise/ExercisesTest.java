package effconv.exercise;

import effconv.models.Models;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The self-checks: their expected values against hand derivations, and what a student sees for every kind of answer. */
class ExercisesTest {

    private static void right(Exercise e, Object answer) {
        Exercise.Verdict v = e.check(answer);
        assertTrue(v.right(), e.question() + " with " + answer + ": " + v);
        assertTrue(v.message().startsWith("✓ Right"), v.message());
    }

    private static void notRight(Exercise e, Object answer) {
        assertFalse(e.check(answer).right(), e.question() + " with " + answer);
    }

    @Test
    void expectedValuesMatchHandDerivations() {
        right(Exercises.standardParams(100, 1000, 5), 2_500_000L);            // N·C·K²
        right(Exercises.separableParams(100, 1000, 5), 102_500);              // C·(K² + N)
        right(Exercises.peakKernel(17), 9);                                   // (H + 1)/2
        right(Exercises.peakKernel(16), 8);                                   // 8·9 = 9·8: a tie
        right(Exercises.peakKernel(16), 9);
        notRight(Exercises.peakKernel(16), 10);
        right(Exercises.largestNWithSmallSaving(3), 2);                       // 1/N + 1/9 > 1/2 ⇔ N < 18/7
        right(Exercises.depthwiseMacs(32, 3, 112, 1), 3_612_672);             // 3·3·32·112·112
        right(Exercises.depthwiseEqualsPointwise(3), 9);                      // C·K² = C·C
        right(Exercises.squeezeBreakEven(256, 256, 3), 230.4);                // 256·256·9 / 2560
        right(Exercises.squeezeBreakEven(256, 256, 3), 230);                  // within one channel
        right(Exercises.fireModuleWithMostParams(), "fire9");
        right(Exercises.fireModuleParams(96, 16, 64, 64), 11_920);          // 16·97 + 64·17 + 64·145
        right(Exercises.separableSaving(728, 3), 1 / (1.0 / 728 + 1.0 / 9));
        right(Exercises.fireModuleWithMostMacs(), " Fire8 ");                 // case and spaces ignored
        right(Exercises.zeroFraction(4), 0.75);
        right(Exercises.alexnetLayerWithMostParams(2), "fc6");
        right(Exercises.alexnetLayerWithMostMacs(2), "conv2");
        right(Exercises.alexnetOutputChannels(), 10_568);                    // Ioannou's constant MAC offset
        right(Exercises.smallestGroupsWithin(256, 256, 3, 28, 60_000_000L), 8); // 462 M / g ≤ 60 M ⇒ g = 8
        right(Exercises.shuffledPosition(12, 4, 5), 9);                       // group 1, position 2 → 2·4 + 1
        right(Exercises.shuffleUnitSaving(240, 60, 28, 3), 61_200.0 / 10_140); // per position, lesson 5's formulas
        right(Exercises.largestFullyMixingGroups(12), 3);
        right(Exercises.largestFullyMixingGroups(48), 6);
        right(Exercises.receptiveField(5, 1, 1, 1, 1), 17);
        right(Exercises.receptiveField(5, 1, 2, 4, 8), 61);
        right(Exercises.samePadding(3, 8), 8);
        right(Exercises.fewestDoublingLayers(3, 64), 6);                      // 1 + 2·(2^L − 1) ≥ 64
        right(Exercises.mobilenetLastTwoBlocksShare(), 13.7);
        right(Exercises.widestAlphaWithin(200_000_000L), 0.5);               // 149 M; 0.75 needs 325 M
        right(Exercises.largestResolutionWithin(200_000_000L), 128);         // 186 M; 160 needs 291 M
        right(Exercises.smallestGroupsWithin(96, 256, 5, 27, 100_000_000L), 8); // AlexNet's conv2: 448 M / 8
        right(Exercises.v2FewerMacsPercent(), 100 * (1 - 300.77 / 568.74));
        right(Exercises.expansionBreakEven(32, 32), 288.0 / 73);              // t·32·(32 + 9 + 32) = 32·32·9
        right(Exercises.pointwiseOverDepthwise(512, 14), 512.0 / 9);
        right(Exercises.residualConnections(Models.mobilenetV2(1, 224)), 10);
        right(Exercises.sameGroupPairFraction(64, 4), 15.0 / 63);            // (C/g − 1)/(C − 1)
        right(Exercises.isolatedGroupPairs(24, 8), 56);                      // g² − g
        right(Exercises.isolatedGroupPairs(12, 3), 6);
        right(Exercises.prunedChannelParams(16, 64, 3), 721);                // (C_in + N) · K² + 1
        right(Exercises.prunedChannelParams(3, 5, 1), 9);
        right(Exercises.groupsReadAfterShuffle(16, 8), 2);                   // min(c/g, g)
        right(Exercises.groupsReadAfterShuffle(16, 4), 4);
        right(Exercises.groupsReadAfterShuffle(64, 8), 8);
        right(Exercises.layersOfType(Models.mobilenetV1(1, 224), "BatchNorm2d"), 27);   // conv1 and 13 × (dw, pw)
    }

    @Test
    void aWrongAnswerGetsADirectionAndTheHintButNotTheValue() {
        Exercise e = Exercises.standardParams(100, 1000, 5);
        String low = e.check(2_000_000).message(), high = e.check(3_000_000L).message();
        assertTrue(low.startsWith("✗ Not yet: 2,000,000 is too low. Hint: N · C · K²") || low.contains("too low"), low);
        assertTrue(high.contains("too high") && high.contains("Hint: "), high);
        assertFalse(low.contains("2,500,000") || low.contains("2500000"), low);
        notRight(Exercises.squeezeBreakEven(256, 256, 3), 228);
        notRight(Exercises.fireModuleWithMostParams(), "fire2");
        assertFalse(Exercises.fireModuleWithMostParams().check("fire2").message().contains("fire9"));
    }

    @Test
    void answersOfTheWrongKindGetOneLineNamingWhatIsAllowed() {
        Exercise count = Exercises.standardParams(100, 1000, 5);
        assertEquals("✗ answer is missing: give a whole number, 0 or more.", count.check(null).message());
        assertEquals("✗ answer = \"2500000\" (text) is not allowed: give a whole number, 0 or more, without quotes.",
                count.check("2500000").message());
        assertEquals("✗ answer = -5 is not allowed: the standard layer's parameter count is a whole number, 0 or more.",
                count.check(-5).message());
        assertTrue(count.check(2.5).message().contains("is not allowed"));
        assertTrue(count.check(Double.NaN).message().contains("is not allowed"));
        assertTrue(Exercises.zeroFraction(4).check(75).message().contains("a fraction from 0 to 1"));
        assertEquals("✗ answer = 9 is not allowed: give a name, in quotes.",
                Exercises.fireModuleWithMostMacs().check(9).message());
        assertEquals("✗ No answer yet: put a name between the quotes.", Exercises.fireModuleWithMostMacs().check(" ").message());
        assertEquals("✗ No answer yet: put a number above 0 in place of the 0.",
                Exercises.squeezeBreakEven(256, 256, 3).check(0.0).message());
        assertTrue(Exercises.squeezeBreakEven(256, 256, 3).check(-1).message().contains("is not allowed"));
        for (Object odd : new Object[] {new int[] {1}, java.util.List.of(1), 'x', true}) {
            assertTrue(count.check(odd).message().startsWith("✗ answer = "), String.valueOf(odd));
        }
    }

    @Test
    void impossibleExercisesAreRefusedNamingTheParameter() {
        assertEquals("budget = 0 is not allowed: above 0", assertThrows(IllegalArgumentException.class,
                () -> Exercises.widestAlphaWithin(0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Exercises.widestAlphaWithin(1000))
                .getMessage().startsWith("budget = 1000 is not allowed"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> Exercises.layersOfType(Models.mobilenetV1(1, 224), "BatchNorm")).getMessage()
                .startsWith("type = \"BatchNorm\" is not allowed: "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Exercises.shuffledPosition(12, 4, 12))
                .getMessage().startsWith("channel = 12 is not allowed"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Exercises.shuffledPosition(12, 5, 1))
                .getMessage().startsWith("g = 5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Exercises.smallestGroupsWithin(256, 256, 3, 28, 1))
                .getMessage().startsWith("budget = 1 is not allowed"));
    }
}

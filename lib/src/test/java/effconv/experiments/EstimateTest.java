package effconv.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EstimateTest {

    @Test
    void aMeanAndItsStandardErrorByHand() {
        // 1 … 5: mean 3, sample variance 10/4 = 2.5, SE √(2.5/5)
        Estimate e = Estimate.of(1, 2, 3, 4, 5);
        assertEquals(3, e.mean(), 1e-12);
        assertEquals(Math.sqrt(0.5), e.standardError(), 1e-12);
        assertEquals(5, e.n());
        assertEquals("+3.00 ± 0.71", e.plusMinus(2));
        assertEquals(300, e.times(100).mean(), 1e-9);
        assertEquals(100 * Math.sqrt(0.5), e.times(-100).standardError(), 1e-9);
    }

    @Test
    void pairingRemovesWhatTheSeedDoesToBoth() {
        // each seed moves both by the same amount; the difference is 1 ± 0 whatever the seeds did
        double[] a = {81, 84, 79, 86};
        double[] b = {80, 83, 78, 85};
        Estimate paired = Estimate.pairedDifference(a, b);
        assertEquals(1, paired.mean(), 1e-12);
        assertEquals(0, paired.standardError(), 1e-12);
        assertTrue(paired.beyondTwoStandardErrors());
        assertTrue(Estimate.of(a).standardError() > 1); // unpaired, the seeds' spread would swamp it
        assertEquals("beyond 2 SE (Infinity SE): up", paired.verdict("up", "down"));
    }

    @Test
    void independentEstimatesAddTheirErrorsInQuadrature() {
        Estimate d = Estimate.difference(new Estimate(85, 0.3, 5), new Estimate(84, 0.4, 5));
        assertEquals(1, d.mean(), 1e-12);
        assertEquals(0.5, d.standardError(), 1e-12); // √(0.09 + 0.16)
        assertEquals("within 2 SE: noise", d.verdict("up", "down"));
    }

    @Test
    void twoStandardErrorsDecide() {
        Estimate clear = Estimate.pairedDifference(new double[] {3, 3.2, 2.9}, new double[] {1, 1, 1});
        assertTrue(clear.beyondTwoStandardErrors());
        assertTrue(clear.verdict("up", "down").startsWith("beyond 2 SE ("), clear.verdict("up", "down"));
        Estimate noise = Estimate.of(-1, 1, 0.5, -0.2);
        assertFalse(noise.beyondTwoStandardErrors());
        assertEquals("within 2 SE: noise", noise.verdict("up", "down"));
        assertTrue(Estimate.of(-3, -3.1, -2.9).verdict("up", "down").endsWith(": down"));
        assertEquals(0, Estimate.of(0, 0).inStandardErrors());
    }

    @Test
    void badInputIsNamed() {
        var one = assertThrows(IllegalArgumentException.class, () -> Estimate.of(0.8));
        assertTrue(one.getMessage().startsWith("values has 1 entries, which is not allowed"), one.getMessage());
        var unpaired = assertThrows(IllegalArgumentException.class,
                () -> Estimate.pairedDifference(new double[] {1, 2}, new double[] {1, 2, 3}));
        assertTrue(unpaired.getMessage().startsWith("b has 3 values"), unpaired.getMessage());
    }
}

package effconv.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import effconv.train.FashionMnist;
import effconv.train.Images;
import effconv.train.Network;
import effconv.train.TinyNet;

import org.junit.jupiter.api.Test;

class AnalysisTest {

    @Test
    void theInterLayerCorrelationOfAChannelWithItsOwnBatchNormIsOne() {
        // at inference, batch norm maps each channel by x·s + t with s > 0 (γ = 1 untrained): channel a's response
        // and its normalised self correlate exactly, r = 1, whatever the weights
        Network n = Network.of(TinyNet.alexNet(4).model(), 1);
        Images images = FashionMnist.test(100);
        Analysis.Correlation c = Analysis.interLayer(n, "conv5/conv", "conv5/bn", images, 4);
        assertEquals(64, c.matrix().length);
        assertEquals(64, c.matrix()[0].length);
        for (int a = 0; a < 64; a++) {
            assertEquals(1, c.matrix()[a][a], 1e-4, "channel " + a);
        }
        // and it agrees with the within-layer correlation off the diagonal, pair by pair
        Analysis.Correlation own = Analysis.correlation(n, "conv5/conv", images, 4);
        for (int a = 0; a < 64; a += 7) {
            for (int b = 0; b < 64; b += 5) {
                assertEquals(own.matrix()[a][b], c.matrix()[a][b], 1e-4, a + ", " + b);
            }
        }
        assertTrue(c.within() > 0 && c.between() > 0, c.toString());
        assertEquals("conv5/conv → conv5/bn", c.layer());
    }

    @Test
    void badLayersAreNamed() {
        Network n = Network.of(TinyNet.alexNet(4).model(), 1);
        Images images = FashionMnist.test(50);
        var order = assertThrows(IllegalArgumentException.class,
                () -> Analysis.interLayer(n, "conv5/conv", "conv4/conv", images, 4));
        assertTrue(order.getMessage().startsWith("to = \"conv4/conv\" is not allowed: it must come after"),
                order.getMessage());
        var size = assertThrows(IllegalArgumentException.class,
                () -> Analysis.interLayer(n, "conv1/conv", "conv5/conv", images, 4));
        assertTrue(size.getMessage().contains("positions must match"), size.getMessage());
    }
}

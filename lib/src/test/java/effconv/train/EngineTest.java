package effconv.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import effconv.layers.ChannelShuffle;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.models.Model;
import effconv.runtime.Floats;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The training engine's oneDNN primitives against what they replaced and against the definitions: GradientTest checks
 * each backward pass against central differences; here the forward passes are checked against the ND4J modules of
 * commit 676073a (one op per group, Java loops for batch norm), on the same seed and input.
 */
class EngineTest {

    /** ShuffleNet's shuffle: channels as a g × C/g grid, transposed; the backward pass is the inverse. */
    /**
     * A seed draws the first weights it always drew (He-normal convolutions, PyTorch's default for biases and linear
     * layers, one java.util.Random in op order), now through the lowering's weights: every committed sweep row
     * depends on it. Σ k·Σ|w_k| over the parameters, exact in double, as the modules drew them at commit 4fb7037.
     */
    @Test
    void aSeedDrawsTheFirstWeightsItDrew() {
        double[] before = {32324.84962548104, 42772.514378604435};
        List<Model> models = List.of(TinyNet.alexNet(4).model(),
                new TinyNet(TinyNet.SHUFFLENET, 4, true, false, false, false).model());
        for (int i = 0; i < models.size(); i++) {
            List<Param> ps = Network.of(models.get(i), 7).params();
            double weighted = 0;
            for (int k = 0; k < ps.size(); k++) {
                double sum = 0;
                for (float v : Floats.read(ps.get(k).value())) {
                    sum += Math.abs(v);
                }
                weighted += (k + 1) * sum;
            }
            assertEquals(before[i], weighted, 1e-9 * before[i], models.get(i).name());
        }
    }

    @Test
    void theShuffleIsShuffleNets() {
        Network n = Network.of(new Model("shuffle", Shape.of(12, 1), new Sequence(List.of(new ChannelShuffle(3)))), 1);
        INDArray x = Floats.create(1, 12, 1, 1);
        float[] v = new float[12];
        for (int i = 0; i < 12; i++) {
            v[i] = i;
        }
        Floats.write(v, x);
        assertArrayEquals(new float[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, Floats.read(n.forward(x, true).dup('c')));
        assertArrayEquals(new float[] {0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11}, Floats.read(n.backward(x, 0, 1).dup('c')));
    }

    /**
     * The first six logits of the two training networks (g = 4, seed 7, three inputs drawn from seed 11), before and
     * after one step of gradient descent (rate 0.01) from their backward pass, as the ND4J modules computed them.
     */
    @Test
    void theNetworksComputeWhatTheNd4jModulesComputed() {
        check(TinyNet.shuffleNet(4).model(),
                new float[] {0.34469163f, -0.36895746f, -0.03374621f, 0.074725434f, -0.012677791f, -0.2833919f},
                new float[] {0.73624027f, -0.57264113f, -0.06711108f, 0.05887948f, 0.48729843f, -0.18132602f});
        check(TinyNet.alexNet(4).model(),
                new float[] {0.09660678f, 0.123854525f, -0.12881154f, -0.060682002f, 0.2367554f, 0.051502094f},
                new float[] {0.38690785f, 0.0044911653f, -0.16219169f, -0.07686275f, 0.5933227f, 0.11930926f});
    }

    private static void check(Model m, float[] before, float[] after) {
        Network net = Network.of(m, 7);
        Random r = new Random(11);
        Shape s = m.input();
        INDArray x = Floats.create(3, s.channels(), s.height(), s.width());
        Floats.write(GradientTest.awayFromZero(r, (int) x.length()), x);
        for (float[] expected : List.of(before, after)) {
            INDArray y = net.forward(x, true);
            float[] logits = Floats.read(y.dup('c'));
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], logits[i], 2e-5, m.name() + " logit " + i);
            }
            float[] rv = GradientTest.gaussian(r, (int) y.length());
            INDArray dy = Floats.create(y.shape());
            Floats.write(rv, dy);
            net.backward(dy, 0, net.modules().size());
            for (Param p : net.params()) {
                float[] g = Floats.read(p.grad().dup('c'));
                float[] v = Floats.read(p.value().dup('c'));
                for (int i = 0; i < v.length; i++) {
                    v[i] -= 0.01f * g[i];
                }
                Floats.write(v, p.value());
            }
        }
    }

    /** A pass's output stays what it was while the next layers run on it, as the correlation between layers needs. */
    @Test
    void aPassOverTheNextLayersLeavesItsInputAlone() {
        Network net = Network.of(TinyNet.alexNet(4).model(), 1);
        INDArray images = Floats.create(4, 1, 28, 28).assign(0.5);
        int at = net.indexOf("conv4/relu");
        int to = net.indexOf("conv5/conv");
        INDArray x = net.forward(images, false, 0, at + 1);
        float[] before = Floats.read(x.dup('c'));
        INDArray y = net.forward(x, false, at + 1, to + 1);
        assertArrayEquals(x.shape(), y.shape()); // the same shape: one shared buffer would be overwritten
        assertArrayEquals(before, Floats.read(x.dup('c')));
    }

    /** Training runs chains: a branching spec is refused from its lowering, naming the layer, before any weight exists. */
    @Test
    void aBranchingSpecIsRefusedNamingTheLayer() {
        Model branching = new Model("branching", Shape.of(4, 8), new Sequence(List.of(
                effconv.layers.Named.of("mix", effconv.layers.Concat.of(effconv.layers.Conv2d.of(4, 4, 1),
                        effconv.layers.Conv2d.of(4, 4, 3).padding(1))))));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Network.of(branching, 1));
        // the second branch is where the chain breaks: it reads the input again
        assertEquals("layer mix/branch1 is not allowed in a trained network: training supports chains of convolutions, "
                + "batch norm, ReLU, channel shuffle, pooling and fully connected layers (no concatenation or residual "
                + "sum)", e.getMessage());
    }

    /** oneDNN falls back to its reference loops for some layouts, 10-100 times slower: none of those here. */
    @Test
    void everyConvolutionRunsAFastKernel() {
        for (TinyNet t : List.of(TinyNet.shuffleNet(4), TinyNet.alexNet(4), TinyNet.shuffleNet(8).withHalves(true))) {
            Network net = Network.of(t.model(), 1);
            Shape s = t.model().input();
            INDArray x = Floats.create(8, s.channels(), s.height(), s.width()).assign(0.5);
            INDArray y = net.forward(x, true);
            net.backward(Floats.create(y.shape()).assign(0.1), 0, net.modules().size());
            for (Module m : net.modules()) {
                if (m instanceof ConvModule c) {
                    for (String impl : c.implementations()) {
                        assertFalse(impl.startsWith("ref"), t.label() + " " + m.path + ": " + c.implementations());
                    }
                }
            }
        }
    }
}

package effconv.nd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

import effconv.layers.BatchNorm;
import effconv.layers.Concat;
import effconv.layers.Conv2d;
import effconv.layers.Layer;
import effconv.layers.Residual;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.lower.Fusions;
import effconv.lower.Lowering;
import effconv.models.Model;
import effconv.models.FireModule;
import effconv.models.InvertedResidual;
import effconv.models.ShuffleUnit;

/**
 * The reference engine draws its weights from the lowering's list, by name: a seed must still give the numbers it
 * gave when NdLayer walked the spec itself, or every seeded figure in the lessons would move.
 */
class LoweredWeightsTest {

    @Test
    void aSeedDrawsTheNumbersItDrewBeforeTheLowering() {
        // small blocks only: weights drawn here stay in the test JVM's resident memory, which the memory guard counts
        // for the tests after this one (whole models left BadInputTest too little); the blocks of the models, a
        // projection shortcut and a concatenation cover every walk
        Layer projection = new Sequence(List.of(Conv2d.of(3, 8, 3), new Residual(
                new Sequence(List.of(Conv2d.of(8, 16, 3).padding(1), new BatchNorm(16))),
                new Sequence(List.of(Conv2d.of(8, 16, 1).bias(true), new BatchNorm(16)))),
                new Concat(List.of(Conv2d.of(16, 4, 1), Conv2d.of(16, 4, 3).padding(1).bias(true)))));
        Shape in = new Shape(24, 8, 8);
        List<Model> nets = List.of(new Model("projection", new Shape(3, 8, 8), projection),
                new Model("shuffle units", in, new Sequence(List.of(new ShuffleUnit(24, 48, 3, 2, false),
                        new ShuffleUnit(48, 48, 3, 1, true)))),
                new Model("fire", in, new FireModule(24, 8, 16, 16)),
                new Model("inverted residual", in, new InvertedResidual(24, 24, 6, 1)));
        // Σ k·sum(weights[k]) with seed 1, from NdLayer's own walk of the spec (commit b6e246d): order-sensitive, so a
        // weight drawn in another place, or with another seed, changes it
        double[] before = {553.372738, 4774.122486, 17.383520, 4197.228328};
        for (int i = 0; i < nets.size(); i++) {
            Model m = nets.get(i);
            List<INDArray> drawn = NdLayer.init(m.body(), 1).weights();
            double weighted = 0;
            for (int k = 0; k < drawn.size(); k++) {
                weighted += (k + 1) * drawn.get(k).sumNumber().doubleValue();
            }
            assertEquals(before[i], weighted, 1e-5, m.name());
            List<String> lowered = Lowering.lower(m.body(), m.input(), Fusions.all()).weights().stream()
                    .map(w -> Arrays.toString(w.shape())).toList();
            assertEquals(lowered, drawn.stream().map(a -> Arrays.toString(a.shape())).toList(), m.name());
        }
    }
}

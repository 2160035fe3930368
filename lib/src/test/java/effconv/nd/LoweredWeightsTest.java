package effconv.nd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

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
 * The lowering lists weights in the order, and with the shapes, that NdLayer has always drawn them: the contract
 * that lets every engine look weights up by name and still give a seed's old numbers.
 */
class LoweredWeightsTest {

    @Test
    void theLoweringsWeightsAreNdLayersInItsOrder() {
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
        for (Model m : nets) {
            List<String> lowered = Lowering.lower(m.body(), m.input(), Fusions.all()).weights().stream()
                    .map(w -> Arrays.toString(w.shape())).toList();
            List<String> nd = NdLayer.init(m.body(), 1).weights().stream().map(a -> Arrays.toString(a.shape()))
                    .toList();
            assertEquals(nd, lowered, m.name());
        }
    }
}

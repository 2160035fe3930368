package effconv.nd;

import effconv.layers.ChannelShuffle;
import effconv.layers.Conv2d;
import effconv.layers.DilatedConv;
import effconv.layers.GroupedConv;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.runtime.Tensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** What the grouped-convolution and channel-shuffle lessons show, asserted. */
class GroupsAndShuffleTest {

    @Test
    void splitConvolveConcatEqualsTheGroupedConvolution() {
        int cin = 12, cout = 18, k = 3, g = 3;
        INDArray x = Tensors.random(Shape.of(cin, 9), 1);
        NdLayer grouped = NdLayer.init(GroupedConv.of(cin, cout, k, g).padding(1), 7);
        INDArray w = grouped.weights().get(0);
        List<INDArray> parts = new ArrayList<>();
        int inPer = cin / g, outPer = cout / g;
        for (int i = 0; i < g; i++) {
            INDArray xi = x.get(NDArrayIndex.all(), NDArrayIndex.interval(i * inPer, (i + 1) * inPer),
                    NDArrayIndex.all(), NDArrayIndex.all()).dup();
            INDArray wi = w.get(NDArrayIndex.interval(i * outPer, (i + 1) * outPer), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all()).dup();
            parts.add(NdLayer.withWeights(Conv2d.of(inPer, outPer, k).padding(1), List.of(wi)).forward(xi));
        }
        INDArray bySplit = Nd4j.concat(1, parts.toArray(INDArray[]::new));
        assertEquals(bySplit, grouped.forward(x));

        // and a standard convolution whose weights are zero outside the diagonal blocks gives the same
        INDArray dense = Nd4j.zeros(org.nd4j.linalg.api.buffer.DataType.FLOAT, cout, cin, k, k);
        for (int i = 0; i < g; i++) {
            dense.get(NDArrayIndex.interval(i * outPer, (i + 1) * outPer), NDArrayIndex.interval(i * inPer, (i + 1) * inPer),
                    NDArrayIndex.all(), NDArrayIndex.all()).assign(w.get(NDArrayIndex.interval(i * outPer, (i + 1) * outPer),
                    NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.all()));
        }
        INDArray byDense = NdLayer.withWeights(Conv2d.of(cin, cout, k).padding(1), List.of(dense)).forward(x);
        assertTrue(byDense.sub(bySplit).amaxNumber().doubleValue() < 1e-5);
    }

    @Test
    void groupsAreBlocksOnTheDiagonal() {
        double[][] m = Connectivity.measure(GroupedConv.of(12, 12, 3, 4).padding(1), Shape.of(12, 5), 3);
        for (int o = 0; o < 12; o++) {
            for (int i = 0; i < 12; i++) {
                assertEquals(o / 3 == i / 3 ? 1.0 : 0.0, m[o][i], "output " + o + ", input " + i);
            }
        }
    }

    @Test
    void aShuffleLetsStackedGroupConvolutionsTalk() {
        Shape in = Shape.of(12, 4);
        double[][] without = Connectivity.measure(
                Sequence.of(GroupedConv.of(12, 12, 1, 3), GroupedConv.of(12, 12, 1, 3)), in, 1);
        double[][] with = Connectivity.measure(
                Sequence.of(GroupedConv.of(12, 12, 1, 3), new ChannelShuffle(3), GroupedConv.of(12, 12, 1, 3)), in, 1);
        assertFalse(Connectivity.dense(without));
        for (int o = 0; o < 12; o++) {
            for (int i = 0; i < 12; i++) {
                assertEquals(o / 4 == i / 4 ? 1.0 : 0.0, without[o][i]); // each group stays on its own
            }
        }
        assertTrue(Connectivity.dense(with));
    }

    @Test
    void shuffleIsReshapeTransposeReshape() {
        INDArray x = Tensors.random(Shape.of(6, 2), 5);
        INDArray manual = x.reshape(1, 2, 3, 2, 2).permute(0, 2, 1, 3, 4).dup().reshape(1, 6, 2, 2);
        assertEquals(manual, NdLayer.init(new ChannelShuffle(2), 0).forward(x));
    }

    @Test
    void dilatedReceptiveFieldHasGaps() {
        // one 3×3 kernel with dilation 2 touches 9 pixels spread over a 5×5 window
        double[][] rf = Connectivity.receptiveField(DilatedConv.of(1, 1, 3, 2), Shape.of(1, 9), 2, 2, 1);
        int touched = 0;
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                touched += (int) rf[i][j];
                boolean expected = i >= 2 && i <= 6 && j >= 2 && j <= 6 && i % 2 == 0 && j % 2 == 0;
                assertEquals(expected ? 1.0 : 0.0, rf[i][j], i + "," + j);
            }
        }
        assertEquals(9, touched);
    }
}

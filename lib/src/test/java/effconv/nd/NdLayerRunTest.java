package effconv.nd;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
import effconv.layers.DepthwiseConv;
import effconv.layers.GroupedConv;
import effconv.layers.Layer;
import effconv.layers.Pool;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.runtime.Tensors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;

/** NdLayer keeps buffers and prepared ops between runs; none of that may show in the results. */
class NdLayerRunTest {

    static final Layer NET = Sequence.of(GroupedConv.of(12, 24, 3, 3).padding(1), new BatchNorm(24), Activation.RELU,
            new ChannelShuffle(3), DepthwiseConv.of(24, 3).stride(2).padding(1), GroupedConv.of(24, 12, 1, 3),
            Pool.max(3, 2).padding(1));

    @Test
    void changingTheInputShapeAndBackGivesTheSameResults() {
        NdLayer a = NdLayer.init(NET, 5);
        INDArray big = Tensors.random(Shape.of(12, 17), 1);
        INDArray small = Tensors.random(Shape.of(12, 9), 2);
        INDArray first = a.forward(big);
        INDArray other = a.forward(small);
        assertEquals(first, a.forward(big));
        assertEquals(other, NdLayer.init(NET, 5).forward(small));
    }

    @Test
    void forwardResultsAreNotOverwrittenByLaterRunsButRunReusesItsBuffer() {
        NdLayer a = NdLayer.init(NET, 5);
        INDArray x1 = Tensors.random(Shape.of(12, 17), 1);
        INDArray x2 = Tensors.random(Shape.of(12, 17), 2);
        INDArray y1 = a.forward(x1);
        INDArray copy = y1.dup();
        a.forward(x2);
        assertEquals(copy, y1);
        assertNotSame(a.forward(x1), a.forward(x1));
        assertSame(a.run(x1), a.run(x2));
    }

    @Test
    void aViewAsInputGivesWhatItsCopyGives() {
        NdLayer a = NdLayer.init(NET, 5);
        // channels last, permuted back: a strided view, not a dense array
        INDArray hwc = Tensors.uniform(new long[] {1, 17, 17, 12}, 1, 3);
        INDArray view = hwc.permute(0, 3, 1, 2);
        assertEquals(a.forward(view.dup('c')), a.forward(view));
    }
}

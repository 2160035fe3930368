package effconv.layers;

import effconv.cli.SummaryCommand;
import effconv.models.Bottleneck;
import effconv.models.FireModule;
import effconv.models.InvertedResidual;
import effconv.models.ShuffleUnit;
import effconv.nd.NdLayer;
import effconv.nd.RunSummary;
import effconv.runtime.Tensors;
import effconv.report.Summary;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;


/** Every layer type: the cost model's shapes and parameters against what ND4J really allocates and produces. */
class LayerTypesTest {

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of(new BatchNorm(6), Shape.of(6, 5)),
                Arguments.of(Activation.RELU6, Shape.of(3, 4)),
                Arguments.of(Pool.max(3, 2), Shape.of(4, 9)),
                Arguments.of(Pool.max(3, 2).ceilMode(), Shape.of(4, 10)),
                Arguments.of(Pool.avg(3, 2).padding(1), Shape.of(4, 9)),
                Arguments.of(Pool.avg(3, 2).ceilMode(), Shape.of(2, 8)),
                Arguments.of(new GlobalAvgPool(), Shape.of(5, 7)),
                Arguments.of(FullyConnected.of(2 * 3 * 3, 7), Shape.of(2, 3)),
                Arguments.of(new ChannelShuffle(3), Shape.of(12, 4)),
                Arguments.of(GroupedConv.of(8, 12, 3, 4).padding(1), Shape.of(8, 6)),
                Arguments.of(DilatedConv.of(3, 4, 3, 2).samePadding(), Shape.of(3, 9)),
                Arguments.of(new FireModule(8, 4, 6, 6), Shape.of(8, 7)),
                Arguments.of(new InvertedResidual(8, 8, 6, 1), Shape.of(8, 6)),
                Arguments.of(new InvertedResidual(8, 16, 6, 2), Shape.of(8, 6)),
                Arguments.of(new ShuffleUnit(24, 24, 3, 1, true), Shape.of(24, 6)),
                Arguments.of(new ShuffleUnit(12, 36, 3, 2, false), Shape.of(12, 8)),
                Arguments.of(Bottleneck.resnext(16, 8, 4), Shape.of(16, 5)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void costModelAgreesWithNd4j(Layer layer, Shape input) {
        NdLayer nd = NdLayer.init(layer, 3);
        assertEquals(layer.params(), nd.allocatedParams(), "params");
        INDArray y = nd.forward(Tensors.random(input, 4));
        assertEquals(layer.outputShape(input), Tensors.shapeOf(y), "output shape");
        assertTrue(Double.isFinite(y.sumNumber().doubleValue()), "finite");
        // and the summary of the real run agrees row by row (Summary.run throws if not)
        assertEquals(Summary.of(layer, input).toString(), RunSummary.of(layer, input).toString());
    }

    /** Ceil mode keeps a last window that runs past the edge: by how much is the one place for that formula. */
    @Test
    void aCeilModeWindowOverhangsTheEdge() {
        assertEquals(1, Pool.max(3, 2).ceilMode().overhang(8)); // windows at 0, 2, 4, 6: the last reads 6, 7, 8
        assertEquals(0, Pool.max(3, 2).overhang(8)); // floor mode drops that window
        assertEquals(0, Pool.max(3, 2).ceilMode().overhang(9)); // it fits exactly
        assertEquals(1, Pool.avg(3, 2).padding(1).ceilMode().overhang(8)); // past the right padding by one
    }

    @Test
    void channelShuffleMovesChannelsWhereItSays() {
        ChannelShuffle s = new ChannelShuffle(3);
        Shape in = Shape.of(6, 2);
        INDArray x = Tensors.random(in, 1);
        INDArray y = NdLayer.init(s, 0).forward(x);
        for (int c = 0; c < 6; c++) {
            assertEquals(x.getFloat(0, c, 1, 1), y.getFloat(0, s.destination(c, 6), 1, 1), 0f);
        }
    }

    @Test
    void poolingMatchesHandComputedValues() {
        // 1×1×3×3 input 1..9; 2×2 max pool stride 2 with ceil mode: windows {1,2,4,5}, {3,6}, {7,8}, {9}
        INDArray x = org.nd4j.linalg.factory.Nd4j.linspace(1, 9, 9).reshape(1, 1, 3, 3).castTo(
                org.nd4j.linalg.api.buffer.DataType.FLOAT);
        INDArray max = NdLayer.init(new Pool(Pool.Kind.MAX, 2, 2, 0, true), 0).forward(x);
        assertEquals(List.of(5f, 6f, 8f, 9f), List.of(max.getFloat(0), max.getFloat(1), max.getFloat(2), max.getFloat(3)));
        INDArray avg = NdLayer.init(new Pool(Pool.Kind.AVG, 2, 2, 0, true), 0).forward(x);
        assertEquals(List.of(3f, 4.5f, 7.5f, 9f), List.of(avg.getFloat(0), avg.getFloat(1), avg.getFloat(2), avg.getFloat(3)));
    }

    static String[] run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SummaryCommand.run(args, new PrintStream(out), new PrintStream(err));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void summaryCommand() {
        String[] r = run("--layer", "conv", "--in", "100", "--out", "1000", "--kernel", "3", "--input", "17");
        assertEquals("0", r[0]);
        assertTrue(r[1].contains("Conv2d-1         [-1, 1000, 15, 15]         900,000"), r[1]);
        r = run("--layer", "depthwise", "--in", "8", "--kernel", "3", "--input", "10x12", "--multiplier", "2", "--json");
        assertTrue(r[1].contains("\"output_shape\":[16,8,10]") && r[1].contains("\"total_params\":144"), r[1]);
        r = run("--model", "mobilenet-v1", "--alpha", "0.5", "--json");
        assertTrue(r[1].contains("\"total_macs\":149497088"), r[1].substring(0, 200));
        r = run("--layer", "conv", "--in", "100", "--out", "1000", "--kernel", "3", "--input", "17", "--bias",
                "--count", "bias", "--json");
        assertTrue(r[1].contains("\"total_macs\":202725000") && r[1].contains("\"total_params\":901000"), r[1]);
        r = run("--layer", "dilated", "--in", "8", "--out", "8", "--kernel", "3", "--dilation", "2", "--input", "9",
                "--json");
        assertTrue(r[1].contains("\"output_shape\":[8,5,5]"), r[1]);
        r = run("--model", "shufflenet-v1", "--groups", "3");
        assertTrue(r[1].contains("Total mult-adds (MACs): 137,460,672"), r[1]);
        for (String[] bad : new String[][] {
            {"--layer", "conv", "--in", "100", "--out", "1000", "--kernel", "3", "--input", "17", "--groups", "3"},
            {"--layer", "conv", "--in", "x"}, {"--model", "vgg"}, {"--layer", "conv"}, {"--frobnicate"},
            {"--model", "alexnet", "--groups", "3"}, {"--model", "alexnet", "--alpha", "0.5"},
            {"--layer", "shuffle", "--in", "10", "--groups", "3", "--input", "4"},
            {"--layer", "pointwise", "--in", "4", "--out", "4", "--input", "2x"},
            {"--layer", "conv", "--in", "3", "--out", "3", "--kernel", "3", "--input", "8", "--count", "foo"},
            {"--layer", "conv", "--in", "3", "--out", "3", "--kernel", "9", "--input", "8"},
            {"--model", "mobilenet-v1", "--alpha", "1.5e9"}, {"--model", "mobilenet-v1", "--alpha", "NaN"},
            {"--model", "squeezenet", "--resolution", "20"}, {"--layer", "depthwise", "--in", "4", "--kernel", "3",
                "--input", "8", "--out", "5"}}) {
            r = run(bad);
            assertEquals("2", r[0], String.join(" ", bad));
            assertTrue(r[2].startsWith("summary: ") && r[2].strip().lines().count() == 1, r[2]);
        }
    }
}

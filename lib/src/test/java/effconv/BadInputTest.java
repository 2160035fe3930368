package effconv;

import effconv.cli.ModelOption;
import effconv.layers.ChannelShuffle;
import effconv.layers.Conv2d;
import effconv.layers.DepthwiseConv;
import effconv.layers.PointwiseConv;
import effconv.layers.SeparableConv;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.models.Models;
import effconv.nd.NdLayer;
import effconv.runtime.Tensors;
import effconv.report.Course;
import effconv.report.Summary;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.stream.Stream;

import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Impossible layers: each must fail with IllegalArgumentException naming the parameter and its value, before
 * anything is allocated.
 */
class BadInputTest {

    static Stream<Arguments> cases() {
        Shape in17 = Shape.of(100, 17);
        return Stream.of(
                bad("groups = 3", "divide", () -> Conv2d.of(100, 1000, 3).groups(3)),
                bad("groups = 7", "outChannels", () -> new Conv2d(7, 10, 3, 1, 0, 1, 7, false)),
                bad("groups = 0", "at least 1", () -> Conv2d.of(4, 4, 3).groups(0)),
                bad("kernel = 0", "at least 1", () -> Conv2d.of(4, 4, 0)),
                bad("stride = 0", "at least 1", () -> Conv2d.of(4, 4, 3).stride(0)),
                bad("dilation = 0", "at least 1", () -> Conv2d.of(4, 4, 3).dilation(0)),
                bad("padding = -1", "0 or more", () -> Conv2d.of(4, 4, 3).padding(-1)),
                bad("inChannels = -5", "at least 1", () -> Conv2d.of(-5, 4, 3)),
                bad("outChannels = 0", "at least 1", () -> PointwiseConv.of(4, 0)),
                bad("channels = 0", "at least 1", () -> DepthwiseConv.of(0, 3)),
                bad("multiplier = 0", "at least 1", () -> DepthwiseConv.of(4, 3).multiplier(0)),
                bad("height = 0", "at least 1", () -> Shape.of(3, 0, 4)),
                bad("kernel = 19", "padded input", () -> Conv2d.of(100, 10, 19).outputShape(in17)),
                bad("kernel = 9 (dilated to 17)", "padded input",
                        () -> Conv2d.of(100, 10, 9).dilation(2).padding(0).outputShape(Shape.of(100, 16))),
                bad("kernel = 7", "padded input", () -> SeparableConv.of(100, 10, 7).outputShape(Shape.of(100, 5))),
                bad("input channels = 3", "inChannels = 100", () -> Conv2d.of(100, 10, 3).outputShape(Shape.of(3, 17))),
                bad("input channels = 10", "inChannels = 1000",
                        () -> Sequence.of(Conv2d.of(100, 10, 3), Conv2d.of(1000, 1, 1)).outputShape(in17)),
                bad("layers = []", "at least one", () -> new Sequence(java.util.List.of())),
                bad("layer", "null", () -> Summary.of(null, in17)),
                bad("input", "null", () -> Summary.of(Conv2d.of(1, 1, 1), null)),
                bad("x has shape [1, 3]", "[1, C, H, W]",
                        () -> NdLayer.init(Conv2d.of(3, 3, 1), 0).forward(org.nd4j.linalg.factory.Nd4j.ones(1, 3))),
                bad("weights has 2 arrays", "takes 1",
                        () -> NdLayer.withWeights(Conv2d.of(1, 1, 1), java.util.List.of(
                                org.nd4j.linalg.factory.Nd4j.ones(1, 1, 1, 1), org.nd4j.linalg.factory.Nd4j.ones(1)))),
                bad("weights[0] has shape [2, 1, 1, 1]", "needs [1, 1, 1, 1]",
                        () -> NdLayer.withWeights(Conv2d.of(1, 1, 1), java.util.List.of(
                                org.nd4j.linalg.factory.Nd4j.ones(2, 1, 1, 1)))),
                bad("file = \"nope.csv\"", "no ", () -> Course.data("nope.csv")),
                bad("y has 2 values", "x has 3",
                        () -> effconv.plot.Plot.line("a", new double[] {1, 2, 3}, new double[] {1, 2})),
                // too big to allocate: refused with a message, not an OutOfMemoryError or a dead JVM
                bad("needs", "not allowed", () -> NdLayer.init(Conv2d.of(4096, 4096, 3), 0)
                        .forward(Tensors.random(Shape.of(4096, 224), 0))),
                // input and weights fit, but ND4J's im2col buffer (9 × the input: 900 MiB, over the 768 MiB limit)
                // would not; the input (100 MiB) is small enough to fit after the whole suite's resident memory
                bad("running Conv2d(256, 256, kernel_size=3", "not allowed", () -> NdLayer.init(Conv2d.of(256, 256, 3), 0)
                        .forward(Tensors.random(Shape.of(256, 320), 0))),
                bad("needs", "not allowed", () -> Tensors.random(Shape.of(100_000, 10_000), 0)),
                bad("shape[1] = -3", "at least 1", () -> Tensors.uniform(new long[] {2, -3}, 1, 0)),
                bad("weight dimensions", "too large", () -> Conv2d.of(2_000_000_000, 2_000_000_000, 50_000).params()),
                bad("MAC factors", "too large", () -> Conv2d.of(200_000, 200_000, 3).padding(1)
                        .macs(Shape.of(200_000, 2_000_000))),
                bad("model = \"resnet\"", "choose one of", () -> ModelOption.byName("resnet", null, null, null, null)),
                bad("groups = 5", "1, 2, 3, 4 or 8", () -> Models.shufflenetV1(5, 1)),
                bad("alpha = 3.0", "(0, 2]", () -> Models.mobilenetV2(3, 224)),
                bad("groups = 4", "input channels", () -> new ChannelShuffle(4).outputShape(Shape.of(6, 4))),
                bad("figure has 0 traces", "at least one", () -> effconv.plot.FigureJson.of(
                        new tech.tablesaw.plotly.components.Figure(effconv.plot.Plot.layout("t", "x", "y")))));
    }

    static Arguments bad(String names, String allowed, Executable call) {
        return Arguments.of(names, allowed, call);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void failsWithAClearMessage(String names, String allowed, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(names), () -> "message names \"" + names + "\": " + e.getMessage());
        assertTrue(e.getMessage().contains(allowed), () -> "message says \"" + allowed + "\": " + e.getMessage());
    }
}

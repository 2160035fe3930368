package effconv.report;

import effconv.layers.Conv2d;
import effconv.layers.DepthwiseConv;
import effconv.layers.Layer;
import effconv.layers.PointwiseConv;
import effconv.layers.SeparableConv;
import effconv.layers.Shape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import tech.tablesaw.api.Table;

/** The cost model against seed 000's six torchsummary tables, every printed figure, to the last digit. */
class Seed000Test {

    static final Shape INPUT = Shape.of(100, 17);

    static java.util.stream.Stream<Arguments> experiments() {
        return java.util.stream.Stream.of(
                Arguments.of("standard K=3", Conv2d.of(100, 1000, 3)),
                Arguments.of("depthwise K=3", DepthwiseConv.of(100, 3)),
                Arguments.of("pointwise", PointwiseConv.of(100, 1000)),
                Arguments.of("separable K=3", SeparableConv.of(100, 1000, 3)),
                Arguments.of("standard K=7", Conv2d.of(100, 1000, 7)),
                Arguments.of("separable K=7", SeparableConv.of(100, 1000, 7)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void everyFigureEqualsTheSeed(String experiment, Layer layer) {
        Table seed = Course.data("torchsummary-blog.csv");
        Table rows = seed.where(seed.stringColumn("experiment").isEqualTo(experiment));
        assertTrue(rows.rowCount() >= 9, "the seed's table for " + experiment + " is in data/");
        Table cmp = Compare.figures(rows, Summary.of(layer, INPUT).figures());
        assertTrue(Compare.allEqual(cmp), () -> cmp.printAll());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("experiments")
    void theRealRunAgreesWithTheCount(String experiment, Layer layer) {
        Summary counted = Summary.of(layer, INPUT);
        Summary ran = Summary.run(layer, INPUT);
        assertEquals(counted.toString(), ran.toString());
    }

    @Test
    void theTextIsTorchsummarysCharacterForCharacter() {
        String expected = """
                ----------------------------------------------------------------
                        Layer (type)               Output Shape         Param #
                ================================================================
                            Conv2d-1          [-1, 100, 15, 15]             900
                            Conv2d-2         [-1, 1000, 15, 15]         100,000
                ================================================================
                Total params: 100,900
                Trainable params: 100,900
                Non-trainable params: 0
                ----------------------------------------------------------------
                Input size (MB): 0.11
                Forward/backward pass size (MB): 1.89
                Params size (MB): 0.38
                Estimated Total Size (MB): 2.38
                ----------------------------------------------------------------
                """;
        assertEquals(expected, Summary.of(SeparableConv.of(100, 1000, 3), INPUT).toString());
    }

    @Test
    void theSeedsDepthwiseCodeIsNotItsTable() {
        // The seed's code: nn.Conv2d(100, 1000, 3, groups=100, bias=False); its table shows 100 channels, 900 params.
        Map<String, String> code = Summary.of(Conv2d.of(100, 1000, 3).groups(100), INPUT).figures();
        assertEquals("[-1, 1000, 15, 15]", code.get("Conv2d-1 Output Shape"));
        assertEquals("9,000", code.get("Conv2d-1 Param #"));
        // = a depthwise conv with channel multiplier 10
        assertEquals(code, Summary.of(DepthwiseConv.of(100, 3).multiplier(10), INPUT).figures());
    }

    @Test
    void multiplyAccumulates() {
        assertEquals(900_000L * 15 * 15, Conv2d.of(100, 1000, 3).macs(INPUT));
        assertEquals(900L * 15 * 15 + 100_000L * 15 * 15, SeparableConv.of(100, 1000, 3).macs(INPUT));
        // MobileNet's ratio: separable / standard = 1/N + 1/K² (same output size)
        double ratio = (double) SeparableConv.of(100, 1000, 3).macs(INPUT) / Conv2d.of(100, 1000, 3).macs(INPUT);
        assertEquals(1.0 / 1000 + 1.0 / 9, ratio, 1e-12);
    }
}

package effconv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** ND4J forward passes against PyTorch's, from the files tools/make_golden.py wrote. */
class GoldenTest {

    static final Path DIR = Path.of(System.getProperty("effconv.golden", "src/test/resources/golden"));

    static Stream<Arguments> cases() throws Exception {
        JsonNode all = new ObjectMapper().readTree(DIR.resolve("cases.json").toFile());
        List<Arguments> out = new ArrayList<>();
        all.fields().forEachRemaining(e -> out.add(Arguments.of(e.getKey(), e.getValue())));
        assertTrue(out.size() >= 7, "golden cases present");
        return out.stream();
    }

    /** A PyTorch nn.Conv2d argument dict as our spec. */
    static Conv2d conv(JsonNode m) {
        return new Conv2d(m.get("in_channels").asInt(), m.get("out_channels").asInt(), m.get("kernel_size").asInt(),
                m.path("stride").asInt(1), m.path("padding").asInt(0), m.path("dilation").asInt(1),
                m.path("groups").asInt(1), m.path("bias").asBoolean(true));
    }

    static INDArray load(String file) {
        return Nd4j.createFromNpyFile(DIR.resolve(file).toFile());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name, JsonNode c) {
        List<Layer> modules = new ArrayList<>();
        c.get("modules").forEach(m -> modules.add(conv(m)));
        Layer spec = modules.size() == 1 ? modules.get(0) : new Sequence(modules);
        List<INDArray> weights = new ArrayList<>();
        c.get("files").get("weights").forEach(f -> weights.add(load(f.asText())));
        INDArray x = load(c.get("files").get("input").asText());
        INDArray expected = load(c.get("files").get("output").asText());

        INDArray y = NdLayer.withWeights(spec, weights).forward(x);

        assertArrayEquals(expected.shape(), y.shape(), "output shape");
        Shape in = Tensors.shapeOf(x);
        assertEquals(Tensors.shapeOf(expected), spec.outputShape(in), "cost model's output shape");
        double maxDiff = y.sub(expected).amaxNumber().doubleValue();
        assertTrue(maxDiff <= 1e-5, name + ": max |ND4J − PyTorch| = " + maxDiff);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void depthwiseAndSeparableSpecsBuildTheSameModules(String name, JsonNode c) {
        // The named specs must be exactly the PyTorch modules the golden files were made with.
        if (name.equals("depthwise-multiplier")) {
            assertEquals(conv(c.get("modules").get(0)),
                    DepthwiseConv.of(3, 3).multiplier(2).stride(2).padding(1).bias(true).toConv2d());
        }
        if (name.equals("separable")) {
            assertEquals(List.of(conv(c.get("modules").get(0)), conv(c.get("modules").get(1))),
                    SeparableConv.of(4, 8, 3).leaves(Shape.of(4, 6)).stream().map(l -> ((ConvLayer) l.layer()).toConv2d()).toList());
        }
        if (name.equals("pointwise")) {
            assertEquals(conv(c.get("modules").get(0)), PointwiseConv.of(5, 7).bias(true).toConv2d());
        }
        assertTrue(new File(DIR.toFile(), c.get("files").get("input").asText()).isFile());
    }
}

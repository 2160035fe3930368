package effconv.nd;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
import effconv.layers.Conv2d;
import effconv.layers.ConvLayer;
import effconv.layers.DepthwiseConv;
import effconv.layers.FullyConnected;
import effconv.layers.GlobalAvgPool;
import effconv.layers.GroupedConv;
import effconv.layers.Layer;
import effconv.layers.PointwiseConv;
import effconv.layers.Pool;
import effconv.layers.SeparableConv;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.models.FireModule;
import effconv.models.InvertedResidual;
import effconv.models.ShuffleUnit;
import effconv.runtime.Tensors;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** ND4J forward passes against PyTorch's, from the files tools/make_golden.py wrote. */
public class GoldenTest {

    public static final Path DIR = Path.of(System.getProperty("effconv.golden", "src/test/resources/golden"));

    public static Stream<Arguments> cases() throws Exception {
        JsonNode all = new ObjectMapper().readTree(DIR.resolve("cases.json").toFile());
        List<Arguments> out = new ArrayList<>();
        all.fields().forEachRemaining(e -> out.add(Arguments.of(e.getKey(), e.getValue())));
        assertTrue(out.size() >= 21, "golden cases present");
        return out.stream();
    }

    /** A PyTorch nn.Conv2d argument dict as our spec. */
    static Conv2d conv(JsonNode m) {
        return new Conv2d(m.get("in_channels").asInt(), m.get("out_channels").asInt(), m.get("kernel_size").asInt(),
                m.path("stride").asInt(1), m.path("padding").asInt(0), m.path("dilation").asInt(1),
                m.path("groups").asInt(1), m.path("bias").asBoolean(true));
    }

    /** The golden files' small layer language (see tools/make_golden.py) as the course's specs. */
    public static Layer layer(JsonNode s) {
        return switch (s.get("type").asText()) {
            case "conv" -> conv(s);
            case "seq" -> {
                List<Layer> layers = new ArrayList<>();
                s.get("layers").forEach(l -> layers.add(layer(l)));
                yield new Sequence(layers);
            }
            case "bn" -> new BatchNorm(s.get("channels").asInt());
            case "relu" -> Activation.RELU;
            case "relu6" -> Activation.RELU6;
            case "pool" -> new Pool(s.get("kind").asText().equals("max") ? Pool.Kind.MAX : Pool.Kind.AVG,
                    s.get("kernel").asInt(), s.get("stride").asInt(), s.get("padding").asInt(), s.get("ceil").asBoolean());
            case "gap" -> new GlobalAvgPool();
            case "fc" -> new FullyConnected(s.get("in").asInt(), s.get("out").asInt(), s.get("bias").asBoolean());
            case "shuffle" -> new ChannelShuffle(s.get("groups").asInt());
            case "fire" -> new FireModule(s.get("in").asInt(), s.get("squeeze").asInt(), s.get("expand1x1").asInt(),
                    s.get("expand3x3").asInt());
            case "inverted_residual" -> new InvertedResidual(s.get("in").asInt(), s.get("out").asInt(),
                    s.get("expansion").asInt(), s.get("stride").asInt());
            case "shuffle_unit" -> new ShuffleUnit(s.get("in").asInt(), s.get("out").asInt(), s.get("groups").asInt(),
                    s.get("stride").asInt(), s.get("grouped_first").asBoolean());
            default -> throw new IllegalStateException("unknown golden layer type " + s.get("type"));
        };
    }

    public static INDArray load(String file) {
        return Nd4j.createFromNpyFile(DIR.resolve(file).toFile());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorch(String name, JsonNode c) {
        Layer spec = layer(c.get("layer"));
        List<INDArray> weights = new ArrayList<>();
        c.get("files").get("weights").forEach(f -> weights.add(load(f.asText())));
        INDArray x = load(c.get("files").get("input").asText());
        INDArray expected = load(c.get("files").get("output").asText());

        NdLayer nd = NdLayer.withWeights(spec, weights);
        INDArray y = nd.forward(x);

        assertArrayEquals(expected.shape(), y.shape(), "output shape");
        assertEquals(Tensors.shapeOf(expected), spec.outputShape(Tensors.shapeOf(x)), "cost model's output shape");
        double maxDiff = y.sub(expected).amaxNumber().doubleValue();
        assertTrue(maxDiff <= 1e-5, name + ": max |ND4J − PyTorch| = " + maxDiff);
        // parameters PyTorch allocated (batch norm's running statistics are buffers) equal the count
        long torchParams = weights.stream().mapToLong(INDArray::length).sum() - bnBuffers(spec, Tensors.shapeOf(x));
        assertEquals(torchParams, spec.params(), "params");
        assertEquals(spec.params(), nd.allocatedParams(), "params allocated");
    }

    static long bnBuffers(Layer spec, Shape in) {
        return spec.leaves(in).stream().filter(l -> l.layer() instanceof BatchNorm)
                .mapToLong(l -> 2L * ((BatchNorm) l.layer()).channels()).sum();
    }

    @Test
    void namedSpecsBuildTheSameModulesAsTheGoldenCases() throws Exception {
        JsonNode all = new ObjectMapper().readTree(DIR.resolve("cases.json").toFile());
        assertEquals(conv(all.get("depthwise-multiplier").get("layer")),
                DepthwiseConv.of(3, 3).multiplier(2).stride(2).padding(1).bias(true).toConv2d());
        assertEquals(conv(all.get("pointwise").get("layer")), PointwiseConv.of(5, 7).bias(true).toConv2d());
        assertEquals(layer(all.get("separable").get("layer")).leaves(Shape.of(4, 6)).stream().map(l -> l.layer()).toList(),
                SeparableConv.of(4, 8, 3).leaves(Shape.of(4, 6)).stream()
                        .map(l -> (Layer) ((ConvLayer) l.layer()).toConv2d()).toList());
        assertEquals(conv(all.get("grouped").get("layer")), GroupedConv.of(6, 9, 3, 3).padding(1).bias(true).toConv2d());
    }
}

package effconv.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
import effconv.layers.Concat;
import effconv.layers.Conv2d;
import effconv.layers.DepthwiseConv;
import effconv.layers.FullyConnected;
import effconv.layers.GlobalAvgPool;
import effconv.layers.GroupedConv;
import effconv.layers.Layer;
import effconv.layers.PointwiseConv;
import effconv.layers.Pool;
import effconv.layers.Residual;
import effconv.layers.SeparableConv;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.models.FireModule;
import effconv.models.InvertedResidual;
import effconv.models.Model;
import effconv.models.Models;
import effconv.models.ShuffleUnit;
import effconv.nd.GoldenTest;
import effconv.nd.NdLayer;
import effconv.runtime.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The fused oneDNN path against PyTorch's golden files and against the ND4J path, and its refusals. */
class FusedNetTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("effconv.nd.GoldenTest#cases")
    void matchesPyTorch(String name, JsonNode c) {
        Layer spec = GoldenTest.layer(c.get("layer"));
        List<INDArray> weights = new ArrayList<>();
        c.get("files").get("weights").forEach(f -> weights.add(GoldenTest.load(f.asText())));
        INDArray x = GoldenTest.load(c.get("files").get("input").asText());
        INDArray expected = GoldenTest.load(c.get("files").get("output").asText());

        FusedNet net = FusedNet.withWeights(spec, Tensors.shapeOf(x), weights);
        INDArray y = net.forward(x);

        assertArrayEquals(expected.shape(), y.shape(), "output shape");
        double maxDiff = y.sub(expected).amaxNumber().doubleValue();
        assertTrue(maxDiff <= 2e-5, name + ": max |fused − PyTorch| = " + maxDiff);
        assertEquals(List.of(), net.fallbacks(), name + ": reference kernels");
    }

    @Test
    void kernelsNameTheWorkNotTheReorders() {
        FusedNet net = FusedNet.compile(GroupedConv.of(96, 256, 5, 4).padding(2), Shape.of(96, 27), 0);
        String k = net.kernels();
        assertTrue(!k.isEmpty() && !k.contains("reorder") && k.contains(":"), k);
        assertEquals(1, k.split(", ").length, k); // one convolution primitive, one kernel
    }

    /** Every layer kind on sizes where oneDNN's fast kernels (and their layouts) come into play. */
    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of("standard K=3 + bias", Conv2d.of(16, 24, 3).padding(1).bias(true), Shape.of(16, 13)),
                Arguments.of("standard K=7", Conv2d.of(8, 16, 7), Shape.of(8, 17)),
                Arguments.of("strided dilated", Conv2d.of(8, 16, 3).stride(2).padding(2).dilation(2), Shape.of(8, 15)),
                Arguments.of("grouped g=4", GroupedConv.of(32, 64, 5, 4).padding(2), Shape.of(32, 11)),
                Arguments.of("grouped g=32", GroupedConv.of(96, 256, 5, 32).padding(2), Shape.of(96, 9)),
                Arguments.of("depthwise", DepthwiseConv.of(24, 3).padding(1), Shape.of(24, 12)),
                Arguments.of("depthwise ×2 s2", DepthwiseConv.of(8, 3).multiplier(2).stride(2).padding(1),
                        Shape.of(8, 12)),
                Arguments.of("pointwise", PointwiseConv.of(40, 24), Shape.of(40, 7)),
                Arguments.of("separable", SeparableConv.of(16, 32, 3).padding(1), Shape.of(16, 10)),
                Arguments.of("conv+bn+relu6", Sequence.of(Conv2d.of(8, 16, 3), new BatchNorm(16), Activation.RELU6),
                        Shape.of(8, 9)),
                Arguments.of("bn+relu alone", Sequence.of(new BatchNorm(12), Activation.RELU), Shape.of(12, 6)),
                Arguments.of("relu alone", Activation.RELU, Shape.of(5, 4)),
                Arguments.of("max pool ceil", Pool.max(3, 2).ceilMode(), Shape.of(16, 12)),
                Arguments.of("avg pool padded", Pool.avg(3, 2).padding(1), Shape.of(16, 11)),
                Arguments.of("avg pool ceil", Pool.avg(3, 2).ceilMode(), Shape.of(16, 12)),
                Arguments.of("gap + fc", Sequence.of(new GlobalAvgPool(), FullyConnected.of(32, 10)), Shape.of(32, 5)),
                Arguments.of("fc on a map", FullyConnected.of(8 * 3 * 3, 6), Shape.of(8, 3)),
                Arguments.of("shuffle g=3", new ChannelShuffle(3), Shape.of(24, 7)),
                Arguments.of("conv + shuffle", Sequence.of(Conv2d.of(8, 24, 3).padding(1), new ChannelShuffle(4)),
                        Shape.of(8, 6)),
                Arguments.of("fire", new FireModule(32, 8, 16, 16), Shape.of(32, 9)),
                Arguments.of("inverted residual", new InvertedResidual(16, 16, 6, 1), Shape.of(16, 10)),
                Arguments.of("inverted residual s2", new InvertedResidual(16, 24, 6, 2), Shape.of(16, 10)),
                Arguments.of("shuffle unit", new ShuffleUnit(48, 48, 3, 1, true), Shape.of(48, 8)),
                Arguments.of("shuffle unit s2", new ShuffleUnit(24, 48, 3, 2, false), Shape.of(24, 8)),
                Arguments.of("residual with shortcut", new Residual(Sequence.of(Activation.RELU,
                        SeparableConv.of(16, 32, 3).padding(1), new BatchNorm(32), Pool.max(3, 2).padding(1)),
                        Sequence.of(Conv2d.of(16, 32, 1).stride(2), new BatchNorm(32))), Shape.of(16, 10)),
                Arguments.of("residual on the input", new Residual(Sequence.of(Conv2d.of(8, 8, 3).padding(1))),
                        Shape.of(8, 6)),
                Arguments.of("concat", Concat.of(Pool.avg(3, 1).padding(1), Conv2d.of(8, 4, 1)), Shape.of(8, 6)),
                // a ReLU whose input another op still reads (the next branch; the residual sum) must not run in place
                Arguments.of("relu beside another reader", Sequence.of(Conv2d.of(8, 8, 3).padding(1),
                        Concat.of(Activation.RELU, Conv2d.of(8, 4, 1))), Shape.of(8, 6)),
                Arguments.of("relu first in a residual body", Sequence.of(Conv2d.of(8, 8, 3).padding(1),
                        new Residual(Sequence.of(Activation.RELU, Conv2d.of(8, 8, 3).padding(1)))), Shape.of(8, 6)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void matchesTheNd4jPath(String name, Layer spec, Shape in) {
        assertSame(name, spec, in, 1e-5);
    }

    static Stream<Arguments> networks() {
        return Stream.of(Arguments.of(Models.mobilenetV1(1.0, 224)), Arguments.of(Models.mobilenetV2(1.0, 224)),
                Arguments.of(Models.shufflenetV1(3, 1.0)), Arguments.of(Models.xception(true)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void wholeNetworksMatchTheNd4jPath(Model m) {
        FusedNet net = assertSame(m.name(), m.body(), m.input(), 1e-4);
        assertEquals(List.of(), net.fallbacks(), m.name() + ": reference kernels");
        // every batch norm folded and every activation fused: no more primitives than convolutions, pools and
        // joins, plus the input's and the output's reorders
        long convs = m.body().leaves(m.input()).stream()
                .filter(l -> l.layer() instanceof effconv.layers.ConvLayer).count();
        long others = m.body().leaves(m.input()).stream().filter(l -> l.layer() instanceof Pool
                || l.layer() instanceof GlobalAvgPool || l.layer() instanceof FullyConnected
                || l.layer() instanceof ChannelShuffle || l.layer() instanceof Residual.Add).count();
        assertTrue(net.primitiveCount() <= convs + others + 2 + 2 * concats(m),
                m.name() + ": " + net.primitiveCount() + " primitives for " + convs + " convolutions and " + others
                        + " other layers:\n" + String.join("\n", net.primitives()));
    }

    private static long concats(Model m) {
        return m.body().leaves(m.input()).stream().filter(l -> l.path().contains("shortcut_avgpool")).count();
    }

    @Test
    void mobilenetIsOneFusedPrimitivePerConvolution() {
        FusedNet net = FusedNet.compile(Models.mobilenetV1(1.0, 224), 0);
        long fusedConvs = net.primitives().stream()
                .filter(p -> p.startsWith("Conv2d") && p.contains("batch norm (folded) + ReLU")).count();
        assertEquals(27, fusedConvs, String.join("\n", net.primitives()));
        assertTrue(net.primitives().stream().noneMatch(p -> p.startsWith("ReLU")), "no separate activation");
    }

    @Test
    void residualAdditionsAreFusedAsSums() {
        FusedNet net = FusedNet.compile(Models.mobilenetV2(1.0, 224), 0);
        long sums = net.primitives().stream().filter(p -> p.contains("residual sum")).count();
        assertEquals(10, sums, "MobileNetV2's ten identity shortcuts:\n" + String.join("\n", net.primitives()));
        assertTrue(net.primitives().stream().noneMatch(p -> p.startsWith("residual add")));
    }

    @Test
    void aGroupedConvolutionIsOnePrimitiveAtEveryG() {
        for (int g : new int[] {1, 2, 4, 8, 16, 32}) {
            FusedNet net = FusedNet.compile(GroupedConv.of(96, 256, 5, g).padding(2), Shape.of(96, 27), 0);
            assertEquals(1, net.primitives().stream().filter(p -> p.startsWith("Conv2d")).count(), "g = " + g);
            assertEquals(List.of(), net.fallbacks(), "g = " + g);
        }
    }

    @Test
    void theSameSeedGivesTheNd4jPathsWeights() {
        Layer spec = Conv2d.of(4, 6, 3).bias(true);
        INDArray x = Tensors.random(Shape.of(4, 5), 3);
        INDArray a = FusedNet.compile(spec, Shape.of(4, 5), 7).forward(x);
        INDArray b = NdLayer.init(spec, 7).forward(x);
        INDArray c = FusedNet.compile(spec, Shape.of(4, 5), 8).forward(x);
        assertTrue(a.sub(b).amaxNumber().doubleValue() < 1e-6);
        assertTrue(a.sub(c).amaxNumber().doubleValue() > 1e-3, "another seed, other weights");
    }

    @Test
    void anotherInputShapeRecompilesAndBuffersOutliveGarbageCollection() {
        Layer spec = new InvertedResidual(8, 8, 6, 1);
        FusedNet net = FusedNet.compile(spec, Shape.of(8, 10), 1);
        NdLayer nd = NdLayer.init(spec, 1);
        for (int size : new int[] {10, 7, 10}) {
            INDArray x = Tensors.random(Shape.of(8, size), size);
            INDArray first = net.forward(x);
            for (int i = 0; i < 3; i++) {
                System.gc(); // nothing the primitives use may be collected while the network lives
                net.run(Tensors.random(Shape.of(8, size), 99));
            }
            assertTrue(net.forward(x).equalsWithEps(first, 0), "rerun on the same input, size " + size);
            assertTrue(first.sub(nd.forward(x)).amaxNumber().doubleValue() < 1e-5, "size " + size);
            assertEquals(Shape.of(8, size), net.input());
        }
        // networks dropped without closing: their primitives and buffers go together
        for (int i = 0; i < 20; i++) {
            FusedNet.compile(spec, Shape.of(8, 10), i).run(Tensors.random(Shape.of(8, 10), i));
        }
        System.gc();
        assertTrue(net.forward(Tensors.random(Shape.of(8, 10), 5)).length() > 0);
    }

    @Test
    void aViewOrAnotherTypeIsAcceptedAsInput() {
        Layer spec = DepthwiseConv.of(3, 3);
        FusedNet net = FusedNet.compile(spec, Shape.of(3, 6), 0);
        INDArray big = Tensors.random(Shape.of(6, 6), 1);
        INDArray view = big.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(3, 6), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.all());
        INDArray expected = NdLayer.init(spec, 0).forward(view.dup());
        assertTrue(net.forward(view).equalsWithEps(expected, 1e-5));
        assertTrue(net.forward(view.castTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE)).equalsWithEps(expected, 1e-5));
    }

    static Stream<Arguments> badInput() {
        Conv2d conv = Conv2d.of(8, 16, 3);
        return Stream.of(
                Arguments.of("input channels = 3", "inChannels = 8",
                        (Runnable) () -> FusedNet.compile(conv, Shape.of(3, 9), 0)),
                Arguments.of("kernel = 3", "padded input", (Runnable) () -> FusedNet.compile(conv, Shape.of(8, 2), 0)),
                Arguments.of("layer", "null", (Runnable) () -> FusedNet.compile(null, Shape.of(8, 9), 0)),
                Arguments.of("model", "null", (Runnable) () -> FusedNet.compile((Model) null, 0)),
                Arguments.of("input", "null", (Runnable) () -> FusedNet.compile(conv, null, 0)),
                Arguments.of("x", "null", (Runnable) () -> FusedNet.compile(conv, Shape.of(8, 9), 0).run(null)),
                Arguments.of("x has shape [1, 8]", "[1, C, H, W]",
                        (Runnable) () -> FusedNet.compile(conv, Shape.of(8, 9), 0).run(Nd4j.ones(1, 8))),
                Arguments.of("input channels = 4", "inChannels = 8", (Runnable) () ->
                        FusedNet.compile(conv, Shape.of(8, 9), 0).run(Tensors.random(Shape.of(4, 9), 0))),
                Arguments.of("weights[1] has shape (missing)", "[16] there", (Runnable) () -> FusedNet.withWeights(
                        conv.bias(true), Shape.of(8, 9), List.of(Nd4j.ones(16, 8, 3, 3)))),
                Arguments.of("weights[0] has shape [16, 8, 1, 1]", "[16, 8, 3, 3]", (Runnable) () ->
                        FusedNet.withWeights(conv, Shape.of(8, 9), List.of(Nd4j.ones(16, 8, 1, 1)))),
                Arguments.of("layer Pool[kind=AVG", "ceil-mode", (Runnable) () ->
                        FusedNet.compile(Pool.avg(3, 2).padding(1).ceilMode(), Shape.of(4, 8), 0)),
                Arguments.of("compiling Conv2d for 1000×400×400", "not allowed: only", (Runnable) () ->
                        FusedNet.compile(Conv2d.of(1000, 1000, 1), Shape.of(1000, 400), 0)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    void badInputIsRefusedWithOneMessage(String names, String allowed, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(names) && e.getMessage().contains(allowed),
                "message names '" + names + "' and '" + allowed + "': " + e.getMessage());
        assertTrue(e.getMessage().contains("not allowed") || e.getMessage().contains("null"), e.getMessage());
    }

    @Test
    void theNetworkStillRunsAfterABadCall() {
        FusedNet net = FusedNet.compile(Conv2d.of(8, 16, 3), Shape.of(8, 9), 0);
        INDArray x = Tensors.random(Shape.of(8, 9), 0);
        INDArray before = net.forward(x);
        assertThrows(IllegalArgumentException.class, () -> net.run(Tensors.random(Shape.of(4, 9), 0)));
        assertTrue(net.forward(x).equalsWithEps(before, 0));
        assertEquals(Shape.of(8, 9), net.input());
    }

    @Test
    void describesItself() {
        FusedNet net = FusedNet.compile(Sequence.of(Conv2d.of(8, 16, 3), new BatchNorm(16), Activation.RELU),
                Shape.of(8, 9), 0);
        assertTrue(net.primitives().stream().anyMatch(p -> p.startsWith(
                "Conv2d(8, 16, kernel_size=3, bias=False) + batch norm (folded) + ReLU [")), net.primitives().toString());
        assertTrue(net.bytes() > 16 * 8 * 9 * 4, "weights counted");
        assertTrue(net.toString().startsWith("FusedNet(8×9×9 input, "), net.toString());
    }

    @Test
    void countsEveryBiasInItsBytes() {
        // a bias of 10 floats is 40 bytes more, for a linear layer as for a convolution
        long fcWith = FusedNet.compile(new FullyConnected(32, 10, true), Shape.of(32, 1), 0).bytes();
        long fcWithout = FusedNet.compile(new FullyConnected(32, 10, false), Shape.of(32, 1), 0).bytes();
        assertEquals(10 * 4, fcWith - fcWithout, "linear bias");
        long convWith = FusedNet.compile(Conv2d.of(8, 10, 1).bias(true), Shape.of(8, 4), 0).bytes();
        long convWithout = FusedNet.compile(Conv2d.of(8, 10, 1), Shape.of(8, 4), 0).bytes();
        assertEquals(10 * 4, convWith - convWithout, "convolution bias");
    }

    private static FusedNet assertSame(String name, Layer spec, Shape in, double relative) {
        INDArray x = Tensors.random(in, 11);
        FusedNet net = FusedNet.compile(spec, in, 5);
        INDArray y = net.forward(x);
        INDArray expected = NdLayer.init(spec, 5).forward(x);
        assertArrayEquals(expected.shape(), y.shape(), name + ": output shape");
        double scale = Math.max(1, expected.amaxNumber().doubleValue());
        double maxDiff = y.sub(expected).amaxNumber().doubleValue();
        assertTrue(maxDiff <= relative * scale, name + ": max |fused − ND4J| = " + maxDiff + " (outputs up to "
                + scale + ")\n" + String.join("\n", net.primitives()));
        return net;
    }
}

package effconv.fused;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import effconv.fused.FusedNet.Steps;
import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.Conv2d;
import effconv.layers.ConvLayer;
import effconv.layers.Layer;
import effconv.layers.Residual;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.models.InvertedResidual;
import effconv.models.Model;
import effconv.models.Models;
import effconv.models.ShuffleUnit;
import effconv.runtime.Tensors;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Each of FusedNet's steps switched off alone, and all of them: the same output as the default (every step on),
 * and the primitives each switch should add.
 */
class FusedStepsTest {

    /**
     * This class compiles a dozen whole networks, unfused ones up to 130 MiB each. Their buffers go back only when
     * the collector has run and JavaCPP's deallocator has caught up: waited for here, so the next test class in
     * this JVM finds the memory guard's budget as it was.
     */
    @AfterAll
    static void giveTheMemoryBack() throws InterruptedException {
        long before;
        do {
            before = Pointer.totalBytes();
            System.gc();
            Thread.sleep(100);
        } while (Pointer.totalBytes() < before);
    }

    /** Each switch off alone, then all of them. */
    static List<Steps> unfused() {
        return List.of(Steps.all().foldBatchNorm(false), Steps.all().fuseActivations(false),
                Steps.all().keepLayouts(false), Steps.all().groupedPrimitive(false), Steps.none());
    }

    static Stream<Arguments> blocks() {
        List<Arguments> blocks = List.of(
                Arguments.of("conv+bn+relu", Sequence.of(Conv2d.of(8, 16, 3).padding(1), new BatchNorm(16),
                        Activation.RELU), Shape.of(8, 12)),
                Arguments.of("shuffle unit", new ShuffleUnit(48, 48, 3, 1, true), Shape.of(48, 8)),
                Arguments.of("shuffle unit s2", new ShuffleUnit(24, 48, 3, 2, true), Shape.of(24, 8)),
                Arguments.of("inverted residual (ReLU6)", new InvertedResidual(16, 16, 6, 1), Shape.of(16, 10)));
        return blocks.stream().flatMap(b -> unfused().stream().map(s -> Arguments.of(b.get()[0], b.get()[1],
                b.get()[2], s)));
    }

    @ParameterizedTest(name = "{0}, {3}")
    @MethodSource("blocks")
    void aBlockGivesTheSameOutputWithAnyStepOff(String name, Layer spec, Shape in, Steps steps) {
        FusedNet fused = FusedNet.compile(spec, in, 5);
        FusedNet net = FusedNet.compile(spec, in, 5, steps);
        assertSameOutput(name, fused, net, in);
        assertPrimitives(name, spec, in, fused, net);
    }

    static Stream<Arguments> networks() {
        return Stream.of(Arguments.of(Models.shufflenetV1(3, 1.0)), Arguments.of(Models.mobilenetV1(1.0, 224)));
    }

    /**
     * Each network compiled once per setting: the same output, the primitives each switch adds — on these, exactly
     * one more per batch norm (ShuffleNet's 49, MobileNet's 27); MobileNet's only grouped convolutions are
     * depthwise, one primitive each whatever groupedPrimitive says (checked in assertPrimitives).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void aNetworkGivesTheSameOutputWithAnyStepOff(Model m) {
        FusedNet fused = FusedNet.compile(m, 5);
        long batchNorms = count(m.body().leaves(m.input()), l -> l instanceof BatchNorm);
        assertEquals(m.name().startsWith("ShuffleNet") ? 49 : 27, batchNorms);
        for (Steps steps : unfused()) {
            FusedNet net = FusedNet.compile(m, 5, steps);
            assertSameOutput(m.name() + ", " + steps, fused, net, m.input());
            assertPrimitives(m.name() + ", " + steps, m.body(), m.input(), fused, net);
            assertEquals(List.of(), net.fallbacks(), m.name() + ", " + steps + ": reference kernels");
            if (steps.equals(Steps.all().foldBatchNorm(false))) {
                assertEquals(fused.primitiveCount() + batchNorms, net.primitiveCount(), m.name());
            }
        }
    }

    @Test
    void stepsAreValuesBuiltByName() {
        assertEquals(new Steps(true, true, true, true), Steps.all());
        assertEquals(new Steps(false, false, false, false), Steps.none());
        Steps s = Steps.all().foldBatchNorm(false).keepLayouts(false);
        assertEquals(new Steps(false, true, false, true), s);
        assertEquals(new Steps(true, false, true, false), Steps.all().fuseActivations(false).groupedPrimitive(false));
        assertEquals(Steps.all(), s.foldBatchNorm(true).keepLayouts(true));
        assertTrue(Steps.all().foldBatchNorm(), "the builders leave the original as it was");
        assertEquals("Steps.all().foldBatchNorm(false).keepLayouts(false)", s.toString(), "printed as its code");
        assertEquals("Steps.all()", Steps.all().toString());
        assertEquals("Steps.none()", Steps.none().toString());
        Layer spec = Conv2d.of(4, 6, 3);
        assertEquals(Steps.all(), FusedNet.compile(spec, Shape.of(4, 5), 0).steps());
        assertEquals(s, FusedNet.compile(spec, Shape.of(4, 5), 0, s).steps());
        assertEquals(Steps.all(), FusedNet.compile(Models.mobilenetV1(0.25, 32), 0).steps());
    }

    @Test
    void describesWhatEachPrimitiveNowDoes() {
        Layer block = Sequence.of(Conv2d.of(6, 12, 3).padding(1).groups(3), new BatchNorm(12), Activation.RELU);
        FusedNet net = FusedNet.compile(block, Shape.of(6, 8), 0, Steps.none());
        List<String> p = net.primitives();
        String all = String.join("\n", p);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("batch norm (own primitive")), all);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("ReLU (own primitive")), all);
        assertTrue(p.stream().anyMatch(s -> s.startsWith("reorder to NCHW")), all);
        assertTrue(p.stream().anyMatch(s -> s.contains(", group 2 of 3 [")), all);
        assertTrue(net.toString().contains(p.size() + " oneDNN primitives") && net.toString().endsWith(
                ", Steps.none())"), net.toString());
    }

    @Test
    void opsAreWhatComputesTheSameOnEveryCpu() {
        // what runs, without the reorders (how many depends on the layouts this CPU's kernels want) or kernel names
        Layer block = Sequence.of(Conv2d.of(32, 64, 3).padding(1), new BatchNorm(64), Activation.RELU);
        FusedNet net = FusedNet.compile(block, Shape.of(32, 28), 0);
        assertEquals(List.of("Conv2d(32, 64, kernel_size=3, padding=1, bias=False) + batch norm (folded) + ReLU"),
                net.ops());
        long reorders = net.primitives().stream().filter(p -> p.startsWith("reorder") || p.startsWith("output to"))
                .count();
        assertEquals(net.primitiveCount() - reorders, net.ops().size(), String.join("\n", net.primitives()));
    }

    @Test
    void anotherInputShapeRecompilesWithTheSameSteps() {
        Layer spec = new ShuffleUnit(48, 48, 3, 1, true);
        FusedNet net = FusedNet.compile(spec, Shape.of(48, 8), 3, Steps.none());
        INDArray x = Tensors.random(Shape.of(48, 6), 1);
        INDArray expected = FusedNet.compile(spec, Shape.of(48, 6), 3).forward(x);
        assertTrue(net.forward(x).equalsWithEps(expected, 1e-4));
        assertEquals(Steps.none(), net.steps());
        assertTrue(net.primitives().stream().anyMatch(s -> s.startsWith("reorder to NCHW")), "still unfused");
    }

    @Test
    void nullStepsAreRefusedNamingTheParameter() {
        for (Runnable call : List.<Runnable>of(
                () -> FusedNet.compile(Conv2d.of(4, 6, 3), Shape.of(4, 5), 0, null),
                () -> FusedNet.compile(Models.mobilenetV1(0.25, 32), 0, null))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
            assertEquals("steps is null: a value is required", e.getMessage());
        }
    }

    private static void assertSameOutput(String name, FusedNet expected, FusedNet net, Shape in) {
        INDArray x = Tensors.random(in, 11);
        INDArray want = expected.forward(x);
        INDArray y = net.forward(x);
        assertArrayEquals(want.shape(), y.shape(), name + ": output shape");
        double scale = Math.max(1, want.amaxNumber().doubleValue());
        double maxDiff = y.sub(want).amaxNumber().doubleValue();
        assertTrue(maxDiff <= 1e-4 * scale, name + ": max |unfused − fused| = " + maxDiff + " (outputs up to " + scale
                + ")\n" + String.join("\n", net.primitives()));
    }

    /** The primitives a switch turned off must add, counted from the spec's layers. */
    private static void assertPrimitives(String name, Layer spec, Shape in, FusedNet fused, FusedNet net) {
        Steps s = net.steps();
        List<String> p = net.primitives();
        String listing = name + ":\n" + String.join("\n", p);
        List<Layer.Leaf> leaves = spec.leaves(in);
        long batchNorms = count(leaves, l -> l instanceof BatchNorm);
        long activations = count(leaves, l -> l instanceof Activation);
        long groups = leaves.stream().map(Layer.Leaf::layer).filter(l -> l instanceof ConvLayer)
                .map(l -> ((ConvLayer) l).toConv2d()).filter(c -> c.groups() > 1 && c.groups() < c.inChannels())
                .mapToLong(Conv2d::groups).sum();
        if (!s.foldBatchNorm()) {
            assertEquals(batchNorms, p.stream().filter(x -> x.startsWith("batch norm (own primitive")).count(), listing);
            assertTrue(p.stream().noneMatch(x -> x.contains("(folded)")), listing);
        }
        if (!s.fuseActivations()) {
            assertEquals(activations, p.stream().filter(x -> x.startsWith("ReLU")).count(), listing);
            assertEquals(count(leaves, l -> l instanceof Residual.Add),
                    p.stream().filter(x -> x.startsWith("residual add (own primitive)")).count(), listing);
            assertTrue(p.stream().noneMatch(x -> x.contains("+ ReLU") || x.contains("residual sum")), listing);
        }
        if (!s.keepLayouts() && fused.primitiveCount() > 1) {
            assertTrue(p.stream().anyMatch(x -> x.startsWith("reorder to NCHW")), listing);
        }
        if (!s.groupedPrimitive()) {
            assertEquals(groups, p.stream().filter(x -> x.matches(".*, group \\d+ of \\d+( \\+.*)? \\[.*")).count(),
                    listing);
        }
        if (s.equals(Steps.all().foldBatchNorm(false))) {
            // one more per batch norm, and on small blocks a reorder where the convolution before it wants
            // another layout (exactly one more on the whole networks: aNetworkGivesTheSameOutput…)
            assertTrue(net.primitiveCount() >= fused.primitiveCount() + batchNorms, listing);
        } else if (s.equals(Steps.all().groupedPrimitive(false)) && groups == 0) {
            assertEquals(fused.primitives(), p, listing);
        } else if (s.equals(Steps.all().keepLayouts(false))) {
            // a single primitive writes NCHW itself: nothing to reorder
            assertTrue(net.primitiveCount() >= fused.primitiveCount(), listing);
        } else {
            assertTrue(net.primitiveCount() > fused.primitiveCount(), listing);
        }
    }

    private static long count(List<Layer.Leaf> leaves, Predicate<Layer> kind) {
        return leaves.stream().filter(l -> kind.test(l.layer())).count();
    }
}

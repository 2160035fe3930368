package effconv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import effconv.experiments.Analysis;
import effconv.experiments.Sweep;
import effconv.fused.FusedNet;
import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.Conv2d;
import effconv.layers.DepthwiseConv;
import effconv.layers.GroupedConv;
import effconv.layers.Layer;
import effconv.layers.PointwiseConv;
import effconv.layers.SeparableConv;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import effconv.models.FireModule;
import effconv.models.Model;
import effconv.models.Models;
import effconv.nd.Agreement;
import effconv.nd.Connectivity;
import effconv.nd.NaiveConv;
import effconv.nd.NdLayer;
import effconv.report.Summary;
import effconv.runtime.Tensors;
import effconv.train.Network;
import effconv.train.TinyNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import tech.tablesaw.api.Table;

/**
 * Every exercise or worked solution that says "check it against …" or states what a library call gives, carried out:
 * both sides computed, as a student would, so a solution that stops being true fails here. (The answers of the
 * self-checking cells are checked in the lessons' own kernels by the notebook tests.) Each test names its lesson.
 */
class WorkedSolutionsTest {

    private static long rowsMacs(Summary s, String prefix) {
        return s.rows().stream().filter(r -> r.path().startsWith(prefix)).mapToLong(Summary.Row::macs).sum();
    }

    private static long rowsParams(Summary s, String prefix) {
        return s.rows().stream().filter(r -> r.path().startsWith(prefix)).mapToLong(Summary.Row::params).sum();
    }

    @Test
    void lesson1StandardAndSeparableAtK5AreTheFormulas() {
        // exercise 1: predict with N·C·K² and C·(K² + N), "run and check"
        assertEquals(1000L * 100 * 25, Conv2d.of(100, 1000, 5).params());
        assertEquals(100L * (25 + 1000), SeparableConv.of(100, 1000, 5).params());
    }

    @Test
    void lesson1OnlyOneAndTwoOutputChannelsSaveLessThanHalf() {
        // exercise 3: "find it from 1/N + 1/K² and check with a sweep"; solution: N = 1, 2, and 0.61 at N = 2
        Shape in = Shape.of(100, 17);
        for (int n = 1; n <= 64; n++) {
            double ratio = (double) SeparableConv.of(100, n, 3).macs(in) / Conv2d.of(100, n, 3).macs(in);
            assertEquals(n <= 2, ratio > 0.5, "N = " + n + ": " + ratio);
        }
        assertEquals(0.61, (double) SeparableConv.of(100, 2, 3).macs(in) / Conv2d.of(100, 2, 3).macs(in), 0.005);
    }

    @Test
    void lesson1StrideOneLoopsCountWhatTheFormulaSays() {
        // exercise 5 and its solution: 6 · 4 · 9 · 7 · 7 = 10,584, the loops and small.stride(1).macs agree
        Conv2d small = Conv2d.of(4, 6, 3).stride(1).padding(1).dilation(2);
        Shape in = Shape.of(4, 9);
        assertEquals(10_584, small.macs(in));
        assertEquals(10_584, NaiveConv.macs(small, in));
    }

    @Test
    void lesson2MultiplierThreeGivesEightyOneParametersAndNineChannels() {
        // solution 1: C·m·K² = 3·3·9 = 81 parameters, 9 output channels
        DepthwiseConv dw = DepthwiseConv.of(3, 3).multiplier(3);
        assertEquals(81, dw.params());
        assertEquals(9, dw.outputShape(Shape.of(3, 8)).channels());
    }

    @Test
    void lesson3SqueezeBreaksEvenAt230Channels() {
        // exercise 2: "solve it per position, then check"; solution: s = 230.4
        Shape big = Shape.of(256, 28);
        long direct = Conv2d.of(256, 256, 3).padding(1).macs(big);
        for (int s : new int[] {230, 231}) {
            long reduced = Sequence.of(PointwiseConv.of(256, s), Conv2d.of(s, 256, 3).padding(1)).macs(big);
            assertEquals(s <= 230, reduced < direct, "s = " + s);
        }
    }

    @Test
    void lesson4FireModulesAsTheSolutionsCountThem() {
        // exercise 3: "use your formula, then check with new FireModule(…).params()"
        // solution 3: s = 8 gives 6,024, just short of half (5,960); s = 7 gives 5,287; all but one 3×3 expand
        // channel moved to 1×1 gives 3,856
        assertEquals(11_920, new FireModule(96, 16, 64, 64).params());
        assertEquals(6_024, new FireModule(96, 8, 64, 64).params());
        assertEquals(5_287, new FireModule(96, 7, 64, 64).params());
        assertEquals(3_856, new FireModule(96, 16, 127, 1).params());
        // solution 1: fire9 197,184 parameters, conv10 513,000; fire8 137.4 and fire4 136.3 million MACs, conv1 173.9
        Summary sq = Summary.of(Models.squeezenet(227));
        assertEquals(197_184, rowsParams(sq, "fire9/"));
        assertEquals(513_000, sq.row("conv10").params());
        assertEquals(137.4, rowsMacs(sq, "fire8/") / 1e6, 0.05);
        assertEquals(136.3, rowsMacs(sq, "fire4/") / 1e6, 0.05);
        assertEquals(173.9, sq.row("conv1").macs() / 1e6, 0.05);
    }

    @Test
    void lesson5DepthwiseConnectivityIsTheDiagonal() {
        // exercise 2: "check with Connectivity.measure(DepthwiseConv.of(8, 3).padding(1), Shape.of(8, 6), 3)"
        double[][] m = Connectivity.measure(DepthwiseConv.of(8, 3).padding(1), Shape.of(8, 6), 3);
        for (int o = 0; o < 8; o++) {
            for (int i = 0; i < 8; i++) {
                assertEquals(o == i ? 1.0 : 0.0, m[o][i], "output " + o + ", input " + i);
            }
        }
        // exercise 3's solution: g = 4 gives 112 million MACs, g = 8 gives 56 million
        Shape conv2 = Shape.of(96, 27);
        assertEquals(112.0, GroupedConv.of(96, 256, 5, 4).padding(2).macs(conv2) / 1e6, 0.05);
        assertEquals(56.0, GroupedConv.of(96, 256, 5, 8).padding(2).macs(conv2) / 1e6, 0.05);
    }

    @Test
    void lesson6WhereAlexNetsParametersAndMacsAre() {
        // solution 1: fc6 holds 37.8 of the 61 million parameters, conv2 the most MACs (224 million with 2 groups),
        // conv2, conv4 and conv5 about 1.4 million parameters together
        Summary a = Summary.of(Models.alexnet(2));
        assertEquals(37.8, rowsParams(a, "fc6") / 1e6, 0.05);
        assertEquals(61.0, Models.alexnet(2).params() / 1e6, 0.05);
        assertEquals(224.0, rowsMacs(a, "conv2") / 1e6, 0.5);
        assertEquals(1.4, (rowsParams(a, "conv2") + rowsParams(a, "conv4") + rowsParams(a, "conv5")) / 1e6, 0.05);
    }

    @Test
    void lesson7ThreeStackedGroupConvolutionsReachOnlyTheirGroup() {
        // solution 2: with C = 12 and g = 6, output 0 depends on inputs 0 and 1 only
        Layer stack = Sequence.of(GroupedConv.of(12, 12, 1, 6), GroupedConv.of(12, 12, 1, 6), GroupedConv.of(12, 12, 1, 6));
        double[][] m = Connectivity.measure(stack, Shape.of(12, 4), 1);
        List<Integer> reached = new ArrayList<>();
        for (int i = 0; i < 12; i++) if (m[0][i] == 1) reached.add(i);
        assertEquals(List.of(0, 1), reached);
    }

    @Test
    void lesson10BudgetsAsTheSolutionCountsThem() {
        // exercise 4: "from the α² and ρ² laws first, then check"; solution: 149 counted at α = 0.5, α = 0.75 about
        // 320 (325 counted), ρ = 128/224 gives 186 and 160 already 290
        assertEquals(149, Models.mobilenetV1(0.5, 224).macs() / 1e6, 0.5);
        assertEquals(325, Models.mobilenetV1(0.75, 224).macs() / 1e6, 1);
        assertEquals(186, Models.mobilenetV1(1, 128).macs() / 1e6, 0.5);
        assertEquals(290, Models.mobilenetV1(1, 160).macs() / 1e6, 1);
    }

    @Test
    void lesson11V2AgainstV1AsTheSolutionStatesIt() {
        // solution 3: 301 vs 569 million MACs (47% fewer), 3.50 vs 4.23 million parameters (17% fewer)
        Model v2 = Models.mobilenetV2(1, 224), v1 = Models.mobilenetV1(1, 224);
        assertEquals(301, v2.macs() / 1e6, 0.5);
        assertEquals(569, v1.macs() / 1e6, 0.5);
        assertEquals(47, 100 * (1 - (double) v2.macs() / v1.macs()), 0.5);
        assertEquals(3.50, v2.params() / 1e6, 0.005);
        assertEquals(4.23, v1.params() / 1e6, 0.005);
        assertEquals(17, 100 * (1 - (double) v2.params() / v1.params()), 0.5);
    }

    @Test
    void lesson12OneMiddleFlowBlockAsItsRowsSay() {
        // exercise 2: "check with the rows of Summary.of(xception) for one existing block"; solution: about 581
        // million MACs and 1.6 million parameters, as block5's rows say
        Summary x = Summary.of(Models.xception(true));
        long perConv = 19L * 19 * 728 * (9 + 728);
        assertEquals(3 * perConv, rowsMacs(x, "block5/"));
        assertEquals(581, rowsMacs(x, "block5/") / 1e6, 0.5);
        assertEquals(1.6, rowsParams(x, "block5/") / 1e6, 0.05);
    }

    @Test
    void lesson15FoldingByHandAgreesWithTheFusedPrimitive() {
        // exercise 2: fold the batch norm of section 2's block by hand and compare with onePrimitive
        Layer block = Sequence.of(Conv2d.of(32, 64, 3).padding(1), new BatchNorm(64), Activation.RELU);
        Shape small = Shape.of(32, 28);
        INDArray x = Tensors.random(small, 1);
        List<INDArray> w = NdLayer.init(block, 0).weights(); // conv weight, then γ, β, running mean, running variance
        INDArray scale = w.get(1).div(Transforms.sqrt(w.get(4).add(BatchNorm.EPS)));
        INDArray w1 = w.get(0).mul(scale.reshape(64, 1, 1, 1));
        INDArray b1 = w.get(2).sub(w.get(3).mul(scale));
        INDArray byHand = Transforms.relu(NdLayer.withWeights(Conv2d.of(32, 64, 3).padding(1).bias(true),
                List.of(w1, b1)).forward(x));
        INDArray onePrimitive = FusedNet.compile(block, small, 0).forward(x);
        assertTrue(Agreement.of(byHand, onePrimitive, 1e-5).holds(), Agreement.of(byHand, onePrimitive, 1e-5).toString());
    }

    @Test
    void lesson16TheRowTheSolutionNamesIsOneCommittedRun() throws Exception {
        // exercise 2: "find its row in data/training-alexnet-tiny.csv (by its command)"; the solution names it
        String command = "./course train --net alexnet-tiny --groups 4 --epochs 6 --decay 2 --seed 1";
        long rows = Files.readAllLines(Path.of("..", "data", "training-alexnet-tiny.csv")).stream()
                .filter(l -> l.endsWith("," + command)).count();
        assertEquals(1, rows, command);
    }

    @Test
    void lesson17PrunedParametersAreTheFormulaLessTheWeightsCountedTwice() {
        // exercise 2: "check your formula against the printed before/after counts of section 2": each dead channel
        // takes (C_in + N) · K² + 1 parameters, but a weight between two dead channels of adjacent layers goes once
        Network net = Network.of(TinyNet.alexNet(1).withBatchNorm(false).model(), 1);
        List<Integer> conv3 = List.of(0, 1, 2, 3), conv4 = List.of(5, 6, 7, 8, 9, 10, 11, 12, 13),
                conv5 = List.of(20, 21, 22, 23, 24);
        Analysis.DeadChannels dead = new Analysis.DeadChannels(0.99, List.of(
                new Analysis.Dead("conv1/relu", 16, List.of(), new double[16]),
                new Analysis.Dead("conv2/relu", 32, List.of(), new double[32]),
                new Analysis.Dead("conv3/relu", 64, conv3, new double[64]),
                new Analysis.Dead("conv4/relu", 64, conv4, new double[64]),
                new Analysis.Dead("conv5/relu", 64, conv5, new double[64])));
        long before = net.model().params(), after = Analysis.prune(net, dead).model().params();
        long formula = conv3.size() * ((32 + 64) * 9 + 1) + conv4.size() * ((64 + 64) * 9 + 1)
                + conv5.size() * (64 * 9 + 1 + 10);               // conv5's next layer is the 64 → 10 classifier
        long twice = (long) conv3.size() * conv4.size() * 9 + (long) conv4.size() * conv5.size() * 9;
        assertEquals(formula - twice, before - after);
    }

    @Test
    void lesson18TheLargestShuffleGainIsTheRowTheSolutionNames() {
        // solution 2: g = 8, +0.77 ± 0.09 points, 8.9 SE, the only gain beyond 2 SE
        Sweep nets = Sweep.load("shufflenet-tiny");
        Table gains = Sweep.shuffleGains(effconv.lessons.DoesTheShuffleHelp.withShuffle(nets),
                effconv.lessons.DoesTheShuffleHelp.withoutShuffle(nets));
        int best = 0;
        for (int i = 1; i < gains.rowCount(); i++) {
            if (gains.doubleColumn(1).get(i) > gains.doubleColumn(1).get(best)) best = i;
        }
        assertEquals("8", gains.getString(best, 0).trim());
        assertEquals(0.77, gains.doubleColumn(1).get(best), 0.005);
        assertEquals(0.09, gains.doubleColumn(2).get(best), 0.005);
        assertEquals("helps (8.9 SE)", gains.getString(best, 3));
        for (int i = 0; i < gains.rowCount(); i++) {
            assertEquals(i == best, gains.getString(i, 3).startsWith("helps"), gains.getString(i, 0));
        }
    }
}

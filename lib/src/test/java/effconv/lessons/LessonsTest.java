package effconv.lessons;

import effconv.bench.BenchSuite;
import effconv.layers.Conv2d;
import effconv.layers.SeparableConv;
import effconv.layers.Shape;
import effconv.models.Models;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lessons' tables against the specs they tabulate and the rules the lessons read off them. */
class LessonsTest {

    @Test
    void standardVsSeparableRowsAreTheSpecsCounts() {
        Table t = StandardVsSeparable.byKernelSize(100, 1000, 17);
        assertEquals(11, t.rowCount());
        int k3 = 2;   // K = 1, 2, 3, …
        assertEquals(Conv2d.of(100, 1000, 3).params(), t.longColumn("standard params").get(k3));
        assertEquals(SeparableConv.of(100, 1000, 3).macs(Shape.of(100, 17)), t.longColumn("separable MACs").get(k3));
        for (int i = 0; i < t.rowCount(); i++) {
            assertEquals(t.doubleColumn("1/N + 1/K²").get(i), t.doubleColumn("MAC ratio").get(i), 1e-12);
        }
        Table gap = StandardVsSeparable.gapToLimit(100, 3, 17);
        assertEquals(java.util.List.of(10L, 100L, 1000L, 10000L), gap.longColumn("N").asList());
        assertEquals(gap.doubleColumn("K²/N, %").get(1), gap.doubleColumn("above the limit, %").get(1), 1e-9);
    }

    @Test
    void groupSweepsFallAsOneOverG() {
        Table t = GroupedConvolution.costByGroups(96, 256, 5, 27, 2);
        assertEquals(java.util.List.of(1L, 2L, 4L, 8L, 16L, 32L), t.longColumn("g").asList());
        for (int i = 0; i < t.rowCount(); i++) {
            assertEquals(t.longColumn("MACs").get(0), t.longColumn("MACs").get(i) * t.longColumn("g").get(i));
        }
    }

    @Test
    void oneShuffleMixesFullyExactlyWhenCOverGIsAtLeastG() {
        Table t = ChannelShuffling.mixing(12, 4);
        for (int i = 0; i < t.rowCount(); i++) {
            assertEquals(t.booleanColumn("C/g ≥ g").get(i), t.booleanColumn("every output sees every input").get(i));
        }
        assertEquals(5, t.rowCount());
    }

    @Test
    void shuffleNetTablesCountLikeTheirFormulas() {
        Table units = ShuffleNet.unitCosts(240, 60, 28);
        assertTrue(units.booleanColumn("formula = count").asList().stream().allMatch(b -> b));
        assertEquals(java.util.List.of(144L, 200L, 240L, 272L, 384L), ShuffleNet.table1().longColumn("Stage2").asList());
        assertEquals(15, ShuffleNet.errors().rowCount());
        assertEquals(0.982, ShuffleNet.labels().doubleColumn("g = 3: count / label").get(0), 1e-9);
    }

    @Test
    void dilationWidensTheKernelNotTheParameters() {
        Table t = DilatedConvolution.byDilation(16, 3);
        assertTrue(t.longColumn("params").asList().stream().allMatch(p -> p == 16 * 16 * 9));
        assertEquals(13L, t.longColumn("k̂ = K + (K−1)(d−1)").get(5));
        assertEquals(3, DilatedConvolution.widthSeen(new double[][] {{0, 1, 0, 1}, {0, 0, 1, 0}}));
        assertEquals(0, DilatedConvolution.widthSeen(new double[][] {{0, 0}}));
    }

    @Test
    void mobileNetBlocksMatchTheirFormulas() {
        Table v1 = MobileNets.separableBlocks(Models.mobilenetV1(1, 224));
        assertEquals(13, v1.rowCount());
        for (int i = 0; i < v1.rowCount(); i++) {
            assertEquals(v1.doubleColumn("1 / (1/N + 1/9)").get(i), v1.doubleColumn("standard / separable MACs").get(i), 1e-9);
        }
        Table v2 = MobileNets.invertedResidualBlocks(Models.mobilenetV2(1, 224));
        assertEquals(17, v2.rowCount());
        assertEquals(v2.longColumn("formula MACs").asList(), v2.longColumn("counted MACs").asList());
        assertEquals(BenchSuite.cases().size(), BenchSuite.counted(BenchSuite.cases()).rowCount());
        assertEquals(4, MobileNets.sharesByKind(Models.mobilenetV2(1, 224), Models.xception(true)).getTraces().length);
    }

    @Test
    void trainingSweepsSplitByWhatTheLessonsCompare() {
        effconv.experiments.Sweep alex = effconv.experiments.Sweep.load("alexnet-tiny");
        effconv.experiments.Sweep fixed = WhatGroupsLearn.fixedWidths(alex), widened = WhatGroupsLearn.widened(alex);
        assertTrue(fixed.runs().stream().allMatch(r -> r.net().batchNorm() && !r.net().widthMatch()));
        assertTrue(widened.runs().stream().allMatch(r -> r.net().batchNorm() && (r.net().widthMatch() || r.net().groups() == 1)));
        assertEquals(alex.runs().size(), WhatGroupsLearn.withBatchNorm(alex).runs().size()
                + DeadChannels.withoutBatchNorm(alex).runs().size());
        effconv.experiments.Sweep shuffles = effconv.experiments.Sweep.load("shufflenet-tiny");
        assertTrue(DoesTheShuffleHelp.withShuffle(shuffles).runs().stream().allMatch(r -> r.net().groups() == 1 || r.net().shuffle()));
        assertEquals(3, DoesTheShuffleHelp.exactZeros(new double[][] {{0, 1}, {0, 0}}));
        assertEquals(2, WhatGroupsLearn.correlationBars(fixed).getTraces().length);
        // every configuration's change from g = 1, with its error, and the first row is g = 1 itself
        Table changes = WhatGroupsLearn.changesFromOneGroup(widened, "widened");
        assertEquals(widened.configs().size(), changes.rowCount());
        assertEquals("—", changes.getString(0, "verdict"));
        assertEquals("+0.0%", changes.getString(0, "params vs g = 1"));
        for (int i = 1; i < changes.rowCount(); i++) {
            double share = Double.parseDouble(changes.getString(i, "params vs g = 1").replace("%", ""));
            assertTrue(Math.abs(share) <= 2, changes.getString(i, "network") + " " + share); // matched within 2%
        }
        var curves = effconv.plot.FigureJson.of(WhatGroupsLearn.learningCurves(fixed, "curves"));
        assertEquals(fixed.configs().size(), curves.get("data").size());
        assertEquals(6, curves.get("data").get(0).get("error_y").get("array").size());
        String settling = WhatGroupsLearn.settlingSentence(fixed);
        assertTrue(settling.startsWith("The rate is 0.002 for epochs 1–4 and falls to zero over epochs 5–6. From "
                + "epoch 4, the last at the full rate, to epoch 6, the 4 configurations'"), settling);
        var bars = effconv.plot.FigureJson.of(WhatGroupsLearn.accuracyAgainstGroups("t", "fixed", fixed, "widened",
                widened));
        assertEquals(fixed.configs().size(), bars.get("data").get(0).get("error_y").get("array").size());
    }

    @Test
    void thePublishedComparisonsAreFixedWidthWithFewerParametersAndTheirNoiseIsComputed() {
        Table t = WhatGroupsLearn.publishedComparisons();
        assertEquals(8, t.rowCount()); // AlexNet 1, 2, 4 groups; NiN and root-2 … root-16
        // Deep Roots: NiN 967k → root-16 245k parameters, −74.7%
        assertEquals("-74.7%", t.getString(7, "params vs no groups"));
        // root-8 − NiN = 92.15 − 92.11 = +0.04 points, against √(p(1 − p)/10,000) for each run, in quadrature
        assertEquals("0.04", t.getString(6, "change, points"));
        double se = Math.hypot(Math.sqrt(.9215 * .0785 / 1e4), Math.sqrt(.9211 * .0789 / 1e4)) * 100;
        assertEquals(Math.round(se * 100) / 100.0, Double.parseDouble(t.getString(6, "± SE")), 1e-9);
        assertEquals("within 2 SE: noise", t.getString(6, "verdict"));
        // AlexNet with 4 groups: 58.20 → 56.54 on ImageNet's 50,000 validation images, far beyond 2 SE
        assertTrue(t.getString(2, "verdict").startsWith("beyond 2 SE"), t.getString(2, "verdict"));
    }

    @Test
    void theLoopsCurvesAreOneLossPerBatchAndOneAccuracyPerEpoch() {
        var row = WhatGroupsLearn.loopCurves(List.of(2.3, 1.9, 1.2), new double[] {0.7, 0.8}).figure();
        assertEquals(3, row.get("data").get(0).get("y").size());
        assertEquals(80.0, row.get("data").get(1).get("y").get(1).asDouble(), 1e-9);
    }

    @Test
    void perLayerShowsThatWideningGrowsOnlyTheGroupedLayers() {
        Table t = WhatGroupsLearn.perLayer(effconv.train.TinyNet.alexNet(1),
                effconv.train.TinyNet.alexNet(8).withWidthMatch(true));
        assertEquals(List.of("conv1/conv", "conv2/conv", "conv3/conv", "conv4/conv", "conv5/conv", "fc"),
                t.stringColumn("layer").asList());
        // conv3 (ungrouped, 32 → 64, 3×3, no bias under batch norm): 9 · 32 · 64 = 18,432 in both
        assertEquals("18432", t.getString(2, 1).replace(",", ""));
        assertEquals(t.getString(2, 1), t.getString(2, 3));
        assertEquals(t.getString(5, 1), t.getString(5, 3));
    }

    @Test
    void countedVsMeasuredReadsTheSuiteByName() {
        var bad = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CountedVsMeasured.result(java.util.List.of(), "nope"));
        assertTrue(bad.getMessage().startsWith("name = \"nope\" is not allowed"), bad.getMessage());
    }

    @Test
    void theScaleSetsTheHalvesBetweenTheWholePictureAndThePatternPairs() {
        var sweep = effconv.experiments.Sweep.load("shufflenet-tiny");
        var halves = effconv.experiments.Sweep.load(effconv.experiments.Sweep.HALVES);
        assertTrue(halves.runs().stream().allMatch(r -> r.net().halves() && r.command().contains(" --halves")));
        var off = new DoesTheShuffleHelp.Runs(new DoesTheShuffleHelp.Config(2, false), new double[] {.5, .5, .5});
        var on = new DoesTheShuffleHelp.Runs(new DoesTheShuffleHelp.Config(2, true), new double[] {.9, 1, .95});
        List<DoesTheShuffleHelp.Gain> scale = DoesTheShuffleHelp.scale(sweep, halves, List.of(off, on));
        assertEquals(List.of("Fashion-MNIST, whole picture", "Fashion-MNIST, whole picture",
                "Fashion-MNIST, halves apart", "Fashion-MNIST, halves apart", "pattern pairs"),
                scale.stream().map(DoesTheShuffleHelp.Gain::task).toList());
        assertEquals(List.of(2, 4, 2, 4, 2), scale.stream().map(DoesTheShuffleHelp.Gain::groups).toList());
        var g4 = sweep.where(n -> n.groups() == 4);
        var paired = effconv.experiments.Sweep.paired(g4.where(n -> n.shuffle()).configs().get(0),
                g4.where(n -> !n.shuffle()).configs().get(0));
        assertEquals(paired.mean(), scale.get(1).gain().mean(), 1e-12);
        assertEquals(45.0, scale.get(4).gain().mean(), 1e-9);
        assertEquals(5, DoesTheShuffleHelp.scaleTable(scale).rowCount());
        String said = DoesTheShuffleHelp.scaleSentence(scale);
        assertTrue(said.contains("With the halves apart at g = 2") && said.endsWith("+45.00 ± 2.89 points."), said);
    }

    @Test
    void theScheduleSweepComparesTheSameNetworksAtThreeRates() {
        var s = effconv.experiments.Sweep.load(effconv.experiments.Sweep.SCHEDULE);
        assertEquals(List.of(0, 2, 6), s.configs().stream().map(effconv.experiments.Sweep.Config::decay).distinct().toList());
        assertEquals(6, s.configs().size());
        assertEquals("alexnet-tiny g=1, rate decayed over the last 2 epochs", s.label(s.decayed(2).configs().get(0)));
        assertEquals("alexnet-tiny g=1, constant rate", s.label(s.decayed(0).configs().get(0)));
        var alex = effconv.experiments.Sweep.load("alexnet-tiny");
        assertEquals("alexnet-tiny g=1", alex.label(alex.configs().get(0)), "one schedule in a sweep: not named");
        // the constant-rate rows are the AlexNet sweep's former rows, whose commands repeat them
        assertTrue(s.decayed(0).runs().stream().noneMatch(r -> r.command().contains("--decay")));
        assertTrue(alex.runs().stream().allMatch(r -> r.decay() == 2 && r.command().contains(" --decay 2 ")));
        String said = WhatGroupsLearn.scheduleSentence(s, alex);
        double constant = s.decayed(0).runs().stream().mapToDouble(r -> 100 * r.accuracy()).average().orElseThrow();
        assertTrue(said.startsWith(String.format(java.util.Locale.ROOT, "Five seeds each of g = 1 and g = 4 under each "
                + "schedule — the constant rate: mean %.2f%%", constant)) && said.endsWith("the schedule the sweep below "
                + "trains with."), said);
    }

    @Test
    void theControlledTaskSaysWhichShufflesMixAndWhetherTheGainIsBeyondTwoStandardErrors() {
        // with 16 channels, each 3×3 group reads min(16/g, g) groups; it mixes A's half with B's when more than g/2
        assertEquals(List.of(1, 2, 4, 2), DoesTheShuffleHelp.CONTROLLED.stream()
                .map(DoesTheShuffleHelp.Config::groupsRead).toList());
        assertEquals(List.of(false, true, true, false), DoesTheShuffleHelp.CONTROLLED.stream()
                .map(DoesTheShuffleHelp.Config::mixes).toList());
        assertEquals(Math.sqrt(2.5 / 5), effconv.experiments.Estimate.of(1, 2, 3, 4, 5).standardError(), 1e-12);
        var off = new DoesTheShuffleHelp.Runs(new DoesTheShuffleHelp.Config(2, false), new double[] {.5, .5, .5});
        var big = new DoesTheShuffleHelp.Runs(new DoesTheShuffleHelp.Config(2, true), new double[] {.9, 1, .95});
        var small = new DoesTheShuffleHelp.Runs(new DoesTheShuffleHelp.Config(2, true), new double[] {.4, .6, .52});
        String helps = DoesTheShuffleHelp.controlledSentence(List.of(off, big));
        assertTrue(helps.contains("+45.00 ± 2.89 points over 3 seeds — beyond 2 SE (15.6 SE)"), helps);
        String noise = DoesTheShuffleHelp.controlledSentence(List.of(off, small));
        assertTrue(noise.contains("within 2 SE: noise"), noise);
        Table t = DoesTheShuffleHelp.controlledTable(List.of(off, big));
        assertEquals(2, t.rowCount());
        assertEquals("yes", t.stringColumn("A and B meet").get(1));
    }
}

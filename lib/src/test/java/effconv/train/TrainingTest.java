package effconv.train;

import effconv.experiments.Analysis;
import effconv.layers.Conv2d;
import effconv.runtime.Floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;


/** The data, the specs-to-network build, determinism, isolation, pruning and bad input of the training lab. */
class TrainingTest {

    @Test
    void theSubsetLoads() {
        Images train = FashionMnist.train(FashionMnist.TRAIN_SIZE);
        assertEquals(12_000, train.size());
        Images test = FashionMnist.test();
        assertEquals(10_000, test.size());
        int[] testCounts = new int[10];
        for (int i = 0; i < test.size(); i++) {
            testCounts[test.label(i)]++;
        }
        int[] thousandEach = new int[10];
        java.util.Arrays.fill(thousandEach, 1000);
        assertArrayEquals(thousandEach, testCounts, "Fashion-MNIST's test set holds 1,000 pictures of each class");
        int[] counts = new int[10];
        for (int i = 0; i < train.size(); i++) {
            counts[train.label(i)]++;
        }
        // the first 12,000 of Fashion-MNIST's training set, counted when the subset was cut
        assertArrayEquals(new int[] {1122, 1220, 1201, 1212, 1181, 1204, 1244, 1192, 1195, 1229}, counts);
        assertEquals(9, train.label(0)); // Fashion-MNIST's first picture is an ankle boot
        double[][] p = train.picture(0);
        double min = 1;
        double max = 0;
        for (double[] row : p) {
            for (double v : row) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        assertEquals(0, min, 1e-6);
        assertEquals(1, max, 1e-6);
    }

    @Test
    void badInputIsRefusedBeforeAnyTraining() {
        assertMessage("train = 0 is not allowed", () -> FashionMnist.train(0));
        assertMessage("train = 12001 is not allowed", () -> FashionMnist.train(12_001));
        assertMessage("groups = 5 is not allowed: it must divide", () -> TinyNet.shuffleNet(5));
        assertMessage("groups = 3 is not allowed: it must divide", () -> TinyNet.alexNet(3));
        assertMessage("net = \"hexagonal\" is not allowed", () -> TinyNet.named("hexagonal", 1));
        assertMessage("epochs = 0 is not allowed", () -> Training.of(TinyNet.shuffleNet(1)).epochs(0));
        assertMessage("train = 20000 is not allowed", () -> Training.of(TinyNet.shuffleNet(1)).trainImages(20_000));
        assertMessage("train = 10 is not allowed", () -> Training.of(TinyNet.shuffleNet(1)).trainImages(10));
        assertMessage("decay = -1 is not allowed", () -> Training.of(TinyNet.shuffleNet(1)).decay(-1));
        assertMessage("decay = 4 is not allowed: at most the 3 epochs", () -> Training.of(TinyNet.shuffleNet(1))
                .epochs(3).decay(4).progress(Progress.NONE).run());
        assertMessage("layer = \"nope\" is not allowed", () -> Network.of(TinyNet.alexNet(1).model(), 1).layer("nope"));
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable e) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().startsWith(start), x.getMessage());
    }

    @Test
    void theNetworkIsTheSpecItWasBuiltFrom() {
        for (TinyNet t : List.of(TinyNet.shuffleNet(4), TinyNet.shuffleNet(4).withShuffle(false),
                TinyNet.alexNet(2).withBatchNorm(false), TinyNet.alexNet(8).withWidthMatch(true))) {
            Network n = Network.of(t.model(), 3);
            long allocated = n.params().stream().mapToLong(p -> p.value().length()).sum();
            assertEquals(t.model().params(), allocated, t.label());
            assertEquals(t.model().body().leaves(t.model().input()).size(), n.layerNames().size(), t.label());
        }
        assertTrue(Network.of(TinyNet.shuffleNet(4).model(), 1).layerNames().contains("u2/shuffle"));
        assertTrue(!Network.of(TinyNet.shuffleNet(4).withShuffle(false).model(), 1).layerNames().contains("u2/shuffle"));
        // widened to one group's parameters within 2%, by the grouped layers alone: every ungrouped layer keeps
        // the size it has at g = 1
        TinyNet base = TinyNet.alexNet(1);
        long one = base.model().params();
        for (int g : new int[] {2, 4, 8}) {
            TinyNet wide = TinyNet.alexNet(g).withWidthMatch(true);
            long p = wide.model().params();
            assertTrue(wide.width() % g == 0 && wide.width() > TinyNet.alexNet(g).width(), wide.label());
            assertTrue(Math.abs(p - one) <= 0.02 * one, wide.label() + ": " + p + " vs " + one);
            for (String ungrouped : List.of("conv1/conv", "conv3/conv", "fc")) {
                assertEquals(leafParams(base, ungrouped), leafParams(wide, ungrouped), wide.label() + " " + ungrouped);
            }
        }
    }

    private static long leafParams(TinyNet t, String path) {
        return t.model().body().leaves(TinyNet.INPUT).stream().filter(l -> l.path().equals(path)).findFirst()
                .orElseThrow(() -> new AssertionError(path + " not in " + t.label())).layer().params();
    }

    @Test
    void theDecayLowersTheRateLinearlyOverTheLastSteps() {
        double lr = Training.LEARNING_RATE;
        assertEquals(lr, Training.rate(0, 100, 0), 0.0);
        assertEquals(lr, Training.rate(99, 100, 0), 0.0);
        assertEquals(lr, Training.rate(79, 100, 20), 0.0);
        assertEquals(lr, Training.rate(80, 100, 20), 0.0); // the first decaying step still takes 20/20
        assertEquals(lr * 19 / 20, Training.rate(81, 100, 20), 1e-15);
        assertEquals(lr / 20, Training.rate(99, 100, 20), 1e-15);
        assertEquals(lr / 100, Training.rate(99, 100, 100), 1e-15);
    }

    @Test
    void aDecayChangesTheRunAndItsCommand() {
        Training t = Training.of(TinyNet.shuffleNet(2)).epochs(1).trainImages(640).seed(5).progress(Progress.NONE);
        TrainResult constant = t.run();
        TrainResult decayed = t.decay(1).run();
        assertTrue(decayed.history().get(0).loss() != constant.history().get(0).loss());
        assertEquals("./course train --net shufflenet-tiny --groups 2 --epochs 1 --decay 1 --seed 5 --train 640",
                decayed.command());
        assertTrue(decayed.toJson().contains("\"decay\":1"), decayed.toJson());
    }

    @Test
    void theSameSeedTrainsTheSameNetwork() {
        TrainResult a = Training.of(TinyNet.shuffleNet(2)).epochs(1).trainImages(640).seed(5).progress(Progress.NONE).run();
        TrainResult b = Training.of(TinyNet.shuffleNet(2)).epochs(1).trainImages(640).seed(5).progress(Progress.NONE).run();
        assertEquals(a.history().get(0).loss(), b.history().get(0).loss(), 0.0);
        assertEquals(a.testAccuracy(), b.testAccuracy(), 0.0);
        TrainResult c = Training.of(TinyNet.shuffleNet(2)).epochs(1).trainImages(640).seed(6).progress(Progress.NONE).run();
        assertTrue(c.history().get(0).loss() != a.history().get(0).loss());
    }

    @Test
    void theHalvesAreThePictureCutInTwo() {
        Images one = FashionMnist.test(3);
        Images two = one.halves();
        assertEquals(effconv.layers.Shape.of(2, 28), two.shape());
        assertEquals(3, two.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(one.label(i), two.label(i));
            double[][] p = one.picture(i);
            double[][] top = two.picture(i, 0);
            double[][] bottom = two.picture(i, 1);
            for (int r = 0; r < 28; r++) {
                for (int c = 0; c < 28; c++) {
                    assertEquals(r < 14 ? p[r][c] : 0, top[r][c], 1e-6, "top " + r + "," + c);
                    assertEquals(r < 14 ? 0 : p[r][c], bottom[r][c], 1e-6, "bottom " + r + "," + c);
                }
            }
        }
        assertMessage("images = ", () -> two.halves());
    }

    @Test
    void theHalvesMeetOnlyThroughTheShuffle() {
        assertMessage("groups = 3 is not allowed with halves", () -> TinyNet.shuffleNet(3).withHalves(true));
        assertMessage("net = \"alexnet-tiny\" is not allowed with halves", () -> TinyNet.alexNet(2).withHalves(true));
        TinyNet halves = TinyNet.shuffleNet(2).withHalves(true);
        assertEquals(effconv.layers.Shape.of(2, 28), halves.model().input());
        assertEquals("shufflenet-tiny g=2, halves apart", halves.label());
        // two input channels in two groups: each stem filter still sees one channel, as many weights as before
        assertEquals(TinyNet.shuffleNet(2).model().params(), halves.model().params());
        Images test = halves.prepare(FashionMnist.test(32));
        for (boolean shuffle : new boolean[] {false, true}) {
            Network n = Network.of(halves.withShuffle(shuffle).model(), 2);
            // the stem's channels 0-11 come from the top half, 12-23 from the bottom
            double[][] g = Analysis.groupGradient(n, "stem/conv", "u3/relu2", 2, test);
            assertTrue(g[0][0] > 0 && g[1][1] > 0);
            if (shuffle) {
                assertTrue(g[0][1] > 0 && g[1][0] > 0, "the shuffle mixes the halves");
            } else {
                assertEquals(0.0, g[0][1], 0.0, "the bottom half reaches the top's groups without a shuffle");
                assertEquals(0.0, g[1][0], 0.0, "the top half reaches the bottom's groups without a shuffle");
            }
        }
    }

    @Test
    void withoutTheShuffleGroupsAreIsolated() {
        Images test = FashionMnist.test(64);
        for (boolean shuffle : new boolean[] {false, true}) {
            Network n = Network.of(TinyNet.shuffleNet(4).withShuffle(shuffle).model(), 2);
            double[][] g = Analysis.groupGradient(n, "u1/gconv1", "u3/relu2", 4, test);
            for (int i = 0; i < 4; i++) {
                for (int j = 0; j < 4; j++) {
                    if (i == j || shuffle) {
                        assertTrue(g[i][j] > 0, "shuffle " + shuffle + " " + i + "," + j);
                    } else {
                        assertEquals(0.0, g[i][j], 0.0, "group " + j + " reaches group " + i + " without a shuffle");
                    }
                }
            }
        }
    }

    @Test
    void pruningRemovesChannelsThatAreZero() {
        Network n = Network.of(TinyNet.alexNet(1).withBatchNorm(false).model(), 4);
        ConvModule conv1 = (ConvModule) n.modules().get(n.indexOf("conv1/conv"));
        float[] b = Floats.read(conv1.b);
        b[0] = -1000; // channels 0 and 3 can never be positive: dead
        b[3] = -1000;
        Floats.write(b, conv1.b);
        Analysis.DeadChannels dead = Analysis.deadChannels(n, FashionMnist.test(500), 0.99);
        assertEquals(List.of(0, 3), dead.layers().get(0).dead());
        Network pruned = Analysis.prune(n, dead);
        Conv2d c1 = Conv2d.of(1, 16, 3).padding(1).bias(true);
        Conv2d c2 = Conv2d.of(16, 32, 3).padding(1).bias(true);
        long removed = 2 * (c1.params() / 16) + 2 * (c2.weightCount() / 16);
        int otherDead = dead.total() - 2;
        assertTrue(otherDead >= 0);
        if (otherDead == 0) {
            assertEquals(n.model().params() - removed, pruned.model().params());
        }
        INDArray x = Floats.create(8, 1, 28, 28).assign(0.3);
        INDArray before = n.forward(x, false).dup();
        INDArray after = pruned.forward(x, false).dup();
        assertEquals(0, before.sub(after).amaxNumber().doubleValue(), otherDead == 0 ? 1e-4 : 1.0);
    }
}

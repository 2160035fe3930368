package effconv.lessons;

import effconv.layers.Check;
import effconv.layers.Format;
import effconv.plot.Plot;
import effconv.plot.FigureRow;
import effconv.report.Rows;
import effconv.experiments.Estimate;
import effconv.train.Images;
import effconv.experiments.PatternPairs;
import effconv.train.Progress;
import effconv.experiments.Sweep;
import effconv.train.TinyNet;
import effconv.train.TrainResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import tech.tablesaw.api.Table;

/**
 * Lesson 18's readings: exact zeros in a gradient matrix, the committed tiny-ShuffleNet runs by shuffle, and the
 * controlled task ({@link PatternPairs}) trained live with several seeds.
 */
public final class DoesTheShuffleHelp {

    private DoesTheShuffleHelp() {
    }

    /** How many entries of the matrix are exactly zero. */
    public static long exactZeros(double[][] m) {
        Check.notNull("m", m);
        long zeros = 0;
        for (double[] row : m) for (double v : row) if (v == 0) zeros++;
        return zeros;
    }

    /** The runs with the shuffle, and g = 1 (which has nothing to shuffle). */
    public static Sweep withShuffle(Sweep shuffleNets) {
        return shuffleNets.where(n -> n.groups() == 1 || n.shuffle());
    }

    /** The runs without the shuffle, and g = 1. */
    public static Sweep withoutShuffle(Sweep shuffleNets) {
        return shuffleNets.where(n -> n.groups() == 1 || !n.shuffle());
    }

    /** The controlled task's networks: width 16, and how the shuffle of each mixes channel A's half with B's. */
    public static final List<Config> CONTROLLED = List.of(new Config(2, false), new Config(2, true),
            new Config(4, true), new Config(8, true));
    static final int WIDTH = 16;
    static final int SQUARE = 3;

    /** One network of the controlled task: its groups and whether it shuffles. */
    public record Config(int groups, boolean shuffle) {
        /**
         * How many of the previous layer's groups each group of the next grouped layer reads: 1 without a shuffle;
         * with it, one channel from each of min(channels per group, g) groups (lesson 7's reshape and transpose).
         */
        public int groupsRead() {
            return shuffle ? Math.min(WIDTH / groups, groups) : 1;
        }

        /** Whether a group of the 3×3 layer can read channels of both A's half and B's. */
        public boolean mixes() {
            return groupsRead() > groups / 2;
        }

        public String label() {
            return "g = " + groups + (shuffle ? ", shuffle" : ", no shuffle");
        }
    }

    /** Test accuracy of one network over seeds 1 … n. */
    public record Runs(Config config, double[] accuracy) {
        public double mean() {
            double s = 0;
            for (double a : accuracy) {
                s += a;
            }
            return s / accuracy.length;
        }

        /** The standard error of the mean over the seeds (the seeds' standard deviation / √n). */
        public double standardError() {
            return Estimate.of(accuracy).standardError();
        }
    }

    /** Two pictures of the task, one of each label: channel A and channel B side by side. */
    public static FigureRow pictures(Images pairs) {
        Check.notNull("pairs", pairs);
        int same = -1;
        int apart = -1;
        for (int i = 0; i < pairs.size() && (same < 0 || apart < 0); i++) {
            if (pairs.label(i) == 1 && same < 0) {
                same = i;
            } else if (pairs.label(i) == 0 && apart < 0) {
                apart = i;
            }
        }
        return Plot.row("Channel A and channel B of two pictures",
                Plot.heatmap("label 1: channel A", "x", "y", pairs.picture(same, 0)),
                Plot.heatmap("label 1: channel B", "x", "y", pairs.picture(same, 1)),
                Plot.heatmap("label 0: channel A", "x", "y", pairs.picture(apart, 0)),
                Plot.heatmap("label 0: channel B", "x", "y", pairs.picture(apart, 1)));
    }

    /**
     * Trains every network of {@link #CONTROLLED} with seeds 1 … {@code seeds} on {@code train}, each for
     * {@code epochs} epochs, and returns their test accuracies; one progress display counts the trainings.
     */
    public static List<Runs> controlled(Images train, Images test, int side, int epochs, int seeds) {
        Check.notNull("train", train);
        Check.notNull("test", test);
        Check.positive("epochs", epochs);
        Check.atMost("seeds", Check.positive("seeds", seeds), 20, "twenty seeds already take minutes");
        if (seeds < 2) {
            throw new IllegalArgumentException("seeds = " + seeds + " is not allowed: a standard error needs at "
                    + "least 2 seeds");
        }
        Progress shown = Progress.standard();
        int total = CONTROLLED.size() * seeds;
        shown.start("the controlled task: " + CONTROLLED.size() + " networks × " + seeds + " seeds, " + epochs
                + " epochs each (one line per training)", total, epochs * (train.size() / 64));
        List<Runs> runs = new ArrayList<>();
        int done = 0;
        try {
            for (Config c : CONTROLLED) {
                double[] acc = new double[seeds];
                for (int s = 0; s < seeds; s++) {
                    int run = ++done;
                    List<TrainResult.Epoch> h = PatternPairs.train(PatternPairs.net(side, c.groups(), c.shuffle(),
                            WIDTH), train, test, epochs, s + 1, new OneLine(shown, run, epochs));
                    TrainResult.Epoch last = h.get(h.size() - 1);
                    acc[s] = last.testAccuracy();
                    shown.epoch(new TrainResult.Epoch(run, last.loss(), last.trainAccuracy(), last.testAccuracy(),
                            h.stream().mapToDouble(TrainResult.Epoch::seconds).sum()));
                }
                runs.add(new Runs(c, acc));
            }
        } finally {
            shown.finish();
        }
        return runs;
    }

    /** Forwards one training's steps to the display that counts all of them (its "epochs" are trainings). */
    private record OneLine(Progress shown, int run, int epochs) implements Progress {
        @Override
        public void start(String what, int e, int steps) {
        }

        @Override
        public void step(int epoch, int step, double loss, double accuracy) {
            shown.step(run, step, loss, accuracy);
        }

        @Override
        public void epoch(TrainResult.Epoch e) {
        }

        @Override
        public void finish() {
        }
    }

    /** The runs as a table: which groups each network's 3×3 layer reads, and its accuracy over the seeds. */
    public static Table controlledTable(List<Runs> runs) {
        Check.notNull("runs", runs);
        int n = runs.get(0).accuracy().length;
        Rows t = Rows.of("The controlled task: test accuracy over " + n + " seeds (chance is 50%)", "network",
                "groups each 3×3 group reads", "A and B meet", "mean %", "± SE", "lowest %", "highest %");
        for (Runs r : runs) {
            double lo = 1;
            double hi = 0;
            for (double a : r.accuracy()) {
                lo = Math.min(lo, a);
                hi = Math.max(hi, a);
            }
            t.add(r.config().label(), r.config().groupsRead(), r.config().mixes() ? "yes" : "no",
                    Format.round(100 * r.mean(), 2), Format.round(100 * r.standardError(), 2),
                    Format.round(100 * lo, 2), Format.round(100 * hi, 2));
        }
        return t.table();
    }

    /** The shuffle's gain at g = 2, paired by seed, against twice its standard error, in one sentence. */
    public static String controlledSentence(List<Runs> runs) {
        Check.notNull("runs", runs);
        Estimate gain = controlledGain(runs).gain();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "At g = 2 the shuffle's gain, paired by seed, "
                + "is %s points over %d seeds — %s.", gain.plusMinus(2), gain.n(),
                gain.verdict("the shuffle helps here", "the shuffle hurts here")));
        for (Runs r : runs) {
            if (r.config().shuffle() && !r.config().mixes()) {
                b.append(String.format(Locale.ROOT, " At %s the shuffle cannot mix (each 3×3 group reads %d "
                        + "neighbouring groups, all on one side) and scores %.2f ± %.2f%%, as isolated groups do.",
                        r.config().label().replace(", shuffle", ""), r.config().groupsRead(), 100 * r.mean(),
                        100 * r.standardError()));
            }
        }
        return b.toString();
    }

    /** One garment as the halves network sees it: the whole picture, then its two channels, top and bottom. */
    public static FigureRow halvesPictures(Images fashion, int i) {
        Check.notNull("fashion", fashion);
        Images two = fashion.halves();
        return Plot.row("One picture, and the two channels the halves network is fed",
                Plot.heatmap("the picture", "x", "y", fashion.picture(i)),
                Plot.heatmap("channel 0: top half", "x", "y", two.picture(i, 0)),
                Plot.heatmap("channel 1: bottom half", "x", "y", two.picture(i, 1)));
    }

    /** The shuffle's gain on one task at one g: accuracy with and without it, and their difference paired by seed. */
    public record Gain(String task, int groups, Estimate with, Estimate without, Estimate gain) {
    }

    /**
     * The three tasks on one scale, from least to most dependent on groups meeting before the pooling: Fashion-MNIST
     * with the whole picture reaching every group (the sweep of lesson 18, section 3), Fashion-MNIST with its halves fed apart
     * (the halves sweep), and the controlled task (lesson 18, section 4). Accuracies in percent, gains in points.
     */
    public static List<Gain> scale(Sweep shuffleNets, Sweep halves, List<Runs> controlled) {
        Check.notNull("shuffleNets", shuffleNets);
        Check.notNull("halves", halves);
        Check.notNull("controlled", controlled);
        int[] gs = java.util.Arrays.stream(halves.groups()).distinct().toArray(); // a g has two configurations
        List<Gain> out = new ArrayList<>();
        for (int g : gs) {
            out.add(gain("Fashion-MNIST, whole picture", shuffleNets, g));
        }
        for (int g : gs) {
            out.add(gain("Fashion-MNIST, halves apart", halves, g));
        }
        out.add(controlledGain(controlled));
        return out;
    }

    /** The controlled task's g = 2 networks, with and without the shuffle, and the gain paired by seed. */
    private static Gain controlledGain(List<Runs> runs) {
        Runs off = find(runs, new Config(2, false));
        Runs on = find(runs, new Config(2, true));
        return new Gain("pattern pairs", 2, Estimate.of(on.accuracy()).times(100),
                Estimate.of(off.accuracy()).times(100),
                Estimate.pairedDifference(on.accuracy(), off.accuracy()).times(100));
    }

    private static Gain gain(String task, Sweep sweep, int g) {
        Sweep.Config on = only(sweep.atGroups(g).where(TinyNet::shuffle), task, g);
        Sweep.Config off = only(sweep.atGroups(g).where(n -> !n.shuffle()), task, g);
        return new Gain(task, g, on.accuracy(), off.accuracy(), Sweep.paired(on, off));
    }

    private static Sweep.Config only(Sweep s, String task, int g) {
        if (s.configs().size() != 1) {
            throw new IllegalArgumentException("the sweep has " + s.configs().size() + " configurations for " + task
                    + " at g = " + g + ", which is not allowed: it needs one with and one without the shuffle");
        }
        return s.configs().get(0);
    }

    /** The scale as a table: each task and g, accuracy with and without the shuffle, the gain ± SE, its verdict. */
    public static Table scaleTable(List<Gain> gains) {
        Check.notNull("gains", gains);
        Rows t = Rows.of("What the shuffle gains, from a task that needs no mixing to one that needs only mixing "
                + "(mean ± SE over seeds)", "task", "g", "with shuffle %", "without %", "gain (paired)", "± SE",
                "verdict");
        for (Gain x : gains) {
            t.add(x.task(), x.groups(), x.with().plusMinus(2).substring(1), x.without().plusMinus(2).substring(1),
                    Format.round(x.gain().mean(), 2), Format.round(x.gain().standardError(), 2),
                    x.gain().beyondTwoStandardErrors() ? String.format(Locale.ROOT, "%s (%.1f SE)",
                            x.gain().mean() > 0 ? "helps" : "hurts", x.gain().inStandardErrors()) : "noise");
        }
        return t.table();
    }

    /** Where Fashion-MNIST with its halves apart sits between the other two tasks, in one computed sentence. */
    public static String scaleSentence(List<Gain> gains) {
        Check.notNull("gains", gains);
        StringBuilder b = new StringBuilder();
        for (Gain x : gains) {
            if (x.task().contains("halves")) {
                b.append(String.format(Locale.ROOT, "With the halves apart at g = %d the shuffle's gain is %s "
                        + "points (%s)", x.groups(), x.gain().plusMinus(2), x.gain().verdict("it helps",
                        "it hurts")));
                Gain whole = gains.stream().filter(w -> w.groups() == x.groups() && w.task().contains("whole"))
                        .findFirst().orElseThrow();
                b.append(String.format(Locale.ROOT, ", against %s with the whole picture; isolated, the halves "
                        + "score %.2f%% where the whole picture scores %.2f%%. ", whole.gain().plusMinus(2),
                        x.without().mean(), whole.without().mean()));
            }
        }
        Gain pairs = gains.get(gains.size() - 1);
        b.append(String.format(Locale.ROOT, "On the pattern pairs the gain is %s points.", pairs.gain().plusMinus(2)));
        return b.toString();
    }

    private static Runs find(List<Runs> runs, Config c) {
        return runs.stream().filter(r -> r.config().equals(c)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("runs has no " + c.label() + ": pass the runs controlled() made"));
    }
}

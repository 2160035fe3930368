package effconv.lessons;

import effconv.layers.Check;
import effconv.layers.Format;
import effconv.layers.Layer;
import effconv.plot.FigureRow;
import effconv.plot.Plot;
import effconv.report.Compare;
import effconv.report.Course;
import effconv.report.Rows;
import effconv.experiments.Estimate;
import effconv.experiments.Sweep;
import effconv.train.Training;
import effconv.train.TinyNet;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.traces.Trace;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Lesson 16's views of the committed tiny-AlexNet sweep (and the learning curves every training lesson shows). */
public final class WhatGroupsLearn {

    private WhatGroupsLearn() {
    }

    /** The runs with batch norm at fixed widths (g = 1 among them). */
    public static Sweep fixedWidths(Sweep alex) {
        return alex.where(n -> n.batchNorm() && !n.widthMatch());
    }

    /** The runs with batch norm widened back to g = 1's parameters (g = 1 among them). */
    public static Sweep widened(Sweep alex) {
        return alex.where(n -> n.batchNorm() && (n.widthMatch() || n.groups() == 1));
    }

    /** Every run with batch norm. */
    public static Sweep withBatchNorm(Sweep alex) {
        return alex.where(n -> n.batchNorm());
    }

    /** A hand-written loop's curves: the loss of every batch, and the test accuracy after every epoch. */
    public static FigureRow loopCurves(List<Double> losses, double[] testAccuracy) {
        Check.notNull("losses", losses);
        Check.notNull("testAccuracy", testAccuracy);
        double[] batch = new double[losses.size()];
        double[] loss = new double[losses.size()];
        for (int i = 0; i < batch.length; i++) {
            batch[i] = i + 1;
            loss[i] = losses.get(i);
        }
        int[] epoch = new int[testAccuracy.length];
        double[] percent = new double[testAccuracy.length];
        for (int e = 0; e < epoch.length; e++) {
            epoch[e] = e + 1;
            percent[e] = 100 * testAccuracy[e];
        }
        return Plot.row("The loop's curves",
                new Figure(Plot.layout("Loss of each batch", "batch", "loss"), Plot.line("loss", batch, loss)),
                new Figure(Plot.layout("Test accuracy after each epoch", "epoch", "test accuracy %"),
                        Plot.line("test", epoch, percent)));
    }

    /** Test accuracy against g for two sweeps, the seeds' mean with ± one standard error as error bars. */
    public static Figure accuracyAgainstGroups(String title, String nameA, Sweep a, String nameB, Sweep b) {
        return new Figure(Plot.layout(title, Plot.logAxis("groups g"), Plot.axis("test accuracy %, mean ± SE")),
                Plot.withErrorBars(Plot.line(nameA, a.groups(), a.meanAccuracy()), a.standardError()),
                Plot.withErrorBars(Plot.line(nameB, b.groups(), b.meanAccuracy()), b.standardError()));
    }

    /** Accuracy against MACs (millions): the seeds' mean with ± one standard error. */
    public static Figure accuracyAgainstMacs(Sweep runs, String title) {
        double[] millionMacs = Arrays.stream(runs.macs()).map(m -> m / 1e6).toArray();
        return new Figure(Plot.layout(title, Plot.logAxis("million MACs per image"),
                Plot.axis("test accuracy %, mean ± SE")),
                Plot.withErrorBars(Plot.line("mean of the seeds", millionMacs, runs.meanAccuracy()),
                        runs.standardError()));
    }

    /**
     * Each configuration's accuracy minus g = 1's (the sweep's first), in points, ± the standard error of that
     * difference (different networks: the two means' errors add in quadrature), and whether it is beyond 2 SE.
     */
    public static Table changesFromOneGroup(Sweep runs, String title) {
        Rows t = Rows.of(title, "network", "params", "params vs g = 1", "MACs vs g = 1", "accuracy %",
                "change, points", "± SE", "verdict");
        Sweep.Config one = runs.configs().get(0);
        for (Sweep.Config c : runs.configs()) {
            Estimate e = c.accuracy();
            Estimate d = Estimate.difference(e, one.accuracy());
            long p = c.runs().get(0).params(), m = c.runs().get(0).macs();
            long p1 = one.runs().get(0).params(), m1 = one.runs().get(0).macs();
            t.add(c.net().label(), p, String.format(Locale.ROOT, "%+.1f%%", 100.0 * (p - p1) / p1),
                    String.format(Locale.ROOT, "%+.1f%%", 100.0 * (m - m1) / m1),
                    Format.round(e.mean(), 2), c == one ? "—" : Format.round(d.mean(), 2),
                    c == one ? "—" : Format.round(d.standardError(), 2), c == one ? "—" : d.verdict("better", "worse"));
        }
        return t.table();
    }

    /**
     * The layers with parameters, side by side for the given networks: each one's parameters and MACs per layer, so
     * a reader sees which layers a widening grew.
     */
    public static Table perLayer(TinyNet... nets) {
        List<String> columns = new ArrayList<>(List.of("layer"));
        for (TinyNet n : nets) {
            String which = n.label().replace(n.name() + " ", "");
            columns.add(which + ": params");
            columns.add(which + ": MACs");
        }
        Rows t = Rows.of("Parameters and MACs per layer", columns.toArray(String[]::new));
        List<List<Layer.Leaf>> leaves = new ArrayList<>();
        for (TinyNet n : nets) {
            leaves.add(n.model().body().leaves(TinyNet.INPUT).stream().filter(l -> l.layer().params() > 0
                    && (l.path().endsWith("/conv") || l.path().equals("fc"))).toList());
        }
        for (int i = 0; i < leaves.get(0).size(); i++) {
            List<Object> row = new ArrayList<>(List.of(leaves.get(0).get(i).path()));
            for (List<Layer.Leaf> ls : leaves) {
                row.add(ls.get(i).layer().params());
                row.add(ls.get(i).layer().macs(ls.get(i).input()));
            }
            t.add(row.toArray());
        }
        return t.table();
    }

    /**
     * Mean test accuracy after each epoch, ± one standard error over the seeds, one line per configuration of the
     * sweep: where the curves flatten, more epochs buy little.
     */
    public static Figure learningCurves(Sweep runs, String title) {
        List<Trace> traces = new ArrayList<>();
        for (Sweep.Config c : runs.configs()) {
            List<Estimate> curve = c.curve();
            int[] epochs = new int[curve.size()];
            for (int e = 0; e < epochs.length; e++) {
                epochs[e] = e + 1;
            }
            traces.add(Plot.withErrorBars(Plot.line(runs.label(c), epochs,
                    curve.stream().mapToDouble(Estimate::mean).toArray()),
                    curve.stream().mapToDouble(Estimate::standardError).toArray()));
        }
        return new Figure(Plot.layout(title, Plot.axis("epoch"), Plot.axis("test accuracy %, mean ± SE")),
                traces.toArray(Trace[]::new));
    }

    /**
     * What the falling learning rate did, in one computed sentence: the configurations' mean test accuracy and
     * typical standard error at the last epoch at the full rate and at the end (or, for a constant rate, what the last
     * epoch added).
     */
    public static String settlingSentence(Sweep runs) {
        Check.notNull("runs", runs);
        int epochs = runs.configs().get(0).curve().size();
        int decay = runs.configs().get(0).decay();
        int before = decay == 0 ? epochs - 1 : epochs - decay; // the last epoch at the full rate
        double accBefore = 0;
        double accEnd = 0;
        double seBefore = 0;
        double seEnd = 0;
        double lowBefore = 100;
        double lowEnd = 100;
        for (Sweep.Config c : runs.configs()) {
            if (c.decay() != decay || c.curve().size() != epochs) {
                throw new IllegalArgumentException("runs mixes schedules or epochs, which is not allowed here: pass "
                        + "one schedule's configurations (Sweep.decayed)");
            }
            List<Estimate> curve = c.curve();
            accBefore += curve.get(before - 1).mean();
            seBefore += curve.get(before - 1).standardError();
            accEnd += curve.get(epochs - 1).mean();
            seEnd += curve.get(epochs - 1).standardError();
            for (Sweep.Run r : c.runs()) {
                lowBefore = Math.min(lowBefore, 100 * r.curve()[before - 1]);
                lowEnd = Math.min(lowEnd, 100 * r.curve()[epochs - 1]);
            }
        }
        int n = runs.configs().size();
        String how = decay == 0 ? String.format(Locale.ROOT, "At a constant rate, from epoch %d to epoch %d", before,
                epochs) : String.format(Locale.ROOT, "The rate is %s for epochs 1–%d and falls to zero over epochs "
                + "%d–%d. From epoch %d, the last at the full rate, to epoch %d", Training.LEARNING_RATE, before,
                before + 1, epochs, before, epochs);
        return String.format(Locale.ROOT, "%s, the %d configurations' mean test accuracy goes from %.2f%% to %.2f%%, "
                + "their typical standard error from %.2f to %.2f points, and the lowest of all %d runs from %.2f%% to "
                + "%.2f%%.", how, n, accBefore / n, accEnd / n, seBefore / n, seEnd / n,
                runs.runs().size(), lowBefore, lowEnd);
    }

    /**
     * The schedules compared, in one computed sentence: for each, the mean accuracy, typical standard error and lowest
     * run over its configurations; then the most accurate schedule against the runner-up, paired by seed for each g,
     * and whether {@code used} (the sweep the lesson reads) trains with it.
     */
    public static String scheduleSentence(Sweep schedules, Sweep used) {
        Check.notNull("schedules", schedules);
        Check.notNull("used", used);
        List<Integer> decays = schedules.configs().stream().map(Sweep.Config::decay).distinct().toList();
        if (decays.size() < 2) {
            throw new IllegalArgumentException("schedules has one schedule, which is not allowed: pass the schedule "
                    + "sweep (Sweep.load(Sweep.SCHEDULE))");
        }
        List<String> parts = new ArrayList<>();
        java.util.Map<Integer, Double> means = new java.util.HashMap<>();
        for (int d : decays) {
            Sweep one = schedules.decayed(d);
            means.put(d, Arrays.stream(one.meanAccuracy()).average().orElseThrow());
            parts.add(String.format(Locale.ROOT, "%s: mean %.2f%%, standard error %.2f points, lowest run %.2f%%",
                    schedule(d), means.get(d), Arrays.stream(one.standardError()).average().orElseThrow(),
                    Arrays.stream(one.minAccuracy()).min().orElseThrow()));
        }
        List<Integer> byAccuracy = decays.stream().sorted(java.util.Comparator.comparing(means::get).reversed())
                .toList();
        int best = byAccuracy.get(0);
        int next = byAccuracy.get(1);
        List<String> gains = new ArrayList<>();
        for (Sweep.Config a : schedules.decayed(best).configs()) {
            Sweep.Config b = schedules.decayed(next).configs().stream().filter(c -> c.net().equals(a.net()))
                    .findFirst().orElseThrow();
            Estimate d = Sweep.paired(a, b);
            gains.add("g = " + a.net().groups() + ": " + d.plusMinus(2) + " points, " + (d.beyondTwoStandardErrors()
                    ? String.format(Locale.ROOT, "%.1f SE", d.inStandardErrors()) : "within 2 SE, noise"));
        }
        int usedDecay = used.configs().get(0).decay();
        return "Five seeds each of " + schedules.configs().stream().map(c -> "g = " + c.net().groups()).distinct()
                .collect(java.util.stream.Collectors.joining(" and ")) + " under each schedule — " + String.join("; ",
                parts) + ". The most accurate is " + schedule(best) + "; its lead over "
                + schedule(next) + ", paired by seed, is " + String.join(" and ", gains)
                + (usedDecay == best ? ": the schedule the sweep below trains with." : "; the sweep below trains "
                + "with " + schedule(usedDecay) + ", not that one.");
    }

    private static String schedule(int decay) {
        return decay == 0 ? "the constant rate" : "the rate decayed over the last " + decay + " epoch"
                + (decay == 1 ? "" : "s");
    }

    /**
     * Accuracy change from g = 1, in points, against the number of groups (1 … 16, on a log axis): Ioannou's AlexNet on
     * ImageNet (top-1), Deep Roots' NiN on CIFAR-10, and the tiny AlexNet's sweep at fixed widths and widened.
     */
    public static Figure changesBesidePublished(Sweep fixed, Sweep widened) {
        Check.notNull("fixed", fixed);
        Check.notNull("widened", widened);
        int[] gs = {1, 2, 4, 8, 16};
        return new Figure(Plot.layout("Accuracy change from g = 1, in points", Plot.logAxis("groups g"),
                Plot.axis("change in accuracy, points")),
                Plot.line("AlexNet, ImageNet", gs, Sweep.change(Sweep.published("alexnet-filter-groups.csv",
                        "top-1 accuracy", gs))),
                Plot.line("NiN, CIFAR-10", gs, Sweep.change(Sweep.published("deep-roots-nin.csv", "accuracy", gs))),
                Plot.line("tiny, fixed", gs, changeAt(fixed, gs)),
                Plot.line("tiny, widened", gs, changeAt(widened, gs)));
    }

    /** The sweep's mean accuracy minus its g = 1 mean at each of gs (NaN where the sweep has no such g). */
    private static double[] changeAt(Sweep runs, int[] gs) {
        double[] mean = runs.meanAccuracy();
        double[] out = new double[gs.length];
        Arrays.fill(out, Double.NaN);
        for (int i = 0; i < runs.groups().length; i++) {
            int at = Arrays.binarySearch(gs, runs.groups()[i]);
            if (at >= 0) {
                out[at] = mean[i] - mean[0];
            }
        }
        return out;
    }

    // test-set sizes the published accuracies were measured on: ImageNet's validation set, CIFAR-10's test set
    private static final int IMAGENET_VAL = 50_000;
    private static final int CIFAR10_TEST = 10_000;

    /**
     * The published group experiments as what they are: each network's parameters against its no-group version's,
     * its accuracy's change from it, and that change against the binomial standard error of one accuracy on the
     * test set it was measured on, √(p(1 − p)/N), the two runs' errors added in quadrature (one run each, so this
     * is the least of the noise: seeds would add theirs).
     */
    public static Table publishedComparisons() {
        Rows t = Rows.of("The published comparisons: fixed widths, fewer parameters, one run each", "network", "data",
                "groups", "params", "params vs no groups", "accuracy %", "change, points", "± SE", "verdict");
        published(t, Course.data("alexnet-filter-groups.csv"), "top-1 accuracy", "AlexNet, ImageNet val", IMAGENET_VAL);
        published(t, Course.data("deep-roots-nin.csv"), "accuracy", "NiN, CIFAR-10 test", CIFAR10_TEST);
        return t.table();
    }

    private static void published(Rows t, Table data, String figure, String what, int testImages) {
        List<String> models = new ArrayList<>();
        for (int i = 0; i < data.rowCount(); i++) {
            if (!models.contains(data.getString(i, "model"))) {
                models.add(data.getString(i, "model"));
            }
        }
        String base = models.get(0);
        double p0 = Compare.published(data, "model", base, "figure", figure);
        double params0 = Compare.published(data, "model", base, "figure", "params");
        Estimate one = new Estimate(100 * p0, 100 * Math.sqrt(p0 * (1 - p0) / testImages), 1);
        for (String m : models) {
            double p = Compare.published(data, "model", m, "figure", figure);
            double params = Compare.published(data, "model", m, "figure", "params");
            String groups = data.getString(data.stringColumn("model").indexOf(m), "groups");
            Estimate e = new Estimate(100 * p, 100 * Math.sqrt(p * (1 - p) / testImages), 1);
            Estimate d = Estimate.difference(e, one);
            t.add(m, what, groups, Format.count(Math.round(params)), String.format(Locale.ROOT, "%+.1f%%",
                    100 * (params - params0) / params0), Format.round(100 * p, 2),
                    m.equals(base) ? "—" : Format.round(d.mean(), 2),
                    m.equals(base) ? "—" : Format.round(d.standardError(), 2),
                    m.equals(base) ? "—" : d.verdict("better", "worse"));
        }
    }

    /** The mean |r| within a group and between groups, per group count, as bars. */
    public static Figure correlationBars(Sweep runs) {
        return new Figure(Plot.layout("conv5: mean |r| within and between groups", "groups", "mean |r|"),
                Plot.bars("within a group", labels(runs), runs.mean(Sweep.Run::corrWithin)),
                Plot.bars("between groups", labels(runs), runs.mean(Sweep.Run::corrBetween)));
    }

    static String[] labels(Sweep runs) {
        return Arrays.stream(runs.groups()).mapToObj(g -> "g = " + g).toArray(String[]::new);
    }
}

package effconv.lessons;

import effconv.plot.Plot;
import effconv.train.Sweep;
import tech.tablesaw.plotly.components.Figure;

import java.util.Arrays;

/** Lesson 16's views of the committed tiny-AlexNet sweep. */
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

    /** Accuracy against MACs (millions): the seeds' mean, lowest and highest. */
    public static Figure accuracyAgainstMacs(Sweep runs, String title) {
        double[] millionMacs = Arrays.stream(runs.macs()).map(m -> m / 1e6).toArray();
        return new Figure(Plot.layout(title, Plot.logAxis("million MACs per image"), Plot.axis("test accuracy %")),
                Plot.line("mean of the seeds", millionMacs, runs.meanAccuracy()),
                Plot.dashed("lowest seed", millionMacs, runs.minAccuracy()),
                Plot.dashed("highest seed", millionMacs, runs.maxAccuracy()));
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

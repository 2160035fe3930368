package effconv.lessons;

import effconv.plot.Plot;
import effconv.experiments.Sweep;
import tech.tablesaw.plotly.components.Figure;

/** Lesson 17's view of the committed tiny-AlexNet sweep: dead channels with and without batch norm. */
public final class DeadChannels {

    private DeadChannels() {
    }

    /** Dead ReLU channels per group count, the seeds' mean, with batch norm (fixed widths) and without. */
    public static Figure withAndWithoutBatchNorm(Sweep alex) {
        Sweep withBn = WhatGroupsLearn.fixedWidths(alex), without = alex.where(n -> !n.batchNorm());
        String[] labels = WhatGroupsLearn.labels(without);
        return new Figure(Plot.layout("Dead ReLU channels of " + alex.runs().get(0).reluChannels() + ", mean of the seeds",
                "groups", "dead channels"), Plot.bars("batch norm", labels, withBn.mean(Sweep.Run::deadChannels)),
                Plot.bars("no batch norm", labels, without.mean(Sweep.Run::deadChannels)));
    }

    /** The runs without batch norm. */
    public static Sweep withoutBatchNorm(Sweep alex) {
        return alex.where(n -> !n.batchNorm());
    }
}

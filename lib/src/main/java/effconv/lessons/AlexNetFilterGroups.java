package effconv.lessons;

import effconv.models.Models;
import effconv.plot.Plot;
import effconv.report.Compare;
import effconv.report.Course;
import java.util.Locale;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * Lesson 6's reading of Ioannou's AlexNet runs: the published ImageNet accuracies with 1, 2 and 4 filter groups
 * ({@code data/alexnet-filter-groups.csv}) against the MACs counted here.
 */
public final class AlexNetFilterGroups {

    private static final int[] GROUPS = {1, 2, 4};

    private AlexNetFilterGroups() {
    }

    /** Million MACs (counted) and published top-1 and top-5 accuracy (%) for g = 1, 2, 4, in that order. */
    private record Runs(double[] macs, double[] top1, double[] top5) {
        static Runs read() {
            Table data = Course.data("alexnet-filter-groups.csv");
            Runs r = new Runs(new double[GROUPS.length], new double[GROUPS.length], new double[GROUPS.length]);
            for (int i = 0; i < GROUPS.length; i++) {
                String g = String.valueOf(GROUPS[i]);
                r.macs[i] = Models.alexnet(GROUPS[i]).macs() / 1e6;
                r.top1[i] = 100 * Compare.published(data, "groups", g, "figure", "top-1 accuracy");
                r.top5[i] = 100 * Compare.published(data, "groups", g, "figure", "top-5 accuracy");
            }
            return r;
        }
    }

    /** The published accuracies against the counted cost, one line each for top-5 and top-1 (g = 4, 2, 1 from left). */
    public static Figure accuracyAgainstCost() {
        Runs r = Runs.read();
        return new Figure(Plot.layout("AlexNet: accuracy (published) against computed cost (left to right: g = 4, 2, 1)",
                "million multiply-accumulates (computed)", "ImageNet accuracy, % (published)"),
                Plot.line("top-5", r.macs, r.top5), Plot.line("top-1", r.macs, r.top1));
    }

    /** What 2 and 4 groups change against one: the MACs saved and the accuracy points, each accuracy one run. */
    public static String changes() {
        Runs r = Runs.read();
        StringBuilder change = new StringBuilder();
        for (int i = 1; i < GROUPS.length; i++) {
            change.append(String.format(Locale.ROOT,
                    "g = %d: MACs %.0f%% lower than g = 1; top-1 %+.2f points, top-5 %+.2f points%n", GROUPS[i],
                    100 * (1 - r.macs[i] / r.macs[0]), r.top1[i] - r.top1[0], r.top5[i] - r.top5[0]));
        }
        return change.append("(each accuracy is one training run: a change of a few tenths of a point may not repeat)")
                .toString();
    }
}

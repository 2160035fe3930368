package effconv.experiments;

import effconv.layers.Check;
import effconv.report.Compare;
import effconv.report.Course;
import java.util.ArrayList;
import java.util.List;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Two sweeps compared group count by group count, the one with the channel shuffle against the one without:
 * {@link Sweep#shuffleGains} and {@link Sweep#shuffleGainSentence}, paired by seed.
 */
final class ShuffleGains {
    private ShuffleGains() {
    }

    static Table table(Sweep with, Sweep without) {
        Check.notNull("with", with);
        Check.notNull("without", without);
        Table paper = Course.data("shufflenet-v1-table3.csv");
        IntColumn g = IntColumn.create("g");
        DoubleColumn gain = DoubleColumn.create("here: gain (paired)");
        DoubleColumn se = DoubleColumn.create("± SE");
        StringColumn verdict = StringColumn.create("here: verdict");
        String[] scales = {"1", "0.5", "0.25"};
        StringColumn[] published = new StringColumn[scales.length];
        for (int s = 0; s < scales.length; s++) {
            published[s] = StringColumn.create("paper " + scales[s] + "×");
        }
        for (int[] pair : pairs(with, without)) {
            Sweep.Config on = with.configs().get(pair[0]);
            Estimate e = Sweep.paired(on, without.configs().get(pair[1]));
            int groups = on.net().groups();
            g.append(groups);
            gain.append(Sweep.round2(e.mean()));
            se.append(Sweep.round2(e.standardError()));
            verdict.append(e.beyondTwoStandardErrors() ? (e.mean() > 0 ? "helps" : "hurts") + String.format(
                    java.util.Locale.ROOT, " (%.1f SE)", e.inStandardErrors()) : "noise");
            String key = String.valueOf(groups);
            boolean listed = paper.stringColumn("groups").contains(key);
            for (int s = 0; s < scales.length; s++) {
                published[s].append(!listed ? "—" : String.format(java.util.Locale.ROOT, "%.1f",
                        Compare.published(paper, "groups", key, "scale", scales[s], "figure",
                                "top-1 error % without shuffle")
                        - Compare.published(paper, "groups", key, "scale", scales[s], "figure",
                                "top-1 error % with shuffle")));
            }
        }
        Table t = Table.create("What the shuffle gains, in accuracy points (here: Fashion-MNIST test accuracy; paper: "
                + "ImageNet top-1 error without − with)", g, gain, se, verdict);
        t.addColumns(published);
        return t;
    }

    /** Indices (with, without) of the configurations with the same g > 1 in both sweeps. */
    private static List<int[]> pairs(Sweep with, Sweep without) {
        List<int[]> out = new ArrayList<>();
        for (int i = 0; i < with.configs().size(); i++) {
            int groups = with.configs().get(i).net().groups();
            for (int j = 0; j < without.configs().size() && groups > 1; j++) {
                if (without.configs().get(j).net().groups() == groups) {
                    out.add(new int[] {i, j});
                }
            }
        }
        return out;
    }

    static String sentence(Sweep with, Sweep without) {
        List<String> beyond = new ArrayList<>();
        List<String> all = new ArrayList<>();
        int n = 0;
        for (int[] pair : pairs(with, without)) {
            Sweep.Config on = with.configs().get(pair[0]);
            Estimate e = Sweep.paired(on, without.configs().get(pair[1]));
            n = e.n();
            String at = "g = " + on.net().groups() + ": " + e.plusMinus(2);
            all.add(at);
            if (e.beyondTwoStandardErrors()) {
                beyond.add("g = " + on.net().groups() + (e.mean() > 0 ? " (the shuffle helps, " : " (the shuffle "
                        + "hurts, ") + String.format(java.util.Locale.ROOT, "%.1f SE)", e.inStandardErrors()));
            }
        }
        return "The shuffle's gain on Fashion-MNIST, paired by seed over " + n + " seeds, in accuracy points — "
                + String.join("; ", all) + ". " + (beyond.isEmpty()
                        ? "Every one is within 2 SE: at this scale the shuffle's effect is noise."
                        : "Beyond 2 SE: " + String.join(", ", beyond) + "; the rest are within 2 SE, noise.");
    }
}

package effconv.experiments;

import effconv.report.Course;
import effconv.train.TinyNet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import tech.tablesaw.api.Table;

/** A committed sweep's CSV read into its configurations: one per network and learning-rate schedule, in file order. */
final class SweepFile {
    private SweepFile() {
    }

    /** {@code file} in {@code data/}, read by the course's CSV reader (every cell as the text it holds). */
    static List<Sweep.Config> read(String file) {
        Table t = Course.data(file);
        List<String> head = t.columnNames();
        Map<List<Object>, List<Sweep.Run>> by = new LinkedHashMap<>(); // one configuration: the net and its schedule
        for (int i = 0; i < t.rowCount(); i++) {
            int row = i;
            // a column added after a sweep was made ("halves") reads as empty, that is false, in its rows
            Function<String, String> col = c -> head.contains(c) ? t.getString(row, c) : "";
            TinyNet tiny = new TinyNet(col.apply("net"), Integer.parseInt(col.apply("groups")),
                    Boolean.parseBoolean(col.apply("shuffle")), Boolean.parseBoolean(col.apply("bn")),
                    Boolean.parseBoolean(col.apply("width_match")), Boolean.parseBoolean(col.apply("halves")));
            Sweep.Run r = new Sweep.Run(tiny, Long.parseLong(col.apply("seed")), Long.parseLong(col.apply("params")),
                    Long.parseLong(col.apply("macs")), Double.parseDouble(col.apply("test_accuracy")),
                    Double.parseDouble(col.apply("seconds_per_epoch")), num(col.apply("corr_within")),
                    num(col.apply("corr_between")), Integer.parseInt(col.apply("dead_channels")),
                    Integer.parseInt(col.apply("relu_channels")), num(col.apply("pruned_accuracy")),
                    (long) num(col.apply("pruned_params")), (long) num(col.apply("pruned_macs")), col.apply("command"),
                    java.util.Arrays.stream(col.apply("test_curve").split(" ")).mapToDouble(Double::parseDouble)
                            .toArray(), Integer.parseInt(col.apply("threads")),
                    col.apply("decay").isEmpty() ? 0 : Integer.parseInt(col.apply("decay")));
            by.computeIfAbsent(List.of(tiny, r.decay()), k -> new ArrayList<>()).add(r);
        }
        List<Sweep.Config> cs = new ArrayList<>();
        by.values().forEach(v -> cs.add(new Sweep.Config(v.get(0).net(), v)));
        return cs;
    }

    private static double num(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}

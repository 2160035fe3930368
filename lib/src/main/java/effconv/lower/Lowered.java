package effconv.lower;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import effconv.layers.Activation;
import effconv.layers.Shape;

/**
 * A lowered network: its ops in run order, its weights by name (in the order a seed draws them), the shape of
 * every value, and which value is the output. {@link #toString()} is the table a lesson shows.
 */
public record Lowered(List<Op> ops, List<Weight> weights, List<Shape> values, int output) {

    /** Weights by name, for engines that are handed arrays by name. */
    public Map<String, Weight> byName() {
        return weights.stream().collect(Collectors.toMap(Weight::name, Function.identity()));
    }

    /** One row per op: what it writes, what it is, what it reads and what it absorbed. */
    public List<String> rows() {
        String row = "v%-3d %-" + pathWidth() + "s %-14s %s";
        List<String> rows = new ArrayList<>();
        for (Op op : ops) {
            rows.add(String.format(row, op.out(), op.path().isEmpty() ? "(net)" : op.path(), op.outShape(),
                    op.accept(DESCRIBE)));
        }
        return rows;
    }

    /** The widest path, so the table's columns line up for any network. */
    private int pathWidth() {
        return Math.max("(input)".length(), ops.stream().mapToInt(o -> o.path().length()).max().orElse(0));
    }

    @Override
    public String toString() {
        return table(ops.size());
    }

    /** The table of the first {@code firstOps} ops and how many follow: a whole network's list is long. */
    public String table(int firstOps) {
        effconv.layers.Check.positive("firstOps", firstOps);
        List<String> rows = rows();
        int shown = Math.min(firstOps, rows.size());
        return String.format("v%-3d %-" + pathWidth() + "s %-14s%n", 0, "(input)", values.get(0))
                + String.join("\n", rows.subList(0, shown))
                + (shown < rows.size() ? String.format("%n… %d more ops", rows.size() - shown) : "")
                + "\noutput v" + output + ", " + weights.size() + " weights";
    }

    private static String then(Activation.Kind kind) {
        return kind == null ? "" : " + " + kind.label();
    }

    private static final Op.Visitor<String> DESCRIBE = new Op.Visitor<>() {
        @Override
        public String conv(Op.Conv c) {
            return "conv " + c.conv().kernel() + "×" + c.conv().kernel() + "/" + c.conv().stride()
                    + (c.conv().groups() > 1 ? " g=" + c.conv().groups() : "") + (c.splitGroups() ? " (per group)" : "")
                    + " ← v" + c.in() + (c.foldedNorm() == null ? "" : " + batch norm (folded)") + then(c.activation())
                    + (c.sumInto() < 0 ? "" : " + v" + c.sumInto()) + then(c.afterSum());
        }

        @Override
        public String norm(Op.Norm n) {
            return "batch norm ← v" + n.in() + then(n.activation()) + (n.sumInto() < 0 ? "" : " + v" + n.sumInto())
                    + then(n.afterSum());
        }

        @Override
        public String act(Op.Act a) {
            return a.kind().label() + " ← v" + a.in();
        }

        @Override
        public String add(Op.Add a) {
            return "add ← v" + a.a() + " + v" + a.b() + then(a.activation());
        }

        @Override
        public String pool(Op.PoolOp p) {
            return p.pool().kind().toString().toLowerCase() + " pool " + p.pool().kernel() + "/" + p.pool().stride()
                    + " ← v" + p.in();
        }

        @Override
        public String globalPool(Op.GlobalPool g) {
            return "global avg pool ← v" + g.in();
        }

        @Override
        public String linear(Op.Linear l) {
            return "linear " + l.fc().in() + "→" + l.fc().out() + " ← v" + l.in();
        }

        @Override
        public String shuffle(Op.Shuffle s) {
            return "channel shuffle g=" + s.groups() + " ← v" + s.in();
        }

        @Override
        public String concat(Op.ConcatSlice c) {
            StringBuilder b = new StringBuilder("concat");
            for (int k = 0; k < c.parts().length; k++) {
                b.append(k == 0 ? " ← " : ", ").append("v").append(c.parts()[k]).append("@").append(c.from()[k]);
            }
            return b.toString();
        }
    };
}

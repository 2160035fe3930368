package effconv.layers;

import java.util.ArrayList;
import java.util.List;

/**
 * Branches that all see the same input, their outputs stacked along the channels (a fire module's two expand
 * convolutions; a ShuffleNet stride-2 unit's shortcut and residual branch). Moves memory, costs no MACs.
 */
public record Concat(List<Layer> branches) implements Layer {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.concat(this);
    }

    public Concat {
        Check.notNull("branches", branches);
        if (branches.size() < 2) {
            throw new IllegalArgumentException("branches has " + branches.size()
                    + " layers, which is not allowed: a concatenation needs at least 2");
        }
        branches = List.copyOf(branches);
    }

    public static Concat of(Layer... branches) {
        return new Concat(List.of(branches));
    }

    @Override
    public Shape outputShape(Shape input) {
        int channels = 0;
        Shape first = null;
        for (Layer b : branches) {
            Shape s = b.outputShape(input);
            if (first != null && (s.height() != first.height() || s.width() != first.width())) {
                throw new IllegalArgumentException("branch output " + s + " is not allowed: every branch of a "
                        + "concatenation must give the same height and width as the first, " + first);
            }
            first = first == null ? s : first;
            channels += s.channels();
        }
        return Shape.of(channels, first.height(), first.width());
    }

    @Override
    public long params() {
        return branches.stream().mapToLong(Layer::params).sum();
    }

    @Override
    public long macs(Shape input, Counting counting) {
        outputShape(input);
        return branches.stream().mapToLong(b -> b.macs(input, counting)).sum();
    }

    @Override
    public String torchType() {
        return "Concat";
    }

    @Override
    public List<Leaf> leaves(Shape input) {
        outputShape(input);
        List<Leaf> out = new ArrayList<>();
        for (Layer b : branches) {
            out.addAll(b.leaves(input));
        }
        return out;
    }

    @Override
    public String toString() {
        return "Concat" + branches;
    }
}

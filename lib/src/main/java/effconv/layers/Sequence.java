package effconv.layers;

import java.util.ArrayList;
import java.util.List;

/** Layers applied one after another, like PyTorch's {@code nn.Sequential}. */
public record Sequence(List<Layer> layers) implements Layer {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.sequence(this);
    }

    public Sequence {
        Check.notNull("layers", layers);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("layers = [] is not allowed: a sequence needs at least one layer");
        }
        for (int i = 0; i < layers.size(); i++) {
            Check.notNull("layers[" + i + "]", layers.get(i));
        }
        layers = List.copyOf(layers);
    }

    public static Sequence of(Layer... layers) {
        return new Sequence(List.of(layers));
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape s = input;
        for (Layer l : layers) {
            s = l.outputShape(s);
        }
        return s;
    }

    @Override
    public long params() {
        return layers.stream().mapToLong(Layer::params).sum();
    }

    @Override
    public long macs(Shape input, Counting counting) {
        long total = 0;
        Shape s = input;
        for (Layer l : layers) {
            total += l.macs(s, counting);
            s = l.outputShape(s);
        }
        return total;
    }

    @Override
    public String torchType() {
        return "Sequential";
    }

    @Override
    public List<Leaf> leaves(Shape input) {
        List<Leaf> out = new ArrayList<>();
        Shape s = input;
        for (Layer l : layers) {
            out.addAll(l.leaves(s));
            s = l.outputShape(s);
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Sequence(");
        for (Layer l : layers) {
            sb.append("\n  ").append(l.toString().replace("\n", "\n  "));
        }
        return sb.append("\n)").toString();
    }
}

package effconv.layers;

import java.util.ArrayList;
import java.util.List;

/** A layer with a name, as a network's table shows it ("conv1", "fire2/squeeze1x1"). */
public record Named(String name, Layer layer) implements Layer {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.named(this);
    }

    public Named {
        Check.notNull("name", name);
        Check.notNull("layer", layer);
    }

    public static Named of(String name, Layer layer) {
        return new Named(name, layer);
    }

    @Override
    public Shape outputShape(Shape input) {
        return layer.outputShape(input);
    }

    @Override
    public long params() {
        return layer.params();
    }

    @Override
    public long macs(Shape input, Counting counting) {
        return layer.macs(input, counting);
    }

    @Override
    public String torchType() {
        return layer.torchType();
    }

    @Override
    public List<Leaf> leaves(Shape input) {
        List<Leaf> out = new ArrayList<>();
        for (Leaf l : layer.leaves(input)) {
            out.add(new Leaf(l.path().isEmpty() ? name : name + "/" + l.path(), l.layer(), l.input()));
        }
        return out;
    }

    @Override
    public String toString() {
        return name + ": " + layer;
    }
}

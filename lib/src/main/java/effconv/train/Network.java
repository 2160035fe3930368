package effconv.train;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
import effconv.layers.Check;
import effconv.layers.Layer;
import effconv.lower.Fusions;
import effconv.lower.Lowered;
import effconv.lower.Lowering;
import effconv.lower.Op;
import effconv.models.Model;
import effconv.runtime.MemoryGuard;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * A {@link Model} made trainable: the same spec the course counts, lowered ({@link Lowering}) and turned into a chain
 * of modules with seeded weights, a forward and a backward pass on batches, and Adam. One object, so a trained
 * network's summary, cost and accuracy come from the same description. Chains of layers are supported (the training
 * lessons' networks are chains); concatenations and residual additions are not.
 */
public final class Network {
    private final Model model;
    private final List<Module> layers;
    private final List<Param> params;
    private final long seed;

    private Network(Model model, List<Module> layers, long seed) {
        this.model = model;
        this.layers = List.copyOf(layers);
        List<Param> ps = new ArrayList<>();
        layers.forEach(m -> ps.addAll(m.params()));
        this.params = Collections.unmodifiableList(ps);
        this.seed = seed;
        this.edges = new Edges(layers.size());
    }

    /**
     * The model with weights drawn from {@code seed}: the same seed gives the same network. The spec is lowered
     * without fusions (one op per layer, {@link Fusions#none()}) and each op becomes a module; a spec that is not a
     * chain is refused before anything is allocated.
     */
    public static Network of(Model model, long seed) {
        Check.notNull("model", model);
        Lowered plan = Lowering.lower(model.body(), model.input(), Fusions.none());
        for (int k = 0; k < plan.ops().size(); k++) {
            // training runs chains: op k reads what op k − 1 wrote (value k), and nothing else
            if (!java.util.Arrays.equals(plan.ops().get(k).inputs(), new int[] {k})) {
                throw notAChain(plan.ops().get(k));
            }
        }
        MemoryGuard.check("the weights of " + model.name(), MemoryGuard.floatBytes(model.params(), 4));
        Random init = new Random(seed);
        List<Module> chain = new ArrayList<>();
        for (Op op : plan.ops()) {
            chain.add(op.accept(new Modules(init))); // in op order: the order the weights are drawn
        }
        return new Network(model, chain, seed);
    }

    private static IllegalArgumentException notAChain(Op op) {
        return new IllegalArgumentException("layer " + (op.path().isEmpty() ? "(the network)" : op.path())
                + " is not allowed in a trained network: training supports chains of convolutions, batch norm, "
                + "ReLU, channel shuffle, pooling and fully connected layers (no concatenation or residual sum)");
    }

    /** One module per op; an Op.Visitor, so a new op is a compile error here until it has a module. */
    private record Modules(Random init) implements Op.Visitor<Module> {
        @Override public Module conv(Op.Conv c) { return new ConvModule(c, init); }
        @Override public Module norm(Op.Norm n) { return new BatchNormModule(n.path(), new BatchNorm(n.outShape().channels())); }
        @Override public Module act(Op.Act a) { return new ReluModule(a.path(), new Activation(a.kind())); }
        @Override public Module pool(Op.PoolOp p) { return PoolModule.of(p.path(), p.pool()); }
        @Override public Module globalPool(Op.GlobalPool g) { return PoolModule.global(g.path()); }
        @Override public Module linear(Op.Linear l) { return new LinearModule(l, init); }
        @Override public Module shuffle(Op.Shuffle s) { return new ShuffleModule(s.path(), new ChannelShuffle(s.groups())); }
        @Override public Module add(Op.Add a) { throw new IllegalStateException("not a chain: refused before"); }
        @Override public Module concat(Op.ConcatSlice c) { throw new IllegalStateException("not a chain: refused before"); }
    }

    public Model model() {
        return model;
    }

    public long seed() {
        return seed;
    }

    /** The layers' names, in the order they run ("stem/conv", "u1/gconv1", …). */
    public List<String> layerNames() {
        return layers.stream().map(m -> m.path).toList();
    }

    /** The layer spec at {@code name}. */
    public Layer layer(String name) {
        return layers.get(indexOf(name)).spec;
    }

    /** The position of layer {@code name} in the chain (0 for the first), as the partial passes count layers. */
    public int indexOf(String name) {
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).path.equals(name)) {
                return i;
            }
        }
        throw new IllegalArgumentException("layer = \"" + name + "\" is not allowed: this network's layers are "
                + layerNames());
    }

    List<Module> modules() {
        return layers;
    }

    List<Param> params() {
        return params;
    }

    /**
     * The forward pass over layers [from, to) of the chain, on and to NCHW arrays: the modules keep activations
     * channels-last, so the input is copied in and the output out (into buffers reused by the next call).
     */
    public INDArray forward(INDArray x, boolean training, int from, int to) {
        INDArray cur = edges.in = Primitives.fromNchw(x, edges.in);
        for (int i = from; i < to; i++) {
            cur = layers.get(i).forward(cur, training);
        }
        return edges.out[to - 1] = Primitives.toNchw(cur, edges.out[to - 1]);
    }

    /**
     * Buffers at the chain's edges, where NCHW arrays are copied to and from the modules' channels-last ones: an
     * output (and an input gradient) per layer, so that, as a module's own output, it stays valid until that layer
     * runs again — a caller may pass one pass's output on to a pass over the next layers.
     */
    private static final class Edges {
        INDArray in;
        final INDArray[] out;
        INDArray dy;
        final INDArray[] dx;

        Edges(int layers) {
            out = new INDArray[layers];
            dx = new INDArray[layers];
        }
    }

    private final Edges edges;

    /**
     * The forward pass over a batch of images [n, C, H, W]: the last layer's output, for a classifier its logits,
     * one row of scores per image.
     * {@code training} makes batch norm use the batch's own statistics (and update its running ones); without it,
     * batch norm uses the running statistics, as at test time.
     */
    public INDArray forward(INDArray x, boolean training) {
        return forward(x, training, 0, layers.size());
    }

    /**
     * The backward pass from the gradient of the loss with respect to the last forward pass's logits: every layer's
     * parameter gradients are filled in, ready for an optimiser's step.
     */
    public void backward(INDArray dLogits) {
        Check.notNull("dLogits", dLogits);
        backwardParams(dLogits);
    }

    /** The whole backward pass for the parameters' gradients alone: the input's gradient is not computed. */
    void backwardParams(INDArray dLogits) {
        INDArray cur = edges.dy = Primitives.fromNchw(dLogits, edges.dy);
        for (int i = layers.size() - 1; i > 0; i--) {
            cur = layers.get(i).backward(cur);
        }
        layers.get(0).backwardParams(cur);
    }

    /** The backward pass from the output of layer {@code to - 1} down to the input of layer {@code from} (NCHW). */
    public INDArray backward(INDArray dy, int from, int to) {
        INDArray cur = edges.dy = Primitives.fromNchw(dy, edges.dy);
        for (int i = to - 1; i >= from; i--) {
            cur = layers.get(i).backward(cur);
        }
        return edges.dx[from] = Primitives.toNchw(cur, edges.dx[from]);
    }

    /** The output of layer {@code name} in the last forward pass, as a new NCHW array. */
    public INDArray output(String name) {
        return output(indexOf(name));
    }

    /** The output of layer {@code index} in the last forward pass, as a new NCHW array. */
    public INDArray output(int index) {
        return Primitives.toNchw(layers.get(index).output(), null);
    }

    /**
     * This network with channels removed: for each ReLU layer named, its channels listed (0, 1, …) leave the
     * convolution that makes them — its filters, and the batch norm entries after it — and the next weighted layer
     * that reads them; every surviving weight is copied. The convolution that makes them, and the one that reads
     * them, must have groups = 1.
     */
    public Network pruned(Map<String, List<Integer>> deadChannels) {
        Check.notNull("deadChannels", deadChannels);
        return Pruned.of(this, deadChannels);
    }

    LinearModule classifier() {
        if (layers.get(layers.size() - 1) instanceof LinearModule fc) {
            return fc;
        }
        throw new IllegalArgumentException("model " + model.name() + " is not allowed here: a trained network must end "
                + "with a fully connected layer (its logits)");
    }

    @Override
    public String toString() {
        return "Network(" + model + ", seed " + seed + ")";
    }
}

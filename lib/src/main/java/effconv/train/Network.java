package effconv.train;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.ChannelShuffle;
import effconv.layers.Check;
import effconv.layers.Composite;
import effconv.layers.Concat;
import effconv.layers.ConvLayer;
import effconv.layers.FullyConnected;
import effconv.layers.GlobalAvgPool;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.Pool;
import effconv.layers.Residual;
import effconv.layers.Sequence;
import effconv.models.Model;
import effconv.nd.MemoryGuard;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.nd4j.linalg.api.ndarray.INDArray;


/**
 * A {@link Model} made trainable: the same spec the course counts, turned into a chain of modules with seeded
 * weights, a forward and a backward pass on batches, and Adam. One object, so a trained network's summary, cost and
 * accuracy come from the same description. Chains of layers are supported (the training lessons' networks are
 * chains); concatenations and residual additions are not.
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

    /** The model with weights drawn from {@code seed}: the same seed gives the same network. */
    public static Network of(Model model, long seed) {
        Check.notNull("model", model);
        MemoryGuard.check("the weights of " + model.name(), MemoryGuard.floatBytes(model.params(), 4));
        Random init = new Random(seed);
        List<Module> chain = new ArrayList<>();
        flatten(model.body(), "", init, chain);
        return new Network(model, chain, seed);
    }

    private static void flatten(Layer l, String path, Random init, List<Module> out) {
        l.accept(new Modules(path, init, out));
    }

    /** One module per leaf, in spec order (the order weights are drawn); a Layer.Visitor, so every kind has a case. */
    private record Modules(String path, Random init, List<Module> out)
            implements Layer.Visitor<Void> {
        private Void add(Module m) {
            out.add(m);
            return null;
        }

        @Override
        public Void named(Named n) {
            flatten(n.layer(), path.isEmpty() ? n.name() : path + "/" + n.name(), init, out);
            return null;
        }

        @Override
        public Void sequence(Sequence s) {
            for (int i = 0; i < s.layers().size(); i++) {
                Layer child = s.layers().get(i);
                flatten(child, child instanceof Named ? path : (path.isEmpty() ? "" : path + "/") + i, init, out);
            }
            return null;
        }

        @Override public Void conv(ConvLayer c) { return add(new ConvModule(path, c.toConv2d(), init)); }
        @Override public Void batchNorm(BatchNorm bn) { return add(new BatchNormModule(path, bn)); }
        @Override public Void activation(Activation a) { return add(new ReluModule(path, a)); }
        @Override public Void shuffle(ChannelShuffle s) { return add(new ShuffleModule(path, s)); }
        @Override public Void pool(Pool p) { return add(new PoolModule(path, p)); }
        @Override public Void globalAvgPool(GlobalAvgPool g) { return add(new PoolModule(path, g)); }
        @Override public Void fullyConnected(FullyConnected fc) { return add(new LinearModule(path, fc, init)); }
        @Override public Void concat(Concat c) { return refuse(c); }
        @Override public Void residual(Residual r) { return refuse(r); }
        @Override public Void add(Residual.Add a) { return refuse(a); }
        @Override public Void composite(Composite c) { return refuse(c); }

        private Void refuse(Layer l) {
            throw new IllegalArgumentException("layer " + l.getClass().getSimpleName() + " is not allowed in a "
                    + "trained network: training supports chains of convolutions, batch norm, ReLU, channel shuffle, "
                    + "pooling and fully connected layers");
        }
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

    int indexOf(String name) {
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
    INDArray forward(INDArray x, boolean training, int from, int to) {
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
    INDArray backward(INDArray dy, int from, int to) {
        INDArray cur = edges.dy = Primitives.fromNchw(dy, edges.dy);
        for (int i = to - 1; i >= from; i--) {
            cur = layers.get(i).backward(cur);
        }
        return edges.dx[from] = Primitives.toNchw(cur, edges.dx[from]);
    }

    /** The output of layer {@code name} in the last forward pass, as a new NCHW array. */
    INDArray output(String name) {
        return output(indexOf(name));
    }

    /** The output of layer {@code index} in the last forward pass, as a new NCHW array. */
    INDArray output(int index) {
        return Primitives.toNchw(layers.get(index).output(), null);
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

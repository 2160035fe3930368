package effconv.train;

import java.util.ArrayList;
import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

/** A learnable array, its gradient from the last backward pass, and where it sits ("u1/conv1.weight"). */
record Param(String name, INDArray value, INDArray grad) {

    /** A layer's weight and, when it has one (b not null), its bias, named as PyTorch names them. */
    static List<Param> weightAndBias(String path, INDArray w, INDArray gw, INDArray b, INDArray gb) {
        List<Param> ps = new ArrayList<>();
        ps.add(new Param(path + ".weight", w, gw));
        if (b != null) {
            ps.add(new Param(path + ".bias", b, gb));
        }
        return ps;
    }
}

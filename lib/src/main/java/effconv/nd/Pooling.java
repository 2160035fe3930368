package effconv.nd;

import effconv.layers.Pool;
import effconv.layers.Shape;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.AvgPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.MaxPooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Broadcast;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Pooling on ND4J with PyTorch's semantics: averages count the symmetric padding; a ceil-mode window that runs
 * past the edge averages over the part inside. ND4J pools without padding, over a padded copy of the input whose
 * border is filled once.
 */
final class Pooling {
    private Pooling() {
    }

    static LeafOp.Step prepare(Pool p, Shape in, INDArray out) {
        Shape o = p.outputShape(in);
        int k = p.kernel(), s = p.stride(), pad = p.padding();
        int extraH = p.overhang(in.height());
        int extraW = p.overhang(in.width());
        Pooling2DConfig cfg = Pooling2DConfig.builder().kH(k).kW(k).sH(s).sW(s).pH(0).pW(0).dH(1).dW(1)
                .type(switch (p.kind()) {
                    case MAX -> Pooling2D.Pooling2DType.MAX;
                    case AVG -> Pooling2D.Pooling2DType.AVG;
                })
                .isNHWC(false).build();
        boolean average = p.kind() == Pool.Kind.AVG;
        INDArray padded = null;
        INDArray inside = null;
        if (pad > 0 || extraH > 0 || extraW > 0) {
            // what the padding holds: a value no window's maximum takes, or one that adds nothing to a sum
            float outside = switch (p.kind()) {
                case MAX -> Float.NEGATIVE_INFINITY;
                case AVG -> 0f;
            };
            padded = Nd4j.valueArrayOf(new long[] {1, in.channels(), in.height() + 2L * pad + extraH,
                    in.width() + 2L * pad + extraW}, outside, DataType.FLOAT);
            inside = padded.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(pad, pad + in.height()),
                    NDArrayIndex.interval(pad, pad + in.width()));
        }
        INDArray fraction = null;
        if (average && (extraH > 0 || extraW > 0)) {
            // windows that run into the ceil-mode overhang divide by fewer values: rescale by k² / (values inside)
            INDArray ones = Nd4j.zeros(DataType.FLOAT, 1, 1, padded.size(2), padded.size(3));
            ones.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, in.height() + 2L * pad),
                    NDArrayIndex.interval(0, in.width() + 2L * pad)).assign(1);
            fraction = Nd4j.cnn().avgPooling2d(ones, cfg).reshape(o.height(), o.width());
        }
        INDArray pd = padded;
        INDArray ins = inside;
        INDArray f = fraction;
        OpCall call = switch (p.kind()) {
            case MAX -> new OpCall(x -> new MaxPooling2D(x, out, cfg), true);
            case AVG -> new OpCall(x -> new AvgPooling2D(x, out, cfg), true);
        };
        return x -> {
            INDArray source = x;
            if (pd != null) {
                ins.assign(x);
                source = pd;
            }
            call.run(source);
            if (f != null) {
                Broadcast.div(out, f, out, 2, 3);
            }
        };
    }
}

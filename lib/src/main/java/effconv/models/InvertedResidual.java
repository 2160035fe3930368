package effconv.models;

import effconv.layers.Activation;
import effconv.layers.BatchNorm;
import effconv.layers.Check;
import effconv.layers.Composite;
import effconv.layers.DepthwiseConv;
import effconv.layers.Layer;
import effconv.layers.Named;
import effconv.layers.PointwiseConv;
import effconv.layers.Residual;
import effconv.layers.Sequence;
import effconv.layers.Shape;
import java.util.ArrayList;
import java.util.List;

/**
 * MobileNetV2's bottleneck: expand k → t·k channels with a 1×1 conv (+BN, ReLU6), filter with a 3×3 depthwise conv
 * of the given stride (+BN, ReLU6), project linearly to k' channels with a 1×1 conv (+BN, no activation). With
 * stride 1 and k = k' the input is added back. Its MACs are h·w·t·k·(k + 9/s² + k')… exactly
 * {@link #formulaMacs}.
 */
public record InvertedResidual(int inChannels, int outChannels, int expansion, int stride) implements Composite {

    public InvertedResidual {
        Check.positive("inChannels", inChannels);
        Check.positive("outChannels", outChannels);
        Check.positive("expansion", expansion);
        Check.positive("stride", stride);
        Check.atMost("stride", stride, 2, "MobileNetV2 uses stride 1 or 2");
    }

    public int hidden() {
        return inChannels * expansion;
    }

    public boolean residual() {
        return stride == 1 && inChannels == outChannels;
    }

    @Override
    public Layer graph() {
        List<Layer> body = new ArrayList<>();
        if (expansion != 1) {
            body.add(Named.of("expand", PointwiseConv.of(inChannels, hidden())));
            body.add(Named.of("expand_bn", new BatchNorm(hidden())));
            body.add(Named.of("expand_relu6", Activation.RELU6));
        }
        body.add(Named.of("depthwise", DepthwiseConv.of(hidden(), 3).stride(stride).padding(1)));
        body.add(Named.of("depthwise_bn", new BatchNorm(hidden())));
        body.add(Named.of("depthwise_relu6", Activation.RELU6));
        body.add(Named.of("project", PointwiseConv.of(hidden(), outChannels)));
        body.add(Named.of("project_bn", new BatchNorm(outChannels)));
        Sequence seq = new Sequence(body);
        return residual() ? new Residual(seq) : seq;
    }

    /**
     * The paper's cost, h·w·d′·t·(d′ + k² + d″) for input h×w×d′ (stride 1), generalised to stride s and t = 1:
     * expansion h·w·d′·t·d′ (absent when t = 1), depthwise (h/s)(w/s)·t·d′·k², projection (h/s)(w/s)·t·d′·d″.
     */
    public long formulaMacs(Shape input) {
        long h = input.height(), w = input.width();
        Shape out = outputShape(input);
        long ho = out.height(), wo = out.width();
        long td = hidden();
        return (expansion != 1 ? h * w * td * inChannels : 0) + ho * wo * td * 9 + ho * wo * td * outChannels;
    }
}

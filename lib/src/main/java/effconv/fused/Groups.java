package effconv.fused;

import effconv.layers.Activation;
import effconv.layers.Conv2d;
import effconv.layers.Shape;
import effconv.runtime.Dnnl;
import java.util.Arrays;
import java.util.List;

import org.bytedeco.dnnl.memory;

/**
 * A grouped convolution run group by group, as ND4J runs it — what {@link FusedNet.Steps#groupedPrimitive()} off
 * compiles instead of one primitive. Each group reads a copy of its input channels and its result is copied into
 * its channels of one NCHW output: oneDNN 2.5.2 has only reference kernels for a convolution that reads or writes
 * a channel slice of a larger tensor in place, so the slices travel through reorders (3 primitives a group).
 */
final class Groups {
    private Groups() {
    }

    /**
     * The weights of {@code c} for the same convolution with {@code by} times fewer groups: each merged group's
     * weights [out/g', in/g', K, K] hold the original groups' weights on their diagonal blocks and zeros between, so
     * the output is the same — with {@code by} times the multiply-adds, on the kernel the fewer groups get.
     */
    static float[] merged(Conv2d c, float[] w, int by) {
        int g = c.groups();
        int inPer = c.inChannelsPerGroup();
        int outPer = c.outChannels() / g;
        int kk = c.kernel() * c.kernel();
        int wideIn = inPer * by; // input channels per merged group
        float[] m = new float[c.outChannels() * wideIn * kk];
        for (int o = 0; o < c.outChannels(); o++) {
            int at = (o / outPer) % by; // which of its merged group's original groups this output channel is in
            System.arraycopy(w, o * inPer * kk, m, (o * wideIn + at * inPer) * kk, inPer * kk);
        }
        return m;
    }

    /**
     * The g convolutions of {@code c}, each with its share of the weights and bias (batch norm already folded in,
     * so it is per output channel and splits with them) and the same fused activation. {@code what} ends each
     * description (what was fused). No residual sum is fused: the sum's target would be a slice too.
     */
    static Plan.Value apart(Plan plan, Conv2d c, float[] w, float[] b, Activation.Kind act, String what,
                            Plan.Value in) {
        int g = c.groups();
        int inPer = c.inChannelsPerGroup();
        int outPer = c.outChannels() / g;
        Shape is = in.shape();
        Shape os = c.outputShape(is);
        memory.format_tag tag = Plan.tagOf(in.desc(), is.withBatch(1));
        if (tag != memory.format_tag.nchw && tag != memory.format_tag.nhwc) {
            // a blocked layout cannot be cut at every channel: back to NCHW, where ND4J holds it
            in = plan.as(in, Dnnl.md(is.withBatch(1), memory.format_tag.nchw), "input of " + c + " to NCHW, to slice");
        }
        memory.desc outDesc = Dnnl.md(os.withBatch(1), memory.format_tag.nchw);
        memory out = plan.alloc(outDesc, "the output of " + c);
        Conv2d one = Conv2d.of(inPer, outPer, c.kernel()).stride(c.stride()).padding(c.padding())
                .dilation(c.dilation()).bias(c.bias()); // its descriptions; a bias is added wherever b is given
        Shape part = Shape.of(inPer, is.height(), is.width());
        long[] outPart = Shape.of(outPer, os.height(), os.width()).withBatch(1);
        int perW = w.length / g; // weights [out, in/g, K, K]: a group's output channels are one run of them
        for (int j = 0; j < g; j++) {
            memory.desc from = in.desc().submemory_desc(part.withBatch(1), new long[] {0, (long) j * inPer, 0, 0});
            Plan.Value slice = new Plan.Value(plan.view(from, in.mem()), part, false);
            String group = c + ", group " + (j + 1) + " of " + g;
            Plan.Value y = ConvPrimitive.make(plan, group + what, one, Arrays.copyOfRange(w, j * perW, (j + 1) * perW),
                    b == null ? null : Arrays.copyOfRange(b, j * outPer, (j + 1) * outPer), act, slice, null, false, false, List.of());
            memory.desc to = outDesc.submemory_desc(outPart, new long[] {0, (long) j * outPer, 0, 0});
            plan.reorderStep(group + ": into its output channels", y.mem(), plan.view(to, out));
        }
        return new Plan.Value(out, os, true);
    }
}

package effconv.layers;

/**
 * ShuffleNet's channel shuffle: view the C channels as a g × (C/g) grid, transpose it, flatten it — so the next
 * group convolution sees channels from every group. Channel i·(C/g) + j moves to j·g + i. It moves memory and
 * does no arithmetic: no parameters, no MACs.
 */
public record ChannelShuffle(int groups) implements Layer {

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.shuffle(this);
    }

    public ChannelShuffle {
        Check.positive("groups", groups);
    }

    @Override
    public Shape outputShape(Shape input) {
        Check.notNull("input", input);
        Check.divides("groups", groups, "input channels", input.channels());
        return input;
    }

    /** Where input channel {@code c} of {@code channels} ends up. */
    public int destination(int c, int channels) {
        Check.divides("groups", groups, "channels", channels);
        int perGroup = channels / groups;
        return (c % perGroup) * groups + c / perGroup;
    }

    @Override
    public long params() {
        return 0;
    }

    @Override
    public long macs(Shape input, Counting counting) {
        outputShape(input);
        return 0;
    }

    @Override
    public String torchType() {
        return "ChannelShuffle";
    }
}

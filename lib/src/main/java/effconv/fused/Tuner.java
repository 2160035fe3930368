package effconv.fused;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_BIAS;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_FROM;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SCRATCHPAD;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_TO;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WEIGHTS;

import effconv.layers.Activation;
import effconv.layers.Conv2d;
import effconv.runtime.Dnnl;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

import org.bytedeco.javacpp.Pointer;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.convolution_forward;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;

/**
 * Chooses among a convolution's candidate primitives by timing them, as an inference engine's autotuner does: oneDNN
 * offers several layouts and kernels for one shape, and its first offer is not always the fastest (a grouped
 * convolution with 8 groups of 12 channels gets an older kernel in one layout and a faster one in another). Each
 * candidate runs on zeroed buffers of its own, with the reorder its input layout needs from the layout the value
 * arrives in; the fastest of a few runs counts. A grouped (not depthwise) convolution has two more candidates
 * ({@link Alternative}): one primitive per group, as ND4J runs it, with the reorders its slices need; and half the
 * groups with zeros between them, which wins where oneDNN's kernel for many narrow groups is no faster than for
 * fewer wide ones (g = 32 against 16 in the course's sweep); an alternative must beat the best single primitive by
 * more than 5% ({@link #choose}). Choices are remembered per convolution and layout, so a network is timed once per
 * shape in a process.
 */
final class Tuner {
    private Tuner() {
    }

    /** Runs before timing (caches, oneDNN's just-in-time code), then timed runs: the fastest counts. */
    private static final int WARMUP = 2;
    private static final int RUNS = 5;

    /** One candidate's kernel and layout, and its time with its input reorder. */
    record Candidate(String kernel, String layout, double millis) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s (%s) %.3f ms", kernel, layout, millis);
        }
    }

    /** What the tuner chose for one convolution: the candidates in oneDNN's order, and the index of the fastest. */
    record Choice(String what, List<Candidate> candidates, int chosen) {
        @Override
        public String toString() {
            return what + ": " + candidates.get(chosen) + " of " + candidates;
        }
    }

    /** Choices made in this process, with the times they were made on: each convolution is timed once per shape. */
    private static final java.util.Map<String, Choice> CHOSEN = new java.util.concurrent.ConcurrentHashMap<>();

    /** The alternative of running the convolution group by group ({@link Groups#apart}). */
    static final String PER_GROUP = "one primitive per group";

    /**
     * Another way to compute the same convolution, timed beside its single primitive's layouts: run group by group,
     * or with fewer groups. {@code millis} times it alone; {@code make} adds it to the plan when it wins.
     */
    record Alternative(String kernel, String how, DoubleSupplier millis, java.util.function.Supplier<Plan.Value> make) {
    }

    /**
     * Which of {@code candidates} (one convolution with the same post-ops in different layouts, for an input that
     * arrives in layout {@code in}) and of {@code alternatives} is the fastest: its index, the alternatives counted
     * after the candidates; the choice is recorded in {@code choices}. A convolution already timed in this process
     * gets its earlier choice, and its earlier times.
     */
    static int fastest(List<convolution_forward.primitive_desc> candidates, memory.desc in, long[] inDims,
                       long[] outDims, String what, List<Choice> choices, List<Alternative> alternatives) {
        StringBuilder key = new StringBuilder(what).append(" @ ").append(layout(in, inDims));
        for (convolution_forward.primitive_desc pd : candidates) {
            key.append(" | ").append(Dnnl.impl(pd)).append(' ').append(layout(pd.src_desc(), inDims));
        }
        for (Alternative a : alternatives) {
            key.append(" | ").append(a.kernel());
        }
        Choice choice = CHOSEN.computeIfAbsent(key.toString(), k -> {
            List<Candidate> timed = new ArrayList<>();
            for (convolution_forward.primitive_desc pd : candidates) {
                timed.add(attempt(Dnnl.impl(pd), layout(pd.src_desc(), inDims) + " → "
                        + layout(pd.dst_desc(), outDims), () -> time(pd, in)));
            }
            for (Alternative a : alternatives) {
                timed.add(attempt(a.kernel(), a.how(), a.millis()));
            }
            return new Choice(what, List.copyOf(timed), choose(timed, candidates.size()));
        });
        choices.add(choice);
        return choice.chosen();
    }

    /** How much faster than the best single primitive an alternative must be to be chosen: 5%. */
    static final double ALTERNATIVE_MARGIN = 0.95;

    /**
     * Which of {@code timed} to run: the first {@code singles} are one primitive each, the rest alternatives. The
     * fastest single primitive that ran (oneDNN's first offer if none did), unless an alternative beats it clearly:
     * an alternative makes more primitives or more arithmetic, and a near tie is one the next run could reverse.
     */
    static int choose(List<Candidate> timed, int singles) {
        int single = fastestOf(timed, 0, singles);
        int other = fastestOf(timed, singles, timed.size());
        boolean clearly = other >= 0 && (single < 0
                || timed.get(other).millis() < ALTERNATIVE_MARGIN * timed.get(single).millis());
        return clearly ? other : Math.max(single, 0);
    }

    /** The index of the fastest candidate in [from, to) that ran, or -1. */
    private static int fastestOf(List<Candidate> timed, int from, int to) {
        int best = -1;
        for (int i = from; i < to; i++) {
            double ms = timed.get(i).millis();
            if (!Double.isNaN(ms) && (best < 0 || ms < timed.get(best).millis())) {
                best = i;
            }
        }
        return best;
    }

    /**
     * A candidate timed; one that cannot be built or run is kept in the list with why, and no time, so it is never
     * chosen and never ends the compile.
     */
    static Candidate attempt(String kernel, String layout, DoubleSupplier millis) {
        try {
            return new Candidate(kernel, layout, millis.getAsDouble());
        } catch (RuntimeException e) {
            return new Candidate(kernel, "could not be built: " + e.getMessage(), Double.NaN);
        }
    }

    /**
     * The time of {@code add} building its primitives alone, in a scratch plan over an input in the layout of
     * {@code in}: the fastest of a few runs, with the reorders it makes.
     */
    static double alone(FusedNet.Steps take, Plan.Value in, java.util.function.Consumer<Plan> add) {
        Plan scratch = Plan.scratch(in.desc(), in.shape(), take);
        add.accept(scratch);
        List<Object> keep = new ArrayList<>();
        double ms = best(scratch.runAlone(zeroed(in.desc(), keep)));
        java.lang.ref.Reference.reachabilityFence(keep);
        return ms;
    }

    /** The fastest of a few runs of {@code pd}, with its input reordered from {@code in} first if it wants another. */
    private static double time(convolution_forward.primitive_desc pd, memory.desc in) {
        List<Object> keep = new ArrayList<>();
        memory src = zeroed(pd.src_desc(), keep);
        IntMemoryMap args = new IntMemoryMap().put(DNNL_ARG_SRC, src).put(DNNL_ARG_WEIGHTS,
                zeroed(pd.weights_desc(), keep)).put(DNNL_ARG_DST, zeroed(pd.dst_desc(), keep));
        if (pd.bias_desc().get_size() > 0) {
            args.put(DNNL_ARG_BIAS, zeroed(pd.bias_desc(), keep));
        }
        if (pd.scratchpad_desc().get_size() > 0) {
            args.put(DNNL_ARG_SCRATCHPAD, zeroed(pd.scratchpad_desc(), keep));
        }
        primitive conv = new convolution_forward(pd);
        boolean reorders = !pd.src_desc().equals(in);
        memory from = reorders ? zeroed(in, keep) : null;
        primitive move = reorders ? new reorder(from, src) : null;
        IntMemoryMap moveArgs = reorders ? new IntMemoryMap().put(DNNL_ARG_FROM, from).put(DNNL_ARG_TO, src) : null;
        double ms = best(() -> {
            if (reorders) {
                move.execute(Dnnl.stream(), moveArgs);
            }
            conv.execute(Dnnl.stream(), args);
            Dnnl.stream()._wait();
        });
        java.lang.ref.Reference.reachabilityFence(keep);
        return ms;
    }

    /** The fastest of {@link #RUNS} runs of {@code run} after {@link #WARMUP} untimed ones, in milliseconds. */
    private static double best(Runnable run) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < WARMUP + RUNS; r++) {
            long t0 = System.nanoTime();
            run.run();
            double ms = (System.nanoTime() - t0) / 1e6;
            if (r >= WARMUP) {
                best = Math.min(best, ms);
            }
        }
        return best;
    }

    /** A buffer of zeros (garbage could hold denormal numbers, which slow some kernels and would skew the time). */
    private static memory zeroed(memory.desc d, List<Object> keep) {
        memory m = Dnnl.memory(d, "a tuning candidate's buffer", keep);
        Pointer.memset(m.get_data_handle(), 0, Math.max(d.get_size(), 1));
        keep.add(m);
        return m;
    }

    /** A layout's short name: nchw, nhwc, nChw8c, nChw16c, or "blocked". */
    static String layout(memory.desc d, long[] dims) {
        memory.format_tag t = Plan.tagOf(d, dims);
        return t == null ? "blocked" : t.toString();
    }
}

/**
 * The inference engine: a network compiled, once per input shape, into oneDNN primitives — batch norm folded,
 * activations and residual sums fused, layouts kept, one primitive per grouped convolution, optionally tuned by
 * timing ({@link effconv.fused.FusedNet}, the only public class). For students comparing it with the reference
 * engine (lesson 15) and for the benchmark. Internally: {@code Compiler} runs the lowered ops, {@code ConvPrimitive}
 * and {@code Kernels} make primitives, {@code Plan} holds them and every buffer, {@code Tuner} times candidates.
 * Runs on {@code effconv.runtime} (the one oneDNN engine and stream, guarded buffers, the seeded weights the reference
 * engine runs with too), beside the reference and training engines, which it does not use.
 */
package effconv.fused;

/**
 * The reference engine: a spec made real on ND4J — seeded weights in PyTorch's layout ({@link effconv.nd.NdLayer}),
 * one ND4J call per lowered op, every layer's output kept (summaries of real runs, cells that look inside a
 * network, connectivity by experiment), and {@code Agreement}, how a computation is stated as agreeing with another
 * (the reference's own, a naive loop's, the fused engine's) within a tolerance. For students: lessons run layers
 * through {@code NdLayer} and check other computations against it. Runs on {@code effconv.runtime}, beside the fused
 * and training engines, which do not use it.
 */
package effconv.nd;

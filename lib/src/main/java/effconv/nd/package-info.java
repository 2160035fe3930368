/**
 * The reference engine: a spec made real on ND4J — seeded weights in PyTorch's layout ({@link effconv.nd.NdLayer}),
 * one ND4J call per lowered op, every layer's output kept (summaries of real runs, cells that look inside a
 * network, connectivity by experiment). Also the process's guards and bridges every engine shares: the memory
 * guard, seeded tensors, and {@code Dnnl}, the one oneDNN engine and stream. For students (lessons run layers
 * through {@code NdLayer}) and for the engines above it.
 */
package effconv.nd;

/**
 * What the three engines — reference ({@code effconv.nd}), fused inference ({@code effconv.fused}) and training
 * ({@code effconv.train}) — run on, below all of them: the process's off-heap memory and the guard that refuses what
 * would not fit ({@code MemoryGuard}), the one oneDNN engine and stream with buffers allocated through JavaCPP
 * ({@code Dnnl}), seeded tensors and the seeded weight draws ({@code Tensors}, {@code Weights}: the same seed, the
 * same numbers in every engine), bulk copies between ND4J and Java arrays ({@code Floats}), and which arithmetic
 * oneDNN does here ({@code Arithmetic}: what a seeded training's last digits follow). Runs no spec itself. For the
 * engines, and for students who draw a random input ({@code Tensors.random}) or ask what arithmetic their training
 * ran on ({@code Arithmetic.here()}).
 */
package effconv.runtime;

/**
 * Training tiny networks on the course's Fashion-MNIST subset: the training engine ({@code Network}: a module per
 * lowered op, each pass one oneDNN primitive, Adam as PyTorch computes it), the one loop ({@code Training.fit})
 * with its parts public so a lesson can write the loop in cells, the analyses of what groups learn, and the
 * committed sweeps with their 2 SE verdicts ({@code Sweep}, {@code Estimate}). For students of lessons 16–18 and
 * for {@code ./course train}.
 */
package effconv.train;

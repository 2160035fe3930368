/**
 * The training engine: a network made trainable ({@code Network}: a module per lowered op, each pass one oneDNN
 * primitive, Adam as PyTorch computes it), the one loop ({@code Training.fit}, its parts public so a lesson can
 * write the loop in cells), what it trains on ({@code Images}, the course's {@code FashionMnist} subset) and what
 * it trains ({@code TinyNet}), and what a run gives ({@code TrainResult}, {@code Progress}). For students writing
 * or running a training loop, for {@code ./course train} and {@code ./course bench}'s training case, and for the
 * lessons' experiments ({@code effconv.experiments}) above it.
 */
package effconv.train;

/**
 * The experiments of the training lessons (16–18), on top of the training engine: what a trained network learned,
 * measured ({@code Analysis}: correlations within and between groups, dead channels and their pruning, gradients
 * between groups), the task where only a shuffle lets groups combine what they see ({@code PatternPairs}), and the
 * committed sweeps read back with their 2 SE verdicts ({@code Sweep}, {@code Estimate}). Uses only the engine's
 * public face. For students of lessons 16–18 and for {@code ./course train}, which writes each sweep row's
 * correlations and pruning with {@code Analysis}.
 */
package effconv.experiments;

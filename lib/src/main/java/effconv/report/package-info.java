/**
 * What is shown about a spec, computed and never typed: torchsummary's table to the last digit ({@code Summary}),
 * cost by kind of layer, computed figures beside the published ones in {@code data/} ({@code Compare},
 * {@code Course.data}), tables and their text view. For students (most lesson tables come from here) and for the
 * tests that pin every published count. Counts only: nothing here allocates a tensor.
 */
package effconv.report;

/**
 * The networks of the papers — AlexNet, SqueezeNet, Xception, MobileNet v1/v2, ShuffleNet v1 — and their blocks,
 * as specs built from {@link effconv.layers}, each citing the table its shapes come from. For students (lessons
 * count, run and time these) and for the tests that hold them to the published counts in {@code data/}.
 */
package effconv.models;

/**
 * Timing, honest about what it measures: each timing carries the doubts that make it untrustworthy (other
 * processes, a calibration kernel, the scheduler tick, a wide spread), the machine's measured FMA peak and
 * bandwidth, the fixed suite timed against PyTorch ({@code BenchSuite}) and the quiet-machine check that guards
 * every saved lesson timing ({@code Quiet}). For students reading timing cells and for {@code ./course bench}.
 */
package effconv.bench;

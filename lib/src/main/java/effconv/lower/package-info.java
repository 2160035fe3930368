/**
 * The lowering: a spec turned into a flat list of typed ops over numbered values, with named weights, every fusion
 * decided here ({@link effconv.lower.Lowering#lower}). The one description of a network that the three engines —
 * reference ({@code effconv.nd}), fused inference ({@code effconv.fused}) and training ({@code effconv.train}) — each
 * run with one {@link effconv.lower.Op.Visitor}. For maintainers adding a layer or an engine, and for lesson 15,
 * which prints a student network's op list. Pure Java over {@link effconv.layers}: unit-tested without natives.
 */
package effconv.lower;

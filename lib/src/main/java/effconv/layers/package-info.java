/**
 * Layer specs: small immutable values that know what the papers count — output shape, parameters, MACs — and
 * allocate nothing. For students (every lesson builds these: {@code Conv2d.of(100, 1000, 3)}) and for every other
 * package, which all stand on it; it uses the JDK only. {@code Layer} is sealed and {@code Layer.Visitor} is how
 * code that must treat every kind walks a spec; {@code Conv2d} holds the three cost formulas once; {@code Check}
 * and {@code Format} are the one message style and the one number formatter.
 */
package effconv.layers;

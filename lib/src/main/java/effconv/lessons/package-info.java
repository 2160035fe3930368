/**
 * The lessons' sweeps and tables, one class per lesson and named like it, so a lesson's cell is one readable call
 * and the loops that fill a table live here, tested (the from-scratch code a lesson teaches stays in its cells).
 * For students who want to see how a table was made (Shift+Tab shows what each method computes) and for
 * maintainers. Above the specs, networks, reports, engines, timing and charts it uses; nothing below depends on it.
 */
package effconv.lessons;

package effconv.bench;

import effconv.layers.Check;
import java.util.ArrayList;
import java.util.List;

/**
 * The roofline model (Williams, Waterman and Patterson 2009): a layer that does I floating-point operations per byte
 * it must move can run no faster than min(peak, bandwidth × I). Both roofs are measured on this machine (the
 * {@link Machine} FMA peak and the {@link Bandwidth} copy), every single-layer case of the suite is placed by its
 * counted intensity and its measured rate, and how far below its roof it sits says what limited it: the arithmetic,
 * the memory, or neither — then it is the cost of the call itself.
 *
 * @param peakGflops   the flat roof, GFLOP/s
 * @param bandwidthGBs the slanted roof's slope, GB/s
 * @param points       the measured cases
 */
public record Roofline(double peakGflops, double bandwidthGBs, List<Point> points) {

    /**
     * One measured case: its counted FLOPs per byte (2 per MAC, over the bytes it must at least move: input, output
     * and weights once each, 4 bytes a float) and its achieved GFLOP/s.
     */
    public record Point(String name, String kind, double flopsPerByte, double gflops) {
    }

    public Roofline {
        Check.notNull("points", points);
        if (!(peakGflops > 0 && bandwidthGBs > 0)) {
            throw new IllegalArgumentException("peakGflops = " + peakGflops + ", bandwidthGBs = " + bandwidthGBs
                    + " are not allowed: both roofs must be measured (above 0)");
        }
        points = List.copyOf(points);
    }

    /**
     * The single-layer results placed under the machine's roofs; networks (whose intermediate maps move too) and
     * cases without multiply-adds (the shuffle: no FLOPs to place on a log scale) are left out.
     */
    public static Roofline of(List<BenchSuite.Result> results, Machine machine, double bandwidthGBs) {
        Check.notNull("results", results);
        Check.notNull("machine", machine);
        List<Point> ps = new ArrayList<>();
        for (BenchSuite.Result r : results) {
            if (r.macs() == 0 || r.kind().equals("network") || r.kind().equals("matmul")) {
                continue;
            }
            BenchSuite.Case c = BenchSuite.named(r.name());
            ps.add(new Point(r.name(), r.kind(), 2.0 * c.macs() / c.bytes(), r.gflops()));
        }
        return new Roofline(machine.peakGflops(), bandwidthGBs, ps);
    }

    /** The roof at intensity {@code flopsPerByte}: what no layer of that intensity can beat here. */
    public double roof(double flopsPerByte) {
        return Math.min(peakGflops, bandwidthGBs * flopsPerByte);
    }

    /** The intensity where the roofs meet: below it memory limits, above it arithmetic. */
    public double ridge() {
        return peakGflops / bandwidthGBs;
    }

    /** The share of its roof a point reached (1 = on the roof). */
    public double shareOfRoof(Point p) {
        return p.gflops() / roof(p.flopsPerByte());
    }

    /** Whether memory, not arithmetic, sets a point's roof. */
    public boolean memoryBound(Point p) {
        return p.flopsPerByte() < ridge();
    }
}

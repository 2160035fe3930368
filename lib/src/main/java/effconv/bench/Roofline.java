package effconv.bench;

import effconv.layers.Check;
import effconv.layers.Format;
import java.util.ArrayList;
import java.util.List;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

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
     * and weights once each, 4 bytes a float), its achieved GFLOP/s, and whether its timing can be trusted (a
     * flagged one is shown as flagged, never as an ordinary point).
     */
    public record Point(String name, String kind, double flopsPerByte, double gflops, boolean trusted) {
        public Point(String name, String kind, double flopsPerByte, double gflops) {
            this(name, kind, flopsPerByte, gflops, true);
        }
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
        java.util.Map<String, BenchSuite.Case> cases = new java.util.HashMap<>();
        BenchSuite.cases().forEach(c -> cases.put(c.name(), c));
        for (BenchSuite.Result r : results) {
            if (r.macs() == 0 || r.kind().equals("network") || r.kind().equals("matmul")) {
                continue;
            }
            BenchSuite.Case c = cases.computeIfAbsent(r.name(), BenchSuite::named); // named: the extra cases, or one clear refusal
            ps.add(new Point(r.name(), r.kind(), 2.0 * c.macs() / c.bytes(), r.gflops(), r.timing().trusted()));
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

    /**
     * The points as a table, most intense first: FLOPs per byte, achieved and roof GFLOP/s, share, which roof, and
     * whether the timing behind it was flagged.
     */
    public Table table() {
        StringColumn name = StringColumn.create("case"), bound = StringColumn.create("its roof is set by"),
                check = StringColumn.create("check");
        DoubleColumn intensity = DoubleColumn.create("FLOPs per byte"), rate = DoubleColumn.create("GFLOP/s"),
                roof = DoubleColumn.create("roof GFLOP/s"), share = DoubleColumn.create("% of roof");
        points.stream().sorted((a, b) -> Double.compare(b.flopsPerByte(), a.flopsPerByte())).forEach(p -> {
            name.append(p.name());
            intensity.append(Format.round(p.flopsPerByte(), 1));
            rate.append(Format.round(p.gflops(), 1));
            roof.append(Format.round(roof(p.flopsPerByte()), 0));
            share.append(Format.round(100 * shareOfRoof(p), 1));
            bound.append(memoryBound(p) ? "memory" : "arithmetic");
            check.append(p.trusted() ? "ok" : Bench.FLAGGED);
        });
        return Table.create("Each case under its roof (this machine, this run)")
                .addColumns(name, intensity, rate, roof, share, bound, check);
    }

    /** Each point's share of the roof above it and which roof that is, in one line (the lesson's computed sentence). */
    public String shares() {
        StringBuilder s = new StringBuilder();
        for (Point p : points) {
            if (s.length() > 0) s.append("; ");
            s.append(String.format("%s %.0f%% of its %s roof%s", p.name(), 100 * shareOfRoof(p),
                    memoryBound(p) ? "memory" : "arithmetic", p.trusted() ? "" : " (" + Bench.FLAGGED + ")"));
        }
        return s.toString();
    }
}

package effconv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** A timing says when it cannot be trusted; the machine's peak is measured and explained. */
class BenchTest {

    private static double[] sorted(double... t) {
        double[] c = t.clone();
        Arrays.sort(c);
        return c;
    }

    @Test
    void runsOnSeveralMultiplesOfTheTickAreAStarvedProcess() {
        // lesson 9's saved matmul: medians and percentiles at 32, 36, 40 ms
        assertTrue(Bench.onTicks(sorted(32.03, 35.98, 36.0, 39.97, 40.0, 44.01, 31.99, 36.02)));
        // a real layer: its runs cluster around one value, even one that happens to be a multiple of 4 ms
        assertFalse(Bench.onTicks(sorted(7.99, 8.01, 8.0, 8.02, 7.98, 8.0)));
        assertFalse(Bench.onTicks(sorted(7.2, 7.3, 7.25, 7.31, 7.22, 7.28)));
        // below one tick there is nothing to quantise
        assertFalse(Bench.onTicks(sorted(0.2, 0.21, 0.2, 0.22, 0.2)));
    }

    @Test
    void eachSignOfABadMeasurementIsNamed() {
        double[] quiet = sorted(1.0, 1.01, 1.02, 0.99, 1.0, 1.03, 1.0, 1.01, 1.0, 1.02, 1.01);
        assertEquals(List.of(), Bench.doubts(quiet, 0.05, 1.05, 0.5));
        assertTrue(Bench.doubts(quiet, 1.2, 1.0, 0.5).get(0).contains("other processes used 1.2 CPUs"));
        assertTrue(Bench.doubts(quiet, 0, 2.5, 0.5).get(0).contains("calibration kernel ran 2.5× slower"));
        double[] wide = sorted(1, 1, 1, 1, 1, 3, 3, 3, 3, 3, 3);
        // a few stalled runs move p90, not the middle half: no doubt
        assertEquals(List.of(), Bench.doubts(sorted(1, 1, 1.01, 1.02, 1, 1, 1.01, 1, 1, 5, 5), 0, 1, 0.5));
        assertTrue(Bench.doubts(wide, 0, 1, 0.5).get(0).startsWith("spread too wide"));
        List<String> few = Bench.doubts(sorted(10, 10.1, 10.2, 10.1, 10.0), 0, 1, 0.01);
        assertTrue(few.get(0).startsWith("only 5 runs"), few.toString());
        assertTrue(few.get(0).contains("0.20 s"), few.toString()); // 2 × 10 runs of 10 ms
    }

    @Test
    void aBudgetTooShortForAMedianIsRefusedInOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Bench.time("x", () -> { }, 0, 0.001));
        assertTrue(e.getMessage().startsWith("warmupSeconds = 0.0, measureSeconds = 0.001 are not allowed"), e.getMessage());
        assertTrue(e.getMessage().contains("no stable median"), e.getMessage());
    }

    /** Two programs spinning beside the measurement: the timing is labelled, not kept as the layer's. */
    @Test
    void aTimingTakenBesideTwoBusyProgramsIsLabelled() throws Exception {
        Calibration.bestMs(); // the quiet best first, as a lesson's first timing establishes it
        List<Process> burners = burners(2);
        try {
            Thread.sleep(300);
            Bench.Timing t = Bench.measure("busy", () -> Calibration.read(1), 0.05, 0.3);
            assertFalse(t.trusted(), t::toString);
            assertTrue(t.otherCpus() > 0.5, t::toString); // the burners share the CPUs with this process's threads
            assertTrue(t.toString().contains("NOT TRUSTED"), t::toString);
        } finally {
            burners.forEach(Process::destroyForcibly);
        }
    }

    @Test
    void loadCountsOtherProcessesNotThisOne() throws Exception {
        Load idleStart = Load.now();
        Thread.sleep(400);
        double idle = Load.now().otherCpus(idleStart); // whatever else runs on this machine now
        Load start = Load.now();
        long end = System.nanoTime() + 400_000_000L;
        double x = 0;
        while (System.nanoTime() < end) { // this process busy on one CPU
            x += Math.sqrt(x + 1);
        }
        double own = Load.now().otherCpus(start);
        assertTrue(own < idle + 0.5, "this process's own work counted as other processes': " + own + " (idle "
                + idle + ") " + x);
        List<Process> burners = burners(1);
        try {
            Thread.sleep(200);
            Load s = Load.now();
            Thread.sleep(500);
            double other = Load.now().otherCpus(s);
            assertTrue(other > 0.6, "a spinning program beside it was not seen: " + other);
        } finally {
            burners.forEach(Process::destroyForcibly);
        }
    }

    static List<Process> burners(int n) throws java.io.IOException {
        List<Process> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ps.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
        }
        return ps;
    }

    @Test
    void theDatapathFollowsTheCore() {
        String avx512 = "fpu fma avx avx2 avx512f avx512bw";
        assertEquals(32, Machine.Datapath.of("AuthenticAMD", 0x19, 0x11, avx512).flopsPerCycle()); // Zen 4
        assertEquals(64, Machine.Datapath.of("AuthenticAMD", 0x1a, 0x02, avx512).flopsPerCycle()); // Zen 5
        assertEquals(32, Machine.Datapath.of("AuthenticAMD", 0x19, 0x01, "fma avx avx2").flopsPerCycle()); // Zen 3
        assertEquals(64, Machine.Datapath.of("GenuineIntel", 6, 0x55, avx512).flopsPerCycle());
        assertEquals(32, Machine.Datapath.of("GenuineIntel", 6, 0x3c, "fma avx avx2").flopsPerCycle());
        assertTrue(Machine.Datapath.of("AuthenticAMD", 0x19, 0x11, avx512).why().contains("two 256-bit halves"));
    }

    @Test
    void thePeakIsMeasuredAndItsClockIsPlausible() {
        Machine m = Machine.here();
        assertTrue(m.measured(), m::toString);
        assertTrue(m.peakGflops() >= m.lowGflops() && m.lowGflops() > 0, m::toString);
        double[] ghz = m.clockRangeGHz();
        // a wrong datapath would put the clock far outside what any CPU runs at
        assertTrue(ghz[1] > 0.8 && ghz[1] < 6.5, m::toString);
        assertTrue(m.brief().contains("measured FMA peak"), m::brief);
    }

    @Test
    void aRateAboveThePeakNamesWhatIsWrong() {
        Machine.Datapath d = Machine.Datapath.of("AuthenticAMD", 0x1a, 2, "fma avx512f");
        Machine steady = new Machine("test", d, 2, 400, 380, "");
        Bench.Timing good = new Bench.Timing("x", 1, 0.99, 1.01, 50, 0, 1, List.of());
        Bench.Timing bad = new Bench.Timing("x", 1, 0.99, 1.01, 50, 1.5, 1, List.of("other processes used 1.5 CPUs"));
        assertNull(steady.rateProblem(399, good));
        // a hand-scheduled kernel a few percent above the Vector API loop's best trial runs at the peak: no doubt
        assertNull(steady.rateProblem(420, good));
        assertTrue(steady.rateProblem(500, bad).contains("the timing is wrong"));
        assertTrue(steady.rateProblem(500, good).contains("the count is wrong"));
        assertTrue(new Machine("test", d, 2, 400, 200, "").rateProblem(500, good).contains("the peak is wrong"));
        // measured twice, once in a slow phase: the better peak counts, and the spread shows the slow phase
        Machine slow = new Machine("test", d, 2, 300, 290, "");
        assertEquals(400, slow.with(steady).peakGflops());
        assertEquals(290, steady.with(slow).lowGflops());
        assertNull(slow.with(steady).rateProblem(420, good));
        assertTrue(slow.rateProblem(420, good).contains("slow phase"));
    }

    @Test
    void theRooflinePlacesSingleLayersUnderTheMeasuredRoofs() {
        Machine m = new Machine("test", Machine.Datapath.of("AuthenticAMD", 0x1a, 2, "fma avx512f"), 2, 400, 390, "");
        List<BenchSuite.Result> rs = new ArrayList<>();
        for (String n : List.of("depthwise K=3", "standard K=3", "shuffle g=3", "mobilenet-v1")) {
            BenchSuite.Case c = BenchSuite.named(n);
            rs.add(new BenchSuite.Result(n, c.kind(), c.macs(), new Bench.Timing(n, 1, 1, 1, 50)));
        }
        Roofline r = Roofline.of(rs, m, 40);
        assertEquals(List.of("depthwise K=3", "standard K=3"), r.points().stream().map(Roofline.Point::name).toList());
        Roofline.Point dw = r.points().get(0);
        // 202,500 MACs over 4 × (100·17² in + 100·15² out + 900 weights) bytes
        assertEquals(2.0 * 202_500 / (4.0 * (28_900 + 22_500 + 900)), dw.flopsPerByte(), 1e-12);
        assertTrue(r.memoryBound(dw));
        assertFalse(r.memoryBound(r.points().get(1)));
        assertEquals(10, r.ridge(), 1e-12);
        assertEquals(400, r.roof(1000), 1e-12);
        assertEquals(dw.gflops() / (40 * dw.flopsPerByte()), r.shareOfRoof(dw), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new Roofline(400, Double.NaN, List.of()));
    }

    @Test
    void bandwidthIsMeasured() {
        double gbs = Bandwidth.copyGBs(1, 2, 1 << 20);
        assertTrue(gbs > 1 && gbs < 2000, "copy bandwidth " + gbs + " GB/s");
        assertThrows(IllegalArgumentException.class, () -> Bandwidth.copyGBs(0, 1));
    }

    /** A measurement with a calibration reading and other processes' CPUs, for the retry rule. */
    private static Bench.Timing taken(double medianMs, double calibration, double otherCpus) {
        return new Bench.Timing("x", medianMs, medianMs, medianMs, 50, otherCpus, calibration, List.of());
    }

    @Test
    void aBusyMeasurementIsTakenAgainAndTheCalmestKept() {
        // calm at once: measured once
        java.util.Iterator<Bench.Timing> calm = List.of(taken(2, 1.1, 0), taken(1, 1.0, 0)).iterator();
        Bench.Timing once = Bench.untilCalm(calm::next, 3);
        assertEquals(1, once.attempts());
        assertEquals(2, once.medianMs());
        // busy (slow calibration, then other processes), then calm: the calm one, after three attempts
        java.util.Iterator<Bench.Timing> later = List.of(taken(1, 2.0, 0), taken(1.5, 1.1, 0.9), taken(3, 1.2, 0))
                .iterator();
        Bench.Timing third = Bench.untilCalm(later::next, 3);
        assertEquals(3, third.attempts());
        assertEquals(3, third.medianMs());
        assertFalse(third.busy());
        // busy every time: the lowest calibration reading, whatever the case's own time, and no more than allowed
        java.util.Iterator<Bench.Timing> busy = List.of(taken(1, 2.5, 0), taken(9, 1.8, 0), taken(2, 2.1, 0),
                taken(1, 1.0, 0)).iterator();
        Bench.Timing calmest = Bench.untilCalm(busy::next, 3);
        assertEquals(3, calmest.attempts());
        assertEquals(9, calmest.medianMs());
        assertTrue(calmest.busy());
        assertTrue(busy.hasNext());
    }
}

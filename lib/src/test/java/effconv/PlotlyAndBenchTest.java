package effconv;

import effconv.bench.BenchSuite;
import effconv.models.Models;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The benchmark's bookkeeping (never its times). */
class PlotlyAndBenchTest {

    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void suiteHasTheIssuesCasesWithUniqueNamesAndExactCounts() {
        List<BenchSuite.Case> cases = BenchSuite.cases();
        assertEquals(cases.size(), new HashSet<>(cases.stream().map(BenchSuite.Case::name).toList()).size());
        assertEquals(900_000L * 15 * 15, BenchSuite.named("standard K=3").macs());
        assertEquals(4_900_000L * 11 * 11, BenchSuite.named("standard K=7").macs());
        for (int g : BenchSuite.GROUPS) {
            assertEquals(256L * (96 / g) * 25 * 27 * 27, BenchSuite.named("grouped g=" + g).macs());
        }
        assertEquals(0, BenchSuite.named("shuffle g=3").macs());
        assertEquals(Models.mobilenetV1(1.0, 224).macs(), BenchSuite.named("mobilenet-v1").macs());
        assertThrows(IllegalArgumentException.class, () -> BenchSuite.named("standard K=5"));
    }

    @Test
    void resultsAsJsonForScripts() throws Exception {
        BenchSuite.Result r = BenchSuite.run(BenchSuite.named("shuffle g=3"), 0, 0.01);
        JsonNode list = JSON.readTree(BenchSuite.toJson(List.of(r), List.of(), null, java.util.Map.of(), Double.NaN));
        JsonNode one = list.get(0);
        assertEquals("shuffle g=3", one.get("name").asText());
        assertEquals(0, one.get("macs").asLong());
        assertTrue(one.get("p10_ms").asDouble() <= one.get("median_ms").asDouble());
        assertTrue(one.get("median_ms").asDouble() <= one.get("p90_ms").asDouble());
        assertEquals(List.of("name", "path", "macs", "median_ms", "p10_ms", "p90_ms", "check", "attempts"),
                iterable(one.fieldNames()));
        // a lesson's run measures once; ./course bench's may measure again (Bench.timeCalm)
        assertEquals(1, one.get("attempts").asInt());
    }

    @Test
    void benchCommandPrintsJsonAndRefusesBadArguments() throws Exception {
        var out = new java.io.ByteArrayOutputStream();
        var err = new java.io.ByteArrayOutputStream();
        int rc = effconv.cli.BenchCommand.run(new String[] {"--quick", "--json", "--only", "shuffle g=3"},
                new java.io.PrintStream(out, true, "UTF-8"), new java.io.PrintStream(err, true, "UTF-8"));
        assertEquals(0, rc, err.toString("UTF-8"));
        JsonNode list = JSON.readTree(out.toString("UTF-8"));
        assertEquals("matmul 1024", list.get(0).get("name").asText());
        assertEquals(1L << 30, list.get(0).get("macs").asLong());
        assertEquals("shuffle g=3", list.get(1).get("name").asText());

        err.reset();
        out.reset();
        rc = effconv.cli.BenchCommand.run(new String[] {"--quick", "--json", "--only", "train step shufflenet-tiny g=4",
                "--only", "train step alexnet-tiny g=4"},
                new java.io.PrintStream(out, true, "UTF-8"), new java.io.PrintStream(err, true, "UTF-8"));
        assertEquals(0, rc, err.toString("UTF-8"));
        JsonNode training = JSON.readTree(out.toString("UTF-8"));
        assertEquals("train step shufflenet-tiny g=4", training.get(1).get("name").asText());
        assertEquals(628_944L * 64, training.get(1).get("macs").asLong()); // the forward MACs of a batch of 64
        assertEquals("train step alexnet-tiny g=4", training.get(2).get("name").asText());
        assertEquals(effconv.train.TinyNet.alexNet(4).model().macs() * 64, training.get(2).get("macs").asLong());
        rc = effconv.cli.BenchCommand.run(new String[] {"--only", "nope"}, new java.io.PrintStream(out, true, "UTF-8"),
                new java.io.PrintStream(err, true, "UTF-8"));
        assertEquals(2, rc);
        assertTrue(err.toString("UTF-8").startsWith("bench: --only nope is not allowed"), err.toString("UTF-8"));
        assertEquals(1, err.toString("UTF-8").strip().lines().count(), err.toString("UTF-8"));
        for (String[] bad : new String[][] {{"--fast"}, {"--only"}, {"--quick", "extra"}}) {
            err.reset();
            rc = effconv.cli.BenchCommand.run(bad, new java.io.PrintStream(out, true, "UTF-8"),
                    new java.io.PrintStream(err, true, "UTF-8"));
            assertEquals(2, rc, String.join(" ", bad));
            String e = err.toString("UTF-8");
            assertTrue(e.startsWith("bench: " + bad[bad.length - 1] + " ") && e.strip().lines().count() == 1, e);
        }
        // the usage is the Java command's own (the course script passes --help on): all flags, exit 0
        out.reset();
        err.reset();
        rc = effconv.cli.BenchCommand.run(new String[] {"--help"}, new java.io.PrintStream(out, true, "UTF-8"),
                new java.io.PrintStream(err, true, "UTF-8"));
        assertEquals(0, rc, err.toString("UTF-8"));
        String help = out.toString("UTF-8");
        for (String flag : List.of("--quick", "--only", "--json", "--no-torch", "--out", "--help")) {
            assertTrue(help.contains(flag), help);
        }
        assertEquals("", err.toString("UTF-8"));
    }

    static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}

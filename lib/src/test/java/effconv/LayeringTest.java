package effconv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The library's dependencies flow one way (ARCHITECTURE.md): a package may use only packages of a lower rank. Read
 * from the sources' imports and qualified names, so a spec that starts to import ND4J's runner, a table or a chart
 * fails here.
 */
class LayeringTest {

    /** Rank of each package; equal ranks are siblings that must not use each other. */
    static final Map<String, Integer> RANK = Map.ofEntries(
            Map.entry("layers", 0), Map.entry("models", 1), Map.entry("lower", 1), Map.entry("report", 2),
            Map.entry("runtime", 2), Map.entry("nd", 3), Map.entry("fused", 3), Map.entry("train", 3),
            Map.entry("experiments", 4), Map.entry("bench", 5),
            Map.entry("plot", 6), Map.entry("exercise", 6), Map.entry("lessons", 7),
            Map.entry("jupyter", 7), Map.entry("cli", 7));

    /** Libraries a package may not touch, whatever its rank. */
    static final Map<String, List<String>> FORBIDDEN = Map.of(
            "layers", List.of("org.nd4j", "tech.tablesaw", "com.fasterxml", "org.bytedeco", "picocli"),
            "models", List.of("org.nd4j", "tech.tablesaw", "com.fasterxml", "org.bytedeco", "picocli"),
            "lower", List.of("org.nd4j", "tech.tablesaw", "com.fasterxml", "org.bytedeco", "picocli"),
            "report", List.of("org.nd4j", "org.bytedeco", "picocli"),
            "runtime", List.of("tech.tablesaw", "com.fasterxml", "picocli"));

    private static final Path MAIN = Path.of("src", "main", "java", "effconv");
    private static final Pattern USE = Pattern.compile("\\b(effconv\\.(\\w+)\\.[A-Z]\\w*|(?:org\\.nd4j|tech\\.tablesaw"
            + "|com\\.fasterxml|org\\.bytedeco|picocli)\\b)");

    @Test
    void dependenciesFlowOneWay() throws IOException {
        List<String> breaks = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(MAIN)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).toList();
        }
        assertTrue(files.size() > 50, "found the sources: " + files.size());
        for (Path f : files) {
            Path rel = MAIN.relativize(f);
            if (rel.getNameCount() < 2) {
                breaks.add(rel + ": in no package — put it where it belongs (" + RANK.keySet() + ")");
                continue;
            }
            String own = rel.getName(0).toString();
            Integer ownRank = RANK.get(own);
            if (ownRank == null) {
                breaks.add(rel + ": package effconv." + own + " has no rank here — put it where it belongs ("
                        + RANK.keySet() + ") or give it one");
                continue;
            }
            Matcher m = USE.matcher(code(Files.readString(f)));
            while (m.find()) {
                String used = m.group(2);
                if (used == null) {
                    String lib = m.group(1);
                    if (FORBIDDEN.getOrDefault(own, List.of()).stream().anyMatch(lib::startsWith)) {
                        breaks.add(rel + " uses " + lib);
                    }
                } else if (!used.equals(own)) {
                    Integer usedRank = RANK.get(used);
                    if (usedRank == null || usedRank >= ownRank) {
                        breaks.add(rel + " (" + own + ", rank " + ownRank + ") uses " + m.group(1) + " (rank "
                                + usedRank + ")");
                    }
                }
            }
        }
        assertEquals(List.of(), breaks.stream().distinct().toList());
    }

    /** The source without comments and string literals, which may name anything. */
    static String code(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ")
                .replaceAll("\"(?:\\\\.|[^\"\\\\\\n])*\"", "\"\"");
    }

    @Test
    void theCheckSeesABreak() {
        String spec = "package effconv.layers;\nimport effconv.nd.NdLayer; // a spec that runs itself\n";
        Matcher m = USE.matcher(code(spec));
        assertTrue(m.find() && "nd".equals(m.group(2)));
        assertTrue(!USE.matcher(code("/** see {@link effconv.nd.NdLayer} */ class A {}")).find());
    }
}

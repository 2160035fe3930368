package effconv.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Javadoc comments of the helper's classes and methods, read from its sources ($EFFCONV_HOME/lib/src/main/java):
 * JShell has the JDK's Javadoc (src.zip) but not the helper's.
 */
final class HelperDocs {
    private static final Pattern METHOD = Pattern.compile("(?:^|[\\s.])(\\w+)\\.(\\w+)\\(([^)]*)\\)\\s*$");
    private static final Pattern TYPE = Pattern.compile("^(?:[\\w.]*\\.)?(\\w+)$");
    private static final Pattern COMMENT_THEN_DECL = Pattern.compile(
            "/\\*\\*((?:(?!\\*/).)*)\\*/\\s*((?:@\\w+\\s*)*[^;{=/]*?)(?=[{;=])", Pattern.DOTALL);
    private final Path sources;
    private final Map<String, String> files = new HashMap<>();

    /** Reads the sources under {@code sources}; null: no sources, every lookup finds nothing. */
    HelperDocs(Path sources) {
        this.sources = sources;
    }

    /** The helper's sources of the course in {@code home} ($EFFCONV_HOME), or none if home is null. */
    static HelperDocs of(String home) {
        return new HelperDocs(home == null ? null : Path.of(home, "lib", "src", "main", "java"));
    }

    /**
     * The Javadoc of a signature as JShell prints it ("Model Models.mobilenetV1(double alpha, int resolution)",
     * "effconv.report.Summary"), or null.
     */
    String find(String signature) {
        Matcher m = METHOD.matcher(signature);
        Matcher t = TYPE.matcher(signature.strip());
        String type = m.find() ? m.group(1) : t.matches() ? t.group(1) : null;
        String source = type == null ? null : source(type);
        if (source == null) {
            return null;
        }
        Matcher c = COMMENT_THEN_DECL.matcher(source);
        while (c.find()) {
            String decl = c.group(2).replaceAll("\\s+", " ").strip();
            boolean match = m.find(0)
                    ? decl.matches(".*\\b" + Pattern.quote(m.group(2)) + "\\s*\\(.*")
                        && paramNames(decl.substring(decl.indexOf('(') + 1)).equals(paramNames(m.group(3)))
                    : decl.matches(".*\\b(class|interface|record|enum)\\s+" + Pattern.quote(type) + "\\b.*");
            if (match) {
                return clean(c.group(1));
            }
        }
        return null;
    }

    private String source(String type) {
        if (sources == null) {
            return null;
        }
        return files.computeIfAbsent(type, k -> {
            try (var walk = Files.walk(sources)) {
                Path p = walk.filter(f -> f.getFileName().toString().equals(k + ".java")).findFirst().orElse(null);
                return p == null ? null : Files.readString(p);
            } catch (Exception e) {
                return null;
            }
        });
    }

    /** "double alpha, int resolution)" -> [alpha, resolution] */
    static List<String> paramNames(String params) {
        int close = params.indexOf(')');
        String list = (close >= 0 ? params.substring(0, close) : params).replaceAll("<[^>]*>", "").strip();
        List<String> names = new ArrayList<>();
        if (!list.isEmpty()) {
            for (String p : list.split(",")) {
                String[] words = p.strip().split("[\\s.]+");
                names.add(words[words.length - 1]);
            }
        }
        return names;
    }

    private static String clean(String comment) {
        String text = comment.lines().map(l -> l.replaceFirst("^\\s*\\*\\s?", "")).collect(Collectors.joining("\n"));
        return text.replaceAll("\\{@(?:code|link|linkplain|literal) ([^}]*)}", "$1").strip();
    }
}

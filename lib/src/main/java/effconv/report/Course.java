package effconv.report;

import effconv.layers.Check;
import java.nio.file.Files;
import java.nio.file.Path;

import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/** Where the course lives on disk, and its published figures in {@code data/}. */
public final class Course {
    private Course() {
    }

    /**
     * The course's top folder: {@code EFFCONV_HOME} (set by the course kernel), else the first folder upwards
     * from the working directory that has a {@code data/} folder and a {@code course} script.
     */
    public static Path home() {
        String env = System.getenv("EFFCONV_HOME");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("data")) && Files.exists(p.resolve("course"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the course folder: set EFFCONV_HOME or run inside it");
    }

    /**
     * A published-figures file from {@code data/} as a table. Every column is read as text, so a figure keeps
     * exactly the digits the source printed ("0.11", "900,000").
     */
    public static Table data(String file) {
        Check.notNull("file", file);
        Path p = home().resolve("data").resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("file = \"" + file + "\" is not allowed: there is no " + p);
        }
        try {
            Table header = Table.read().csv(CsvReadOptions.builder(p.toFile()).sample(false).build());
            ColumnType[] text = new ColumnType[header.columnCount()];
            java.util.Arrays.fill(text, ColumnType.STRING);
            return Table.read().csv(CsvReadOptions.builder(p.toFile()).columnTypes(text).tableName(file).build());
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot read " + p + ": " + e.getMessage(), e);
        }
    }
}

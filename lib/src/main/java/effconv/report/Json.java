package effconv.report;

import java.util.Locale;

/** The little JSON the course writes (plotly figures, benchmark results): strings and numbers, escaped. */
public final class Json {
    private Json() {
    }

    /** A JSON string; also safe inside an HTML script element ({@code </} is written {@code <\/}). */
    public static String string(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '/' -> b.append(i > 0 && s.charAt(i - 1) == '<' ? "\\/" : "/");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    public static String strings(String[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            b.append(i == 0 ? "" : ",").append(string(values[i]));
        }
        return b.append(']').toString();
    }

    /** Numbers as JSON; NaN and infinities (a log axis's zero, a missing value) become null, a gap. */
    public static String numbers(double[] values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            b.append(i == 0 ? "" : ",");
            if (Double.isFinite(v)) {
                b.append(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v));
            } else {
                b.append("null");
            }
        }
        return b.append(']').toString();
    }
}

package effconv.exercise;

import effconv.layers.Format;

import java.util.Locale;
import java.util.Objects;

/**
 * One checkable answer: the value the library computes, how close an answer must come, what answers make sense at
 * all, and a hint for a wrong one. {@link #check} never throws and never prints the expected value unless the
 * answer is right, so a check cell can stay in a lesson with the student's placeholder in it.
 *
 * @param question  what is asked, in a few words (echoed in every verdict)
 * @param expected  a {@link Long} (a count: the answer must be exact), a {@link Double} (a measure: within
 *                  {@code tolerance}) or a {@link String} (a name: compared ignoring case and spaces around it)
 * @param tolerance for a Double, the largest allowed |answer − expected|; ignored otherwise
 * @param allowed   the range a sensible answer lies in (a count is not negative, a fraction lies in [0, 1])
 * @param hint      how to get there, without the value
 */
public record Exercise(String question, Object expected, double tolerance, Range allowed, String hint) {

    /** The answers that make sense for a question, whatever its value. */
    public enum Range {
        COUNT("a whole number, 0 or more", 0, Double.POSITIVE_INFINITY, true),
        POSITIVE("a number above 0", Double.MIN_VALUE, Double.POSITIVE_INFINITY, false),
        PERCENT("a percentage from 0 to 100", 0, 100, false),
        FRACTION("a fraction from 0 to 1", 0, 1, false),
        NAME("a name, in quotes", 0, 0, false);

        private final String says;
        private final double min, max;
        private final boolean whole;

        Range(String says, double min, double max, boolean whole) {
            this.says = says;
            this.min = min;
            this.max = max;
            this.whole = whole;
        }
    }

    /** What a check says: right or not, in one line. */
    public record Verdict(boolean right, String message) {
        @Override
        public String toString() {
            return message;
        }
    }

    public Exercise {
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(allowed, "allowed");
        Objects.requireNonNull(hint, "hint");
        if (!(expected instanceof Long || expected instanceof Double || expected instanceof String)) {
            throw new IllegalArgumentException("expected = " + expected + " is not allowed: a Long, Double or String");
        }
    }

    static Exercise count(String question, long expected, String hint) {
        return new Exercise(question, expected, 0, Range.COUNT, hint);
    }

    static Exercise measure(String question, double expected, double tolerance, Range allowed, String hint) {
        return new Exercise(question, expected, tolerance, allowed, hint);
    }

    static Exercise name(String question, String expected, String hint) {
        return new Exercise(question, expected, 0, Range.NAME, hint);
    }

    /** Checks an answer: right, not yet (with a direction and the hint), or an answer of the wrong kind. */
    public Verdict check(Object answer) {
        if (answer == null) {
            return wrongKind("answer is missing: give " + allowed.says);
        }
        if (expected instanceof String name) {
            if (!(answer instanceof String s)) {
                return wrongKind("answer = " + answer + " is not allowed: give " + allowed.says);
            }
            if (s.isBlank()) {
                return wrongKind("No answer yet: put a name between the quotes");
            }
            return s.strip().equalsIgnoreCase(name) ? right("\"" + name + "\"")
                    : notYet("\"" + s.strip() + "\" is not it");
        }
        if (!(answer instanceof Number n)) {
            String shown = answer instanceof String ? "\"" + answer + "\" (text)" : answer + " (" + answer.getClass()
                    .getSimpleName() + ")";
            return wrongKind("answer = " + shown + " is not allowed: give " + allowed.says + ", without quotes");
        }
        double v = n.doubleValue();
        if (v == 0 && allowed.min > 0) {   // the check cell's placeholder, untouched
            return wrongKind("No answer yet: put " + allowed.says + " in place of the 0");
        }
        if (!Double.isFinite(v) || v < allowed.min || v > allowed.max || (allowed.whole && v != Math.rint(v))) {
            return wrongKind("answer = " + shown(v) + " is not allowed: " + question + " is " + allowed.says);
        }
        double want = ((Number) expected).doubleValue();
        double off = v - want;
        boolean exact = expected instanceof Long;
        if (exact ? off == 0 : Math.abs(off) <= tolerance) {
            return right(shown(v));
        }
        return notYet(shown(v) + " is too " + (off > 0 ? "high" : "low"));
    }

    private Verdict right(String shown) {
        return new Verdict(true, "✓ Right: " + question + " is " + shown + ".");
    }

    private Verdict notYet(String what) {
        return new Verdict(false, "✗ Not yet: " + what + ". Hint: " + hint);
    }

    private Verdict wrongKind(String message) {
        return new Verdict(false, "✗ " + message + ".");
    }

    private static String shown(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Format.count((long) v)
                : String.format(Locale.ROOT, "%s", Format.significant(v));
    }

    @Override
    public String toString() {
        return "Exercise: " + question + " (" + allowed.says + "; check your answer with .check(answer))";
    }
}

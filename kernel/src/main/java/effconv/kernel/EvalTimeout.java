package effconv.kernel;

import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * JJAVA_TIMEOUT, read as upstream JJava reads it (its distro's {@code JJava.Timeout}, package-private there): a
 * whole number with an optional unit, "30000", "30 seconds", "2minutes"; no unit means milliseconds; unset means
 * no limit (-1). A cell that runs longer is stopped by JJava's evaluator. Kept so that a teacher's JJAVA_TIMEOUT
 * works in the course kernel as it does in JJava's own.
 */
record EvalTimeout(long time, TimeUnit unit) {
    static final String VARIABLE = "JJAVA_TIMEOUT";
    private static final Pattern FORM = Pattern.compile("^(?<dur>-?\\d+)\\W*(?<unit>[A-Za-z]+)?$");

    /** No limit: JJava's default. */
    static final EvalTimeout NONE = new EvalTimeout(-1, TimeUnit.MILLISECONDS);

    /** The timeout the variable's value sets; null or unset: none. Bad values get one line naming the variable. */
    static EvalTimeout parse(String value) {
        if (value == null) {
            return NONE;
        }
        Matcher m = FORM.matcher(value);
        if (!m.matches()) {
            throw new IllegalArgumentException(VARIABLE + " = \"" + value + "\" is not allowed: give a whole number "
                    + "with an optional unit, e.g. 30000 (milliseconds) or \"30 seconds\"");
        }
        long time = Long.parseLong(m.group("dur"));
        if (m.group("unit") == null) {
            return new EvalTimeout(time, TimeUnit.MILLISECONDS);
        }
        try {
            return new EvalTimeout(time, TimeUnit.valueOf(m.group("unit").toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(VARIABLE + " = \"" + value + "\" is not allowed: its unit \""
                    + m.group("unit") + "\" is not one of nanoseconds, microseconds, milliseconds, seconds, minutes, "
                    + "hours, days");
        }
    }
}

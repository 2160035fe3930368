package effconv.layers;

/**
 * Argument checks shared by every public entry point. Each failure is an {@link IllegalArgumentException} whose
 * message names the parameter, the value given and what is allowed, so a student sees what to change.
 */
public final class Check {
    private Check() {
    }

    public static int positive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " = " + value + " is not allowed: it must be at least 1");
        }
        return value;
    }

    public static int nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " = " + value + " is not allowed: it must be 0 or more");
        }
        return value;
    }

    public static int atMost(String name, int value, int max, String why) {
        if (value > max) {
            throw new IllegalArgumentException(
                    name + " = " + value + " is not allowed: it must be at most " + max + " (" + why + ")");
        }
        return value;
    }

    public static void divides(String name, int groups, String what, int count) {
        if (count % groups != 0) {
            throw new IllegalArgumentException(name + " = " + groups + " is not allowed: it must divide " + what
                    + " = " + count + " (allowed: " + divisors(count) + ")");
        }
    }

    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " is null: a value is required");
        }
        return value;
    }

    /**
     * The product of the factors, refused with a message if it does not fit a long (a layer too large to count,
     * such as millions of channels on a huge input), instead of silently wrapping around.
     */
    public static long product(String what, long... factors) {
        long p = 1;
        try {
            for (long f : factors) {
                p = Math.multiplyExact(p, f);
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException(what + " = " + java.util.Arrays.toString(factors)
                    + " is not allowed: the product is too large to count (over 9.2·10^18)");
        }
        return p;
    }

    /** The divisors of n, for error messages ("1, 2, 4, 5, 10, 20, …"). */
    static String divisors(int n) {
        StringBuilder sb = new StringBuilder();
        int shown = 0;
        for (int d = 1; d <= n; d++) {
            if (n % d == 0) {
                if (shown == 12) {
                    sb.append(", …, ").append(n);
                    break;
                }
                if (shown > 0) {
                    sb.append(", ");
                }
                sb.append(d);
                shown++;
            }
        }
        return sb.toString();
    }
}

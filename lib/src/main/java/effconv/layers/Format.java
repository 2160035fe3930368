package effconv.layers;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * How the course prints numbers — the one place for it, so a table's text and HTML views, a summary, a
 * comparison with a paper and a model's name all print a value the same way. It sits with the specs (like
 * {@link Check}, whose messages it shares) because every other package prints numbers.
 */
public final class Format {
    private Format() {
    }

    /** A count with thousands commas, as Python's {@code "{0:,}"}: 1,234,567. */
    public static String count(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** A value as short as it is exact: 1 rather than 1.0, 0.75 as 0.75 (model names: "α = 0.75"). */
    public static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /** Python's {@code "%0.<n>f"}: the exact binary value rounded half-even to n decimals (torchsummary's MB). */
    public static String decimals(double v, int n) {
        return new BigDecimal(v).setScale(n, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** Rounded to n decimals as {@code "%.nf"} rounds (half up), for a figure written to JSON or a table. */
    public static double round(double v, int n) {
        return Double.isFinite(v) ? new BigDecimal(v).setScale(n, RoundingMode.HALF_UP).doubleValue() : v;
    }

    /** Four significant digits, plain notation where that is short: 0.1121, 46.71, 1.2E-7 — a measured value. */
    public static String significant(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return Double.toString(v);
        }
        BigDecimal b = new BigDecimal(v).round(new MathContext(4)).stripTrailingZeros();
        return Math.abs(v) >= 1e-4 && Math.abs(v) < 1e15 ? b.toPlainString() : b.toString();
    }

    /** Scientific notation as a person writes a bound: 1e-6, 2.5e-7 (one or two significant digits, no "+"). */
    public static String scientific(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return Double.toString(v);
        }
        BigDecimal b = new BigDecimal(v).round(new MathContext(2)).stripTrailingZeros();
        int exponent = b.precision() - b.scale() - 1;
        return b.movePointLeft(exponent).toPlainString() + "e" + exponent;
    }

    /**
     * A difference printed exactly: whole numbers with thousands commas ("−10,568"), fractions with the digits
     * they have (up to six decimals, which covers a count in millions to the unit), never rounded to a few
     * significant digits — a difference from a paper must show even when it is tiny.
     */
    public static String exact(double d) {
        BigDecimal b = new BigDecimal(d).setScale(6, RoundingMode.HALF_EVEN).stripTrailingZeros();
        if (b.signum() == 0) {
            return "0";
        }
        String sign = b.signum() < 0 ? "−" : "";
        b = b.abs();
        BigInteger whole = b.toBigInteger();
        String plain = b.toPlainString();
        String frac = b.scale() > 0 ? plain.substring(plain.indexOf('.')) : "";
        return sign + String.format(Locale.ROOT, "%,d", whole) + frac;
    }

    /** {@code v} printed with the decimals, commas and % sign of a published figure ({@code printed}). */
    public static String like(String printed, double v) {
        String digits = printed.replace(",", "").replace("%", "").trim();
        int dot = digits.indexOf('.');
        int decimals = dot < 0 ? 0 : digits.length() - dot - 1;
        String s = decimals(v, decimals);
        if (printed.contains(",")) {
            String[] parts = s.split("\\.");
            s = count(Long.parseLong(parts[0])) + (parts.length > 1 ? "." + parts[1] : "");
        }
        return printed.trim().endsWith("%") ? s + "%" : s;
    }

}

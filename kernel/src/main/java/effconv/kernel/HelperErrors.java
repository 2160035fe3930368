package effconv.kernel;

import jdk.jshell.EvalException;

/**
 * The helper library's own validation errors, shown as their one line: the message names the parameter, its value
 * and what is allowed, and the frames would only show the helper's internals. A bug in a student's own code, or
 * an error from anywhere else, keeps its frames.
 */
final class HelperErrors {
    private HelperErrors() {
    }

    /**
     * "IllegalArgumentException: message" for an IllegalArgumentException thrown by the helper (its top frame in a
     * package effconv.*): thrown in a cell, as JShell reports it (JJava wraps it), or while the kernel rendered the
     * cell's value (a chart refused before it is shown); null for anything else.
     */
    static String oneLine(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EvalException ee) {
                return fromHelper(ee.getExceptionClassName(), ee.getStackTrace())
                        ? "IllegalArgumentException: " + ee.getMessage() : null;
            }
            if (t.getClass() == IllegalArgumentException.class) {
                return fromHelper(IllegalArgumentException.class.getName(), t.getStackTrace())
                        ? "IllegalArgumentException: " + t.getMessage() : null;
            }
        }
        return null;
    }

    private static boolean fromHelper(String exceptionClass, StackTraceElement[] frames) {
        return "java.lang.IllegalArgumentException".equals(exceptionClass) && frames.length > 0
                && frames[0].getClassName().startsWith("effconv.");
    }
}

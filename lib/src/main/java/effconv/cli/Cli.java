package effconv.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.function.UnaryOperator;

import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * How every course command runs on picocli: {@code --help} exits 0; a bad flag or a value the library refuses is
 * one line on standard error, flag as typed first ("train: --groups 5 is not allowed: …"), exit 2; anything else is a
 * bug and keeps its stack trace.
 */
final class Cli {
    private Cli() {
    }

    /**
     * Runs {@code command} (a picocli {@code @Command}) on the arguments. {@code asFlag} rewrites the library's
     * messages ("groups = 5 …") into the flags the user typed ("--groups 5 …").
     */
    static CommandLine prepare(Object command, String name, PrintStream out, PrintStream err,
                               UnaryOperator<String> asFlag) {
        CommandLine cl = new CommandLine(command);
        cl.setExpandAtFiles(false);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, a) -> {
            // a refused value already says what is allowed; a misused command line is pointed to the help
            err.println(name + ": " + (e.getCause() instanceof Refusal r && e.getArgSpec() instanceof OptionSpec o
                    ? o.longestName() + " " + r.value + " is not allowed: " + r.getMessage()
                    : parseError(e, name) + " (see ./course " + name + " --help)"));
            return 2;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof IllegalArgumentException) {
                err.println(name + ": " + asFlag.apply(e.getMessage()));
                return 2;
            }
            throw e;
        });
        return cl;
    }

    /**
     * A value an option's converter refuses: the value (or the part of it at fault) and what is allowed. Picocli
     * knows which flag was being converted, so the message names it: "--in x is not allowed: give a whole number".
     */
    static final class Refusal extends CommandLine.TypeConversionException {
        final String value;

        Refusal(String value, String allowed) {
            super(allowed);
            this.value = value;
        }
    }

    /** Picocli's parse errors, flag and value first. */
    static String parseError(CommandLine.ParameterException e, String name) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            return u.getUnmatched().get(0) + " is not an option of " + name;
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            return o.longestName() + " needs a value";
        }
        if (e instanceof CommandLine.OverwrittenOptionException w && w.getOverwritten() instanceof OptionSpec o) {
            return o.longestName() + " is given twice";
        }
        return e.getMessage().replace("'", "");
    }
}

import effconv.cli.BenchCommand;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * The helper's side of ./course bench's flags, parsed and never run (tools/tests/test_bench.py): for each line of
 * standard input, an argument list separated by tabs, prints "accepted" when BenchCommand's picocli declaration takes
 * it, or "refused: " and picocli's message. Its --help cannot tell: picocli shows the help before it reports a flag it
 * does not know. Run from its source: java @lib/target/helper.args tools/tests/BenchFlags.java
 */
public final class BenchFlags {
    public static void main(String[] unused) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            CommandLine cl = new CommandLine(new BenchCommand());
            cl.setOverwrittenOptionsAllowed(true);  // as BenchCommand.run: the course script adds its own --out
            try {
                cl.parseArgs(line.isEmpty() ? new String[0] : line.split("\t", -1));
                System.out.println("accepted");
            } catch (CommandLine.ParameterException e) {
                System.out.println("refused: " + e.getMessage().replace('\n', ' '));
            }
        }
    }
}

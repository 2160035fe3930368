package effconv.kernel;

import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.kernel.JavaKernel;
import org.dflib.jjava.kernel.JavaKernelBuilder;
import org.dflib.jjava.kernel.execution.CodeEvaluator;
import org.dflib.jjava.kernel.magics.ClasspathMagic;
import org.dflib.jjava.kernel.magics.LoadMagic;
import org.dflib.jjava.kernel.magics.TimeMagic;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The course kernel: JJava's {@code JavaKernel}, started the way JJava's own main does, with the changes a student
 * meets in JupyterLab, each in a class of its own (tools/setup/kernelspec.py builds this module against the jjava.jar
 * the kernel runs, and starts it):
 * <ol>
 * <li>history_request gets an (empty) reply between busy and idle, so JupyterLab shows the kernel "Idle" once it
 *     is ready ({@link KernelStatus});</li>
 * <li>every message carries one kernel session id. JJava copies each request's session into its replies and
 *     status messages, so JupyterLab, which takes the session of the latest message as the kernel's and drops
 *     queued messages of any other session ("Canceling handling of old message"), loses status and output
 *     messages when two clients (the server's own kernel_info nudge, a second tab) talk to the kernel
 *     ({@link OneSession});</li>
 * <li>after a cell fails, execute requests already queued (Run All, Run Selected and All Below) are aborted, as
 *     IPython does when a request asks {@code stop_on_error} (JJava runs them all; {@link AbortAfterError});</li>
 * <li>{@code language_info} is the same on every JDK (JJava reports the running JDK's full build string, so
 *     opening a saved lesson on another JDK marks it modified);</li>
 * <li>the helper library's own validation errors show their one-line message without stack frames
 *     ({@link HelperErrors});</li>
 * <li>Shift+Tab shows the helper's Javadoc too ({@link Inspection}).</li>
 * </ol>
 * Everything else is upstream's, JJAVA_TIMEOUT included ({@link EvalTimeout}).
 */
public final class CourseKernel extends JavaKernel {

    /** The Java language level the lessons are written in (the helper jar is built with --release 17). */
    static final String LANGUAGE_LEVEL = "17";

    private CourseKernel(Builder b, String name, LanguageInfo info, MagicTranspiler transpiler, JShell shell,
                         CodeEvaluator evaluator) {
        super(name, b.version(), info, List.of(), null, b.io(), b.comms(), b.renderer(), b.resolver(transpiler),
                b.registry(), b.extensions(), b.styler(), shell, evaluator);
    }

    /** JJava's JavaKernel.Builder, building this kernel with a stable language_info. */
    static final class Builder extends JavaKernelBuilder<Builder, CourseKernel> {
        @Override
        public CourseKernel build() {
            String name = buildName();
            CodeEvaluator evaluator = buildCodeEvaluator(name);
            JShell shell = buildJShell(evaluator);
            return new CourseKernel(this, name, buildLanguageInfo(), buildMagicTranspiler(), shell, evaluator);
        }

        @Override
        protected LanguageInfo buildLanguageInfo() {
            // JJava reports Runtime.version() ("17.0.15+6-Debian-1deb12u1"): saved in every lesson, it would differ
            // on the next student's JDK; the language level is what the lessons need (the JDK is in the banner)
            return new LanguageInfo.Builder("Java").version(LANGUAGE_LEVEL).mimetype("text/x-java-source")
                    .fileExtension(".jshell").pygments("java").codemirror("java").build();
        }

        String version() { return buildVersion(); }
        org.dflib.jjava.jupyter.kernel.JupyterIO io() { return buildJupyterIO(buildJupyterIOEncoding()); }
        org.dflib.jjava.jupyter.kernel.comm.CommManager comms() { return buildCommManager(); }
        org.dflib.jjava.jupyter.kernel.display.Renderer renderer() { return buildRenderer(); }
        org.dflib.jjava.jupyter.kernel.magic.MagicsResolver resolver(MagicTranspiler t) { return buildMagicsResolver(t); }
        org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry registry() { return buildMagicsRegistry(); }
        boolean extensions() { return buildExtensionsEnabled(); }
        org.dflib.jjava.jupyter.kernel.util.StringStyler styler() { return buildErrorStyler(); }
    }

    @Override
    protected List<String> formatError(Throwable e) {
        String line = HelperErrors.oneLine(e);
        if (line != null) {
            // the message names the parameter, its value and what is allowed; the frames would only show the
            // helper's internals (a bug in a student's own code still gets its frames)
            return List.of(errorStyler.secondary(line));
        }
        return super.formatError(e);
    }

    private final Inspection inspection = new Inspection(this::documentation,
            HelperDocs.of(System.getenv("EFFCONV_HOME")));

    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        return inspection.inspect(code, at);
    }

    /** JShell's documentation of the input at its end, or none (it may not parse a half-typed statement). */
    private List<SourceCodeAnalysis.Documentation> documentation(String input) {
        try {
            List<SourceCodeAnalysis.Documentation> docs =
                    getJShell().sourceCodeAnalysis().documentation(input, input.length(), true);
            return docs == null ? List.of() : docs;
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: CourseKernel CONNECTION_FILE");
        }
        KernelConnectionProperties props = KernelConnectionProperties.parse(Files.readString(Path.of(args[0])));
        CourseConnection connection = new CourseConnection(props);
        // as JJava's own main (org.dflib.jjava.distro.JJava) builds its kernel, without the Maven magics (the
        // course's classpath is fixed) and reading the same JJAVA_* variables through JJava's Env
        Class<?> env = Class.forName("org.dflib.jjava.distro.Env");
        EvalTimeout timeout = EvalTimeout.parse(System.getenv(EvalTimeout.VARIABLE));
        CourseKernel kernel = new Builder()
                .name("JJava")
                .version(jjavaVersion())
                .extensionsEnabled((Boolean) call(env, "extensionsEnabled"))
                .compilerOpts((List<String>) call(env, "compilerOpts"))
                .timeout(timeout.time(), timeout.unit())
                .lineMagic("load", new LoadMagic())
                .lineMagic("classpath", new ClasspathMagic())
                .lineMagic("time", new TimeMagic())
                .cellMagic("time", new TimeMagic())
                .build();
        kernel.onStartup();
        kernel.addToClasspath((String) call(env, "extraClasspath"));
        for (String snippet : (List<String>) call(env, "startupSnippets")) {
            kernel.evalBuilder(snippet).resolveMagics().eval();
        }
        kernel.becomeHandlerForConnection(connection);
        if (kernel.getHistoryManager() == null) {
            connection.answerHistory();
        }
        connection.abortQueuedAfterError();
        connection.connect();
        connection.waitUntilClose();
    }

    private static Object call(Class<?> type, String method) throws ReflectiveOperationException {
        Method m = type.getDeclaredMethod(method);
        m.setAccessible(true);
        return m.invoke(null);
    }

    private static String jjavaVersion() {
        try (var in = JavaKernel.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.dflib.jjava/jjava-distro/pom.properties")) {
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version", "");
        } catch (Exception e) {
            return "";
        }
    }
}

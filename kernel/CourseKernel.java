package effconv.kernel;

import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.SourceCodeAnalysis;
import org.dflib.jjava.kernel.JavaKernel;
import org.dflib.jjava.kernel.JavaKernelBuilder;
import org.dflib.jjava.kernel.execution.CodeEvaluator;
import org.dflib.jjava.kernel.magics.ClasspathMagic;
import org.dflib.jjava.kernel.magics.LoadMagic;
import org.dflib.jjava.kernel.magics.TimeMagic;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.shaded.org.zeromq.ZMQ;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The course kernel: JJava's {@code JavaKernel}, started the way JJava's own main does, with four changes a student
 * meets in JupyterLab (tools/kernelspec.py compiles this file against the pinned jjava.jar and starts it):
 * <ol>
 * <li>history_request gets an (empty) reply between busy and idle, so JupyterLab shows the kernel "Idle" once it
 *     is ready (see main);</li>
 * <li>every message carries one kernel session id. JJava copies each request's session into its replies and
 *     status messages, so JupyterLab, which takes the session of the latest message as the kernel's and drops
 *     queued messages of any other session ("Canceling handling of old message"), loses status and output
 *     messages when two clients (the server's own kernel_info nudge, a second tab) talk to the kernel;</li>
 * <li>after a cell fails, execute requests already queued (Run All, Run Selected and All Below) are aborted, as
 *     IPython does when a request asks {@code stop_on_error} (JJava runs them all);</li>
 * <li>{@code language_info} is the same on every JDK (JJava reports the running JDK's full build string, so
 *     opening a saved lesson on another JDK marks it modified);</li>
 * <li>the helper library's own validation errors show their one-line message without stack frames.</li>
 * </ol>
 */
public final class CourseKernel extends JavaKernel {

    /** The Java language level the lessons are written in (the helper jar is built with --release 17). */
    static final String LANGUAGE_LEVEL = "17";

    /** How long to keep aborting after a failed cell: requests JupyterLab sent together arrive within this. */
    private static final long ABORT_WINDOW_MS = 100;

    private static final Logger LOG = Logger.getLogger("CourseKernel");

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
        String line = helperValidation(e);
        if (line != null) {
            // the message names the parameter, its value and what is allowed; the frames would only show the
            // helper's internals (a bug in a student's own code still gets its frames)
            return List.of(errorStyler.secondary(line));
        }
        return super.formatError(e);
    }

    /** "IllegalArgumentException: message" for an exception from the helper library's own checks (package
     * effconv): thrown in a cell, as JShell reports it (JJava wraps it), or while the kernel rendered the cell's
     * value (a chart refused before it is shown); null for anything else. */
    static String helperValidation(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EvalException) {
                EvalException ee = (EvalException) t;
                StackTraceElement[] frames = ee.getStackTrace();
                return "java.lang.IllegalArgumentException".equals(ee.getExceptionClassName()) && frames.length > 0
                        && frames[0].getClassName().startsWith("effconv.")
                        ? simpleName(ee.getExceptionClassName()) + ": " + ee.getMessage() : null;
            }
            if (t.getClass() == IllegalArgumentException.class) {
                StackTraceElement[] frames = t.getStackTrace();
                return frames.length > 0 && frames[0].getClassName().startsWith("effconv.")
                        ? "IllegalArgumentException: " + t.getMessage() : null;
            }
        }
        return null;
    }

    /**
     * Shift+Tab: the signatures of what is at the cursor — the identifier it is in or after, or the call whose
     * parentheses it is inside (JJava's own inspect finds nothing once "(" is typed) — each with its Javadoc. JShell
     * has the JDK's Javadoc (src.zip) but not the helper's, so that comes from the helper's sources
     * ($EFFCONV_HOME/lib/src/main/java).
     */
    @Override
    public DisplayData inspect(String code, int at, boolean extraDetail) {
        int cursor = docCursor(code, Math.min(at, code.length()));
        if (cursor < 0) {
            return null;
        }
        // the cell up to the cursor; failing that (JShell may not parse a half-typed statement), the dotted name
        // alone ("Models.mobilenetV1"), then as a call
        String before = code.substring(0, cursor);
        String name = dottedName(before.endsWith("(") ? before.substring(0, before.length() - 1) : before);
        List<SourceCodeAnalysis.Documentation> docs = List.of();
        for (String input : List.of(before, name, name + "(")) {
            if (!input.isEmpty() && !input.equals("(")) {
                docs = documentation(input);
                if (!docs.isEmpty()) {
                    break;
                }
            }
        }
        if (docs.isEmpty()) {
            return null;
        }
        StringBuilder text = new StringBuilder();
        StringBuilder html = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            String doc = d.javadoc() != null ? d.javadoc() : helperDocs.find(d.signature());
            if (text.length() > 0) {
                text.append("\n\n");
                html.append("<hr/>");
            }
            text.append(d.signature());
            html.append("<pre>").append(escape(d.signature())).append("</pre>");
            if (doc != null && !doc.isBlank()) {
                text.append('\n').append(doc.strip());
                html.append("<p>").append(escape(doc.strip())).append("</p>");
            }
        }
        DisplayData out = new DisplayData(text.toString());
        out.putHTML(html.toString());
        return out;
    }

    private List<SourceCodeAnalysis.Documentation> documentation(String input) {
        try {
            List<SourceCodeAnalysis.Documentation> docs =
                    getJShell().sourceCodeAnalysis().documentation(input, input.length(), true);
            return docs == null ? List.of() : docs;
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    /** The dotted identifier chain the text ends with: "var m = Models.mobilenetV1" -> "Models.mobilenetV1". */
    static String dottedName(String text) {
        int i = text.length();
        while (i > 0 && (Character.isJavaIdentifierPart(text.charAt(i - 1)) || text.charAt(i - 1) == '.')) {
            i--;
        }
        return text.substring(i);
    }

    /** Where JShell should look: after "(" of the call the cursor is in, or at the end of the identifier the cursor
     * is in or just after (then after its "(" if a call follows); -1 if there is nothing to document. */
    static int docCursor(String code, int at) {
        int end = at;
        while (end < code.length() && Character.isJavaIdentifierPart(code.charAt(end))) {
            end++;
        }
        if (end > 0 && Character.isJavaIdentifierPart(code.charAt(end - 1))) {
            int next = end;
            while (next < code.length() && Character.isWhitespace(code.charAt(next))) {
                next++;
            }
            return next < code.length() && code.charAt(next) == '(' ? next + 1 : end;
        }
        int depth = 0;  // inside a call's arguments: find its unclosed "("
        for (int i = at - 1; i >= 0; i--) {
            char c = code.charAt(i);
            if (c == ')') {
                depth++;
            } else if (c == '(') {
                if (depth == 0) {
                    return i + 1;
                }
                depth--;
            } else if (c == ';' || c == '{' || c == '}') {
                break;
            }
        }
        return -1;
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private final HelperDocs helperDocs = new HelperDocs(System.getenv("EFFCONV_HOME"));

    /** Javadoc comments of the helper's classes and methods, read from its sources. */
    static final class HelperDocs {
        private static final Pattern METHOD = Pattern.compile("(?:^|[\\s.])(\\w+)\\.(\\w+)\\(([^)]*)\\)\\s*$");
        private static final Pattern TYPE = Pattern.compile("^(?:[\\w.]*\\.)?(\\w+)$");
        private static final Pattern COMMENT_THEN_DECL = Pattern.compile(
                "/\\*\\*((?:(?!\\*/).)*)\\*/\\s*((?:@\\w+\\s*)*[^;{=/]*?)(?=[{;=])", Pattern.DOTALL);
        private final Path sources;
        private final Map<String, String> files = new HashMap<>();

        HelperDocs(String home) {
            this.sources = home == null ? null : Path.of(home, "lib", "src", "main", "java");
        }

        /** The Javadoc of a signature as JShell prints it ("Model Models.mobilenetV1(double alpha, int
         * resolution)", "effconv.report.Summary"), or null. */
        String find(String signature) {
            Matcher m = METHOD.matcher(signature);
            Matcher t = TYPE.matcher(signature.strip());
            String type = m.find() ? m.group(1) : t.matches() ? t.group(1) : null;
            String source = type == null ? null : source(type);
            if (source == null) {
                return null;
            }
            Matcher c = COMMENT_THEN_DECL.matcher(source);
            while (c.find()) {
                String decl = c.group(2).replaceAll("\\s+", " ").strip();
                boolean match = m.find(0)
                        ? decl.matches(".*\\b" + Pattern.quote(m.group(2)) + "\\s*\\(.*")
                            && paramNames(decl.substring(decl.indexOf('(') + 1)).equals(paramNames(m.group(3)))
                        : decl.matches(".*\\b(class|interface|record|enum)\\s+" + Pattern.quote(type) + "\\b.*");
                if (match) {
                    return clean(c.group(1));
                }
            }
            return null;
        }

        private String source(String type) {
            if (sources == null) {
                return null;
            }
            return files.computeIfAbsent(type, k -> {
                try (var walk = Files.walk(sources)) {
                    Path p = walk.filter(f -> f.getFileName().toString().equals(k + ".java")).findFirst().orElse(null);
                    return p == null ? null : Files.readString(p);
                } catch (Exception e) {
                    return null;
                }
            });
        }

        /** "double alpha, int resolution)" -> [alpha, resolution] */
        private static List<String> paramNames(String params) {
            int close = params.indexOf(')');
            String list = (close >= 0 ? params.substring(0, close) : params).replaceAll("<[^>]*>", "").strip();
            List<String> names = new ArrayList<>();
            if (!list.isEmpty()) {
                for (String p : list.split(",")) {
                    String[] words = p.strip().split("[\\s.]+");
                    names.add(words[words.length - 1]);
                }
            }
            return names;
        }

        private static String clean(String comment) {
            String text = comment.lines().map(l -> l.replaceFirst("^\\s*\\*\\s?", "")).collect(Collectors.joining("\n"));
            return text.replaceAll("\\{@(?:code|link|linkplain|literal) ([^}]*)}", "$1").strip();
        }
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
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
        CourseKernel kernel = new Builder()
                .name("JJava")
                .version(jjavaVersion())
                .extensionsEnabled((Boolean) call(env, "extensionsEnabled"))
                .compilerOpts((List<String>) call(env, "compilerOpts"))
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
            // JJava keeps no history and then answers history_request with nothing at all, not even busy/idle.
            // JupyterLab asks for history when it opens a notebook, and it ignores the statuses of kernel_info (the
            // server's untracked_message_types), so this idle is the first status it tracks: without it the status
            // bar says "Unknown" until a cell runs
            connection.setHandler(MessageType.HISTORY_REQUEST, (reply, msg) -> {
                reply.setBusyDeferIdle();
                reply.reply(new HistoryReply(List.of()));
            });
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

    /** JJava's connection with one session id for everything the kernel sends, and abort-after-error. */
    static final class CourseConnection extends JupyterConnection {
        private final String session = UUID.randomUUID().toString();
        private volatile boolean aborting;

        CourseConnection(KernelConnectionProperties props) throws Exception {
            super(props);
        }

        @Override
        public void connect() {
            super.connect();
            // JJava's own "starting" has no session (JupyterLab rejects it as invalid); this one has the kernel's
            iopub.sendMessage(new Message<>(new Header<>(session, PublishStatus.MESSAGE_TYPE), PublishStatus.STARTING));
        }

        @Override
        public ShellReplyEnvironment prepareReplyEnv(ShellChannel channel, MessageContext request) {
            return new ShellReplyEnvironment(channel, stdin, iopub, request) {
                // every reply and publication passes here: same message, the kernel's session in its header
                @Override
                public void publish(Message<?> msg) {
                    super.publish(withSession(msg));
                }

                @Override
                public void reply(Message<?> msg) {
                    super.reply(withSession(msg));
                }

                @Override
                public void replyError(MessageType<?> type, ErrorReply error) {
                    if (type == MessageType.EXECUTE_REPLY.error()) {
                        failed(request);
                    }
                    super.replyError(type, error);
                }
            };
        }

        @SuppressWarnings({"rawtypes", "unchecked"})
        private Message<?> withSession(Message<?> m) {
            Header<?> h = m.getHeader();
            Header<?> header = new Header(h.getId(), h.getUsername(), session, h.getTimestamp(), h.getType(),
                    h.getVersion());
            return new Message(m.getIdentities(), header, m.getParentHeader(), m.getMetadata(), m.getContent(),
                    m.getBlobs());
        }

        private void failed(MessageContext request) {
            Object content = request instanceof Message ? ((Message<?>) request).getContent() : null;
            if (content instanceof ExecuteRequest && ((ExecuteRequest) content).shouldStopOnError()) {
                aborting = true;
            }
        }

        /** Wraps JJava's execute handler: after a failed cell, the requests already sent are aborted. */
        void abortQueuedAfterError() {
            ShellHandler<ExecuteRequest> run = getHandler(MessageType.EXECUTE_REQUEST);
            setHandler(MessageType.EXECUTE_REQUEST, (env, msg) -> {
                run.handle(env, msg);
                if (!aborting) {
                    return;
                }
                // what is queued is read before the failed cell's reply and "idle" go out: a request the client
                // sends after seeing them (the next cell a student runs, however fast) is never aborted
                List<Message<?>> queued = readQueued();
                env.resolveDeferrals();  // the error reply and "idle" go out before the aborted replies
                aborting = false;
                answer(queued);
            });
        }

        /** The requests the shell socket holds, and those arriving until it has been quiet for ABORT_WINDOW_MS. */
        private List<Message<?>> readQueued() {
            List<Message<?>> queued = new ArrayList<>();
            long quietSince = System.nanoTime();
            while (System.nanoTime() - quietSince < ABORT_WINDOW_MS * 1_000_000L) {
                if ((shell.getEvents() & ZMQ.Poller.POLLIN) == 0) {
                    sleep(5);
                    continue;
                }
                Message<?> msg = shell.readMessage();
                if (msg == null) {
                    break;
                }
                queued.add(msg);
                quietSince = System.nanoTime();
            }
            return queued;
        }

        /** Execute requests are answered "aborted"; anything else (completion, inspection, kernel_info) is handled as
         * usual, in the order it came. */
        private void answer(List<Message<?>> queued) {
            for (Message<?> msg : queued) {
                ShellReplyEnvironment env = prepareReplyEnv(shell, msg);
                try {
                    if (msg.getHeader().getType() == MessageType.EXECUTE_REQUEST) {
                        env.setBusyDeferIdle();
                        env.reply(new Message<>(msg, abortedType(), new Aborted()));
                    } else {
                        @SuppressWarnings({"rawtypes", "unchecked"})
                        ShellHandler<Object> handler = (ShellHandler) getHandler(msg.getHeader().getType());
                        if (handler != null) {
                            @SuppressWarnings("unchecked")
                            Message<Object> m = (Message<Object>) msg;
                            handler.handle(env, m);
                        }
                    }
                } catch (Throwable e) {
                    LOG.log(Level.WARNING, "while aborting queued requests", e);
                } finally {
                    env.resolveDeferrals();
                }
                if (env.isMarkedForShutdown()) {
                    close();
                    return;
                }
            }
        }

        @SuppressWarnings({"rawtypes", "unchecked"})
        private static MessageType<Aborted> abortedType() {
            return (MessageType) MessageType.EXECUTE_REPLY;
        }

        private static void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** An execute_reply of a request not run because an earlier one failed (Jupyter's "aborted" status). */
    static final class Aborted {
        @SuppressWarnings("unused")
        private final String status = "aborted";
    }
}

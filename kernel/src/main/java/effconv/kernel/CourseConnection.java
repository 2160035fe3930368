package effconv.kernel;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.channels.ShellChannel;
import org.dflib.jjava.jupyter.channels.ShellHandler;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageContext;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.shaded.org.zeromq.ZMQ;

/**
 * JJava's connection, wired to the course's changes: every message it sends carries {@link OneSession}'s id, and
 * after a failed cell the queued cells are aborted ({@link AbortAfterError}).
 */
final class CourseConnection extends JupyterConnection {
    private static final Logger LOG = Logger.getLogger("CourseKernel");

    private final OneSession session = new OneSession();
    private final AbortAfterError abort = new AbortAfterError();

    CourseConnection(KernelConnectionProperties props) throws Exception {
        super(props);
    }

    @Override
    public void connect() {
        super.connect();
        iopub.sendMessage(session.starting());
    }

    @Override
    public ShellReplyEnvironment prepareReplyEnv(ShellChannel channel, MessageContext request) {
        return new ShellReplyEnvironment(channel, stdin, iopub, request) {
            // every reply and publication passes here: the same message, the kernel's session in its header
            @Override
            public void publish(Message<?> msg) {
                super.publish(session.stamp(msg));
            }

            @Override
            public void reply(Message<?> msg) {
                super.reply(session.stamp(msg));
            }

            @Override
            public void replyError(MessageType<?> type, ErrorReply error) {
                if (type == MessageType.EXECUTE_REPLY.error()) {
                    abort.failed(request instanceof Message<?> m ? m.getContent() : null);
                }
                super.replyError(type, error);
            }
        };
    }

    /** Answers history_request (see {@link KernelStatus}). */
    void answerHistory() {
        setHandler(MessageType.HISTORY_REQUEST, (reply, msg) -> KernelStatus.answerHistory(reply));
    }

    /** Wraps JJava's execute handler: after a failed cell, the requests already sent are aborted. */
    void abortQueuedAfterError() {
        ShellHandler<ExecuteRequest> run = getHandler(MessageType.EXECUTE_REQUEST);
        setHandler(MessageType.EXECUTE_REQUEST, (env, msg) -> {
            run.handle(env, msg);
            if (!abort.aborting()) {
                return;
            }
            List<Message<?>> queued = abort.drain(new AbortAfterError.Queue() {
                @Override
                public boolean ready() {
                    return (shell.getEvents() & ZMQ.Poller.POLLIN) != 0;
                }

                @Override
                public Message<?> read() {
                    return shell.readMessage();
                }
            }, System::nanoTime, () -> sleep(5));
            env.resolveDeferrals();  // the error reply and "idle" go out before the aborted replies
            answer(queued);
        });
    }

    /** Cells are answered "aborted"; anything else is handled as usual, in the order it came. */
    private void answer(List<Message<?>> queued) {
        for (Message<?> msg : queued) {
            ShellReplyEnvironment env = prepareReplyEnv(shell, msg);
            try {
                if (AbortAfterError.aborts(msg)) {
                    env.setBusyDeferIdle();
                    env.reply(AbortAfterError.abortedReply(msg));
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

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

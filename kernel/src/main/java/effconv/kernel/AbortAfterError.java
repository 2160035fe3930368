package effconv.kernel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;

/**
 * After a cell fails, the execute requests already sent (Run All, Run Selected and All Below) are answered
 * "aborted", as IPython does when a request asks {@code stop_on_error}; JJava would run them all. What is queued is
 * read before the failed cell's reply and "idle" go out, so a request the client sends after seeing them (the next
 * cell a student runs, however fast) is never aborted.
 */
final class AbortAfterError {
    /** How long to keep reading after the last queued request: requests JupyterLab sends together arrive within it. */
    static final long WINDOW_MS = 100;

    /** Where queued requests are read from: the shell socket. */
    interface Queue {
        /** Whether a message is waiting. */
        boolean ready();

        /** The next message, or null if the socket has none after all. */
        Message<?> read();
    }

    private volatile boolean aborting;

    /** A request's reply was an error: aborting starts if the request was a cell that asked stop_on_error. */
    void failed(Object requestContent) {
        if (requestContent instanceof ExecuteRequest r && r.shouldStopOnError()) {
            aborting = true;
        }
    }

    boolean aborting() {
        return aborting;
    }

    /**
     * The requests the queue holds, and those arriving until it has been quiet for {@link #WINDOW_MS}; aborting
     * ends. {@code nanos} is the clock, {@code pause} waits between polls (both real in the kernel, fake in tests).
     */
    List<Message<?>> drain(Queue queue, LongSupplier nanos, Runnable pause) {
        List<Message<?>> queued = new ArrayList<>();
        long quietSince = nanos.getAsLong();
        while (nanos.getAsLong() - quietSince < WINDOW_MS * 1_000_000L) {
            if (!queue.ready()) {
                pause.run();
                continue;
            }
            Message<?> msg = queue.read();
            if (msg == null) {
                break;
            }
            queued.add(msg);
            quietSince = nanos.getAsLong();
        }
        aborting = false;
        return queued;
    }

    /** Whether a queued message is a cell to abort (anything else — completion, inspection — is handled as usual). */
    static boolean aborts(Message<?> msg) {
        return msg.getHeader().getType() == MessageType.EXECUTE_REQUEST;
    }

    /** The execute_reply of a request not run: status "aborted", as its reply to that request. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    static Message<?> abortedReply(Message<?> request) {
        return new Message<>(request, (MessageType) MessageType.EXECUTE_REPLY, new Aborted());
    }

    /** An execute_reply's content for a request not run because an earlier one failed (Jupyter's "aborted"). */
    static final class Aborted {
        @SuppressWarnings("unused")
        private final String status = "aborted";
    }
}

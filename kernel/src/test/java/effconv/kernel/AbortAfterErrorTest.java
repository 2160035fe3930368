package effconv.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.request.CompleteRequest;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.junit.jupiter.api.Test;

class AbortAfterErrorTest {

    private static Message<ExecuteRequest> cell(String code, boolean stopOnError) {
        return new Message<>(new Header<>("s", MessageType.EXECUTE_REQUEST),
                new ExecuteRequest(code, false, true, Map.of(), false, stopOnError));
    }

    @Test
    void onlyAFailedCellThatAsksStopOnErrorStartsAborting() {
        AbortAfterError a = new AbortAfterError();
        a.failed(cell("x", false).getContent());
        assertFalse(a.aborting(), "stop_on_error off: the queued cells run, as JupyterLab's 'run anyway' asks");
        a.failed("not a cell");
        assertFalse(a.aborting());
        a.failed(cell("x", true).getContent());
        assertTrue(a.aborting());
    }

    /** A shell socket whose messages arrive at given times (ms), read on a fake clock advanced by every poll. */
    private static final class Arrivals implements AbortAfterError.Queue {
        final Deque<long[]> at = new ArrayDeque<>();
        final List<Message<?>> messages = new ArrayList<>();
        long nowMs;

        Arrivals add(long ms, Message<?> m) {
            at.add(new long[] {ms, messages.size()});
            messages.add(m);
            return this;
        }

        @Override
        public boolean ready() {
            return !at.isEmpty() && at.peek()[0] <= nowMs;
        }

        @Override
        public Message<?> read() {
            return messages.get((int) at.poll()[1]);
        }
    }

    @Test
    void whatArrivesWithinTheWindowOfTheLastIsAbortedAndWhatComesAfterIsNot() {
        AbortAfterError a = new AbortAfterError();
        a.failed(cell("boom", true).getContent());
        var second = cell("2", true);
        var third = cell("3", true);
        var later = cell("the next cell a student runs", true);
        // Run All sent 2 and 3 together; the student's next cell comes well after the window
        Arrivals q = new Arrivals().add(0, second).add(60, third).add(60 + AbortAfterError.WINDOW_MS + 50, later);
        List<Message<?>> drained = a.drain(q, () -> q.nowMs * 1_000_000L, () -> q.nowMs += 5);
        assertEquals(List.of(second, third), drained);
        assertFalse(a.aborting(), "aborting ends once the queue is drained");
        assertEquals(1, q.at.size(), "the later cell is left for the normal loop");
    }

    @Test
    void cellsAreAbortedAndOtherRequestsAnsweredAsUsual() {
        var request = cell("2", true);
        assertTrue(AbortAfterError.aborts(request));
        var complete = new Message<>(new Header<>("s", MessageType.COMPLETE_REQUEST), new CompleteRequest("Summ", 4));
        assertFalse(AbortAfterError.aborts(complete));
        Message<?> reply = AbortAfterError.abortedReply(request);
        assertEquals(MessageType.EXECUTE_REPLY, reply.getHeader().getType());
        assertEquals(request.getHeader().getId(), reply.getParentHeader().getId());
        assertTrue(reply.getContent() instanceof AbortAfterError.Aborted);
        // the wire form JJava writes from the content's fields: {"status": "aborted"}
        assertEquals("{\"status\":\"aborted\"}", new org.dflib.jjava.shaded.com.google.gson.Gson().toJson(reply.getContent()));
    }
}

package effconv.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.dflib.jjava.jupyter.channels.ReplyEnvironment;
import org.dflib.jjava.jupyter.messages.ContentType;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.reply.ErrorReply;
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;
import org.junit.jupiter.api.Test;

class KernelStatusTest {

    /** What a handler did with its reply environment, in order. */
    private static final class Recorder implements ReplyEnvironment {
        final List<Object> events = new ArrayList<>();

        @Override public void publish(Message<?> msg) { events.add(msg); }
        @Override public void reply(Message<?> msg) { events.add(msg); }
        @Override public ReplyEnvironment defer() { return this; }
        @Override public void defer(Runnable action) { events.add("deferred"); }
        @Override public void resolveDeferrals() { events.add("resolved"); }
        @Override public <T extends ContentType<T>> void publish(T content) { events.add(content); }
        @Override public <T extends ContentType<T>> void reply(T content) { events.add(content); }
        @Override public void replyError(MessageType<?> type, ErrorReply error) { events.add(error); }
        @Override public void setStatusBusy() { events.add("busy"); }
        @Override public void setStatusIdle() { events.add("idle"); }
        @Override public void setBusyDeferIdle() { events.add("busy, idle deferred"); }
    }

    @Test
    void historyIsAnsweredBetweenBusyAndIdleWithAnEmptyList() {
        Recorder r = new Recorder();
        KernelStatus.answerHistory(r);
        assertEquals(2, r.events.size());
        assertEquals("busy, idle deferred", r.events.get(0));
        assertTrue(r.events.get(1) instanceof HistoryReply h && h.getHistory().isEmpty(), r.events.toString());
    }
}

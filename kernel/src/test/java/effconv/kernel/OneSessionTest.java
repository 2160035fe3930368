package effconv.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.Map;
import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.MessageType;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.junit.jupiter.api.Test;

class OneSessionTest {

    @Test
    void everyMessageLeavesWithTheKernelsSessionAndNothingElseChanged() {
        // a reply JJava made for a request of another client's session
        var request = new Message<>(new Header<>("client-b", MessageType.EXECUTE_REQUEST),
                new ExecuteRequest("1 + 1", false, true, Map.of(), false, true));
        var reply = new Message<>(request, PublishStatus.MESSAGE_TYPE, PublishStatus.BUSY);
        assertEquals("client-b", reply.getHeader().getSessionId());
        OneSession one = new OneSession("kernel-1");
        Message<?> out = one.stamp(reply);
        assertEquals("kernel-1", out.getHeader().getSessionId());
        assertEquals(reply.getHeader().getId(), out.getHeader().getId());
        assertEquals(reply.getHeader().getType(), out.getHeader().getType());
        assertEquals(reply.getHeader().getVersion(), out.getHeader().getVersion());
        assertSame(reply.getContent(), out.getContent());
        assertEquals(request.getHeader().getId(), out.getParentHeader().getId()); // still answers that request
        assertEquals(one.stamp(request).getHeader().getSessionId(), out.getHeader().getSessionId());
    }

    @Test
    void startingCarriesTheSessionJJavasOwnLacks() {
        OneSession one = new OneSession();
        var starting = one.starting();
        assertEquals(one.id(), starting.getHeader().getSessionId());
        assertEquals(PublishStatus.MESSAGE_TYPE, starting.getHeader().getType());
        assertSame(PublishStatus.STARTING, starting.getContent());
        assertNotEquals(one.id(), new OneSession().id());
    }
}

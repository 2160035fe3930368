package effconv.kernel;

import java.util.UUID;

import org.dflib.jjava.jupyter.messages.Header;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.publish.PublishStatus;

/**
 * One kernel session id on every message the kernel sends. JJava copies each request's session into its replies
 * and status messages; JupyterLab takes the session of the latest message as the kernel's and drops queued
 * messages of any other session ("Canceling handling of old message"), so it loses status and output messages
 * when two clients (the server's own kernel_info nudge, a second tab) talk to the kernel.
 */
final class OneSession {
    private final String session;

    OneSession() {
        this(UUID.randomUUID().toString());
    }

    OneSession(String session) {
        this.session = session;
    }

    String id() {
        return session;
    }

    /** The same message, with this session in its header: id, user, time, type and version unchanged. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    Message<?> stamp(Message<?> m) {
        Header<?> h = m.getHeader();
        Header<?> header = new Header(h.getId(), h.getUsername(), session, h.getTimestamp(), h.getType(),
                h.getVersion());
        return new Message(m.getIdentities(), header, m.getParentHeader(), m.getMetadata(), m.getContent(),
                m.getBlobs());
    }

    /** The kernel's "starting" status. JJava's own has no session, and JupyterLab rejects it as invalid. */
    Message<PublishStatus> starting() {
        return new Message<>(new Header<>(session, PublishStatus.MESSAGE_TYPE), PublishStatus.STARTING);
    }
}

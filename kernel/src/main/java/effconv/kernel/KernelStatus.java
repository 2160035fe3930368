package effconv.kernel;

import java.util.List;

import org.dflib.jjava.jupyter.channels.ReplyEnvironment;
import org.dflib.jjava.jupyter.messages.reply.HistoryReply;

/**
 * The answer that lets JupyterLab show the kernel "Idle" once it is ready. JJava keeps no history and then answers
 * history_request with nothing at all, not even busy/idle. JupyterLab asks for history when it opens a notebook,
 * and it ignores the statuses of kernel_info (the server's untracked_message_types), so this idle is the first
 * status it tracks: without it the status bar says "Unknown" until a cell runs.
 */
final class KernelStatus {
    private KernelStatus() {
    }

    /** busy, an empty history_reply, then idle. */
    static void answerHistory(ReplyEnvironment reply) {
        reply.setBusyDeferIdle();
        reply.reply(new HistoryReply(List.of()));
    }
}

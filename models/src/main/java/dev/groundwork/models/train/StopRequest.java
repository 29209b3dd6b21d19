package dev.groundwork.models.train;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request, from outside the training loop, to stop at the next step boundary with a resumable
 * checkpoint: the command line sets it from SIGINT/SIGTERM. The {@link Trainer} polls it once per step,
 * writes the mid-epoch checkpoint and then {@link #acknowledge()}s, which the signal handler waits for
 * before the process exits.
 */
public final class StopRequest {
    private volatile String reason;
    private final CountDownLatch handled = new CountDownLatch(1);

    /** Asks the run to stop; {@code reason} names what asked (e.g. "SIGTERM"). The first reason wins. */
    public synchronized void request(String why) {
        if (reason == null) reason = why;
    }

    public boolean requested() { return reason != null; }

    /** What asked, or null. */
    public String reason() { return reason; }

    /** Called once the run has stopped and written what it writes (or has ended for another cause). */
    public void acknowledge() { handled.countDown(); }

    /** Waits for {@link #acknowledge()}; false when the time ran out first. */
    public boolean awaitHandled(long timeout, TimeUnit unit) throws InterruptedException { return handled.await(timeout, unit); }
}

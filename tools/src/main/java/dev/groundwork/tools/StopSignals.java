package dev.groundwork.tools;

import dev.groundwork.models.train.StopRequest;
import sun.misc.Signal;

import java.util.ArrayList;
import java.util.List;

/**
 * SIGINT (Ctrl-C) and SIGTERM (a scheduler's stop) during {@code gw train}: the first one asks the
 * run to stop at the next step boundary, where it writes a mid-epoch checkpoint that resumes bit for
 * bit; a second one exits at once, as an impatient user expects. The JVM has no public API for
 * signals, hence sun.misc.Signal (module jdk.unsupported, kept for exactly this use).
 */
final class StopSignals implements AutoCloseable {
    private final List<Signal> signals = new ArrayList<>();
    private final List<sun.misc.SignalHandler> previous = new ArrayList<>();

    private StopSignals() {}

    static StopSignals install(StopRequest stop) {
        StopSignals s = new StopSignals();
        for (String name : new String[]{"INT", "TERM"}) {
            Signal sig = new Signal(name);
            try {
                s.previous.add(Signal.handle(sig, caught -> {
                    if (stop.requested()) Runtime.getRuntime().halt(exitCode("SIG" + caught.getName()));
                    System.err.println("\ngw: SIG" + caught.getName() + ": stopping at the next step with a checkpoint (send it again to quit at once)");
                    stop.request("SIG" + caught.getName());
                }));
                s.signals.add(sig);
            } catch (IllegalArgumentException unavailable) {
                // The JVM reserves it (e.g. -Xrs): training then stops the default way.
            }
        }
        return s;
    }

    /** The shell's convention: 128 + the signal number. */
    static int exitCode(String signal) { return "SIGINT".equals(signal) ? 130 : 143; }

    @Override
    public void close() {
        for (int i = 0; i < signals.size(); i++) Signal.handle(signals.get(i), previous.get(i));
    }
}

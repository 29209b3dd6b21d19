package dev.groundwork.engine.optim;

import dev.groundwork.engine.tensor.Tensor;

/** The running averages shared by the Adam family. */
final class Moments {
    private Moments() {}

    /**
     * buffer = decay * buffer + increment, stored back into the state; returns the new buffer.
     * On the first step the buffer is taken as zero (torch starts from zeros), so it equals the
     * increment exactly.
     */
    static Tensor ema(ParamState st, String name, double decay, Tensor increment, Temps tmp) {
        Tensor old = st.get(name);
        Tensor next = old == null ? increment.copy() : tmp.of(old.mul(decay)).add(increment);
        st.put(name, next);
        return next;
    }
}

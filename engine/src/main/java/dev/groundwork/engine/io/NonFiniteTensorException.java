package dev.groundwork.engine.io;

import java.io.IOException;

/**
 * A checkpoint was asked to hold a NaN or infinite value; nothing was written. A training run that
 * diverged must not leave weights that poison the next stage's start.
 */
public final class NonFiniteTensorException extends IOException {
    private final String tensor;

    public NonFiniteTensorException(String tensor, long index, double value) {
        super("tensor '" + tensor + "' holds " + value + " at flat index " + index);
        this.tensor = tensor;
    }

    /** The first tensor found with a non-finite value, under its name in the file. */
    public String tensor() { return tensor; }
}

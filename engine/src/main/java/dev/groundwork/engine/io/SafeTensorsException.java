package dev.groundwork.engine.io;

import java.io.IOException;

/**
 * A safetensors file breaks one of the format's rules (or one of ours, e.g. overlapping ranges).
 *
 * <p>It is a checked {@link IOException} on purpose: a malformed file is an input problem of the same
 * kind as a missing one, and callers of {@link SafeTensorsFile#open} already handle IOException.
 * Misuse of the API on a valid file (asking for a name that is not there, reading an integer tensor
 * as floats) is a programming error and throws IllegalArgumentException instead.
 *
 * <p>Messages name the file, the tensor where there is one, and the rule that was broken.
 */
public class SafeTensorsException extends IOException {
    public SafeTensorsException(String message) {
        super(message);
    }

    public SafeTensorsException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.groundwork.engine.io;

import java.io.UncheckedIOException;

/**
 * A safetensors file that was valid when opened can no longer be read: it was truncated or replaced
 * on disk while mapped. Unchecked, because reading an open, validated file is not an I/O call for
 * its callers; the message names the file, the tensor and what changed.
 */
public final class SafeTensorsReadException extends UncheckedIOException {
    public SafeTensorsReadException(SafeTensorsException cause) {
        super(cause.getMessage(), cause);
    }
}

package dev.groundwork.models.checkpoint;

import java.io.IOException;

/** A pickle stream that is malformed, truncated or asks for something the reader will not do. */
public class PickleException extends IOException {
    private final long offset;

    public PickleException(long offset, String problem) {
        super(problem + " (at byte offset " + offset + " of the pickle)");
        this.offset = offset;
    }

    /** Byte offset of the opcode that failed, from the start of the pickle stream. */
    public long offset() { return offset; }
}

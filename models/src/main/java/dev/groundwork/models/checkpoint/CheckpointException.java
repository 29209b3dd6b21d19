package dev.groundwork.models.checkpoint;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint that cannot be read: the message names the file and what is wrong or missing. */
public class CheckpointException extends IOException {
    public CheckpointException(Path file, String problem) { super(file + ": " + problem); }

    public CheckpointException(Path file, String problem, Throwable cause) { super(file + ": " + problem, cause); }
}

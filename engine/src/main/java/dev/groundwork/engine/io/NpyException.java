package dev.groundwork.engine.io;

import java.io.IOException;

/**
 * A {@code .npy} file that cannot be read as asked: a broken header, a dtype we do not read (pickled
 * object arrays above all), a size that disagrees with the file, or an array of another kind than the
 * caller needs. The message names the file and the rule; like {@link SafeTensorsException} it is an
 * input problem, so a checked {@link IOException}.
 */
public class NpyException extends IOException {
    public NpyException(String message) {
        super(message);
    }
}

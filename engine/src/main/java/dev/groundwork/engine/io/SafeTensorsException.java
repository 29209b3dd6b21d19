package dev.groundwork.engine.io;

import java.io.IOException;
import java.nio.file.Path;

/** A safetensors file that breaks a rule of the format; the message names the file, tensor and rule. */
public class SafeTensorsException extends IOException {
    public SafeTensorsException(Path file, String tensor, String rule) {
        super(file + (tensor == null ? "" : ": tensor '" + tensor + "'") + ": " + rule);
    }
}

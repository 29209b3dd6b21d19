package dev.groundwork.models.train;

import dev.groundwork.engine.io.Checkpoint;
import dev.groundwork.models.checkpoint.CheckpointFile;
import dev.groundwork.models.checkpoint.CheckpointFormat;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The recipe that wrote a weights file ({@link TrainerConfig#label()}, e.g. {@code interbert-flickr}), which
 * the {@link Trainer} stamps into every checkpoint it writes. Two tasks can share one network (InterBERT's
 * Flickr30K and VCR both fine-tune {@code InterBertForVLTasks}), so the names alone cannot tell an evaluation
 * that it was given the other task's file; this can.
 */
public final class TrainedTask {
    /** The checkpoint extra that holds it. */
    public static final String KEY = "task";

    private TrainedTask() {}

    /** The task that trained {@code file}; null for files of other origins (the original's, converted ones, older ours). */
    public static String of(Path file) throws IOException {
        CheckpointFile f = CheckpointFile.open(file);
        if (f.format() != CheckpointFormat.SAFETENSORS || !Checkpoint.FORMAT.equals(f.values().get("format"))) return null;
        Object t = f.values().get("extra." + KEY);
        return t == null ? null : t.toString();
    }

    /** Refuses a file stamped by another task than {@code expected}; unstamped files pass (they may be the original's). */
    public static void require(Path file, String expected, String setting) throws IOException {
        String t = of(file);
        InvalidSettingException.check(t == null || t.equals(expected), setting,
                "was trained by " + t + ", not " + expected + ": " + file);
    }
}

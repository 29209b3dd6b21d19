package dev.groundwork.models.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Tells checkpoint formats apart by their first bytes, never by the file name's extension. */
public enum CheckpointFormat {
    /** Our own format: 8-byte header length, JSON header, data. */
    SAFETENSORS,
    /** torch.save since PyTorch 1.6 (.bin, .pt, .pth, .pth.tar). */
    TORCH_ZIP,
    /** torch.save before 1.6: concatenated pickles then raw storages. */
    TORCH_LEGACY,
    UNKNOWN;

    public static CheckpointFormat detect(Path path) throws IOException {
        if (!Files.exists(path)) throw new NoSuchFileException(path.toString(), null, "no such file");
        if (!Files.isRegularFile(path)) throw new CheckpointException(path, "not a regular file");
        byte[] head;
        try (InputStream in = Files.newInputStream(path)) {
            head = in.readNBytes(16);
        }
        if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && (head[2] == 3 || head[2] == 5)) return TORCH_ZIP;
        // PROTO 2, then LONG1 with 10 bytes: the legacy magic number.
        if (head.length >= 4 && (head[0] & 0xFF) == 0x80 && head[1] == 2 && (head[2] & 0xFF) == 0x8a && head[3] == 10)
            return TORCH_LEGACY;
        if (head.length >= 9) {
            long n = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
            if (n > 0 && n < Files.size(path) && head[8] == '{') return SAFETENSORS;
        }
        return UNKNOWN;
    }
}

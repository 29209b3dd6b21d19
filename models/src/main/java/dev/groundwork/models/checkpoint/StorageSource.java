package dev.groundwork.models.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Where the bytes of a checkpoint's storages live (a zip entry each, or one run in a legacy file). */
interface StorageSource extends AutoCloseable {
    /** The storage's bytes in little-endian order, exactly {@code numel * element size} long. */
    ByteBuffer bytes(Pickled.StorageRef ref) throws IOException;

    @Override
    void close() throws IOException;
}

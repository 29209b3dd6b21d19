package dev.groundwork.kernels.nccl;

import dev.groundwork.engine.dist.CommunicatorException;
import dev.groundwork.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The rendezvous of {@code gw launch}: rank 0 writes NCCL's unique id to a file on a path every rank
 * sees (one node: a temporary folder; several: a shared filesystem), atomically, and the others
 * poll for it. NCCL's own bootstrap then connects the ranks from the address inside the id, so
 * Groundwork carries no traffic of its own. The launcher gives each run a fresh file; a file already
 * there at start belongs to another run and is refused rather than joined.
 */
public final class UniqueIdFile {
    private UniqueIdFile() {}

    /** Rank 0: the id it made, written to {@code file}; others: the id read from it once it appears. */
    public static byte[] exchange(Path file, int rank, Nccl nccl, long timeoutNanos) {
        try {
            if (rank == 0) {
                if (Files.exists(file))
                    throw new CommunicatorException("rank 0: " + file + " already exists (left by another run?): remove it or launch with another rendezvous path");
                byte[] id = nccl.uniqueId();
                AtomicFiles.write(file, ch -> ch.write(ByteBuffer.wrap(id)));
                return id;
            }
            long deadline = System.nanoTime() + timeoutNanos;
            while (true) {
                if (Files.exists(file)) {
                    byte[] id = Files.readAllBytes(file);
                    if (id.length != Nccl.UNIQUE_ID_BYTES)
                        throw new CommunicatorException("rank " + rank + ": " + file + " holds " + id.length + " bytes, not an ncclUniqueId of " + Nccl.UNIQUE_ID_BYTES);
                    return id;
                }
                if (System.nanoTime() - deadline > 0)
                    throw new CommunicatorException("rank " + rank + ": rank 0 wrote no NCCL id to " + file + " within " + timeoutNanos / 1_000_000_000L
                            + " s (GW_COMM_TIMEOUT): is rank 0 running, and is the path shared between the nodes?");
                Thread.sleep(50);
            }
        } catch (IOException e) {
            throw new CommunicatorException("rank " + rank + ": the rendezvous file " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommunicatorException("rank " + rank + ": interrupted while waiting for " + file);
        }
    }
}

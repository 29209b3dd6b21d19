package dev.groundwork.models.interbert.data;

import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes an LMDB store through the same binding the readers use, in either of Python lmdb's forms:
 * a directory with {@code data.mdb} or a single file ({@code subdir=False}). Everything goes to a
 * temporary sibling first and is moved into place by {@link #close()}, so an interrupted write never
 * leaves a half-written store under the final name. No lock file is written (MDB_NOLOCK; one writer).
 */
public final class LmdbWriter implements AutoCloseable {
    private static final int COMMIT_EVERY = 256;

    private final Path target, temp;
    private final boolean directory;
    private final Env<byte[]> env;
    private final Dbi<byte[]> db;
    private Txn<byte[]> txn;
    private int pending;
    private boolean failed;

    /** {@code maxBytes}: the map size, an upper bound of the store's size (values, keys and B-tree pages). */
    public LmdbWriter(Path target, boolean directory, long maxBytes) throws IOException {
        this.target = target.toAbsolutePath();
        this.directory = directory;
        this.temp = this.target.resolveSibling(this.target.getFileName() + ".tmp");
        delete(temp);
        if (directory) Files.createDirectories(temp);
        else Files.createDirectories(this.target.getParent());
        try {
            this.env = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(maxBytes).setMaxDbs(1)
                    .open(temp.toFile(), directory ? new EnvFlags[]{EnvFlags.MDB_NOLOCK} : new EnvFlags[]{EnvFlags.MDB_NOLOCK, EnvFlags.MDB_NOSUBDIR});
            this.db = env.openDbi((byte[]) null, DbiFlags.MDB_CREATE);
        } catch (LmdbException e) {
            throw new IOException(temp + ": cannot create an LMDB store: " + e.getMessage(), e);
        }
    }

    public void put(String key, byte[] value) throws IOException {
        try {
            if (txn == null) txn = env.txnWrite();
            db.put(txn, key.getBytes(StandardCharsets.UTF_8), value);
            if (++pending >= COMMIT_EVERY) commit();
        } catch (LmdbException e) {
            failed = true;
            throw new IOException(target + ": writing key '" + key + "' failed: " + e.getMessage(), e);
        }
    }

    private void commit() {
        if (txn != null) txn.commit();
        txn = null;
        pending = 0;
    }

    /** Commits and moves the store into place (after a failed put: discards it). */
    @Override
    public void close() throws IOException {
        try {
            if (!failed) commit();
        } finally {
            if (txn != null) txn.close();
            env.close();
        }
        if (failed) {
            delete(temp);
            return;
        }
        delete(target);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void delete(Path p) throws IOException {
        if (!Files.exists(p)) return;
        if (Files.isDirectory(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                for (Path q : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(q);
            }
        } else Files.delete(p);
    }
}

package dev.groundwork.models.interbert.data;

import dev.groundwork.models.data.DataException;
import org.lmdbjava.ByteArrayProxy;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.LmdbException;
import org.lmdbjava.Txn;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One LMDB store, read-only, as Python's {@code lmdb} wrote it: a directory holding {@code data.mdb}
 * or (tensorpack's {@code subdir=False}) a single file. Opened without a lock file (MDB_NOLOCK, so a
 * store in a read-only folder opens, and nothing is ever written), with a map exactly the file's size,
 * after {@link LmdbHeader} has checked what can be checked in Java. Through lmdbjava's byte-array
 * proxy: values are copied out, and that proxy needs no {@code --add-opens} (the ByteBuffer proxies
 * reflect into {@code java.nio}). Safe for concurrent readers: each read is its own read transaction,
 * and MDB_NOTLS ties none of them to a thread.
 */
public final class LmdbStore implements AutoCloseable {
    private final Path path;
    private final Env<byte[]> env;
    private final Dbi<byte[]> db;
    private final LmdbHeader.Meta meta;

    private LmdbStore(Path path, Env<byte[]> env, Dbi<byte[]> db, LmdbHeader.Meta meta) {
        this.path = path;
        this.env = env;
        this.db = db;
        this.meta = meta;
    }

    /** Is {@code path} an LMDB store (a directory with data.mdb, or a file with an LMDB meta page)? */
    public static boolean looksLike(Path path) {
        Path f = Files.isDirectory(path) ? path.resolve("data.mdb") : path;
        if (!Files.isRegularFile(f)) return false;
        try (var in = Files.newInputStream(f)) {
            byte[] b = in.readNBytes(24);
            return b.length == 24 && (b[16] & 0xFF) == 0xDE && (b[17] & 0xFF) == 0xC0 && (b[18] & 0xFF) == 0xEF && (b[19] & 0xFF) == 0xBE;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    public static LmdbStore open(Path path) throws DataException {
        boolean dir = Files.isDirectory(path);
        Path data = dir ? path.resolve("data.mdb") : path;
        if (!Files.exists(data)) throw new DataException(-1, path, dir ? "is a directory without data.mdb (not an LMDB store)" : "no such file");
        LmdbHeader.Meta meta = LmdbHeader.check(data);
        Env<byte[]> env = null;
        try {
            List<EnvFlags> flags = new ArrayList<>(List.of(EnvFlags.MDB_RDONLY_ENV, EnvFlags.MDB_NOLOCK, EnvFlags.MDB_NOTLS));
            if (!dir) flags.add(EnvFlags.MDB_NOSUBDIR);
            env = Env.create(ByteArrayProxy.PROXY_BA).setMapSize(meta.fileSize()).setMaxDbs(1)
                    .open(path.toFile(), flags.toArray(EnvFlags[]::new));
            return new LmdbStore(path, env, env.openDbi((byte[]) null), meta);
        } catch (LmdbException | IllegalStateException e) {
            if (env != null) env.close();
            throw new DataException(-1, path, "cannot be opened as an LMDB store: " + e.getMessage(), e);
        }
    }

    public Path path() { return path; }

    /** Records in the main database, as its meta page counts them. */
    public long entries() { return meta.entries(); }

    /** The value of {@code key}, or null when there is none. */
    public byte[] get(String key) throws DataException {
        try (Txn<byte[]> t = env.txnRead()) {
            return db.get(t, key.getBytes(StandardCharsets.UTF_8));
        } catch (LmdbException e) {
            throw new DataException(-1, path, "key '" + key + "': LMDB read failed: " + e.getMessage(), e);
        }
    }

    /** Every key in the store's order (bytes as latin-1 characters; the formats read here use ASCII keys). */
    public List<String> keys() throws DataException {
        List<String> out = new ArrayList<>();
        try (Txn<byte[]> t = env.txnRead(); Cursor<byte[]> c = db.openCursor(t)) {
            while (c.next()) {
                if (out.size() >= meta.entries() + 1) throw new DataException(-1, path, "is corrupt: more keys than its meta page counts");
                out.add(new String(c.key(), StandardCharsets.ISO_8859_1));
            }
        } catch (LmdbException e) {
            throw new DataException(-1, path, "listing keys failed: " + e.getMessage(), e);
        }
        return out;
    }

    @Override
    public void close() { env.close(); }
}

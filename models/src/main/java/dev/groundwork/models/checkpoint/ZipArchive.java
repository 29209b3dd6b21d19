package dev.groundwork.models.checkpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * The zip layout torch.save has used since 1.6: {@code <archive>/data.pkl} (the object graph),
 * {@code <archive>/data/<key>} (one entry per storage, stored uncompressed) and, in newer files,
 * {@code <archive>/byteorder}. The archive folder is named after the file, so it is found by looking
 * for the one data.pkl rather than by guessing.
 *
 * <p>Entries are read no further than they need to be: data.pkl up to {@link #MAX_PICKLE_BYTES}, a
 * storage exactly its {@code numel x element size} bytes, and never past the size the central
 * directory declares (a deflate stream that inflates beyond its claim is refused, as is a claimed
 * ratio no deflate stream can reach). So a few kilobytes of archive cannot fill the heap.
 */
final class ZipArchive implements StorageSource {
    /** A real data.pkl is kilobytes (one entry per tensor); 64 MiB is a state dict of about a million tensors. */
    static final long MAX_PICKLE_BYTES = 64L << 20;
    /** Deflate cannot compress better than about 1032:1; a larger declared ratio is a lie. */
    static final long MAX_RATIO = 1100;

    private final Path path;
    private final ZipFile zip;
    private final String prefix;
    private final ByteOrder order;

    private ZipArchive(Path path, ZipFile zip, String prefix, ByteOrder order) {
        this.path = path;
        this.zip = zip;
        this.prefix = prefix;
        this.order = order;
    }

    static ZipArchive open(Path path) throws IOException {
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (ZipException e) {
            throw new CheckpointException(path, "not a complete zip archive (truncated or corrupt): " + e.getMessage(), e);
        }
        try {
            String prefix = null;
            for (Enumeration<? extends ZipEntry> it = zip.entries(); it.hasMoreElements(); ) {
                String name = it.nextElement().getName();
                int slash = name.indexOf('/');
                if (slash >= 0 && name.substring(slash).equals("/data.pkl")) {
                    if (prefix != null) throw new CheckpointException(path, "holds more than one data.pkl");
                    prefix = name.substring(0, slash + 1);
                }
            }
            if (prefix == null) throw new CheckpointException(path, "zip archive has no <archive>/data.pkl, so it is not a torch.save checkpoint");
            ByteOrder order = ByteOrder.LITTLE_ENDIAN;
            ZipEntry bo = zip.getEntry(prefix + "byteorder");
            if (bo != null) {
                String s = new String(read(zip, bo, path, 16), StandardCharsets.US_ASCII).trim();
                if (s.equals("big")) order = ByteOrder.BIG_ENDIAN;
                else if (!s.equals("little")) throw new CheckpointException(path, prefix + "byteorder says '" + s + "', expected little or big");
            }
            return new ZipArchive(path, zip, prefix, order);
        } catch (IOException | RuntimeException e) {
            zip.close();
            throw e;
        }
    }

    /** The pickled object graph. */
    ByteBuffer dataPkl() throws IOException {
        return ByteBuffer.wrap(read(zip, zip.getEntry(prefix + "data.pkl"), path, MAX_PICKLE_BYTES));
    }

    @Override
    public ByteBuffer bytes(Pickled.StorageRef ref) throws IOException {
        String name = prefix + "data/" + ref.key();
        ZipEntry e = zip.getEntry(name);
        if (e == null) throw new CheckpointException(path, "storage entry '" + name + "' is missing from the archive");
        long want;
        try {
            want = Math.multiplyExact(ref.numel(), (long) ref.type().dtype.byteSize());
        } catch (ArithmeticException x) {
            throw new CheckpointException(path, "storage entry '" + name + "': " + ref.numel() + " elements are more bytes than 64 bits count");
        }
        if (want > Integer.MAX_VALUE - 8) throw new CheckpointException(path, "storage entry '" + name + "' is " + want + " bytes; storages over 2 GiB are not supported");
        if (e.getSize() >= 0 && e.getSize() < want)
            throw new CheckpointException(path, "storage entry '" + name + "' has " + e.getSize() + " bytes, but its " + ref.numel() + " " + ref.type() + " elements need " + want);
        byte[] b = readPrefix(zip, e, path, want);
        ByteBuffer buf = ByteBuffer.wrap(b).slice();
        if (order == ByteOrder.BIG_ENDIAN) swap(buf, ref.type().dtype.byteSize());
        return buf.order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A whole entry of at most {@code max} bytes, exactly as long as the central directory says. */
    private static byte[] read(ZipFile zip, ZipEntry e, Path path, long max) throws IOException {
        if (e.getSize() < 0) throw new CheckpointException(path, "entry '" + e.getName() + "' does not declare its size");
        if (e.getSize() > max) throw new CheckpointException(path, "entry '" + e.getName() + "' declares " + e.getSize() + " bytes, over the limit of " + max);
        byte[] b = readPrefix(zip, e, path, e.getSize());
        return b;
    }

    /**
     * The first {@code n} bytes of an entry (n at most its declared size), reading one byte beyond
     * only when n is the whole entry, to catch a stream that inflates past its declared size.
     */
    private static byte[] readPrefix(ZipFile zip, ZipEntry e, Path path, long n) throws IOException {
        if (e.getMethod() == ZipEntry.DEFLATED && e.getCompressedSize() > 0 && e.getSize() / e.getCompressedSize() > MAX_RATIO)
            throw new CheckpointException(path, "entry '" + e.getName() + "' claims to inflate " + e.getCompressedSize() + " bytes to "
                    + e.getSize() + ", a ratio no deflate stream reaches (over " + MAX_RATIO + ":1)");
        boolean whole = n == e.getSize();
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readNBytes((int) n);
            if (b.length < n)
                throw new CheckpointException(path, "entry '" + e.getName() + "' is truncated (" + b.length + " of " + n + " bytes)");
            if (whole && in.read() >= 0)
                throw new CheckpointException(path, "entry '" + e.getName() + "' inflates past its declared " + e.getSize() + " bytes");
            return b;
        } catch (CheckpointException ex) {
            throw ex;
        } catch (IOException ex) { // ZipException, EOFException: a corrupt or truncated stream
            throw new CheckpointException(path, "entry '" + e.getName() + "' is corrupt or truncated: " + ex, ex);
        }
    }

    /** Big-endian archives (from s390x and the like) are flipped to the engine's little-endian order. */
    private static void swap(ByteBuffer buf, int size) {
        for (int i = 0; i + size <= buf.limit(); i += size)
            for (int a = i, b = i + size - 1; a < b; a++, b--) {
                byte t = buf.get(a);
                buf.put(a, buf.get(b));
                buf.put(b, t);
            }
    }

    @Override
    public void close() throws IOException { zip.close(); }
}

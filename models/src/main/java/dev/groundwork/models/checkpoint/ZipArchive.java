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
 */
final class ZipArchive implements StorageSource {
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
                String s = new String(read(zip, bo, path), StandardCharsets.US_ASCII).trim();
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
        return ByteBuffer.wrap(read(zip, zip.getEntry(prefix + "data.pkl"), path));
    }

    @Override
    public ByteBuffer bytes(Pickled.StorageRef ref) throws IOException {
        String name = prefix + "data/" + ref.key();
        ZipEntry e = zip.getEntry(name);
        if (e == null) throw new CheckpointException(path, "storage entry '" + name + "' is missing from the archive");
        long want = ref.numel() * ref.type().dtype.byteSize();
        byte[] b = read(zip, e, path);
        if (b.length < want)
            throw new CheckpointException(path, "storage entry '" + name + "' has " + b.length + " bytes, but its " + ref.numel() + " " + ref.type() + " elements need " + want);
        ByteBuffer buf = ByteBuffer.wrap(b, 0, (int) want).slice();
        if (order == ByteOrder.BIG_ENDIAN) swap(buf, ref.type().dtype.byteSize());
        return buf.order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] read(ZipFile zip, ZipEntry e, Path path) throws IOException {
        if (e.getSize() > Integer.MAX_VALUE - 8) throw new CheckpointException(path, "entry '" + e.getName() + "' is over 2 GiB");
        try (InputStream in = zip.getInputStream(e)) {
            byte[] b = in.readAllBytes();
            if (e.getSize() >= 0 && b.length != e.getSize())
                throw new CheckpointException(path, "entry '" + e.getName() + "' is truncated (" + b.length + " of " + e.getSize() + " bytes)");
            return b;
        } catch (ZipException ex) {
            throw new CheckpointException(path, "entry '" + e.getName() + "' is corrupt: " + ex.getMessage(), ex);
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

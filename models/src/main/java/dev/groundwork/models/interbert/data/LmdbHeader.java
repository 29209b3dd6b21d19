package dev.groundwork.models.interbert.data;

import dev.groundwork.models.data.DataException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What Java checks of an LMDB data file before liblmdb maps it. liblmdb trusts its pages: a truncated
 * file or a wrong page size faults inside native code (SIGBUS/SIGSEGV), which no Java handler can
 * turn into a message. So the two meta pages are read here first: each must carry the meta flag, the
 * magic 0xBEEFC0DE and data version 1 in the 64-bit layout; the page size must be a power of two
 * from 512 to 64 KiB; the newer meta's last page must lie inside the file (a truncated copy is
 * refused); the main database's root page must be one of those pages and its depth plausible.
 *
 * <p>Residual risk, stated plainly: the B-tree pages themselves are not walked here. A file crafted
 * (or damaged) inside its branch, leaf or overflow pages, with consistent meta pages, can still make
 * liblmdb read garbage or fault. liblmdb refuses page numbers past the last page, but not node offsets
 * inside a page or an overflow value's length. Feature stores are data you chose to download: treat a
 * file from an unknown source as you would an unknown executable until it has been copied through a
 * trusted tool (e.g. {@code mdb_copy}). The check also cannot see a file replaced after it ran.
 */
final class LmdbHeader {
    static final int MAGIC = 0xBEEFC0DE, VERSION = 1, P_META = 0x08;
    /** Byte offsets inside a meta page (page header 16 bytes, then MDB_meta in the 64-bit layout). */
    private static final int FLAGS = 10, MAGIC_AT = 16, VERSION_AT = 20, PSIZE_AT = 40, MAIN_DEPTH_AT = 94,
            MAIN_ENTRIES_AT = 120, MAIN_ROOT_AT = 128, LAST_PAGE_AT = 136, TXNID_AT = 144, META_BYTES = 152;
    /** liblmdb's cursor stack depth: a deeper tree is corrupt. */
    private static final int MAX_DEPTH = 32;
    private static final long NO_ROOT = -1L;

    /** What the newer meta page says. */
    record Meta(int pageSize, long lastPage, long entries, long fileSize) {
        long usedBytes() { return Math.multiplyExact(lastPage + 1, (long) pageSize); }
    }

    private LmdbHeader() {}

    /** Checks {@code dataFile} (the data.mdb of a directory store, or the file itself). */
    static Meta check(Path dataFile) throws DataException {
        try (FileChannel ch = FileChannel.open(dataFile, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer m0 = read(ch, 0, dataFile);
            int psize = m0.getInt(PSIZE_AT);
            meta(m0, 0, dataFile);
            if (psize < 512 || psize > 65536 || Integer.bitCount(psize) != 1)
                throw bad(dataFile, "meta page 0 gives page size " + Integer.toUnsignedString(psize) + " (a power of two from 512 to 65536 is expected)");
            if (size < 2L * psize) throw bad(dataFile, "is truncated: " + size + " bytes, less than its two " + psize + "-byte meta pages");
            ByteBuffer m1 = read(ch, psize, dataFile);
            meta(m1, 1, dataFile);
            ByteBuffer m = Long.compareUnsigned(m1.getLong(TXNID_AT), m0.getLong(TXNID_AT)) > 0 ? m1 : m0;
            long last = m.getLong(LAST_PAGE_AT), root = m.getLong(MAIN_ROOT_AT);
            int depth = m.getShort(MAIN_DEPTH_AT) & 0xFFFF;
            if (last < 1 || last > size / psize - 1)
                throw bad(dataFile, "is truncated or corrupt: its meta page says it has " + Long.toUnsignedString(last) + " + 1 pages of "
                        + psize + " bytes, but the file has " + size + " bytes");
            if (root != NO_ROOT && (root < 2 || root > last))
                throw bad(dataFile, "is corrupt: the main database's root page " + Long.toUnsignedString(root) + " is outside pages 2.." + last);
            if (depth > MAX_DEPTH) throw bad(dataFile, "is corrupt: the main database claims a tree depth of " + depth);
            return new Meta(psize, last, m.getLong(MAIN_ENTRIES_AT), size);
        } catch (IOException e) {
            throw new DataException(-1, dataFile, "cannot read: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer read(FileChannel ch, long at, Path file) throws IOException, DataException {
        ByteBuffer b = ByteBuffer.allocate(META_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) if (ch.read(b, at + b.position()) < 0) break;
        if (b.hasRemaining())
            throw bad(file, at == 0 ? "is not an LMDB file: " + ch.size() + " bytes, too short for a meta page" : "is truncated inside its second meta page");
        return b.flip();
    }

    private static void meta(ByteBuffer m, int page, Path file) throws DataException {
        if (m.getInt(MAGIC_AT) != MAGIC)
            throw bad(file, "is not an LMDB file (page " + page + " lacks the magic number 0xBEEFC0DE)");
        if (m.getInt(VERSION_AT) != VERSION)
            throw bad(file, "is an LMDB file of data version " + m.getInt(VERSION_AT) + " (version 1, the 64-bit layout, is read)");
        if ((m.getShort(FLAGS) & P_META) == 0 || m.getLong(0) != page)
            throw bad(file, "is corrupt: page " + page + " is not a meta page");
    }

    private static DataException bad(Path file, String why) { return new DataException(-1, file, why); }
}

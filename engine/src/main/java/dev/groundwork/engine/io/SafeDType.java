package dev.groundwork.engine.io;

/**
 * The element types a safetensors file may declare, with their width in bytes. The names are the
 * exact strings used in the header ("F32", "BF16", ...).
 */
public enum SafeDType {
    F64(8, true), F32(4, true), F16(2, true), BF16(2, true),
    /** OCP FP8 (the reference reader's F8_E5M2 and F8_E4M3: E4M3 is the "fn" variant, no infinities). */
    F8_E5M2(1, true), F8_E4M3(1, true),
    I64(8, false), I32(4, false), I16(2, false), I8(1, false), U64(8, false), U32(4, false), U16(2, false), U8(1, false), BOOL(1, false);

    private final int byteSize;
    private final boolean floating;

    SafeDType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    /** Width of one element in bytes. */
    public int byteSize() {
        return byteSize;
    }

    /** True for the types {@link SafeTensorsFile#readF32} converts; the others go through readI64. */
    public boolean isFloating() {
        return floating;
    }

    /** The names, for messages. */
    public static String known() {
        StringBuilder sb = new StringBuilder();
        for (SafeDType t : values()) sb.append(sb.isEmpty() ? "" : ", ").append(t.name());
        return sb.toString();
    }

    /** The type named exactly {@code name} (case-sensitive, as the format is), or null if none is. */
    public static SafeDType parse(String name) {
        for (SafeDType t : values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        return null;
    }
}

package dev.groundwork.engine.io;

/** The element types the safetensors format names, with their sizes in bytes. */
public enum SafeDType {
    F64(8), F32(4), F16(2), BF16(2), I64(8), I32(4), I16(2), I8(1), U64(8), U32(4), U16(2), U8(1), BOOL(1);

    public final int size;

    SafeDType(int size) { this.size = size; }

    /** The dtype of a header string, or null when the format does not know it. */
    public static SafeDType parse(String s) {
        for (SafeDType d : values()) if (d.name().equals(s)) return d;
        return null;
    }

    public boolean isFloating() { return this == F64 || this == F32 || this == F16 || this == BF16; }
}

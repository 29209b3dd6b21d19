package dev.groundwork.models.checkpoint;

import dev.groundwork.engine.io.SafeDType;

/** The torch storage classes a state dict can reference, with the element type of their bytes. */
enum StorageType {
    FloatStorage(SafeDType.F32), DoubleStorage(SafeDType.F64), HalfStorage(SafeDType.F16),
    BFloat16Storage(SafeDType.BF16), LongStorage(SafeDType.I64), IntStorage(SafeDType.I32),
    ShortStorage(SafeDType.I16), CharStorage(SafeDType.I8), ByteStorage(SafeDType.U8), BoolStorage(SafeDType.BOOL);

    final SafeDType dtype;

    StorageType(SafeDType dtype) { this.dtype = dtype; }

    /** The storage class called {@code torch.<name>}, or null. */
    static StorageType byName(String name) {
        for (StorageType t : values()) if (t.name().equals(name)) return t;
        return null;
    }
}

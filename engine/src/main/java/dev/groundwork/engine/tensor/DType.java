package dev.groundwork.engine.tensor;

/** Element types a tensor can hold. Float32 is the compute type; F64 exists for gradient checks. */
public enum DType {
    F32(4, true), F64(8, true), I64(8, false), I32(4, false);

    private final int byteSize;
    private final boolean floating;

    DType(int byteSize, boolean floating) {
        this.byteSize = byteSize;
        this.floating = floating;
    }

    public int byteSize() { return byteSize; }

    public boolean isFloating() { return floating; }
}

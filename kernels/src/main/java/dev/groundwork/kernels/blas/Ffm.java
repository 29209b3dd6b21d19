package dev.groundwork.kernels.blas;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/** Downcall handles resolved by name from one shared library (Java FFM, no JNI glue). */
public final class Ffm {
    private final Path library;
    private final SymbolLookup lookup;

    public Ffm(Path library) {
        this.library = library;
        this.lookup = SymbolLookup.libraryLookup(library, Arena.global());
    }

    public Path library() { return library; }

    public boolean has(String symbol) { return lookup.find(symbol).isPresent(); }

    public MethodHandle handle(String symbol, FunctionDescriptor fd) {
        var addr = lookup.find(symbol).orElseThrow(() -> new IllegalStateException(symbol + " not found in " + library));
        return Linker.nativeLinker().downcallHandle(addr, fd);
    }
}

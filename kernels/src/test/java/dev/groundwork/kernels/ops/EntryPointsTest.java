package dev.groundwork.kernels.ops;

import dev.groundwork.kernels.KernelSources;
import dev.groundwork.kernels.cuda.EntryPoint;
import dev.groundwork.kernels.cuda.KernelArgs;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Every kernel entry point a host class declares ({@link EntryPoint} constants, against which its
 * launches pack their arguments) exists in its file's committed PTX with the same parameters, count
 * and types; every entry point of every PTX is declared by exactly one host class; and every .cu has
 * its host class, named after it, in package {@code ops}. A kernel whose signature changes, or a new
 * kernel nobody launches, fails here rather than on a GPU.
 */
class EntryPointsTest {
    /** What each packed parameter is in PTX (see {@link KernelSources#entryParams}). */
    static String ptxType(EntryPoint.Param p) {
        return switch (p) {
            case PTR, I64 -> "u64";
            case I32 -> "u32";
            case F32 -> "f32";
            case F64 -> "f64";
            case LAYOUT -> "b8[" + KernelArgs.LAYOUT_BYTES + "]";
        };
    }

    @Test
    void everySourceHasItsHostClassNamedAfterIt() throws Exception {
        List<String> missing = new ArrayList<>();
        for (String n : KernelSources.cuNames()) {
            try {
                Class.forName(KernelSources.hostClassName(n));
            } catch (ClassNotFoundException e) {
                missing.add(n + ".cu -> " + KernelSources.hostClassName(n));
            }
        }
        assertTrue(missing.isEmpty(), "no host class for " + missing);
        assertEquals("dev.groundwork.kernels.ops.AttentionBf16BwdKernels", KernelSources.hostClassName("attention_bf16_bwd"));
    }

    @Test
    void hostClassesDeclareOnlyTheirOwnFilesEntryPoints() throws Exception {
        List<String> wrong = new ArrayList<>();
        for (Class<?> c : HostClasses.all())
            for (EntryPoint e : HostClasses.entryPoints(c))
                if (!KernelSources.hostClassName(e.file()).equals(c.getName())) wrong.add(c.getSimpleName() + " declares " + e);
        assertTrue(wrong.isEmpty(), "entry points belong to the host class of their file: " + wrong);
    }

    @Test
    void everyDeclaredEntryPointMatchesItsPtx() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Class<?> c : HostClasses.all()) {
            for (EntryPoint e : HostClasses.entryPoints(c)) {
                var ptx = KernelSources.COMMITTED.resolve(e.file() + ".ptx");
                if (!Files.isRegularFile(ptx)) { wrong.add(e + ": no " + ptx.getFileName()); continue; }
                List<String> have = KernelSources.entryParams(Files.readString(ptx)).get(e.name());
                List<String> want = e.params().stream().map(EntryPointsTest::ptxType).toList();
                if (have == null) wrong.add(c.getSimpleName() + ": " + e.name() + " is not in " + ptx.getFileName());
                else if (!have.equals(want)) wrong.add(c.getSimpleName() + ": " + e.name() + " packs " + want + ", the PTX declares " + have);
                checked++;
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertTrue(checked >= KernelSources.cuNames().size(), "only " + checked + " entry points found: is the scan of package ops broken?");
    }

    @Test
    void everyPtxEntryIsDeclaredByExactlyOneHostClass() throws Exception {
        Map<String, List<String>> declaredBy = new HashMap<>();
        for (Class<?> c : HostClasses.all())
            for (EntryPoint e : HostClasses.entryPoints(c))
                declaredBy.computeIfAbsent(e.file() + ".cu " + e.name(), k -> new ArrayList<>()).add(c.getSimpleName());
        Map<String, String> problems = new TreeMap<>();
        for (String n : KernelSources.cuNames()) {
            for (String entry : KernelSources.entryParams(Files.readString(KernelSources.COMMITTED.resolve(n + ".ptx"))).keySet()) {
                List<String> by = declaredBy.getOrDefault(n + ".cu " + entry, List.of());
                if (by.isEmpty()) problems.put(n + ".cu " + entry, "declared by no host class (an orphan kernel)");
                else if (by.size() > 1) problems.put(n + ".cu " + entry, "declared " + by.size() + " times: " + by);
            }
        }
        assertTrue(problems.isEmpty(), problems.toString());
    }
}
